"""A one-word query's first page proven from the titles down
(newsroom/finder/title_first.py), on PostgreSQL: the bound it rests on, and the
pages it gives against Wagtail's own ranking, on the broad path (the exact
limit lowered to 0, as in test_broad_search.py)."""

import random

import pytest
from django.conf import settings as django_settings

from newsroom.finder import title_first
from newsroom.models import PressReleasePage
from tests.channels.test_i18n import indonesian, pair  # noqa: F401 (fixtures)
from tests.finder.test_broad_search import page, slugs, wagtails_ranking

pytestmark = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="ts_rank and the broad path are PostgreSQL's",
)


def spy_on_proofs(monkeypatch):
    """A list that receives what each walk returned (None: not proven)."""
    proofs = []
    walk = title_first.best_matches
    monkeypatch.setattr(
        title_first,
        "best_matches",
        lambda *args: proofs.append(walk(*args)) or proofs[-1],
    )
    return proofs


def every_page(client, query, size):
    """The slugs of every page of results for ``query``, pages of ``size``, in
    order (as many pages as Wagtail finds matches for)."""
    seen = []
    for number in range(1, (len(wagtails_ranking(query)) + size - 1) // size + 1):
        seen += slugs(page(client, {"q": query, "page": number}))
    return seen


def ranks(vectors):
    from django.db import connection
    from modelsearch.backends.database.postgres.weights import get_sql_weights

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_rank(%s::float4[], vector::tsvector, 'x'::tsquery) "
            "FROM unnest(%s::text[]) AS vector",
            [get_sql_weights(), vectors],
        )
        return [rank for (rank,) in cursor.fetchall()]


@pytest.mark.parametrize("letters", ["A", "B", "D", "BD", "AD", "ABCD"])
def test_the_bound_is_above_any_one_word_rank(db, letters):
    """Whatever the occurrences (up to tsvector's 256 kept) and their weights
    among ``letters``, ts_rank stays below ``vector_bound``; with one weight,
    many occurrences come close to it, so it is not loose."""
    rng = random.Random(letters)
    vectors = []
    for _ in range(300):
        count = rng.choice([1, 2, 3, 10, 256, rng.randint(1, 256)])
        positions = sorted(rng.sample(range(1, 16384), count))
        weights = [rng.choice(letters) for _ in positions]
        if rng.random() < 0.3:  # the highest weight last, the worst case
            weights = sorted(weights, reverse=True)
        occurrences = zip(positions, weights, strict=True)
        vectors.append("'x':" + ",".join(f"{p}{w}" for p, w in occurrences))
    bound = title_first.vector_bound(set(letters))
    found = ranks(vectors)
    assert max(found) < bound
    if len(letters) == 1:
        assert max(found) > 0.99 * bound


def test_the_bounds_follow_the_search_fields():
    """Releases index their title at one weight (boost 2) and everything else
    at the lowest, so both bounds are one weight each."""
    from modelsearch.backends.database.postgres.weights import (
        WEIGHTS_VALUES,
        get_weight,
    )

    bounds = title_first.rank_bounds(PressReleasePage)
    assert bounds.title == WEIGHTS_VALUES[-1 - "ABCD".index(get_weight(2))]
    assert bounds.body == WEIGHTS_VALUES[0]


@pytest.mark.parametrize("query", ["smelter", "tungsten", "industrial"])
def test_a_word_in_titles_is_proven_in_wagtails_order(
    filter_world, client, settings, monkeypatch, query
):
    """The first page (of one here: a page is proven only where the titles
    alone hold enough releases to fill it) is Wagtail's first."""
    settings.NEWSROOM_SEARCH_EXACT_LIMIT = 0
    settings.NEWSROOM_PAGE_SIZE = 1
    proofs = spy_on_proofs(monkeypatch)
    expected = wagtails_ranking(query)
    assert slugs(page(client, {"q": query})) == expected[:1] and expected
    assert proofs == [[proofs[0][0]]] and proofs[0][0] is not None


@pytest.mark.parametrize(
    "query", ["Cahyanto", "smelter expansion", "smelter-expansion"]
)
def test_what_the_bound_does_not_cover_goes_to_the_index_window(
    filter_world, client, settings, monkeypatch, query
):
    """A word in no title (its rank is the body's alone), or several words,
    apart or hyphenated (their ts_rank rewards nearness, unbounded by weight):
    nothing is proven and the RUM index's window gives the page, still
    Wagtail's order on a corpus this small."""
    settings.NEWSROOM_SEARCH_EXACT_LIMIT = 0
    proofs = spy_on_proofs(monkeypatch)
    expected = wagtails_ranking(query)
    assert slugs(page(client, {"q": query})) == expected
    assert proofs == [None]


@pytest.mark.parametrize("size", [1, 2, 3])
def test_short_stretches_give_the_same_pages(
    filter_world, client, settings, monkeypatch, size
):
    """Stretches of one entry and up, pages of one to three: every page proven
    or handed on gives Wagtail's order, each release once."""
    settings.NEWSROOM_SEARCH_EXACT_LIMIT = 0
    settings.NEWSROOM_PAGE_SIZE = size
    monkeypatch.setattr(title_first, "FIRST_STRETCH", 1)
    proofs = spy_on_proofs(monkeypatch)
    for query in ["smelter", "industrial", "tungsten"]:
        assert every_page(client, query, size) == wagtails_ranking(query)
    # A page is proven where the titles alone hold enough releases to fill it:
    # with pages of one, the first page of one word here at least.
    assert size > 1 or any(proof is not None for proof in proofs)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "smelter", "region": "central-sulawesi"},
        {"q": "industrial", "sector": "metals"},
        {"q": "smelter", "official": "eko-cahyanto", "sort": "relevance"},
    ],
)
def test_filters_keep_the_walk_within_them(
    filter_world, client, settings, monkeypatch, params
):
    """The walk reads only entries whose listing rows pass the filters: its
    page is the exact path's (every match ranked by Wagtail's ts_rank)."""
    from django.core.cache import cache

    settings.NEWSROOM_PAGE_SIZE = 1
    exact = slugs(page(client, params))
    assert exact
    cache.clear()  # the same address, answered again rather than from the cache
    settings.NEWSROOM_SEARCH_EXACT_LIMIT = 0
    proofs = spy_on_proofs(monkeypatch)
    assert slugs(page(client, params)) == exact
    assert proofs and proofs[-1] is not None


@pytest.mark.parametrize("size", [1, 3])
def test_without_the_rum_index_what_is_not_proven_is_ranked_whole(
    filter_world, client, settings, monkeypatch, size
):
    """A server without the extension: the titles prove what they can, every
    other page is ranked as on the exact path, all in Wagtail's order."""
    from newsroom.finder import broad_search

    monkeypatch.setattr(broad_search, "_rum_ready", {"default": False})
    settings.NEWSROOM_SEARCH_EXACT_LIMIT = 0
    settings.NEWSROOM_PAGE_SIZE = size
    proofs = spy_on_proofs(monkeypatch)
    for query in ["smelter", "Cahyanto", "tungsten"]:
        assert every_page(client, query, size) == wagtails_ranking(query)
    assert None in proofs and (size > 1 or any(proofs))


def test_later_stretches_prove_wagtails_first(filter_world, monkeypatch):
    """Short stretches (five entries, then fifty): the walk goes on past the
    first, where entries whose title part cannot lift them above the best
    found are left unranked, and what it proves is Wagtail's first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsroom.finder import full_text
    from newsroom.models import ListedRelease

    monkeypatch.setattr(title_first, "FIRST_STRETCH", 1)
    monkeypatch.setattr(title_first, "PROMISING", 0)
    backend = full_text.postgres_backend()
    published = PressReleasePage.objects.published().values("pk")
    proven_after_one = 0
    for query in ["smelter", "industrial", "tungsten", "steel", "solar"]:
        ranking = [
            release.pk
            for release in PressReleasePage.objects.filter(pk__in=published).search(
                query
            )
        ]
        with CaptureQueriesContext(connection) as statements:
            proof = title_first.best_matches(
                ListedRelease.objects.all(), backend, query, 1
            )
        assert proof in (None, ranking[:1])
        proven_after_one += proof is not None and len(statements) > 1
    assert proven_after_one


@pytest.mark.parametrize("config", [None, "english", "simple"])
def test_one_word_is_told_with_or_without_a_configuration(db, config):
    """With SEARCH_CONFIG set, the configuration stands beside the query's
    terms; one word is still told from several."""
    from modelsearch.backends.database.postgres.postgres import (
        PostgresSearchBackend,
    )

    from newsroom.finder import full_text

    backend = PostgresSearchBackend({"SEARCH_CONFIG": config} if config else {})
    told = {
        query: title_first._one_word(full_text._compiled(backend, query)[1])
        for query in ["industry", "industry ministry", "agro-industry"]
    }
    assert told == {
        "industry": True,
        "industry ministry": False,
        "agro-industry": False,
    }


def test_a_walk_without_budget_is_off(filter_world, client, settings, monkeypatch):
    settings.NEWSROOM_SEARCH_EXACT_LIMIT = 0
    settings.NEWSROOM_SEARCH_TITLE_WALK = 0
    proofs = spy_on_proofs(monkeypatch)
    assert slugs(page(client, {"q": "smelter"})) == wagtails_ranking("smelter")
    assert proofs == [None]


def test_each_language_walks_its_own_newsroom(
    client,
    settings,
    monkeypatch,
    pair,  # noqa: F811 (the fixture imported above)
):
    """The walk reads entries of both languages and keeps the rows of the
    newsroom asked: "Morowali", in both titles (and in the bodies of releases
    in that regency), proves each one's own first."""
    english, translated = pair
    settings.NEWSROOM_SEARCH_EXACT_LIMIT = 0
    settings.NEWSROOM_PAGE_SIZE = 1
    proofs = spy_on_proofs(monkeypatch)
    assert slugs(page(client, {"q": "Morowali"})) == [english.slug]
    assert slugs(page(client, {"q": "Morowali"}, "/id/news/")) == [translated.slug]
    assert proofs == [[english.pk], [translated.pk]]
