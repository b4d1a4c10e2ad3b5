"""Subscriptions: the confirmation email, confirming, unsubscribing."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from newsroom.alerts import criteria, messages, tokens
from newsroom.models import (
    AlertFilter,
    AlertSubscription,
)


def language_or_default(language):
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def send_confirmation(email, query, frequency, language):
    with translation.override(language):
        token = tokens.confirm_token(email, query, frequency, language)
        description = criteria.describe_filter(query)
        context = {
            "description": description,
            "frequency_label": AlertSubscription.Frequency(frequency).label,
            "confirm_url": tokens.confirm_url(token),
            "listing_url": tokens.listing_url(query),
            "max_age_days": settings.NEWSROOM_ALERTS_CONFIRM_MAX_AGE // 86400,
        }
        subject = _("Confirm your email alert: %(description)s") % {
            "description": criteria.describe_filter(query, search_words=False)
        }
        message = messages.build_message(email, subject, "email/alert_confirm", context)
    message.send()


def confirm_subscription(payload):
    """Create (or update) the subscription a confirmation link describes.

    Returns ``(subscription, created)``; an address already subscribed to the
    filter keeps one subscription, with the frequency it just chose.
    """
    email = tokens.normalise_email(payload["e"])
    # Normalised again, strictly: a slug in the link may have been removed (or
    # hidden) since, and what is left of the filter would be wider than asked.
    query = criteria.canonical_query(payload["q"], strict=True)
    alert_filter = criteria.get_or_create_filter(query)
    subscription, created = AlertSubscription.objects.get_or_create(
        email=email,
        filter=alert_filter,
        defaults={"frequency": payload["f"], "language": payload["l"]},
    )
    if not created and subscription.frequency != payload["f"]:
        subscription.frequency = payload["f"]
        subscription.save(update_fields=["frequency"])
    return subscription, created


def unsubscribe(pk, email):
    """Delete the subscription and its delivery log; True if there was one."""
    deleted, _ = AlertSubscription.objects.filter(pk=pk, email=email).delete()
    return bool(deleted)


def forget_unused_filters():
    """Filters nobody follows any more (they hold no personal data)."""
    _, deleted = AlertFilter.objects.filter(subscriptions__isnull=True).delete()
    return deleted.get(AlertFilter._meta.label, 0)
