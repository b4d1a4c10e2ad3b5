"""The charts' tables agree with the listing's counts; the SVG keeps to the CSP."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.figures.world import build_world
from tests.module_data import built_once

_world = built_once(build_world)


@pytest.fixture
def world(_world, db):
    from django.core.cache import cache

    cache.clear()
    yield _world
    cache.clear()


def page(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def result_count(soup):
    return int(re.search(r"\d+", soup.select_one(".result-count").get_text()).group())


def chart_rows(soup):
    """(label, count, link) of the month chart's table."""
    table = soup.select_one("#releases-per-month-title").find_parent("figure")
    return [
        (
            row.th.get_text(strip=True),
            int(row.td["data-value"].split(".")[0]),
            row.th.a["href"] if row.th.a else None,
        )
        for row in table.select("tbody tr")
    ]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/news/", {}),
        ("/news/", {"sector": "nickel-smelting"}),
        ("/news/", {"from": "2024-01-01", "to": "2024-06-30"}),
        ("/news/sectors/nickel-smelting/", {"region": "indonesia"}),
        # Counted with the facets, full text included (the exact path's probe).
        ("/news/", {"q": "Morowali"}),
        ("/news/", {"q": "smelter", "sector": "nickel-smelting"}),
        # Whole hubs read their stored months (a subtree's with its nodes').
        ("/news/regions/central-sulawesi/", {}),
        ("/news/regions/indonesia/", {}),
        ("/news/sectors/nickel-smelting/", {}),
        ("/id/news/regions/indonesia/", {}),
        ("/id/news/", {}),
    ],
)
def test_month_chart_agrees_with_the_listing(world, client, path, params):
    soup = page(client, path, params)
    rows = chart_rows(soup)
    assert sum(count for _, count, _ in rows) == result_count(soup)
    for label, count, link in rows:
        if count == 0:
            assert link is None
            continue
        assert result_count(page(client, link)) == count, label
    summary = soup.select_one("#releases-per-month-summary").get_text()
    assert str(result_count(soup)) in summary


def test_a_whole_hub_reads_its_stored_months(world, client):
    """Changing a stored month (which nothing but a bug would do) shows on the
    unfiltered hub, and not once a filter asks for a live count."""
    from newsroom.models import ListedCount, Region

    indonesia = Region.objects.get(slug="indonesia")
    months = ListedCount.objects.filter(facet="region", entity_id=indonesia.pk)
    first = months.exclude(month=0).order_by("month").first()
    months.filter(pk=first.pk).update(n=41)
    hub = "/news/regions/indonesia/"
    assert 41 in [count for _, count, _ in chart_rows(page(client, hub))]
    filtered = chart_rows(page(client, hub, {"from": "2000-01-01"}))
    assert 41 not in [count for _, count, _ in filtered]


def test_month_names_are_in_the_pages_language(world, client):
    soup = page(client, "/news/", {"from": "2024-05-01", "to": "2024-05-31"})
    assert chart_rows(soup)[0][0] == "May 2024"
    soup = page(client, "/id/news/", {"from": "2024-05-01", "to": "2024-05-31"})
    assert chart_rows(soup)[0][0] == "Mei 2024"


def test_no_chart_without_results(world, client):
    soup = page(client, "/news/", {"q": "nothing-matches-this-word"})
    assert soup.select_one("#releases-per-month-title") is None


@pytest.mark.parametrize("path", ["/news/", "/news/figures/", "/id/news/figures/"])
def test_charts_keep_to_the_csp(world, client, path):
    soup = page(client, path)
    charts = soup.select("figure.chart")
    assert charts
    for chart in charts:
        assert not chart.select("script, style, [style]")
        assert not any(
            attribute.startswith("on")
            for element in chart.find_all(True)
            for attribute in element.attrs
        )
        svg = chart.select_one("svg")
        assert svg["role"] == "img"
        assert chart.select_one(".visually-hidden").get_text(strip=True)
        assert chart.select_one("table")
        # Numbers in SVG attributes never take a decimal comma (Indonesian).
        for rect in svg.select("rect"):
            assert "," not in rect["x"] + rect["width"]


def test_tracker_chart_per_unit_agrees_with_the_totals(world, client):
    soup = page(client, "/news/figures/")
    titles = [t.get_text() for t in soup.select(".chart__title")]
    assert "Totals per year, USD" in titles
    assert "Totals per year, jobs" in titles
    usd = soup.find(string="Totals per year, USD").find_parent("figure")
    values = {
        row.th.get_text(strip=True): row.td["data-value"]
        for row in usd.select("tbody tr")
    }
    assert values == {"2024": "1550000000.0", "2025": "200000000.0"}
