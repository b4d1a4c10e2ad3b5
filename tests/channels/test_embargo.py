"""Embargo links: a journalist reads a scheduled release early at /embargo/<token>/.

Moderators create the links in the admin; a link works until it expires (by
default at the go-live time) or is revoked, never puts the release in a public
channel, and after go-live sends the reader to the public URL.
"""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

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


def gone(response, message):
    """The link's holder is told, on a page of the site, why the link stopped."""
    assert response.status_code == 410
    page = response.content.decode()
    assert message in page
    assert "Embargo link no longer valid" in page
    assert '<meta name="robots" content="noindex' in page
    assert response["Referrer-Policy"] == "no-referrer"
    return page


def test_revoked_link_is_gone(client, link, moderator_client):
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
    page = gone(client.get(link.get_absolute_url()), "withdrawn this embargo link")
    assert link.page.title not in page  # a leaked token names nothing
    assert not EmbargoView.objects.exists()


def test_expired_link_is_gone(client, scheduled):
    link = EmbargoLink.objects.create(
        page=scheduled,
        recipient="Late desk",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    page = gone(client.get(link.get_absolute_url()), "This embargo link has expired.")
    assert scheduled.title not in page
    assert scheduled.standfirst not in page
    assert not EmbargoView.objects.exists()


def test_link_stops_at_its_expiry_time(client, scheduled):
    expires_at = timezone.now() + datetime.timedelta(hours=1)
    link = EmbargoLink.objects.create(
        page=scheduled, recipient="Desk", expires_at=expires_at
    )
    assert client.get(link.get_absolute_url()).status_code == 200
    later = expires_at + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(link.get_absolute_url()).status_code == 410


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
    gone(client.get(link.get_absolute_url()), "no longer scheduled for publication")


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
    assert client.get(link.get_absolute_url()).status_code == 410


# --- go-live and the end of the embargo are one moment ------------------------------


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def link_to_go_live(moderator_client, scheduled):
    """A link made with its expiry left blank: it ends at the go-live time."""
    response = moderator_client.post(
        ADD_URL,
        {
            "page": scheduled.pk,
            "recipient": "Antara",
            "expires_at": "",
            "revoked_at": "",
        },
    )
    assert response.status_code == 302, admin_form_errors(response)
    return EmbargoLink.objects.get(page=scheduled)


def test_the_add_form_says_a_blank_expiry_ends_at_go_live(moderator_client, newsroom):
    page = moderator_client.get(ADD_URL).content.decode()
    assert "Leave blank to end the link when the release goes live" in page


def test_a_blank_expiry_is_the_go_live_time(link_to_go_live, go_live):
    assert link_to_go_live.expires_at == go_live


def test_a_blank_expiry_needs_a_scheduled_release(moderator_client, newsroom):
    release = make_release("Live already")
    response = moderator_client.post(
        ADD_URL,
        {"page": release.pk, "recipient": "Antara", "expires_at": "", "revoked_at": ""},
    )
    assert response.status_code == 200
    assert "page" in admin_form_errors(response)
    assert not EmbargoLink.objects.exists()


def test_at_go_live_the_link_hands_over_to_the_public_page(
    client, link_to_go_live, scheduled, entities, go_live
):
    url = link_to_go_live.get_absolute_url()
    with at(go_live - datetime.timedelta(seconds=1)):
        assert client.get(url).status_code == 200  # still the embargoed copy

    # The go-live time has come; scheduled publishing has not run yet (it wakes
    # within a second in development, within a minute under cron).
    with at(go_live + datetime.timedelta(seconds=1)):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Embargo lifted" in page
    assert '<meta http-equiv="refresh" content="10">' in page
    assert scheduled.standfirst not in page
    assert EmbargoView.objects.count() == 1  # only the view before go-live
    presence = public_presence(client, scheduled, entities, WORD)
    assert presence == absent_everywhere(presence)

    with at(go_live + datetime.timedelta(seconds=2)):
        call_command("run_scheduler", "--once", stdout=io.StringIO())
        response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/news/{scheduled.slug}/"
    assert client.get(response["Location"]).status_code == 200


def test_an_expired_link_leads_to_the_release_once_it_is_live(
    client, scheduled, go_live
):
    """A link that ended before go-live, too, once the release is public."""
    link = EmbargoLink.objects.create(
        page=scheduled,
        recipient="Early desk",
        expires_at=go_live - datetime.timedelta(hours=2),
    )
    with at(go_live - datetime.timedelta(hours=1)):
        assert client.get(link.get_absolute_url()).status_code == 410
    with at(go_live + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled", verbosity=0)
        response = client.get(link.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == scheduled.url


def test_a_revoked_link_never_redirects(client, scheduled, go_live):
    link = EmbargoLink.objects.create(
        page=scheduled,
        recipient="Revoked desk",
        expires_at=go_live,
        revoked_at=timezone.now(),
    )
    with at(go_live + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled", verbosity=0)
        response = client.get(link.get_absolute_url())
    gone(response, "withdrawn this embargo link")


def test_no_redirect_to_a_release_that_is_not_public(
    client, link_to_go_live, scheduled, go_live
):
    """Live but behind a view restriction: the link says it expired, nothing more."""
    with at(go_live + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled", verbosity=0)
        PageViewRestriction.objects.create(
            page=scheduled, restriction_type="password", password="s3cret"
        )
        response = client.get(link_to_go_live.get_absolute_url())
    page = gone(response, "This embargo link has expired.")
    assert scheduled.title not in page
