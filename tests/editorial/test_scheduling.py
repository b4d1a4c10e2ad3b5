"""Scheduled publishing and expiry: a release appears and leaves every public channel
exactly when ``publish_scheduled`` (run from cron, or by ``run_scheduler`` beside the
development server) says so.

The clock is moved by patching ``django.utils.timezone.now``, which Wagtail's
``publish_scheduled`` and publishing code read through the module.
"""

import datetime
import io
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from newsroom.management.commands import run_scheduler
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


# --- scheduled publishing beside the development server (manage.py run_scheduler) ---


def test_run_scheduler_publishes_what_is_due(client, scheduled, entities, go_live):
    out = io.StringIO()
    with mock.patch("django.utils.timezone.now", return_value=go_live):
        call_command("run_scheduler", "--once", stdout=out)
    scheduled.refresh_from_db()
    assert not scheduled.live, "published before its time"
    assert out.getvalue() == ""

    with mock.patch(
        "django.utils.timezone.now",
        return_value=go_live + datetime.timedelta(seconds=1),
    ):
        call_command("run_scheduler", "--once", stdout=out)
    scheduled.refresh_from_db()
    assert scheduled.live
    assert f"published: {scheduled.title}" in out.getvalue()
    after = public_presence(client, scheduled, entities, WORD)
    assert after == present_everywhere(after)


def wait_at(moment, interval=30):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return run_scheduler.seconds_to_wait(interval)


def test_the_scheduler_wakes_at_the_next_go_live_time(scheduled, go_live):
    """Not up to a whole interval late: the release goes live at its time."""
    assert wait_at(go_live - datetime.timedelta(seconds=10)) == 10.5
    assert wait_at(go_live - datetime.timedelta(minutes=5)) == 30
    assert wait_at(go_live + datetime.timedelta(seconds=1)) == 30


def test_the_scheduler_wakes_at_the_next_expiry_time(entities, control):
    expire_at = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    make_linked_release("Vanadium offer", entities, expire_at=expire_at)
    assert wait_at(expire_at - datetime.timedelta(seconds=4)) == 4.5


def test_the_scheduler_waits_the_interval_when_nothing_is_scheduled(control):
    assert wait_at(timezone.now(), interval=45) == 45


def test_the_scheduler_survives_a_failed_run(db, monkeypatch):
    """A locked database or dropped connection is retried at the next run."""
    runs, sleeps = [], []

    def publish_scheduled(name, **options):
        runs.append(name)
        if len(runs) == 1:
            raise OperationalError("database is locked")

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt  # Ctrl-C, or make run's trap

    monkeypatch.setattr(run_scheduler, "call_command", publish_scheduled)
    monkeypatch.setattr(run_scheduler, "close_old_connections", lambda: None)
    monkeypatch.setattr(run_scheduler.time, "sleep", sleep)
    call_command("run_scheduler", "--interval", "5", stdout=io.StringIO())
    assert runs == ["publish_scheduled", "publish_scheduled"]
    assert sleeps == [5, 5]


def test_run_once_reports_a_failure(db, monkeypatch):
    def fail(name, **options):
        raise OperationalError("database is locked")

    monkeypatch.setattr(run_scheduler, "call_command", fail)
    with pytest.raises(OperationalError):
        call_command("run_scheduler", "--once")


def test_make_run_starts_the_scheduler_beside_the_server():
    """`make run` is the development set-up: the scheduler runs with the server
    and is stopped with it."""
    root = Path(__file__).resolve().parents[2]
    commands = subprocess.run(
        ["make", "-n", "run"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert "manage.py run_scheduler & scheduler=$!" in commands
    assert "trap 'kill $worker $scheduler' EXIT INT TERM" in commands
    assert "manage.py runserver" in commands
