"""The figures tracker's table: one row per key figure of a release readers may see.

Totalling figures from the bodies means loading and parsing every release's
StreamField JSON, tens of thousands of documents at 100,000 releases. Each row here
hangs off its release's listing-table row (:class:`ListedRelease`), so it exists
exactly while the release is listed: unpublishing, withdrawal, embargo or a view
restriction delete the listing row and its figures with it (CASCADE), and a
figure of an unpublished release can never be totalled. Rows are derived data,
rewritten whenever the listing row is (``ListedRows.refresh`` and ``rebuild``).

Each row also carries a copy of its listing row's filter columns (the newsroom,
the date and the linked ids), so the tracker filters the figures themselves
with the FilterSet, one GIN-indexed table and no join: joining the listing
table for a sector's releases and probing their figures one release at a time
cost 100 ms at 100,000 releases.
"""

from decimal import Decimal, InvalidOperation

from django.db import models

from newsroom.models.linked_ids import ARRAYS, LinkedIds

# Figures the body field itself would refuse (newsroom/loading/importing.py checks
# the same bound).
LIMIT = Decimal(10) ** 18


class ListedFigure(LinkedIds):
    listed = models.ForeignKey(
        "newsroom.ListedRelease", on_delete=models.CASCADE, related_name="figures"
    )
    # The listing row's, copied (see above).
    newsroom = models.ForeignKey(
        "newsroom.NewsroomPage", on_delete=models.CASCADE, related_name="+"
    )
    # Where in the body: the order a release prints its figures.
    position = models.PositiveIntegerField()
    key = models.CharField(
        max_length=80,
        blank=True,
        help_text="The figure's stable key: figures sharing one are counted once.",
    )
    value = models.DecimalField(max_digits=20, decimal_places=2)
    unit = models.CharField(max_length=20, blank=True)
    is_currency = models.BooleanField(default=False)
    label = models.CharField(max_length=120, blank=True)
    # The release's date, copied: the latest release's figure wins a shared key,
    # and the year groups the tracker.
    release_date = models.DateField()

    scope_field = "newsroom"
    date_field = "release_date"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["listed", "position"], name="unique_listed_figure"
            )
        ]
        indexes = [
            models.Index(fields=["key", "release_date"], name="figure_key"),
            models.Index(fields=["newsroom", "release_date"], name="figure_newsroom"),
        ]
        # And a GIN index on each id array on PostgreSQL (migration 0026).

    def __str__(self):
        return f"{self.label}: {self.value} {self.unit}"

    @classmethod
    def add_for(cls, listed_rows):
        """Create the figures of freshly written listing rows (whose old figures
        went with the old rows)."""
        by_id = {row.pk: row for row in listed_rows}
        if not by_id:
            return
        release_model = cls._meta.get_field("listed").related_model.item_model()
        bodies = release_model.objects.filter(pk__in=list(by_id)).values_list(
            "pk", "body"
        )
        figures = []
        for pk, body in bodies:
            row = by_id[pk]
            copied = {field: getattr(row, field) for field in ARRAYS}
            for position, figure in enumerate(figures_in(body)):
                figures.append(
                    cls(
                        listed_id=pk,
                        position=position,
                        newsroom_id=row.newsroom_id,
                        release_date=row.release_date,
                        **copied,
                        **figure,
                    )
                )
        cls.objects.bulk_create(figures, batch_size=2000)


def figures_in(body):
    """The key figures of a release body (a StreamValue) as row fields, skipping any
    whose value is missing or not a number (a draft saved half-typed)."""
    raw = getattr(body, "raw_data", None) or []
    for block in raw:
        if block.get("type") != "key_figures":
            continue
        for item in block.get("value") or []:
            # ListBlock items are stored as {"type": "item", "value": {...}}, or
            # (older data) as the value itself.
            value = item.get("value") if item.get("type") == "item" else item
            if not isinstance(value, dict):
                continue
            try:
                number = Decimal(str(value.get("value")))
            except (InvalidOperation, ValueError):
                continue
            if not number.is_finite() or abs(number) >= LIMIT:
                continue
            yield {
                "key": str(value.get("key") or "").strip()[:80],
                "value": number.quantize(Decimal("0.01")),
                "unit": str(value.get("unit") or "").strip()[:20],
                "is_currency": bool(value.get("is_currency")),
                "label": str(value.get("label") or "").strip()[:120],
            }
