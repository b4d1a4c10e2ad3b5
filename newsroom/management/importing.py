"""What the import commands share: a file of JSON Lines (or a JSON array) in,
its report out, errors by line and a non-zero exit when a record failed."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.loading.records import read_records


def add_dry_run(parser, help):
    parser.add_argument("--dry-run", action="store_true", help=help)


class ImportCommand(BaseCommand):
    """An import of records from a file; subclasses say what they import."""

    # What one record is, in the summary: "2 event(s) were created".
    noun = "record"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .jsonl or .json file")
        add_dry_run(parser, "Validate and report without writing anything.")

    def import_records(self, records, dry_run, file):
        raise NotImplementedError

    def handle(self, *args, file, dry_run, **options):
        try:
            stream = open(file, "rb")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        with stream:
            report = self.import_records(read_records(stream), dry_run, file)
        for line_number, reason in report.failures:
            self.stderr.write(f"line {line_number}: {reason}")
        self.summarise(report, dry_run)
        if not report.ok:
            raise CommandError(f"{len(report.failures)} record(s) failed to import.")

    def summarise(self, report, dry_run):
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{report.created} {self.noun}(s) {verb} created, {report.updated} "
            f"updated, {report.unchanged} unchanged, {len(report.failures)} failed."
        )
