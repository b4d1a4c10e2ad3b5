"""Signed links of the alert emails and pages, and the absolute URLs they go to."""

import hashlib

from django.conf import settings
from django.core import signing
from django.urls import reverse
from wagtail.models import Site

from newsroom.alerts import criteria
from newsroom.models import (
    AlertSubscription,
)

CONFIRM_SALT = "newsroom.alerts.confirm"
MANAGE_SALT = "newsroom.alerts.manage"
UNSUBSCRIBE_SALT = "newsroom.alerts.unsubscribe"


def base_url():
    """ALERTS_BASE_URL, else the default site's root URL, as release links use."""
    if settings.NEWSROOM_ALERTS_BASE_URL:
        return settings.NEWSROOM_ALERTS_BASE_URL.rstrip("/")
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(path):
    return base_url() + path


def normalise_email(address):
    return address.strip().lower()


def rate_limit_identity(address):
    """The mailbox an address reaches, for the rate limits: ``Name+tag@Host``
    and ``name@host`` are one reader, so tags cannot multiply the allowance."""
    local, at, domain = normalise_email(address).rpartition("@")
    if not at:
        return normalise_email(address)
    return f"{local.split('+', 1)[0]}@{domain}"


def confirm_token(email, query, frequency, language):
    """A signed, timestamped link holding the whole request: nothing is stored
    until the address confirms."""
    payload = {"e": email, "q": query, "f": frequency, "l": language}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token):
    try:
        payload = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.NEWSROOM_ALERTS_CONFIRM_MAX_AGE
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    if payload.get("f") not in AlertSubscription.Frequency.values:
        return None
    return payload


def manage_token(email):
    return signing.dumps(email, salt=MANAGE_SALT)


def read_manage_token(token):
    try:
        return signing.loads(
            token, salt=MANAGE_SALT, max_age=settings.NEWSROOM_ALERTS_MANAGE_MAX_AGE
        )
    except signing.BadSignature:
        return None


def unsubscribe_token(subscription):
    """Never expires: the link in a years-old email still unsubscribes."""
    signer = signing.Signer(salt=UNSUBSCRIBE_SALT)
    return signer.sign_object([subscription.pk, subscription.email], compress=True)


def read_unsubscribe_token(token):
    try:
        pk, email = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return pk, email


def confirm_url(token):
    return absolute(reverse("alerts_confirm", args=[token]))


def manage_url(email):
    return absolute(reverse("alerts_manage", args=[manage_token(email)]))


def unsubscribe_url(subscription):
    return absolute(
        reverse("alerts_unsubscribe", args=[unsubscribe_token(subscription)])
    )


def listing_url(query=""):
    """The newsroom listing showing an alert's filter, in the active language."""
    return absolute(listing_path(query))


def listing_path(query=""):
    # Both languages' newsrooms have the slug "news" (site_tree.py), and their
    # agendas "agenda"; the prefix comes from i18n_patterns and the language.
    if criteria.is_agenda(query):
        path = reverse("wagtail_serve", args=["news/agenda/"])
        query = criteria.without_agenda(query)
    else:
        path = reverse("wagtail_serve", args=["news/"])
    return path + (f"?{query}" if query else "")


def email_hash(email):
    return hashlib.sha256(email.encode()).hexdigest()[:32]
