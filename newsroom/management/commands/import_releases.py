from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from newsroom.loading.importing import import_records
from newsroom.loading.records import count_records, read_records

PROGRESS_FROM = 200


class Command(BaseCommand):
    help = "Import press releases from a JSON Lines file or a JSON array."

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
        total = count_records(file)
        with (
            stream,
            tqdm(
                total=total,
                unit="release",
                disable=total is not None and total < PROGRESS_FROM,
                file=self.stderr._out,
            ) as progress,
        ):
            report = import_records(read_records(stream), dry_run, progress)
        for line_number, reason in report.failures:
            self.stderr.write(f"line {line_number}: {reason}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{report.created} release(s) {verb} created, {report.updated} updated, "
            f"{len(report.failures)} failed."
        )
        if report.unchanged:
            self.stdout.write(
                f"{report.unchanged} release(s) unchanged: already up to date."
            )
        if not report.ok:
            raise CommandError(f"{len(report.failures)} record(s) failed to import.")
