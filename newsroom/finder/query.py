"""What every channel shares: the releases in scope, filtered by the request.

A *scope* is the whole newsroom or one hub (an official, sector, region,
organisation or topic with, for trees, everything below it). The listing, hubs,
feeds, CSV export and API all build a :class:`ReleaseQuery` and read from it.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property

from newsroom import kinds
from newsroom.finder import broad_search, entity_names
from newsroom.finder.facet_statement import count_listed_probed
from newsroom.finder.facets import count_facets, facet_counts_of
from newsroom.finder.filterset import (
    FACETS,
    ReleaseFilterSet,
    has_value,
    text_matches,
)
from newsroom.models import ListedRelease, PressReleasePage
from newsroom.models.linked_ids import TOTAL
from newsroom.models.precompiled import run_precompiled

# URL segment under /news/ -> facet name: "officials" -> "official"
HUB_KINDS = {kind.segment: kind.name for kind in kinds.KINDS}


def hub_entity(kind, slug):
    """The entity of a hub URL, by its English or a translated slug, or 404 (also
    for an entity readers may not know of yet: :meth:`Facet.public`).

    Loaded with its names, slugs and texts in every language (for the page and its
    language switcher).
    """
    try:
        facet = FACETS[HUB_KINDS[kind]]
    except KeyError as error:
        raise Http404("No such kind of hub.") from error
    found = entity_names.resolve_public_slugs({None: (facet.name, [slug])}, texts=True)
    entity = found[None].get(slug)
    if entity is None:
        raise Http404(f"No {facet.model._meta.verbose_name} “{slug}”.")
    return entity


def scope_queryset(scope, kind=None, entity=None, table=ListedRelease):
    """The newsroom's (or a hub's) listed releases: rows of the listing table,
    whose primary key is the release's id (newsroom/models/listed.py); with
    another ``table``, the items it lists under ``scope`` (an agenda's events)."""
    rows = table.objects.filter(**{table.scope_field: scope})
    if entity is not None:
        rows = FACETS[HUB_KINDS[kind]].filter(rows, [entity])
    return rows


# Pages of results (20 cards, 50 feed entries or API items) are loaded by a
# query compiled once for their size; a CSV export's chunks of hundreds are not.
PRECOMPILED_PAGE = 100


def hydrate(releases, among=None, relations="with_listing_relations"):
    """Reload a page of results with their ``relations`` (a method of
    newsroom/models/querysets.py), keeping their order.

    Loading through ``PressReleasePage.objects.published()`` again means a listing-table
    row can never bring a release to a reader that the site would not show; ``among``
    replaces it where the caller has already decided (a withdrawn release's own API
    detail).

    The page's ids are read first, then the releases by id in a query compiled
    once per process for each number of them (models/precompiled.py): one query
    with the page's rows as a subquery cost more to build and compile than the
    two take to run.
    """
    if isinstance(releases, QuerySet):
        ids = list(releases.values_list("pk", flat=True))
    else:
        ids = [release.pk for release in releases]
    if not ids:
        return []
    if among is not None:
        loaded = getattr(among.filter(pk__in=ids), relations)()
    elif len(ids) <= PRECOMPILED_PAGE:
        loaded = run_precompiled(published_by_id, (relations,), ids=ids)
    else:
        loaded = published_by_id(relations, ids)
    by_id = {release.pk: release for release in loaded}
    return [by_id[pk] for pk in ids if pk in by_id]


def published_by_id(relations, ids):
    """The query :func:`hydrate` runs: the published releases among ``ids``,
    loaded with ``relations``."""
    releases = PressReleasePage.objects.published(for_loading=True)
    return getattr(releases.filter(pk__in=ids), relations)()


class ReleaseQuery:
    """The request's filters applied to one scope of published releases (or,
    in a subclass, of another listing table's items)."""

    table = ListedRelease
    filterset_class = ReleaseFilterSet

    def __init__(
        self, request, newsroom, kind=None, entity=None, data=None, estimates=False
    ):
        self.request = request
        # Whether a broad query's total and counts may be estimates
        # (newsroom/finder/broad_search.py): pages say so; feeds and the API not.
        self.estimates = estimates
        self.exact_counts = None
        # The listing page whose items are filtered: a newsroom, an agenda.
        self.newsroom = newsroom
        self.kind = kind
        self.entity = entity
        self.filterset = self.filterset_class(
            request.GET if data is None else data,
            queryset=scope_queryset(newsroom, kind, entity, self.table),
            request=request,
        )

    def stored_scope(self):
        """``(facet, entity id)`` of the counts and totals stored beside the
        listing table that answer this query (newsroom/models/listed.py,
        figure_totals.py, hub_counts.py), or None: the whole scope, a whole hub,
        or one entity chosen and nothing else. Asked by the facets, the chart
        and the tracker's totals: worked out once."""
        return self._stored_scope

    @cached_property
    def _stored_scope(self):
        if self.errors or self.restrict_to() is not None:
            return None
        applied = {
            name: value
            for name, value in self.filterset.form.cleaned_data.items()
            if name != "sort" and has_value(value)
        }
        if self.entity is not None:
            return None if applied else (HUB_KINDS[self.kind], self.entity.pk)
        if not applied:
            return TOTAL, 0
        if len(applied) != 1:
            return None
        [(name, chosen)] = applied.items()
        if name in FACETS and len(chosen) == 1:
            return name, chosen[0].pk
        return None

    @property
    def errors(self):
        return self.filterset.errors

    @property
    def charts_months(self):
        """Whether the counts' statement also counts the results per month, for
        the pages' chart of releases per month (channels/charts.py:month_chart)
        without a query of its own. Only pages estimate; feeds, the CSV export
        and the API draw no chart."""
        return self.estimates and self.table is ListedRelease

    @cached_property
    def broad(self):
        """``(Estimate, results)`` of a query matching too many releases to count
        exactly, or None. The statement that tells is the exact counts' own,
        within the first matches (``broad_search.bounded_matches``): kept when
        they were all the matches. A query the planner puts far above the limit
        skips it (``broad_search.clearly_broad``)."""
        # A parameter in error is left out of the filters, as on the exact path
        # (the form says so beside it); a broad word with it stays estimated.
        if not self.estimates:
            return None
        probe = broad_search.bounded_matches(self.filterset)
        if probe is None:
            return None
        if broad_search.clearly_broad(probe):
            return broad_search.broad_search(self.filterset)
        total, rows_by_facet, matched, months = count_listed_probed(
            self.filterset, probe, months=self.charts_months
        )
        if matched <= settings.NEWSROOM_SEARCH_EXACT_LIMIT:
            self.exact_counts = facet_counts_of(
                self.filterset, total, rows_by_facet, months=months
            )
            return None
        return broad_search.broad_search(self.filterset)

    @property
    def estimated(self):
        return self.broad is not None

    @cached_property
    def results(self):
        if self.broad is not None:
            return self.broad[1]
        return self.filterset.results()

    def restrict_to(self):
        """Ids counts must stay within: every full-text match, or None.

        The matches are taken before the filters, so each facet's counts can still
        ignore that facet's own selection (disjunctive faceting).
        """
        if not self.filterset.query:
            return None
        return text_matches(self.filterset.query, self.table.item_model())

    @cached_property
    def facet_counts(self):
        if self.broad is not None:
            found = self.broad[0]
            counts = facet_counts_of(
                self.filterset,
                found.total,
                found.rows_by_facet,
                estimated=found.counts_estimated,
            )
            counts.total_estimated = found.total_estimated
            return counts
        if self.exact_counts is not None:
            return self.exact_counts
        scope = self.stored_scope() if self.table.counts_hubs else None
        if scope is not None and scope != (TOTAL, 0):
            # A whole hub, or one entity chosen: the hub's stored counts.
            chosen = self.entity is None
            return count_facets(
                self.filterset, None, self.newsroom, hub=scope, chosen=chosen
            )
        months = self.charts_months
        if self.entity is None:
            return count_facets(
                self.filterset, self.restrict_to(), self.newsroom, months=months
            )
        return count_facets(self.filterset, self.restrict_to(), months=months)

    def facets(self):
        return self.facet_counts.groups

    def facet_group(self, name):
        """The FacetGroup of facet ``name`` ("region")."""
        return next(group for group in self.facets() if group.name == name)
