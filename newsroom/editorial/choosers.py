"""The choosers of the release form's officials, sectors and regions: rows that
say who and where (an official's current position, a place's path such as
"Indonesia › Central Sulawesi › Morowali"), searches that find officials by
their position ("director general"), and pages long enough to scan (issue #26
item 5). Keeping ticks across searches and greying out what the release already
has is the browser's part: static/js/admin-choosers.js."""

from django.db.models import OuterRef, Subquery
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)

from newsroom.models import Appointment

PER_PAGE = 25


class OfficialChooserMixin:
    per_page = PER_PAGE

    @property
    def columns(self):
        return [*super().columns, Column("current_position", label="Current position")]

    def get_object_list(self):
        current = Appointment.objects.filter(
            official=OuterRef("pk"), end_date__isnull=True
        ).order_by("-start_date")
        return (
            super()
            .get_object_list()
            .annotate(current_position=Subquery(current.values("position")[:1]))
        )

    def filter_object_list(self, objects):
        found = super().filter_object_list(objects)
        query = self.request.GET.get("q", "").strip()
        if not query:
            return found
        # The name's autocomplete, or any position held: a union by ids, as a
        # search result cannot be combined with a join.
        ids = {official.pk for official in found}
        ids.update(
            objects.filter(appointments__position__icontains=query).values_list(
                "pk", flat=True
            )
        )
        return objects.filter(pk__in=ids)


class TreeChooserMixin:
    """Each place or sector with its ancestors, read in one query a page."""

    per_page = PER_PAGE

    @property
    def columns(self):
        columns = super().columns
        columns[0].accessor = lambda node: getattr(node, "chooser_label", str(node))
        return columns

    def get_results_page(self, request):
        page = super().get_results_page(request)
        nodes = list(page.object_list)
        if nodes:
            model = type(nodes[0])
            steplen = model.steplen
            prefixes = {
                node.path[: steplen * depth]
                for node in nodes
                for depth in range(1, node.depth)
            }
            names = dict(
                model.objects.filter(path__in=prefixes).values_list("path", "name")
            )
            for node in nodes:
                ancestors = [
                    names.get(node.path[: steplen * depth], "")
                    for depth in range(1, node.depth)
                ]
                node.chooser_label = " › ".join([*ancestors, node.name])
            page.object_list = nodes
        return page


def chooser_viewset(mixin):
    class ChooserViewSet(SnippetChooserViewSet):
        choose_view_class = type("ChooseView", (mixin, ChooseView), {})
        choose_results_view_class = type(
            "ChooseResultsView", (mixin, ChooseResultsView), {}
        )

    return ChooserViewSet


OfficialChooserViewSet = chooser_viewset(OfficialChooserMixin)
TreeChooserViewSet = chooser_viewset(TreeChooserMixin)
