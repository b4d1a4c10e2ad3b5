"""An official quoted in the body is an official of the release, marked quoted
(issue #26, item 6): the editor chooses them once, in the quote."""

import json

import pytest

from newsroom.models import PressReleasePage
from newsroom.models.links import link_quoted
from tests.factories import make_official, make_release

pytestmark = pytest.mark.django_db


def quote(official, text="We will build it here."):
    return {"type": "quote", "value": {"text": text, "official": official.pk}}


def with_body(release, *blocks):
    release.body = json.dumps(list(blocks))
    return release


def test_a_quoted_official_is_added_with_the_role_of_the_day():
    minister = make_official(
        "Agus Gumiwang",
        [("Minister of Industry", "Ministry of Industry", "2019-10-23", None)],
    )
    release = with_body(make_release("Smelter opens"), quote(minister))

    assert link_quoted(release) == [minister]
    release.save()

    [link] = PressReleasePage.objects.get(pk=release.pk).release_officials.all()
    assert link.official == minister
    assert link.quoted is True
    assert link.role.startswith("Minister of Industry")


def test_an_official_already_listed_is_marked_quoted_not_added_twice():
    minister = make_official("Agus Gumiwang")
    other = make_official("Eko Cahyanto")
    release = make_release("Smelter opens", officials=[other, minister])
    with_body(release, quote(minister), quote(minister, "And again."))

    assert link_quoted(release) == []
    release.save()

    links = list(PressReleasePage.objects.get(pk=release.pk).release_officials.all())
    assert [(link.official, link.quoted) for link in links] == [
        (other, False),
        (minister, True),
    ]


def test_an_unnamed_spokesperson_adds_nobody():
    release = make_release("Smelter opens")
    release.body = json.dumps(
        [{"type": "quote", "value": {"text": "No comment.", "official": None}}]
    )

    assert link_quoted(release) == []
    assert list(release.release_officials.all()) == []
