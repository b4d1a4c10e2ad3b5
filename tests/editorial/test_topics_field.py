"""Topics on the release form: one entry per topic between commas, several words
allowed without quotes, never shown with quotes (issue #26, item 9)."""

import pytest
from bs4 import BeautifulSoup

from newsroom.models import PressReleasePage
from newsroom.models.topic_field import split_topics
from tests.editorial.test_admin import add_url, form_errors, release_data
from tests.factories import make_release


@pytest.mark.parametrize(
    "typed, topics",
    [
        ("critical minerals", ["critical minerals"]),
        ('"critical minerals", nickel', ["critical minerals", "nickel"]),
        ("nickel,  green   industry ,", ["nickel", "green industry"]),
        ("Nickel, nickel, NICKEL", ["Nickel"]),
        ("", []),
        (" , ,", []),
    ],
)
def test_a_topic_is_what_lies_between_commas(typed, topics):
    assert split_topics(typed) == topics


def saved_topics(admin_client, newsroom, typed):
    response = admin_client.post(add_url(newsroom), release_data(topics=typed))
    assert response.status_code == 302, form_errors(response)
    release = PressReleasePage.objects.get(slug="indonesia-china-green-industry")
    return sorted(tag.name for tag in release.topics.all())


def test_one_topic_of_several_words_stays_one(admin_client, newsroom):
    assert saved_topics(admin_client, newsroom, "critical minerals") == [
        "critical minerals"
    ]


def test_quotes_typed_by_habit_are_not_kept(admin_client, newsroom):
    typed = '"green industry", "nickel downstreaming", steel'
    assert saved_topics(admin_client, newsroom, typed) == [
        "green industry",
        "nickel downstreaming",
        "steel",
    ]


def test_an_overlong_topic_is_refused_by_name(admin_client, newsroom):
    response = admin_client.post(
        add_url(newsroom), release_data(topics="nickel, " + "x" * 120)
    )
    assert response.status_code == 200
    assert "A topic is at most 100 characters" in str(form_errors(response)["topics"])
    assert not PressReleasePage.objects.filter(
        slug="indonesia-china-green-industry"
    ).exists()


def test_the_edit_form_shows_plain_names_under_its_own_controller(
    admin_client, newsroom
):
    release = make_release("Tagged release")
    release.topics.add("critical minerals", "nickel")
    release.save_revision().publish()
    html = admin_client.get(f"/admin/pages/{release.pk}/edit/").content.decode()
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "topics"})
    assert field["value"] == "critical minerals, nickel"
    assert field["data-controller"] == "newsroom-topics"
    assert "data-newsroom-topics-url-value" in field.attrs
    assert "js/admin-topics.js" in html
    assert "enclosed in double quotes" not in html


def test_saving_unchanged_topics_keeps_them(admin_client, newsroom):
    release = make_release("Tagged release")
    release.topics.add("critical minerals")
    release.save_revision().publish()
    form = admin_client.get(f"/admin/pages/{release.pk}/edit/").context["form"]
    assert not form.fields["topics"].has_changed(
        form.initial["topics"], "critical minerals"
    )
    assert form.fields["topics"].has_changed(form.initial["topics"], "nickel")
