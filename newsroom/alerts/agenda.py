"""Alerts of the agenda: which subscriptions to the agenda's filters an event
matches, queued as one delivery per subscription and public change.

The release machinery does the work: the same candidate filters (by the
entities the event belongs to), the same FilterSet over a one-item queryset
(here the event's row of the agenda's listing table), the same delivery rows,
sending and tasks. What differs is the key: an event is announced once, then
again at each public change (moved, postponed, cancelled, confirmed, updated),
each raising its ``sequence``; a row is unique per (subscription, event,
sequence), so a run repeated, or a publish with no public change, sends
nothing more. Agenda alerts are time-bound (a press conference moved to
tomorrow), so they go out at once whatever the subscription's frequency.
"""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from newsroom.alerts.matching import (
    ROW_CHUNK,
    Queued,
    followed_filters,
    matching_ids,
)
from newsroom.chunks import chunked
from newsroom.finder.agenda import AgendaFilterSet
from newsroom.finder.filterset import FACETS
from newsroom.models import (
    AlertDelivery,
    AlertSubscription,
    EventPage,
    ListedEvent,
)


def event_slugs(row):
    """{facet: slugs of every entity whose filter includes the event}, read from
    its listing row: the arrays the agenda's filters read (trees with their
    ancestors)."""
    return {
        name: set(
            facet.model.objects.filter(
                pk__in=getattr(row, facet.array_field) or []
            ).values_list("slug", flat=True)
        )
        for name, facet in FACETS.items()
    }


def eligible_for_event(event):
    """Subscriptions that may hear of this version of the event: in its
    language, and confirmed before it was published so."""
    return AlertSubscription.objects.filter(
        language=event.locale.language_code,
        confirmed_at__lte=event.last_published_at or timezone.now(),
    )


def queue_event(event_id):
    """Match the event as readers see it now and write one pending delivery per
    matching subscription for its current sequence; idempotent.

    Nothing for an event readers may not see (it has no listing row), nor for
    one that has taken place. ``send_ids`` are the pending rows of its current
    sequence; pending rows of an earlier one, superseded before they left, are
    skipped: the reader gets the event as it is now, with its latest reason.
    """
    queued = Queued()
    row = ListedEvent.objects.filter(pk=event_id).first()
    if row is None or row.ends < timezone.now():
        return queued
    event = EventPage.objects.select_related("locale").get(pk=event_id)
    filters = followed_filters(eligible_for_event(event), event_slugs(row), agenda=True)
    one = ListedEvent.objects.filter(pk=event_id)
    matched = matching_ids(one, filters, AgendaFilterSet)
    queued.candidates, queued.filters = len(filters), len(matched)
    queued.immediate = _queue_deliveries(event, matched)
    rows = AlertDelivery.objects.filter(
        event_id=event_id, status=AlertDelivery.Status.PENDING
    )
    rows.exclude(sequence=event.sequence).update(status=AlertDelivery.Status.SKIPPED)
    queued.send_ids = list(
        rows.filter(sequence=event.sequence).order_by("pk").values_list("pk", flat=True)
    )
    return queued


def _queue_deliveries(event, filter_ids):
    already = AlertDelivery.objects.filter(
        subscription=OuterRef("pk"), event=event, sequence=event.sequence
    )
    queued = 0
    for chunk in chunked(filter_ids, ROW_CHUNK):
        subscriptions = list(
            eligible_for_event(event)
            .filter(filter_id__in=chunk)
            .exclude(Exists(already))
            .values_list("pk", flat=True)
        )
        rows = [
            AlertDelivery(
                subscription_id=pk,
                event=event,
                sequence=event.sequence,
                kind=AlertDelivery.Kind.EVENT,
                frequency=AlertSubscription.Frequency.IMMEDIATE,
            )
            for pk in subscriptions
        ]
        # A concurrent run's rows win: the unique key keeps one per change.
        AlertDelivery.objects.bulk_create(
            rows, batch_size=ROW_CHUNK, ignore_conflicts=True
        )
        queued += len(rows)
    return queued


def current_events(event_ids):
    """{event id: sequence} of those events readers may see now."""
    return dict(
        ListedEvent.objects.filter(pk__in=event_ids).values_list(
            "pk", "event__sequence"
        )
    )


def recently_published_event_ids(since):
    return list(
        ListedEvent.objects.filter(
            event__last_published_at__gte=since, ends__gte=timezone.now()
        ).values_list("pk", flat=True)
    )
