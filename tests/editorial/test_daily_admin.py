"""What an editor meets daily (issue #26, item 9): the officials list names each
one's current position; a withdrawn release is no longer offered to searchers."""

import datetime

import pytest

from tests.factories import make_official, make_release

pytestmark = pytest.mark.django_db


def test_the_officials_list_shows_the_current_position(editor_client):
    make_official(
        "Agus Gumiwang",
        [
            ("Minister of Social Affairs", "Ministry of Social Affairs", "2018-01-17",
             "2019-10-20"),
            ("Minister of Industry", "Ministry of Industry", "2019-10-23", None),
        ],
    )  # fmt: skip
    make_official(
        "Retired Official",
        [("Director", "Ministry of Industry", "2010-01-01", "2015-01-01")],
    )

    response = editor_client.get("/admin/snippets/newsroom/official/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "Current position" in text
    assert "Minister of Industry" in text
    assert "Minister of Social Affairs" not in text  # an earlier post


def test_a_withdrawn_release_asks_not_to_be_indexed(client, newsroom):
    release = make_release(
        "Withdrawn statement",
        withdrawn=True,
        withdrawn_on=datetime.date(2024, 10, 1),
        withdrawal_reason="Figures were wrong.",
    )
    live = make_release("Live statement")

    withdrawn_page = client.get(release.url).content.decode()
    live_page = client.get(live.url).content.decode()

    assert '<meta name="robots" content="noindex, follow">' in withdrawn_page
    assert '<meta name="robots" content="index, follow">' in live_page
