"""Newsroom benchmark: server time, queries and memory per page type, the naive
baseline, publish-to-visible, the archive import's rate and throughput under
gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        .venv/bin/python bench/run.py --releases 100000

Generates releases up to ``--releases`` if the database has fewer, then prints a
table. Timings are in-process (Django test client), so they include routing,
filtering, database and template rendering but not the network.
"""

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")
os.environ.setdefault("NEWSROOM_BENCH", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench import import_rate, publish_visible  # noqa: E402
from bench.naive import naive_listing  # noqa: E402
from bench.server import start_gunicorn  # noqa: E402
from newsroom.loading.generation import (  # noqa: E402
    VOCABULARY,
    analyse,
    generate_releases,
)
from newsroom.models import PressReleasePage, Region, Sector  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ensure_releases(count):
    existing = PressReleasePage.objects.count()
    if existing < count:
        started = time.perf_counter()
        generate_releases(count - existing)
        analyse()
        print(
            f"generated {count - existing} releases in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )


def scenarios():
    sector = Sector.objects.filter(depth=1).order_by("path").first()
    province = Region.objects.filter(depth=2).order_by("path").first()
    release = PressReleasePage.objects.live().order_by("-release_date").first()
    filtered = (
        f"sector={sector.slug}&region={province.slug}&from=2010-01-01&to=2020-12-31"
    )
    return [
        ("listing, unfiltered", "/news/"),
        ("listing, sector+region+dates", f"/news/?{filtered}"),
        ("listing, q + filter", f"/news/?q=nickel&region={province.slug}"),
        # "nickel" is in about one release in eight; "industry" in every one,
        # the worst case: every release matched, counted and ranked.
        ("listing, q only", "/news/?q=nickel"),
        # A tail word, in under one release in a hundred: counted exactly.
        ("listing, q rare word", f"/news/?q={VOCABULARY[3000]}"),
        ("listing, q in every release", "/news/?q=industry"),
        ("hub (sector)", f"/news/sectors/{sector.slug}/"),
        ("figures tracker, unfiltered", "/news/figures/"),
        (
            "figures tracker, year + sector",
            f"/news/figures/?group=year&sector={sector.slug}",
        ),
        ("figures tracker, by region", "/news/figures/?group=region"),
        ("release page", release.url),
        ("Atom feed, filtered", f"/news/feed/?{filtered}"),
        ("API, filtered", f"/api/v2/releases/?{filtered}"),
    ]


class QueryCounter:
    count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def count_queries():
    """Counts every query, whatever DEBUG is: Django's query log is kept only
    under DEBUG, and the benchmark runs with it off, like production."""
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def time_requests(client, url, runs, cold):
    timings = []
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def measure(client, url, runs):
    client.get(url, HTTP_HOST="localhost")  # warm the database and Python
    cold = time_requests(client, url, runs, cold=True)
    client.get(url, HTTP_HOST="localhost")
    warm = time_requests(client, url, runs, cold=False)
    cache.clear()
    with count_queries() as queries:
        client.get(url, HTTP_HOST="localhost")
    cache.clear()
    tracemalloc.start()
    client.get(url, HTTP_HOST="localhost")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return cold, warm, queries.count, peak


def measure_naive(url, runs):
    params = parse_qs(urlsplit(url).query)
    naive_listing(params)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        naive_listing(params)
        timings.append((time.perf_counter() - started) * 1000)
    with count_queries() as queries:
        naive_listing(params)
    return timings, queries.count


def throughput(url, seconds, connections):
    """Requests per second under gunicorn for ``url`` and for the trivial view."""
    if not shutil.which("wrk"):
        return None
    server = start_gunicorn(8799, workers=os.environ.get("GUNICORN_WORKERS", 4))
    try:
        base = "http://127.0.0.1:8799"
        results = {}
        for label, path in (("trivial view", "/healthz"), ("filtered listing", url)):
            subprocess.run(["curl", "-s", "-o", "/dev/null", base + path])  # warm
            output = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--latency",
                    base + path,
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 30,
            ).stdout
            rps = next(
                float(line.split()[1])
                for line in output.splitlines()
                if line.startswith("Requests/sec")
            )
            errors = sum(
                int(part.split()[-1].rstrip(","))
                for line in output.splitlines()
                if "Non-2xx" in line or "Socket errors" in line
                for part in [line]
                if part.split()[-1].rstrip(",").isdigit()
            )
            results[label] = (rps, errors)
        return results
    finally:
        server.terminate()
        server.wait(timeout=20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn + wrk")
    parser.add_argument(
        "--import-records",
        type=int,
        default=1000,
        help="synthetic records imported (--bulk, rolled back) for the import "
        "rate; 0 skips it",
    )
    parser.add_argument(
        "--no-naive",
        action="store_true",
        help="skip the naive baseline (minutes at several hundred thousand releases)",
    )
    args = parser.parse_args()

    settings.DEBUG = False
    ensure_releases(args.releases)
    # As in a gunicorn worker, forked from a master whose loaded application is
    # frozen out of the garbage collector (gunicorn.conf.py).
    gc.freeze()
    total = PressReleasePage.objects.live().count()
    print(f"\n{total} live releases on {connection.vendor}, {os.cpu_count()} CPUs\n")
    client = Client()
    rows = []
    header = (
        f"{'page':32} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} "
        f"{'warm p95':>9} {'queries':>8} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, url in scenarios():
        cold, warm, queries, peak = measure(client, url, args.runs)
        rows.append((label, url, cold))
        print(
            f"{label:32} {statistics.median(cold):9.1f} {percentile(cold, 0.95):9.1f} "
            f"{statistics.median(warm):9.1f} {percentile(warm, 0.95):9.1f} "
            f"{queries:8d} {peak / 2**20:8.1f}",
            flush=True,
        )
    if not args.no_naive:
        print("\nNaive baseline (same page of results, total and facet counts):")
        for label, url, cold in rows[:3]:
            naive, naive_queries = measure_naive(url, max(3, args.runs // 3))
            speedup = statistics.median(naive) / statistics.median(cold)
            print(
                f"{label:32} naive p50 {statistics.median(naive):9.1f} ms, "
                f"{naive_queries} queries; newsroom is {speedup:.1f}x faster (cold)",
                flush=True,
            )
    publish_visible.report()
    if args.import_records:
        import_rate.report(args.import_records)
    if not args.no_load:
        filtered_url = rows[1][1]
        results = throughput(filtered_url, args.load_seconds, args.connections)
        if results is None:
            print("\nwrk not installed: skipped throughput (apt-get install wrk)")
        else:
            print(
                f"\nThroughput under gunicorn ({args.connections} connections, "
                f"{args.load_seconds} s each):"
            )
            for label, (rps, errors) in results.items():
                print(f"{label:32} {rps:9.0f} req/s, {errors} errors")
            ratio = results["filtered listing"][0] / results["trivial view"][0]
            print(f"{'filtered listing / trivial':32} {ratio:9.2f}")


if __name__ == "__main__":
    main()
