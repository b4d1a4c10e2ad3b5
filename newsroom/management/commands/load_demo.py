from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsroom.loading.demo_contacts import load_demo_contacts
from newsroom.loading.demo_site import load_demo


class Command(BaseCommand):
    help = "Load the demo newsroom: site tree, taxonomy, officials and releases."

    def handle(self, *args, **options):
        report = load_demo()
        # After the organisations' translations, which the boilerplates extend.
        load_demo_contacts()
        for line_number, reason in report.failures:
            self.stderr.write(f"releases.jsonl line {line_number}: {reason}")
        if not report.ok:
            raise CommandError("The demo releases did not all load.")
        call_command("update_index", verbosity=0)
        self.stdout.write(
            f"Demo loaded: {report.created} release(s) created, "
            f"{report.updated} updated, {report.unchanged} unchanged."
        )
