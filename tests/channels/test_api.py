"""/api/v2/: releases filtered like /news/, and the officials, sectors, regions and
regulations."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from newsroom.editorial.site_tree import ensure_site_tree
from tests.factories import (
    AppointmentFactory,
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
PRICES = "Nickel ore prices"
PUBLISHED = [SMELTER, STEEL, PRICES, BATTERY]  # newest first


def build_world():
    ensure_site_tree()
    mining = SectorFactory(name="Mining", code="B")
    smelting = SectorFactory(name="Nickel Smelting", parent=mining, code="24202")
    steel = SectorFactory(name="Steel")
    indonesia = RegionFactory(name="Indonesia", iso_code="ID", kind="country")
    sulawesi = RegionFactory(
        name="Central Sulawesi", parent=indonesia, iso_code="ID-ST", kind="province"
    )
    china = RegionFactory(name="China", iso_code="CN", kind="country")
    nickel, lithium = TopicFactory(name="nickel"), TopicFactory(name="lithium")
    ministry = OrganisationFactory(name="Ministry of Industry", acronym="Kemenperin")
    miit = OrganisationFactory(name="MIIT")
    eko = OfficialFactory(name="Eko S.A. Cahyanto", honorific="Dr.", bio="Career.")
    AppointmentFactory(
        official=eko,
        position="Secretary General",
        organisation=ministry,
        start_date=datetime.date(2023, 1, 1),
    )
    wang = OfficialFactory(name="Wang Jiangping")
    agus = OfficialFactory(name="Agus Gumiwang Kartasasmita")
    mining_law = RegulationFactory(
        type="law",
        number="4",
        year=2009,
        title="Mineral and Coal Mining",
        enacted=datetime.date(2009, 1, 12),
    )
    amendment = RegulationFactory(
        type="law",
        number="3",
        year=2020,
        title="Amendments to the Mineral and Coal Mining Law",
        enacted=datetime.date(2020, 6, 10),
        url="https://peraturan.go.id/id/uu-no-3-tahun-2020",
        amends=[mining_law],
    )
    # Cited by the draft only; it amends Law 3/2020, yet must stay unnamed.
    ghost = RegulationFactory(
        type="presidential_regulation", number="9", year=2024, amends=[amendment]
    )
    RegulationFactory(type="law", number="3", year=2014)  # cited by nothing
    releases = SimpleNamespace()
    releases.smelter = make_release(
        SMELTER,
        datetime.date(2024, 9, 27),
        officials=[(eko, "Secretary General", True)],
        sectors=[smelting],
        regions=[sulawesi],
        organisations=[ministry],
        topics=[nickel],
        regulations=[amendment],
        event_date=datetime.date(2024, 9, 25),
        dateline="Jakarta",
        reference="REF-1",
        standfirst="The Ministry met investors on smelter governance.",
        body=[
            (
                "key_figures",
                [
                    {
                        "value": Decimal("1200000000"),
                        "unit": "USD",
                        "is_currency": True,
                        "label": "investment",
                    }
                ],
            )
        ],
    )
    releases.steel = make_release(
        STEEL,
        datetime.date(2024, 6, 10),
        officials=[wang],
        sectors=[steel],
        regions=[china],
        organisations=[miit],
    )
    releases.prices = make_release(
        PRICES,
        datetime.date(2024, 1, 15),
        officials=[eko, wang],
        sectors=[steel, smelting],
        regions=[china],
        topics=[nickel],
        regulations=[amendment],
    )
    releases.battery = make_release(
        BATTERY,
        datetime.date(2023, 3, 1),
        officials=[agus],
        sectors=[mining],
        regions=[indonesia],
        organisations=[ministry],
        topics=[lithium],
        regulations=[mining_law],
    )
    releases.draft = make_release(
        "Draft smelter note",
        sectors=[smelting],
        regulations=[ghost, mining_law],
        live=False,
    )
    releases.withdrawn = make_release(
        "Withdrawn smelter note",
        sectors=[smelting],
        topics=[nickel],
        withdrawn=True,
        withdrawn_on=datetime.date(2024, 10, 1),
        withdrawal_reason="Issued in error.",
    )
    releases.private = make_release("Private smelter note", sectors=[smelting])
    PageViewRestriction.objects.create(
        page=releases.private,
        restriction_type=PageViewRestriction.PASSWORD,
        password="x",
    )
    return SimpleNamespace(
        releases=releases,
        mining=mining,
        smelting=smelting,
        indonesia=indonesia,
        mining_law=mining_law,
        amendment=amendment,
        ghost=ghost,
    )


world = built_once(build_world)


def api(client, params=None, path="releases/", status=200):
    response = client.get(f"/api/v2/{path}", params or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def api_titles(client, params=None):
    data = api(client, params)
    titles = [item["title"] for item in data["items"]]
    assert data["meta"]["total_count"] == len(titles)
    return titles


# --- shape -------------------------------------------------------------------------


@pytest.mark.django_db
def test_listing_shape(client, world):
    data = api(client)
    release = world.releases.smelter

    assert list(data) == ["meta", "items"]
    assert data["meta"] == {"total_count": 4}
    item = data["items"][0]
    meta = item.pop("meta")
    assert meta["type"] == "newsroom.PressReleasePage"
    assert meta["detail_url"].endswith(f"/api/v2/releases/{release.pk}/")
    assert meta["html_url"] == release.full_url
    assert meta["slug"] == "smelter-governance-in-morowali"
    assert meta["locale"] == "en"
    assert datetime.datetime.fromisoformat(meta["first_published_at"]) == (
        release.first_published_at
    )
    assert item == {
        "id": release.pk,
        "title": SMELTER,
        "release_date": "2024-09-27",
        "event_date": "2024-09-25",
        "dateline": "Jakarta",
        "standfirst": "The Ministry met investors on smelter governance.",
        "reference": "REF-1",
        "officials": [
            {
                "name": "Eko S.A. Cahyanto",
                "slug": "eko-sa-cahyanto",
                "role": "Secretary General",
                "quoted": True,
            }
        ],
        "sectors": [{"name": "Nickel Smelting", "slug": "nickel-smelting"}],
        "regions": [
            {
                "name": "Central Sulawesi",
                "slug": "central-sulawesi",
                "iso_code": "ID-ST",
                "kemendagri_code": "",
            }
        ],
        "organisations": [
            {
                "name": "Ministry of Industry",
                "slug": "ministry-of-industry",
                "acronym": "Kemenperin",
            }
        ],
        "topics": [{"name": "nickel", "slug": "nickel"}],
        "key_figures": [
            {
                "label": "investment",
                "value": "1200000000.00",
                "unit": "USD",
                "is_currency": True,
                "formatted": "USD 1.2 billion",
            }
        ],
        "withdrawn": False,
        "regulations": [
            {
                "name": "Law No. 3 of 2020",
                "slug": "law-3-2020",
                "type": "law",
                "number": "3",
                "year": 2020,
                "title": "Amendments to the Mineral and Coal Mining Law",
                # the ghost amends it: its status says so, its name is not given
                "status": "amended",
            }
        ],
    }


@pytest.mark.django_db
def test_drafts_withdrawn_and_private_releases_are_not_listed(client, world):
    assert api_titles(client) == PUBLISHED
    assert api_titles(client, {"sector": "nickel-smelting"}) == [SMELTER, PRICES]
    assert api_titles(client, {"q": "note"}) == []


@pytest.mark.django_db
def test_fields_parameter_selects_fields(client, world):
    only = api(client, {"fields": "_,title,sectors", "limit": 1})["items"][0]
    assert only == {
        "title": SMELTER,
        "sectors": [{"name": "Nickel Smelting", "slug": "nickel-smelting"}],
    }

    without = api(client, {"fields": "-key_figures,-officials"})["items"][0]
    assert "key_figures" not in without and "officials" not in without
    assert without["title"] == SMELTER

    error = api(client, {"fields": "no_such_field"}, status=400)
    assert "no_such_field" in error["message"]


# --- filters -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"official": "eko-sa-cahyanto"}, [SMELTER, PRICES]),
        # OR within one parameter
        (
            {"official": ["eko-sa-cahyanto", "agus-gumiwang-kartasasmita"]},
            [SMELTER, PRICES, BATTERY],
        ),
        ({"organisation": "miit"}, [STEEL]),
        ({"organisation": ["miit", "ministry-of-industry"]}, [SMELTER, STEEL, BATTERY]),
        # a sector or region includes everything below it
        ({"sector": "mining"}, [SMELTER, PRICES, BATTERY]),
        ({"sector": ["steel", "nickel-smelting"]}, [SMELTER, STEEL, PRICES]),
        ({"region": "indonesia"}, [SMELTER, BATTERY]),
        ({"region": "central-sulawesi"}, [SMELTER]),
        ({"topic": "nickel"}, [SMELTER, PRICES]),
        ({"topic": ["nickel", "lithium"]}, [SMELTER, PRICES, BATTERY]),
        ({"regulation": "law-3-2020"}, [SMELTER, PRICES]),
        # not a tree: Law 4/2009's releases do not include those citing its amendment
        ({"regulation": "law-4-2009"}, [BATTERY]),
        ({"regulation": ["law-3-2020", "law-4-2009"]}, [SMELTER, PRICES, BATTERY]),
        # AND across parameters
        ({"sector": "steel", "region": "china"}, [STEEL, PRICES]),
        ({"sector": "mining", "region": "china"}, [PRICES]),
        ({"official": "wang-jiangping", "topic": "nickel"}, [PRICES]),
        ({"regulation": "law-3-2020", "sector": "steel"}, [PRICES]),
        # dates are inclusive at both ends
        ({"from": "2024-06-10", "to": "2024-09-27"}, [SMELTER, STEEL]),
        ({"from": "2024-06-11"}, [SMELTER]),
        ({"to": "2024-06-09"}, [PRICES, BATTERY]),
        ({"from": "2024-01-15", "to": "2024-01-15"}, [PRICES]),
        # sorts
        ({"sort": "newest"}, PUBLISHED),
        ({"sort": "oldest"}, PUBLISHED[::-1]),
        ({"sort": "relevance"}, PUBLISHED),  # without q, relevance means newest
        # full text combined with a filter
        ({"q": "nickel", "sector": "steel"}, [PRICES]),
        ({"q": "smelter", "region": "china"}, []),
        # parameters the API does not know are ignored
        ({"utm_source": "newsletter", "type": "x", "order": "title"}, PUBLISHED),
    ],
)
def test_filters(client, world, params, expected):
    assert api_titles(client, params) == expected


@pytest.mark.django_db
def test_search_sorts(client, world):
    make_release(
        "Zeolite zeolite processing",
        datetime.date(2020, 1, 1),
        standfirst="Zeolite exports of zeolite from zeolite mines.",
    )
    make_release(
        "Cement kiln upgrade",
        datetime.date(2021, 1, 1),
        standfirst="A new kiln that also uses zeolite.",
    )
    best_first = ["Zeolite zeolite processing", "Cement kiln upgrade"]

    assert api_titles(client, {"q": "zeolite"}) == best_first  # relevance by default
    assert api_titles(client, {"q": "zeolite", "sort": "relevance"}) == best_first
    assert api_titles(client, {"q": "zeolite", "sort": "newest"}) == best_first[::-1]
    assert api_titles(client, {"q": "zeolite", "sort": "oldest"}) == best_first


# --- errors ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"sector": "atlantis"}, {"sector": ["There is no sector “atlantis”."]}),
        (
            {"official": "nobody", "topic": "nothing"},
            {
                "official": ["There is no official “nobody”."],
                "topic": ["There is no topic “nothing”."],
            },
        ),
        (
            {"regulation": "law-99-2020"},
            {"regulation": ["There is no regulation “law-99-2020”."]},
        ),
        # cited by a draft only: as unknown as a slug never made
        (
            {"regulation": "presidential-regulation-9-2024"},
            {
                "regulation": [
                    "There is no regulation “presidential-regulation-9-2024”."
                ]
            },
        ),
        ({"from": "2024-13-01"}, {"from": ["Enter a valid date."]}),
        (
            {"from": "2024-10-01", "to": "2024-09-01"},
            {"to": ["The end date is before the start date."]},
        ),
        ({"sort": "random"}, {"sort": None}),
        ({"page": "two"}, {"page": None}),
        ({"page": "0"}, {"page": None}),
        ({"limit": "-1"}, {"limit": None}),
        ({"limit": "ten"}, {"limit": None}),
        ({"offset": "-5"}, {"offset": None}),
        ({"offset": "x"}, {"offset": None}),
        ({"locale": "xx"}, {"locale": ["There is no locale “xx”."]}),
    ],
)
def test_bad_parameters_are_400_json(client, world, params, errors):
    data = api(client, params, status=400)

    assert set(data) == {"message", "errors"}
    assert set(data["errors"]) == set(errors)
    for name, messages in errors.items():
        assert name in data["message"]
        assert len(data["errors"][name]) == 1
        if messages is not None:
            assert data["errors"][name] == messages


# --- paging ------------------------------------------------------------------------


@pytest.mark.django_db
def test_limit_offset_and_page(client, world):
    def titles(params):
        data = api(client, params)
        assert data["meta"]["total_count"] == 4
        return [item["title"] for item in data["items"]]

    assert titles({"limit": 2}) == PUBLISHED[:2]
    assert titles({"limit": 2, "offset": 2}) == PUBLISHED[2:]
    assert titles({"limit": 2, "page": 1}) == PUBLISHED[:2]
    assert titles({"limit": 3, "page": 2}) == PUBLISHED[3:]
    assert titles({"offset": 10}) == []  # an offset past the end is just empty


@pytest.mark.django_db
def test_page_past_the_end_is_400(client, world):
    data = api(client, {"limit": 2, "page": 3}, status=400)
    assert "past the end" in data["errors"]["page"][0]

    # The first page always exists, even when nothing matches.
    assert api(client, {"page": 1, "sector": "steel", "region": "indonesia"}) == {
        "meta": {"total_count": 0},
        "items": [],
    }


@pytest.mark.django_db
def test_limit_defaults_to_20_and_is_capped(client, world, settings):
    settings.WAGTAILAPI_LIMIT_MAX = 3

    assert len(api(client)["items"]) == 3  # min(20, WAGTAILAPI_LIMIT_MAX)
    assert "limit" in api(client, {"limit": 4}, status=400)["errors"]

    settings.WAGTAILAPI_LIMIT_MAX = 100
    cache.clear()  # the setting changed, the content did not
    assert len(api(client)["items"]) == 4


@pytest.mark.django_db
def test_listing_queries_do_not_grow_with_items(client, world):
    def count_queries():
        cache.clear()  # a response cache hit would hide the queries
        with CaptureQueriesContext(connection) as queries:
            api(client, {"sector": "mining"})
        return len(queries)

    count_queries()  # warms the per-process caches (site root paths)
    before = count_queries()
    for day in range(1, 5):
        make_release(
            f"Mining release {day}",
            datetime.date(2022, 1, day),
            officials=[OfficialFactory()],
            sectors=[world.smelting],
            regions=[world.indonesia],
            organisations=[OrganisationFactory()],
            topics=[TopicFactory()],
            regulations=[RegulationFactory(), RegulationFactory()],
        )

    assert api(client, {"sector": "mining"})["meta"]["total_count"] == 7
    assert count_queries() == before


# --- detail ------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_of_a_published_release(client, world):
    release = world.releases.prices
    data = api(client, path=f"releases/{release.pk}/")

    assert data["id"] == release.pk
    assert data["title"] == PRICES
    assert [official["slug"] for official in data["officials"]] == [
        "eko-sa-cahyanto",
        "wang-jiangping",
    ]
    assert data["withdrawn"] is False
    assert data["meta"]["html_url"] == release.full_url


@pytest.mark.django_db
def test_detail_of_a_withdrawn_release_says_so(client, world):
    data = api(client, path=f"releases/{world.releases.withdrawn.pk}/")

    assert data["withdrawn"] is True
    assert data["withdrawn_on"] == "2024-10-01"
    assert data["withdrawal_reason"] == "Issued in error."


@pytest.mark.django_db
def test_detail_of_draft_private_or_unknown_release_is_404(client, world):
    for pk in (world.releases.draft.pk, world.releases.private.pk, 999_999):
        data = api(client, path=f"releases/{pk}/", status=404)
        assert "message" in data


# --- officials, sectors, regions, regulations ---------------------------------


@pytest.mark.django_db
def test_officials(client, world):
    data = api(client, path="officials/")

    assert data["meta"]["total_count"] == 3
    assert [item["name"] for item in data["items"]] == [
        "Agus Gumiwang Kartasasmita",
        "Eko S.A. Cahyanto",
        "Wang Jiangping",
    ]
    eko = data["items"][1]
    assert eko["meta"]["html_url"].endswith("/news/officials/eko-sa-cahyanto/")
    assert {key: eko[key] for key in ("slug", "honorific", "bio")} == {
        "slug": "eko-sa-cahyanto",
        "honorific": "Dr.",
        "bio": "Career.",
    }
    assert eko["appointments"] == [
        {
            "position": "Secretary General",
            "organisation": {
                "name": "Ministry of Industry",
                "slug": "ministry-of-industry",
                "acronym": "Kemenperin",
            },
            "start_date": "2023-01-01",
            "end_date": None,
            "title": "Secretary General, Ministry of Industry",
        }
    ]
    detail = api(client, path=f"officials/{eko['id']}/")
    assert detail["appointments"] == eko["appointments"]


@pytest.mark.django_db
def test_sectors_in_tree_order_with_parent(client, world):
    items = api(client, path="sectors/")["items"]

    assert [
        (item["slug"], item["parent"], item["depth"], item["code"]) for item in items
    ] == [
        ("mining", None, 1, "B"),
        ("nickel-smelting", "mining", 2, "24202"),
        ("steel", None, 1, ""),
    ]
    detail = api(client, path=f"sectors/{world.smelting.pk}/")
    assert detail["name"] == "Nickel Smelting"
    assert detail["parent"] == "mining"


@pytest.mark.django_db
def test_regions_with_iso_code_and_kind(client, world):
    items = api(client, path="regions/")["items"]

    assert [
        (item["slug"], item["parent"], item["iso_code"], item["kind"]) for item in items
    ] == [
        ("china", None, "CN", "country"),
        ("indonesia", None, "ID", "country"),
        ("central-sulawesi", "indonesia", "ID-ST", "province"),
    ]
    assert api(client, path="regions/999999/", status=404)["message"]


@pytest.mark.django_db
def test_entity_listing_pages_and_ignores_unknown_parameters(client, world):
    data = api(client, {"limit": 1, "offset": 1, "utm_medium": "x"}, path="regions/")

    assert data["meta"]["total_count"] == 3
    assert [item["slug"] for item in data["items"]] == ["indonesia"]
    assert "limit" in api(client, {"limit": "x"}, path="sectors/", status=400)["errors"]


@pytest.mark.django_db
def test_regulations_readers_may_know_with_their_chain(client, world):
    data = api(client, path="regulations/")

    # newest first; not the ghost (a draft's) nor Law 3/2014 (cited by nothing)
    assert data["meta"]["total_count"] == 2
    assert [item["slug"] for item in data["items"]] == ["law-3-2020", "law-4-2009"]
    amendment = data["items"][0]
    meta = amendment.pop("meta")
    amendment.pop("type")  # test_a_regulations_type_is_its_type_code
    assert meta["html_url"].endswith("/news/regulations/law-3-2020/")
    assert meta["detail_url"].endswith(f"/api/v2/regulations/{world.amendment.pk}/")
    assert amendment == {
        "id": world.amendment.pk,
        "name": "Law No. 3 of 2020",
        "slug": "law-3-2020",
        "number": "3",
        "year": 2020,
        "title": "Amendments to the Mineral and Coal Mining Law",
        "enacted": "2020-06-10",
        "status": "amended",
        "amends": ["law-4-2009"],
        "amended_by": [],  # the ghost amends it, unnamed
        "revokes": [],
        "revoked_by": [],
        "url": "https://peraturan.go.id/id/uu-no-3-tahun-2020",
    }
    law = api(client, path=f"regulations/{world.mining_law.pk}/")
    assert (law["status"], law["amended_by"]) == ("amended", ["law-3-2020"])
    assert api(client, path=f"regulations/{world.ghost.pk}/", status=404)["message"]
    assert api(client, {"id": world.ghost.pk}, path="regulations/find/", status=404)


@pytest.mark.django_db
def test_a_regulations_type_is_its_type_code(client, world):
    item = api(client, path="regulations/")["items"][0]
    assert item["type"] == "law"
    detail = api(client, path=f"regulations/{world.amendment.pk}/")
    assert detail["type"] == "law"


@pytest.mark.django_db
def test_a_regulation_marked_public_is_listed(client, world):
    world.ghost.marked_public = True
    world.ghost.save()
    cache.clear()

    data = api(client, path="regulations/")
    assert [item["slug"] for item in data["items"]] == [
        "presidential-regulation-9-2024",
        "law-3-2020",
        "law-4-2009",
    ]
    assert data["items"][1]["amended_by"] == ["presidential-regulation-9-2024"]


# --- ids and find ------------------------------------------------------------------

ENDPOINTS = ["releases", "officials", "sectors", "regions", "regulations"]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_ids_past_the_column_range_are_404_json(client, world, endpoint):
    # SQLite cannot bind a number past 64 bits at all (it raised OverflowError).
    for pk in (2**31, 2**63, 99999999999999999999):
        assert api(client, path=f"{endpoint}/{pk}/", status=404)["message"]
        assert api(client, {"id": pk}, path=f"{endpoint}/find/", status=404)["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_find_by_a_malformed_id_is_400_json(client, world, endpoint):
    for raw in ("abc", "", "1.5", "1e3", "0x10", "\x00"):
        data = api(client, {"id": raw}, path=f"{endpoint}/find/", status=400)
        assert data["errors"] == {"id": ["id must be a whole number."]}, raw


@pytest.mark.django_db
def test_find_by_id_redirects_to_the_detail(client, world):
    release = world.releases.prices
    entities = {
        "releases": release.pk,
        "officials": release.officials[0].pk,
        "sectors": world.smelting.pk,
        "regions": world.indonesia.pk,
        "regulations": world.amendment.pk,
    }
    for endpoint, pk in entities.items():
        response = client.get(f"/api/v2/{endpoint}/find/", {"id": pk})
        assert response.status_code == 302, endpoint
        location = urlsplit(response["Location"]).path
        assert location == f"/api/v2/{endpoint}/{pk}/", endpoint
    # Nothing to find by, or nothing there: a JSON 404.
    assert api(client, path="officials/find/", status=404)["message"]
    assert api(client, {"id": 999_999}, path="sectors/find/", status=404)["message"]
    for path in ("/news/\x00/", "/news/officials/", "/nowhere/"):
        params = {"html_path": path}
        assert api(client, params, path="releases/find/", status=404)["message"]
