"""Wagtail hook registrations, and nothing else: what each hook does lives in
the package of its capability (docs/architecture.md)."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from newsroom.alerts.reports import (
    AlertFiltersReport,
    AlertReleasesReport,
    may_see_alert_reports,
)
from newsroom.editorial import guards
from newsroom.editorial.releases import ReleaseListingViewSet, official_role
from newsroom.editorial.reports import PermissionMenuItem, may_translate, report_urls
from newsroom.editorial.snippets import NewsroomSnippetGroup, PressOfficeGroup
from newsroom.editorial.translation_report import TranslationsReport

register_snippet(NewsroomSnippetGroup)
register_snippet(PressOfficeGroup)

# Guards the permission system cannot express.
hooks.register("before_delete_snippet", guards.keep_used_subtrees)
hooks.register("before_delete_page", guards.keep_scheduled_releases)
hooks.register("before_bulk_action", guards.keep_scheduled_releases_in_bulk)


@hooks.register("register_admin_viewset")
def register_release_listing():
    return ReleaseListingViewSet()


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
