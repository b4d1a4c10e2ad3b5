"""Personal embargo links: one link per accredited journalist, mailed once.

``issue_links`` gives each chosen journalist their own
:class:`~newsroom.models.EmbargoLink` to a scheduled release (none when they
already hold a usable one) and writes its :class:`~newsroom.models.EmbargoDelivery`
row in the same transaction, before any email leaves. ``send_embargo_deliveries``
then sends the pending rows, claiming each just before the mail server can take
it, with the alerts' own sender (delivery.py): a task run twice sends nothing twice,
a refusal is recorded as failed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from newsroom.alerts import messages, tokens
from newsroom.alerts.delivery import Sent, _send, mail_connection
from newsroom.models import EmbargoDelivery, EmbargoLink

Status = EmbargoDelivery.Status


def issue_links(release, journalists, user=None):
    """Create the personal links of ``journalists`` to ``release`` (a scheduled
    release) and their pending deliveries; returns ``(new delivery ids, names of
    journalists who already held a usable link)``."""
    revision = release.scheduled_revision
    if revision is None:
        raise ValidationError("Only a release scheduled for later can be sent.")
    inactive = [j.name for j in journalists if not j.active]
    if inactive:
        raise ValidationError(f"Not active: {', '.join(inactive)}.")
    with transaction.atomic():
        # Two Moderators sending the same release at once: the second waits here
        # and then sees the first one's links.
        type(release).objects.select_for_update().filter(pk=release.pk).first()
        holding = set(
            EmbargoLink.objects.usable()
            .filter(page_id=release.pk, journalist__in=journalists)
            .values_list("journalist_id", flat=True)
        )
        ids, already = [], []
        for journalist in journalists:
            if journalist.pk in holding:
                already.append(journalist.label)
                continue
            link = EmbargoLink.objects.create(
                page_id=release.pk,
                journalist=journalist,
                recipient=journalist.label[:255],
                expires_at=revision.approved_go_live_at,
                created_by=user,
            )
            ids.append(EmbargoDelivery.objects.create(link=link).pk)
    return ids, already


def message_for(row):
    link = row.link
    journalist = link.journalist
    release = link.page
    with translation.override(journalist.language):
        context = {
            "journalist": journalist,
            "release": release,
            "description": release.title,
            "link_url": tokens.absolute(link.get_absolute_url()),
            "embargo_until": timezone.localtime(link.expires_at),
        }
        subject = _("Embargoed until %(time)s: %(title)s") % {
            "time": timezone.localtime(link.expires_at).strftime("%d %b %Y %H:%M %Z"),
            "title": release.title,
        }
        return messages.build_message(
            journalist.email, subject, "email/embargo_link", context
        )


def send_embargo_deliveries(delivery_ids=None):
    """Send the pending personal links (these, or all), one email each, over one
    connection. A link revoked or expired before its email left is not sent."""
    report = Sent()
    pending = EmbargoDelivery.objects.filter(status=Status.PENDING)
    if delivery_ids is not None:
        pending = pending.filter(pk__in=list(delivery_ids))
    rows = list(pending.select_related("link__page", "link__journalist").order_by("pk"))
    dead = [row.pk for row in rows if not row.link.is_usable]
    if dead:
        EmbargoDelivery.objects.filter(pk__in=dead, status=Status.PENDING).update(
            status=Status.SKIPPED
        )
        report.dropped = len(dead)
    kept = [row for row in rows if row.pk not in dead and row.link.journalist]
    if not kept:
        return report
    with mail_connection() as connection:
        for row in kept:
            _send(connection, message_for(row), [row.pk], report, EmbargoDelivery)
    return report
