"""The figures tracker's totals, stored: per listing page, per year and unit, over
everything it lists and over each entity's releases.

Totalling a large sector's figures live reads and sums tens of thousands of rows
and proves, for each keyed figure, that no later release in the filter restates
its key: 70 ms at 100,000 releases, for the tracker grouped by year with one
sector, a region or a topic chosen, or for a hub. Those scopes are the ones
:class:`FigureTotal` keeps, like the listing's stored counts
(newsroom/models/listed.py, ``ListedCount``): a whole listing page (facet
"total") and each entity with everything below it (its id in a figure's array).

A shared key is what makes this more than a counter: within a scope only the
latest release's figure for a key counts, so publishing a release may take
another release's figure out of a scope's totals (and that release out of the
count of releases behind them). A change therefore recomputes what the
releases concerned add: those changed, and every release sharing a key with
them (:meth:`FigureTotal.move`), before and after, and stores the difference.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection, models

from newsroom.models.figures import ListedFigure
from newsroom.models.linked_ids import ARRAYS, TOTAL
from newsroom.models.stored_sums import add_to_stored

# Held while a change reads the figures it moves the totals by (PostgreSQL).
MOVE_LOCK = 0x46494754  # "FIGT"

# What a figure's contribution depends on: its release, its place in the body,
# its listing page, date, key, value and unit, and the entities it is counted under.
FIGURE_FIELDS = (
    "listed_id",
    "position",
    "newsroom_id",
    "release_date",
    "key",
    "value",
    "unit",
    "is_currency",
    *ARRAYS,
)


def scopes_of(figure, arrays=ARRAYS):
    """The (facet, entity id) scopes a figure is totalled under."""
    yield TOTAL, 0
    for field, facet in arrays.items():
        for pk in figure[field]:
            yield facet, pk


def order(figure):
    """Later figures win a shared key: by date, then release, then position."""
    return figure["release_date"], figure["listed_id"], figure["position"]


def totals_of(figures, rivals, arrays=ARRAYS):
    """``{(newsroom id, facet, entity id, year, unit, is_currency): [total,
    figures, releases]}`` that ``figures`` add, a keyed one only where it is the
    latest of ``rivals`` (which hold every figure sharing its keys) in the scope.

    A pure function of plain dicts (``FIGURE_FIELDS``): migration 0029 uses it,
    with the array columns of its time.
    """
    latest = {}
    for rival in rivals:
        if rival["key"]:
            for scope in scopes_of(rival, arrays):
                shared = (rival["newsroom_id"], scope, rival["key"])
                if shared not in latest or order(rival) > latest[shared]:
                    latest[shared] = order(rival)
    sums = defaultdict(lambda: [Decimal(0), 0, 0])
    releases = set()
    for figure in figures:
        for scope in scopes_of(figure, arrays):
            shared = (figure["newsroom_id"], scope, figure["key"])
            if figure["key"] and latest[shared] != order(figure):
                continue
            group = (
                figure["newsroom_id"],
                *scope,
                figure["release_date"].year,
                figure["unit"],
                figure["is_currency"],
            )
            entry = sums[group]
            entry[0] += Decimal(figure["value"])
            entry[1] += 1
            if (figure["listed_id"], group) not in releases:
                releases.add((figure["listed_id"], group))
                entry[2] += 1
    return sums


def difference(after, before):
    change = defaultdict(lambda: [Decimal(0), 0, 0])
    for sign, sums in ((1, after), (-1, before)):
        for group, values in sums.items():
            for index, value in enumerate(values):
                change[group][index] += sign * value
    return {group: values for group, values in change.items() if any(values)}


class FigureTotal(models.Model):
    newsroom = models.ForeignKey(
        "newsroom.NewsroomPage", on_delete=models.CASCADE, related_name="+"
    )
    facet = models.CharField(max_length=20)  # TOTAL, or a kind
    entity_id = models.IntegerField()  # 0 for TOTAL
    year = models.IntegerField()
    unit = models.CharField(max_length=20, blank=True)
    is_currency = models.BooleanField(default=False)
    total = models.DecimalField(max_digits=28, decimal_places=2, default=0)
    figures = models.IntegerField(default=0)
    releases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "newsroom",
                    "facet",
                    "entity_id",
                    "year",
                    "unit",
                    "is_currency",
                ],
                name="unique_figure_total",
            )
        ]

    def __str__(self):
        return f"{self.facet} {self.entity_id} {self.year}: {self.total} {self.unit}"

    @classmethod
    def read(cls, newsroom, facet, entity_id):
        """A scope's totals per year, as the live ones are grouped
        (``finder.figures.totals_by``)."""
        return cls.objects.filter(
            newsroom=newsroom, facet=facet, entity_id=entity_id, figures__gt=0
        ).values("year", "unit", "is_currency", "total", "figures", "releases")

    @classmethod
    def figures_before(cls, listed_ids):
        """The figures of releases about to change, for :meth:`move`.

        A change computes its difference from what it reads, so two changes
        reading at once, each without the other's figures, could both count a
        shared key's figure. On PostgreSQL they take turns from here to their
        commit (writes of the counts would make them wait for each other
        anyway); SQLite lets one writer in at a time.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MOVE_LOCK])
        return cls.figures_of(listed_ids)

    @staticmethod
    def figures_of(listed_ids):
        """The figures of these releases, as :func:`totals_of` reads them."""
        return list(
            ListedFigure.objects.filter(listed_id__in=listed_ids).values(*FIGURE_FIELDS)
        )

    @classmethod
    def move(cls, listed_ids, before, after=None):
        """Move the totals from ``before`` (the figures of releases ``listed_ids``
        before a change) to ``after`` (by default, their figures now).

        What the releases sharing a key with them add may change too, and what
        those add depends on every figure sharing any of their keys: both are
        read now, without the changed releases' own figures, so the same
        figures stand beside ``before`` and ``after``.
        """
        changed = set(listed_ids)
        if after is None:
            after = cls.figures_of(changed)
        if not before and not after:
            return
        figures = ListedFigure.objects.exclude(listed_id__in=changed)
        keys = {figure["key"] for figure in (*before, *after) if figure["key"]}
        sharing = []
        if keys:
            holders = figures.filter(key__in=keys).values("listed_id")
            sharing = list(figures.filter(listed_id__in=holders).values(*FIGURE_FIELDS))
            keys |= {figure["key"] for figure in sharing if figure["key"]}
        rivals = list(figures.filter(key__in=keys).values(*FIGURE_FIELDS))
        cls.add(
            difference(
                totals_of([*sharing, *after], [*rivals, *after]),
                totals_of([*sharing, *before], [*rivals, *before]),
            )
        )

    @classmethod
    def rebuild(cls):
        cls.objects.all().delete()
        figures = list(ListedFigure.objects.values(*FIGURE_FIELDS))
        cls.add(totals_of(figures, figures))

    @classmethod
    def add(cls, change):
        """Add ``{(newsroom id, facet, entity id, year, unit, is_currency):
        [total, figures, releases]}`` to what is stored, in one upsert per
        batch."""
        add_to_stored(
            cls,
            ["newsroom_id", "facet", "entity_id", "year", "unit", "is_currency"],
            ["total", "figures", "releases"],
            [(*group, *values) for group, values in sorted(change.items())],
        )
