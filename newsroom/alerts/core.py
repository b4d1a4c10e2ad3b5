"""Email alerts: normalised filters, signed links, matching, and the mail itself.

Readers subscribe to any filter of the listing or a hub (a hub is its filter:
the sector X hub is ``?sector=x``). Which releases a filter matches is decided by
:class:`~newsroom.finder.filterset.ReleaseFilterSet` alone, as on every other channel.

A published release is announced in three steps, all in background tasks
(newsroom/alerts/tasks.py), never in the request that publishes:

1. *match*: the distinct filters with subscribers are narrowed, in one query, to
   those naming only entities the release belongs to (their ``terms``); each of
   those is then asked of the FilterSet on a one-release queryset, many at a time
   through ``UNION ALL``; full-text filters go through the search backend;
2. *queue*: one :class:`~newsroom.models.AlertDelivery` row per subscription
   (unique per subscription, release and kind), written before any mail leaves;
3. *send*: each pending row is claimed (pending -> sending) just before the "."
   that hands its message to the SMTP server, and marked sent on the server's
   answer (see "handing a message over" below). A failure before the hand-over
   leaves the row pending for the next run; a kill after it leaves it "sending",
   never sent again. A worker killed mid-batch is resumed by a low-priority task
   queued behind the batches (newsroom/alerts/tasks.py), and by ``send_alerts``.

Digest subscribers' rows wait, pending, for ``send_alert_digests``.
"""

import hashlib
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, Value
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.text import Truncator, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from newsroom.finder.filterset import FACETS, ReleaseFilterSet
from newsroom.models import (
    AlertDelivery,
    AlertFilter,
    AlertFilterTerm,
    AlertSubscription,
    PressReleasePage,
)

logger = logging.getLogger(__name__)

Frequency = AlertSubscription.Frequency
Status = AlertDelivery.Status
Kind = AlertDelivery.Kind

CONFIRM_SALT = "newsroom.alerts.confirm"
MANAGE_SALT = "newsroom.alerts.manage"
UNSUBSCRIBE_SALT = "newsroom.alerts.unsubscribe"
# SQLite refuses a compound SELECT of more than 500 terms.
UNION_CHUNK = 100
ROW_CHUNK = 1000
# Characters of a reader's search words quoted in the filter's description.
SEARCH_QUOTE_LENGTH = 40


def chunked(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- filters --------------------------------------------------------------------------


def _filterset(data, queryset=None):
    if queryset is None:
        queryset = PressReleasePage.objects.none()
    return ReleaseFilterSet(data, queryset=queryset)


def facet_of(entity):
    """The facet an official, organisation, sector, region or topic belongs to."""
    for name, facet in FACETS.items():
        if isinstance(entity, facet.model):
            return name
    raise ValueError(f"{entity!r} is not a filterable entity")


def canonical_pairs(filterset, entity=None):
    """The filter's valid values in one order: facets (slugs sorted), dates, ``q``.

    Unknown parameters, empty and invalid values, ``sort`` and ``page`` are left
    out, so every spelling of one filter gives the same pairs. ``entity`` is the
    hub the filter was taken on; it counts as selected in its facet unless the
    reader chose values of that facet.
    """
    filterset.errors  # noqa: B018 -- validates once
    cleaned = filterset.form.cleaned_data
    scope = facet_of(entity) if entity is not None else None
    pairs = []
    for name in FACETS:
        chosen = list(cleaned.get(name) or [])
        if name == scope and not chosen:
            chosen = [entity]
        pairs.extend((name, slug) for slug in sorted({e.slug for e in chosen}))
    for name in ("from", "to"):
        value = cleaned.get(name)
        if value:
            pairs.append((name, value.isoformat()))
    if filterset.query:
        pairs.append(("q", filterset.query))
    return pairs


FILTER_PARAMETERS = [*FACETS, "from", "to", "q"]


def canonical_query(data, entity=None):
    """The normalised query string of a filter given as a QueryDict or string."""
    if isinstance(data, str):
        data = QueryDict(data)
    kept = QueryDict(mutable=True)
    for name in FILTER_PARAMETERS:
        values = [value.strip() for value in data.getlist(name)]
        kept.setlist(name, [value for value in values if value])
    return urlencode(canonical_pairs(_filterset(kept), entity))


def canonical_query_of(filterset, entity=None):
    """The normalised query string of an already bound FilterSet."""
    return urlencode(canonical_pairs(filterset, entity))


def query_terms(query):
    """{(facet, slug)} a canonical query names."""
    return {(name, value) for name, value in parse_qsl(query) if name in FACETS}


def quoted_search(words):
    """A reader's search words as they appear in an alert: cut short, since the
    subscribe form mails them to whatever address it is given."""
    return Truncator(words).chars(SEARCH_QUOTE_LENGTH)


def describe_filter(query, search_words=True):
    """The filter in words: "Releases on Nickel smelting in North Maluku".

    Built from the FilterSet's own labels (``active_filters``), in the active
    language; values of one facet are joined with "or", as they are OR-ed.
    The search words, the only text a reader types, are quoted as a search and
    cut short; without ``search_words`` (email subjects) they are left out.
    """
    filterset = _filterset(QueryDict(query))
    chosen = defaultdict(list)
    for name, value, label in filterset.active_filters:
        chosen[name].append((value, label))

    def names(facet):
        return get_text_list([label for _, label in chosen[facet]], _("or"))

    def day(name):
        return date_format(parse_date(chosen[name][0][0]), "j F Y")

    parts = []
    if chosen["sector"]:
        parts.append(_("on %(names)s") % {"names": names("sector")})
    if chosen["topic"]:
        phrase = _("about %(names)s") if chosen["sector"] else _("on %(names)s")
        parts.append(phrase % {"names": names("topic")})
    if chosen["region"]:
        parts.append(_("in %(names)s") % {"names": names("region")})
    if chosen["official"]:
        parts.append(_("with %(names)s") % {"names": names("official")})
    if chosen["organisation"]:
        parts.append(_("involving %(names)s") % {"names": names("organisation")})
    if chosen["q"] and search_words:
        words = quoted_search(chosen["q"][0][0])
        parts.append(_("matching “%(query)s”") % {"query": words})
    elif chosen["q"]:
        parts.append(_("matching a search"))
    if chosen["from"]:
        parts.append(_("from %(date)s") % {"date": day("from")})
    if chosen["to"]:
        parts.append(_("until %(date)s") % {"date": day("to")})
    if not parts:
        return _("All releases")
    return _("Releases %(conditions)s") % {"conditions": " ".join(parts)}


def get_or_create_filter(query):
    """The AlertFilter of a canonical query, with its terms."""
    found = AlertFilter.objects.filter(query=query).first()
    if found is not None:
        return found
    terms = query_terms(query)
    try:
        with transaction.atomic():
            alert_filter = AlertFilter.objects.create(
                query=query,
                description=describe_filter(query)[:500],
                facet_count=len({facet for facet, _ in terms}),
                has_search=any(name == "q" for name, _ in parse_qsl(query)),
            )
            AlertFilterTerm.objects.bulk_create(
                AlertFilterTerm(filter=alert_filter, facet=facet, slug=slug)
                for facet, slug in sorted(terms)
            )
    except IntegrityError:  # created meanwhile by another request
        return AlertFilter.objects.get(query=query)
    return alert_filter


# --- signed links ---------------------------------------------------------------------


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
    if payload.get("f") not in Frequency.values:
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
    # Both languages' newsrooms have the slug "news" (site_tree.py); the prefix
    # comes from i18n_patterns and the active language.
    path = reverse("wagtail_serve", args=["news/"])
    return path + (f"?{query}" if query else "")


def email_hash(email):
    return hashlib.sha256(email.encode()).hexdigest()[:32]


# --- subscribing ----------------------------------------------------------------------


def language_or_default(language):
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def request_subscription(email, query, frequency, language):
    """Send the confirmation link, whatever the address's state: new, already
    asked or already subscribed all get the same email, so the form tells
    nobody who subscribes."""
    from newsroom.alerts.tasks import send_alert_confirmation

    send_alert_confirmation.enqueue(
        normalise_email(email), query, frequency, language_or_default(language)
    )


def send_confirmation(email, query, frequency, language):
    with translation.override(language):
        token = confirm_token(email, query, frequency, language)
        description = describe_filter(query)
        context = {
            "description": description,
            "frequency_label": Frequency(frequency).label,
            "confirm_url": confirm_url(token),
            "listing_url": listing_url(query),
            "max_age_days": settings.NEWSROOM_ALERTS_CONFIRM_MAX_AGE // 86400,
        }
        subject = _("Confirm your email alert: %(description)s") % {
            "description": describe_filter(query, search_words=False)
        }
        message = build_message(email, subject, "email/alert_confirm", context)
    message.send()


def confirm_subscription(payload):
    """Create (or update) the subscription a confirmation link describes.

    Returns ``(subscription, created)``; an address already subscribed to the
    filter keeps one subscription, with the frequency it just chose.
    """
    email = normalise_email(payload["e"])
    # Normalised again: a slug in the link may have been removed since.
    query = canonical_query(payload["q"])
    alert_filter = get_or_create_filter(query)
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


# --- matching -------------------------------------------------------------------------


def max_release_age():
    return timedelta(days=settings.NEWSROOM_ALERTS_MAX_RELEASE_AGE_DAYS)


def is_recent(release):
    return release.release_date >= timezone.localdate() - max_release_age()


def release_slugs(release):
    """{facet: slugs of every entity whose filter includes the release}.

    Read from each facet's membership table, the one its filter reads: the links
    for a flat facet, the subtree rows (the linked nodes and their ancestors) for
    a tree.
    """
    slugs = {}
    for name, facet in FACETS.items():
        membership, release_field, entity = facet.kind.membership
        member_ids = membership.objects.filter(**{release_field: release.pk}).values(
            entity
        )
        slugs[name] = set(
            facet.model.objects.filter(pk__in=member_ids).values_list("slug", flat=True)
        )
    return slugs


def eligible_subscriptions(release):
    """Subscriptions that may hear of the release: in its language, and confirmed
    before it first went public (a new subscriber is not sent old releases)."""
    return AlertSubscription.objects.filter(
        language=release.locale.language_code,
        confirmed_at__lte=release.first_published_at or timezone.now(),
    )


def candidate_filters(release):
    """Filters with eligible subscribers that name, in every facet they narrow, at
    least one entity the release belongs to: one query, whatever their number.

    A filter left out here cannot match (the FilterSet ORs the values of a facet
    and ANDs the facets); those kept are only candidates, for the FilterSet to
    decide."""
    followed = AlertFilter.objects.filter(
        Exists(eligible_subscriptions(release).filter(filter=OuterRef("pk")))
    )
    hit = Q()
    for facet, slugs in release_slugs(release).items():
        if slugs:
            hit |= Q(terms__facet=facet, terms__slug__in=slugs)
    if hit:
        followed = followed.annotate(
            hits=Count("terms__facet", filter=hit, distinct=True)
        ).filter(hits=F("facet_count"))
    else:
        followed = followed.filter(facet_count=0)
    return list(followed.only("pk", "query", "has_search").order_by("pk"))


def matching_filter_ids(release, filters):
    """Ids of ``filters`` whose FilterSet, on a queryset of just this published
    release, returns it."""
    # Built once: public() reads the view restrictions when it is called.
    one = PressReleasePage.objects.published().filter(pk=release.pk)
    matched, plain = [], []
    for alert_filter in filters:
        filterset = _filterset(QueryDict(alert_filter.query), one)
        if filterset.errors:
            # An entity was deleted or renamed: matching without that field would
            # widen the filter, so it matches nothing until resubscribed.
            logger.warning("Alert filter %s is no longer valid", alert_filter.query)
            continue
        if filterset.query:
            if list(filterset.results()[:1]):
                matched.append(alert_filter.pk)
        else:
            plain.append(
                filterset.qs.order_by().values(
                    fid=Value(alert_filter.pk, output_field=BigIntegerField())
                )
            )
    for chunk in chunked(plain, UNION_CHUNK):
        union = chunk[0].union(*chunk[1:], all=True) if len(chunk) > 1 else chunk[0]
        matched.extend(row["fid"] for row in union)
    return matched


@dataclass
class Queued:
    filters: int = 0
    candidates: int = 0
    immediate: int = 0
    digest: int = 0
    corrections: int = 0
    send_ids: list = field(default_factory=list)


def queue_release(release_id):
    """Match a release and write its pending deliveries; idempotent.

    Returns what was queued, with ``send_ids``: every pending immediate delivery
    of the release (new ones and any an earlier run left unsent).
    """
    release = (
        PressReleasePage.objects.published()
        .select_related("locale")
        .filter(pk=release_id)
        .first()
    )
    queued = Queued()
    if release is None:  # not (or no longer) public: drafts, withdrawn, private
        return queued
    if is_recent(release):
        filters = candidate_filters(release)
        matched = matching_filter_ids(release, filters)
        queued.candidates, queued.filters = len(filters), len(matched)
        queued.immediate, queued.digest = _queue_announcements(release, matched)
    queued.corrections = _queue_correction_notices(release)
    queued.send_ids = list(
        AlertDelivery.objects.filter(
            release=release, status=Status.PENDING, frequency=Frequency.IMMEDIATE
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return queued


def _queue_announcements(release, filter_ids):
    already = AlertDelivery.objects.filter(
        subscription=OuterRef("pk"), release=release, kind=Kind.RELEASE
    )
    corrections = list(release.corrections.values_list("pk", flat=True))
    counts = defaultdict(int)
    for chunk in chunked(filter_ids, ROW_CHUNK):
        subscriptions = list(
            eligible_subscriptions(release)
            .filter(filter_id__in=chunk)
            .exclude(Exists(already))
            .values_list("pk", "frequency")
        )
        rows = []
        for pk, frequency in subscriptions:
            counts[frequency == Frequency.IMMEDIATE] += 1
            rows.append(
                AlertDelivery(
                    subscription_id=pk,
                    release=release,
                    kind=Kind.RELEASE,
                    frequency=frequency,
                )
            )
            if frequency != Frequency.IMMEDIATE:
                continue  # correction notices go to immediate subscribers only
            # The release they are about to get already carries these corrections.
            rows.extend(
                AlertDelivery(
                    subscription_id=pk,
                    release=release,
                    kind=Kind.CORRECTION,
                    correction_id=correction,
                    frequency=frequency,
                    status=Status.SKIPPED,
                )
                for correction in corrections
            )
        AlertDelivery.objects.bulk_create(
            rows, batch_size=ROW_CHUNK, ignore_conflicts=True
        )
    return counts[True], counts[False]


def _queue_correction_notices(release):
    """One "updated" notice per correction to each immediate subscriber who was
    sent the release before it; none for a correction already noted."""
    queued = 0
    for correction in release.corrections.all():
        announced = AlertDelivery.objects.filter(
            release=release,
            kind=Kind.RELEASE,
            frequency=Frequency.IMMEDIATE,
            subscription__frequency=Frequency.IMMEDIATE,
        ).exclude(
            Exists(
                AlertDelivery.objects.filter(
                    subscription=OuterRef("subscription"), correction=correction
                )
            )
        )
        rows = [
            AlertDelivery(
                subscription_id=subscription_id,
                release=release,
                kind=Kind.CORRECTION,
                correction=correction,
                frequency=Frequency.IMMEDIATE,
                status=Status.PENDING if status == Status.SENT else Status.SKIPPED,
            )
            for subscription_id, status in announced.values_list(
                "subscription_id", "status"
            )
        ]
        AlertDelivery.objects.bulk_create(
            rows, batch_size=ROW_CHUNK, ignore_conflicts=True
        )
        queued += sum(1 for row in rows if row.status == Status.PENDING)
    return queued


def on_release_published(release):
    """page_published receiver: queue the matching once the publish commits.

    Old releases (archive imports, republished history) announce nothing, but a
    correction to one already announced still notifies.
    """
    from newsroom.alerts.tasks import alert_release_published

    if not is_recent(release) and not release.alert_deliveries.exists():
        return
    release_id = release.pk
    # Robust: by then the publish has committed. A queue that cannot take the
    # task is logged and the send_alerts sweep matches the release later,
    # instead of the editor being shown an error for a completed publish.
    transaction.on_commit(
        lambda: alert_release_published.enqueue(release_id), robust=True
    )


# --- the mail -------------------------------------------------------------------------


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
            self.descriptions[key] = describe_filter(
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
            self.manage_urls[key] = manage_url(email)
        query = subscription.filter.query
        return {
            "description": self.description(subscription),
            "frequency_label": subscription.get_frequency_display(),
            "manage_url": self.manage_urls[key],
            "listing_url": listing_url(query),
        }

    def delivery(self, row):
        subscription, release = row.subscription, row.release
        with translation.override(subscription.language):
            context = {
                **self.common(subscription),
                "release": release,
                "release_url": self.release_url(release),
            }
            if row.kind == Kind.CORRECTION:
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
                unsubscribe_url(subscription),
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
                unsubscribe_url(subscription),
            )


def is_permanent_refusal(error):
    """The server refused this message for good (5xx): sending it again is no use."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


# --- handing a message over -----------------------------------------------------------
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


def _claim(ids):
    """pending -> sending, in one statement: of two senders of the same rows, one
    gets them. ``sent_at`` holds the moment of the hand-over until the answer."""
    return AlertDelivery.objects.filter(pk__in=ids, status=Status.PENDING).update(
        status=Status.SENDING, attempts=F("attempts") + 1, sent_at=timezone.now()
    )


def _unclaim(ids):
    AlertDelivery.objects.filter(pk__in=ids, status=Status.SENDING).update(
        status=Status.PENDING, sent_at=None
    )


def _mark(ids, status):
    values = {"status": status}
    if status == Status.SENT:
        values["sent_at"] = timezone.now()
    AlertDelivery.objects.filter(pk__in=ids).update(**values)


def _public_ids(release_ids):
    return set(
        PressReleasePage.objects.published()
        .filter(pk__in=release_ids)
        .values_list("pk", flat=True)
    )


def _drop_unpublished(rows):
    """Pending rows of releases no longer public are deleted (a later publish
    queues them again); the others are returned."""
    public = _public_ids({row.release_id for row in rows})
    gone = [row.pk for row in rows if row.release_id not in public]
    if gone:
        AlertDelivery.objects.filter(pk__in=gone, status=Status.PENDING).delete()
    return [row for row in rows if row.release_id in public]


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    dropped: int = 0


def _send(connection, message, ids, report):
    """Send one message for the pending rows ``ids``, claiming them as late as the
    connection allows; raise on a failure a later run may overcome (the rows are
    pending again by then, unless the server may already have the message)."""
    hand_over = isinstance(connection, HandOverEmailBackend)
    claimed = False

    def claim():
        nonlocal claimed
        got = _claim(ids)
        if got != len(ids):
            if got:  # some rows went meanwhile: the message is rebuilt next run
                _unclaim(ids)
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
            error, ids, claimed, hand_over and connection.handed_over, report
        ):
            raise
        return
    finally:
        if hand_over:
            connection.before_end_of_data = None
    _mark(ids, Status.SENT)
    report.sent += 1


def _settle_failure(error, ids, claimed, handed_over, report):
    """Record a failed send; True when the error should stop the run."""
    if handed_over and not isinstance(error, smtplib.SMTPResponseException):
        # The message was complete and no answer came: the server may well have
        # it, so the rows stay "sending" and are never sent again.
        logger.warning("No answer once alert %s was handed over: %s", ids, error)
        return True
    if is_permanent_refusal(error):
        logger.warning("Alert %s refused: %s", ids, error)
        was = Status.SENDING if claimed else Status.PENDING
        AlertDelivery.objects.filter(pk__in=ids, status=was).update(
            status=Status.FAILED
        )
        report.failed += 1
        return False
    if claimed:
        _unclaim(ids)
    return True


def send_deliveries(delivery_ids):
    """Send these immediate deliveries (releases and correction notices), one
    email each, over one SMTP connection; rows not pending are left alone."""
    report = Sent()
    rows = list(
        AlertDelivery.objects.filter(
            pk__in=list(delivery_ids),
            status=Status.PENDING,
            frequency=Frequency.IMMEDIATE,
        )
        .select_related("subscription__filter", "release", "correction")
        .order_by("pk")
    )
    kept = _drop_unpublished(rows)
    report.dropped = len(rows) - len(kept)
    if not kept:
        return report
    mailer = Mailer()
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
            status=Status.PENDING, frequency=frequency, kind=Kind.RELEASE
        )
        waiting = pending.values_list("subscription_id", flat=True).distinct()
        mailer = Mailer()
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


def pending_immediate_ids(release_id=None):
    pending = AlertDelivery.objects.filter(
        status=Status.PENDING, frequency=Frequency.IMMEDIATE
    )
    if release_id is not None:
        pending = pending.filter(release_id=release_id)
    return list(pending.order_by("pk").values_list("pk", flat=True))


def send_pending(release_id=None, batch=200):
    """Send every pending immediate email (of one release, or all), in batches.

    Returns ``(report, error)``: a mail server that cannot be reached stops the
    run at once, with ``error`` saying why; the rows wait, pending, for the next.
    """
    report = Sent()
    for ids in chunked(pending_immediate_ids(release_id), batch):
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
        status=Status.PENDING, frequency=Frequency.IMMEDIATE
    ).count()


def recently_published_ids(minutes):
    since = timezone.now() - timedelta(minutes=minutes)
    return list(
        PressReleasePage.objects.published()
        .filter(last_published_at__gte=since)
        .values_list("pk", flat=True)
    )
