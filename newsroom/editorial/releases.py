"""The admin's own listing of press releases (filter by sector, region, official,
regulation cited, date) and the role-of-the-day lookup the release form uses."""

import datetime

import django_filters
from django.contrib import messages
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page, Revision

from newsroom.finder.filterset import FACETS, filter_by_subtrees
from newsroom.models import (
    Official,
    PressReleasePage,
    Region,
    Regulation,
    Sector,
)


class ReleaseListingFilterSet(PageFilterSet):
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.order_by("path"),
        method="filter_sector",
        label="Sector (with sub-sectors)",
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("path"),
        method="filter_region",
        label="Region (with places inside it)",
    )
    official = django_filters.ModelChoiceFilter(
        queryset=Official.objects.all(), method="filter_official", label="Official"
    )
    regulation = django_filters.ModelChoiceFilter(
        queryset=Regulation.objects.all(),
        method="filter_regulation",
        label="Regulation cited",
    )
    release_date = django_filters.DateFromToRangeFilter(label="Release date")
    scheduled = django_filters.BooleanFilter(
        label="Scheduled to go live", method="filter_scheduled"
    )

    class Meta:
        model = PressReleasePage
        fields = []

    def filter_sector(self, queryset, name, value):
        return filter_by_subtrees(queryset, "sector", [value])

    def filter_region(self, queryset, name, value):
        return filter_by_subtrees(queryset, "region", [value])

    def filter_official(self, queryset, name, value):
        # An id subquery, which Wagtail's search can be combined with (a join can't).
        return FACETS["official"].filter(queryset, [value])

    def filter_regulation(self, queryset, name, value):
        return FACETS["regulation"].filter(queryset, [value])

    def filter_scheduled(self, queryset, name, value):
        # Revisions point at their object by a text id (a generic relation).
        scheduled = Revision.page_revisions.filter(
            object_id=Cast(OuterRef("pk"), CharField()),
            approved_go_live_at__isnull=False,
        )
        return queryset.filter(Exists(scheduled) if value else ~Exists(scheduled))


class ReleaseListingViewSet(PageListingViewSet):
    model = PressReleasePage
    icon = "doc-full-inverse"
    menu_label = "Press releases"
    menu_order = 150
    add_to_admin_menu = True
    filterset_class = ReleaseListingFilterSet
    name = "press_releases"


def official_role(request, pk):
    """The role an official held on a date, for pre-filling the release form, in
    the language of the release (``page``) or of the section it is added to
    (``parent``): an Indonesian release prints Indonesian roles."""
    official = get_object_or_404(Official, pk=pk)
    try:
        date = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        date = None
    language = None
    page_id = request.GET.get("page") or request.GET.get("parent") or ""
    if page_id.isdigit():
        language = (
            Page.objects.filter(pk=int(page_id))
            .values_list("locale__language_code", flat=True)
            .first()
        )
    return JsonResponse({"role": official.role_on(date, language)})


def say_when_it_goes_live(request, page):
    """After a release or event is saved: when it goes live, in the site's zone,
    and what is still needed for that (Wagtail says only "has been updated")."""
    specific = page.specific
    # Read afresh: Wagtail caches scheduled_revision on the page object, and an
    # "Approve and publish" schedules through another copy of the page.
    scheduled = (
        Revision.page_revisions.filter(
            object_id=str(page.pk), approved_go_live_at__isnull=False
        )
        .order_by("-created_at")
        .first()
    )
    zone = timezone.get_current_timezone_name()
    if scheduled is not None:
        when = timezone.localtime(scheduled.approved_go_live_at)
        messages.info(
            request,
            f"Scheduled: goes live on {when:%-d %B %Y at %H:%M} ({zone}).",
        )
    elif specific.go_live_at and specific.go_live_at > timezone.now():
        when = timezone.localtime(specific.go_live_at)
        messages.info(
            request,
            f"Go-live time saved: {when:%-d %B %Y at %H:%M} ({zone}). It takes "
            "effect when the release is published (“Publish”, or “Approve and "
            "Publish” in the approval workflow).",
        )
