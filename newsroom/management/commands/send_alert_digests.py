from django.core.management.base import BaseCommand

from newsroom.alerts import delivery
from newsroom.models import AlertSubscription


class Command(BaseCommand):
    help = (
        "Email each daily (or weekly) subscriber one digest of the matching releases "
        "not yet sent to them. Run from cron: daily every morning, weekly once a week."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "frequency",
            choices=[
                AlertSubscription.Frequency.DAILY,
                AlertSubscription.Frequency.WEEKLY,
            ],
        )

    def handle(self, *args, frequency, **options):
        report = delivery.send_digests(frequency)
        self.stdout.write(
            f"{frequency} digests: {report.sent} sent, {report.failed} refused, "
            f"{report.dropped} releases no longer public left out."
        )
