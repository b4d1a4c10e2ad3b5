"""The press office's dashboard on the admin home (issue #26): what waits for
approval, the next go-lives with their embargo links, embargo links opened today,
translations to do, and alert emails queued or refused, each linking to where it
is handled, each shown only to those who may act on it."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.alerts import subscribing
from newsroom.editorial.dashboard import sections_for
from newsroom.models import AlertDelivery, EmbargoLink, EmbargoView
from tests.factories import (
    admin_form_errors,
    make_release,
    release_admin_form_data,
    release_admin_url,
)

pytestmark = pytest.mark.django_db


def panel(client):
    page = client.get("/admin/").content.decode()
    match = re.search(
        r'<section class="w-panel newsroom-dashboard".*?</section>', page, re.S
    )
    return match.group(0) if match else ""


@pytest.fixture
def submitted(editor_client, newsroom):
    data = release_admin_form_data(action="submit")
    response = editor_client.post(release_admin_url(newsroom=newsroom), data)
    assert response.status_code == 302, admin_form_errors(response)


@pytest.fixture
def scheduled(newsroom):
    go_live = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    return make_release(
        "Battery plant agreement to be signed",
        release_date=datetime.date(2026, 12, 4),
        go_live_at=go_live,
    )


def test_waiting_for_approval_lists_the_submitted_release(submitted, moderator_client):
    section = panel(moderator_client)
    assert "Waiting for approval" in section
    assert "Smelter governance charter" in section or "smelter" in section.lower()
    assert "submitted by Editor" in section
    assert "/admin/pages/" in section


def test_next_go_live_shows_its_time_zone_and_embargo_links(
    scheduled, moderator_client, press_moderator
):
    EmbargoLink.objects.create(
        page=scheduled,
        recipient="Reuters Jakarta desk",
        expires_at=scheduled.scheduled_revision.approved_go_live_at,
    )
    section = panel(moderator_client)
    assert "Battery plant agreement to be signed" in section
    assert "Times are in Asia/Jakarta" in section
    assert "embargoed: 1 embargo link" in section
    assert f"/admin/pages/{scheduled.pk}/edit/" in section


def test_scheduled_filter_of_the_release_listing(scheduled, newsroom, moderator_client):
    published = make_release(
        "Published already", release_date=datetime.date(2026, 1, 2)
    )
    page = moderator_client.get("/admin/press_releases/?scheduled=true").content
    assert b"Battery plant agreement to be signed" in page
    assert b"Published already" not in page
    page = moderator_client.get("/admin/press_releases/?scheduled=false").content
    assert published.title.encode() in page
    assert b"Battery plant agreement to be signed" not in page


def test_embargo_links_opened_today(scheduled, moderator_client):
    link = EmbargoLink.objects.create(
        page=scheduled,
        recipient="Antara economics desk",
        expires_at=scheduled.scheduled_revision.approved_go_live_at,
    )
    EmbargoView.objects.create(link=link)
    section = panel(moderator_client)
    assert "Embargo links opened today" in section
    assert "opened by Antara economics desk" in section


def test_editors_do_not_see_embargo_links(scheduled, editor_client):
    section = panel(editor_client)
    assert "Next scheduled go-lives" in section
    assert "Embargo links opened today" not in section
    # The press office sees the alerts' counts (migration 0006), never addresses.
    assert "Alert emails" in section


def test_readers_without_admin_access_get_no_panel(newsroom):
    from django.contrib.auth import get_user_model

    reader = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    assert sections_for(reader) == []


def test_translations_to_do_link_to_the_filtered_report(newsroom, moderator_client):
    make_release("Only in English", release_date=datetime.date(2026, 3, 1))
    section = panel(moderator_client)
    assert "1 release: translation missing" in section
    assert "/admin/reports/translations/?status=missing" in section


def test_alert_emails_queued_and_refused(newsroom, admin_client):
    release = make_release("Smelter opens", release_date=datetime.date(2026, 3, 1))
    for n, status in enumerate(
        [AlertDelivery.Status.PENDING, AlertDelivery.Status.FAILED]
    ):
        subscription, _ = subscribing.confirm_subscription(
            {"e": f"r{n}@example.org", "q": "", "f": "immediate", "l": "en"}
        )
        AlertDelivery.objects.create(
            subscription=subscription,
            release=release,
            frequency="immediate",
            status=status,
        )
    section = panel(admin_client)
    assert "1 queued for sending" in section
    assert "1 refused by the mail server" in section


def test_the_panel_costs_the_same_few_queries_with_many_rows(
    newsroom, moderator_client, press_moderator
):
    for n in range(12):
        make_release(
            f"Scheduled release {n}",
            release_date=datetime.date(2026, 12, 4),
            go_live_at=timezone.now() + datetime.timedelta(days=1, minutes=n),
        )
    assert "and 4 more" in panel(moderator_client)
    with CaptureQueriesContext(connection) as queries:
        sections_for(press_moderator)
    # Permission checks, two counts and two reads a section: not one per row.
    assert len(queries) <= 16, [q["sql"][:120] for q in queries]
