"""What the charts add to a cold page (issue #21's 30 ms target).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench100k \\
        .venv/bin/python bench/chart_cost.py --runs 15

Times, in process and on an existing archive (run ``bench/run.py`` first to
generate one), the work each chart adds to its page, apart from the page around
it:

- a hub's "releases per month" chart (``channels.charts.month_chart``) for the
  largest top-level sector and for the first province: its one query and the
  bars it builds;
- the figures tracker grouped by year with a sector filter: the totals per year
  (``finder.figures.figure_totals``) and the bar charts drawn from them
  (``channels.charts.year_charts``).

Each figure is also put beside the whole cold page, so the share is visible.
The database is warm (each statement runs once before timing) and the
application cache is cleared before every page run; no chart is cached apart
from its page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")
os.environ.setdefault("NEWSROOM_BENCH", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

from bench.run import count_queries  # noqa: E402
from newsroom.channels.charts import month_chart, year_charts  # noqa: E402
from newsroom.finder.agenda import hub_counts  # noqa: E402
from newsroom.finder.figures import figure_totals  # noqa: E402
from newsroom.finder.query import ReleaseQuery, hub_entity  # noqa: E402
from newsroom.models import ListedRelease, NewsroomPage, Region, Sector  # noqa: E402


def timed(work, runs):
    work()  # warm the database's buffers and Python's caches
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    with count_queries() as queries:
        work()
    return statistics.median(timings), max(timings), queries.count


def cold_page(client, url, runs):
    def fetch():
        cache.clear()
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200, (url, response.status_code)

    return timed(fetch, runs)


def busiest(newsroom, name, model, **among):
    """The entity of ``model`` (within ``among``) with the most releases, from
    the stored counts the hub index reads, and that number."""
    counts = {row["entity_id"]: row["n"] for row in hub_counts(newsroom)[name]}
    candidates = model.objects.filter(pk__in=counts, **among)
    entity = max(candidates, key=lambda entity: counts[entity.pk], default=None)
    if entity is None:
        raise SystemExit(f"no {name} has releases: generate an archive first")
    return entity, counts[entity.pk]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    settings.DEBUG = False

    newsroom = NewsroomPage.objects.live().filter(locale__language_code="en").first()
    sector, sector_releases = busiest(newsroom, "sector", Sector, depth=1)
    province, province_releases = busiest(newsroom, "region", Region, depth=2)
    total = ListedRelease.objects.filter(newsroom=newsroom).count()
    factory = RequestFactory()
    client = Client()
    base = newsroom.url
    print(f"{total} listed releases; sector {sector.slug} has {sector_releases}\n")
    header = (
        f"{'work':44} {'p50 ms':>8} {'max ms':>8} {'queries':>8} "
        f"{'page p50':>9} {'share':>6}"
    )
    print(header)
    print("-" * len(header))

    def hub_chart(kind, entity):
        path = f"{base}{kind}/{entity.slug}/"
        request = factory.get(path, HTTP_HOST="localhost")

        query = ReleaseQuery(request, newsroom, kind, hub_entity(kind, entity.slug))

        def work():
            month_chart(query, path)

        return path, work

    def tracker_by_year():
        path = f"{base}figures/?group=year&sector={sector.slug}"
        request = factory.get(path, HTTP_HOST="localhost")

        def work():
            query = ReleaseQuery(request, newsroom)
            year_charts(figure_totals(query, "year", base))

        return path, work

    cases = [
        (
            f"hub chart, sector ({sector_releases} releases)",
            *hub_chart("sectors", sector),
        ),
        (
            f"hub chart, province ({province_releases} releases)",
            *hub_chart("regions", province),
        ),
        ("tracker totals + charts, year + sector", *tracker_by_year()),
    ]
    for label, url, work in cases:
        p50, worst, queries = timed(work, args.runs)
        page_p50, _, _ = cold_page(client, url, args.runs)
        print(
            f"{label:44} {p50:8.1f} {worst:8.1f} {queries:8d} "
            f"{page_p50:9.1f} {p50 / page_p50:6.0%}",
            flush=True,
        )
    print("\nshare: the chart's work against the whole cold page; target < 30 ms.")


if __name__ == "__main__":
    main()
