"""The one definition of how releases are filtered."""

from newsroom.models import (
    Region,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseSector,
    Sector,
)

# relation name -> (tree model or None, link model, link field)
LINKS = {
    "sector": (Sector, ReleaseSector),
    "region": (Region, ReleaseRegion),
    "official": (None, ReleaseOfficial),
    "organisation": (None, ReleaseOrganisation),
}


def subtree_query(model, nodes):
    """Every node at or below any of ``nodes``, as one path-prefix query."""
    from django.db.models import Q

    condition = Q()
    for node in nodes:
        condition |= Q(path__startswith=node.path)
    return model.objects.filter(condition)


def filter_by_subtrees(queryset, relation, nodes):
    """Releases linked to any node in the subtrees of ``nodes``.

    An ``IN`` subquery instead of a join: no duplicate rows, so no DISTINCT and a
    cheap count (PITFALLS: DISTINCT over joins).
    """
    tree_model, link_model = LINKS[relation]
    linked = link_model.objects.filter(
        **{f"{relation}__in": subtree_query(tree_model, nodes)}
    ).values("page_id")
    return queryset.filter(pk__in=linked)
