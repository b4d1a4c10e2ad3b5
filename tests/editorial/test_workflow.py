"""The "Press office approval" workflow, driven through the Wagtail admin views.

An Editor writes a release and submits it; it stays invisible to the public until a
Moderator approves it, and then it is live and listed.
"""

import datetime
import json
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Comment, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset

from newsroom.models import PressReleasePage
from tests.factories import (
    admin_form_errors,
    make_release,
    release_admin_form_data,
    release_admin_url,
)

SLUG = "smelter-governance-charter"  # release_admin_form_data's default
URL = f"/news/{SLUG}/"


def listed_urls(client, path="/news/"):
    page = client.get(path).content.decode()
    return re.findall(r'class="release-card__title"><a href="([^"]+)"', page)


def workflow_action_url(release, action):
    task_state = release.current_workflow_state.current_task_state
    return f"/admin/pages/workflow/action/{release.pk}/{action}/{task_state.pk}/"


@pytest.fixture
def submitted(editor_client, newsroom):
    """A new release an Editor created and submitted for approval in one step."""
    data = release_admin_form_data(action="submit")
    response = editor_client.post(release_admin_url(newsroom=newsroom), data)
    assert response.status_code == 302, admin_form_errors(response)
    return PressReleasePage.objects.get(slug=SLUG)


def test_submission_starts_the_press_office_workflow(submitted, press_editor):
    state = submitted.current_workflow_state
    assert state is not None
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Press office approval"
    assert state.requested_by == press_editor
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not submitted.live


def test_submitted_release_is_not_public(submitted, client):
    assert client.get(URL).status_code == 404
    assert URL not in listed_urls(client)
    assert URL not in listed_urls(client, "/news/?q=charter")


def test_moderator_sees_it_awaiting_review(submitted, moderator_client):
    dashboard = moderator_client.get("/admin/").content.decode()
    assert submitted.title in dashboard


def test_moderator_approval_publishes(submitted, moderator_client, client):
    response = moderator_client.get(workflow_action_url(submitted, "approve"))
    assert response.status_code == 200  # the "approve with comment" modal
    response = moderator_client.post(
        workflow_action_url(submitted, "approve"), {"comment": "Checked the figures."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.live
    state = submitted.workflow_states.get()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert client.get(URL).status_code == 200
    assert URL in listed_urls(client)
    assert URL in listed_urls(client, "/news/?q=charter")


def test_editor_cannot_approve_their_own_release(submitted, editor_client, client):
    response = editor_client.post(
        workflow_action_url(submitted, "approve"), {"comment": ""}
    )
    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(URL).status_code == 404


def test_editor_cannot_publish_while_in_moderation(submitted, editor_client, client):
    data = release_admin_form_data(submitted, action="publish")
    editor_client.post(release_admin_url(submitted), data)
    submitted.refresh_from_db()
    assert not submitted.live
    assert client.get(URL).status_code == 404


def test_release_is_locked_for_the_editor_during_review(submitted, editor_client):
    revisions = submitted.revisions.count()
    data = release_admin_form_data(submitted, standfirst="Sneaked in after review.")
    editor_client.post(release_admin_url(submitted), data)
    assert submitted.revisions.count() == revisions
    latest = submitted.get_latest_revision_as_object()
    assert latest.standfirst != "Sneaked in after review."


def test_rejection_and_resubmission(submitted, moderator_client, editor_client, client):
    response = moderator_client.post(
        workflow_action_url(submitted, "reject"), {"comment": "Add the date."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert not submitted.live
    state = submitted.workflow_states.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert client.get(URL).status_code == 404

    data = release_admin_form_data(submitted, action="submit", event_date="2024-09-25")
    response = editor_client.post(release_admin_url(submitted), data)
    assert response.status_code == 302, admin_form_errors(response)
    submitted.refresh_from_db()
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    moderator_client.post(workflow_action_url(submitted, "approve"), {"comment": ""})
    submitted.refresh_from_db()
    assert submitted.live
    assert submitted.event_date == datetime.date(2024, 9, 25)
    assert client.get(URL).status_code == 200


def test_approval_of_a_release_with_a_go_live_time_schedules_it(
    editor_client, moderator_client, client, newsroom
):
    go_live = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        second=0, microsecond=0
    )
    data = release_admin_form_data(
        action="submit", go_live_at=go_live.strftime("%Y-%m-%d %H:%M")
    )
    response = editor_client.post(release_admin_url(newsroom=newsroom), data)
    assert response.status_code == 302, admin_form_errors(response)
    release = PressReleasePage.objects.get(slug=SLUG)
    moderator_client.post(workflow_action_url(release, "approve"), {"comment": ""})
    release.refresh_from_db()
    assert not release.live
    assert release.scheduled_revision.approved_go_live_at == go_live
    assert client.get(URL).status_code == 404

    later = go_live + datetime.timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    assert client.get(URL).status_code == 200
    assert URL in listed_urls(client)


def test_edit_to_a_live_release_stays_private_until_approved(
    editor_client, moderator_client, client
):
    release = make_release("Live statement", standfirst="The published summary.")
    data = release_admin_form_data(
        release, action="submit", standfirst="The proposed summary."
    )
    response = editor_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    page = client.get(release.url).content.decode()
    assert "The published summary." in page
    assert "The proposed summary." not in page

    release.refresh_from_db()
    moderator_client.post(workflow_action_url(release, "approve"), {"comment": ""})
    page = client.get(release.url).content.decode()
    assert "The proposed summary." in page


# --- comments and revision comparison ---------------------------------------------


def comments_data(response):
    found = re.search(
        r'<script id="comments-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found, "no comments panel on the edit view"
    return json.loads(found.group(1))


def test_comments_reach_both_roles(
    editor_client, moderator_client, press_editor, press_moderator
):
    release = make_release("Commented release", live=False)
    comment = {
        "id": "",
        "contentpath": "standfirst",
        "position": "",
        "text": "Is the date in the standfirst right?",
        "resolved": "",
    }
    data = release_admin_form_data(
        release, comments=inline_formset([{**comment, "replies": inline_formset([])}])
    )
    response = editor_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    [saved] = Comment.objects.filter(page=release)
    assert saved.user == press_editor
    assert saved.contentpath == "standfirst"

    response = moderator_client.get(release_admin_url(release))
    assert response.status_code == 200
    texts = [c["text"] for c in comments_data(response)["comments"]]
    assert "Is the date in the standfirst right?" in texts

    reply = {
        **comment,
        "id": saved.pk,
        "replies": inline_formset([{"id": "", "text": "Yes, 27 September."}]),
    }
    data = release_admin_form_data(release, comments=inline_formset([reply], initial=1))
    response = moderator_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    [answer] = saved.replies.all()
    assert answer.user == press_moderator

    response = editor_client.get(release_admin_url(release))
    [thread] = comments_data(response)["comments"]
    assert [r["text"] for r in thread["replies"]] == ["Yes, 27 September."]


def test_revision_history_and_comparison_for_both_roles(
    editor_client, moderator_client
):
    release = make_release("Compared release", standfirst="First wording.")
    draft = release.get_latest_revision_as_object()
    draft.standfirst = "Second wording."
    second = draft.save_revision()
    first = release.revisions.order_by("created_at", "pk").first()
    for press_client in (editor_client, moderator_client):
        for url in (
            f"/admin/pages/{release.pk}/history/",
            f"/admin/pages/{release.pk}/revisions/compare/{first.pk}...{second.pk}/",
            f"/admin/pages/{release.pk}/revisions/compare/live...latest/",
            f"/admin/pages/{release.pk}/revisions/{first.pk}/view/",
        ):
            response = press_client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        compare = press_client.get(
            f"/admin/pages/{release.pk}/revisions/compare/{first.pk}...{second.pk}/"
        ).content.decode()
        assert '<span class="deletion">First</span>' in compare
        assert '<span class="addition">Second</span>' in compare
