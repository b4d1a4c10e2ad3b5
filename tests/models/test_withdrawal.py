"""Withdrawal: a Moderator withdraws a published release with a public reason.

The release keeps its URL (200) with a dated notice and leaves every listing: /news/,
hubs, hub index counts, search, feeds, the CSV export, the API listing and the
sitemap.
"""

import datetime
import re
from unittest import mock

import pytest
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

WORD = "chromium"
REASON = "Issued in error: the agreement has not been signed."


@pytest.fixture
def entities(newsroom):
    return release_linked_entities("Chromium")


@pytest.fixture
def control(entities):
    return make_linked_release(
        "Earlier statement", entities, release_date=datetime.date(2024, 1, 10)
    )


@pytest.fixture
def release(entities, control):
    return make_linked_release(
        "Chromium smelter agreement",
        entities,
        standfirst=f"A {WORD} smelter agreement.",
    )


def withdraw(moderator_client, release, **fields):
    release.refresh_from_db()
    values = {"withdrawn": "on", "withdrawal_reason": REASON, "withdrawn_on": ""}
    values.update(fields)
    data = release_admin_form_data(release, action="publish", **values)
    return moderator_client.post(release_admin_url(release), data)


def page_text(client, release):
    response = client.get(release.url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_moderator_withdraws_with_a_reason(moderator_client, client, release):
    response = withdraw(moderator_client, release)
    assert response.status_code == 302, admin_form_errors(response)
    release.refresh_from_db()
    assert release.live
    assert release.withdrawn
    assert release.withdrawal_reason == REASON
    # Filled in automatically; either calendar is "today" for this assertion.
    assert release.withdrawn_on in {datetime.date.today(), timezone.localdate()}

    text = page_text(client, release)
    assert "This release has been withdrawn" in text
    assert f"Withdrawn on {release.withdrawn_on:%-d %B %Y}." in text
    assert REASON in text
    assert release.title in text


def test_explicit_withdrawal_date_is_kept(moderator_client, client, release):
    response = withdraw(moderator_client, release, withdrawn_on="2024-10-01")
    assert response.status_code == 302, admin_form_errors(response)
    release.refresh_from_db()
    assert release.withdrawn_on == datetime.date(2024, 10, 1)
    assert "Withdrawn on 1 October 2024." in page_text(client, release)


def test_automatic_withdrawal_date_is_the_newsroom_date(moderator_client, release):
    # 20:00 UTC on 1 October is 03:00 on 2 October in Jakarta.
    moment = datetime.datetime(2024, 10, 1, 20, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        response = withdraw(moderator_client, release)
    assert response.status_code == 302, admin_form_errors(response)
    release.refresh_from_db()
    assert release.withdrawn_on == datetime.date(2024, 10, 2)


def test_withdrawn_release_leaves_every_listing(
    moderator_client, client, release, entities
):
    before = public_presence(client, release, entities, WORD)
    assert before == present_everywhere(before)

    response = withdraw(moderator_client, release)
    assert response.status_code == 302, admin_form_errors(response)

    after = public_presence(client, release, entities, WORD)
    assert after == {**absent_everywhere(after), "page": True}
    assert release.title not in client.get("/").content.decode()


def test_api_detail_still_says_withdrawn(moderator_client, client, release):
    withdraw(moderator_client, release)
    response = client.get(f"/api/v2/releases/{release.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["withdrawn"] is True
    assert data["withdrawal_reason"] == REASON


def test_withdrawal_without_a_reason_is_a_form_error(moderator_client, release):
    response = withdraw(moderator_client, release, withdrawal_reason="  ")
    assert response.status_code == 200
    errors = admin_form_errors(response)
    assert "withdrawal_reason" in errors, errors
    release.refresh_from_db()
    assert not release.withdrawn
    assert not PressReleasePage.objects.get(pk=release.pk).withdrawn


def test_editors_later_edit_keeps_the_withdrawal(
    moderator_client, editor_client, client, release
):
    withdraw(moderator_client, release)
    release.refresh_from_db()
    data = release_admin_form_data(release, action="submit", dateline="Bandung")
    response = editor_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    release.refresh_from_db()
    task_state = release.current_workflow_state.current_task_state
    moderator_client.post(
        f"/admin/pages/workflow/action/{release.pk}/approve/{task_state.pk}/",
        {"comment": ""},
    )
    release.refresh_from_db()
    assert release.dateline == "Bandung"
    assert release.withdrawn
    assert release.withdrawal_reason == REASON
    assert "This release has been withdrawn" in page_text(client, release)


def test_reinstating_returns_it_to_the_listings(
    moderator_client, client, release, entities
):
    withdraw(moderator_client, release)
    release.refresh_from_db()
    data = release_admin_form_data(release, action="publish")
    for field in ("withdrawn", "withdrawn_on", "withdrawal_reason"):
        data.pop(field, None)
    response = moderator_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    presence = public_presence(client, release, entities, WORD)
    assert presence == present_everywhere(presence)
    assert "This release has been withdrawn" not in page_text(client, release)
