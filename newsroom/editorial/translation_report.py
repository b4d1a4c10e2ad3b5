"""Admin report Reports › Translations: which live releases lack a translation in
the other language, have only a draft of it, or have one older than the original.

One row per live English release, plus each live Indonesian release that has no
live English page (an Indonesian original still waiting for its English version).
The translation's id, title, live flag and last publish come from subqueries on the
same translation_key, and the status is computed by the database, so the report
(and its status filter) costs the same few queries whatever the number of rows.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page

from newsroom.models import PressReleasePage

# Who may see the report: whoever may start a translation (simple_translation's
# permission, granted to the press office's Editors and Moderators by
# press_office.ensure_press_office) and superusers.
PERMISSION = "simple_translation.submit_translation"

MISSING, DRAFT, OUT_OF_DATE, UP_TO_DATE = "missing", "draft", "outdated", "current"
STATUS_LABELS = {
    MISSING: "missing",
    DRAFT: "draft only",
    OUT_OF_DATE: "out of date",
    UP_TO_DATE: "up to date",
}


def releases_with_translation_status():
    """Live releases to translate, annotated with their translation's state."""
    default = Locale.get_default()
    # The translation: the page with the same translation_key in another locale
    # (there are two languages, so "another" is "the other").
    translation = Page.objects.filter(
        translation_key=OuterRef("translation_key")
    ).exclude(locale=OuterRef("locale"))

    def of_translation(field):
        return Subquery(translation.order_by("pk").values(field)[:1])

    live_default_version = Page.objects.filter(
        translation_key=OuterRef("translation_key"), locale=default, live=True
    )
    return (
        PressReleasePage.objects.live()
        .filter(Q(locale=default) | ~Exists(live_default_version))
        .select_related("locale")
        .annotate(
            translation_pk=of_translation("pk"),
            translation_title=of_translation("title"),
            translation_live=of_translation("live"),
            translation_published_at=of_translation("last_published_at"),
        )
        .annotate(
            # Compared: the original's last_published_at, not its
            # latest_revision_created_at. A draft revision of the original (saved,
            # submitted for approval, rejected) changes nothing readers see, so it
            # must not send the translators to work; a published change does.
            translation_status=Case(
                When(translation_pk__isnull=True, then=Value(MISSING)),
                When(translation_live=False, then=Value(DRAFT)),
                When(
                    Q(translation_published_at__isnull=True)
                    | Q(last_published_at__gt=F("translation_published_at")),
                    then=Value(OUT_OF_DATE),
                ),
                default=Value(UP_TO_DATE),
                output_field=CharField(),
            )
        )
        .order_by("-release_date", "-pk")
    )


class TranslationStatusFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Translation status",
        choices=list(STATUS_LABELS.items()),
        method="filter_status",
        empty_label="Any",
    )

    class Meta:
        model = PressReleasePage
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(translation_status=value)


def _edit_url(pk):
    return reverse("wagtailadmin_pages:edit", args=[pk]) if pk else None


class TranslationsReport(ReportView):
    page_title = "Translations"
    header_icon = "globe"
    index_url_name = "newsroom_translations"
    index_results_url_name = "newsroom_translations_results"
    filterset_class = TranslationStatusFilterSet
    paginate_by = 50
    list_export = [
        "title",
        "locale.language_code",
        "release_date",
        "status_label",
        "translation_title",
    ]
    export_headings = {
        "locale.language_code": "Language",
        "status_label": "Translation status",
        "translation_title": "Translation",
    }
    columns = [
        TitleColumn(
            "title",
            label="Release",
            get_url=lambda release: _edit_url(release.pk),
        ),
        Column("language", label="Language"),
        Column("release_date", label="Release date"),
        Column("status_label", label="Translation status"),
        TitleColumn(
            "translation_cell",
            label="Translation",
            get_url=lambda release: (
                _edit_url(release.translation_pk) or release.translate_url
            ),
        ),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return releases_with_translation_status()

    def decorate_paginated_queryset(self, object_list):
        # Labels and links for the rows of this page only: no queries.
        rows = list(object_list)
        for release in rows:
            release.language = release.locale.get_display_name()
            release.status_label = STATUS_LABELS[release.translation_status]
            release.translation_cell = release.translation_title or "Translate"
            release.translate_url = reverse(
                "simple_translation:submit_page_translation", args=[release.pk]
            )
        return rows
