"""Dates as editors type them in the admin, in English or Indonesian.

The browser side (the date picker no longer replaces typed text by today) is in
tests/browser/test_editor.py; these check what the server makes of the text.
"""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from newsroom.models import EmbargoLink, PressReleasePage
from newsroom.models.forms import parse_typed_date, parse_typed_datetime
from tests.factories import (
    admin_form_errors,
    make_release,
    release_admin_form_data,
    release_admin_url,
)

DECEMBER_1 = datetime.date(2026, 12, 1)
TYPED_DECEMBER_1 = [
    "2026-12-01",
    "1 December 2026",
    "01/12/2026",
    "1/12/2026",
    "1-12-2026",
    "01.12.2026",
    "1 Desember 2026",
    "1 Des 2026",
    "Senin, 1 Desember 2026",
    "Tuesday 1 December 2026",
    "December 1, 2026",
    "Dec. 1 2026",
    "1st December 2026",
    " 1  DECEMBER  2026 ",
]
# Ambiguous or impossible: refused, never guessed.
UNREADABLE = ["12/31/2026", "1/12/26", "31/02/2026", "1 Decembre 2026", "tomorrow"]


@pytest.mark.parametrize("text", TYPED_DECEMBER_1)
def test_typed_dates_are_read(text):
    assert parse_typed_date(text) == DECEMBER_1


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_dates_are_refused(text):
    assert parse_typed_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-01 09:30",
        "1/12/2026 09:30",
        "1 December 2026, 9:30",
        "1 Desember 2026 pukul 09.30",
        "Senin, 1 Desember 2026 09.30 WIB",
    ],
)
def test_typed_date_and_time_are_read(text):
    assert parse_typed_datetime(text) == datetime.datetime(2026, 12, 1, 9, 30)


@pytest.mark.parametrize("text", ["1/12/2026 24:00", "1/12/26 09:00", "09:30"])
def test_unreadable_date_and_time_are_refused(text):
    assert parse_typed_datetime(text) is None


def post_release(client, newsroom, **fields):
    data = release_admin_form_data(
        title="Smelter governance charter",
        slug="smelter-governance-charter",
        release_date="2026-12-05",
        **fields,
    )
    return client.post(release_admin_url(newsroom=newsroom), data)


@pytest.mark.parametrize("text", ["1 December 2026", "01/12/2026", "1 Desember 2026"])
def test_event_date_typed_in_the_release_form_is_saved(editor_client, newsroom, text):
    response = post_release(editor_client, newsroom, event_date=text)
    assert response.status_code == 302, admin_form_errors(response)
    release = PressReleasePage.objects.get(slug="smelter-governance-charter")
    assert release.get_latest_revision_as_object().event_date == DECEMBER_1


@pytest.mark.parametrize("text", ["12/31/2026", "1/12/26", "1 Decembre 2026"])
def test_unreadable_event_date_is_a_visible_form_error(editor_client, newsroom, text):
    response = post_release(editor_client, newsroom, event_date=text)
    assert response.status_code == 200
    errors = admin_form_errors(response)
    assert errors["event_date"] == [
        "Type the date as 2026-12-01, 1/12/2026 or 1 December 2026."
    ]
    # The editor's text is shown back as typed, for them to correct.
    assert f'value="{text}"' in response.content.decode()
    assert not PressReleasePage.objects.filter(
        slug="smelter-governance-charter"
    ).exists()


def test_go_live_typed_day_first_schedules_that_moment(moderator_client, newsroom):
    """A go-live time read as 12 January, or replaced by now, would publish on
    the wrong day; typed day-first it schedules 1 December at 09:00, local time."""
    response = post_release(
        moderator_client, newsroom, action="publish", go_live_at="1/12/2099 09:00"
    )
    assert response.status_code == 302, admin_form_errors(response)
    release = PressReleasePage.objects.get(slug="smelter-governance-charter")
    assert not release.live
    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    assert release.scheduled_revision.approved_go_live_at == datetime.datetime(
        2099, 12, 1, 9, 0, tzinfo=jakarta
    )


def test_unreadable_go_live_is_refused_not_published(moderator_client, newsroom):
    response = post_release(
        moderator_client, newsroom, action="publish", go_live_at="12/31/2099 09:00"
    )
    assert response.status_code == 200
    assert "go_live_at" in admin_form_errors(response)
    assert not PressReleasePage.objects.filter(
        slug="smelter-governance-charter"
    ).exists()


def test_snippet_dates_are_read_too(moderator_client, newsroom):
    """Snippets' date-time fields take the same typing (an embargo link's expiry)."""
    release = make_release(
        "Scheduled for the embargo",
        go_live_at=timezone.now() + datetime.timedelta(days=400),
    )
    response = moderator_client.post(
        "/admin/snippets/newsroom/embargolink/add/",
        {
            "page": release.pk,
            "recipient": "Antara",
            "expires_at": "1 Desember 2099 pukul 08.00",
            "revoked_at": "",
        },
    )
    assert response.status_code == 302, admin_form_errors(response)
    link = EmbargoLink.objects.get()
    assert timezone.localtime(link.expires_at).replace(tzinfo=None) == (
        datetime.datetime(2099, 12, 1, 8, 0)
    )
