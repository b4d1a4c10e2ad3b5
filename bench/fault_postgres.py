"""PostgreSQL lost during a load run: requests in flight must fail with a 503 page
(not a 500), the site must recover by itself within seconds (no gunicorn
restart), and no write may be lost or doubled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_fault \\
        .venv/bin/python bench/fault_postgres.py --seconds 12 --outage 2

gunicorn (production settings, pooled connections) serves readers (listing,
release, hub, feed, API) and writers (alert subscriptions: each accepted one
queues exactly one confirmation task row) from a few threads. Meanwhile the
database goes away the way a restart takes it, but for this database only, so
other users of the server are not disturbed: new connections to it are refused
(ALLOW_CONNECTIONS false) and every open one is terminated
(pg_terminate_backend), for --outage seconds. ``--restart`` restarts the whole
cluster instead (pg_ctlcluster), which every other user of the server feels.

Prints requests, 503s, other errors, the recovery time (from the database
answering again to the last failed request) and the writes checked; exits
non-zero on any 500 or connection error, any 503 without Retry-After, any lost
or doubled write, a recovery slower than --max-recovery, or no fault seen.
"""

import argparse
import http.client
import itertools
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")
# Writers give each subscription its own client address (X-Forwarded-For from
# one trusted proxy), so the per-address limits do not refuse them.
os.environ["TRUSTED_PROXY_COUNT"] = "1"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from bench.server import start_gunicorn  # noqa: E402

PORT = 8797
RUN = int(time.time())  # addresses of this run only, whatever earlier runs left
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Log:
    """Every request: when it started and ended, what it was, what came back."""

    def __init__(self):
        self.rows = []
        self.lock = threading.Lock()

    def add(self, **row):
        with self.lock:
            self.rows.append(row)


def request(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=20)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def timed(log, kind, method, path, body=None, headers=None, **extra):
    start = time.monotonic()
    try:
        status, response_headers, content = request(method, path, body, headers)
    except OSError as error:
        status, response_headers, content = None, {}, str(error).encode()
    log.add(
        kind=kind,
        start=start,
        end=time.monotonic(),
        status=status,
        retry_after=response_headers.get("Retry-After"),
        **extra,
    )
    return status, response_headers, content


def reader(log, paths, stop):
    for path in itertools.cycle(paths):
        if stop.is_set():
            return
        timed(log, "read", "GET", path)


def csrf_pair():
    """The CSRF cookie and form token of the subscribe form (asked again until the
    site answers)."""
    while True:
        status, headers, content = request("GET", "/alerts/subscribe/")
        match = CSRF_FIELD.search(content.decode())
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
        if status == 200 and match and cookie:
            return cookie.group(1), match.group(1)
        time.sleep(0.2)


def writer(log, number, stop, counter):
    cookie, token = csrf_pair()
    while not stop.is_set():
        n = next(counter)
        email = f"fault-{RUN}-{number}-{n}@example.org"
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "email": email,
                "frequency": "immediate",
                "filter": "",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "X-Forwarded-For": f"10.{number}.{n // 250 % 250}.{n % 250 + 1}",
        }
        timed(log, "write", "POST", "/alerts/subscribe/", body, headers, email=email)
        time.sleep(0.02)


def take_database_away(maintenance_url, name, outage):
    """Refuse new connections to ``name`` and end every open one; after ``outage``
    seconds, accept connections again. Returns (start, end) on the monotonic clock."""
    with psycopg.connect(maintenance_url, autocommit=True) as control:
        control.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        start = time.monotonic()
        try:
            ended = 0
            deadline = start + outage
            while time.monotonic() < deadline:
                # Connections being set up as it is refused may slip in: end
                # them too, all through the outage.
                ended += control.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [name],
                ).fetchone()[0]
                time.sleep(0.1)
        finally:
            control.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        end = time.monotonic()
    print(f"database away for {end - start:.1f} s, {ended} connections terminated")
    return start, end


def restart_cluster():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    start = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
    )
    end = time.monotonic()
    print(f"cluster {version}/main restarted in {end - start:.1f} s")
    return start, end


def reader_paths():
    from newsroom.models import PressReleasePage

    release = PressReleasePage.objects.live().filter(withdrawn=False).first()
    paths = ["/news/", "/api/v2/releases/", "/news/feed/", release.url]
    sector = release.sectors[0].slug if release.sectors else None
    if sector:
        paths += [f"/news/sectors/{sector}/", f"/news/?sector={sector}"]
    # A query string of its own each time would defeat the response cache, but
    # every request still asks the database for the content version.
    return paths


def queued_confirmations(emails):
    """How many confirmation task rows each address got."""
    from django_tasks_db.models import DBTaskResult

    counts = Counter()
    rows = DBTaskResult.objects.filter(
        task_path__endswith="send_alert_confirmation"
    ).values_list("args_kwargs", flat=True)
    wanted = set(emails)
    for args_kwargs in rows.iterator():
        email = (args_kwargs.get("args") or [None])[0]
        if email in wanted:
            counts[email] += 1
    return counts


def print_timeline(rows, fault_start, fault_end, step=0.5):
    """Requests by the time they ended, around the fault: how many succeeded,
    how many were 503s, and the slowest (requests waiting for a connection)."""
    print(
        f"timeline (s from the fault; the database was back at "
        f"+{fault_end - fault_start:.1f}):"
    )
    start, stop = fault_start - 1, fault_end + 5
    bucket = start
    while bucket < stop:
        inside = [r for r in rows if bucket <= r["end"] < bucket + step]
        good = sum(1 for r in inside if r["status"] and r["status"] < 400)
        busy = sum(1 for r in inside if r["status"] == 503)
        slowest = max((r["end"] - r["start"] for r in inside), default=0)
        print(
            f"  {bucket - fault_start:+5.1f}  ok {good:3d}  503 {busy:3d}  "
            f"other {len(inside) - good - busy:3d}  slowest {slowest:4.2f} s"
        )
        bucket += step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12, help="load duration")
    parser.add_argument("--outage", type=float, default=2, help="seconds away")
    parser.add_argument("--at", type=float, default=3, help="seconds into the load")
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--max-recovery", type=float, default=10)
    parser.add_argument(
        "--restart", action="store_true", help="restart the whole cluster instead"
    )
    parser.add_argument(
        "--no-pool", action="store_true", help="a connection per request instead"
    )
    args = parser.parse_args()
    if args.no_pool:
        os.environ["DATABASE_POOL"] = "false"

    settings = connections["default"].settings_dict
    if "postgresql" not in settings["ENGINE"]:
        raise SystemExit("DATABASE_URL must name a scratch PostgreSQL database")
    name = settings["NAME"]
    if name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"refusing to take {name!r} away: use a scratch database")
    url = urlsplit(os.environ["DATABASE_URL"])
    maintenance_url = url._replace(path="/postgres").geturl()

    call_command("migrate", verbosity=0)
    from newsroom.models import PressReleasePage

    if not PressReleasePage.objects.exists():
        call_command("load_demo", verbosity=0)
    paths = reader_paths()
    connections.close_all()  # the fault would end this process's connection too

    log, stop, counter = Log(), threading.Event(), itertools.count()
    server = start_gunicorn(PORT, workers=args.workers, capture_errors=True)
    # Read the server's log as it comes: the tracebacks of an outage fill a
    # pipe's buffer in a second, and a worker writing to a full pipe hangs.
    server_lines = []
    drain = threading.Thread(target=lambda: server_lines.extend(server.stderr))
    drain.start()
    try:
        threads = [
            threading.Thread(target=reader, args=(log, paths, stop))
            for _ in range(args.readers)
        ] + [
            threading.Thread(target=writer, args=(log, n, stop, counter))
            for n in range(args.writers)
        ]
        load_start = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.at)
        if args.restart:
            fault_start, fault_end = restart_cluster()
        else:
            fault_start, fault_end = take_database_away(
                maintenance_url, name, args.outage
            )
        time.sleep(max(0, load_start + args.seconds - time.monotonic()))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
        drain.join(timeout=30)
    server_log = "".join(server_lines)

    rows = log.rows
    ok = [r for r in rows if r["status"] and r["status"] < 400]
    unavailable = [r for r in rows if r["status"] == 503]
    errors = [r for r in rows if r["status"] is None or r["status"] >= 500]
    other = [r for r in errors if r["status"] != 503]
    without_retry = [r for r in unavailable if not r["retry_after"]]
    before_fault = [r for r in errors if r["end"] < fault_start]
    last_failure = max((r["end"] for r in errors), default=fault_end)
    recovery = max(0.0, last_failure - fault_end)
    first_ok = min(
        (r["end"] for r in ok if r["start"] >= fault_end), default=float("inf")
    )

    writes = [r for r in rows if r["kind"] == "write"]
    accepted = {r["email"] for r in writes if r["status"] == 302}
    refused = {r["email"] for r in writes if r["status"] != 302}
    counts = queued_confirmations({r["email"] for r in writes})
    lost = sorted(e for e in accepted if counts[e] == 0)
    doubled = sorted(e for e, n in counts.items() if n > 1)
    stored_anyway = sorted(e for e in refused if counts[e])

    statuses = Counter(r["status"] for r in rows)
    print(
        f"requests: {len(rows)} ({len(writes)} writes) in {args.seconds:.0f} s, "
        f"statuses: {dict(sorted(statuses.items(), key=str))}"
    )
    print(
        f"503s: {len(unavailable)} ({len(without_retry)} without Retry-After), "
        f"other errors: {len(other)}, errors before the fault: {len(before_fault)}"
    )
    print(
        f"recovery: last failure {recovery:.2f} s after the database came back, "
        f"first success after it at +{first_ok - fault_end:.2f} s"
    )
    print(
        f"writes: {len(accepted)} accepted, {len(refused)} refused; lost "
        f"{len(lost)}, doubled {len(doubled)}, stored though refused "
        f"{len(stored_anyway)}"
    )
    print_timeline(rows, fault_start, fault_end)
    tracebacks = server_log.count("Internal Server Error")
    timeouts = server_log.count("WORKER TIMEOUT")
    print(f"server: {tracebacks} 500s logged, {timeouts} worker timeouts")

    # The fault reached the site if a request was refused (503) or held until the
    # database came back: with a pool, a short outage is waited out (up to
    # DATABASE_POOL_TIMEOUT), which is the better answer, not a missed fault.
    held = [
        r
        for r in rows
        if r["status"] is not None
        and r["start"] < fault_end
        and r["end"] >= fault_end
        and r["end"] - max(r["start"], fault_start) >= (fault_end - fault_start) / 2
    ]
    print(f"held across the outage and then served: {len(held)}")
    failed = []
    if not unavailable and not held:
        failed.append("no 503 and no request held: the fault did not reach the site")
    if other or tracebacks:
        failed.append("500s or connection errors")
    if without_retry:
        failed.append("503 without Retry-After")
    if before_fault:
        failed.append("errors before the fault")
    if lost or doubled:
        failed.append("writes lost or doubled")
    if timeouts:
        failed.append("gunicorn killed workers")
    if recovery > args.max_recovery:
        failed.append(f"recovery slower than {args.max_recovery} s")
    if failed:
        print("server log, last lines:", *server_log.splitlines()[-30:], sep="\n  ")
        raise SystemExit("FAILED: " + "; ".join(failed))


if __name__ == "__main__":
    main()
