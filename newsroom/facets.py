"""Disjunctive facet counts: beside each option, how many releases choosing it gives.

Within one facet the counts ignore that facet's own selection (choosing a second
sector widens the result, so its count is computed as if no sector were chosen),
while every other active filter applies. One query per facet.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from newsroom.filters import FACETS

FACET_LABELS = {
    "official": "Officials",
    "organisation": "Organisations",
    "sector": "Sectors",
    "region": "Regions",
    "topic": "Topics",
}


@dataclass
class FacetOption:
    entity: object
    count: int
    selected: bool
    depth: int = 1

    @property
    def slug(self):
        return self.entity.slug

    @property
    def label(self):
        return self.entity.name


@dataclass
class FacetGroup:
    name: str
    label: str
    options: list

    # Flat facets show their most frequent options first and fold the rest away.
    SHOWN = 8

    @property
    def is_tree(self):
        return FACETS[self.name].is_tree

    @property
    def shown_options(self):
        if self.is_tree:
            return self.options
        return [o for i, o in enumerate(self.options) if i < self.SHOWN or o.selected]

    @property
    def more_options(self):
        if self.is_tree:
            return []
        return [
            o for i, o in enumerate(self.options) if i >= self.SHOWN and not o.selected
        ]


def count_by_entity(facet, releases):
    """{entity id: number of ``releases`` linked to it} for a flat facet."""
    rows = (
        facet.link_model.objects.filter(
            **{f"{facet.page_field}__in": releases.order_by().values("pk")}
        )
        .values(facet.link_field)
        .annotate(n=Count(facet.page_field, distinct=True))
        .values_list(facet.link_field, "n")
    )
    return dict(rows)


def counted_nodes(facet, releases):
    """Every node of a tree facet annotated with ``n``: releases in its subtree."""
    in_subtree = (
        facet.link_model.objects.filter(
            **{
                f"{facet.page_field}__in": releases.order_by().values("pk"),
                f"{facet.link_field}__path__startswith": OuterRef("path"),
            }
        )
        .order_by()
        # A constant grouping key: one aggregate row over the whole subquery.
        .values(group=Value(1))
        .annotate(n=Count(facet.page_field, distinct=True))
        .values("n")
    )
    return facet.model.objects.annotate(n=Coalesce(Subquery(in_subtree), 0)).order_by(
        "path"
    )


def facet_options(facet, releases, selected=()):
    """Options with at least one release (or already selected), in display order."""
    selected_ids = {entity.pk for entity in selected}
    if facet.is_tree:
        return [
            FacetOption(node, node.n, node.pk in selected_ids, node.depth)
            for node in counted_nodes(facet, releases)
            if node.n or node.pk in selected_ids
        ]
    counts = count_by_entity(facet, releases)
    shown = set(counts) | selected_ids
    entities = facet.model.objects.filter(pk__in=shown).order_by("name")
    options = [
        FacetOption(entity, counts.get(entity.pk, 0), entity.pk in selected_ids)
        for entity in entities
    ]
    return sorted(options, key=lambda o: (-o.count, o.label.casefold()))


def facet_groups(filterset, restrict_to=None):
    """A FacetGroup per facet for the filterset's current selection.

    ``restrict_to`` is a queryset of release ids that every count must stay within
    (the full-text matches, when a query is given).
    """
    groups = []
    for name, facet in FACETS.items():
        releases = filterset.queryset_without(name)
        if restrict_to is not None:
            releases = releases.filter(pk__in=restrict_to)
        options = facet_options(facet, releases, filterset.selected(name))
        groups.append(FacetGroup(name, FACET_LABELS[name], options))
    return groups
