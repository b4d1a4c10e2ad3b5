"""What every channel shares: the releases in scope, filtered by the request.

A *scope* is the whole newsroom or one hub (an official, sector, region,
organisation or topic with, for trees, everything below it). The listing, hubs,
feeds, CSV export and API all build a :class:`ReleaseQuery` and read from it.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from newsroom.filters import FACETS, ReleaseFilterSet
from newsroom.models import PressReleasePage
from newsroom.models.pages import HUB_SEGMENTS
from newsroom.queries import published_releases, with_listing_relations

# URL segment under /news/ -> facet name: "officials" -> "official"
HUB_KINDS = {segment: segment.removesuffix("s") for segment in HUB_SEGMENTS}


def hub_entity(kind, slug):
    """The entity of a hub URL, or 404."""
    try:
        facet = FACETS[HUB_KINDS[kind]]
    except KeyError as error:
        raise Http404("No such kind of hub.") from error
    return get_object_or_404(facet.model, slug=slug)


def scope_queryset(newsroom, kind=None, entity=None):
    releases = published_releases().descendant_of(newsroom)
    if entity is not None:
        releases = FACETS[HUB_KINDS[kind]].filter(releases, [entity])
    return releases


def matching_ids(results):
    """A subquery of every matching release id, for counts over search results."""
    if hasattr(results, "get_queryset"):  # the database search backends
        return results.get_queryset().order_by().values("pk")
    return [result.pk for result in results]


def hydrate(releases):
    """Reload a page of results with everything a card shows, keeping their order."""
    ids = [release.pk for release in releases]
    loaded = with_listing_relations(PressReleasePage.objects.filter(pk__in=ids))
    by_id = {release.pk: release for release in loaded}
    return [by_id[pk] for pk in ids if pk in by_id]


class ReleaseQuery:
    """The request's filters applied to one scope of published releases."""

    def __init__(self, request, newsroom, kind=None, entity=None, data=None):
        self.request = request
        self.newsroom = newsroom
        self.kind = kind
        self.entity = entity
        self.filterset = ReleaseFilterSet(
            request.GET if data is None else data,
            queryset=scope_queryset(newsroom, kind, entity),
            request=request,
        )

    @property
    def errors(self):
        return self.filterset.errors

    @cached_property
    def results(self):
        return self.filterset.results()

    def restrict_to(self):
        """Ids counts must stay within: every full-text match in the scope, or None.

        The matches are taken before the filters, so each facet's counts can still
        ignore that facet's own selection (disjunctive faceting).
        """
        if not self.filterset.query:
            return None
        scope = self.filterset.queryset.order_by()
        return matching_ids(scope.search(self.filterset.query))

    def facets(self):
        from newsroom.facets import facet_groups

        return facet_groups(self.filterset, self.restrict_to())


def hub_sitemap_entries(newsroom, request=None):
    """Sitemap entries for hub indexes and each entity that has published releases
    (for a tree, in its subtree)."""
    base = newsroom.get_full_url(request)
    releases = scope_queryset(newsroom).order_by().values("pk")
    entries = []
    for segment, facet_name in HUB_KINDS.items():
        facet = FACETS[facet_name]
        entries.append({"location": f"{base}{segment}/"})
        linked = facet.model.objects.filter(
            pk__in=facet.membership.objects.filter(
                **{f"{facet.member_page_field}__in": releases}
            ).values(facet.member_field)
        )
        for slug in linked.values_list("slug", flat=True):
            entries.append({"location": f"{base}{segment}/{slug}/"})
    return entries
