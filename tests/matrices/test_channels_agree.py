"""One filter definition, every channel: for the same query parameters the listing,
the Atom feed, the CSV export and the API return the same releases in the same order.
"""

import csv
import datetime
import io

import feedparser
import pytest
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from newsroom import kinds
from newsroom.channels.exports import serve_export_csv
from newsroom.editorial.site_tree import ensure_site_tree
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


def build_world():
    ensure_site_tree()
    mining = SectorFactory(name="Mining")
    smelting = SectorFactory(name="Nickel Smelting", parent=mining)
    steel = SectorFactory(name="Steel")
    solar = SectorFactory(name="Photovoltaics")
    indonesia = RegionFactory(name="Indonesia")
    sulawesi = RegionFactory(name="Central Sulawesi", parent=indonesia)
    morowali = RegionFactory(name="Morowali Regency", parent=sulawesi)
    maluku = RegionFactory(name="North Maluku", parent=indonesia)
    china = RegionFactory(name="China")
    nickel, cobalt = TopicFactory(name="nickel"), TopicFactory(name="cobalt")
    green = TopicFactory(name="green industry")
    ministry = OrganisationFactory(name="Ministry of Industry")
    miit = OrganisationFactory(name="MIIT")
    eko = OfficialFactory(name="Eko S.A. Cahyanto")
    wang = OfficialFactory(name="Wang Jiangping")
    agus = OfficialFactory(name="Agus Gumiwang Kartasasmita")
    mining_law = RegulationFactory(type="law", number="4", year=2009)
    amendment = RegulationFactory(
        type="law", number="3", year=2020, amends=[mining_law]
    )
    business = RegulationFactory(type="government_regulation", number="96", year=2021)
    cited = {  # title: the regulations it cites
        "Smelter governance in Morowali": [amendment, business],
        "Cobalt processing in North Maluku": [amendment],
        "Steel output rises": [business],
        "Nickel ore export rules": [mining_law, business],
        "Industrial estates audit": [mining_law],
    }
    rows = [
        # title, date, officials, sectors, regions, organisations, topics
        ("Smelter governance in Morowali", (2024, 9, 27), [eko, wang],
         [smelting], [morowali], [ministry, miit], [nickel]),
        ("Photovoltaics cooperation with China", (2024, 9, 27), [eko],
         [solar], [china], [miit], [green]),
        ("Beijing meeting on green industry", (2024, 6, 5), [agus],
         [steel, solar], [china], [ministry, miit], [green, nickel]),
        ("Cobalt processing in North Maluku", (2024, 3, 12), [agus],
         [mining], [maluku], [ministry], [cobalt, nickel]),
        ("Steel output rises", (2023, 11, 30), [],
         [steel], [indonesia], [ministry], []),
        ("Nickel ore export rules", (2023, 2, 1), [eko],
         [smelting, steel], [sulawesi], [], [nickel]),
        ("Industrial estates audit", (2022, 7, 19), [wang, agus],
         [], [sulawesi, maluku], [miit], [green]),
    ]  # fmt: skip
    for title, date, officials, sectors, regions, organisations, topics in rows:
        make_release(
            title,
            datetime.date(*date),
            officials=officials,
            sectors=sectors,
            regions=regions,
            organisations=organisations,
            topics=topics,
            regulations=cited.get(title, []),
            standfirst=f"{title}: what the Ministry said about it.",
        )
    make_release(
        "Draft nickel note",
        sectors=[smelting],
        topics=[nickel],
        regulations=[amendment, business],
        live=False,
    )
    make_release(
        "Withdrawn nickel note",
        sectors=[smelting],
        topics=[nickel],
        withdrawn=True,
        withdrawn_on=datetime.date(2024, 10, 1),
        withdrawal_reason="Issued in error.",
    )
    private = make_release("Private nickel note", sectors=[smelting], topics=[nickel])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )


world = built_once(build_world)


# --- each channel's answer, as a list of release titles ---------------------------


def listing_titles(client, path, params):
    titles, page = [], 1
    while True:
        response = client.get(path, {**params, "page": page})
        assert response.status_code == 200
        titles += [release.title for release in response.context["releases"]]
        page_obj = response.context["page_obj"]
        if not page_obj.has_next():
            assert len(titles) == page_obj.paginator.count
            return titles
        page += 1


def feed_titles(client, path, params):
    response = client.get(f"{path}feed/", params)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    return [entry.title for entry in parsed.entries]


def csv_titles(params):
    response = serve_export_csv(
        RequestFactory().get("/news/export.csv", params), "news/"
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return [row["title"] for row in csv.DictReader(io.StringIO(text))]


def api_titles(client, params):
    response = client.get("/api/v2/releases/", {**params, "limit": 100})
    assert response.status_code == 200
    data = response.json()
    titles = [item["title"] for item in data["items"]]
    assert data["meta"]["total_count"] == len(titles)
    return titles


QUERIES = [
    {},
    {"sector": "mining"},
    {"sector": ["steel", "photovoltaics"]},
    {"region": "central-sulawesi"},
    {"region": ["china", "north-maluku"], "topic": "nickel"},
    {"official": ["eko-sa-cahyanto", "agus-gumiwang-kartasasmita"]},
    {"official": "wang-jiangping", "organisation": "miit"},
    {"organisation": "ministry-of-industry", "sector": "steel", "region": "indonesia"},
    {"topic": ["green-industry", "cobalt"], "from": "2024-03-12", "to": "2024-09-27"},
    {"from": "2023-02-01", "to": "2023-11-30", "sort": "oldest"},
    {"sort": "oldest"},
    {"q": "nickel"},
    {"q": "industry", "sort": "newest"},
    {"q": "nickel", "region": "indonesia", "sort": "oldest"},
    {"sector": "mining", "utm_source": "newsletter"},
    {"regulation": "law-3-2020"},
    {"regulation": ["law-4-2009", "government-regulation-96-2021"], "sort": "oldest"},
    {"regulation": "government-regulation-96-2021", "sector": "steel"},
    {"regulation": "law-4-2009", "q": "audit"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("params", QUERIES)
def test_listing_feed_csv_and_api_agree(client, world, params):
    listing = listing_titles(client, "/news/", params)

    assert feed_titles(client, "/news/", params) == listing
    assert csv_titles(params) == listing
    assert api_titles(client, params) == listing
    # The queries are chosen to find something, and never a hidden release.
    assert listing
    assert not any(title.endswith("note") for title in listing)


HUBS = [
    ("sectors", "mining", "sector", {}),
    ("regions", "indonesia", "region", {"sector": "steel"}),
    ("officials", "agus-gumiwang-kartasasmita", "official", {"sort": "oldest"}),
    ("topics", "nickel", "topic", {"q": "nickel"}),
    ("organisations", "miit", "organisation", {"from": "2024-01-01"}),
    ("regulations", "government-regulation-96-2021", "regulation", {}),
    ("regulations", "law-4-2009", "regulation", {"region": "indonesia"}),
]
assert {hub[0] for hub in HUBS} == set(kinds.SEGMENTS), "a hub kind is missing here"


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "slug", "facet", "params"), HUBS)
def test_hub_and_its_feed_agree_with_the_filtered_api(
    client, world, kind, slug, facet, params
):
    hub = f"/news/{kind}/{slug}/"
    listing = listing_titles(client, hub, params)

    assert listing
    assert feed_titles(client, hub, params) == listing
    assert api_titles(client, {**params, facet: slug}) == listing
    assert csv_titles({**params, facet: slug}) == listing


@pytest.mark.django_db
def test_a_bad_parameter_is_a_form_error_in_html_and_a_400_elsewhere(client, world):
    params = {"sector": "atlantis"}

    page = client.get("/news/", params)
    assert page.status_code == 200
    assert "sector" in page.context["form"].errors
    assert client.get("/news/feed/", params).status_code == 400
    assert client.get("/api/v2/releases/", params).status_code == 400
    request = RequestFactory().get("/news/export.csv", params)
    assert serve_export_csv(request, "news/").status_code == 400
