"""Scheduled publishing beside the development server (`make run` starts it).

Wagtail publishes scheduled revisions and unpublishes expired pages only when
``publish_scheduled`` runs; production runs it from cron every minute. This loop runs
it every ``--interval`` seconds and also wakes at the next go-live or expiry time, so
a release goes live at its time, the moment its embargo links end.
"""

import logging
import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.db.models import Min
from django.utils import timezone
from wagtail.models import DraftStateMixin, Revision

logger = logging.getLogger(__name__)

# publish_scheduled takes revisions strictly before now: wake just after the time.
MARGIN_SECONDS = 0.5


def next_scheduled_moment(now):
    """The next go-live or expiry time after ``now``, or None."""
    moments = [
        Revision.objects.filter(approved_go_live_at__gt=now).aggregate(
            at=Min("approved_go_live_at")
        )["at"]
    ]
    for model in apps.get_models():
        if issubclass(model, DraftStateMixin) and model._meta.concrete_model is model:
            moments.append(
                model._default_manager.filter(live=True, expire_at__gt=now).aggregate(
                    at=Min("expire_at")
                )["at"]
            )
    return min((moment for moment in moments if moment is not None), default=None)


def seconds_to_wait(interval):
    now = timezone.now()
    moment = next_scheduled_moment(now)
    if moment is None:
        return interval
    return min(interval, (moment - now).total_seconds() + MARGIN_SECONDS)


class Command(BaseCommand):
    help = (
        "Run publish_scheduled every --interval seconds and at each go-live or "
        "expiry time, until stopped (development; production uses cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Longest wait between two runs, in seconds (default 30).",
        )
        parser.add_argument(
            "--once", action="store_true", help="Run publish_scheduled once and stop."
        )

    def handle(self, *args, interval, once, **options):
        if not once:
            self.stdout.write(
                f"Scheduled publishing: every {interval:g} s and at each go-live time."
            )
        try:
            while True:
                self.run_once(keep_going=not once)
                if once:
                    return
                seconds = self.wait(interval)
                # Between runs, as between requests: no connection held open or
                # broken across the sleep.
                close_old_connections()
                time.sleep(seconds)
        except KeyboardInterrupt:
            pass

    def run_once(self, keep_going=True):
        try:
            due = Revision.objects.filter(approved_go_live_at__lt=timezone.now())
            titles = list(due.values_list("object_str", flat=True))
            call_command("publish_scheduled", verbosity=0)
            for title in titles:
                self.stdout.write(f"{timezone.localtime():%H:%M:%S} published: {title}")
        except Exception:
            if not keep_going:
                raise
            # A locked SQLite file or a dropped connection must not end the loop:
            # whatever was due is still due at the next run.
            logger.exception("publish_scheduled failed; retrying at the next run")

    def wait(self, interval):
        try:
            return max(0.0, seconds_to_wait(interval))
        except Exception:
            logger.exception("could not read the next scheduled time")
            return interval
