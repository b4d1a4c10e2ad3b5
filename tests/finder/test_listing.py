"""The HTML listing at /news/: counts, chips, pagination, feed link and the form."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from newsroom import kinds


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def listed(soup):
    return [
        link["href"].rstrip("/").rsplit("/", 1)[-1]
        for link in soup.select(".release-card__title a")
    ]


def params_of(href):
    """(path, {name: [values]}) of a link."""
    parts = urlsplit(href)
    return parts.path, parse_qs(parts.query, keep_blank_values=True)


def count_text(soup):
    return " ".join(soup.select_one(".result-count").get_text().split())


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({}, "12 releases"),
        ({"sector": "textiles"}, "1 release"),
        ({"sector": "textiles", "region": "china"}, "0 releases"),
        ({"q": "tungsten"}, "3 releases matching “tungsten”"),
        ({"q": "  tungsten   ", "sector": "metals"}, "2 releases matching “tungsten”"),
        ({"q": "   "}, "12 releases"),
    ],
)
def test_result_count_text(filter_world, client, params, text):
    soup = soup_of(client.get("/news/", params))
    assert count_text(soup) == text
    assert soup.select_one(".result-count")["role"] == "status"


def test_no_results_message(filter_world, client):
    soup = soup_of(client.get("/news/", {"sector": "textiles", "region": "china"}))
    assert listed(soup) == []
    assert "No releases match" in soup.select_one(".no-results").get_text()


def test_cards_show_title_date_officials_and_tags(filter_world, client):
    soup = soup_of(client.get("/news/", {"region": "morowali-regency"}))
    card = soup.select(".release-card")[1]  # r01
    assert card.select_one("h3 a").get_text() == "Smelter governance quorum convened"
    assert card.select_one("time")["datetime"] == "2024-09-27"
    officials = card.select_one(".release-card__officials").get_text()
    assert officials == "Eko S.A. Cahyanto, Wang Jiangping"
    tags = [tag.get_text() for tag in card.select(".tag")]
    assert tags == ["Nickel smelting", "Morowali Regency", "China"]


ALL_FILTERS = {
    "q": "tungsten",
    "sector": ["metals", "energy"],
    "region": "north-maluku",
    "topic": "lithium",
    "regulation": "presidential-regulation-55-2019",
    "from": "2022-01-01",
    "to": "2024-12-31",
    "sort": "oldest",
}


def test_active_filter_chips_link_to_the_url_without_their_value(filter_world, client):
    soup = soup_of(client.get("/news/", {**ALL_FILTERS, "page": "1"}))
    assert listed(soup) == ["r12"]
    chips = {
        chip.find(string=True).strip(): chip["href"]
        for chip in soup.select(".active-filters a.chip")
    }
    hidden_text = soup.select_one(".active-filters a.chip .visually-hidden")
    assert hidden_text.get_text() == " (remove this filter)"
    expected_labels = {
        "“tungsten”": ("q", "tungsten"),
        "Metals": ("sector", "metals"),
        "Energy": ("sector", "energy"),
        "North Maluku": ("region", "north-maluku"),
        "lithium": ("topic", "lithium"),
        "Presidential Regulation No. 55 of 2019": (
            "regulation",
            "presidential-regulation-55-2019",
        ),
        "From 1 Jan 2022": ("from", "2022-01-01"),
        "To 31 Dec 2024": ("to", "2024-12-31"),
    }
    assert set(chips) == set(expected_labels)
    everything = {k: v if isinstance(v, list) else [v] for k, v in ALL_FILTERS.items()}
    for label, (name, value) in expected_labels.items():
        path, params = params_of(chips[label])
        assert path in ("", "/news/")
        expected = {
            k: [x for x in v if (k, x) != (name, value)] for k, v in everything.items()
        }
        assert params == {k: v for k, v in expected.items() if v}, label
        assert "page" not in params
    # following a chip gives the results without that filter
    path, params = params_of(chips["“tungsten”"])
    soup = soup_of(client.get("/news/", params))
    assert listed(soup) == ["r06", "r12"]  # oldest first


def test_clear_all_filters_link(filter_world, client):
    soup = soup_of(client.get("/news/", ALL_FILTERS))
    clear = soup.select_one(".active-filters a.clear-all")
    assert clear.get_text() == "Clear all filters"
    assert clear["href"] == "/news/"
    # nothing to clear, no chips
    soup = soup_of(client.get("/news/", {"sort": "oldest"}))
    assert soup.select_one(".active-filters") is None


def test_invalid_values_make_no_chip(filter_world, client):
    soup = soup_of(
        client.get("/news/", {"sector": "no-such-sector", "from": "bad", "q": " "})
    )
    assert soup.select(".active-filters a.chip") == []


@pytest.mark.parametrize(
    ("params", "chip_param"),
    [
        pytest.param(
            {"q": "  tungsten ", "sector": "metals"},
            "q",
        ),
        pytest.param(
            {"from": "2023-3-15", "sector": "metals"},
            "from",
        ),
        ({"q": "tungsten", "sector": "metals"}, "q"),
        ({"from": "2023-03-15", "sector": "metals"}, "from"),
    ],
)
def test_chip_removes_its_filter_whatever_its_spelling(
    filter_world, client, params, chip_param
):
    soup = soup_of(client.get("/news/", params))
    hrefs = [chip["href"] for chip in soup.select(".active-filters a.chip")]
    assert len(hrefs) == 2
    removed = [params_of(href)[1] for href in hrefs]
    assert {"sector": ["metals"]} in removed  # the chip of chip_param
    assert all(chip_param in p or p == {"sector": ["metals"]} for p in removed)


def test_pagination_links_keep_the_filters(filter_world, client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    filters = {"sector": ["metals", "energy"], "region": "indonesia", "sort": "oldest"}
    # metals or energy, in Indonesia: r01 r02 r03 r04 r05 r06 r08 r10 r12 -> 5 pages
    soup = soup_of(client.get("/news/", {**filters, "page": "2"}))
    assert listed(soup) == ["r05", "r04"]
    nav = soup.select_one("nav.pagination")
    assert " ".join(nav.select_one('[aria-current="page"]').get_text().split()) == (
        "Page 2 of 5"
    )
    expected = {k: v if isinstance(v, list) else [v] for k, v in filters.items()}
    _, following = params_of(nav.select_one('a[rel="next"]')["href"])
    assert following == {**expected, "page": ["3"]}
    _, previous = params_of(nav.select_one('a[rel="prev"]')["href"])
    assert previous == {**expected, "page": ["1"]}
    # the links lead to the right pages
    assert listed(soup_of(client.get("/news/", following))) == ["r03", "r12"]

    first = soup_of(client.get("/news/", filters)).select_one("nav.pagination")
    assert first.select_one('a[rel="prev"]') is None
    assert first.select_one('a[rel="next"]') is not None
    last = soup_of(client.get("/news/", {**filters, "page": "5"}))
    assert listed(last) == ["r08"]
    assert last.select_one('nav.pagination a[rel="next"]') is None


def test_no_pagination_on_a_single_page(filter_world, client):
    soup = soup_of(client.get("/news/", {"sector": "metals"}))
    assert soup.select_one("nav.pagination") is None


def test_atom_alternate_link_carries_the_filters(filter_world, client):
    soup = soup_of(client.get("/news/"))
    link = soup.select_one('link[rel="alternate"][type="application/atom+xml"]')
    assert link["href"] == "/news/feed/"

    params = {"sector": ["metals", "energy"], "region": "china", "from": "2023-01-01"}
    soup = soup_of(client.get("/news/", {**params, "page": "1"}))
    link = soup.select_one('link[rel="alternate"][type="application/atom+xml"]')
    path, query = params_of(link["href"])
    assert path == "/news/feed/"
    assert query == {
        "sector": ["metals", "energy"],
        "region": ["china"],
        "from": ["2023-01-01"],
    }
    # the visible feed and CSV links carry them too
    hrefs = [a["href"] for a in soup.select(".feed-link a")]
    assert [params_of(href) for href in hrefs] == [
        ("/news/feed/", query),
        ("/news/export.csv", query),
    ]


def test_filter_form_is_a_get_form_with_fieldsets(filter_world, client):
    soup = soup_of(client.get("/news/", {"sector": "metals", "q": "tungsten"}))
    form = soup.select_one("form#filters")
    assert form["method"].lower() == "get"
    assert form.get("action", "") in ("", "/news/")
    fieldsets = form.select("fieldset")
    legends = [
        fieldset.select_one("legend").get_text(strip=True) for fieldset in fieldsets
    ]
    assert legends == [
        "Officials",
        "Organisations",
        "Sectors",
        "Regions",
        "Topics",
        "Regulations",
        "Release date",
    ]
    for name in kinds.NAMES:
        boxes = form.select(f"fieldset#facet-{name} input[type=checkbox]")
        assert boxes and all(box["name"] == name for box in boxes)
        for box in boxes:  # every checkbox has its label
            assert form.select_one(f'label[for="{box["id"]}"]') is not None
    assert form.select_one('input[name="q"]')["value"] == "tungsten"
    assert form.select_one('input[name="from"][type="date"]') is not None
    assert form.select_one('input[name="to"][type="date"]') is not None
    assert form.select_one('select[name="sort"]') is not None
    assert form.select_one('button[type="submit"]') is not None
    assert form.select_one('input[value="metals"]').has_attr("checked")
    # no CSRF token: a bookmarkable GET form
    assert form.select_one('input[name="csrfmiddlewaretoken"]') is None


def test_form_errors_are_next_to_their_fields(filter_world, client):
    soup = soup_of(
        client.get("/news/", {"region": "atlantis", "from": "soon", "to": "2020-01-01"})
    )
    region_error = soup.select_one("fieldset#facet-region p.form-error")
    assert "atlantis" in region_error.get_text()
    date_errors = soup.select("fieldset.facet--dates .form-error")
    assert [error["id"] for error in date_errors] == ["filter-from-error"]
    # "to" alone is valid and applies; the region and the bad date do not
    assert listed(soup) == []  # nothing before 2020
    soup = soup_of(client.get("/news/", {"region": "atlantis", "from": "soon"}))
    assert len(listed(soup)) == 12
