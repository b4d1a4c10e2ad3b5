"""The tracker's totals, computed in Python from the imported records, agree with
the page, the CSV and the JSON, for several filters and groupings."""

import csv
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from tests.figures.world import (
    NICKEL,
    build_world,
    expected_totals,
)
from tests.module_data import built_once

_world = built_once(build_world)


@pytest.fixture
def world(_world, db):
    from django.core.cache import cache

    cache.clear()
    yield _world
    cache.clear()


def in_nickel(record):
    return NICKEL in record["sectors"]


def in_central_sulawesi(record):
    return any("Central Sulawesi" in region for region in record["regions"])


def from_2024(record):
    return record["date"] >= "2024-01-01"


def about_smelters(record):
    return "smelter" in (record["title"] + record["summary"]).lower()


CASES = [
    ({}, "year", lambda r: True),
    ({}, "sector", lambda r: True),
    ({}, "region", lambda r: True),
    ({"sector": "nickel-smelting"}, "year", in_nickel),
    ({"region": "central-sulawesi"}, "sector", in_central_sulawesi),
    ({"from": "2024-01-01"}, "region", from_2024),
    ({"q": "smelter"}, "year", about_smelters),
]


def normalised(expected):
    return {
        key: {
            unit: (value.quantize(Decimal("0.01")), n)
            for unit, (value, n) in units.items()
        }
        for key, units in expected.items()
    }


def json_totals(client, params, group):
    response = client.get("/api/v2/figures/", {**params, "group": group})
    assert response["Content-Type"] == "application/json"
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["group"] == group
    overall = {
        (t["unit"], t["is_currency"]): (Decimal(t["total"]), t["releases"])
        for t in data["totals"]
    }
    groups = {
        group_row["key"] if group == "year" else group_row["label"]: {
            (t["unit"], t["is_currency"]): (Decimal(t["total"]), t["releases"])
            for t in group_row["totals"]
        }
        for group_row in data["groups"]
    }
    return overall, groups


def csv_totals(client, params, group):
    response = client.get("/news/figures/export.csv", {**params, "group": group})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    overall, groups = {}, {}
    for row in rows:
        unit = (row["unit"], row["is_currency"] == "true")
        cell = (Decimal(row["total"]), int(row["releases"]))
        if row["group"] == "all":
            overall[unit] = cell
        else:
            assert row["group"] == group
            key = int(row["key"]) if group == "year" else row["label"]
            groups.setdefault(key, {})[unit] = cell
    return overall, groups


def page_totals(client, params, group, prefix=""):
    response = client.get(f"{prefix}/news/figures/", {**params, "group": group})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    overall = {
        (item["data-unit"], item["data-currency"] == "true"): (
            Decimal(item["data-value"]),
            int(item["data-releases"]),
        )
        for item in soup.select(".figures__overall")
    }
    groups, label = {}, None
    for row in soup.select(".figures__table tbody tr"):
        header = row.find("th")
        if header is not None:
            label = header.get_text(strip=True)
            label = int(label) if group == "year" else label
        value = row.select_one(".figures__value")
        groups.setdefault(label, {})[
            (value["data-unit"], value["data-currency"] == "true")
        ] = (
            Decimal(value["data-value"]),
            int(row.select_one(".figures__releases").get_text(strip=True)),
        )
    return overall, groups


@pytest.mark.parametrize(("params", "group", "where"), CASES)
def test_page_csv_and_json_agree_with_python(world, client, params, group, where):
    expected_overall = normalised(expected_totals(None, where)).get(None, {})
    expected_groups = normalised(expected_totals(group, where))
    for read in (json_totals, csv_totals, page_totals):
        overall, groups = read(client, params, group)
        assert overall == expected_overall, read.__name__
        assert groups == expected_groups, read.__name__


def test_a_repeated_figure_counts_once_at_its_latest_value(world, client):
    overall, groups = json_totals(client, {}, "year")
    # 1.25 billion (the 2024 restatement, not 1.2 + 1.25) + 300 million + 200 million
    assert overall[("USD", True)][0] == Decimal("1750000000.00")
    # The 2023 announcement's value moved to 2024: nothing left in 2023 in USD.
    assert ("USD", True) not in groups[2023]
    assert groups[2024][("USD", True)][0] == Decimal("1550000000.00")


def test_units_are_kept_apart(world, client):
    overall, _ = json_totals(client, {}, "year")
    assert overall[("IDR", True)][0] == Decimal("5000000000000.00")
    assert overall[("MW", False)][0] == Decimal("500.00")
    assert overall[("jobs", False)][0] == Decimal("9300.00")
    assert len(overall) == 4


def test_each_total_links_to_the_releases_behind_it(world, client):
    response = client.get(
        "/api/v2/figures/", {"group": "region", "sector": "nickel-smelting"}
    )
    groups = {row["label"]: row for row in response.json()["groups"]}
    assert groups["Morowali Regency"]["url"].endswith(
        "/news/regions/morowali-regency/?sector=nickel-smelting"
    )
    listing = client.get(
        "/news/regions/morowali-regency/", {"sector": "nickel-smelting"}
    )
    content = listing.content.decode()
    assert "Morowali smelter announced" in content
    assert "Morowali smelter breaks ground" in content
    assert "Draft: Morowali" not in content
    by_year = {
        row["key"]: row
        for row in client.get("/api/v2/figures/", {"from": "2024-06-01"}).json()[
            "groups"
        ]
    }
    assert by_year[2024]["url"].endswith("/news/?from=2024-06-01&to=2024-12-31")


def test_figures_of_unpublished_releases_never_count(world, client):
    for url in ("/api/v2/figures/", "/news/figures/", "/news/figures/export.csv"):
        response = client.get(url, {"group": "region"})
        content = b"".join(
            response.streaming_content if response.streaming else [response.content]
        ).decode()
        assert "secret-unit" not in content
        assert "999000000" not in content


@pytest.mark.parametrize(
    "params",
    [{"group": "planet"}, {"sector": "no-such-sector"}, {"from": "yesterday"}],
)
def test_bad_parameters_are_clear_errors(world, client, params):
    api = client.get("/api/v2/figures/", params)
    assert api.status_code == 400
    assert set(params) <= set(api.json()["errors"])
    exported = client.get("/news/figures/export.csv", params)
    assert exported.status_code == 400
    page = client.get("/news/figures/", params)
    assert page.status_code == 200
    assert b"form-error" in page.content


def test_the_indonesian_tracker_totals_the_indonesian_newsroom(world, client):
    expected = normalised(expected_totals(None, language="id"))[None]
    page_overall, page_groups = page_totals(client, {}, "year", prefix="/id")
    api_overall, api_groups = json_totals(client, {"locale": "id"}, "year")
    assert page_overall == api_overall == expected
    assert (
        page_groups == api_groups == normalised(expected_totals("year", language="id"))
    )
    page = client.get("/id/news/figures/").content.decode()
    assert 'lang="id"' in page
    assert "<h1>Angka utama</h1>" in page
    assert "Jumlah per tahun, USD" in page
    english, _ = json_totals(client, {}, "year")
    assert ("pekerja", False) not in english


def test_labels_and_names_are_escaped(world, client):
    content = client.get("/news/figures/", {"group": "sector"}).content.decode()
    assert "<script>alert(1)</script>" not in content


def test_figures_is_a_reserved_slug():
    from newsroom.models import RESERVED_SLUGS

    assert "figures" in RESERVED_SLUGS
