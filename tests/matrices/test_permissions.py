"""The press office roles, proven through the Wagtail admin views.

Editors draft and submit; Moderators approve, publish, unpublish and withdraw. Both
maintain the taxonomy, only Moderators delete from it, and neither manages users.
Wagtail answers a refused admin request by redirecting to the dashboard (302 to
/admin/) with an error message, so "refused" below means: not a 200 or a success
redirect, and nothing changed.

Single actions by role (taxonomy, unpublish, delete, users and groups, uploads,
...) are in the matrix of tests/matrices/test_roles_matrix.py; this file keeps the
configuration and the cases that look further than one action's database effect.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from newsroom import kinds
from newsroom.editorial.press_office import EDITORS, MODERATORS, WORKFLOW_NAME
from newsroom.models import EmbargoLink, GovernmentPeriod, PressReleasePage
from tests.factories import (
    admin_form_errors,
    make_release,
    release_admin_form_data,
    release_admin_url,
)

REFUSED = ("/admin/",)  # where Wagtail sends a user it refuses


def refused(response):
    return response.status_code == 302 and response["Location"] in REFUSED


def input_names(response):
    return set(re.findall(r'name="([^"]+)"', response.content.decode()))


# --- configuration ---------------------------------------------------------------


def test_groups_hold_the_news_section_and_nothing_above_it(newsroom):
    def codenames(group_name):
        rows = GroupPagePermission.objects.filter(group__name=group_name)
        # The news section in each language (English and its Indonesian copy).
        sections = {
            newsroom.pk,
            *newsroom.get_translations().values_list("pk", flat=True),
        }
        assert {row.page_id for row in rows} == sections
        return {row.permission.codename for row in rows}

    assert codenames(EDITORS) == {"add_page", "change_page", "lock_page"}
    assert {"add_page", "change_page", "publish_page", "unlock_page"} <= codenames(
        MODERATORS
    )
    workflow = newsroom.get_workflow()
    assert workflow.name == WORKFLOW_NAME
    [task] = [task.specific for task in workflow.tasks]
    assert list(task.groups.all()) == [Group.objects.get(name=MODERATORS)]


def test_editors_have_no_superpowers(press_editor, press_moderator):
    for user in (press_editor, press_moderator):
        assert not user.is_superuser
        assert not user.is_staff
        assert user.has_perm("wagtailadmin.access_admin")
    assert not press_editor.has_perm("newsroom.withdraw_release")
    assert press_moderator.has_perm("newsroom.withdraw_release")


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda kind: kind.name)
def test_both_roles_keep_every_kinds_register_only_moderators_delete(
    press_editor, press_moderator, kind
):
    """Regulations included: the sixth kind's snippet has the others' rights."""
    model = kind.model_name.lower()
    for user in (press_editor, press_moderator):
        for action in ("add", "change", "view"):
            assert user.has_perm(f"newsroom.{action}_{model}"), (user, action)
    assert not press_editor.has_perm(f"newsroom.delete_{model}")
    assert press_moderator.has_perm(f"newsroom.delete_{model}")


# --- releases: create, edit, submit, publish, unpublish ----------------------------


def test_editor_creates_and_edits_a_draft(editor_client, press_editor, newsroom):
    response = editor_client.get(release_admin_url(newsroom=newsroom))
    assert response.status_code == 200

    response = editor_client.post(
        release_admin_url(newsroom=newsroom), release_admin_form_data()
    )
    assert response.status_code == 302, admin_form_errors(response)
    release = PressReleasePage.objects.get(slug="smelter-governance-charter")
    assert release.owner == press_editor
    assert not release.live

    response = editor_client.get(release_admin_url(release))
    assert response.status_code == 200
    data = release_admin_form_data(release, standfirst="A revised summary.")
    response = editor_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    release.refresh_from_db()
    assert release.get_latest_revision_as_object().standfirst == "A revised summary."
    assert not release.live


def test_editor_sees_submit_but_no_publish(editor_client, moderator_client, newsroom):
    release = make_release("Submitted for review", live=False)
    editor_form = input_names(editor_client.get(release_admin_url(release)))
    assert "action-submit" in editor_form
    assert "action-publish" not in editor_form
    moderator_form = input_names(moderator_client.get(release_admin_url(release)))
    assert "action-publish" in moderator_form


def test_editor_cannot_publish_a_new_release(editor_client, client, newsroom):
    data = release_admin_form_data(action="publish")
    response = editor_client.post(release_admin_url(newsroom=newsroom), data)
    assert response.status_code in (200, 302)
    release = PressReleasePage.objects.get(slug="smelter-governance-charter")
    assert not release.live
    assert release.live_revision is None
    assert client.get("/news/smelter-governance-charter/").status_code == 404


def test_editor_cannot_publish_changes_to_a_live_release(editor_client, client):
    release = make_release("Published original", standfirst="The original summary.")
    data = release_admin_form_data(
        release, action="publish", standfirst="An unapproved summary."
    )
    response = editor_client.post(release_admin_url(release), data)
    assert response.status_code in (200, 302)
    release.refresh_from_db()
    assert release.standfirst == "The original summary."
    assert release.has_unpublished_changes
    page = client.get(release.url).content.decode()
    assert "The original summary." in page
    assert "An unapproved summary." not in page


def test_editor_cannot_delete_a_scheduled_release(editor_client, press_moderator):
    go_live = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    release = make_release("Approved and scheduled", go_live_at=go_live)
    assert release.scheduled_revision is not None
    editor_client.post(release_admin_url(release, view="delete"))
    assert PressReleasePage.objects.filter(pk=release.pk).exists()


def test_moderator_publishes_and_unpublishes(moderator_client, client, newsroom):
    data = release_admin_form_data(action="publish")
    response = moderator_client.post(release_admin_url(newsroom=newsroom), data)
    assert response.status_code == 302, admin_form_errors(response)
    release = PressReleasePage.objects.get(slug="smelter-governance-charter")
    assert release.live
    assert client.get(release.url).status_code == 200

    response = moderator_client.get(release_admin_url(release, view="unpublish"))
    assert response.status_code == 200
    response = moderator_client.post(release_admin_url(release, view="unpublish"))
    assert response.status_code == 302
    assert not refused(response)
    release.refresh_from_db()
    assert not release.live
    assert client.get("/news/smelter-governance-charter/").status_code == 404


def test_moderator_publishes_an_editors_changes(moderator_client, client):
    release = make_release("Moderated edit", standfirst="The original summary.")
    data = release_admin_form_data(
        release, action="publish", standfirst="The approved summary."
    )
    response = moderator_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    assert "The approved summary." in client.get(release.url).content.decode()


def test_nobody_in_the_press_office_edits_above_the_news_section(
    editor_client, moderator_client, home
):
    for press_client in (editor_client, moderator_client):
        assert refused(press_client.get(f"/admin/pages/{home.pk}/edit/"))
        assert refused(
            press_client.get(f"/admin/pages/add/newsroom/newsroompage/{home.pk}/")
        )


def test_editor_cannot_unpublish_or_delete_the_news_section(editor_client, newsroom):
    assert refused(editor_client.post(f"/admin/pages/{newsroom.pk}/unpublish/"))
    assert refused(editor_client.post(f"/admin/pages/{newsroom.pk}/delete/"))
    assert Page.objects.get(pk=newsroom.pk).live


def test_moderator_cannot_delete_the_news_section(moderator_client, newsroom):
    make_release("One of many")
    moderator_client.post(f"/admin/pages/{newsroom.pk}/delete/")
    assert Page.objects.filter(pk=newsroom.pk).exists()


# --- withdrawal fields -------------------------------------------------------------

WITHDRAWAL_FIELDS = {"withdrawn", "withdrawn_on", "withdrawal_reason"}


def test_withdrawal_fields_only_on_the_moderators_form(
    editor_client, moderator_client, newsroom
):
    release = make_release("Withdrawable")
    for url in (release_admin_url(release), release_admin_url(newsroom=newsroom)):
        assert not WITHDRAWAL_FIELDS & input_names(editor_client.get(url))
        assert WITHDRAWAL_FIELDS <= input_names(moderator_client.get(url))


def test_editor_cannot_withdraw_by_posting_the_fields(editor_client, moderator_client):
    release = make_release("Not the editor's call")
    data = release_admin_form_data(
        release,
        action="submit",
        withdrawn="on",
        withdrawn_on="2024-10-01",
        withdrawal_reason="Editor tries to withdraw.",
    )
    response = editor_client.post(release_admin_url(release), data)
    assert response.status_code == 302, admin_form_errors(response)
    draft = release.get_latest_revision_as_object()
    assert not draft.withdrawn
    assert draft.withdrawal_reason == ""
    assert release.current_workflow_state is not None


# --- press office snippets ----------------------------------------------------------


def snippet_url(model, view, pk=None):
    url = f"/admin/snippets/newsroom/{model._meta.model_name}/{view}/"
    return f"{url}{pk}/" if pk else url


def test_editor_cannot_create_or_list_embargo_links(editor_client):
    release = make_release(
        "Scheduled statement",
        go_live_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    assert refused(editor_client.get(snippet_url(EmbargoLink, "add")))
    assert refused(editor_client.get("/admin/snippets/newsroom/embargolink/"))
    response = editor_client.post(
        snippet_url(EmbargoLink, "add"),
        {
            "page": release.pk,
            "recipient": "Wire desk",
            "expires_at": "2099-01-01 00:00",
            "revoked_at": "",
        },
    )
    assert refused(response)
    assert not EmbargoLink.objects.exists()


def test_editor_cannot_read_embargo_tokens_anywhere_in_the_admin(editor_client):
    """The token is the secret; the chooser may list links but never shows it."""
    release = make_release(
        "Scheduled secret",
        go_live_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    link = EmbargoLink.objects.create(
        page=release,
        recipient="Wire desk",
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2),
    )
    for url in (
        "/admin/snippets/choose/newsroom/embargolink/",
        f"/admin/snippets/newsroom/embargolink/edit/{link.pk}/",
        f"/admin/snippets/newsroom/embargolink/history/{link.pk}/",
        f"/admin/snippets/newsroom/embargolink/usage/{link.pk}/",
        f"/admin/snippets/newsroom/embargolink/delete/{link.pk}/",
    ):
        response = editor_client.get(url)
        assert link.token not in response.content.decode(), url
        if "/choose/" not in url:  # Wagtail's choosers answer any admin user
            assert refused(response), (url, response.status_code)
    assert (
        link.token not in editor_client.get(release_admin_url(release)).content.decode()
    )


def test_editor_cannot_list_embargo_recipients_through_the_chooser(editor_client):
    release = make_release(
        "Scheduled secret",
        go_live_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    EmbargoLink.objects.create(
        page=release,
        recipient="Wire desk",
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2),
    )
    response = editor_client.get("/admin/snippets/choose/newsroom/embargolink/")
    assert "Wire desk" not in response.content.decode()


def test_editor_cannot_manage_administrations(editor_client, moderator_client):
    assert refused(editor_client.get(snippet_url(GovernmentPeriod, "add")))
    assert moderator_client.get(snippet_url(GovernmentPeriod, "add")).status_code == 200


@pytest.mark.parametrize(
    "url_name",
    ["wagtailsites:index", "wagtailadmin_workflows:index", "wagtailredirects:index"],
)
def test_no_site_workflow_or_redirect_settings(
    editor_client, moderator_client, url_name
):
    url = reverse(url_name)
    assert refused(editor_client.get(url))
    assert refused(moderator_client.get(url))


def test_editor_cannot_send_or_see_personal_embargo_links(
    editor_client, moderator_client
):
    """Sending a release to journalists, their list and who opened what are the
    Moderators' (newsroom/editorial/embargo_send.py)."""
    from newsroom.models import Journalist

    release = make_release(
        "Scheduled for the wires",
        go_live_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    journalist = Journalist.objects.create(
        name="Wire Reporter", outlet="Antara", email="wire@example.org"
    )
    urls = (
        "/admin/newsroom/embargo/send/",
        f"/admin/newsroom/embargo/recipients/?release={release.pk}",
        "/admin/snippets/newsroom/journalist/",
        "/admin/snippets/newsroom/journalist/add/",
        f"/admin/snippets/newsroom/journalist/edit/{journalist.pk}/",
        "/admin/snippets/choose/newsroom/journalist/",
    )
    for url in urls:
        response = editor_client.get(url)
        assert "wire@example.org" not in response.content.decode(), url
        assert refused(response) or response.status_code == 403, url
    response = editor_client.post(
        "/admin/newsroom/embargo/send/",
        {"release": release.pk, "journalists": [journalist.pk]},
    )
    assert refused(response)
    assert not EmbargoLink.objects.exists()
    for url in urls:
        assert moderator_client.get(url).status_code == 200, url
