"""Key-figure totals over a request's releases: the figures tracker's numbers.

The releases are the listing's, chosen by the same :class:`ReleaseQuery` (the
FilterSet's filters and its full-text match); their figures come from the
figures table (newsroom/models/figures.py), which holds only those of releases
readers may see. Totals are kept apart per unit (USD, IDR, MW, jobs: never added
to one another, never converted), and a figure repeated under one ``key`` counts
once, with the value of the latest release that gives it.

The HTML page, the CSV and the JSON all read :func:`figure_totals`, so they
cannot disagree. Grouped by year, a whole newsroom, a whole hub or one entity
chosen read the totals stored per scope (newsroom/models/figure_totals.py);
every other filter totals the figures live.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear

from newsroom import kinds
from newsroom.finder import entity_names
from newsroom.finder.filterset import FACETS
from newsroom.finder.query import scope_queryset
from newsroom.models import FigureTotal, ListedFigure
from newsroom.models.blocks import format_figure

GROUPS = ("year", "sector", "region")
DEFAULT_GROUP = "year"
# The tracker's own parameters, not the listing's: links to releases drop them.
OWN_PARAMETERS = ("group", "page", "format", "locale")
CENT = Decimal("0.01")


class GroupError(ValueError):
    pass


def group_of(data):
    """The ``group`` parameter, checked."""
    group = data.get("group") or DEFAULT_GROUP
    if group not in GROUPS:
        raise GroupError(f"“{group}” is not one of: {', '.join(GROUPS)}.")
    return group


@dataclass
class Total:
    unit: str
    is_currency: bool
    value: Decimal
    figures: int
    releases: int

    @property
    def formatted(self):
        return format_figure(self.value, self.unit, self.is_currency)

    def as_json(self):
        return {
            "unit": self.unit,
            "is_currency": self.is_currency,
            "total": str(self.value),
            "formatted": self.formatted,
            "figures": self.figures,
            "releases": self.releases,
        }


@dataclass
class Group:
    key: object  # a year, an entity's slug, or None (releases without one)
    label: str
    url: str | None
    totals: list = field(default_factory=list)
    entity_id: int | None = None


@dataclass
class FigureTotals:
    group: str
    totals: list
    groups: list
    url: str

    def units(self):
        """Every (unit, is_currency) present, in the order of the totals."""
        return [(total.unit, total.is_currency) for total in self.totals]


def counted_figures(query):
    """The figures of the query's releases, a shared key counted once (the latest
    release's: by date, then by id; within one release, the last given).

    The figures carry their release's filter columns, so the FilterSet filters
    them as it filters the listing, without reading the listing table."""
    scope = scope_queryset(query.newsroom, query.kind, query.entity, ListedFigure)
    figures = query.filterset.queryset_without(base=scope).order_by()
    restrict = query.restrict_to()
    if restrict is not None:
        figures = figures.filter(listed_id__in=restrict)
    later = figures.filter(key=OuterRef("key")).filter(
        Q(release_date__gt=OuterRef("release_date"))
        | Q(release_date=OuterRef("release_date"), listed_id__gt=OuterRef("listed_id"))
        | Q(listed_id=OuterRef("listed_id"), position__gt=OuterRef("position"))
    )
    return figures.filter(Q(key="") | ~Exists(later))


def totals_by_year(query):
    """The rows of :func:`totals_by` per year: stored where they are kept."""
    scope = query.stored_scope()
    if scope is not None:
        return list(FigureTotal.read(query.newsroom, *scope))
    figures = counted_figures(query).annotate(year=ExtractYear("release_date"))
    return list(totals_by(figures, "year"))


def totals_by(figures, *group_fields):
    return (
        figures.values(*group_fields, "unit", "is_currency")
        .annotate(
            total=Sum("value"),
            figures=Count("pk"),
            releases=Count("listed", distinct=True),
        )
        .order_by()
    )


def totals_per_link(figures, kind):
    """The rows of :func:`totals_by` overall, and per entity of ``kind`` the
    figures' releases link (``entity``; None for releases linking none).

    Summed per release first, then per entity: counting distinct releases in
    one pass made the database sort every figure, once per linked entity (about
    200,000 rows grouped by region at 100,000 releases), where both steps group
    by hashing. The per-release sums are made once for both answers (a CTE),
    and the link table is joined on the figure's release directly.
    """
    per_release = (
        figures.values("listed_id", "unit", "is_currency")
        .annotate(total=Sum("value"), figures=Count("pk"))
        .order_by()
    )
    sql, params = per_release.query.sql_with_params()
    connection = connections[figures.db]
    quote = connection.ops.quote_name
    link = kind.link_model._meta
    entity = quote(link.get_field(kind.link_field).column)
    page = quote(link.get_field(kind.page_field).column)
    sums = "r.unit, r.is_currency, SUM(r.total), SUM(r.figures), COUNT(*)"
    statement = (
        f"WITH r AS ({sql}) "
        f"SELECT 1, NULL, {sums} FROM r GROUP BY r.unit, r.is_currency "
        f"UNION ALL SELECT 0, link.{entity}, {sums} FROM r "
        f"LEFT JOIN {quote(link.db_table)} link ON link.{page} = r.listed_id "
        f"GROUP BY link.{entity}, r.unit, r.is_currency"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    overall, per_entity = [], []
    for is_overall, pk, unit, is_currency, total, count, releases in rows:
        (overall if is_overall else per_entity).append(
            {
                "entity": pk,
                "unit": unit,
                "is_currency": bool(is_currency),
                "total": total,
                "figures": int(count),
                "releases": int(releases),
            }
        )
    return overall, per_entity


def summed_over_years(rows):
    """The rows of :func:`totals_by` per year, added up per unit."""
    overall = {}
    for row in rows:
        unit = (row["unit"], row["is_currency"])
        total = overall.setdefault(
            unit,
            {
                "unit": unit[0],
                "is_currency": unit[1],
                "total": 0,
                "figures": 0,
                "releases": 0,
            },
        )
        for column in ("total", "figures", "releases"):
            total[column] += row[column] or 0
    return overall.values()


def total_of(row):
    value = Decimal(str(row["total"] or 0)).quantize(CENT)
    return Total(
        row["unit"], row["is_currency"], value, row["figures"], row["releases"]
    )


def unit_order(total):
    return (not total.is_currency, total.unit.casefold(), total.unit)


def listing_parameters(data):
    """The request's listing parameters, as (name, value) pairs, without the
    tracker's own."""
    return [
        (name, value)
        for name, values in data.lists()
        if name not in OWN_PARAMETERS
        for value in values
    ]


def query_string(pairs):
    encoded = urlencode(pairs)
    return f"?{encoded}" if encoded else ""


def dated_listing_url(query, base_url, pairs):
    """A function of (start, end): the listing at ``base_url`` with ``pairs``
    (the current filters; their dates left out) between those dates, narrowed
    by any ``from``/``to`` already chosen. A chart asks for hundreds of bars:
    the filters are read once."""
    kept = [(name, value) for name, value in pairs if name not in ("from", "to")]
    prefix = f"{base_url}?{urlencode(kept)}&" if kept else f"{base_url}?"
    chosen_from = query.filterset.cleaned("from")
    chosen_to = query.filterset.cleaned("to")

    def url(start, end):
        start = max(start, chosen_from) if chosen_from else start
        end = min(end, chosen_to) if chosen_to else end
        # ISO dates need no quoting.
        return f"{prefix}from={start.isoformat()}&to={end.isoformat()}"

    return url


def figure_totals(query, group, newsroom_url):
    """The totals of the query's releases, overall and per ``group``."""
    pairs = listing_parameters(query.filterset.data)
    groups = {}
    if group == "year":
        rows = totals_by_year(query)
        # A release has one date, so the years partition the figures and their
        # releases: the overall totals are the years' sums, without a second
        # pass over the figures.
        overall = sorted(map(total_of, summed_over_years(rows)), key=unit_order)
        dated_url = dated_listing_url(query, newsroom_url, pairs)
        for row in rows:
            year = row["year"]
            if year not in groups:
                url = dated_url(date(year, 1, 1), date(year, 12, 31))
                groups[year] = Group(year, str(year), url)
            groups[year].totals.append(total_of(row))
        ordered = [groups[year] for year in sorted(groups, reverse=True)]
    else:
        kind = kinds.get(group)
        overall, rows = totals_per_link(counted_figures(query), kind)
        overall = sorted(map(total_of, overall), key=unit_order)
        model = FACETS[group].model
        entities = entity_names.with_translations(
            model.objects.filter(
                pk__in={row["entity"] for row in rows if row["entity"]}
            )
        ).in_bulk()
        for row in rows:
            pk = row["entity"]
            if pk not in groups:
                groups[pk] = entity_group(entities.get(pk), kind, newsroom_url, pairs)
            groups[pk].totals.append(total_of(row))
        ordered = sorted(
            groups.values(),
            key=lambda g: (g.entity_id is None, g.label.casefold(), g.entity_id or 0),
        )
    for group_totals in ordered:
        group_totals.totals.sort(key=unit_order)
    url = f"{newsroom_url}{query_string(pairs)}"
    return FigureTotals(group, overall, ordered, url)


def entity_group(entity, kind, newsroom_url, pairs):
    """A sector's or region's group, linking to its hub with the current filters
    (a hub is its entity's scope AND the filters, where adding ``?sector=``
    would have OR-ed it with the chosen ones)."""
    if entity is None:
        return Group(None, "", None)
    slug = entity_names.localized_slug(entity)
    url = f"{newsroom_url}{kind.segment}/{slug}/{query_string(pairs)}"
    return Group(
        entity.slug, entity_names.localized_name(entity), url, entity_id=entity.pk
    )
