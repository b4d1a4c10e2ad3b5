"""Publish-to-visible: how long after an editor presses Publish a reader sees it.

Called by ``bench/run.py`` (after its table) on the same archive. An editor's
publish is ``save_revision().publish()`` of a new release linking the archive's
first sector; the reader's side is the next request, cold as it is after every
publish (the content version changed), to the listing, the sector's hub, the
Atom feed and the API. Each must name the new release, or the run fails.

The search index entry is a background task (the worker's), so full text is not
part of this figure; the listing tables are written in the publish itself.
"""

import datetime
import statistics
import time

from django.test import Client

from newsroom.models import PressReleasePage, Sector


def reader_paths(newsroom_url, sector):
    return {
        "listing": newsroom_url,
        "hub": f"{newsroom_url}sectors/{sector.slug}/",
        "feed": f"{newsroom_url}feed/",
        "API": f"/api/v2/releases/?sector={sector.slug}",
    }


def publish_once(number, sector):
    # Imported here: the factories load test settings' helpers that the
    # benchmark's other parts do not need.
    from tests.factories import make_release

    title = f"Publish-to-visible probe {number} {time.time_ns()}"
    page = make_release(
        title=title,
        release_date=datetime.date.today(),
        sectors=[sector],
        live=False,
    )
    started = time.perf_counter()
    page.save_revision().publish()
    return page, title, (time.perf_counter() - started) * 1000


def measure(runs=5):
    """{step: median ms} over ``runs`` publishes; removes its releases after."""
    sector = Sector.objects.filter(depth=1).order_by("path").first()
    client = Client()
    timings = {"publish": []}
    made = []
    try:
        for number in range(runs):
            page, title, publish_ms = publish_once(number, sector)
            made.append(page.pk)
            timings["publish"].append(publish_ms)
            newsroom_url = page.get_parent().url
            for label, path in reader_paths(newsroom_url, sector).items():
                started = time.perf_counter()
                response = client.get(path, HTTP_HOST="localhost")
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (path, response.status_code)
                assert title in response.content.decode(), f"{title} not on {path}"
                timings.setdefault(label, []).append(elapsed)
    finally:
        for page in PressReleasePage.objects.filter(pk__in=made):
            page.delete()
    return {label: statistics.median(values) for label, values in timings.items()}


def report(runs=5):
    medians = measure(runs)
    print(f"\nPublish to visible (median of {runs}, ms; each reader request cold):")
    for label, value in medians.items():
        step = "publish" if label == "publish" else f"then {label}"
        print(f"{step:32} {value:9.1f}")
    visible = medians["publish"] + medians["listing"]
    print(f"{'publish + first listing':32} {visible:9.1f}")
