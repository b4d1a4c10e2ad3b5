"""Press kit benchmark: the release PDF and press kit of the demo's largest
release, and the peak memory of streaming a kit with 50 MB of pictures.

    make demo        # or: manage.py migrate && manage.py load_demo
    .venv/bin/python bench/press_kit.py [--picture-mb 50]

Prints, for the demo's largest published release (the longest body, pictures
counted): the PDF's size and its time cold (rendered) and warm (from the cache),
and the zip's size and time to stream it whole. Then it builds a scratch release
whose body holds ``--picture-mb`` MB of incompressible PNG pictures (generated in
a temporary directory, used as MEDIA_ROOT), streams its kit and prints the zip's
size, the time, and the peak of Python allocations while streaming (tracemalloc)
beside the process's peak resident size. The scratch release is made inside a
transaction that is rolled back: the database is left as it was.
"""

import argparse
import io
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402

from newsroom.models import NewsroomPage, PressReleasePage  # noqa: E402

MB = 1024 * 1024


def largest_release():
    releases = PressReleasePage.objects.published().filter(locale__language_code="en")
    return max(
        releases, key=lambda page: (len(json.dumps(list(page.body.raw_data))), page.pk)
    )


def fetch(client, url):
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    return size, time.perf_counter() - started


def demo_figures(client):
    page = largest_release()
    print(f"Largest demo release: {page.url} ({len(page.body)} body blocks)")
    cache.clear()
    size, cold = fetch(client, f"{page.url}release.pdf")
    _, warm = fetch(client, f"{page.url}release.pdf")
    print(
        f"  release.pdf   {size / 1024:8.1f} KiB  cold {cold:6.2f} s  "
        f"warm {warm:6.3f} s"
    )
    cache.clear()
    size, cold = fetch(client, f"{page.url}press-kit.zip")
    _, warm = fetch(client, f"{page.url}press-kit.zip")
    print(
        f"  press-kit.zip {size / 1024:8.1f} KiB  cold {cold:6.2f} s  "
        f"warm (PDF cached) {warm:6.3f} s"
    )
    size, took = fetch(client, f"{page.url}ninjs.json")
    print(f"  ninjs.json    {size / 1024:8.1f} KiB  {took:6.3f} s")


def noise_picture(number, width, height):
    picture = PILImage.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", compress_level=1)
    return get_image_model().objects.create(
        title=f"Bench picture {number}",
        file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"bench-{number}.png"),
    )


def big_kit_figures(client, picture_mb):
    count = max(1, round(picture_mb / 10))
    width, height = 2000, (picture_mb * MB) // count // (2000 * 3)
    with transaction.atomic():
        pictures = [noise_picture(n, width, height) for n in range(count)]
        total = sum(picture.file.size for picture in pictures)
        body = [
            {
                "type": "image",
                "value": {
                    "image": {"image": p.pk, "decorative": True, "alt_text": ""},
                    "caption": f"Noise {n}",
                    "credit": "Bench",
                },
            }
            for n, p in enumerate(pictures)
        ]
        newsroom = NewsroomPage.objects.filter(locale__language_code="en").first()
        page = PressReleasePage(
            title="Press kit benchmark",
            slug="press-kit-benchmark",
            standfirst="Pictures only.",
            release_date="2024-01-01",
            body=json.dumps(body),
            live=False,
        )
        newsroom.add_child(instance=page)
        page.save_revision().publish()
        page = PressReleasePage.objects.get(pk=page.pk)
        # The PDF's renditions and the PDF itself first: the zip's figure is
        # the streaming of the pictures, not the rendering.
        pdf_size, _ = fetch(client, f"{page.url}release.pdf")
        tracemalloc.start()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size, took = fetch(client, f"{page.url}press-kit.zip")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"Kit with {count} pictures, {total / MB:.1f} MB: zip {size / MB:.1f} MB "
            f"in {took:.2f} s (its PDF, with the pictures' renditions, "
            f"{pdf_size / MB:.1f} MB); peak Python allocations while streaming "
            f"{peak / MB:.2f} MB; process peak RSS {rss_after / 1024:.0f} MB "
            f"(grew {(rss_after - rss_before) / 1024:.0f} MB while streaming)"
        )
        transaction.set_rollback(True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--picture-mb", type=int, default=50)
    args = parser.parse_args()
    client = Client(HTTP_HOST="localhost")
    demo_figures(client)
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        big_kit_figures(client, args.picture_mb)


if __name__ == "__main__":
    main()
