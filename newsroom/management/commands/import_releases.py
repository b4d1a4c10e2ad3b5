from tqdm import tqdm

from newsroom.loading.importing import import_records
from newsroom.loading.records import count_records
from newsroom.management.importing import ImportCommand

PROGRESS_FROM = 200


class Command(ImportCommand):
    help = "Import press releases from a JSON Lines file or a JSON array."
    noun = "release"

    def import_records(self, records, dry_run, file):
        # A progress bar on stderr for archives, not for a handful of records.
        total = count_records(file)
        with tqdm(
            total=total,
            unit="release",
            disable=total is not None and total < PROGRESS_FROM,
            file=self.stderr._out,
        ) as progress:
            return import_records(records, dry_run, progress)

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
