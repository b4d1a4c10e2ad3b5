"""Embargo links: a journalist reads a scheduled release early at /embargo/<token>/.

Moderators create the links in the admin; a link works until it expires or is
revoked, never puts the release in a public channel, and after go-live sends the
reader to the public URL.
"""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsroom.models import EmbargoLink, EmbargoView, PressReleasePage
from tests.factories import (
    absent_everywhere,
    admin_form_errors,
    make_linked_release,
    make_release,
    present_everywhere,
    public_presence,
    release_linked_entities,
)

ADD_URL = "/admin/snippets/newsroom/embargolink/add/"
WORD = "molybdenum"


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def go_live():
    return (timezone.now() + datetime.timedelta(days=1)).replace(
        second=0, microsecond=0
    )


@pytest.fixture
def entities(newsroom):
    return release_linked_entities("Molybdenum")


@pytest.fixture
def control(entities):
    return make_linked_release(
        "Earlier molybdenum-free statement",
        entities,
        release_date=datetime.date(2024, 1, 10),
    )


@pytest.fixture
def scheduled(entities, control, go_live):
    release = make_linked_release(
        "Molybdenum processing plant approved",
        entities,
        standfirst=f"A {WORD} plant gets the green light.",
        go_live_at=go_live,
    )
    return PressReleasePage.objects.get(pk=release.pk)


def create_link(moderator_client, release, expires_at, recipient="Reuters Jakarta"):
    return moderator_client.post(
        ADD_URL,
        {
            "page": release.pk,
            "recipient": recipient,
            "expires_at": local(expires_at),
            "revoked_at": "",
        },
    )


@pytest.fixture
def link(moderator_client, scheduled, go_live):
    """A link made through the admin, valid until a day after the go-live time."""
    response = create_link(
        moderator_client, scheduled, go_live + datetime.timedelta(days=1)
    )
    assert response.status_code == 302, admin_form_errors(response)
    return EmbargoLink.objects.get(page=scheduled)


def test_moderator_creates_a_link_in_the_admin(
    link, press_moderator, scheduled, moderator_client
):
    assert link.created_by == press_moderator
    assert link.recipient == "Reuters Jakarta"
    assert len(link.token) >= 32
    assert link.get_absolute_url() == f"/embargo/{link.token}/"
    listing = moderator_client.get("/admin/snippets/newsroom/embargolink/")
    assert listing.status_code == 200
    assert link.get_absolute_url() in listing.content.decode()


def test_tokens_are_unique_and_unguessable(moderator_client, scheduled, go_live):
    for recipient in ("Antara", "Kompas"):
        response = create_link(moderator_client, scheduled, go_live, recipient)
        assert response.status_code == 302, admin_form_errors(response)
    first, second = EmbargoLink.objects.all()
    assert first.token != second.token


def test_link_shows_the_embargoed_release(client, link, scheduled, go_live):
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert scheduled.title in page
    assert scheduled.standfirst in page
    assert "EMBARGOED UNTIL" in page
    assert timezone.localtime(go_live).strftime("%H:%M") in page
    assert '<meta name="robots" content="noindex' in page
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"  # the token stays private
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "private"):
        assert directive in cache_control


def test_each_view_is_recorded(client, link):
    client.get(link.get_absolute_url(), HTTP_USER_AGENT="NewsBot/1.0")
    client.get(link.get_absolute_url(), REMOTE_ADDR="203.0.113.7")
    views = EmbargoView.objects.filter(link=link).order_by("pk")
    assert views.count() == 2
    assert views[0].user_agent == "NewsBot/1.0"
    assert views[1].ip_address == "203.0.113.7"


def test_the_link_does_not_publish_anything(client, link, scheduled, entities):
    assert client.get(link.get_absolute_url()).status_code == 200
    presence = public_presence(client, scheduled, entities, WORD)
    assert presence == absent_everywhere(presence)
    scheduled.refresh_from_db()
    assert not scheduled.live


def test_revoked_link_404s(client, link, moderator_client):
    edit_url = f"/admin/snippets/newsroom/embargolink/edit/{link.pk}/"
    response = moderator_client.post(
        edit_url,
        {
            "page": link.page_id,
            "recipient": link.recipient,
            "expires_at": local(link.expires_at),
            "revoked_at": local(timezone.now()),
        },
    )
    assert response.status_code == 302, admin_form_errors(response)
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(link.get_absolute_url()).status_code == 404
    assert not EmbargoView.objects.exists()


def test_expired_link_404s(client, scheduled):
    link = EmbargoLink.objects.create(
        page=scheduled,
        recipient="Late desk",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert client.get(link.get_absolute_url()).status_code == 404
    assert not EmbargoView.objects.exists()


def test_link_stops_at_its_expiry_time(client, scheduled):
    expires_at = timezone.now() + datetime.timedelta(hours=1)
    link = EmbargoLink.objects.create(
        page=scheduled, recipient="Desk", expires_at=expires_at
    )
    assert client.get(link.get_absolute_url()).status_code == 200
    later = expires_at + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(link.get_absolute_url()).status_code == 404


def test_random_token_404s(client, link):
    assert client.get("/embargo/not-a-real-token/").status_code == 404
    assert client.get(f"/embargo/{link.token[:-1]}x/").status_code == 404


@pytest.mark.parametrize("state", ["live", "draft"])
def test_link_for_an_unscheduled_release_is_refused(moderator_client, newsroom, state):
    release = make_release(f"Not scheduled {state}", live=state == "live")
    response = create_link(
        moderator_client, release, timezone.now() + datetime.timedelta(days=1)
    )
    assert response.status_code == 200
    errors = admin_form_errors(response)
    assert "page" in errors, errors
    assert "scheduled" in " ".join(errors["page"])
    assert not EmbargoLink.objects.exists()


def test_after_go_live_the_link_redirects_to_the_public_page(
    client, link, scheduled, entities, go_live
):
    with mock.patch(
        "django.utils.timezone.now",
        return_value=go_live + datetime.timedelta(minutes=1),
    ):
        call_command("publish_scheduled", verbosity=0)
        response = client.get(link.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == scheduled.url == f"/news/{scheduled.slug}/"
    presence = public_presence(client, scheduled, entities, WORD)
    assert presence == present_everywhere(presence)


def test_unscheduling_the_release_disables_its_links(
    client, link, scheduled, moderator_client
):
    revision = scheduled.scheduled_revision
    response = moderator_client.post(
        f"/admin/pages/{scheduled.pk}/revisions/{revision.pk}/unschedule/"
    )
    assert response.status_code == 302
    assert PressReleasePage.objects.get(pk=scheduled.pk).scheduled_revision is None
    assert client.get(link.get_absolute_url()).status_code == 404


def test_link_without_a_release_is_a_form_error(moderator_client, newsroom):
    response = moderator_client.post(
        ADD_URL,
        {"page": "", "recipient": "Desk", "expires_at": "2099-01-01 00:00"},
    )
    assert response.status_code == 200
    assert "page" in admin_form_errors(response)
    assert not EmbargoLink.objects.exists()


def test_link_can_be_revoked_after_the_release_is_unscheduled(
    client, link, scheduled, moderator_client, go_live
):
    """Cancelling an embargo and rescheduling later must not revive old links."""
    revision = scheduled.scheduled_revision
    moderator_client.post(
        f"/admin/pages/{scheduled.pk}/revisions/{revision.pk}/unschedule/"
    )
    response = moderator_client.post(
        f"/admin/snippets/newsroom/embargolink/edit/{link.pk}/",
        {
            "page": link.page_id,
            "recipient": link.recipient,
            "expires_at": local(link.expires_at),
            "revoked_at": local(timezone.now()),
        },
    )
    assert response.status_code == 302, admin_form_errors(response)
    link.refresh_from_db()
    assert link.revoked_at is not None

    release = PressReleasePage.objects.get(pk=scheduled.pk)
    release.get_latest_revision_as_object().save_revision().publish()
    assert PressReleasePage.objects.get(pk=scheduled.pk).scheduled_revision
    assert client.get(link.get_absolute_url()).status_code == 404
