"""The number of queries a listing page makes does not grow with its results.

25 releases, each with two officials, sectors, regions, topics and regulations and
an organisation, rendered 5 and 20 to a page (a response-cache miss each time): the
same number of queries, within the budgets of PAGES.
"""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from newsroom.models import Official, Region
from tests.caches import empty_caches
from tests.factories import (
    AppointmentFactory,
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    make_official,
    make_release,
)

RELEASES = 25


@pytest.fixture(scope="module")
def _bulk_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        officials = [OfficialFactory(name=f"Bulk official {n}") for n in range(4)]
        for official in officials[:1]:
            for year in (2015, 2020):
                AppointmentFactory(
                    official=official, start_date=datetime.date(year, 1, 1)
                )
        organisations = [OrganisationFactory(name=f"Bulk org {n}") for n in range(3)]
        industry = SectorFactory(name="Bulk industry", slug="bulk-industry")
        sectors = [
            SectorFactory(name=f"Bulk sector {n}", parent=industry) for n in range(3)
        ]
        # Indonesia and two of its provinces, so that region pages draw the map.
        country = RegionFactory(name="Bulk country", slug="bulk-country", iso_code="ID")
        provinces = [
            RegionFactory(
                name=f"Bulk province {n}", parent=country, kemendagri_code=code
            )
            for n, code in enumerate(("72", "74"))
        ]
        regencies = [
            RegionFactory(name=f"Bulk regency {n}", parent=provinces[n % 2])
            for n in range(4)
        ]
        topics = [TopicFactory(name=f"bulk topic {n}") for n in range(4)]
        regulations = [RegulationFactory(year=2010 + n) for n in range(4)]
        # A chain for the hub to read: the newest amends one, revokes another.
        regulations[3].amends.set([regulations[0]])
        regulations[3].revokes.set([regulations[1]])
        regulations[3].save()
        for n in range(RELEASES):
            make_release(
                f"Bulk release {n}",
                release_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
                officials=[officials[0], officials[1 + n % 3]],
                sectors=[sectors[n % 3], sectors[(n + 1) % 3]],
                regions=[regencies[n % 4], provinces[(n + 1) % 2]],
                organisations=[organisations[n % 3]],
                topics=[topics[n % 4], topics[(n + 2) % 4]],
                regulations=[regulations[3], regulations[n % 3]],
            )
        yield {
            "official": officials[0].slug,
            "sector": sectors[0].slug,
            "regulation": regulations[3].slug,
            "regulations": [regulation.slug for regulation in regulations],
        }
        transaction.set_rollback(True)


@pytest.fixture
def bulk_world(_bulk_world, db):
    empty_caches()
    yield _bulk_world
    empty_caches()


def count_queries(client, url, params=None):
    """Queries to render a page afresh (not from the response cache)."""
    empty_caches()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries), response


def cards(response):
    return response.content.count(b'class="release-card"')


# name, URL, parameters, budget (measured on SQLite and PostgreSQL). Of the
# listing's 12: 4 are Wagtail finding the site, the locale, the home page and the
# newsroom (the home page routes to it in one query, which also brings the
# newsroom's translations for the language switcher and whether a view
# restriction is above it, so serving need not ask), 1 reads the content
# version, 1 reads the stored facet counts and total, 2 read the site's root paths
# for URLs, 2 load the page of cards (its ids, then the releases by id in a
# query compiled once: finder/query.py:hydrate) and 1 their officials, sectors
# and regions, and 1 reads the stored releases per month for the chart
# (channels/charts.py; a filtered page counts them with its facets instead).
# The chosen filters' slugs cost one query, however many facets they name; a
# search reads the counts live. A hub looks up its own entity and reads its
# ancestors, appointments or chain of amendments, and looks for the agenda whose
# upcoming events it shows (1; with no agenda, as here, nothing more;
# tests/agenda/test_query_budgets.py has one). Regulations, the sixth kind, cost
# what the others cost: ?regulation= what ?sector= does, their hub what a
# sector's does. An official's hub lists the counterparts met (finder/meetings.py):
# 3 more, the rows with their dates, the appointments, the officials.
PAGES = [
    ("listing", "/news/", {}, 12),
    (
        "filtered listing",
        "/news/",
        {"sector": "bulk-industry", "region": "bulk-country", "official": "OFFICIAL"},
        12,
    ),
    # On PostgreSQL a search first asks the planner whether its word is in
    # thousands of releases (EXPLAIN, no row read: finder/broad_search.py
    # clearly_broad), which spares such a word the exact statement.
    ("search", "/news/", {"q": "Bulk"}, 13),
    ("sector hub", "/news/sectors/bulk-industry/", {"region": "bulk-country"}, 15),
    ("official hub", "/news/officials/OFFICIAL/", {}, 18),
    ("regulation filter", "/news/", {"regulation": "REGULATION"}, 13),
    # Its chain (amends, amended by, revokes, revoked by) in one query.
    ("regulation hub", "/news/regulations/REGULATION/", {"region": "bulk-country"}, 15),
    # The map of provinces reads the counts the hub has: a region's hub costs
    # what a sector's does, with or without it.
    ("region hub", "/news/regions/bulk-country/", {"sector": "bulk-industry"}, 15),
    ("province hub", "/news/regions/bulk-province-0/", {}, 16),
]


@pytest.mark.parametrize(("name", "url", "params", "budget"), PAGES)
def test_query_count_does_not_grow_with_page_size(
    bulk_world, client, settings, name, url, params, budget
):
    def filled(text):
        text = text.replace("OFFICIAL", bulk_world["official"])
        return text.replace("REGULATION", bulk_world["regulation"])

    url = filled(url)
    params = {k: filled(v) for k, v in params.items()}
    client.get(url, params)  # warm the per-process caches (site root paths, ...)
    settings.NEWSROOM_PAGE_SIZE = 5
    small, response = count_queries(client, url, params)
    assert cards(response) == 5
    settings.NEWSROOM_PAGE_SIZE = 20
    large, response = count_queries(client, url, params)
    assert cards(response) == 20
    assert small == large, name
    assert large <= budget, (name, large)
    # page 2 costs the same as page 1
    second, _ = count_queries(client, url, {**params, "page": "2"})
    assert second == large, name


def test_more_chosen_options_cost_no_more_queries(bulk_world, client):
    """Neither more options of one facet nor options of more facets add a query:
    every chosen slug is looked up in one query. (One option is a hub's stored
    counts, whose chart of months is a query of its own; more are counted live,
    the months with the facets, a query fewer.)"""
    client.get("/news/")
    one, _ = count_queries(client, "/news/", {"topic": "bulk-topic-0"})
    three, _ = count_queries(
        client, "/news/", {"topic": ["bulk-topic-0", "bulk-topic-1", "bulk-topic-2"]}
    )
    assert three <= one
    three_facets, _ = count_queries(
        client,
        "/news/",
        {"topic": "bulk-topic-0", "sector": "bulk-industry", "region": "bulk-country"},
    )
    assert three_facets <= one
    regulations = bulk_world["regulations"]
    four_regulations, _ = count_queries(
        client, "/news/", {"topic": "bulk-topic-0", "regulation": regulations}
    )
    assert four_regulations <= one


def test_official_hub_query_count_does_not_grow_with_appointments(bulk_world, client):
    url = f"/news/officials/{bulk_world['official']}/"
    client.get(url)
    before, _ = count_queries(client, url)
    official = Official.objects.get(slug=bulk_world["official"])
    for year in (2005, 2008, 2011):
        AppointmentFactory(official=official, start_date=datetime.date(year, 1, 1))
    after, _ = count_queries(client, url)
    assert after == before


def test_official_hub_query_count_does_not_grow_with_counterparts(bulk_world, client):
    url = f"/news/officials/{bulk_world['official']}/"
    client.get(url)
    before, response = count_queries(client, url)
    official = Official.objects.get(slug=bulk_world["official"])
    for n in range(4):
        foreign = OrganisationFactory(name=f"Foreign ministry {n}")
        minister = ("Minister", foreign, "2020-01-01", None)
        other = make_official(f"Counterpart {n}", [minister])
        make_release(f"Talks {n}", officials=[official, other])
    after, response = count_queries(client, url)
    assert "Counterpart 3" in response.content.decode()
    assert after == before


def test_regulation_hub_query_count_does_not_grow_with_its_chain(bulk_world, client):
    from newsroom.models import Regulation

    url = f"/news/regulations/{bulk_world['regulation']}/"
    client.get(url)
    before, _ = count_queries(client, url)
    hub = Regulation.objects.get(slug=bulk_world["regulation"])
    older = [RegulationFactory(year=2000 + n, marked_public=True) for n in range(3)]
    hub.amends.add(*older[:2])
    hub.revokes.add(older[2])
    hub.save()
    after, response = count_queries(client, url)
    assert after == before
    assert older[2].name in response.content.decode()


def test_region_index_map_adds_no_query(bulk_world, client):
    """The map of provinces on the region index reads the index's own counts: the
    page costs what the sector index does, however many provinces it shades."""
    client.get("/news/regions/")
    regions, response = count_queries(client, "/news/regions/")
    assert b'class="region-map"' in response.content
    sectors, _ = count_queries(client, "/news/sectors/")
    assert regions == sectors
    country = Region.objects.get(slug="bulk-country")
    for code in ("11", "31", "51", "91", "93"):
        province = RegionFactory(parent=country, kemendagri_code=code)
        make_release(f"In province {code}", regions=[province])
    more, response = count_queries(client, "/news/regions/")
    # 72 and 74, then 11, 31, 51, and 91 and 93 on one shape (Papua's).
    assert response.content.count(b'class="region-map__area') == 6
    assert more == regions


# --- a release's downloads and contacts (#19) -----------------------------------
# Ceilings: the counts must be equal for 1 and 6 contacts and officials, and
# stay under these (Wagtail finding the site and page, the release's relations
# one query each, the renditions and images of the kit).
DOWNLOAD_BUDGETS = {"ninjs.json": 40, "release.pdf": 45, "press-kit.zip": 50}


def release_with_contacts(title, n):
    from newsroom.models import MediaContact, OrganisationContact, ReleaseContact

    organisation = OrganisationFactory(name=f"{title} org", boilerplate="About us.")
    contacts = [
        MediaContact.objects.create(
            name=f"{title} contact {i}", slug=f"{title}-contact-{i}", email="a@b.org"
        )
        for i in range(n)
    ]
    for i, contact in enumerate(contacts):
        OrganisationContact.objects.create(
            organisation=organisation, contact=contact, sort_order=i
        )
    officials = [OfficialFactory(name=f"{title} official {i}") for i in range(n)]
    page = make_release(
        title, slug=title, organisations=[organisation], officials=officials
    )
    ReleaseContact.objects.bulk_create(
        ReleaseContact(page=page, contact=contact, sort_order=i)
        for i, contact in enumerate(contacts)
    )
    return page


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(DOWNLOAD_BUDGETS))
def test_download_query_count_does_not_grow_with_contacts(client, newsroom, name):
    counts = []
    for title, n in (("small", 1), ("large", 6)):
        page = release_with_contacts(title, n)
        empty_caches()
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"{page.url}{name}")
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], (name, counts)
    assert counts[1] <= DOWNLOAD_BUDGETS[name], (name, counts)


@pytest.mark.django_db
def test_vcard_query_count(client, newsroom):
    release_with_contacts("vcard", 2)
    empty_caches()
    with CaptureQueriesContext(connection) as context:
        assert client.get("/news/contacts/vcard-contact-0.vcf").status_code == 200
    assert len(context.captured_queries) <= 12, len(context.captured_queries)
