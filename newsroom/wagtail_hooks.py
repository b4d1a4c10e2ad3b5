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
from newsroom.editorial import embargo_send, guards
from newsroom.editorial.dashboard import PressOfficePanel
from newsroom.editorial.releases import (
    ReleaseListingViewSet,
    official_role,
    say_when_it_goes_live,
)
from newsroom.editorial.reports import PermissionMenuItem, may_translate, report_urls
from newsroom.editorial.snippets import NewsroomSnippetGroup, PressOfficeGroup
from newsroom.editorial.translation_report import TranslationsReport

register_snippet(NewsroomSnippetGroup)
register_snippet(PressOfficeGroup)

hooks.register("after_edit_page", say_when_it_goes_live)
hooks.register("after_create_page", say_when_it_goes_live)

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


hooks.register("register_admin_urls", embargo_send.admin_urls)


@hooks.register("insert_editor_js")
def official_role_js():
    return format_html(
        '<script src="{}" data-role-url="{}"></script><script src="{}"></script>'
        '<script src="{}"></script>',
        static("js/admin-official-role.js"),
        reverse("newsroom_official_role", args=[0]).removesuffix("0/"),
        static("js/admin-error-tab.js"),
        static("js/admin-topics.js"),
    )


@hooks.register("insert_global_admin_css")
def newsroom_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("insert_global_admin_js")
def typed_dates_js():
    # Global, and loaded before any page's form media, so that it configures the
    # date picker before the first field starts one (see static/js/admin-dates.js).
    # The choosers' helper too: snippet and page forms both open choosers.
    return format_html(
        '<script src="{}"></script><script src="{}"></script>',
        static("js/admin-dates.js"),
        static("js/admin-choosers.js"),
    )


# The newsroom's reports: (route, view, URL name, menu label, menu name, icon,
# who sees it in the menu); each page checks its own permission too.
REPORTS = [
    (
        "alerts/filters",
        AlertFiltersReport,
        "newsroom_alert_filters",
        "Email alerts by filter",
        "alert-filters",
        "mail",
        may_see_alert_reports,
    ),
    (
        "alerts/releases",
        AlertReleasesReport,
        "newsroom_alert_releases",
        "Email alerts per release",
        "alert-releases",
        "mail",
        may_see_alert_reports,
    ),
    (
        "translations",
        TranslationsReport,
        "newsroom_translations",
        "Translations",
        "translations",
        "globe",
        may_translate,
    ),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        url
        for route, view, url_name, *_menu in REPORTS
        for url in report_urls(route, view, url_name)
    ]


def report_menu_item(url_name, label, name, icon, shown_to, order):
    return lambda: PermissionMenuItem(
        label,
        reverse(url_name),
        name=name,
        icon_name=icon,
        order=order,
        shown_to=shown_to,
    )


for position, (_route, _view, *menu) in enumerate(REPORTS):
    hooks.register(
        "register_reports_menu_item",
        report_menu_item(*menu, order=1300 + 10 * position),
    )


@hooks.register("construct_homepage_panels")
def press_office_dashboard(request, panels):
    panels.insert(0, PressOfficePanel())
