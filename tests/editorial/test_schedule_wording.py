"""Scheduling and embargo links as a press office finds them (issue #26 item 8):
the schedule dialog names the buttons that exist and the time zone, saving says
when the release goes live, and embargo links are offered among the scheduled
releases and listed as full URLs to copy."""

import datetime

import pytest
from django.utils import timezone

from newsroom.models import EmbargoLink, PressReleasePage
from tests.factories import (
    admin_form_errors,
    make_release,
    release_admin_form_data,
    release_admin_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def go_live():
    return (timezone.now() + datetime.timedelta(days=2)).replace(
        second=0, microsecond=0
    )


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_the_schedule_dialog_names_the_buttons_and_the_zone(moderator_client, newsroom):
    release = make_release("A release to schedule", live=False)
    form = moderator_client.get(f"/admin/pages/{release.pk}/edit/").content.decode()
    assert "in Asia/Jakarta time" in form
    assert "Approve and Publish" in form  # the button's own label
    assert 'selecting the "Schedule to publish" option' not in form


def test_saving_a_go_live_time_says_when_and_what_is_needed(
    editor_client, newsroom, go_live
):
    data = release_admin_form_data(go_live_at=local(go_live))
    response = editor_client.post(
        release_admin_url(newsroom=newsroom), data, follow=True
    )
    assert response.status_code == 200
    said = " ".join(messages_of(response))
    assert "Go-live time saved" in said
    assert "(Asia/Jakarta)" in said
    assert "Approve and Publish" in said


def test_publishing_with_a_go_live_time_says_it_is_scheduled(
    moderator_client, newsroom, go_live
):
    data = release_admin_form_data(action="publish", go_live_at=local(go_live))
    response = moderator_client.post(
        release_admin_url(newsroom=newsroom), data, follow=True
    )
    assert response.status_code == 200, admin_form_errors(response)
    said = " ".join(messages_of(response))
    when = timezone.localtime(go_live)
    assert f"Scheduled: goes live on {when:%-d %B %Y at %H:%M} (Asia/Jakarta)" in said
    assert PressReleasePage.objects.get().scheduled_revision is not None


def test_embargo_links_offer_the_scheduled_releases_only(
    moderator_client, newsroom, go_live
):
    make_release("Already public")
    make_release("Embargoed statement", go_live_at=go_live)
    form = moderator_client.get("/admin/snippets/newsroom/embargolink/add/")
    html = form.content.decode()
    assert "Embargoed statement (English) — goes live" in html
    assert "Already public" not in html


def test_embargo_links_are_listed_as_full_urls(moderator_client, newsroom, go_live):
    release = make_release("Embargoed statement", go_live_at=go_live)
    link = EmbargoLink.objects.create(
        page=release, recipient="Antara", expires_at=go_live
    )
    listing = moderator_client.get("/admin/snippets/newsroom/embargolink/")
    assert f"http://testserver/embargo/{link.token}/" in listing.content.decode()


def test_the_settings_tab_says_when_the_release_goes_live(admin_client, newsroom):
    from bs4 import BeautifulSoup

    go_live = timezone.now() + datetime.timedelta(days=2)
    release = make_release("Scheduled for later", go_live_at=go_live)
    html = admin_client.get(f"/admin/pages/{release.pk}/edit/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    box = soup.select_one("#tab-settings .newsroom-schedule")
    local = timezone.localtime(go_live)
    assert f"Scheduled to go live on {local:%-d %B %Y, %H:%M}" in box.get_text(" ")
    assert box.select_one('[data-a11y-dialog-show="schedule-publishing-dialog"]')
