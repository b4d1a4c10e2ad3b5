"""Snapshot what the demo site answers, to compare two checkouts byte for byte.

A refactor must not change what readers and other programs receive. Run this in
each checkout (each builds the demo in a scratch SQLite file), then compare:

    .venv/bin/python bench/snapshot_pages.py --out /tmp/before.json   # old checkout
    .venv/bin/python bench/snapshot_pages.py --out /tmp/after.json    # new checkout
    .venv/bin/python bench/snapshot_pages.py --compare /tmp/before.json /tmp/after.json

Every page, hub, feed, export and API answer of the demo is fetched with the test
client in both languages; the snapshot keeps each body (CSRF tokens and the
admin's build hashes masked) so the comparison can show what differs.
"""

import argparse
import difflib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MASKS = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "csrf"),
    (re.compile(r"\?v=[0-9a-f]{8,}"), "?v=…"),
    # When the demo was loaded (publish times with microseconds).
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+[+-]\d\d:\d\d"), "<moment>"),
    # Uploads get a random suffix when a file of that name exists already.
    (re.compile(r"/media/[^\"'\s,]+"), "/media/…"),
]


def masked(body):
    for pattern, mask in MASKS:
        body = pattern.sub(mask, body)
    return body


def snapshot(out):
    database = Path(tempfile.mkdtemp()) / "snapshot.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from newsroom.models import Official, PressReleasePage, Region, Sector, Topic

    try:
        from newsroom.kinds import SEGMENTS
    except ImportError:  # a checkout from before the registry of kinds
        SEGMENTS = ("officials", "organisations", "sectors", "regions", "topics")

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    paths = ["/", "/id/", "/news/", "/id/news/", "/news/feed/", "/news/export.csv"]
    paths += [f"/news/{segment}/" for segment in SEGMENTS]
    paths += ["/sitemap.xml", "/robots.txt", "/api/v2/releases/", "/api/v2/officials/"]
    paths += ["/api/v2/sectors/", "/api/v2/regions/", "/id/news/feed/"]
    for release in PressReleasePage.objects.live().order_by("pk"):
        paths.append(release.url)
        paths.append(f"/api/v2/releases/{release.pk}/")
    for model in (Official, Sector, Region, Topic):
        for entity in model.objects.order_by("pk"):
            hub = entity.get_absolute_url()
            paths += [hub, f"{hub}feed/", f"{hub}export.csv"]
    paths += [
        "/news/?sector=nickel-smelting&region=central-sulawesi",
        "/news/?topic=nickel&from=2024-01-01&to=2024-12-31",
        "/news/feed/?topic=nickel&sector=nickel-smelting&from=2024-01-01",
        "/news/?q=smelter",
        "/news/?official=no-such-person",
        "/api/v2/releases/?sector=nickel-smelting",
    ]
    client = Client()
    answers = {}
    for path in dict.fromkeys(paths):
        response = client.get(path)
        raw = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        body = masked(raw.decode("utf-8", "replace"))
        answers[path] = {"status": response.status_code, "body": body}
    Path(out).write_text(json.dumps(answers, indent=0, sort_keys=True))
    print(f"{len(answers)} answers written to {out}")


def compare(before_path, after_path):
    before = json.loads(Path(before_path).read_text())
    after = json.loads(Path(after_path).read_text())
    differ = 0
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        for answer in (old, new):
            if answer is not None:
                answer["body"] = masked(answer["body"])
        if old == new:
            continue
        differ += 1
        print(f"--- {path}")
        if old is None or new is None:
            print("    only in", "after" if old is None else "before")
            continue
        if old["status"] != new["status"]:
            print(f"    status {old['status']} -> {new['status']}")
        diff = difflib.unified_diff(
            old["body"].splitlines(), new["body"].splitlines(), lineterm="", n=0
        )
        for line in list(diff)[2:14]:
            print("   ", line[:160])
    same = len(set(before) & set(after)) - differ
    print(f"{same} answers identical, {differ} differ")
    return differ


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
    elif args.out:
        snapshot(args.out)
    else:
        parser.error("give --out FILE or --compare BEFORE AFTER")


if __name__ == "__main__":
    main()
