"""The Atom feeds: /news/feed/ and each hub's feed/, with the listing's parameters."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from newsroom.channels import feeds
from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import Correction, PressReleasePage
from tests.factories import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    make_release,
)
from tests.module_data import built_once

JAKARTA = ZoneInfo("Asia/Jakarta")
SITE_NAME = "Ministry of Industry Newsroom"
SMELTER = "Smelter governance in Morowali"
STEEL = "Steel cooperation with China"
BATTERY = "Battery plant opens"


@pytest.fixture(autouse=True)
def _fixed_settings(settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    settings.WAGTAIL_SITE_NAME = SITE_NAME


def build_world():
    ensure_site_tree()
    mining = SectorFactory(name="Mining")
    smelting = SectorFactory(name="Nickel Smelting", parent=mining)
    steel = SectorFactory(name="Steel")
    indonesia = RegionFactory(name="Indonesia", iso_code="ID")
    sulawesi = RegionFactory(name="Central Sulawesi", parent=indonesia)
    china = RegionFactory(name="China", iso_code="CN")
    nickel, lithium = TopicFactory(name="nickel"), TopicFactory(name="lithium")
    ministry = OrganisationFactory(name="Ministry of Industry")
    miit = OrganisationFactory(name="MIIT")
    eko = OfficialFactory(name="Eko S.A. Cahyanto")
    wang = OfficialFactory(name="Wang Jiangping")
    mining_law = RegulationFactory(type="law", number="3", year=2020)
    ghost = RegulationFactory(type="presidential_regulation", number="9", year=2024)
    smelter = make_release(
        SMELTER,
        datetime.date(2024, 9, 27),
        officials=[(eko, "Secretary General", True)],
        sectors=[smelting],
        regions=[sulawesi],
        organisations=[ministry],
        topics=[nickel],
        regulations=[mining_law],
        standfirst="The Ministry met investors on smelter governance.",
    )
    steel_release = make_release(
        STEEL,
        datetime.date(2024, 6, 10),
        officials=[wang],
        sectors=[steel],
        regions=[china],
        organisations=[miit, ministry],
    )
    battery = make_release(
        BATTERY,
        datetime.date(2023, 3, 1),
        sectors=[mining],
        regions=[indonesia],
        topics=[lithium],
        regulations=[mining_law],
        standfirst="A lithium battery plant opened.",
    )
    # Never in a feed: a draft, a withdrawn release and a private one.
    make_release(
        "Draft smelter note",
        sectors=[smelting],
        regulations=[mining_law, ghost],
        live=False,
    )
    make_release(
        "Withdrawn smelter note",
        sectors=[smelting],
        withdrawn=True,
        withdrawn_on=datetime.date(2024, 10, 1),
        withdrawal_reason="Issued in error.",
    )
    private = make_release("Private smelter note", sectors=[smelting])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    return SimpleNamespace(
        smelter=smelter, steel=steel_release, battery=battery, eko=eko, wang=wang
    )


world = built_once(build_world)


def get_feed(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def titles(parsed):
    return [entry.title for entry in parsed.entries]


@pytest.mark.django_db
def test_feed_is_valid_atom_with_every_published_release(client, world):
    parsed = get_feed(client, "/news/feed/")

    assert parsed.version == "atom10"
    assert parsed.feed.title == "All releases"
    assert SITE_NAME in parsed.feed.subtitle
    assert titles(parsed) == [
        SMELTER,
        STEEL,
        BATTERY,
    ]


@pytest.mark.django_db
def test_entry_carries_the_release_metadata(client, world):
    entry = get_feed(client, "/news/feed/").entries[0]

    assert entry.link == world.smelter.full_url
    assert entry.link.startswith("http")
    assert entry.summary == "The Ministry met investors on smelter governance."
    assert entry.published == "2024-09-27T00:00:00+07:00"
    assert entry.updated == entry.published
    assert {tag.term for tag in entry.tags} == {
        "Nickel Smelting",
        "Central Sulawesi",
        "nickel",
    }
    assert entry.author == "Ministry of Industry"
    assert entry.id.startswith("tag:") and entry.id.endswith(f":{world.smelter.pk}")


@pytest.mark.django_db
def test_entry_author_is_first_organisation_else_site_name(client, world):
    entries = {entry.title: entry for entry in get_feed(client, "/news/feed/").entries}

    assert entries[STEEL].author == "MIIT"
    assert entries[BATTERY].author == SITE_NAME


@pytest.mark.django_db
def test_updated_is_the_latest_correction(client, world):
    release = PressReleasePage.objects.get(pk=world.steel.pk)
    latest = datetime.datetime(2024, 10, 2, 9, 30, tzinfo=JAKARTA)
    release.corrections.add(
        Correction(date=datetime.datetime(2024, 6, 12, tzinfo=JAKARTA), note="Typo.")
    )
    release.corrections.add(Correction(date=latest, note="Investment figure."))
    release.save_revision().publish()

    parsed = get_feed(client, "/news/feed/")
    entries = {entry.title: entry for entry in parsed.entries}

    corrected = entries[STEEL]
    assert corrected.published == "2024-06-10T00:00:00+07:00"
    assert corrected.updated == "2024-10-02T09:30:00+07:00"
    assert entries[BATTERY].updated == "2023-03-01T00:00:00+07:00"
    # The feed was last updated when its newest entry was.
    assert parsed.feed.updated == "2024-10-02T09:30:00+07:00"


@pytest.mark.django_db
def test_summary_is_text_with_the_corrections_after_the_standfirst(client, world):
    release = PressReleasePage.objects.get(pk=world.battery.pk)
    release.corrections.add(
        Correction(
            date=datetime.datetime(2023, 3, 8, 23, 0, tzinfo=datetime.UTC),
            note="The plant's capacity is <b>10 GWh</b>, not 1 GWh.",
        )
    )
    release.corrections.add(
        Correction(date=datetime.datetime(2023, 3, 2, tzinfo=JAKARTA), note="Typo.")
    )
    release.save_revision().publish()

    response = client.get("/news/feed/")
    entry = {e.title: e for e in feedparser.parse(response.content).entries}[BATTERY]

    # Oldest first, each dated in Jakarta (23:00 UTC on the 8th is the 9th there).
    assert entry.summary == (
        "A lithium battery plant opened.\n\n"
        "Updated 2 March 2023: Typo.\n\n"
        "Updated 9 March 2023: The plant's capacity is <b>10 GWh</b>, not 1 GWh."
    )
    assert entry.summary_detail.type == "text/plain"
    assert b'<summary type="text">' in response.content
    assert b"&lt;b&gt;10 GWh&lt;/b&gt;" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"sector": "mining"},
            [SMELTER, BATTERY],
        ),
        (
            {"region": "indonesia", "topic": "nickel"},
            [SMELTER],
        ),
        (
            {"official": ["wang-jiangping", "eko-sa-cahyanto"]},
            [SMELTER, STEEL],
        ),
        ({"organisation": "miit"}, [STEEL]),
        ({"regulation": "law-3-2020"}, [SMELTER, BATTERY]),
        ({"regulation": "law-3-2020", "sector": "steel"}, []),
        ({"from": "2024-06-10", "to": "2024-09-26"}, [STEEL]),
        (
            {"sort": "oldest"},
            [
                BATTERY,
                STEEL,
                SMELTER,
            ],
        ),
        ({"q": "lithium"}, [BATTERY]),
        ({"q": "smelter", "sector": "steel"}, []),
    ],
)
def test_feed_takes_the_listing_parameters(client, world, params, expected):
    assert titles(get_feed(client, "/news/feed/", params)) == expected


@pytest.mark.django_db
def test_title_describes_the_filters(client, world):
    parsed = get_feed(
        client,
        "/news/feed/",
        {"sector": "nickel-smelting", "region": "central-sulawesi", "page": "3"},
    )

    assert parsed.feed.title == "Releases on Nickel Smelting in Central Sulawesi"
    assert "newest first" in parsed.feed.subtitle
    # The alternate link is the HTML listing with the same filters, not the page.
    alternate = next(link for link in parsed.feed.links if link.rel == "alternate")
    assert alternate.href == (
        f"{world.smelter.get_parent().full_url}"
        "?sector=nickel-smelting&region=central-sulawesi"
    )


@pytest.mark.django_db
def test_title_joins_values_of_one_parameter_with_or(client, world):
    parsed = get_feed(
        client,
        "/news/feed/",
        {"official": ["eko-sa-cahyanto", "wang-jiangping"], "from": "2024-01-01"},
    )

    assert parsed.feed.title == (
        "Releases with Eko S.A. Cahyanto or Wang Jiangping from 1 January 2024"
    )


@pytest.mark.django_db
def test_title_names_the_regulation_cited(client, world):
    parsed = get_feed(
        client, "/news/feed/", {"regulation": "law-3-2020", "topic": "lithium"}
    )

    assert titles(parsed) == [BATTERY]
    assert parsed.feed.title == "Releases on lithium citing Law No. 3 of 2020"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"sector": "no-such-sector"}, "sector"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"regulation": "law-99-2020"}, "regulation"),
        # cited by a draft only: not a regulation readers may know of
        ({"regulation": "presidential-regulation-9-2024"}, "regulation"),
        ({"from": "2024-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"sort": "random"}, "sort"),
    ],
)
def test_bad_parameter_is_a_plain_text_400(client, world, params, parameter):
    response = client.get("/news/feed/", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"“{parameter}”" in response.content.decode()


@pytest.mark.django_db
def test_hub_feed_is_scoped_to_the_entity_and_its_descendants(client, world):
    parsed = get_feed(client, "/news/sectors/mining/feed/")

    assert parsed.feed.title == "Releases: Mining"
    assert titles(parsed) == [SMELTER, BATTERY]


@pytest.mark.django_db
def test_hub_feed_takes_filters_within_its_scope(client, world):
    parsed = get_feed(client, "/news/officials/eko-sa-cahyanto/feed/")
    assert titles(parsed) == [SMELTER]
    assert parsed.feed.title == "Releases: Eko S.A. Cahyanto"

    narrowed = get_feed(
        client, "/news/officials/eko-sa-cahyanto/feed/", {"region": "china"}
    )
    assert titles(narrowed) == []
    assert narrowed.feed.title == "Releases: Eko S.A. Cahyanto — in China"


@pytest.mark.django_db
def test_regulation_hub_feed(client, world):
    parsed = get_feed(client, "/news/regulations/law-3-2020/feed/")
    assert parsed.feed.title == "Releases: Law No. 3 of 2020"
    assert titles(parsed) == [SMELTER, BATTERY]  # not the draft citing it

    narrowed = get_feed(
        client, "/news/regulations/law-3-2020/feed/", {"region": "central-sulawesi"}
    )
    assert titles(narrowed) == [SMELTER]
    assert narrowed.feed.title == "Releases: Law No. 3 of 2020 — in Central Sulawesi"


@pytest.mark.django_db
def test_hub_feed_of_unknown_entity_is_404(client, world):
    assert client.get("/news/sectors/no-such-sector/feed/").status_code == 404
    assert client.get("/news/topics/no-such-topic/feed/").status_code == 404
    assert client.get("/news/regulations/law-99-2020/feed/").status_code == 404
    # cited by a draft only
    ghost = "/news/regulations/presidential-regulation-9-2024/feed/"
    assert client.get(ghost).status_code == 404


@pytest.mark.django_db
def test_feed_holds_at_most_feed_size_newest_entries(client, world, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)

    assert titles(get_feed(client, "/news/feed/")) == [
        SMELTER,
        STEEL,
    ]


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_entries(client, world):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            get_feed(client, "/news/feed/")
        return len(queries)

    count_queries()  # warms the per-process caches (site root paths)
    before = count_queries()
    sector, region = SectorFactory(name="Cement"), RegionFactory(name="Banten")
    for day in range(1, 5):
        release = make_release(
            f"Cement release {day}",
            datetime.date(2022, 1, day),
            officials=[world.eko],
            sectors=[sector],
            regions=[region],
            organisations=[OrganisationFactory()],
            topics=[TopicFactory()],
            regulations=[RegulationFactory()],
        )
        release.corrections.add(Correction(note="Fixed."))
        release.save_revision().publish()

    assert len(get_feed(client, "/news/feed/").entries) == 7
    assert count_queries() == before
