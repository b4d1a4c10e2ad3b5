"""/news/export.csv: the filtered releases as CSV, streamed in hydrated chunks."""

import csv
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from newsroom import kinds
from newsroom.channels import exports
from newsroom.channels.exports import HEADER, safe_cell, serve_export_csv
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

SMELTER = "Smelter governance in Morowali"
STEEL = "Steel cooperation with China"
BATTERY = "Battery plant opens"
# The columns in the order published: readers' spreadsheets rely on it, so a new
# kind's column goes last (regulations came after key_figures, then the regions'
# Kemendagri codes).
EXPECTED_HEADER = [
    "date",
    "title",
    "url",
    "reference",
    "dateline",
    "officials",
    "organisations",
    "sectors",
    "regions",
    "topics",
    "key_figures",
    "regulations",
    "region_codes",
]


def key_figures(*figures):
    return [
        (
            "key_figures",
            [
                {"value": Decimal(value), "unit": unit, "is_currency": currency}
                | {"label": label}
                for label, value, unit, currency in figures
            ],
        )
    ]


def build_world():
    newsroom = ensure_site_tree()
    mining = SectorFactory(name="Mining")
    smelting = SectorFactory(name="Nickel Smelting", parent=mining)
    steel = SectorFactory(name="Steel")
    sulawesi = RegionFactory(name="Central Sulawesi", iso_code="ID-ST")
    china = RegionFactory(name="China", iso_code="CN")
    eko = OfficialFactory(name="Eko S.A. Cahyanto")
    wang = OfficialFactory(name="Wang Jiangping")
    mining_law = RegulationFactory(type="law", number="3", year=2020)
    business = RegulationFactory(type="government_regulation", number="96", year=2021)
    smelter = make_release(
        SMELTER,
        datetime.date(2024, 9, 27),
        officials=[(eko, "Secretary General", True), wang],
        sectors=[smelting, steel],
        regions=[sulawesi, china],
        organisations=[
            OrganisationFactory(name="Ministry of Industry"),
            OrganisationFactory(name="MIIT"),
        ],
        topics=[TopicFactory(name="nickel"), TopicFactory(name="downstreaming")],
        regulations=[mining_law, business],
        reference="123/HUMAS/IX/2024",
        dateline="Jakarta",
        body=key_figures(
            ("investment", "1200000000", "USD", True),
            ("jobs", "3000", "jobs", False),
        ),
    )
    make_release(STEEL, datetime.date(2024, 6, 10), sectors=[steel], regions=[china])
    make_release(
        BATTERY, datetime.date(2023, 3, 1), sectors=[mining], standfirst="Lithium."
    )
    make_release(
        "Draft smelter note",
        sectors=[smelting],
        regulations=[mining_law, RegulationFactory(type="law", number="9", year=2024)],
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
    return SimpleNamespace(newsroom=newsroom, smelter=smelter)


world = built_once(build_world)


def export(params=None, path="news/"):
    """The response of GET /news/export.csv, through the newsroom's own route."""
    request = RequestFactory().get(f"/{path}export.csv", params or {})
    return serve_export_csv(request, path)


def read_rows(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    assert next(reader) == EXPECTED_HEADER
    return [dict(zip(EXPECTED_HEADER, row, strict=True)) for row in reader]


def exported_titles(params=None):
    return [row["title"] for row in read_rows(export(params))]


def test_the_columns_keep_their_published_order():
    assert HEADER == EXPECTED_HEADER


@pytest.mark.django_db
def test_export_is_a_streamed_csv_attachment(world):
    response = export()

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="newsroom-releases.csv"'
    )


@pytest.mark.django_db
def test_one_row_per_published_release_newest_first(world):
    assert exported_titles() == [SMELTER, STEEL, BATTERY]


@pytest.mark.django_db
def test_row_holds_every_column(world):
    from newsroom.models import Region

    Region.objects.filter(name="Central Sulawesi").update(kemendagri_code="72")
    row = read_rows(export())[0]

    assert row == {
        "date": "2024-09-27",
        "title": SMELTER,
        "url": world.smelter.full_url,
        "reference": "123/HUMAS/IX/2024",
        "dateline": "Jakarta",
        "officials": "Eko S.A. Cahyanto (Secretary General); Wang Jiangping",
        "organisations": "Ministry of Industry; MIIT",
        "sectors": "Nickel Smelting; Steel",
        "regions": "Central Sulawesi; China",
        "topics": "downstreaming; nickel",
        "key_figures": "investment: USD 1.2 billion; jobs: 3,000 jobs",
        "regulations": "Law No. 3 of 2020; Government Regulation No. 96 of 2021",
        # In the regions' order; China has none.
        "region_codes": "72; ",
    }
    assert row["url"].startswith("http")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "mining"}, [SMELTER, BATTERY]),
        ({"sector": "steel", "region": "central-sulawesi"}, [SMELTER]),
        ({"official": ["wang-jiangping", "eko-sa-cahyanto"]}, [SMELTER]),
        ({"from": "2023-03-01", "to": "2024-06-10"}, [STEEL, BATTERY]),
        ({"sort": "oldest"}, [BATTERY, STEEL, SMELTER]),
        ({"q": "lithium"}, [BATTERY]),
        ({"q": "steel", "sort": "oldest"}, [STEEL, SMELTER]),
        ({"q": "smelter", "topic": "nickel"}, [SMELTER]),
        ({"regulation": "law-3-2020"}, [SMELTER]),
        ({"regulation": "law-3-2020", "sector": "mining", "sort": "oldest"}, [SMELTER]),
    ],
)
def test_export_takes_the_listing_parameters(world, params, expected):
    assert exported_titles(params) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"region": "atlantis"}, "region"),
        ({"regulation": "law-99-2020"}, "regulation"),
        ({"regulation": "law-9-2024"}, "regulation"),  # cited by a draft only
        ({"from": "27/09/2024"}, "from"),
        ({"from": "2024-10-01", "to": "2024-09-01"}, "to"),
    ],
)
def test_bad_parameter_is_a_plain_text_400(world, params, parameter):
    response = export(params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"“{parameter}”" in response.content.decode()


@pytest.mark.django_db
def test_rows_are_hydrated_a_chunk_at_a_time(world, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    for day in range(1, 4):
        make_release(f"Extra release {day}", datetime.date(2020, 1, day))
    chunks = []
    hydrate = exports.hydrate

    def spy(releases):
        loaded = hydrate(releases)
        chunks.append([release.title for release in loaded])
        return loaded

    monkeypatch.setattr(exports, "hydrate", spy)

    titles = exported_titles({"sort": "oldest"})

    assert titles == [
        "Extra release 1",
        "Extra release 2",
        "Extra release 3",
        BATTERY,
        STEEL,
        SMELTER,
    ]
    assert chunks == [titles[0:2], titles[2:4], titles[4:6]]


@pytest.mark.django_db
def test_search_results_are_chunked_in_order(world, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1)

    assert exported_titles({"q": "steel", "sort": "newest"}) == [SMELTER, STEEL]


@pytest.mark.django_db
def test_formula_cells_are_neutralised(world):
    make_release(
        '=HYPERLINK("http://evil.example","click")',
        datetime.date(2025, 1, 1),
        slug="formula",
        reference="+62 21 525 5509",
        dateline="@Jakarta",
        sectors=[SectorFactory(name="-Cement")],
    )

    row = read_rows(export())[0]

    assert row["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["reference"] == "'+62 21 525 5509"
    assert row["dateline"] == "'@Jakarta"
    assert row["sectors"] == "'-Cement"
    assert row["date"] == "2025-01-01"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Jakarta = capital", "Jakarta = capital"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_export_of_unknown_path_is_404(world):
    from django.http import Http404

    with pytest.raises(Http404):
        export(path="no-such-page/")


@pytest.mark.django_db
def test_public_url_serves_the_export(client, world):
    response = client.get("/news/export.csv", {"sector": "mining"})

    assert response.status_code == 200
    assert [row["title"] for row in read_rows(response)] == [SMELTER, BATTERY]


# --- a hub's export ------------------------------------------------------------------

HUB_EXPORTS = [
    ("officials", "wang-jiangping", [SMELTER]),
    ("organisations", "miit", [SMELTER]),
    ("sectors", "steel", [SMELTER, STEEL]),
    ("sectors", "mining", [SMELTER, BATTERY]),  # with its sub-sector's releases
    ("regions", "china", [SMELTER, STEEL]),
    ("topics", "nickel", [SMELTER]),
    ("regulations", "law-3-2020", [SMELTER]),
]
HUB_KINDS = list(dict.fromkeys(kind for kind, _, _ in HUB_EXPORTS))
assert set(HUB_KINDS) == set(kinds.SEGMENTS), "a hub kind is missing here"


def hub_card_titles(client, path, params=None):
    from bs4 import BeautifulSoup

    response = client.get(path, params or {})
    assert response.status_code == 200, path
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return [a.get_text(strip=True) for a in page.select(".release-card__title a")]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "slug", "expected"), HUB_EXPORTS)
def test_a_hubs_export_holds_the_hubs_releases(client, world, kind, slug, expected):
    hub = f"/news/{kind}/{slug}/"
    response = client.get(f"{hub}export.csv")

    assert [row["title"] for row in read_rows(response)] == expected
    assert expected == hub_card_titles(client, hub)
    assert response["Content-Disposition"] == (
        f'attachment; filename="newsroom-{kind}-{slug}.csv"'
    )
    # The listing's parameters narrow the hub, as on the hub itself.
    params = {"from": "2024-06-10", "sort": "oldest"}
    narrowed = read_rows(client.get(f"{hub}export.csv", params))
    assert [row["title"] for row in narrowed] == hub_card_titles(client, hub, params)
    assert [row["title"] for row in narrowed] == [
        title for title in [STEEL, SMELTER] if title in expected
    ]


@pytest.mark.django_db
def test_a_hubs_export_refuses_a_bad_parameter(client, world):
    response = client.get("/news/sectors/mining/export.csv", {"region": "atlantis"})

    assert response.status_code == 400
    assert "“region”" in response.content.decode()


@pytest.mark.django_db
def test_an_indonesian_hubs_export_holds_the_indonesian_releases(client, world):
    from wagtail.models import Locale

    copy = world.smelter.copy_for_translation(Locale.objects.get(language_code="id"))
    copy.title = "Tata kelola smelter di Morowali"
    copy.save_revision().publish()

    for kind, slug, _ in HUB_EXPORTS:
        hub = f"/id/news/{kind}/{slug}/"
        rows = read_rows(client.get(f"{hub}export.csv"))
        assert [row["title"] for row in rows] == [copy.title], hub
        assert [row["title"] for row in rows] == hub_card_titles(client, hub), hub
    assert read_rows(client.get("/id/news/export.csv"))[0]["title"] == copy.title


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["", "/id"])
@pytest.mark.parametrize(
    "path",
    [
        # a kind's index, an unknown hub, a hub's feed, a release, no newsroom
        *(f"/news/{kind}/export.csv" for kind in HUB_KINDS),
        *(f"/news/{kind}/no-such-{kind}/export.csv" for kind in HUB_KINDS),
        "/news/officials/wang-jiangping/feed/export.csv",
        "/news/regulations/law-9-2024/export.csv",  # cited by a draft only
        "/news/things/steel/export.csv",
        "/news/smelter-governance-in-morowali/export.csv",
        "/export.csv",
    ],
)
def test_anything_else_under_the_newsroom_has_no_export(client, world, path, language):
    response = client.get(f"{language}{path}")

    assert response.status_code == 404, path
    assert response["Content-Type"].startswith("text/html")
