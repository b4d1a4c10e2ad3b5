"""The press office's dashboard on the admin home: what needs doing today, each
line linking to where it is handled.

Five sections, each shown only to those who may act on it: releases waiting for
approval, the next scheduled go-lives (with their embargo links), embargo links
opened today, translations missing or out of date, and alert emails queued or
refused. A fixed handful of queries whatever the size of the archive: every
section reads at most ``LIMIT`` rows and counts the rest in the database.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, WorkflowState

from newsroom.alerts.reports import may_see_alert_reports
from newsroom.editorial.embargo_send import may_see_recipients
from newsroom.editorial.reports import may_translate
from newsroom.editorial.translation_report import (
    MISSING,
    OUT_OF_DATE,
    STATUS_LABELS,
    releases_with_translation_status,
)
from newsroom.models import (
    AlertDelivery,
    EmbargoView,
    EventPage,
    PressReleasePage,
)

LIMIT = 8


@dataclass
class Line:
    text: str
    url: str
    when: datetime | None = None
    detail: str = ""


@dataclass
class Section:
    title: str
    empty: str
    lines: list[Line] = field(default_factory=list)
    more: int = 0
    more_url: str = ""


def _edit_url(pk):
    return reverse("wagtailadmin_pages:edit", args=[pk])


def _content_type_ids():
    return [
        ContentType.objects.get_for_model(model).pk
        for model in (PressReleasePage, EventPage)
    ]


def waiting_for_approval():
    """Releases and events submitted to the approval workflow, oldest first: the
    one waiting longest is the one to look at."""
    states = (
        WorkflowState.objects.active()
        .filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type_id=ContentType.objects.get_for_model(Page).pk,
            content_type_id__in=_content_type_ids(),
        )
        .select_related("requested_by")
        .order_by("created_at")
    )
    total = states.count()
    rows = list(states[:LIMIT])
    titles = dict(
        Page.objects.filter(pk__in=[int(s.object_id) for s in rows]).values_list(
            "pk", "title"
        )
    )
    section = Section("Waiting for approval", "Nothing is waiting for approval.")
    for state in rows:
        by = state.requested_by.get_full_name() if state.requested_by else ""
        section.lines.append(
            Line(
                titles.get(int(state.object_id), "(deleted)"),
                _edit_url(state.object_id),
                when=state.created_at,
                detail=f"submitted by {by}" if by else "submitted",
            )
        )
    section.more = max(total - LIMIT, 0)
    section.more_url = reverse("wagtailadmin_reports:workflow")
    return section


def next_scheduled(user):
    """The next go-lives, soonest first, with how many live embargo links each has."""
    revisions = (
        Revision.page_revisions.filter(
            approved_go_live_at__gt=timezone.now(),
            content_type_id__in=_content_type_ids(),
        )
        .annotate(page_pk=Cast("object_id", IntegerField()))
        .order_by("approved_go_live_at")
    )
    total = revisions.count()
    rows = list(revisions[:LIMIT])
    pages = {
        page.pk: page
        for page in Page.objects.filter(pk__in=[r.page_pk for r in rows]).annotate(
            usable_links=Count(
                "pressreleasepage__embargo_links",
                filter=Q(
                    pressreleasepage__embargo_links__revoked_at__isnull=True,
                    pressreleasepage__embargo_links__expires_at__gt=timezone.now(),
                ),
            )
        )
    }
    may_see_links = user.has_perm("newsroom.view_embargolink")
    section = Section(
        "Next scheduled go-lives",
        "Nothing is scheduled.",
    )
    for revision in rows:
        page = pages.get(revision.page_pk)
        if page is None:
            continue
        detail = ""
        if may_see_links and page.usable_links:
            detail = (
                f"embargoed: {page.usable_links} embargo link"
                f"{'s' if page.usable_links != 1 else ''}"
            )
        section.lines.append(
            Line(
                page.title,
                _edit_url(page.pk),
                when=revision.approved_go_live_at,
                detail=detail,
            )
        )
    section.more = max(total - LIMIT, 0)
    section.more_url = reverse("press_releases:index") + "?scheduled=true"
    return section


def embargo_links_opened_today(recipients_report=False):
    """With ``recipients_report``, each line opens its release's recipients and
    openings (newsroom/editorial/embargo_send.py) instead of the link itself."""
    start = timezone.make_aware(
        datetime.combine(timezone.localdate(), time.min),
        timezone.get_current_timezone(),
    )
    views = (
        EmbargoView.objects.filter(viewed_at__gte=start)
        .select_related("link__page")
        .order_by("-viewed_at")
    )
    total = views.count()
    section = Section(
        "Embargo links opened today", "No embargo link has been opened today."
    )
    for view in views[:LIMIT]:
        link = view.link
        url = reverse("wagtailsnippets_newsroom_embargolink:edit", args=[link.pk])
        if recipients_report:
            url = f"{reverse('newsroom_embargo_recipients')}?release={link.page_id}"
        section.lines.append(
            Line(
                link.page.title,
                url,
                when=view.viewed_at,
                detail=f"opened by {link.recipient}",
            )
        )
    section.more = max(total - LIMIT, 0)
    section.more_url = reverse(
        "newsroom_embargo_recipients"
        if recipients_report
        else "wagtailsnippets_newsroom_embargolink:list"
    )
    return section


def translations_to_do():
    counts = dict(
        releases_with_translation_status()
        .filter(translation_status__in=[MISSING, OUT_OF_DATE])
        .order_by()
        .values_list("translation_status")
        .annotate(n=Count("pk"))
    )
    report = reverse("newsroom_translations")
    section = Section("Translations", "Every live release is translated.")
    for status in (MISSING, OUT_OF_DATE):
        if counts.get(status):
            n = counts[status]
            section.lines.append(
                Line(
                    f"{n} release{'s' if n != 1 else ''}: translation "
                    f"{STATUS_LABELS[status]}",
                    f"{report}?status={status}",
                )
            )
    return section


def alert_emails():
    counts = dict(
        AlertDelivery.objects.filter(
            status__in=[
                AlertDelivery.Status.PENDING,
                AlertDelivery.Status.SENDING,
                AlertDelivery.Status.FAILED,
            ]
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    queued = counts.get(AlertDelivery.Status.PENDING, 0) + counts.get(
        AlertDelivery.Status.SENDING, 0
    )
    failed = counts.get(AlertDelivery.Status.FAILED, 0)
    report = reverse("newsroom_alert_releases")
    section = Section("Alert emails", "No alert email is queued or refused.")
    if queued:
        section.lines.append(
            Line(f"{queued} queued for sending", report, detail="sent by the worker")
        )
    if failed:
        section.lines.append(
            Line(
                f"{failed} refused by the mail server",
                report,
                detail="check the addresses or the mail server",
            )
        )
    return section


def sections_for(user):
    if not user.has_perm("wagtailadmin.access_admin"):
        return []
    sections = [waiting_for_approval(), next_scheduled(user)]
    if user.has_perm("newsroom.view_embargolink"):
        sections.append(embargo_links_opened_today(may_see_recipients(user)))
    if may_translate(user):
        sections.append(translations_to_do())
    if may_see_alert_reports(user):
        sections.append(alert_emails())
    return sections


class PressOfficePanel(Component):
    """The first panel of the admin home for the press office."""

    name = "press_office_today"
    order = 50
    template_name = "newsroom/admin/dashboard.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {
            "sections": sections_for(request.user),
            "zone": settings.TIME_ZONE,
        }
