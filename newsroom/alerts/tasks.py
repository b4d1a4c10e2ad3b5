"""Background tasks (django-tasks): run by `python manage.py db_worker`, never in the
request that publishes or subscribes. Each returns a small summary for the task
result; the work itself is in the modules beside this one. What queues a task
lives here too, so the alerts' modules never import their tasks back."""

from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from newsroom.alerts import (
    agenda,
    delivery,
    embargo_mail,
    matching,
    subscribing,
    tokens,
)
from newsroom.chunks import chunked

# Below every other task, so a worker reaches it only when the batches queued
# before it have been taken.
RESUME_PRIORITY = -10


@task()
def alert_release_published(release_id):
    """Match a just-published release and queue its emails, in batches."""
    queued = matching.queue_release(release_id)
    batch = settings.NEWSROOM_ALERTS_SEND_BATCH
    for ids in chunked(queued.send_ids, batch):
        send_alert_batch.enqueue(ids)
    if queued.send_ids:
        queue_resume(release_id)
    summary = asdict(queued)
    summary["send_ids"] = len(queued.send_ids)
    return summary


@task()
def alert_event_published(event_id):
    """Match a just-published event (new, or publicly changed) and queue its
    emails, in batches, as for a release."""
    queued = agenda.queue_event(event_id)
    batch = settings.NEWSROOM_ALERTS_SEND_BATCH
    for ids in chunked(queued.send_ids, batch):
        send_alert_batch.enqueue(ids)
    if queued.send_ids:
        queue_resume(event_id=event_id)
    summary = asdict(queued)
    summary["send_ids"] = len(queued.send_ids)
    return summary


def queue_resume(release_id=None, event_id=None):
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
    ).enqueue(release_id, event_id)


@task()
def send_alert_batch(delivery_ids):
    return asdict(delivery.send_deliveries(delivery_ids))


@task(priority=RESUME_PRIORITY)
def resume_alert_sends(release_id, event_id=None):
    """Send the release's (or event's) immediate emails still pending: a no-op
    unless a batch was cut short. A mail server still down fails the task; the
    sweep retries."""
    report, error = delivery.send_pending(release_id, event_id=event_id)
    if error is not None:
        raise error
    return asdict(report)


@task()
def send_embargo_links(delivery_ids):
    """Mail personal embargo links; rows already sent (a second run) are skipped."""
    return asdict(embargo_mail.send_embargo_deliveries(delivery_ids))


def queue_embargo_links(delivery_ids):
    """Queue the mailing once the links are committed, never in the request."""
    ids = list(delivery_ids)
    if ids:
        transaction.on_commit(lambda: send_embargo_links.enqueue(ids), robust=True)


@task()
def send_alert_confirmation(email, query, frequency, language):
    subscribing.send_confirmation(email, query, frequency, language)


@task()
def send_alert_digests(frequency):
    return asdict(delivery.send_digests(frequency))


def request_subscription(email, query, frequency, language):
    """Send the confirmation link, whatever the address's state: new, already
    asked or already subscribed all get the same email, so the form tells
    nobody who subscribes."""
    send_alert_confirmation.enqueue(
        tokens.normalise_email(email),
        query,
        frequency,
        subscribing.language_or_default(language),
    )


def on_release_published(release):
    """page_published receiver: queue the matching once the publish commits.

    Old releases (archive imports, republished history) announce nothing, but a
    correction to one already announced still notifies.
    """
    if not matching.is_recent(release) and not release.alert_deliveries.exists():
        return
    release_id = release.pk
    # Robust: by then the publish has committed. A queue that cannot take the
    # task is logged and the send_alerts sweep matches the release later,
    # instead of the editor being shown an error for a completed publish.
    transaction.on_commit(
        lambda: alert_release_published.enqueue(release_id), robust=True
    )


def on_event_published(event):
    """page_published receiver for events: queue the matching once the publish
    commits. Whether there is anything to send (a new event, or a new public
    change: a sequence not yet sent) is the task's to decide, so a publish
    that changes nothing readers see sends nothing."""
    event_id = event.pk
    transaction.on_commit(lambda: alert_event_published.enqueue(event_id), robust=True)
