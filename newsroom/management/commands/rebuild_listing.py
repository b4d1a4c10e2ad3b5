from django.core.management.base import BaseCommand
from django.db import transaction

from newsroom.models import ListedCount, ListedRelease


class Command(BaseCommand):
    help = (
        "Recompute the listing table and its stored facet counts from the releases "
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
            ListedRelease.rebuild()
            after = snapshot()
            if check:
                transaction.set_rollback(True)
        if check:
            if before != after:
                self.stderr.write("The listing table is out of date.")
                raise SystemExit(1)
            self.stdout.write("The listing table is up to date.")
            return
        rows, counts = after
        self.stdout.write(f"Listed {len(rows)} releases; {len(counts)} stored counts.")


def snapshot():
    rows = sorted(
        ListedRelease.objects.values_list(
            "pk",
            "newsroom_id",
            "release_date",
            "officials",
            "organisations",
            "sectors",
            "regions",
            "topics",
        )
    )
    counts = sorted(
        ListedCount.objects.exclude(n=0).values_list(
            "newsroom_id", "facet", "entity_id", "n"
        )
    )
    return rows, counts
