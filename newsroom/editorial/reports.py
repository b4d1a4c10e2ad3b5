"""What the admin's reports share: their URLs and a menu entry shown only to
those who may open the report."""

from django.urls import path
from wagtail.admin.menu import MenuItem

from newsroom.editorial.translation_report import PERMISSION as TRANSLATE_PERMISSION


class PermissionMenuItem(MenuItem):
    """A Reports menu entry shown only to users who may open the report."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


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
