"""Admin reports on email alerts: what readers follow and what went out (counts,
never addresses)."""

from django.db.models import Count, Q
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from newsroom.models import (
    AlertDelivery,
    AlertFilter,
    AlertSubscription,
    PressReleasePage,
)


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


def may_see_alert_reports(user):
    return ModelPermissionPolicy(AlertSubscription).user_has_permission(user, "view")
