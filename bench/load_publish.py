"""Load with concurrent editing: readers hammer the listing, hubs, feed and API
under gunicorn while this process publishes, corrects and unpublishes releases.
Afterwards every write is checked in the database, the revision history and on
the public site.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_load \\
        .venv/bin/python bench/load_publish.py --seconds 60

The database is migrated and given the demo content if it has none. Exits
non-zero on any 5xx, any failed request or any lost write.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")
# The publisher stands in for the editor and the task worker together: search
# index updates (and alert sends) run at once, so the checks afterwards see them.
os.environ.setdefault(
    "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from bench.server import start_gunicorn  # noqa: E402
from newsroom.models import Correction, PressReleasePage  # noqa: E402

PORT = 8798
WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def reader_paths(release):
    sector = release.sectors[0].slug if release.sectors else None
    region = release.regions[0].slug if release.regions else None
    paths = ["/news/", "/news/feed/", "/api/v2/releases/", "/news/officials/"]
    if sector:
        paths += [f"/news/sectors/{sector}/", f"/news/?sector={sector}"]
    if region:
        paths += [f"/news/regions/{region}/feed/", f"/api/v2/releases/?region={region}"]
    return paths


def status(path):
    try:
        with urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=10) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, ""


def editor(seconds, rng):
    """Publish, correct and unpublish until time runs out; return the expectations."""
    releases = list(PressReleasePage.objects.live().filter(withdrawn=False))
    expected_notes, expected_live, operations = {}, {}, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        release = rng.choice(releases).specific
        release.refresh_from_db()
        action = rng.choice(["correct", "correct", "unpublish", "republish"])
        if action == "correct":
            note = f"Load-test correction {operations} on {release.pk}"
            release.corrections.add(Correction(note=note))
            release.save_revision(log_action=True).publish()
            expected_notes.setdefault(release.pk, []).append(note)
            expected_live[release.pk] = True
        elif action == "unpublish" and release.live:
            release.unpublish()
            expected_live[release.pk] = False
        else:
            release.save_revision().publish()
            expected_live[release.pk] = True
        operations += 1
        time.sleep(0.05)
    return operations, expected_notes, expected_live


def verify(expected_notes, expected_live):
    lost = []
    for page_id, notes in expected_notes.items():
        stored = set(
            Correction.objects.filter(page_id=page_id).values_list("note", flat=True)
        )
        revisions = PressReleasePage.objects.get(pk=page_id).revisions.count()
        if not set(notes) <= stored or revisions < len(notes):
            lost.append((page_id, "correction or revision missing"))
    for page_id, live in expected_live.items():
        release = PressReleasePage.objects.get(pk=page_id)
        if release.live != live:
            lost.append((page_id, f"live is {release.live}, expected {live}"))
            continue
        code, html = status(release.url)
        if live and code != 200:
            lost.append((page_id, f"public page answered {code}"))
        if not live and code != 404:
            lost.append((page_id, f"unpublished page answered {code}"))
        if live:
            missing = [n for n in expected_notes.get(page_id, []) if n not in html]
            if missing:
                lost.append((page_id, f"{len(missing)} correction(s) not shown"))
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not PressReleasePage.objects.exists():
        call_command("load_demo", verbosity=0)
    rng = random.Random(7)
    server = start_gunicorn(PORT, workers=3, capture_errors=True)
    try:
        sample = PressReleasePage.objects.live().first()
        paths = ", ".join(f'"{p}"' for p in reader_paths(sample))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % paths)
        load = subprocess.Popen(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                # wrk gives up after 2 s by default: on two cores shared with
                # three workers and the editor's publishing, a slow answer is
                # not a failed one. This run checks answers and writes.
                "--timeout",
                "15s",
                "-s",
                script.name,
                f"http://127.0.0.1:{PORT}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        operations, notes, live = editor(args.seconds, rng)
        output, _ = load.communicate(timeout=args.seconds + 60)
        lost = verify(notes, live)
    finally:
        server.terminate()
        _, server_errors = server.communicate(timeout=30)
    requests = int(
        next(line.split()[0] for line in output.splitlines() if "requests in" in line)
    )
    failures = sum(
        int(line.split()[-1])
        for line in output.splitlines()
        if line.strip().startswith("Non-2xx or 3xx responses")
    )
    socket_errors = next(
        (line.strip() for line in output.splitlines() if "Socket errors" in line), ""
    )
    server_5xx = server_errors.count("Internal Server Error")
    socket_errors = socket_errors or "no socket errors"
    print(f"requests: {requests}, non-2xx/3xx: {failures}, {socket_errors}")
    print(f"server errors logged: {server_5xx}")
    corrections = sum(map(len, notes.values()))
    unpublished = sum(1 for is_live in live.values() if not is_live)
    print(
        f"editor operations: {operations} ({corrections} corrections on "
        f"{len(notes)} releases, {unpublished} left unpublished)"
    )
    print(f"writes verified: {len(notes) + len(live) - len(lost)}, lost: {len(lost)}")
    for page_id, reason in lost:
        print(f"  release {page_id}: {reason}")
    if failures or server_5xx or lost or socket_errors != "no socket errors":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
