"""Background tasks (django-tasks): run by `python manage.py db_worker`, never in the
request that publishes or subscribes. Each returns a small summary for the task
result; the work itself is in newsroom/alerts.py."""

from dataclasses import asdict

from django.conf import settings
from django_tasks import task

from newsroom import alerts


@task()
def alert_release_published(release_id):
    """Match a just-published release and queue its emails, in batches."""
    queued = alerts.queue_release(release_id)
    batch = settings.NEWSROOM_ALERTS_SEND_BATCH
    for ids in alerts.chunked(queued.send_ids, batch):
        send_alert_batch.enqueue(ids)
    summary = asdict(queued)
    summary["send_ids"] = len(queued.send_ids)
    return summary


@task()
def send_alert_batch(delivery_ids):
    return asdict(alerts.send_deliveries(delivery_ids))


@task()
def send_alert_confirmation(email, query, frequency, language):
    alerts.send_confirmation(email, query, frequency, language)


@task()
def send_alert_digests(frequency):
    return asdict(alerts.send_digests(frequency))
