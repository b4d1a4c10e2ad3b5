"""Email alerts, matching: the FilterSet decides which filters a release matches;
the bulk matching (candidate filters by their terms, then UNION ALL of FilterSet
querysets) must agree with asking it one filter at a time."""

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.alerts import criteria, matching, subscribing
from newsroom.finder.filterset import ReleaseFilterSet
from newsroom.models import AlertSubscription, PressReleasePage
from tests.factories import (
    FILTER_WORLD_OFFICIALS,
    FILTER_WORLD_REGIONS,
    FILTER_WORLD_REGULATIONS,
    FILTER_WORLD_SECTORS,
    FILTER_WORLD_TOPICS,
)


def subscribe(email, query):
    subscribing.confirm_subscription(
        {"e": email, "q": query, "f": "immediate", "l": "en"}
    )


def test_bulk_matching_agrees_with_the_filterset_for_every_filter(filter_world):
    """Over a hundred distinct filters, each asked of ReleaseFilterSet on its own,
    give the same answer as the bulk matching, for every release of the filter
    world (hidden ones included)."""
    queries = {""}
    for sector in FILTER_WORLD_SECTORS:
        queries.add(f"sector={sector}")
        for region in FILTER_WORLD_REGIONS:
            queries.add(f"sector={sector}&region={region}")
    for official in FILTER_WORLD_OFFICIALS:
        queries.add(f"official={official}&from=2023-01-01")
        for topic in FILTER_WORLD_TOPICS:
            queries.add(f"official={official}&topic={topic}")
    for regulation in FILTER_WORLD_REGULATIONS:  # the ghost and the uncited too
        queries.add(f"regulation={regulation}")
        queries.add(f"regulation={regulation}&from=2023-06-30")
        for sector in ("metals", "nickel-smelting", "energy"):
            queries.add(f"regulation={regulation}&sector={sector}")
    queries |= {
        "q=tungsten",
        "q=zeolite&sector=steel",
        "q=zirconium",
        "organisation=miit&organisation=bip",
        "region=china&to=2024-06-30",
        "regulation=law-3-2020&regulation=law-4-2009",
        "regulation=presidential-regulation-55-2019&topic=lithium",
        "q=tungsten&regulation=presidential-regulation-55-2019",
    }
    for number, query in enumerate(sorted(queries)):
        subscribe(f"reader{number}@example.org", criteria.canonical_query(query))
    assert AlertSubscription.objects.count() > 120

    filters = {s.filter for s in AlertSubscription.objects.select_related("filter")}
    # Each filter's results, asked once: no release changes in the database below.
    selected = {
        alert_filter.pk: {
            release.pk
            for release in ReleaseFilterSet(
                QueryDict(alert_filter.query),
                queryset=PressReleasePage.objects.published(),
            ).results()
        }
        for alert_filter in filters
    }
    releases = [*filter_world.releases.values(), *filter_world.hidden.values()]
    for release in releases:
        release = PressReleasePage.objects.get(pk=release.pk)
        release.first_published_at = timezone.now()
        expected = {pk for pk, chosen in selected.items() if release.pk in chosen}
        with CaptureQueriesContext(connection) as queries:
            candidates = matching.candidate_filters(release)
            matched = set(matching.matching_filter_ids(release, candidates))
        assert matched == expected, release.title
        # Only filters naming the release's own entities are asked of the
        # FilterSet (a query or two each to read their slugs), and those without
        # full text all at once.
        assert len(candidates) < len(filters) // 2
        assert len(queries) <= 2 * len(candidates) + 12, len(queries)
