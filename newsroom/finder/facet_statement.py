"""The listing's total and every disjunctive facet counts in one statement.

Over the listing table (newsroom/models/listed.py) a release's links are arrays on
its row, so one statement answers everything the listing shows besides the page
itself:

1. each facet's counts come from the rows in scope that pass the non-facet
   filters (dates, full text) and every *other* facet filter (a facet ignores
   its own selection), unnesting that facet's array and grouping by its ids;
2. the total (and the months, for the listing's chart) come from the rows
   passing them all.

The rows are read in one of two ways. Without full text, each set of rows is
read through the arrays' GIN indexes (``counted_by_row_sets``). With it, the
*candidates* (rows failing at most one facet filter) are read once and marked
with which filters they pass (``counted_by_marks``), so the text is matched
once.

PostgreSQL stores the arrays as ``integer[]`` (``&&``, ``unnest``) and SQLite as
JSON (``json_each``); only those two spellings differ.
"""

import operator
from datetime import date
from functools import reduce

from django.db import connections
from django.db.models import Exists

from newsroom.finder.filterset import FACETS, has_value
from newsroom.models import HubCount, ListedCount
from newsroom.models.listed import ALL_DATES, TOTAL

MATCHED = "matched"
SAMPLED = "sampled"
TABLE_ROWS = "table_rows"
# The rows of the results per month (``months=True``), for the listing's chart.
MONTHS = "months"


class Dialect:
    def __init__(self, vendor):
        self.postgres = vendor == "postgresql"

    def overlaps(self, column, ids):
        """SQL and params: the array ``column`` holds one of ``ids``."""
        if self.postgres:
            return f"({column} && %s::integer[])", [ids]
        marks = ", ".join(["%s"] * len(ids))
        return (
            f"EXISTS (SELECT 1 FROM json_each({column}) AS held "
            f"WHERE held.value IN ({marks}))",
            list(ids),
        )

    def month_number(self, column):
        """SQL: the month of the date ``column`` as one integer, year * 12 +
        month - 1 (:func:`month_of_number` turns it back)."""
        if self.postgres:
            return (
                f"(EXTRACT(YEAR FROM {column})::integer * 12"
                f" + EXTRACT(MONTH FROM {column})::integer - 1)"
            )
        return (
            f"(CAST(strftime('%%Y', {column}) AS INTEGER) * 12"
            f" + CAST(strftime('%%m', {column}) AS INTEGER) - 1)"
        )

    def each_id(self, column):
        """SELECT expression and FROM-clause addition yielding one row per id of
        the array ``column``. On PostgreSQL ``unnest`` in the select list: as a
        lateral join it took a quarter longer."""
        if self.postgres:
            return f"unnest({column})", ""
        return "item.value", f"JOIN json_each({column}) AS item"


def base_rows(filterset, restrict_to=None, *also):
    """The scope with every filter but the facets applied, as a ListedRelease
    queryset of the facets' arrays (and the columns ``also``). ``restrict_to``:
    ids to stay within, or a condition on each row (an ``Exists``)."""
    rows = filterset.queryset_without(*FACETS).order_by()
    if isinstance(restrict_to, Exists):
        rows = rows.filter(restrict_to)
    elif restrict_to is not None:
        rows = rows.filter(pk__in=restrict_to)
    return rows.values(*(facet.array_field for facet in FACETS.values()), *also)


def is_filtered(filterset, restrict_to=None):
    """Whether anything narrows the scope (sorting does not)."""
    filterset.errors  # noqa: B018 -- validates the form once
    return restrict_to is not None or any(
        has_value(value)
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort"
    )


def entity_columns(facet):
    """SELECT items naming an entity of ``facet`` the way facet_options reads it."""
    path, depth = ("entity.path", "entity.depth") if facet.is_tree else ("''", "1")
    code = f"entity.{facet.kind.code_field}" if facet.kind.code_field else "''"
    return (
        "entity.id AS entity_id, entity.name AS entity_name, "
        f"entity.slug AS entity_slug, {path} AS entity_path, "
        f"{depth} AS entity_depth, {code} AS entity_code"
    )


def stored_counts(newsroom, hub=None, chosen=False):
    """``(total, {facet name: rows})`` for a whole newsroom, or one of its hubs
    (``hub``: its facet and entity id), unfiltered: read from the counts kept
    beside the listing table (ListedCount, HubCount).

    ``chosen``: the hub's entity is the one filter chosen on the newsroom's
    listing (``?sector=nickel``), not the page's scope: its own facet counts
    over the whole newsroom, as disjunctive faceting counts a facet without
    its own selection.
    """
    whole = (
        ListedCount._meta.db_table,
        "counted.newsroom_id = %s AND counted.month = %s",
        [newsroom.pk, ALL_DATES],
    )
    if hub is None:
        table, scope, scope_params = whole
        total, total_params = f"counted.facet = '{TOTAL}'", []
    else:
        table = HubCount._meta.db_table
        scope = "counted.newsroom_id = %s AND counted.hub_facet = %s "
        scope += "AND counted.hub_id = %s"
        scope_params = [newsroom.pk, *hub]
        # The hub's own pair counts its releases.
        total = "counted.facet = %s AND counted.entity_id = %s"
        total_params = list(hub)
    parts, params = [], []
    for name, facet in FACETS.items():
        if chosen and name == hub[0]:
            facet_table, facet_scope, facet_params = whole
        else:
            facet_table, facet_scope, facet_params = table, scope, scope_params
        parts.append(
            f"SELECT '{name}' AS facet_name, {entity_columns(facet)}, counted.n "
            f"FROM {facet_table} AS counted "
            f"JOIN {facet.model._meta.db_table} AS entity "
            "ON entity.id = counted.entity_id "
            f"WHERE {facet_scope} AND counted.facet = '{name}' AND counted.n > 0"
        )
        params += facet_params
    parts.append(
        "SELECT 'total', NULL, NULL, NULL, NULL, NULL, NULL, counted.n "
        f"FROM {table} AS counted WHERE {scope} AND {total}"
    )
    params += [*scope_params, *total_params]
    return read_counts(connections["default"], " UNION ALL ".join(parts), params)


def stored_months(scope, facet=TOTAL, entity_id=0):
    """{first day of the month: items} of a whole listing page, or of one hub
    (``facet``, ``entity_id``), unfiltered: the month counts kept beside the
    listing table (ListedCount)."""
    rows = ListedCount.objects.filter(
        newsroom=scope, facet=facet, entity_id=entity_id, month__gt=ALL_DATES, n__gt=0
    )
    return {
        date(month // 100, month % 100, 1): n
        for month, n in rows.values_list("month", "n")
    }


def read_counts(connection, sql, params):
    scalars, rows_by_facet = read_scalars_and_counts(connection, sql, params)
    return scalars.get(TOTAL, 0), rows_by_facet


def read_scalars_and_counts(connection, sql, params):
    """``({name: n}, {facet name: rows})``: rows named after no facet (the total,
    the matches probed) are numbers of their own."""
    columns = [
        "facet_name",
        "entity_id",
        "entity_name",
        "entity_slug",
        "entity_path",
        "entity_depth",
        "entity_code",
        "n",
    ]
    rows_by_facet = {name: [] for name in FACETS}
    scalars = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            if row["facet_name"] in rows_by_facet:
                rows_by_facet[row["facet_name"]].append(row)
            elif row["facet_name"] == MONTHS:
                month = month_of_number(row["entity_id"])
                scalars.setdefault(MONTHS, {})[month] = row["n"]
            else:
                scalars[row["facet_name"]] = row["n"]
    for rows in rows_by_facet.values():  # in one order, whichever plan ran
        rows.sort(key=lambda row: row["entity_id"])
    return scalars, rows_by_facet


def month_of_number(number):
    """The first day of the month :meth:`Dialect.month_number` numbered."""
    return date(number // 12, number % 12 + 1, 1)


def count_listed(filterset, restrict_to=None, months=False):
    """``(total, {facet name: rows}, months)`` for a filterset over the listing
    table; with ``months``, ``months`` is {first of the month: rows in the
    results} (None without)."""
    scalars, rows_by_facet = read_scalars_and_counts(
        *listed_statement(filterset, restrict_to, months=months)
    )
    return scalars.get(TOTAL, 0), rows_by_facet, month_counts(scalars, months)


def count_listed_probed(filterset, restrict_to, months=False):
    """``(total, {facet name: rows}, n, months)``, ``n`` the number of ids in
    ``restrict_to`` (a sliced queryset): the caller learns in the same statement
    whether the slice held every match."""
    scalars, rows_by_facet = read_scalars_and_counts(
        *listed_statement(filterset, restrict_to, probe=restrict_to, months=months)
    )
    return (
        scalars.get(TOTAL, 0),
        rows_by_facet,
        scalars.get(MATCHED, 0),
        month_counts(scalars, months),
    )


def month_counts(scalars, months):
    """The statement's months: {} when asked and nothing matched, else None."""
    return scalars.get(MONTHS, {}) if months else None


def count_sampled(filterset, restrict_to, sample_clause):
    """``(total, {facet name: rows}, sampled, table rows)`` counted over the rows
    of ``sample_clause`` (a ``TABLESAMPLE`` of the listing table) only,
    ``sampled`` the number of rows the sample held before any filter and
    ``table rows`` the planner's count of the table's (PostgreSQL)."""
    scalars, rows_by_facet = read_scalars_and_counts(
        *listed_statement(filterset, restrict_to, sample_clause)
    )
    return (
        scalars.get(TOTAL, 0),
        rows_by_facet,
        scalars.get(SAMPLED, 0),
        scalars.get(TABLE_ROWS, 1),
    )


def listed_statement(
    filterset, restrict_to=None, sample_clause=None, probe=None, months=False
):
    """The connection, SQL and parameters of the counts' one statement; with
    ``probe``, a queryset, also the number of its rows; with ``months``, the
    results' rows per month (the listing's chart, without a query of its own)."""
    chosen = {
        name: [entity.pk for entity in filterset.selected(name)] for name in FACETS
    }
    active = [name for name in FACETS if chosen[name]]
    dated = [filterset.queryset.model.date_field] if months else []
    queryset = base_rows(filterset, restrict_to, *dated)
    connection = connections[queryset.db]
    dialect = Dialect(connection.vendor)
    if restrict_to is None and sample_clause is None:
        counted_sql, params = counted_by_row_sets(
            queryset, chosen, active, dialect, dated
        )
    else:
        counted_sql, params = counted_by_marks(
            queryset, chosen, active, dialect, dated, sample_clause
        )
    named = [
        f"SELECT '{name}', {entity_columns(facet)}, counted.n FROM counted "
        f"JOIN {facet.model._meta.db_table} AS entity ON entity.id = counted.id "
        f"WHERE counted.facet_name = '{name}'"
        for name, facet in FACETS.items()
    ]
    named.append(
        f"SELECT '{TOTAL}', NULL, NULL, NULL, NULL, NULL, NULL, counted.n "
        f"FROM counted WHERE counted.facet_name = '{TOTAL}'"
    )
    if months:
        named.append(
            f"SELECT '{MONTHS}', counted.id, NULL, NULL, NULL, NULL, NULL, counted.n "
            f"FROM counted WHERE counted.facet_name = '{MONTHS}'"
        )
    if sample_clause:
        named.append(
            f"SELECT '{SAMPLED}', NULL, NULL, NULL, NULL, NULL, NULL, COUNT(*) "
            f'FROM "{queryset.model._meta.db_table}" {sample_clause}'
        )
    if sample_clause is not None:
        named.append(
            f"SELECT '{TABLE_ROWS}', NULL, NULL, NULL, NULL, NULL, NULL, "
            "(SELECT GREATEST(reltuples, 1)::bigint FROM pg_class "
            f"WHERE oid = '{queryset.model._meta.db_table}'::regclass)"
        )
    if probe is not None:
        probe_sql, probe_params = probe.query.get_compiler(using=queryset.db).as_sql()
        named.append(
            f"SELECT '{MATCHED}', NULL, NULL, NULL, NULL, NULL, NULL, COUNT(*) "
            f"FROM ({probe_sql}) AS probe"
        )
        params = [*params, *probe_params]
    return connection, counted_sql + " UNION ALL ".join(named), params


def counted_by_id(name, value, source):
    """SQL: one facet's rows ``(facet_name, id, n)``, ``value`` (an entity id,
    a month number) counted over the rows of ``source``, grouped by the integer
    ids alone."""
    return (
        f"SELECT '{name}' AS facet_name, id, COUNT(*) AS n FROM ("
        f"SELECT {value} AS id FROM {source}) AS items GROUP BY id"
    )


def compiled(queryset):
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def counted_by_row_sets(queryset, chosen, active, dialect, dated):
    """``WITH ... counted`` and its parameters, where no full-text condition
    narrows the rows: each chosen facet's counts read the rows passing the
    other chosen facets, through the arrays' GIN indexes; every other facet,
    the total and the months read the rows passing them all (``every``, kept).

    Reading each set through its indexes rather than marking the union of them
    (counted_by_marks) spares copying every array of every candidate: 31.5 ms
    against 18 for sector + region + dates at 100,000 releases, the same rows.
    """

    def passing(names):
        rows = queryset
        for name in names:
            rows = rows.filter(FACETS[name].listed_condition(chosen[name]))
        return rows

    kept = [facet.array_field for name, facet in FACETS.items() if name not in active]
    # With every facet chosen and no months, the key: a column to count.
    every_sql, params = compiled(passing(active).values(*([*kept, *dated] or ["pk"])))
    items, item_params = [], []
    for name, facet in FACETS.items():
        if name in active:
            own_sql, own_params = compiled(
                passing([n for n in active if n != name]).values(facet.array_field)
            )
            each_id, join = dialect.each_id(f"own.{facet.array_field}")
            items.append(counted_by_id(name, each_id, f"({own_sql}) AS own {join}"))
            item_params += own_params
        else:
            each_id, join = dialect.each_id(f"every.{facet.array_field}")
            items.append(counted_by_id(name, each_id, f"every {join}"))
    items.append(counted_by_id(TOTAL, "0", "every"))
    if dated:
        month = dialect.month_number(f"every.{dated[0]}")
        items.append(counted_by_id(MONTHS, month, "every"))
    return (
        f"WITH every AS MATERIALIZED ({every_sql}), "
        f"counted AS MATERIALIZED ({' UNION ALL '.join(items)}) ",
        [*params, *item_params],
    )


def counted_by_marks(queryset, chosen, active, dialect, dated, sample_clause=None):
    """``WITH ... counted`` and its parameters, where a full-text condition (or
    a sample) narrows the rows: the candidates (the rows in scope that fail at
    most one chosen facet) are read once, marked with which facets they pass,
    and kept, so that the text is matched once, not once per set of rows."""
    if len(active) > 1:
        # A row failing at most one chosen facet passes one of them at least: a
        # condition the arrays' GIN indexes answer, so only those rows are read.
        queryset = queryset.filter(
            reduce(
                operator.or_,
                (FACETS[name].listed_condition(chosen[name]) for name in active),
            )
        )
    base_sql, base_params = compiled(queryset)
    if sample_clause:
        table = f'FROM "{queryset.model._meta.db_table}"'
        base_sql = base_sql.replace(table, f"{table} {sample_clause}", 1)

    marks, mark_params = ["base.*"], []
    for name in active:
        sql, params = dialect.overlaps(f"base.{FACETS[name].array_field}", chosen[name])
        marks.append(f"{sql} AS passes_{name}")
        mark_params += params

    def failures(names):
        return " + ".join(f"CASE WHEN passes_{n} THEN 0 ELSE 1 END" for n in names)

    # With one facet chosen every row fails at most that one; with two, the
    # filter above (one of them at least) says the same.
    at_most_one_failure = f"WHERE {failures(active)} <= 1" if len(active) > 2 else ""

    def passing(names):
        return " AND ".join([f"passes_{n}" for n in names] or ["TRUE"])

    # One pass over the candidates yields every (facet, entity) pair to count,
    # and one grouping counts them all: here, over one kept set of rows, a
    # grouping a facet (as counted_by_row_sets has) took 1-2 ms longer.
    items = []
    for name, facet in FACETS.items():
        each_id, join = dialect.each_id(f"candidates.{facet.array_field}")
        items.append(
            f"SELECT '{name}' AS facet_name, {each_id} AS id FROM candidates {join} "
            f"WHERE {passing([n for n in active if n != name])}"
        )
    items.append(f"SELECT '{TOTAL}', 0 FROM candidates WHERE {passing(active)}")
    if dated:
        month = dialect.month_number(f"candidates.{dated[0]}")
        items.append(
            f"SELECT '{MONTHS}', {month} FROM candidates WHERE {passing(active)}"
        )
    return (
        "WITH candidates AS MATERIALIZED ("
        f"SELECT * FROM (SELECT {', '.join(marks)} FROM ({base_sql}) AS base)"
        f" AS marked {at_most_one_failure}), "
        "counted AS MATERIALIZED (SELECT facet_name, id, COUNT(*) AS n FROM ("
        f"{' UNION ALL '.join(items)}) AS items GROUP BY facet_name, id) ",
        [*mark_params, *base_params],
    )
