"""The search backend (newsroom/finder/search_backend.py): Wagtail's database
backend, whose PostgreSQL index reads the average title length from a sample once
the index is large, and from every entry below that (so exactly as Wagtail)."""

from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import connection
from wagtail.search.backends import get_search_backend

from newsroom.finder import search_backend
from newsroom.models import PressReleasePage
from tests.factories import make_release

IS_SQLITE = django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
postgres_only = pytest.mark.skipif(
    IS_SQLITE, reason="the title norms are the PostgreSQL index's"
)


def test_the_backend_is_wagtails_database_one_for_each_database(db):
    backend = get_search_backend()
    if IS_SQLITE:
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

        assert type(backend) is SQLiteSearchBackend
    else:
        assert type(backend) is search_backend.SampledTitleNormBackend
        index = backend.get_index_for_model(PressReleasePage)
        assert type(index) is search_backend.SampledTitleNormIndex


def exact_average():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT AVG(LENGTH(title)) FROM wagtailsearch_indexentry "
            "WHERE LENGTH(title) > 0"
        )
        return float(cursor.fetchone()[0])


def norms():
    """{object id: (title_norm, title length)} of the releases' entries."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id, title_norm, LENGTH(title) FROM wagtailsearch_indexentry"
        )
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


@pytest.fixture
def indexed(newsroom):
    releases = [
        make_release("Nickel smelter opens in Morowali"),
        make_release("Photovoltaic deal signed with the ministry of Saudi Arabia"),
        make_release("Textiles"),
    ]
    # Every norm as a write leaves it, for the refresh to set.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtailsearch_indexentry SET title_norm = 1.0")
    return releases


def index():
    return get_search_backend().get_index_for_model(PressReleasePage)


@postgres_only
def test_a_small_index_is_averaged_whole_as_wagtail_does(indexed):
    assert index().sampled_title_length() == pytest.approx(exact_average(), abs=0)
    index()._refresh_title_norms()
    assert_norms_of_the_exact_average(indexed)


@postgres_only
def test_a_large_index_is_averaged_from_a_sample(indexed):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailsearch_indexentry")
        cursor.execute(
            "SELECT reltuples FROM pg_class "
            "WHERE oid = 'wagtailsearch_indexentry'::regclass"
        )
        (entries,) = cursor.fetchone()
    assert entries >= 3
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with (
        mock.patch.object(search_backend, "AVERAGE_SAMPLE_ROWS", 1),
        connection.execute_wrapper(record),
    ):
        average = index().sampled_title_length()
    assert "TABLESAMPLE SYSTEM" in statements[0]
    # A page or none of a few: some of the titles' mean, or nothing drawn.
    lengths = sorted(length for _, length in norms().values() if length)
    assert average is None or lengths[0] <= average <= lengths[-1]


def reset_norms():
    """Norms no refresh gives, so that the one under test must write them all."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtailsearch_indexentry SET title_norm = 1.0")


def assert_norms_of_the_exact_average(releases):
    average = exact_average()
    for release in releases:
        norm, length = norms()[str(release.pk)]
        assert norm == pytest.approx(average / length, rel=1e-12)


@postgres_only
def test_a_sample_that_draws_nothing_falls_back_to_every_entry(indexed):
    reset_norms()
    with mock.patch.object(
        search_backend.SampledTitleNormIndex, "sampled_title_length", return_value=None
    ):
        index()._refresh_title_norms()
    assert_norms_of_the_exact_average(indexed)


@postgres_only
def test_a_full_refresh_averages_every_entry_without_a_sample(indexed):
    reset_norms()
    with mock.patch.object(
        search_backend.SampledTitleNormIndex,
        "sampled_title_length",
        side_effect=AssertionError("not asked"),
    ):
        index()._refresh_title_norms(full=True)
    assert_norms_of_the_exact_average(indexed)
