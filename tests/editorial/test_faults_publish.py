"""A publish the admin completed stays completed: a page_published receiver that
fails (``database is locked`` from the reindex on SQLite, as a hostile tester
saw) is logged, the editor is not shown a 500, and the receivers after it still
run, so the email alert goes out; an alert that could not be queued is
recovered by the ``send_alerts`` sweep."""

import logging
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from newsroom.alerts import subscribing
from newsroom.models import ContentVersion, PressReleasePage
from tests.editorial.test_admin import add_url, release_data

pytestmark = pytest.mark.django_db

TITLE = "Smelter permits reviewed"


def failing_statement(*args, **kwargs):
    """A real failed statement: on PostgreSQL it aborts the transaction it runs
    in, so the receivers after it would fail too unless it is isolated."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM newsroom_table_that_is_not_there")


@pytest.fixture
def subscriber(newsroom):
    subscription, _ = subscribing.confirm_subscription(
        {"e": "reader@example.org", "q": "", "f": "immediate", "l": "en"}
    )
    return subscription


def publish_in_admin(client, newsroom, django_capture_on_commit_callbacks):
    data = release_data(
        title=TITLE,
        slug="smelter-permits-reviewed",
        release_date=timezone.localdate().isoformat(),
        event_date="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(add_url(newsroom), data)


def alerts_to(address):
    return [m for m in mail.outbox if address in m.to and TITLE in m.subject]


@pytest.mark.parametrize(
    "failing",
    [
        # The first receiver: the content version's bump.
        mock.patch.object(ContentVersion, "bump", side_effect=failing_statement),
        # The one that failed in the report: the release's reindex.
        mock.patch(
            "wagtail.search.index.insert_or_update_object",
            side_effect=failing_statement,
        ),
    ],
    ids=["content-version", "reindex"],
)
def test_a_failing_receiver_neither_fails_the_publish_nor_skips_the_alert(
    admin_client,
    newsroom,
    subscriber,
    failing,
    caplog,
    django_capture_on_commit_callbacks,
):
    version = ContentVersion.current()
    with failing, caplog.at_level(logging.ERROR, logger="newsroom.signal_handlers"):
        response = publish_in_admin(
            admin_client, newsroom, django_capture_on_commit_callbacks
        )
    assert response.status_code == 302
    release = PressReleasePage.objects.get(slug="smelter-permits-reviewed")
    assert release.live
    assert any("the publish stands" in r.getMessage() for r in caplog.records)
    # The receivers after the failed one ran: the alert was matched and sent.
    assert len(alerts_to("reader@example.org")) == 1
    if failing.attribute != "bump":
        assert ContentVersion.current() > version


def test_an_alert_that_could_not_be_queued_is_sent_by_the_sweep(
    admin_client, newsroom, subscriber, django_capture_on_commit_callbacks
):
    """The alert task is queued once the publish commits; if that fails (the
    task table locked, the queue down), the publish still stands and the sweep
    that cron runs every few minutes matches the release and sends it, once."""
    broken_queue = mock.Mock()
    broken_queue.enqueue.side_effect = RuntimeError("task queue unavailable")
    with mock.patch("newsroom.alerts.tasks.alert_release_published", broken_queue):
        response = publish_in_admin(
            admin_client, newsroom, django_capture_on_commit_callbacks
        )
    assert response.status_code == 302
    assert broken_queue.enqueue.called
    assert PressReleasePage.objects.get(slug="smelter-permits-reviewed").live
    assert alerts_to("reader@example.org") == []

    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert len(alerts_to("reader@example.org")) == 1
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert len(alerts_to("reader@example.org")) == 1
