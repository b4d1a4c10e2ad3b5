from newsroom.loading.regulations import import_regulation_records
from newsroom.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the register of regulations from a JSON Lines file or a JSON array "
        "(one regulation per record; docs/contracts.md)."
    )
    noun = "regulation"

    def import_records(self, records, dry_run, file):
        return import_regulation_records(records, dry_run)

    def summarise(self, report, dry_run):
        super().summarise(report, dry_run)
        if (report.created or report.updated) and not dry_run:
            self.stdout.write("Run link_regulations to link the releases citing them.")
