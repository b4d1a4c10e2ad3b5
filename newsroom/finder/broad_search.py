"""Full text for queries matching many releases (PostgreSQL): estimated counts
and a first page read in the RUM index's order.

Counting, ranking and faceting every match reads each matching index entry, and
those rows are wide (two vectors each, about 2.5 to a page): a word found in
every release took 3.5 s at 100,000 releases.

- The exact counts' statement runs within the first
  ``NEWSROOM_SEARCH_EXACT_LIMIT`` + 1 matches and says how many it found
  (``bounded_matches``, ``ReleaseQuery.broad``). Within the limit nothing
  changes: exact total and facet counts, every match ranked by Wagtail's own
  ``ts_rank`` (``full_text.by_relevance``), so the order is Wagtail's.
- Beyond it, the total and the facet counts come from a ``TABLESAMPLE SYSTEM``
  of about ``NEWSROOM_SEARCH_SAMPLE_ROWS`` listing rows, each tested against its
  own entry, scaled, rounded and shown as estimates ("About 98,000 releases").
  The first pages of a one-word query are first sought among the titles
  holding the word (``title_first``): where the rank bound proves them, they
  are Wagtail's own order, read from a few hundred entries. Otherwise the
  page comes from the RUM index of migration 0025, which returns matches
  best first (``ORDER BY document <=> query``) without reading their rows; its
  first ``NEWSROOM_SEARCH_WINDOW`` are ranked again by Wagtail's ``ts_rank``,
  later pages follow the index's order. Without the RUM index what the titles
  do not prove is ranked as before (exact, slow on broad words).

Only the HTML listing and hubs take this path; the feeds, CSV export and API
keep exact totals and Wagtail's full ranking. Measured and compared with the
other options in docs/scaling.md.
"""

import json
from dataclasses import dataclass
from math import floor, log10

from django.conf import settings
from django.db import connections
from django.db.models import (
    CharField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
)
from django.db.models.functions import Cast

from newsroom.finder import full_text, title_first
from newsroom.finder.facet_statement import count_sampled
from newsroom.models import ListedRelease

RUM_INDEX = "newsroom_indexentry_title_body_rum"
_rum_ready = {}


def rum_ready(using="default"):
    """Whether migration 0025 could build the RUM index on this database (asked
    once per process and database)."""
    if using not in _rum_ready:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [RUM_INDEX])
            _rum_ready[using] = cursor.fetchone() is not None
    return _rum_ready[using]


class RumDistance(Func):
    """``document <=> query``: RUM's distance, smaller is a better match."""

    arg_joiner = " <=> "
    template = "(%(expressions)s)"
    output_field = FloatField()


def entry_matches(backend, query, model):
    """A row of a listing table whose own index entry matches ``query``: tested
    row by row, for a sample, where ``text_matches`` would read every match."""
    _, tsquery = full_text._compiled(backend, query, model)
    return Exists(
        full_text._entries(model)
        .filter(object_id=Cast(OuterRef("pk"), output_field=CharField()))
        .annotate(document=full_text.document())
        .filter(document=tsquery)
    )


def sample_clause(table):
    """A block sample of ``table`` holding about the configured number of rows,
    the same blocks on every call while the table stays as it is: its share
    (:func:`sample_fraction` of the planner's count of the table's rows) is
    worked out inside the statement rather than read by a query of its own."""
    rows = float(settings.NEWSROOM_SEARCH_SAMPLE_ROWS)
    return (
        f"TABLESAMPLE SYSTEM ((SELECT 100 * LEAST(1, {rows!r} / GREATEST(reltuples, 1))"
        f" FROM pg_class WHERE oid = '{table}'::regclass)) REPEATABLE (0)"
    )


def sample_fraction(table_rows):
    """The share :func:`sample_clause` takes of a table of ``table_rows`` (the
    planner's count; 1 for a table never analysed, which is taken whole)."""
    return min(1.0, settings.NEWSROOM_SEARCH_SAMPLE_ROWS / max(table_rows, 1))


def about(n):
    """``n`` to two significant figures: 98,432 -> 98,000; small ones kept."""
    if n < 100:
        return round(n)
    digits = floor(log10(n)) - 1
    return int(round(n, -digits))


@dataclass
class Estimate:
    total: int
    rows_by_facet: dict
    # Whether the total (and, with ``counts_estimated``, the facet counts) are
    # scaled from the sample rather than counted.
    total_estimated: bool
    counts_estimated: bool


def bounded_matches(filterset):
    """The ids of at most ``NEWSROOM_SEARCH_EXACT_LIMIT + 1`` matching releases,
    to count exactly within (``count_listed_probed`` says how many there were);
    None where this module does not apply."""
    query = filterset.query
    backend = full_text.postgres_backend()
    rows = filterset.queryset
    if not query or backend is None or rows.model is not ListedRelease:
        return None
    matching = full_text.matching_ids(backend, query, rows.model.item_model())
    if isinstance(matching, list):  # nothing searchable in the query
        return None
    return matching[: settings.NEWSROOM_SEARCH_EXACT_LIMIT + 1]


# How far above the exact limit the planner's estimate must be for the exact
# statement to be skipped: its estimate of a single word is the share ANALYZE
# counted in a sample, so a word it puts at four times the limit is not near it.
PLANNED_BROAD_FACTOR = 4


def clearly_broad(probe):
    """Whether the planner expects the query of ``probe`` (``bounded_matches``)
    to match several times the exact limit: then the bounded exact statement
    would only find that out, at the cost of a bitmap of every match (30 ms for
    a word in every release at 100,000), so it is skipped. A plan costs no row
    read. An estimate too high sends the query to the sample, which counts
    exactly what it finds too few of to scale (``estimate``)."""
    plan = json.loads(probe.explain(format="json"))[0]["Plan"]
    # Beneath the probe's LIMIT: the rows expected to match at all.
    if plan["Node Type"] == "Limit":
        plan = plan["Plans"][0]
    return (
        plan["Plan Rows"] > PLANNED_BROAD_FACTOR * settings.NEWSROOM_SEARCH_EXACT_LIMIT
    )


def estimate(filterset, backend, query):
    """Counts, from a sample, for a query matching more than
    ``NEWSROOM_SEARCH_EXACT_LIMIT`` entries."""
    limit = settings.NEWSROOM_SEARCH_EXACT_LIMIT
    rows = filterset.queryset
    matches = entry_matches(backend, query, rows.model.item_model())
    hits, rows_by_facet, held, table_rows = count_sampled(
        filterset, matches, sample_clause(rows.model._meta.db_table)
    )
    fraction = sample_fraction(table_rows)
    sampled = fraction < 1
    # Blocks hold more or fewer rows than the average: scale by the rows the
    # sample held, against the planner's count of the table's.
    scale = table_rows / held if sampled and held else 1 / fraction
    if sampled:
        for counted in rows_by_facet.values():
            for row in counted:
                row["n"] = about(row["n"] * scale)
    if hits >= settings.NEWSROOM_SEARCH_MIN_HITS or not sampled:
        return Estimate(about(hits * scale), rows_by_facet, sampled, sampled)
    # Too few in the sample to scale (a narrow filter): count them, row by row,
    # up to the limit.
    counted = filterset.qs.order_by().filter(matches)[: limit + 1].count()
    if counted <= limit:
        return Estimate(counted, rows_by_facet, False, True)
    return Estimate(about(max(counted, hits * scale)), rows_by_facet, True, True)


class Hit:
    """A listing row by id, as a page of results hands it to ``hydrate``."""

    def __init__(self, pk):
        self.pk = pk


class RankedMatches:
    """The matching rows, best first, as the paginator slices them: the first
    ``window`` proven from the titles (``title_first``) or else in Wagtail's
    order among the RUM index's best, the rest in the index's order. Without
    the RUM index (``ranked``: every match ranked, the exact path's results),
    what the titles do not prove is sliced from ``ranked``."""

    def __init__(self, rows, backend, query, count, ranked=None):
        self.rows = rows
        self.backend = backend
        self.query = query
        self._count = count
        self.window = settings.NEWSROOM_SEARCH_WINDOW
        self.ranked = ranked

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def by_distance(self):
        """Ids of the filtered rows, the index's best match first."""
        model = self.rows.model.item_model()
        _, tsquery = full_text._compiled(self.backend, self.query, model)
        return (
            full_text._entries(model)
            .annotate(document=full_text.document())
            .filter(document=tsquery)
            .annotate(release_id=Cast("object_id", IntegerField()))
            .filter(release_id__in=self.rows.order_by().values("pk"))
            # The distance alone: a second key would make PostgreSQL sort every
            # match rather than read them in the index's order.
            .order_by(RumDistance(F("document"), tsquery))
            .values_list("release_id", flat=True)
        )

    def __getitem__(self, item):
        start, stop = item.start or 0, item.stop
        proven = None
        if stop <= self.window:
            proven = title_first.best_matches(self.rows, self.backend, self.query, stop)
        if proven is not None:
            ids = proven[start:stop]
        elif self.ranked is not None:
            ids = self.ranked.values_list("pk", flat=True)[start:stop]
        elif stop <= self.window:
            # One query: the index's best ``window`` ranked again as Wagtail ranks.
            best = self.rows.filter(pk__in=self.by_distance()[: self.window])
            ranked = full_text.by_relevance(best, self.backend, self.query)
            ids = ranked.values_list("pk", flat=True)[start:stop]
        else:
            ids = self.by_distance()[start:stop]
        return [Hit(pk) for pk in ids]


def broad_search(filterset):
    """``(Estimate, results)`` for a query whose matches outnumber the exact
    limit (``bounded_matches`` told)."""
    query = filterset.query
    backend = full_text.postgres_backend()
    rows = filterset.queryset
    found = estimate(filterset, backend, query)
    if filterset.sort_order != "relevance":
        # Many rows match: walking the rows by date and testing each against its
        # own entry finds a page long before the whole match would be read.
        matches = entry_matches(backend, query, rows.model.item_model())
        results = filterset.qs.filter(matches)
    else:
        # Without the RUM index, the pages the titles do not prove are ranked
        # as on the exact path (every match: slow for a broad word).
        ranked = None if rum_ready(rows.db) else filterset.results()
        results = RankedMatches(filterset.qs, backend, query, found.total, ranked)
    return found, results
