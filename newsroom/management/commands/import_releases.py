from tqdm import tqdm

from newsroom.loading.bulk_import import import_records_in_bulk
from newsroom.loading.importing import import_records
from newsroom.loading.records import count_records
from newsroom.management.importing import ImportCommand

PROGRESS_FROM = 200


class Command(ImportCommand):
    help = (
        "Import press releases from a JSON Lines file or a JSON array. With --bulk, "
        "an archive's new releases are written in batches (minutes for 10,000), "
        "with the same result; archive records (dated before the alerts' window, "
        "NEWSROOM_ALERTS_MAX_RELEASE_AGE_DAYS) never send alerts, either way."
    )
    noun = "release"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=(
                "Write new archive releases 500 at a time: one transaction per "
                "batch, no page_published signal, no alert queued, the page cache "
                "refreshed once at the end. Records dated within the alerts' window "
                "and records matching an existing release go one by one, as "
                "without --bulk."
            ),
        )

    def handle(self, *args, bulk, **options):
        self.bulk = bulk
        super().handle(*args, **options)

    def import_records(self, records, dry_run, file):
        # A progress bar on stderr for archives, not for a handful of records.
        total = count_records(file)
        run = import_records_in_bulk if self.bulk else import_records
        with tqdm(
            total=total,
            unit="release",
            disable=total is not None and total < PROGRESS_FROM,
            file=self.stderr._out,
        ) as progress:
            return run(records, dry_run, progress)

    def summarise(self, report, dry_run):
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{report.created} release(s) {verb} created, {report.updated} updated, "
            f"{len(report.failures)} failed."
        )
        if report.unchanged:
            self.stdout.write(
                f"{report.unchanged} release(s) unchanged: already up to date."
            )
