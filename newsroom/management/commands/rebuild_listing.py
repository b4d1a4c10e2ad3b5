from django.core.management.base import BaseCommand
from django.db import transaction

from newsroom.models import FigureTotal, HubCount, ListedCount
from newsroom.models.listed import ARRAYS, ListedRows


class Command(BaseCommand):
    help = (
        "Recompute the listing tables, their stored facet counts (of the whole "
        "newsroom and of each hub) and the figures "
        "tracker's stored totals from the releases and events "
        "(newsroom/models/listed.py): after restoring a backup taken without them, "
        "or to check them with --check."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report whether the stored rows and counts are up to date; "
            "exit 1 if not.",
        )

    def handle(self, *args, check=False, **options):
        before = snapshot()
        with transaction.atomic():
            for table in ListedRows.tables:
                table.rebuild()
            after = snapshot()
            if check:
                transaction.set_rollback(True)
        if check:
            if before != after:
                self.stderr.write("The listing table is out of date.")
                raise SystemExit(1)
            self.stdout.write("The listing table is up to date.")
            return
        rows, counts, hub_counts, totals = after
        self.stdout.write(
            f"Listed {len(rows)} releases and events; {len(counts)} stored counts; "
            f"{len(hub_counts)} stored hub counts; "
            f"{len(totals)} stored figure totals."
        )


def snapshot():
    """Every listing table's rows (with all their arrays), the counts, the hubs'
    counts and the figure totals."""
    rows = sorted(
        (table.__name__, *row)
        for table in ListedRows.tables
        for row in table.objects.values_list(
            "pk",
            f"{table.scope_field}_id",
            table.date_field,
            *ARRAYS,
        )
    )
    counts = sorted(
        ListedCount.objects.exclude(n=0).values_list(
            "newsroom_id", "facet", "entity_id", "month", "n"
        )
    )
    hub_counts = sorted(
        HubCount.objects.exclude(n=0).values_list(
            "newsroom_id", "hub_facet", "hub_id", "facet", "entity_id", "n"
        )
    )
    totals = sorted(
        FigureTotal.objects.exclude(figures=0).values_list(
            "newsroom_id",
            "facet",
            "entity_id",
            "year",
            "unit",
            "is_currency",
            "total",
            "figures",
            "releases",
        )
    )
    return rows, counts, hub_counts, totals
