from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsroom.alerts import agenda, delivery, matching, subscribing
from newsroom.models import AlertDelivery


class Command(BaseCommand):
    help = (
        "Catch up on immediate alerts: match the releases and agenda events "
        "published in the last --since minutes (in case a task was lost) and "
        "send every pending email, "
        "e.g. after a crash or a mail server outage. Safe to run at any time; "
        "nothing is ever sent twice. Run from cron every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=int, default=60, help="minutes")

    def handle(self, *args, since, **options):
        queued = 0
        for release_id in delivery.recently_published_ids(since):
            result = matching.queue_release(release_id)
            queued += result.immediate + result.digest + result.corrections
        # The agenda's events published (or changed) meanwhile, likewise.
        after = timezone.now() - timedelta(minutes=since)
        for event_id in agenda.recently_published_event_ids(after):
            queued += agenda.queue_event(event_id).immediate
        report, unavailable = delivery.send_pending()
        forgotten = subscribing.forget_unused_filters()
        stuck = AlertDelivery.objects.filter(
            status=AlertDelivery.Status.SENDING,
            created_at__lt=timezone.now() - timedelta(hours=1),
        ).count()
        self.stdout.write(
            f"{queued} deliveries queued, {report.sent} emails sent, "
            f"{report.failed} refused, {forgotten} unused filters removed."
        )
        if stuck:
            self.stderr.write(
                f"{stuck} deliveries were interrupted while sending and are not "
                "retried (they may have reached the reader)."
            )
        if unavailable is not None:
            raise CommandError(
                f"The mail server failed ({unavailable}); "
                f"{delivery.waiting_count()} emails wait for the next run."
            )
