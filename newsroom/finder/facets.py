"""Disjunctive facet counts: beside each option, how many releases choosing it gives.

Within one facet the counts ignore that facet's own selection (choosing a second
sector widens the result, so its count is computed as if no sector were chosen),
while every other active filter applies. One query per facet.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Value

from newsroom import kinds
from newsroom.finder import entity_names
from newsroom.finder.facet_statement import count_listed, is_filtered, stored_counts
from newsroom.finder.filterset import FACETS
from newsroom.models.listed import ListedRows


@dataclass
class FacetOption:
    entity: object
    count: int
    selected: bool
    depth: int = 1
    # The name and slug in the page's language (set by facet_options); the
    # entity's own (English) ones when blank.
    name: str = ""
    local_slug: str = ""

    @property
    def slug(self):
        return self.local_slug or self.entity.slug

    @property
    def label(self):
        return self.name or self.entity.name


@dataclass
class FacetGroup:
    name: str
    label: str
    options: list
    # Counts scaled from a sample (newsroom/finder/broad_search.py), shown as such.
    estimated: bool = False

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


def counted_entities(facet, releases):
    """Entities of ``facet`` with their number of ``releases``, as value rows.

    One GROUP BY over the facet's membership table, joined to the entity for its
    label. Each (release, entity) pair is one row there, so ``COUNT(*)`` counts
    releases without DISTINCT; for a tree the rows include every ancestor, so a
    node counts its whole subtree.
    """
    membership, release_field, entity = facet.kind.membership
    return (
        membership.objects.filter(
            **{f"{release_field}__in": releases.order_by().values("pk")}
        )
        .values(
            facet_name=Value(facet.name),
            entity_id=F(f"{entity}_id"),
            entity_name=F(f"{entity}__name"),
            entity_slug=F(f"{entity}__slug"),
            entity_path=F(f"{entity}__path") if facet.is_tree else Value(""),
            entity_depth=F(f"{entity}__depth") if facet.is_tree else Value(1),
            entity_code=F(f"{entity}__{facet.kind.code_field}")
            if facet.kind.code_field
            else Value(""),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


def facet_options(facet, rows, selected=()):
    """Options with at least one release (or already selected), in display order.

    Trees keep their order (by path); flat facets put the most frequent first,
    ties in the alphabetical order of the page's language.
    """
    options = {
        row["entity_id"]: FacetOption(
            kinds.EntityRef(
                facet.name,
                row["entity_id"],
                row["entity_name"],
                row["entity_slug"],
                row["entity_path"],
                row.get("entity_code") or "",
            ),
            row["n"],
            selected=False,
            depth=row["entity_depth"],
        )
        for row in rows
    }
    for entity in selected:
        option = options.setdefault(
            entity.pk, FacetOption(entity, 0, False, getattr(entity, "depth", 1))
        )
        option.selected = True
    # Names and slugs in the page's language: none to look up in English, else the
    # request's one read of every translated name (newsroom/finder/entity_names.py).
    translated = entity_names.names_of(facet.model, list(options))
    for pk, (name, slug) in translated.items():
        options[pk].name, options[pk].local_slug = name, slug
    if facet.is_tree:
        return sorted(options.values(), key=lambda o: o.entity.path)
    return sorted(options.values(), key=lambda o: (-o.count, o.label.casefold()))


@dataclass
class FacetCounts:
    groups: list
    # The number of matching releases, when the counts' query gave it.
    total: int | None = None
    # The facet counts are estimates; the total may be one too.
    estimated: bool = False
    total_estimated: bool = False
    # {first of the month: results}, when the counts' statement gave them
    # (``count_facets(months=True)``): the listing's chart reads them.
    months: dict | None = None


def facet_groups(filterset, restrict_to=None):
    return count_facets(filterset, restrict_to).groups


def count_facets(
    filterset, restrict_to=None, newsroom=None, hub=None, chosen=False, months=False
):
    """A FacetGroup per facet for the filterset's current selection, from one query.

    ``restrict_to`` is a queryset of release ids that every count must stay within
    (the full-text matches, when a query is given). Over the listing table the same
    statement also counts the matching releases. ``newsroom`` says the scope is
    that whole newsroom, or with ``hub`` ((facet, entity id)) that hub of it:
    unfiltered, its counts are stored ones; so are they when ``chosen`` says the
    hub's entity is the one filter chosen (ReleaseQuery.stored_scope).
    ``months``: also the results per month, where the listing table is counted.
    """
    total = month_counts = None
    if newsroom is not None and (chosen or not is_filtered(filterset, restrict_to)):
        total, rows_by_facet = stored_counts(newsroom, hub, chosen)
    elif issubclass(filterset.queryset.model, ListedRows):
        total, rows_by_facet, month_counts = count_listed(
            filterset, restrict_to, months
        )
    else:
        rows_by_facet = union_counts(filterset, restrict_to)
    return facet_counts_of(filterset, total, rows_by_facet, months=month_counts)


def facet_counts_of(filterset, total, rows_by_facet, estimated=False, months=None):
    """FacetCounts from counted rows, the filterset's choices among them."""
    groups = [
        FacetGroup(
            name,
            facet.kind.plural_label,
            facet_options(facet, rows_by_facet[name], filterset.selected(name)),
            estimated,
        )
        for name, facet in FACETS.items()
    ]
    return FacetCounts(groups, total, estimated, months=months)


def union_counts(filterset, restrict_to=None):
    """{facet name: rows} over releases: one GROUP BY per facet, in one UNION ALL."""
    counts = []
    for name, facet in FACETS.items():
        releases = filterset.queryset_without(name)
        if restrict_to is not None:
            releases = releases.filter(pk__in=restrict_to)
        counts.append(counted_entities(facet, releases))
    rows_by_facet = {name: [] for name in FACETS}
    for row in counts[0].union(*counts[1:], all=True):
        rows_by_facet[row["facet_name"]].append(row)
    return rows_by_facet
