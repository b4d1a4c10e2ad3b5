"""What a page of the agenda costs in queries does not grow with its events.

Each page is read afresh (a response-cache miss) with 4 events and again with
16, every event linking two officials, sectors and regions, an organisation, a
topic and a regulation, with a change in its log: the same number of queries
both times, within the budget of PAGES (measured on SQLite and PostgreSQL).
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    default_agenda,
    make_event,
    make_release,
)

# name, path, parameters, budget: as measured, the same on SQLite and PostgreSQL.
# Of the listing's 13: 3 find the content version, the site and its locale, 3
# route through the home page and the newsroom to the agenda (which comes with
# its translations and whether a view restriction is above it), 1 reads the
# stored facet counts, 2 the site's root paths and the newsroom for the
# breadcrumb, 1 the page of rows, 1 their events and 1 the officials and regions
# their cards name (links with their entities). Chosen filters cost 1 query
# (their slugs, whatever their number) and counts read live instead of stored.
# Calendars and the feed read the change logs (1). The event page routes one
# level deeper (2), reads every kind's links with their entities (1, where a
# prefetch per kind and entity took 12), its change log (1), its published
# outcomes (1) and its breadcrumb (2). The upcoming block of a hub or the home
# page finds the agenda (1) and reads its rows, events and cards' links (3).
PAGES = [
    ("listing", "/news/agenda/", {}, 13),
    (
        "filtered listing",
        "/news/agenda/",
        {"sector": "bulk-industry", "region": "bulk-country", "official": "bulk-0"},
        14,
    ),
    ("search", "/news/agenda/", {"q": "Bulk"}, 13),
    ("calendar", "/news/agenda/calendar.ics", {}, 13),
    ("filtered calendar", "/news/agenda/calendar.ics", {"sector": "bulk-industry"}, 14),
    ("hub calendar", "/news/sectors/bulk-industry/calendar.ics", {}, 13),
    ("feed", "/news/agenda/feed/", {}, 13),
    ("hub with upcoming events", "/news/sectors/bulk-industry/", {}, 17),
    ("home with upcoming events", "/", {}, 16),
    ("event page", "EVENT", {}, 16),
    ("event calendar", "EVENTcalendar.ics", {}, 14),
]
FEW, MANY = 4, 16


@pytest.fixture(scope="module")
def _bulk_agenda(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        agenda = default_agenda()
        officials = [OfficialFactory(name=f"Bulk {n}") for n in range(3)]
        industry = SectorFactory(name="Bulk industry", slug="bulk-industry")
        sectors = [
            SectorFactory(name=f"Bulk sector {n}", parent=industry) for n in (0, 1)
        ]
        country = RegionFactory(name="Bulk country", slug="bulk-country")
        regions = [
            RegionFactory(name=f"Bulk region {n}", parent=country) for n in (0, 1)
        ]
        organisation = OrganisationFactory(name="Bulk agency")
        topic = TopicFactory(name="bulk topic")
        regulation = RegulationFactory()
        outcome = make_release("Bulk outcome", sectors=[industry])

        def add(n):
            event = make_event(
                f"Bulk event {n}",
                start=timezone.now() + datetime.timedelta(days=n + 1),
                end=datetime.timedelta(hours=2),
                zone=["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"][n % 3],
                slug=f"bulk-event-{n}",
                place=f"Hall {n}",
                officials=[(officials[0], "Host"), officials[1 + n % 2]],
                sectors=sectors,
                regions=regions,
                organisations=[organisation],
                topics=[topic],
                regulations=[regulation],
                parent=agenda,
                live=False,
            )
            event.changes.create(change="moved", reason="The hall was booked.")
            event.outcomes.create(release=outcome)
            event.save_revision().publish()

        yield add
        transaction.set_rollback(True)


def count_queries(client, path, params):
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params)
    assert response.status_code == 200, (path, response.status_code)
    return len(context.captured_queries)


def event_path(path):
    return path.replace("EVENT", "/news/agenda/bulk-event-0/")


@pytest.fixture(scope="module")
def _counts(_bulk_agenda, django_db_blocker):
    """Every page's queries with FEW events and then with MANY, measured once for
    the module: the events are built once (16 publishes), not once per page."""
    client = Client()
    counts = {}
    with django_db_blocker.unblock():
        for n in range(FEW):
            _bulk_agenda(n)
        for name, path, params, _ in PAGES:
            client.get(event_path(path), params)  # warm per-process caches
            counts[name] = [count_queries(client, event_path(path), params)]
        for n in range(FEW, MANY):
            _bulk_agenda(n)
        for name, path, params, _ in PAGES:
            counts[name].append(count_queries(client, event_path(path), params))
    return counts


@pytest.mark.parametrize(("name", "path", "params", "budget"), PAGES)
def test_queries_do_not_grow_with_the_events(_counts, db, name, path, params, budget):
    few, many = _counts[name]
    assert few == many, (name, few, many)
    assert many <= budget, (name, many, budget)
