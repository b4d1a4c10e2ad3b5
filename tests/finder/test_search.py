"""Full-text search (`q`) on both database backends.

SQLite FTS5 (unicode61 tokenizer) and PostgreSQL full text (english config) differ:
PostgreSQL stems ("estate" finds "estates") and drops stop words ("the", "and"
find nothing), SQLite does neither; neither matches a word prefix ("tungst").
These tests use whole words that occur in one form only, so both agree; the
behaviour that differs is pinned per backend at the end. Words of several terms
must all match (AND) on both.
"""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.http import QueryDict

from newsroom.finder.filterset import ReleaseFilterSet
from newsroom.finder.query import hydrate, scope_queryset
from newsroom.models import ReleaseOfficial, ReleaseRegulation
from tests.factories import filter_world_matches

IS_SQLITE = django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def run(world, params, scope_kind=None, scope_entity=None):
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    filterset = ReleaseFilterSet(
        data, queryset=scope_queryset(world.newsroom, scope_kind, scope_entity)
    )
    # Results are listing-table rows (or search hits): load their releases.
    return filterset, [release.slug for release in hydrate(filterset.results())]


def listed(response):
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        link["href"].rstrip("/").rsplit("/", 1)[-1]
        for link in soup.select(".release-card__title a")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("quorum", ["r01"]),  # title
        ("zeolite", ["r03"]),  # standfirst
        ("wafer", ["r02"]),  # body (StreamField paragraph)
        ("Cahyanto", ["r01", "r04", "r08", "r11"]),  # official's name
        ("Eko Cahyanto", ["r01", "r04", "r08", "r11"]),
        ("Photovoltaics", ["r02", "r06", "r08"]),  # sector's name
        ("Morowali", ["r01", "r08"]),  # region's name
        ("Konawe", ["r04"]),
        ("Bahodopi", ["r04", "r08"]),  # organisation's name
        ("Presidential", ["r06", "r12"]),  # a cited regulation's name
        ("tungsten", ["r05", "r10", "r12"]),
        ("QUORUM", ["r01"]),  # any case
        ("morowali", ["r01", "r08"]),
        ("tungsten quorum", []),  # every word must match
        ("quorum Morowali", ["r01"]),
        ("zirconium", []),  # only in draft, withdrawn and private releases
        ("nothingmatcheshere", []),
    ],
)
def test_query_matches(filter_world, client, query, expected):
    filterset, slugs = run(filter_world, {"q": query})
    assert sorted(slugs) == expected
    assert sorted(filter_world_matches({"q": query})) == expected
    assert sorted(listed(client.get("/news/", {"q": query}))) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "tungsten", "sector": "metals"}, ["r05", "r12"]),
        ({"q": "tungsten", "sector": "energy"}, ["r10"]),
        ({"q": "tungsten", "region": "north-maluku"}, ["r12"]),
        ({"q": "tungsten", "region": "central-sulawesi"}, ["r05"]),
        ({"q": "Cahyanto", "region": "central-sulawesi"}, ["r01", "r08"]),
        ({"q": "tungsten", "official": "faisol-riza"}, ["r05", "r12"]),
        ({"q": "Cahyanto", "official": "agus-gumiwang"}, ["r11"]),
        ({"q": "tungsten", "topic": "lithium"}, ["r12"]),
        (
            {"q": "Photovoltaics", "topic": ["green-industry", "cobalt"]},
            ["r02", "r06", "r08"],
        ),
        ({"q": "tungsten", "organisation": "kemenperin"}, ["r05", "r10"]),
        ({"q": "tungsten", "from": "2022-12-31"}, ["r05", "r12"]),  # inclusive
        ({"q": "tungsten", "to": "2022-12-31"}, ["r05", "r10"]),
        (
            {"q": "Cahyanto", "from": "2023-03-15", "to": "2024-09-27"},
            ["r01", "r04", "r11"],
        ),
        ({"q": "Morowali", "sector": "energy", "from": "2025-01-01"}, ["r08"]),
        ({"q": "zirconium", "official": "eko-cahyanto"}, []),
        ({"q": "Presidential", "regulation": "law-3-2020"}, ["r06"]),
        ({"q": "tungsten", "regulation": "presidential-regulation-55-2019"}, ["r12"]),
    ],
)
def test_query_combined_with_filters(filter_world, client, params, expected):
    _, slugs = run(filter_world, params)
    assert sorted(slugs) == expected
    assert sorted(filter_world_matches(params)) == expected
    assert sorted(listed(client.get("/news/", params))) == expected


def test_query_inside_a_hub(filter_world):
    _, slugs = run(
        filter_world, {"q": "tungsten"}, "sectors", filter_world.sectors["metals"]
    )
    assert sorted(slugs) == ["r05", "r12"]


def test_sort_with_a_query(filter_world, client):
    # r05 has "tungsten" in its title, standfirst and three times in its body; r10
    # and r12 once each in the body. r05 is neither the newest nor the oldest.
    filterset, slugs = run(filter_world, {"q": "tungsten"})
    assert filterset.sort_order == "relevance"
    assert slugs[0] == "r05"
    assert listed(client.get("/news/", {"q": "tungsten"}))[0] == "r05"
    explicit = listed(client.get("/news/", {"q": "tungsten", "sort": "relevance"}))
    assert explicit[0] == "r05"
    _, slugs = run(filter_world, {"q": "tungsten", "sort": "newest"})
    assert slugs == ["r12", "r05", "r10"]
    assert listed(client.get("/news/", {"q": "tungsten", "sort": "newest"})) == slugs
    _, slugs = run(filter_world, {"q": "tungsten", "sort": "oldest"})
    assert slugs == ["r10", "r05", "r12"]
    assert listed(client.get("/news/", {"q": "tungsten", "sort": "oldest"})) == slugs
    # an invalid sort with a query keeps the query's default, relevance
    filterset, slugs = run(filter_world, {"q": "tungsten", "sort": "bogus"})
    assert "sort" in filterset.errors
    assert filterset.sort_order == "relevance"
    assert slugs[0] == "r05"


def test_paginated_search(filter_world, client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    first = listed(client.get("/news/", {"q": "tungsten", "sort": "newest"}))
    second = listed(
        client.get("/news/", {"q": "tungsten", "sort": "newest", "page": "2"})
    )
    assert first + second == ["r12", "r05", "r10"]
    response = client.get("/news/", {"q": "tungsten", "page": "3"})
    assert response.status_code == 404


@pytest.mark.parametrize("blank", ["", " ", "   \t ", "\n"])
def test_empty_or_blank_query_is_no_search(filter_world, client, blank):
    filterset, slugs = run(filter_world, {"q": blank})
    assert filterset.query == ""
    assert filterset.sort_order == "newest"
    assert slugs == filter_world_matches({})
    response = client.get("/news/", {"q": blank, "sector": "steel"})
    assert listed(response) == ["r09", "r03"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert "matching" not in soup.select_one(".result-count").get_text()
    assert soup.select_one('#filter-sort option[value="relevance"]') is None


def test_query_whitespace_is_normalised(filter_world):
    filterset, slugs = run(filter_world, {"q": "  quorum \t  Morowali "})
    assert filterset.query == "quorum Morowali"
    assert slugs == ["r01"]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param('"'),
        pytest.param('nickel"'),
        "'",
        "(",
        "*",
        "nickel*",
        "OR OR",
        "NOT nickel",
        "-nickel",
        "title:nickel",
        "NEAR(nickel smelter)",
        "\\",
        "%",
        "<script>alert(1)</script>",
        "ñandú 日本語",
        "x" * 10_000,
        "tungsten " * 1200,
    ],
)
def test_query_syntax_never_breaks_the_listing(filter_world, client, query):
    response = client.get("/news/", {"q": query, "sector": "metals"})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_over_long_query_is_cut(filter_world, client, settings):
    query = "tungsten " + "y" * 10_000
    filterset, _ = run(filter_world, {"q": query})
    assert len(filterset.query) == settings.NEWSROOM_MAX_QUERY_LENGTH
    response = client.get("/news/", {"q": query})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    shown = soup.select_one('form#filters input[name="q"]')["value"]
    assert len(shown) == settings.NEWSROOM_MAX_QUERY_LENGTH


def test_search_sees_officials_added_when_a_release_is_republished(filter_world):
    release = filter_world.releases["r04"]  # Eko only
    page = release.get_latest_revision_as_object()
    page.release_officials = [
        ReleaseOfficial(official=filter_world.officials["wang-jiangping"])
    ]
    page.save_revision().publish()
    _, slugs = run(filter_world, {"q": "Jiangping"})
    assert sorted(slugs) == ["r01", "r04", "r09"]
    _, slugs = run(filter_world, {"q": "Cahyanto"})
    assert sorted(slugs) == ["r01", "r08", "r11"]


def test_search_sees_regulations_cited_when_a_release_is_republished(filter_world):
    release = filter_world.releases["r07"]  # cites nothing
    page = release.get_latest_revision_as_object()
    regulation = filter_world.regulations["presidential-regulation-55-2019"]
    page.release_regulations = [ReleaseRegulation(regulation=regulation, sort_order=0)]
    page.save_revision().publish()
    _, slugs = run(filter_world, {"q": "Presidential"})
    assert sorted(slugs) == ["r06", "r07", "r12"]


# --- where the two backends differ ---------------------------------------------------


@pytest.mark.skipif(IS_SQLITE, reason="PostgreSQL full text only")
def test_postgres_stems_and_drops_stop_words(filter_world):
    assert sorted(run(filter_world, {"q": "estate"})[1]) == ["r01", "r05"]
    assert run(filter_world, {"q": "the"})[1] == []


@pytest.mark.skipif(not IS_SQLITE, reason="SQLite FTS5 only")
def test_sqlite_matches_exact_words_only(filter_world):
    assert run(filter_world, {"q": "estate"})[1] == []
    assert sorted(run(filter_world, {"q": "estates"})[1]) == ["r01", "r05"]


def test_no_backend_matches_a_prefix(filter_world):
    assert run(filter_world, {"q": "tungst"})[1] == []


@pytest.mark.skipif(IS_SQLITE, reason="PostgreSQL full text only")
@pytest.mark.parametrize(
    "query", ["tungsten", "estate", "Morowali", "Eko Cahyanto", "Photovoltaics"]
)
def test_postgres_listing_matches_and_ranks_as_wagtails_search(filter_world, query):
    """The listing matches on the index entries and ranks only the matching rows
    (newsroom/finder/full_text.py); the releases and their order are Wagtail's own."""
    from newsroom.models import PressReleasePage

    _, slugs = run(filter_world, {"q": query})
    wagtails = [
        release.slug
        for release in PressReleasePage.objects.filter(
            pk__in=PressReleasePage.objects.published().values("pk")
        ).search(query)
    ]
    assert slugs == wagtails and slugs


@pytest.mark.skipif(IS_SQLITE, reason="PostgreSQL full text only")
def test_postgres_match_reads_only_the_index_entries(filter_world):
    """The match is a subquery of the index entries alone (their GIN index on
    title || body answers it), not a join through the page tables that would test
    the text row by row for every filtered release."""
    from newsroom.finder.filterset import text_matches

    sql = str(text_matches("tungsten").query)
    assert "wagtailsearch_indexentry" in sql
    assert (
        '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body")'
        in sql
    )
    assert "wagtailcore_page" not in sql and "pressreleasepage" not in sql
    assert run(filter_world, {"q": "- -"})[1] == []  # nothing searchable in it
