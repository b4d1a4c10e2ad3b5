"""The alert emails: one release, a correction notice, an agenda event (new or
changed), a digest."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsroom.alerts import criteria, tokens
from newsroom.models import (
    AlertDelivery,
)


def build_message(to, subject, template, context, unsubscribe=None):
    """A multipart (text + HTML) message; with ``unsubscribe``, the RFC 8058
    one-click List-Unsubscribe headers."""
    context = {
        **context,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "unsubscribe_url": unsubscribe,
    }
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        targets = [f"<{unsubscribe}>"]
        mailbox = settings.NEWSROOM_ALERTS_UNSUBSCRIBE_MAILTO
        if mailbox:
            targets.append(f"<mailto:{mailbox}?subject=unsubscribe>")
        headers["List-Unsubscribe"] = ", ".join(targets)
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string(f"{template}.html", context), "text/html"
    )
    return message


class Mailer:
    """Builds the messages of one sending run, describing each filter once."""

    def __init__(self):
        self.descriptions = {}
        self.manage_urls = {}
        self.release_urls = {}

    def release_url(self, release):
        if release.pk not in self.release_urls:
            self.release_urls[release.pk] = release.get_full_url()
        return self.release_urls[release.pk]

    def description(self, subscription, search_words=True):
        key = (subscription.language, subscription.filter.query, search_words)
        if key not in self.descriptions:
            self.descriptions[key] = criteria.describe_filter(
                subscription.filter.query, search_words
            )
        return self.descriptions[key]

    def subject_description(self, subscription):
        return self.description(subscription, search_words=False)

    def common(self, subscription):
        email = subscription.email
        # Reversed in the subscription's language: /alerts/... or /id/alerts/...
        key = (email, subscription.language)
        if key not in self.manage_urls:
            self.manage_urls[key] = tokens.manage_url(email)
        query = subscription.filter.query
        return {
            "description": self.description(subscription),
            "frequency_label": subscription.get_frequency_display(),
            "manage_url": self.manage_urls[key],
            "listing_url": tokens.listing_url(query),
        }

    def delivery(self, row):
        if row.kind == AlertDelivery.Kind.EVENT:
            return self.event_delivery(row)
        subscription, release = row.subscription, row.release
        with translation.override(subscription.language):
            context = {
                **self.common(subscription),
                "release": release,
                "release_url": self.release_url(release),
            }
            if row.kind == AlertDelivery.Kind.CORRECTION:
                context["correction"] = row.correction
                subject = _("Updated: %(title)s") % {"title": release.title}
                template = "email/alert_correction"
            else:
                subject = f"{self.subject_description(subscription)}: {release.title}"
                template = "email/alert_release"
            return build_message(
                subscription.email,
                subject,
                template,
                context,
                tokens.unsubscribe_url(subscription),
            )

    def event_delivery(self, row):
        """An event announced (its first sequence), or its public change with the
        reason readers are given on its page and in the calendars."""
        subscription, event = row.subscription, row.event
        change = latest_change(event) if row.sequence else None
        with translation.override(subscription.language):
            context = {
                **self.common(subscription),
                "event": event,
                "event_url": event.get_full_url(),
                "change": change,
            }
            if change is None:
                subject = f"{self.subject_description(subscription)}: {event.title}"
            else:
                subject = f"{change.get_change_display()}: {event.title}"
            return build_message(
                subscription.email,
                subject,
                "email/alert_event",
                context,
                tokens.unsubscribe_url(subscription),
            )

    def digest(self, subscription, releases):
        with translation.override(subscription.language):
            context = {
                **self.common(subscription),
                "releases": [
                    {"release": release, "url": self.release_url(release)}
                    for release in releases
                ],
                "count": len(releases),
            }
            subject = ngettext(
                "%(description)s: %(count)d new release",
                "%(description)s: %(count)d new releases",
                len(releases),
            ) % {
                "description": self.subject_description(subscription),
                "count": len(releases),
            }
            return build_message(
                subscription.email,
                subject,
                "email/alert_digest",
                context,
                tokens.unsubscribe_url(subscription),
            )


def latest_change(event):
    """The entry of the event's change log its last public change wrote."""
    return max(event.changes.all(), key=lambda c: (c.made_at, c.pk), default=None)


def is_permanent_refusal(error):
    """The server refused this message for good (5xx): sending it again is no use."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
