"""Corrections: dated public notes that move a release's "updated" date.

A correction published with the release shows as "Updated <date>: <note>" on the page
and moves the Atom entry's <updated>; an ordinary edit moves neither.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import feedparser
import pytest

from newsroom.models import Correction
from tests.factories import (
    admin_form_errors,
    make_release,
    release_admin_form_data,
    release_admin_url,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
RELEASE_DAY = datetime.datetime(2024, 9, 27, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _jakarta(settings):
    settings.TIME_ZONE = "Asia/Jakarta"


@pytest.fixture
def release(newsroom):
    return make_release(
        "Investment in photovoltaics agreed",
        release_date=RELEASE_DAY.date(),
        standfirst="The ministries agreed a USD 1.2 billion investment.",
    )


def page_text(client, release):
    response = client.get(release.url)
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", "", response.content.decode())
    return re.sub(r"\s+", " ", text)


def feed_entry(client, release):
    feed = feedparser.parse(client.get("/news/feed/").content)
    [entry] = [e for e in feed.entries if e.link.endswith(release.url)]
    return entry


def entry_updated(client, release):
    return datetime.datetime.fromisoformat(feed_entry(client, release).updated)


def publish_with(moderator_client, release, **fields):
    release.refresh_from_db()
    data = release_admin_form_data(release, action="publish", **fields)
    response = moderator_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    release.refresh_from_db()


def test_uncorrected_release_is_updated_on_its_release_date(client, release):
    assert entry_updated(client, release) == RELEASE_DAY
    assert "Updated" not in page_text(client, release)


def test_correction_through_the_admin_is_shown_and_moves_the_feed(
    moderator_client, client, release
):
    publish_with(
        moderator_client,
        release,
        corrections=[
            {"date": "2024-10-02 10:00", "note": "Corrected the investment figure."}
        ],
    )
    assert release.corrections.count() == 1
    text = page_text(client, release)
    assert "Updated 2 October 2024: Corrected the investment figure." in text
    assert "· Updated 2 October 2024" in text  # beside the release date

    entry = feed_entry(client, release)
    corrected = datetime.datetime(2024, 10, 2, 10, 0, tzinfo=JAKARTA)
    assert datetime.datetime.fromisoformat(entry.updated) == corrected
    assert datetime.datetime.fromisoformat(entry.published) == RELEASE_DAY


def test_latest_of_several_corrections_counts(moderator_client, client, release):
    publish_with(
        moderator_client,
        release,
        corrections=[
            {"date": "2024-10-02 10:00", "note": "Corrected the figure."},
            {"date": "2024-10-05 16:30", "note": "Added the signing date."},
        ],
    )
    text = page_text(client, release)
    first = text.index("Updated 2 October 2024: Corrected the figure.")
    second = text.index("Updated 5 October 2024: Added the signing date.")
    assert first < second
    assert entry_updated(client, release) == datetime.datetime(
        2024, 10, 5, 16, 30, tzinfo=JAKARTA
    )


def test_edit_without_correction_keeps_the_updated_date(
    moderator_client, client, release
):
    publish_with(moderator_client, release, standfirst="A reworded summary.")
    assert "A reworded summary." in page_text(client, release)
    assert "Updated" not in page_text(client, release)
    assert entry_updated(client, release) == RELEASE_DAY


def test_edit_after_a_correction_keeps_the_correction_date(
    moderator_client, client, release
):
    publish_with(
        moderator_client,
        release,
        corrections=[{"date": "2024-10-02 10:00", "note": "Corrected the figure."}],
    )
    publish_with(moderator_client, release, standfirst="Another rewording.")
    assert release.corrections.count() == 1
    assert entry_updated(client, release) == datetime.datetime(
        2024, 10, 2, 10, 0, tzinfo=JAKARTA
    )
    assert "Updated 2 October 2024: Corrected the figure." in page_text(client, release)


def test_correction_in_a_draft_is_not_public_until_published(
    editor_client, moderator_client, client, release
):
    data = release_admin_form_data(
        release,
        action="submit",
        corrections=[{"date": "2024-10-02 10:00", "note": "Pending correction."}],
    )
    response = editor_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    assert "Pending correction." not in page_text(client, release)
    assert entry_updated(client, release) == RELEASE_DAY
    assert not Correction.objects.filter(page=release).exists()

    task_state = release.current_workflow_state.current_task_state
    moderator_client.post(
        f"/admin/pages/workflow/action/{release.pk}/approve/{task_state.pk}/",
        {"comment": ""},
    )
    assert "Updated 2 October 2024: Pending correction." in page_text(client, release)
    assert entry_updated(client, release) == datetime.datetime(
        2024, 10, 2, 10, 0, tzinfo=JAKARTA
    )


def test_correction_added_in_code_and_published(client, release):
    draft = release.get_latest_revision_as_object()
    draft.corrections.add(
        Correction(
            date=datetime.datetime(2024, 11, 1, 9, 0, tzinfo=JAKARTA),
            note="Updated the contact.",
        )
    )
    draft.save_revision().publish()
    assert "Updated 1 November 2024: Updated the contact." in page_text(client, release)
    assert entry_updated(client, release) == datetime.datetime(
        2024, 11, 1, 9, 0, tzinfo=JAKARTA
    )
