"""The editors' admin: taxonomy and people snippets, and the release listing."""

import datetime

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import (
    CreateView,
    SnippetViewSet,
    SnippetViewSetGroup,
)
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

from newsroom.editorial.translation_report import PERMISSION as TRANSLATE_PERMISSION
from newsroom.editorial.translation_report import TranslationsReport
from newsroom.finder.filterset import FACETS, filter_by_subtrees
from newsroom.models import (
    AlertDelivery,
    AlertFilter,
    AlertSubscription,
    EmbargoLink,
    GovernmentPeriod,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    Sector,
    Topic,
)
from newsroom.models.translations import translations_panel


class ReleaseCountMixin:
    """Adds how many releases use each entry, so editors see what is in use."""

    def get_queryset(self, request):
        return self.model._default_manager.annotate(
            release_count=Count("release_links", distinct=True)
        )


class OfficialViewSet(ReleaseCountMixin, SnippetViewSet):
    model = Official
    icon = "user"
    menu_label = "Officials"
    list_display = ["name", "honorific", Column("release_count", label="Releases")]
    list_filter = ["appointments__organisation"]
    ordering = ["name"]
    copy_view_enabled = False


class OrganisationViewSet(ReleaseCountMixin, SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    list_display = [
        "name",
        "acronym",
        "kind",
        "country",
        Column("release_count", label="Releases"),
    ]
    list_filter = ["kind", "country"]
    ordering = ["name"]


class TreeIndexView(SnippetIndexView):
    """Wagtail links a listing's first column to the edit form (with the row's
    actions) only when it builds that column from a field name; a ready-made
    Column stays plain text, which left every tree entry impossible to open."""

    def _get_title_column(self, field_name, *args, **kwargs):
        column = super()._get_title_column(field_name, *args, **kwargs)
        column.label = "Name"
        return column


class TreeSnippetViewSet(ReleaseCountMixin, SnippetViewSet):
    """Sectors and regions: listed in tree order with their full path."""

    index_view_class = TreeIndexView
    list_display = [
        "label_with_ancestors",
        "slug",
        Column("release_count", label="Releases"),
    ]
    ordering = ["path"]
    copy_view_enabled = False


class SectorViewSet(TreeSnippetViewSet):
    model = Sector
    icon = "cogs"
    menu_label = "Sectors"
    list_display = [*TreeSnippetViewSet.list_display, "code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("code"),
        FieldPanel("description"),
        translations_panel(),
    ]


class RegionViewSet(TreeSnippetViewSet):
    model = Region
    icon = "site"
    menu_label = "Regions"
    list_display = [*TreeSnippetViewSet.list_display, "kind", "iso_code"]
    list_filter = ["kind"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("kind"),
        FieldPanel("iso_code"),
        translations_panel(),
    ]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    list_display = ["name", "slug", Column("release_count", label="Releases")]
    # Topics are plain tags, not in the search index: the admin filters by name.
    search_fields = ["name"]
    ordering = ["name"]
    panels = [FieldPanel("name"), FieldPanel("slug"), translations_panel()]

    def get_queryset(self, request):
        return Topic.objects.annotate(
            release_count=Count("tagged_releases", distinct=True)
        )


class NewsroomSnippetGroup(SnippetViewSetGroup):
    menu_label = "Newsroom"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        OfficialViewSet,
        OrganisationViewSet,
        SectorViewSet,
        RegionViewSet,
        TopicViewSet,
    )


register_snippet(NewsroomSnippetGroup)


class ReleaseFilterSet(PageFilterSet):
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
    release_date = django_filters.DateFromToRangeFilter(label="Release date")

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


class ReleaseListingViewSet(PageListingViewSet):
    model = PressReleasePage
    icon = "doc-full-inverse"
    menu_label = "Press releases"
    menu_order = 150
    add_to_admin_menu = True
    filterset_class = ReleaseFilterSet
    name = "press_releases"


@hooks.register("register_admin_viewset")
def register_release_listing():
    return ReleaseListingViewSet()


def official_role(request, pk):
    """The role an official held on a date, for pre-filling the release form."""
    official = get_object_or_404(Official, pk=pk)
    try:
        date = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        date = None
    return JsonResponse({"role": official.role_on(date)})


@hooks.register("register_admin_urls")
def register_official_role_url():
    return [
        path(
            "newsroom/official-role/<int:pk>/",
            official_role,
            name="newsroom_official_role",
        )
    ]


@hooks.register("insert_editor_js")
def official_role_js():
    return format_html(
        '<script src="{}" data-role-url="{}"></script>',
        static("js/admin-official-role.js"),
        reverse("newsroom_official_role", args=[0]).removesuffix("0/"),
    )


@hooks.register("insert_global_admin_js")
def typed_dates_js():
    # Global, and loaded before any page's form media, so that it configures the
    # date picker before the first field starts one (see static/js/admin-dates.js).
    return format_html('<script src="{}"></script>', static("js/admin-dates.js"))


class EmbargoLinkCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class EmbargoChooserPermissionMixin:
    """Only those who manage embargo links may list them, in a chooser too."""

    def dispatch(self, request, *args, **kwargs):
        policy = ModelPermissionPolicy(EmbargoLink)
        if not policy.user_has_any_permission(
            request.user, ["add", "change", "delete", "view"]
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EmbargoChooseView(EmbargoChooserPermissionMixin, ChooseView):
    pass


class EmbargoChooseResultsView(EmbargoChooserPermissionMixin, ChooseResultsView):
    pass


class EmbargoChooserViewSet(SnippetChooserViewSet):
    choose_view_class = EmbargoChooseView
    choose_results_view_class = EmbargoChooseResultsView


class EmbargoLinkViewSet(SnippetViewSet):
    model = EmbargoLink
    chooser_viewset_class = EmbargoChooserViewSet
    icon = "lock"
    menu_label = "Embargo links"
    add_view_class = EmbargoLinkCreateView
    list_display = [
        "page",
        "recipient",
        "expires_at",
        Column("is_usable", label="Active"),
        Column("view_count", label="Views"),
        Column("get_absolute_url", label="Link"),
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return EmbargoLink.objects.select_related("page").annotate(
            view_count=Count("views")
        )


class GovernmentPeriodViewSet(SnippetViewSet):
    model = GovernmentPeriod
    icon = "date"
    menu_label = "Administrations"
    list_display = ["name", "start_date", "end_date"]


class PressOfficeGroup(SnippetViewSetGroup):
    menu_label = "Press office"
    menu_icon = "lock"
    menu_order = 210
    items = (EmbargoLinkViewSet, GovernmentPeriodViewSet)


register_snippet(PressOfficeGroup)


# --- guards the permission system cannot express ------------------------------------


def _refuse(request, message, fallback_url):
    messages.error(request, message)
    return redirect(request.headers.get("Referer") or fallback_url)


@hooks.register("before_delete_snippet")
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


@hooks.register("before_delete_page")
def keep_scheduled_releases(request, page):
    """A scheduled release was approved by a moderator; only a moderator removes it."""
    if _scheduled_and_not_publishable(request, page):
        return _refuse(
            request,
            "This release is scheduled for publication; ask a moderator to delete it.",
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
        )
    return None


@hooks.register("before_bulk_action")
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


# --- email alerts: what readers follow and what went out (counts, no addresses) -----


class AlertReportMixin:
    """Reports for whoever may view alert subscriptions (the press office)."""

    header_icon = "mail"
    any_permission_required = ["view"]
    paginate_by = 50

    @property
    def permission_policy(self):
        return ModelPermissionPolicy(AlertSubscription)


class AlertFiltersReport(AlertReportMixin, ReportView):
    page_title = "Email alerts by filter"
    index_url_name = "newsroom_alert_filters"
    index_results_url_name = "newsroom_alert_filters_results"
    list_export = ["description", "query", "confirmed", "immediate", "daily", "weekly"]
    columns = [
        TitleColumn(
            "description",
            label="Filter",
            get_url=lambda alert_filter: alert_filter.get_absolute_url(),
        ),
        Column("query", label="Query string"),
        Column("confirmed", label="Confirmed subscriptions"),
        Column("immediate", label="Immediately"),
        Column("daily", label="Daily"),
        Column("weekly", label="Weekly"),
    ]

    def get_queryset(self):
        frequency = AlertSubscription.Frequency
        return (
            AlertFilter.objects.annotate(
                confirmed=Count("subscriptions"),
                **{
                    value: Count(
                        "subscriptions", filter=Q(subscriptions__frequency=value)
                    )
                    for value in frequency.values
                },
            )
            .filter(confirmed__gt=0)
            .order_by("-confirmed", "query")
        )


class AlertReleasesReport(AlertReportMixin, ReportView):
    page_title = "Email alerts sent per release"
    index_url_name = "newsroom_alert_releases"
    index_results_url_name = "newsroom_alert_releases_results"
    list_export = ["title", "release_date", "sent", "waiting", "refused", "notices"]
    columns = [
        TitleColumn(
            "title",
            label="Release",
            url_name="wagtailadmin_pages:edit",
            id_accessor="pk",
        ),
        Column("release_date", label="Release date"),
        Column("sent", label="Sent to subscriptions"),
        Column("waiting", label="Waiting (digests, retries)"),
        Column("refused", label="Refused by the mail server"),
        Column("notices", label="Correction notices sent"),
    ]

    def get_queryset(self):
        status, kind = AlertDelivery.Status, AlertDelivery.Kind

        def count(**conditions):
            return Count(
                "alert_deliveries",
                filter=Q(
                    **{f"alert_deliveries__{key}": v for key, v in conditions.items()}
                ),
            )

        return (
            PressReleasePage.objects.filter(alert_deliveries__isnull=False)
            .annotate(
                sent=count(kind=kind.RELEASE, status=status.SENT),
                waiting=count(kind=kind.RELEASE, status=status.PENDING),
                refused=count(status=status.FAILED),
                notices=count(kind=kind.CORRECTION, status=status.SENT),
            )
            .order_by("-release_date", "-pk")
        )


class PermissionMenuItem(MenuItem):
    """A Reports menu entry shown only to users who may open the report."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


def may_see_alert_reports(user):
    return ModelPermissionPolicy(AlertSubscription).user_has_permission(user, "view")


def may_translate(user):
    return user.has_perm(TRANSLATE_PERMISSION)


def report_urls(route, view, name):
    """A report's page and the results-only view its filters refresh."""
    return [
        path(f"reports/{route}/", view.as_view(), name=name),
        path(
            f"reports/{route}/results/",
            view.as_view(results_only=True),
            name=f"{name}_results",
        ),
    ]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        *report_urls("alerts/filters", AlertFiltersReport, "newsroom_alert_filters"),
        *report_urls("alerts/releases", AlertReleasesReport, "newsroom_alert_releases"),
        *report_urls("translations", TranslationsReport, "newsroom_translations"),
    ]


@hooks.register("register_reports_menu_item")
def register_alert_filters_report():
    return PermissionMenuItem(
        "Email alerts by filter",
        reverse("newsroom_alert_filters"),
        name="alert-filters",
        icon_name="mail",
        order=1300,
        shown_to=may_see_alert_reports,
    )


@hooks.register("register_reports_menu_item")
def register_alert_releases_report():
    return PermissionMenuItem(
        "Email alerts per release",
        reverse("newsroom_alert_releases"),
        name="alert-releases",
        icon_name="mail",
        order=1310,
        shown_to=may_see_alert_reports,
    )


@hooks.register("register_reports_menu_item")
def register_translations_report():
    return PermissionMenuItem(
        "Translations",
        reverse("newsroom_translations"),
        name="translations",
        icon_name="globe",
        order=1320,
        shown_to=may_translate,
    )
