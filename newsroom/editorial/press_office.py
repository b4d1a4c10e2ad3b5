"""Roles of the press office: who may draft, approve, publish and withdraw.

Groups and their model permissions come from migration 0003; this module grants
them the newsroom section of the page tree and puts the section under the
"Press office approval" workflow, once the section exists.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from newsroom import kinds

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Press office approval"

# Page permissions on the newsroom section (codenames of wagtailcore.Page)
SECTION_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    # No bulk_delete_page: releases have no children, so its only effect would be
    # deleting the whole News section with every release in it.
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}

# Model permissions: app_label -> codenames (migration 0003 grants those whose
# models exist by then; a later kind's migration grants its own, as 0012 does).
SNIPPETS = [*(kind.model_name.lower() for kind in kinds.KINDS), "mediacontact"]
MODEL_PERMISSIONS = {
    EDITORS: {
        "wagtailadmin": ["access_admin"],
        "newsroom": [
            f"{action}_{model}"
            for model in SNIPPETS
            for action in ("add", "change", "view")
        ],
        # No change_*: Wagtail lets "change" delete too, so an Editor could delete
        # a colleague's picture on a live release. Editors still edit and delete
        # their own uploads (Wagtail's ownership rule for "add").
        "wagtailimages": ["add_image", "choose_image"],
        "wagtaildocs": ["add_document", "choose_document"],
    },
    MODERATORS: {
        "wagtailadmin": ["access_admin"],
        "newsroom": [
            f"{action}_{model}"
            for model in [*SNIPPETS, "embargolink", "journalist", "governmentperiod"]
            for action in ("add", "change", "delete", "view")
        ]
        + ["withdraw_release"],
        "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
        "wagtaildocs": [
            "add_document",
            "change_document",
            "delete_document",
            "choose_document",
        ],
    },
}


def ensure_press_office(newsroom):
    """Grant the groups the newsroom section and attach the approval workflow."""
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in SECTION_PERMISSIONS
    }
    for name, codenames in SECTION_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name],
                page=newsroom,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    # Both roles may start the translation of a release (simple_translation's
    # "Translate" action); the copy is a draft under the other language's newsroom.
    translate = Permission.objects.filter(
        content_type__app_label="simple_translation", codename="submit_translation"
    ).first()
    if translate is not None:
        for group in groups.values():
            group.permissions.add(translate)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.create(name="Approval by the head of press")
        task.groups.set([groups[MODERATORS]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.get_or_create(page=newsroom, defaults={"workflow": workflow})
    return workflow
