"""Background tasks (django-tasks): run by `python manage.py db_worker`, never in the
request that publishes or subscribes. Each returns a small summary for the task
result; the work itself is in newsroom/alerts/core.py."""

from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from newsroom.alerts import core as alerts

# Below every other task, so a worker reaches it only when the batches queued
# before it have been taken.
RESUME_PRIORITY = -10


@task()
def alert_release_published(release_id):
    """Match a just-published release and queue its emails, in batches."""
    queued = alerts.queue_release(release_id)
    batch = settings.NEWSROOM_ALERTS_SEND_BATCH
    for ids in alerts.chunked(queued.send_ids, batch):
        send_alert_batch.enqueue(ids)
    if queued.send_ids:
        queue_resume(release_id)
    summary = asdict(queued)
    summary["send_ids"] = len(queued.send_ids)
    return summary


def queue_resume(release_id):
    """A worker killed in the middle of a batch leaves its task "running" for
    good, and the queue never runs it again; this task, waiting behind the
    batches, sends whatever they left, once the worker is back. Only where tasks
    wait in a queue (the database backend): run in-process, nobody is killed
    in between, and the cron sweep is there anyway."""
    if not resume_alert_sends.get_backend().supports_defer:
        return
    delay = getattr(settings, "NEWSROOM_ALERTS_RESUME_AFTER", 300)
    resume_alert_sends.using(
        run_after=timezone.now() + timedelta(seconds=delay)
    ).enqueue(release_id)


@task()
def send_alert_batch(delivery_ids):
    return asdict(alerts.send_deliveries(delivery_ids))


@task(priority=RESUME_PRIORITY)
def resume_alert_sends(release_id):
    """Send the release's immediate emails still pending: a no-op unless a batch
    was cut short. A mail server still down fails the task; the sweep retries."""
    report, error = alerts.send_pending(release_id)
    if error is not None:
        raise error
    return asdict(report)


@task()
def send_alert_confirmation(email, query, frequency, language):
    alerts.send_confirmation(email, query, frequency, language)


@task()
def send_alert_digests(frequency):
    return asdict(alerts.send_digests(frequency))
