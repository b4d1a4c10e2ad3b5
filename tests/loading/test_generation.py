"""The synthetic archive: prose shaped like real text, so a benchmark search
matches what a real one would (a subject word only in the releases about the
subject), written in bulk as real pages that Wagtail would index the same way."""

import random
from types import SimpleNamespace

import pytest
from django.conf import settings
from wagtail.search.backends import get_search_backend

from newsroom.loading.generation import (
    GENERAL_WORDS,
    _body,
    generate_releases,
    subject_words,
)
from newsroom.loading.search_entries import releases_to_index
from newsroom.models import PressReleasePage

IS_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def words_of(body):
    text = body[0]["value"].replace("<p>", " ").replace("</p>", " ").lower()
    return set(text.replace(".", " ").split())


def test_subject_words_are_only_in_releases_about_the_subject():
    rng = random.Random(3)
    nickel = subject_words([SimpleNamespace(name="nickel")])
    about_nickel = [words_of(_body(rng, 190, nickel)) for _ in range(100)]
    about_nothing = [words_of(_body(rng, 190, [])) for _ in range(100)]
    assert all("nickel" in words for words in about_nickel)
    assert not any("nickel" in words or "smelter" in words for words in about_nothing)


def test_general_words_are_common_and_most_words_rare():
    rng = random.Random(4)
    releases = [words_of(_body(rng, 190, [])) for _ in range(300)]
    share = {
        word: sum(word in words for words in releases) / len(releases)
        for words in releases
        for word in words
    }
    assert share[GENERAL_WORDS[0]] > 0.9  # the commonest word: nearly everywhere
    rare = [word for word, part in share.items() if part < 0.05]
    assert len(rare) > len(share) / 2  # a long tail, as in real prose


# --- the bulk path writes what Wagtail would ----------------------------------------

INDEX_COLUMNS = [
    "title",
    "autocomplete",
    "body",
    "title_norm",
    "title_text",
    "body_text",
]


def index_entries(ids):
    """Each release's search entry, column by column as the database holds it."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.search.models import IndexEntry

    content_type = ContentType.objects.get_for_model(PressReleasePage)

    columns = ", ".join(f"{column}::text" for column in INDEX_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_id, {columns} FROM {IndexEntry._meta.db_table} "
            "WHERE content_type_id = %s AND object_id = ANY(%s) ORDER BY object_id",
            [content_type.pk, [str(pk) for pk in ids]],
        )
        return cursor.fetchall()


@pytest.mark.django_db
@pytest.mark.skipif(IS_SQLITE, reason="the PostgreSQL backend's entries")
def test_bulk_search_entries_equal_wagtails_own():
    backend = get_search_backend()
    # A title's norm is the average title length when it was written over its
    # own, so both sides are renormed over the same table before comparing.
    renorm = backend.get_index_for_model(PressReleasePage)._refresh_title_norms
    ids = generate_releases(25, seed=7, batch_size=10, body_words=60)
    renorm(full=True)
    ours = index_entries(ids)
    assert len(ours) == 25
    backend.add_bulk(PressReleasePage, releases_to_index(ids))
    renorm(full=True)
    theirs = index_entries(ids)
    for mine, wagtails in zip(ours, theirs, strict=True):
        for column, a, b in zip(["id", *INDEX_COLUMNS], mine, wagtails, strict=True):
            assert a == b, (column, a, b)


@pytest.mark.django_db
def test_generated_releases_are_served_and_found(client):
    ids = generate_releases(12, seed=5, batch_size=5, body_words=60)
    release = PressReleasePage.objects.get(pk=ids[3])
    assert release.live and release.url_path.endswith(f"/{release.slug}/")
    assert client.get(release.url).status_code == 200
    word = release.title.split()[0]
    found = PressReleasePage.objects.live().search(release.title)
    assert release.pk in [result.pk for result in found], word
    official = release.release_officials.first()
    if official is not None:
        by_name = PressReleasePage.objects.search(official.official.name)
        assert release.pk in [result.pk for result in by_name]
