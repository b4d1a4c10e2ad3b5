"""ReleaseFilterSet: which releases a query string selects, directly and over HTTP.

The fixture world is FILTER_WORLD_* in tests/factories/filter_world.py; expected keys
below are written out by hand from that table (r01 is the release with slug "r01").
"""

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict

from newsroom import kinds
from newsroom.finder.filterset import ReleaseFilterSet
from newsroom.finder.query import hydrate, scope_queryset
from tests.factories import FILTER_WORLD_HIDDEN, filter_world_matches

NEWEST_FIRST = [
    "r08",  # 2025-02-10
    "r09",  # 2024-09-27, created after r01
    "r01",  # 2024-09-27
    "r02",  # 2024-06-14
    "r12",  # 2024-01-15
    "r03",  # 2023-11-02
    "r11",  # 2023-06-30
    "r04",  # 2023-03-15
    "r05",  # 2022-12-31
    "r06",  # 2022-01-01
    "r07",  # 2021-07-20
    "r10",  # 2021-03-03
]
HIDDEN_SLUGS = {f"hidden-{key}" for key in FILTER_WORLD_HIDDEN}


def query_dict(params):
    return QueryDict(urlencode(params, doseq=True))


def run_filterset(world, params):
    filterset = ReleaseFilterSet(
        query_dict(params), queryset=scope_queryset(world.newsroom)
    )
    # Results are listing-table rows (or search hits): load their releases.
    return filterset, [release.slug for release in hydrate(filterset.results())]


def listed(response):
    """Slugs of the release cards on a listing page, in order."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        link["href"].rstrip("/").rsplit("/", 1)[-1]
        for link in soup.select(".release-card__title a")
    ]


def in_order(keys):
    return [key for key in NEWEST_FIRST if key in set(keys)]


FILTER_CASES = [
    # (params, expected keys in any order)
    ({}, NEWEST_FIRST),
    # a parent sector includes its sub-sectors
    ({"sector": "metals"}, ["r01", "r03", "r04", "r05", "r06", "r09", "r12"]),
    ({"sector": "nickel-smelting"}, ["r01", "r04", "r06", "r12"]),
    ({"sector": "energy"}, ["r02", "r06", "r08", "r10"]),
    # OR within one parameter
    ({"sector": ["steel", "photovoltaics"]}, ["r02", "r03", "r06", "r08", "r09"]),
    ({"sector": ["metals", "energy"]}, sorted(set(NEWEST_FIRST) - {"r07", "r11"})),
    # three region levels: country > province > regency/city
    ({"region": "indonesia"}, sorted(set(NEWEST_FIRST) - {"r09"})),
    ({"region": "central-sulawesi"}, ["r01", "r05", "r07", "r08"]),
    ({"region": "southeast-sulawesi"}, ["r04"]),
    ({"region": "morowali-regency"}, ["r01", "r08"]),
    ({"region": "palu"}, ["r05", "r07"]),
    ({"region": ["konawe-regency", "china"]}, ["r01", "r02", "r04", "r09"]),
    ({"official": "eko-cahyanto"}, ["r01", "r04", "r08", "r11"]),
    (
        {"official": ["eko-cahyanto", "wang-jiangping"]},
        ["r01", "r04", "r08", "r09", "r11"],
    ),
    ({"organisation": "bip"}, ["r04", "r08"]),
    ({"organisation": ["bip", "miit"]}, ["r01", "r02", "r04", "r08", "r09"]),
    ({"topic": "green-industry"}, ["r02", "r03", "r08", "r10"]),
    ({"topic": ["lithium", "cobalt"]}, ["r06", "r09", "r12"]),
    # a regulation's releases are those citing it, not those citing what amends it
    ({"regulation": "law-3-2020"}, ["r01", "r06", "r11"]),
    ({"regulation": "law-4-2009"}, ["r04", "r11"]),
    (
        {"regulation": ["presidential-regulation-55-2019", "law-4-2009"]},
        ["r04", "r06", "r11", "r12"],
    ),
    # AND across parameters
    ({"sector": "metals", "region": "china"}, ["r01", "r09"]),
    (
        {"sector": "metals", "region": "central-sulawesi", "official": "faisol-riza"},
        ["r05"],
    ),
    ({"official": "agus-gumiwang", "topic": "green-industry"}, ["r02", "r03", "r10"]),
    (
        {
            "sector": "energy",
            "region": "indonesia",
            "topic": "green-industry",
            "organisation": "kemenperin",
        },
        ["r02", "r10"],
    ),
    ({"sector": ["metals", "energy"], "region": "north-maluku"}, ["r06", "r12"]),
    ({"official": ["eko-cahyanto", "faisol-riza"], "topic": "nickel"}, ["r01", "r04"]),
    ({"sector": "textiles", "official": "eko-cahyanto"}, []),
    (
        {"regulation": "government-regulation-96-2021", "sector": "nickel-smelting"},
        ["r01"],
    ),
    ({"regulation": "law-3-2020", "topic": "lithium"}, ["r06"]),
    ({"regulation": "law-4-2009", "region": "indonesia"}, ["r04", "r11"]),
    ({"regulation": "law-3-2020", "from": "2023-01-01"}, ["r01", "r11"]),
    # dates are inclusive: r04 is on 2023-03-15, r05 on 2022-12-31, r03 on 2023-11-02
    (
        {"from": "2023-03-15"},
        ["r01", "r02", "r03", "r04", "r08", "r09", "r11", "r12"],
    ),
    ({"to": "2022-12-31"}, ["r05", "r06", "r07", "r10"]),
    ({"from": "2023-03-15", "to": "2023-11-02"}, ["r03", "r04", "r11"]),
    ({"from": "2024-09-27", "to": "2024-09-27"}, ["r01", "r09"]),
    (
        {"sector": "nickel-smelting", "from": "2023-01-01", "to": "2024-12-31"},
        ["r01", "r04", "r12"],
    ),
    # (entities linked only to unpublished, withdrawn or private releases are
    # unknown slugs: tests/models/test_public_entities.py)
    ({"sector": "textiles", "region": "china"}, []),
]


@pytest.mark.parametrize(("params", "expected"), FILTER_CASES)
def test_filterset_selects(filter_world, params, expected):
    filterset, slugs = run_filterset(filter_world, params)
    assert filterset.is_valid(), filterset.errors
    assert slugs == in_order(expected)
    # the table above agrees with the Python model used for the facet counts
    assert slugs == filter_world_matches(params)


@pytest.mark.parametrize(("params", "expected"), FILTER_CASES)
def test_listing_selects(filter_world, client, params, expected):
    response = client.get("/news/", params)
    assert response.status_code == 200
    assert listed(response) == in_order(expected)


def test_hidden_releases_never_listed(filter_world, client):
    # They are linked to Eko, Photovoltaics, Morowali, Law 3/2020 and more, all dated
    # 2024-09-27 (the date of r01 and r09).
    for params in [
        {},
        {"official": "eko-cahyanto"},
        {"sector": "photovoltaics"},
        {"region": "morowali-regency"},
        {"regulation": "law-3-2020"},
        {"from": "2024-09-27", "to": "2024-09-27"},
        {"q": "zirconium"},
    ]:
        _, slugs = run_filterset(filter_world, params)
        assert not HIDDEN_SLUGS & set(slugs), params
        response = client.get("/news/", params)
        assert not HIDDEN_SLUGS & set(listed(response)), params
    # the withdrawn release keeps its URL; the other two are not public
    assert client.get("/news/hidden-withdrawn/").status_code == 200
    assert client.get("/news/hidden-draft/").status_code == 404
    private = client.get("/news/hidden-private/")  # a password form
    assert b"Zirconium private briefing" not in private.content


# --- bad parameters: form errors, never a server error ------------------------------


def errors_by_field(response):
    """{field id: error text} of the form errors shown in the filter form."""
    soup = BeautifulSoup(response.content, "html.parser")
    return {p["id"]: p.get_text(" ", strip=True) for p in soup.select(".form-error")}


UNKNOWN_SLUG_LABELS = {
    "official": "official",
    "organisation": "organisation",
    "sector": "sector",
    "region": "region",
    "topic": "topic",
    "regulation": "regulation",
}
assert set(UNKNOWN_SLUG_LABELS) == set(kinds.NAMES), "a kind is missing here"


@pytest.mark.parametrize(("name", "label"), UNKNOWN_SLUG_LABELS.items())
def test_unknown_slug_is_a_form_error_and_filters_nothing(
    filter_world, client, name, label
):
    filterset, slugs = run_filterset(filter_world, {name: "no-such-thing"})
    assert name in filterset.errors
    assert slugs == NEWEST_FIRST

    response = client.get("/news/", {name: "no-such-thing"})
    assert response.status_code == 200
    assert listed(response) == NEWEST_FIRST
    error = errors_by_field(response)[f"facet-{name}-error"]
    assert f"There is no {label}" in error and "no-such-thing" in error
    # the error sits inside the field's own fieldset
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(f"fieldset#facet-{name} .form-error") is not None


def test_unknown_slug_leaves_other_filters_applied(filter_world, client):
    params = {"sector": "no-such-sector", "region": "china"}
    filterset, slugs = run_filterset(filter_world, params)
    assert list(filterset.errors) == ["sector"]
    assert slugs == ["r09", "r01", "r02"]
    response = client.get("/news/", params)
    assert response.status_code == 200
    assert listed(response) == ["r09", "r01", "r02"]
    assert "facet-sector-error" in errors_by_field(response)


def test_one_unknown_slug_among_several_ignores_the_whole_parameter(filter_world):
    """Documented: an invalid value leaves the result unfiltered by that field."""
    filterset, slugs = run_filterset(
        filter_world, {"sector": ["steel", "no-such-sector"]}
    )
    assert "sector" in filterset.errors
    assert slugs == NEWEST_FIRST


@pytest.mark.parametrize("bad", ["2023-02-30", "yesterday", "2023-13-01", "20230315"])
def test_malformed_from_date(filter_world, client, bad):
    params = {"from": bad, "to": "2022-12-31"}
    filterset, slugs = run_filterset(filter_world, params)
    assert list(filterset.errors) == ["from"]
    assert slugs == ["r05", "r06", "r07", "r10"]  # filtered by "to" only

    response = client.get("/news/", params)
    assert response.status_code == 200
    assert listed(response) == ["r05", "r06", "r07", "r10"]
    assert "filter-from-error" in errors_by_field(response)
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.select_one("#filter-from")
    assert field["aria-invalid"] == "true"
    assert field["aria-describedby"] == "filter-from-error"
    assert field["value"] == bad  # what the reader typed stays in the field


def test_malformed_to_date(filter_world, client):
    response = client.get("/news/", {"to": "31/31/2024"})
    assert response.status_code == 200
    assert listed(response) == NEWEST_FIRST
    assert set(errors_by_field(response)) == {"filter-to-error"}


def test_from_after_to_is_an_error_on_to(filter_world, client):
    params = {"from": "2024-01-01", "to": "2023-01-01"}
    filterset, slugs = run_filterset(filter_world, params)
    assert list(filterset.errors) == ["to"]
    expected = ["r08", "r09", "r01", "r02", "r12"]  # "from" still applies
    assert slugs == expected
    response = client.get("/news/", params)
    assert response.status_code == 200
    assert listed(response) == expected
    errors = errors_by_field(response)
    assert set(errors) == {"filter-to-error"}
    assert "before the start date" in errors["filter-to-error"]


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5", "99999999999999"])
def test_page_out_of_range_or_not_a_number_is_404(filter_world, client, settings, page):
    settings.NEWSROOM_PAGE_SIZE = 5  # 12 releases: pages 1 to 3
    assert client.get("/news/", {"page": "3"}).status_code == 200
    assert client.get("/news/", {"page": page}).status_code == 404


def test_page_past_end_of_filtered_results_is_404(filter_world, client, settings):
    settings.NEWSROOM_PAGE_SIZE = 5
    assert client.get("/news/", {"sector": "metals", "page": "2"}).status_code == 200
    assert client.get("/news/", {"sector": "metals", "page": "3"}).status_code == 404
    # no result at all is still a page 1
    nothing = {"sector": "textiles", "region": "china"}
    assert client.get("/news/", nothing).status_code == 200
    assert client.get("/news/", {**nothing, "page": "2"}).status_code == 404


def test_very_long_query_is_cut_not_refused(filter_world, client, settings):
    query = "tungsten " + "x" * 10_000
    filterset, _ = run_filterset(filter_world, {"q": query})
    assert filterset.is_valid()
    assert filterset.query == query[: settings.NEWSROOM_MAX_QUERY_LENGTH]
    response = client.get("/news/", {"q": query})
    assert response.status_code == 200
    response = client.get("/news/", {"q": "nickel " * 1500, "sector": "metals"})
    assert response.status_code == 200


# --- sort ---------------------------------------------------------------------------


def test_sort_newest_is_the_default(filter_world, client):
    filterset, slugs = run_filterset(filter_world, {})
    assert filterset.sort_order == "newest"
    assert slugs == NEWEST_FIRST
    assert listed(client.get("/news/", {"sort": "newest"})) == NEWEST_FIRST


def test_sort_oldest(filter_world, client):
    oldest_first = [
        "r10", "r07", "r06", "r05", "r04", "r11", "r03", "r12", "r02",
        "r01", "r09",  # same day: by id
        "r08",
    ]  # fmt: skip
    filterset, slugs = run_filterset(filter_world, {"sort": "oldest"})
    assert filterset.sort_order == "oldest"
    assert slugs == oldest_first
    assert listed(client.get("/news/", {"sort": "oldest"})) == oldest_first
    response = client.get("/news/", {"sort": "oldest", "sector": "metals"})
    assert listed(response) == ["r06", "r05", "r04", "r03", "r12", "r01", "r09"]


def test_sort_relevance_without_query_falls_back_to_newest(filter_world, client):
    filterset, slugs = run_filterset(filter_world, {"sort": "relevance"})
    assert filterset.is_valid()
    assert filterset.sort_order == "newest"
    assert slugs == NEWEST_FIRST
    response = client.get("/news/", {"sort": "relevance"})
    assert response.status_code == 200
    assert listed(response) == NEWEST_FIRST
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#filter-sort option[selected]")["value"] == "newest"
    # "Best match" is only offered with a query
    assert soup.select_one('#filter-sort option[value="relevance"]') is None


@pytest.mark.parametrize("bad", ["date", "NEWEST", "-release_date", ""])
def test_invalid_sort_is_an_error_and_keeps_the_default_order(
    filter_world, client, bad
):
    filterset, slugs = run_filterset(filter_world, {"sort": bad})
    if bad:
        assert "sort" in filterset.errors
    assert filterset.sort_order == "newest"
    assert slugs == NEWEST_FIRST
    response = client.get("/news/", {"sort": bad, "region": "china"})
    assert response.status_code == 200
    assert listed(response) == ["r09", "r01", "r02"]


def test_relevance_is_the_default_with_a_query(filter_world, client):
    filterset, _ = run_filterset(filter_world, {"q": "tungsten"})
    assert filterset.sort_order == "relevance"
    soup = BeautifulSoup(client.get("/news/", {"q": "tungsten"}).content, "html.parser")
    assert soup.select_one("#filter-sort option[selected]")["value"] == "relevance"


def test_one_form_class_each_request_its_own_fields(filter_world):
    """The form class is built once per filterset class (get_form_class); what
    one request resolves stays on its own form's fields."""
    from newsroom.finder.agenda import AgendaFilterSet

    sector, other = "nickel-smelting", "photovoltaics"
    first = ReleaseFilterSet(QueryDict(f"sector={sector}"))
    second = ReleaseFilterSet(QueryDict(f"sector={other}"))
    assert type(first.form) is type(second.form)
    assert type(AgendaFilterSet(QueryDict("")).form) is not type(first.form)
    assert first.form.fields["sector"] is not second.form.fields["sector"]
    assert [s.slug for s in first.selected("sector")] == [sector]
    assert [s.slug for s in second.selected("sector")] == [other]
    assert type(first.form).base_fields["sector"].resolved is None
