"""Scheduled publishing and expiry: a release appears and leaves every public channel
exactly when ``publish_scheduled`` (run from cron) says so.

The clock is moved by patching ``django.utils.timezone.now``, which Wagtail's
``publish_scheduled`` and publishing code read through the module.
"""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsroom.models import PressReleasePage
from tests.factories import (
    absent_everywhere,
    admin_form_errors,
    make_linked_release,
    present_everywhere,
    public_presence,
    release_admin_form_data,
    release_admin_url,
    release_linked_entities,
)

WORD = "vanadium"


def run_publish_scheduled(at):
    """``publish_scheduled`` as cron would run it at the moment ``at``."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        call_command("publish_scheduled", verbosity=0)


@pytest.fixture
def entities(newsroom):
    return release_linked_entities("Vanadium")


@pytest.fixture
def control(entities):
    """A published release carrying the same entities, so every count starts at 1."""
    return make_linked_release(
        "Earlier statement on the same subjects",
        entities,
        release_date=datetime.date(2024, 1, 10),
    )


@pytest.fixture
def go_live():
    return (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)


@pytest.fixture
def scheduled(entities, control, go_live):
    """A release published with a go-live time two days from now."""
    release = make_linked_release(
        "Vanadium refinery agreement",
        entities,
        release_date=datetime.date(2024, 9, 27),
        standfirst=f"A {WORD} refinery will be built.",
        go_live_at=go_live,
    )
    return PressReleasePage.objects.get(pk=release.pk)


def test_publishing_with_a_future_go_live_schedules_instead(scheduled, go_live):
    assert not scheduled.live
    assert scheduled.live_revision is None
    revision = scheduled.scheduled_revision
    assert revision is not None
    assert revision.approved_go_live_at == go_live


def test_scheduled_release_is_absent_from_every_public_channel(
    client, scheduled, entities
):
    presence = public_presence(client, scheduled, entities, WORD)
    assert presence == absent_everywhere(presence)
    assert client.get(f"/api/v2/releases/{scheduled.pk}/").status_code == 404


def test_scheduled_release_appears_everywhere_after_go_live(
    client, scheduled, entities, go_live
):
    before = public_presence(client, scheduled, entities, WORD)
    assert before == absent_everywhere(before)

    run_publish_scheduled(go_live - datetime.timedelta(minutes=1))
    scheduled.refresh_from_db()
    assert not scheduled.live, "published before its time"
    still_hidden = public_presence(client, scheduled, entities, WORD)
    assert still_hidden == absent_everywhere(still_hidden)

    run_publish_scheduled(go_live + datetime.timedelta(minutes=1))
    scheduled.refresh_from_db()
    assert scheduled.live
    assert scheduled.scheduled_revision is None
    assert scheduled.first_published_at == go_live + datetime.timedelta(minutes=1)
    after = public_presence(client, scheduled, entities, WORD)
    assert after == present_everywhere(after)
    assert client.get(f"/api/v2/releases/{scheduled.pk}/").status_code == 200


def test_draft_with_a_go_live_time_is_not_scheduled(client, entities, control):
    """Saving a draft with a go-live time does not schedule it; publishing does."""
    past = timezone.now() - datetime.timedelta(hours=1)
    draft = make_linked_release(
        "Vanadium draft with a time", entities, live=False, go_live_at=past
    )
    assert draft.scheduled_revision is None
    run_publish_scheduled(timezone.now() + datetime.timedelta(days=3))
    draft.refresh_from_db()
    assert not draft.live
    presence = public_presence(client, draft, entities, WORD)
    assert presence == absent_everywhere(presence)


def test_expiry_removes_a_live_release_after_publish_scheduled(
    client, entities, control
):
    expire_at = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    release = make_linked_release(
        "Vanadium offer open until tomorrow",
        entities,
        standfirst=f"A {WORD} tender.",
        expire_at=expire_at,
    )
    assert release.live
    before = public_presence(client, release, entities, WORD)
    assert before == present_everywhere(before)

    run_publish_scheduled(expire_at - datetime.timedelta(minutes=1))
    release.refresh_from_db()
    assert release.live

    run_publish_scheduled(expire_at + datetime.timedelta(minutes=1))
    release.refresh_from_db()
    assert not release.live
    assert release.expired
    after = public_presence(client, release, entities, WORD)
    assert after == absent_everywhere(after)


def test_moderator_schedules_through_the_admin(
    moderator_client, client, entities, control
):
    go_live = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        second=0, microsecond=0
    )
    data = release_admin_form_data(
        action="publish",
        title="Vanadium export rules",
        slug="vanadium-export-rules",
        standfirst=f"New {WORD} export rules.",
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
        release_sectors=[{"sector": entities["sector"].pk}],
    )
    newsroom = control.get_parent()
    response = moderator_client.post(release_admin_url(newsroom=newsroom), data)
    assert response.status_code == 302, admin_form_errors(response)
    release = PressReleasePage.objects.get(slug="vanadium-export-rules")
    assert not release.live
    assert release.scheduled_revision.approved_go_live_at == go_live
    assert client.get("/news/vanadium-export-rules/").status_code == 404

    run_publish_scheduled(go_live + datetime.timedelta(minutes=1))
    assert client.get("/news/vanadium-export-rules/").status_code == 200


def test_scheduled_update_of_a_live_release(client, entities, control, go_live):
    release = make_linked_release(
        "Vanadium tariff notice", entities, standfirst="The current tariff."
    )
    draft = release.get_latest_revision_as_object()
    draft.standfirst = "The tariff from next week."
    draft.go_live_at = go_live
    draft.save_revision().publish()
    release = PressReleasePage.objects.get(pk=release.pk)
    assert release.live
    assert release.scheduled_revision is not None
    page = client.get(release.url).content.decode()
    assert "The current tariff." in page
    assert "The tariff from next week." not in page

    run_publish_scheduled(go_live + datetime.timedelta(minutes=1))
    page = client.get(release.url).content.decode()
    assert "The tariff from next week." in page
