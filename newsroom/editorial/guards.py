"""Refusals the permission system cannot express: a sector or region still
linked, a scheduled release its editor may not publish."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from newsroom.finder.filterset import FACETS
from newsroom.models import (
    PressReleasePage,
    Region,
    Sector,
)


def _refuse(request, message, fallback_url):
    messages.error(request, message)
    return redirect(request.headers.get("Referer") or fallback_url)


def keep_used_subtrees(request, instances):
    """Deleting a sector or region deletes everything below it: refuse while any
    of those is still linked to a release (the links are protected)."""
    if request.method != "POST":
        return None
    for node in instances:
        facet = {Sector: FACETS["sector"], Region: FACETS["region"]}.get(type(node))
        if facet and facet.release_ids([node]).exists():
            return _refuse(
                request,
                f"“{node}” or an entry inside it is used by releases; "
                "move those releases to another entry first.",
                reverse(f"wagtailsnippets_newsroom_{type(node)._meta.model_name}:list"),
            )
    return None


def _scheduled_and_not_publishable(request, page):
    page = page.specific
    return (
        isinstance(page, PressReleasePage)
        and page.scheduled_revision is not None
        and not page.permissions_for_user(request.user).can_publish()
    )


def keep_scheduled_releases(request, page):
    """A scheduled release was approved by a moderator; only a moderator removes it."""
    if _scheduled_and_not_publishable(request, page):
        return _refuse(
            request,
            "This release is scheduled for publication; ask a moderator to delete it.",
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
        )
    return None


def keep_scheduled_releases_in_bulk(request, action_type, objects, action_class):
    if action_type == "delete" and any(
        _scheduled_and_not_publishable(request, page) for page in objects
    ):
        return _refuse(
            request,
            "Scheduled releases can only be deleted by a moderator.",
            reverse("wagtailadmin_explore_root"),
        )
    return None
