"""Handing the queued emails to the mail server, exactly once where possible.

Each row is claimed just before the "." that ends its message and marked sent on
the server's answer: a failure before the hand-over leaves it pending for the next
run, a kill after it leaves it "sending", never sent again."""

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPEmailBackend
from django.db.models import F
from django.utils import timezone

from newsroom.alerts import agenda, messages
from newsroom.chunks import chunked
from newsroom.models import (
    AlertDelivery,
    AlertSubscription,
    PressReleasePage,
)

logger = logging.getLogger(__name__)


#
# An SMTP server takes a message when it reads the "." that ends its data, not
# before: a connection lost earlier leaves it nothing to deliver. So the rows are
# claimed (pending -> sending, one committed UPDATE ... WHERE status = 'pending')
# between the last line of data and that ".", and marked sent when the server
# answers. A sender killed before the claim leaves the rows pending and the server
# without the message: the next run sends it, once. Killed after the "." went out,
# it leaves them "sending": the server had the message, and it is not sent again.
# What remains is the moment between the claim's commit and the "." reaching the
# server (one local write and one packet): a kill there loses that one email, and
# the sweep reports its row.


class Abandoned(Exception):
    """Another sender claimed the rows first: this copy must not be completed."""


class _HandOver:
    """An smtplib.SMTP that asks its owner before sending the "." ending a message,
    and tells it once that "." went out."""

    owner = None
    _in_data = False

    def data(self, msg):
        self._in_data = True
        try:
            return super().data(msg)
        finally:
            self._in_data = False

    def send(self, s):
        end = b"\r\n.\r\n"
        owner = self.owner
        if not (self._in_data and owner and isinstance(s, bytes) and s.endswith(end)):
            return super().send(s)
        super().send(s[: -len(b".\r\n")])
        try:
            owner.before_end_of_data()
        except BaseException:
            # Closing mid-data makes the server drop what it has of the message.
            self.close()
            raise
        super().send(b".\r\n")
        owner.handed_over = True


class _SMTP(_HandOver, smtplib.SMTP):
    pass


class _SMTP_SSL(_HandOver, smtplib.SMTP_SSL):
    pass


class HandOverEmailBackend(SMTPEmailBackend):
    """Django's SMTP backend, calling ``before_end_of_data`` before each message's
    final "." and noting in ``handed_over`` whether it was sent."""

    before_end_of_data = None
    handed_over = False

    @property
    def connection_class(self):
        return _SMTP_SSL if self.use_ssl else _SMTP

    def open(self):
        opened = super().open()
        if self.connection is not None:
            self.connection.owner = self
        return opened


def mail_connection():
    """A connection for alert mail: with the SMTP backend, one that claims each
    message's rows just before the server can take it."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        return HandOverEmailBackend()
    return get_connection()


# ``model``: AlertDelivery, or any send log with the same status, attempts and
# sent_at fields (EmbargoDelivery, newsroom/alerts/embargo_mail.py).


def _claim(ids, model=AlertDelivery):
    """pending -> sending, in one statement: of two senders of the same rows, one
    gets them. ``sent_at`` holds the moment of the hand-over until the answer."""
    return model.objects.filter(pk__in=ids, status=AlertDelivery.Status.PENDING).update(
        status=AlertDelivery.Status.SENDING,
        attempts=F("attempts") + 1,
        sent_at=timezone.now(),
    )


def _unclaim(ids, model=AlertDelivery):
    model.objects.filter(pk__in=ids, status=AlertDelivery.Status.SENDING).update(
        status=AlertDelivery.Status.PENDING, sent_at=None
    )


def _mark(ids, status, model=AlertDelivery):
    values = {"status": status}
    if status == AlertDelivery.Status.SENT:
        values["sent_at"] = timezone.now()
    model.objects.filter(pk__in=ids).update(**values)


def _public_ids(release_ids):
    return set(
        PressReleasePage.objects.published()
        .filter(pk__in=release_ids)
        .values_list("pk", flat=True)
    )


def _drop_unpublished(rows):
    """Pending rows of releases no longer public, and of events no longer public
    or changed again since (their sequence gone by), are deleted (a later
    publish queues them again); the others are returned."""
    public = _public_ids({row.release_id for row in rows if row.release_id})
    events = {row.event_id for row in rows if row.event_id}
    current = agenda.current_events(events) if events else {}

    def still_public(row):
        if row.event_id is not None:
            return current.get(row.event_id) == row.sequence
        return row.release_id in public

    kept = [row for row in rows if still_public(row)]
    gone = {row.pk for row in rows} - {row.pk for row in kept}
    if gone:
        AlertDelivery.objects.filter(
            pk__in=gone, status=AlertDelivery.Status.PENDING
        ).delete()
    return kept


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    dropped: int = 0


def _send(connection, message, ids, report, model=AlertDelivery):
    """Send one message for the pending rows ``ids``, claiming them as late as the
    connection allows; raise on a failure a later run may overcome (the rows are
    pending again by then, unless the server may already have the message)."""
    hand_over = isinstance(connection, HandOverEmailBackend)
    claimed = False

    def claim():
        nonlocal claimed
        got = _claim(ids, model)
        if got != len(ids):
            if got:  # some rows went meanwhile: the message is rebuilt next run
                _unclaim(ids, model)
            raise Abandoned
        claimed = True

    try:
        if hand_over:
            connection.before_end_of_data, connection.handed_over = claim, False
        else:
            claim()
        connection.send_messages([message])
    except Abandoned:
        if hand_over:
            connection.close()  # the next message opens a fresh one
        return
    except Exception as error:
        if _settle_failure(
            error, ids, claimed, hand_over and connection.handed_over, report, model
        ):
            raise
        return
    finally:
        if hand_over:
            connection.before_end_of_data = None
    _mark(ids, AlertDelivery.Status.SENT, model)
    report.sent += 1


def _settle_failure(error, ids, claimed, handed_over, report, model=AlertDelivery):
    """Record a failed send; True when the error should stop the run."""
    if handed_over and not isinstance(error, smtplib.SMTPResponseException):
        # The message was complete and no answer came: the server may well have
        # it, so the rows stay "sending" and are never sent again.
        logger.warning("No answer once alert %s was handed over: %s", ids, error)
        return True
    if messages.is_permanent_refusal(error):
        logger.warning("Alert %s refused: %s", ids, error)
        was = AlertDelivery.Status.SENDING if claimed else AlertDelivery.Status.PENDING
        model.objects.filter(pk__in=ids, status=was).update(
            status=AlertDelivery.Status.FAILED
        )
        report.failed += 1
        return False
    if claimed:
        _unclaim(ids, model)
    return True


def send_deliveries(delivery_ids):
    """Send these immediate deliveries (releases, correction notices, events),
    one email each, over one SMTP connection; rows not pending are left alone."""
    report = Sent()
    rows = list(
        AlertDelivery.objects.filter(
            pk__in=list(delivery_ids),
            status=AlertDelivery.Status.PENDING,
            frequency=AlertSubscription.Frequency.IMMEDIATE,
        )
        .select_related(
            "subscription__filter", "release", "correction", "event__locale"
        )
        .order_by("pk")
    )
    kept = _drop_unpublished(rows)
    report.dropped = len(rows) - len(kept)
    if not kept:
        return report
    mailer = messages.Mailer()
    with mail_connection() as connection:
        for row in kept:
            _send(connection, mailer.delivery(row), [row.pk], report)
    return report


def send_digests(frequency):
    """One email per subscription listing its pending releases of this frequency.

    Runs one at a time per frequency (a cache lock, shared through Redis in
    production), so two cron runs never claim the same rows.
    """
    report = Sent()
    lock = f"newsroom:alerts:digest:{frequency}"
    if not cache.add(lock, timezone.now().isoformat(), 6 * 3600):
        logger.warning("A %s digest run is already going on", frequency)
        return report
    try:
        pending = AlertDelivery.objects.filter(
            status=AlertDelivery.Status.PENDING,
            frequency=frequency,
            kind=AlertDelivery.Kind.RELEASE,
        )
        waiting = pending.values_list("subscription_id", flat=True).distinct()
        mailer = messages.Mailer()
        for chunk in chunked(sorted(set(waiting)), 100):
            _send_digest_chunk(pending, chunk, mailer, report)
    finally:
        cache.delete(lock)
    return report


def _send_digest_chunk(pending, subscription_ids, mailer, report):
    rows = list(
        pending.filter(subscription_id__in=subscription_ids).select_related(
            "subscription__filter", "release"
        )
    )
    kept = _drop_unpublished(rows)
    report.dropped += len(rows) - len(kept)
    by_subscription = defaultdict(list)
    for row in kept:
        by_subscription[row.subscription_id].append(row)
    if not by_subscription:
        return
    with mail_connection() as connection:
        for group in by_subscription.values():
            releases = sorted(
                (row.release for row in group),
                key=lambda r: (r.release_date, r.pk),
                reverse=True,
            )
            message = mailer.digest(group[0].subscription, releases)
            # A row gone meanwhile (an unsubscribe) makes the claim fail: the
            # message is not sent, and the next run rebuilds it.
            _send(connection, message, [row.pk for row in group], report)


def pending_immediate_ids(release_id=None, event_id=None):
    pending = AlertDelivery.objects.filter(
        status=AlertDelivery.Status.PENDING,
        frequency=AlertSubscription.Frequency.IMMEDIATE,
    )
    if release_id is not None:
        pending = pending.filter(release_id=release_id)
    if event_id is not None:
        pending = pending.filter(event_id=event_id)
    return list(pending.order_by("pk").values_list("pk", flat=True))


def send_pending(release_id=None, batch=200, event_id=None):
    """Send every pending immediate email (of one release or event, or all), in
    batches.

    Returns ``(report, error)``: a mail server that cannot be reached stops the
    run at once, with ``error`` saying why; the rows wait, pending, for the next.
    """
    report = Sent()
    for ids in chunked(pending_immediate_ids(release_id, event_id), batch):
        try:
            done = send_deliveries(ids)
        except OSError as error:  # smtplib's errors are OSErrors too
            logger.warning("Alert sending stopped, the mail server failed: %s", error)
            return report, error
        report.sent += done.sent
        report.failed += done.failed
        report.dropped += done.dropped
    return report, None


def waiting_count():
    return AlertDelivery.objects.filter(
        status=AlertDelivery.Status.PENDING,
        frequency=AlertSubscription.Frequency.IMMEDIATE,
    ).count()


def recently_published_ids(minutes):
    since = timezone.now() - timedelta(minutes=minutes)
    return list(
        PressReleasePage.objects.published()
        .filter(last_published_at__gte=since)
        .values_list("pk", flat=True)
    )
