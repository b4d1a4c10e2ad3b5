"""Email alerts benchmark: match one release against 100,000 subscriptions and
queue its emails, on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres newsroom_alerts_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_alerts_bench \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_alerts_bench \\
        .venv/bin/python bench/alerts.py --subscriptions 100000

Generates releases up to ``--releases`` if there are fewer, REPLACES every alert
subscription in the database with ``--subscriptions`` confirmed ones over varied
filters (bulk_create; use a scratch database), then, for a few well-linked
releases, times

* matching: candidate filters by their terms + ReleaseFilterSet on each (UNION ALL);
* queueing: writing the pending deliveries and enqueueing the send tasks on the
  database task queue (what the publish-time task does; nothing is sent);
* building emails: rendering a sample of the queued messages (text + HTML).
"""

import argparse
import datetime
import functools
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from newsroom.alerts import (  # noqa: E402
    criteria,
    matching,
    messages,
    tasks,
)
from newsroom.chunks import chunked  # noqa: E402
from newsroom.loading.generation import analyse, generate_releases  # noqa: E402
from newsroom.models import (  # noqa: E402
    AlertDelivery,
    AlertFilter,
    AlertFilterTerm,
    AlertSubscription,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    Sector,
    Topic,
)

WORDS = ["nickel", "smelter", "investment", "steel", "battery", "export", "lithium"]


def ensure_releases(count):
    existing = PressReleasePage.objects.count()
    if existing < count:
        started = time.perf_counter()
        generate_releases(count - existing)
        analyse()
        print(f"generated {count - existing} releases in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip


def skewed(rng, items):
    """Popular entities are followed far more than others (1/rank weights)."""
    return rng.choices(items, weights=[1 / (rank + 1) for rank in range(len(items))])[0]


def random_query(rng, pools):
    sector, region = skewed(rng, pools["sector"]), skewed(rng, pools["region"])
    official, topic = skewed(rng, pools["official"]), skewed(rng, pools["topic"])
    organisation = skewed(rng, pools["organisation"])
    shape = rng.choices(
        [
            {"sector": [sector]},
            {"region": [region]},
            {"sector": [sector], "region": [region]},
            {"official": [official]},
            {"topic": [topic]},
            {"organisation": [organisation]},
            {"sector": [sector], "topic": [topic]},
            {"sector": [sector, skewed(rng, pools["sector"])]},
            {"official": [official], "region": [region]},
            {"q": [rng.choice(WORDS)]},
            {"q": [rng.choice(WORDS)], "region": [region]},
            {"from": ["2015-01-01"]},
            {},
        ],
        weights=[22, 14, 20, 10, 7, 5, 5, 4, 3, 3, 2, 2, 3],
    )[0]
    return canonical(urlencode(shape, doseq=True))


@functools.cache
def canonical(raw):
    return criteria.canonical_query(raw)


def create_subscriptions(count, seed):
    rng = random.Random(seed)

    def slugs(model, order):
        return list(model.objects.order_by(order).values_list("slug", flat=True))

    pools = {
        "sector": slugs(Sector, "path"),
        "region": slugs(Region, "path"),
        "official": slugs(Official, "pk"),
        "organisation": slugs(Organisation, "pk"),
        "topic": slugs(Topic, "pk"),
    }
    for pool in pools.values():
        rng.shuffle(pool)
    AlertDelivery.objects.all().delete()
    AlertSubscription.objects.all().delete()
    AlertFilter.objects.all().delete()

    queries = [random_query(rng, pools) for _ in range(count)]
    distinct = sorted(set(queries))
    # The same fields criteria.get_or_create_filter writes, in bulk.
    filters = AlertFilter.objects.bulk_create(
        [
            AlertFilter(
                query=query,
                description=query[:500] or "All releases",
                facet_count=len({facet for facet, _ in criteria.query_terms(query)}),
                has_search="q=" in query,
            )
            for query in distinct
        ],
        batch_size=2000,
    )
    by_query = {f.query: f for f in filters}
    AlertFilterTerm.objects.bulk_create(
        [
            AlertFilterTerm(filter=f, facet=facet, slug=slug)
            for f in filters
            for facet, slug in criteria.query_terms(f.query)
        ],
        batch_size=5000,
    )
    confirmed = timezone.make_aware(datetime.datetime(2000, 1, 1))
    frequencies = ["immediate"] * 7 + ["daily"] * 2 + ["weekly"]
    AlertSubscription.objects.bulk_create(
        [
            AlertSubscription(
                email=f"subscriber{n}@example.org",
                filter=by_query[query],
                frequency=rng.choice(frequencies),
                language=settings.LANGUAGE_CODE,
                confirmed_at=confirmed,
            )
            for n, query in enumerate(queries)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return len(distinct)


def well_linked_releases(count):
    sample = (
        PressReleasePage.objects.published()
        .order_by()
        .annotate(
            links=Count("release_sectors", distinct=True)
            + Count("release_regions", distinct=True)
            + Count("release_officials", distinct=True)
        )
        .filter(links__gte=5)
        .order_by("-pk")
        .values_list("pk", flat=True)[:count]
    )
    return list(sample)


def clear_queue(release_id):
    AlertDelivery.objects.filter(release_id=release_id).delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path__startswith="newsroom.alerts.tasks").delete()


def bench_release(release_id, sample):
    release = (
        PressReleasePage.objects.published()
        .select_related("locale")
        .filter(pk=release_id)
        .first()
    )
    clear_queue(release_id)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        candidates = matching.candidate_filters(release)
        matched = matching.matching_filter_ids(release, candidates)
        matched_at = time.perf_counter()
    match_queries = len(queries)
    clear_queue(release_id)
    started_queue = time.perf_counter()
    queued = matching.queue_release(release_id)
    batch = settings.NEWSROOM_ALERTS_SEND_BATCH
    batches = 0
    for ids in chunked(queued.send_ids, batch):
        tasks.send_alert_batch.enqueue(ids)
        batches += 1
    queued_at = time.perf_counter()

    rows = list(
        AlertDelivery.objects.filter(pk__in=queued.send_ids[:sample]).select_related(
            "subscription__filter", "release", "correction"
        )
    )
    mailer = messages.Mailer()
    started_build = time.perf_counter()
    for row in rows:
        mailer.delivery(row).message()
    built_at = time.perf_counter()
    clear_queue(release_id)
    return {
        "candidates": len(candidates),
        "matched": len(matched),
        "match_s": matched_at - started,
        "match_queries": match_queries,
        "queue_s": queued_at - started_queue,
        "immediate": queued.immediate,
        "digest": queued.digest,
        "tasks": batches,
        "build_ms": 1000 * (built_at - started_build) / max(len(rows), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--releases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5, help="releases to match")
    parser.add_argument("--sample", type=int, default=200, help="emails to build")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; figures will not be representative")
    settings.DEBUG = False  # dev settings; no query log to fill
    if "DatabaseBackend" not in settings.TASKS["default"]["BACKEND"]:
        sys.exit("the default task backend must be django_tasks_db.DatabaseBackend")
    # Generated releases are dated over twenty years; announce them all.
    settings.NEWSROOM_ALERTS_MAX_RELEASE_AGE_DAYS = 365 * 100

    ensure_releases(args.releases)
    started = time.perf_counter()
    distinct = create_subscriptions(args.subscriptions, args.seed)
    print(
        f"{args.subscriptions} confirmed subscriptions over {distinct} distinct "
        f"filters created in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    results = [bench_release(pk, args.sample) for pk in well_linked_releases(args.runs)]
    header = (
        f"{'release':>8} {'candidates':>10} {'matched':>8} {'match s':>8} "
        f"{'queries':>8} {'queue s':>8} {'immediate':>9} {'digest':>7} "
        f"{'tasks':>6} {'ms/email':>9}"
    )
    print(header)
    for pk, r in zip(well_linked_releases(args.runs), results, strict=True):
        print(
            f"{pk:>8} {r['candidates']:>10} {r['matched']:>8} {r['match_s']:>8.3f} "
            f"{r['match_queries']:>8} {r['queue_s']:>8.3f} {r['immediate']:>9} "
            f"{r['digest']:>7} {r['tasks']:>6} {r['build_ms']:>9.2f}"
        )
    print(
        f"median: match {statistics.median(r['match_s'] for r in results):.3f} s, "
        f"match + queue {statistics.median(r['queue_s'] for r in results):.3f} s "
        f"(queue_release with the enqueueing of its send tasks), "
        f"{statistics.median(r['immediate'] for r in results):.0f} immediate "
        "deliveries queued per release"
    )


if __name__ == "__main__":
    main()
