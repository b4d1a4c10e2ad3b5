import time

from django.core.management.base import BaseCommand

from newsroom.loading.regulations import link_releases
from newsroom.management.importing import add_dry_run


class Command(BaseCommand):
    help = (
        "Link every release to the regulations of the register its title, "
        "standfirst or body cites and it does not link yet; report the citations "
        "of regulations not in the register."
    )

    def add_arguments(self, parser):
        add_dry_run(parser, "Report what would be linked without writing anything.")

    def handle(self, *args, dry_run, **options):
        started = time.perf_counter()
        verb = "would link" if dry_run else "linked"

        def added(release, regulations):
            names = ", ".join(regulation.name for regulation in regulations)
            self.stdout.write(f"#{release.pk} {release.slug}: {verb} {names}")

        report = link_releases(dry_run=dry_run, on_release=added)
        self.stdout.write(
            f"{report.links} link(s) {'would be' if dry_run else 'were'} added to "
            f"{report.linked} of {report.releases} release(s) "
            f"in {time.perf_counter() - started:.1f} s."
        )
        unknown = report.unknown_lines()
        if unknown:
            self.stdout.write("Cited but not in the register:")
            for line in unknown:
                self.stdout.write(f"  {line}")
