from django.core.management.base import BaseCommand, CommandError

from newsroom.loading.events import import_event_records
from newsroom.loading.records import read_records


class Command(BaseCommand):
    help = (
        "Import agenda events from a JSON Lines file or a JSON array "
        "(one event per record; docs/contracts.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .jsonl or .json file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report without writing anything.",
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            stream = open(file, "rb")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        with stream:
            report = import_event_records(read_records(stream), dry_run)
        for line_number, reason in report.failures:
            self.stderr.write(f"line {line_number}: {reason}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{report.created} event(s) {verb} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.failures)} failed."
        )
        if not report.ok:
            raise CommandError(f"{len(report.failures)} record(s) failed to import.")
