"""The listing's own table: one row per release a reader may see, with its links.

At 100,000 releases the listing with facet counts spent its time proving, for every
candidate release, that the page is live, public and not withdrawn (a probe of the
page and release tables per row) and then joining five link tables once per facet.
:class:`ListedRelease` holds the answer to both: a row exists only while
``PressReleasePage.objects.published()`` would return the release, and
carries the ids it links as arrays (sectors and regions with every ancestor, so a
subtree filter is a plain overlap). The page, its count and every disjunctive facet
counts then come from one scan of one table (``newsroom/finder/facet_statement.py``).

The rows are derived data and are recomputed, never edited: from
:meth:`PressReleasePage.save` (every publish, unpublish, withdrawal and expiry is a full
save), on view restrictions and page moves (``signal_handlers``), on taxonomy moves, and
in bulk loads. Pages deleted take their rows with them (CASCADE). Cards are still loaded
through ``PressReleasePage.objects.published()`` (``listing.hydrate``), so a row that
ever outlived its release could show in a count but never as a release.
"""

from collections import Counter
from itertools import islice

from django.db import models

from newsroom import kinds
from newsroom.models.figure_totals import FigureTotal
from newsroom.models.figures import ListedFigure
from newsroom.models.hub_counts import HubCount, hub_pairs
from newsroom.models.linked_ids import (  # noqa: F401
    ARRAYS,
    TOTAL,
    IdArrayField,
    LinkedIds,
)

# IdArrayField is imported for the migrations, which name it here.
from newsroom.models.stored_sums import add_to_stored

CHUNK = 2000
# The month of a count over all dates; other counts are per month of the items'
# date, as year * 100 + month (202403): the month charts.
ALL_DATES = 0


class ListedRows(LinkedIds):
    """What the listing tables share: one row per item readers may see (a
    release, an event), with the ids it links as arrays, kept with the counts
    of its listing page (:class:`ListedCount`).

    Each table names its item's key (a one-to-one primary key to the page), the
    listing page it is counted under, and the date readers filter by.
    """

    item_field = None
    # Whether the table keeps its hubs' facet counts (HubCount).
    counts_hubs = False
    # Every concrete table, for the signals that relist what a page change moves.
    tables = []

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("item_field"):
            ListedRows.tables.append(cls)

    @classmethod
    def item_model(cls):
        """The page model listed (resolved through the key: the page models
        import this module, not the other way)."""
        return cls._meta.get_field(cls.item_field).related_model

    @classmethod
    def scope_model(cls):
        return cls._meta.get_field(cls.scope_field).related_model

    @staticmethod
    def may_change_on_save(item):
        """Whether saving ``item`` may change its rows: not the first save of a
        page added as a draft (as the admin and the factories add pages), which
        has none and gets none. Asked before the save, while Django still knows
        the page is new."""
        return item.live or not item._state.adding

    @classmethod
    def refresh(cls, item_ids):
        """Recompute the rows of these items: insert those readers may see now,
        drop the others, and move the listing page's counts by the difference."""
        item_ids = list(item_ids)
        for start in range(0, len(item_ids), CHUNK):
            chunk = item_ids[start : start + CHUNK]
            before = cls.objects.filter(pk__in=chunk)
            derived = cls.derived_before(chunk)
            change = StoredCounts()
            change.subtract(before)
            before.delete()
            rows = cls.objects.bulk_create(cls.rows_for(chunk), batch_size=CHUNK)
            cls.rows_written(rows)
            cls.derived_moved(chunk, derived)
            change.update(rows)
            change.store()

    @classmethod
    def forget(cls, item_ids):
        """Take deleted items out of the counts; their rows go by CASCADE."""
        item_ids = list(item_ids)
        cls.derived_moved(item_ids, cls.derived_before(item_ids), gone=True)
        change = StoredCounts()
        change.subtract(cls.objects.filter(pk__in=item_ids))
        change.store()

    def counted(self):
        """The (listing page, facet, entity, month) counts this row adds to: the
        total and each entity it links, over all dates and in its month."""
        scope = getattr(self, f"{self.scope_field}_id")
        day = getattr(self, self.date_field)
        keys = [(TOTAL, 0), *self.linked_entities()]
        months = (ALL_DATES, day.year * 100 + day.month)
        return [(scope, facet, pk, month) for facet, pk in keys for month in months]

    def paired(self):
        """The hubs' facet counts this row adds to (HubCount), if its table
        keeps them."""
        if not self.counts_hubs:
            return []
        scope = getattr(self, f"{self.scope_field}_id")
        return hub_pairs(scope, self.linked_entities())

    def linked_entities(self):
        """(facet, id) of every entity the row links."""
        return [
            (facet, pk)
            for field, facet in ARRAYS.items()
            for pk in getattr(self, field)
        ]

    @classmethod
    def refresh_below(cls, page):
        """Every item at or under ``page``: after a move or a change of its view
        restrictions."""
        below = cls.item_model().objects.filter(path__startswith=page.path)
        cls.refresh(below.values_list("pk", flat=True))

    @classmethod
    def rebuild(cls):
        """Recompute the whole table (bulk loads, repairs, the migration)."""
        cls.objects.all().delete()
        scopes = cls.scope_model().objects.values("pk")
        ListedCount.objects.filter(newsroom__in=scopes).delete()
        HubCount.objects.filter(newsroom__in=scopes).delete()
        counts = StoredCounts()
        ids = cls.item_model().objects.order_by("pk").values_list("pk", flat=True)
        ids = ids.iterator(chunk_size=CHUNK)
        while chunk := list(islice(ids, CHUNK)):
            rows = cls.objects.bulk_create(cls.rows_for(chunk), batch_size=CHUNK)
            cls.rows_written(rows)
            counts.update(rows)
        counts.store()
        cls.derived_rebuilt()

    @classmethod
    def rows_written(cls, rows):
        """Derive what hangs off freshly written rows (a release's figures)."""

    @classmethod
    def derived_before(cls, item_ids):
        """What the items' rows derive, read before they are rewritten, for
        :meth:`derived_moved`."""

    @classmethod
    def derived_moved(cls, item_ids, before, gone=False):
        """Move totals kept over what the rows derive from ``before`` to what
        they derive now (nothing, when the items are ``gone``)."""

    @classmethod
    def derived_rebuilt(cls):
        """Recompute the totals kept over what the rows derive."""

    @classmethod
    def visible(cls, item_ids):
        """(id, tree path, {column: value}) of those of ``item_ids`` readers may
        see."""
        raise NotImplementedError

    @classmethod
    def linking_subtree(cls, kind, node):
        """Ids of items linking ``node`` (of a tree kind) or a node below it."""
        raise NotImplementedError

    @classmethod
    def linked(cls, item_ids):
        """{array column: {item id: [entity ids]}} of the items' links."""
        raise NotImplementedError

    @classmethod
    def rows_for(cls, item_ids):
        """Unsaved rows for those of ``item_ids`` readers may see."""
        visible = cls.visible(item_ids)
        if not visible:
            return []
        # Deepest first, so an item under nested listing pages belongs to the
        # nearest.
        scopes = sorted(
            cls.scope_model().objects.values_list("path", "pk"),
            key=lambda row: -len(row[0]),
        )
        linked = cls.linked([pk for pk, _, _ in visible])
        rows = []
        for pk, path, columns in visible:
            scope_id = next(
                (sid for spath, sid in scopes if path.startswith(spath)), None
            )
            if scope_id is None:  # outside any listing page: not listed
                continue
            rows.append(
                cls(
                    **{f"{cls.item_field}_id": pk, f"{cls.scope_field}_id": scope_id},
                    **columns,
                    **{field: linked[field].get(pk, []) for field in ARRAYS},
                )
            )
        return rows


class ListedRelease(ListedRows):
    release = models.OneToOneField(
        "newsroom.PressReleasePage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    newsroom = models.ForeignKey(
        "newsroom.NewsroomPage", on_delete=models.CASCADE, related_name="+"
    )
    release_date = models.DateField()

    item_field = "release"
    scope_field = "newsroom"
    date_field = "release_date"
    counts_hubs = True

    class Meta:
        indexes = [
            models.Index(
                fields=["newsroom", "-release_date", "-release"],
                name="listed_release_newest",
            )
        ]

    def __str__(self):
        return f"Listed release {self.pk}"

    @classmethod
    def rows_written(cls, rows):
        ListedFigure.add_for(rows)

    @classmethod
    def derived_before(cls, item_ids):
        return FigureTotal.figures_before(item_ids)

    @classmethod
    def derived_moved(cls, item_ids, before, gone=False):
        FigureTotal.move(item_ids, before, [] if gone else None)

    @classmethod
    def derived_rebuilt(cls):
        FigureTotal.rebuild()

    @classmethod
    def visible(cls, item_ids):
        return [
            (pk, path, {"release_date": release_date})
            for pk, path, release_date in cls.item_model()
            .objects.published()
            .filter(pk__in=item_ids)
            .order_by()
            .values_list("pk", "path", "release_date")
        ]

    @classmethod
    def linking_subtree(cls, kind, node):
        memberships = node.release_memberships.model
        below = {f"{memberships.node_field}__path__startswith": node.path}
        return memberships.objects.filter(**below).values_list("release_id", flat=True)

    @classmethod
    def linked(cls, item_ids):
        arrays = {}
        for kind in kinds.KINDS:
            # Trees through their subtree table: a node's ancestors are listed too.
            model, release_field, entity = kind.membership
            pairs = model.objects.filter(
                **{f"{release_field}__in": item_ids}
            ).values_list(release_field, f"{entity}_id")
            arrays[kind.segment] = by_item(pairs)
        return arrays


def by_item(pairs):
    """{item id: [entity ids]} of (item id, entity id) pairs."""
    grouped = {}
    for item_id, entity_id in pairs:
        grouped.setdefault(item_id, []).append(entity_id)
    return grouped


class StoredCounts:
    """What rows going and coming move in the counts kept beside the listing
    tables: the listing page's (ListedCount) and its hubs' (HubCount)."""

    def __init__(self):
        self.counts, self.pairs = Counter(), Counter()

    def update(self, rows):
        for row in rows:
            self.counts.update(row.counted())
            self.pairs.update(row.paired())

    def subtract(self, rows):
        for row in rows:
            self.counts.subtract(row.counted())
            self.pairs.subtract(row.paired())

    def store(self):
        ListedCount.add(self.counts)
        HubCount.add(self.pairs)


class ListedCount(models.Model):
    """How many listed releases of a newsroom there are (facet "total") and link
    each entity (its subtree, for trees), over all dates and per month: the
    unfiltered listing's facet counts and month chart, and each hub's month chart.

    Counting them live means unnesting every row of the newsroom, about 400 ms at
    100,000 releases (the months alone, 80 ms; a large sector's months, 50 ms);
    the landing page is the page most readers open. The counts move with the
    rows, in the same transaction (:meth:`ListedRelease.refresh`).
    """

    # The listing page counted: a newsroom, or an agenda (its events).
    newsroom = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    facet = models.CharField(max_length=20)
    entity_id = models.IntegerField()
    # ALL_DATES, or the month counted (year * 100 + month).
    month = models.IntegerField(default=ALL_DATES)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["newsroom", "facet", "entity_id", "month"],
                name="unique_listed_count_month",
            )
        ]
        # Whether any newsroom lists an entity (publicly_linked), whichever newsroom.
        indexes = [
            models.Index(fields=["facet", "entity_id"], name="listed_count_entity"),
            # The facet counts over all dates, without stepping over the months
            # (about 160,000 rows at 100,000 releases against 700).
            models.Index(
                fields=["newsroom", "facet", "entity_id"],
                condition=models.Q(month=ALL_DATES),
                name="listed_count_all_dates",
            ),
        ]

    def __str__(self):
        return f"{self.facet} {self.entity_id}: {self.n}"

    @classmethod
    def add(cls, change):
        """Add ``{(newsroom id, facet, entity id, month): difference}`` to the
        counts.

        One upsert adds to what is stored, so concurrent publishes each add their
        own difference; PostgreSQL and SQLite share the syntax.
        """
        add_to_stored(
            cls,
            ["newsroom_id", "facet", "entity_id", "month"],
            ["n"],
            [(*key, n) for key, n in sorted(change.items()) if n],
        )


def marked_public_field():
    """The editors' flag making an entity public before any release names it: the
    other way in besides :func:`publicly_linked`
    (newsroom.finder.filterset.Facet.public)."""
    return models.BooleanField(
        "public before any release",
        default=False,
        help_text="Readers find it (hub page, filters, API) as soon as it is saved. "
        "Otherwise it stays unknown to them until a published release names it: "
        "leave this off for people and subjects not yet announced.",
    )


def publicly_linked(facet):
    """For entity rows of ``facet`` ("official", "sector"...): a release readers may
    see links the entity (for trees, it or a node below it), in any newsroom.

    The stored counts already say so, so no link or page table is read: a count
    is above zero exactly while a listed row holds the entity's id.
    """
    return models.Exists(
        ListedCount.objects.filter(
            facet=facet, entity_id=models.OuterRef("pk"), month=ALL_DATES, n__gt=0
        )
    )


def known_to_readers(kind):
    """The entities of ``kind`` readers may know of; every other one answers as
    unknown.

    An entity is public once a release readers may see links it (the listing
    table's stored counts say so: drafts, scheduled, embargoed, private and
    withdrawn releases are not listed), or once an editor marks it public. A
    tree node is public with any node below it, so a public node's parents
    are never unknown.
    """
    model = kind.model
    marked = models.Q(marked_public=True)
    if kind.tree:
        marked = models.Exists(
            model.objects.filter(
                marked_public=True, path__startswith=models.OuterRef("path")
            )
        )
    return model.objects.filter(publicly_linked(kind.name) | marked)
