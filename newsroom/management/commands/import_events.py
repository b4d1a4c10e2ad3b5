from newsroom.loading.events import import_event_records
from newsroom.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import agenda events from a JSON Lines file or a JSON array "
        "(one event per record; docs/contracts.md)."
    )
    noun = "event"

    def import_records(self, records, dry_run, file):
        return import_event_records(records, dry_run)
