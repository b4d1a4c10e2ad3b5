"""Which subscriptions a published release matches, queued as delivery rows
before any mail leaves."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, Value
from django.http import QueryDict
from django.utils import timezone

from newsroom.alerts import criteria
from newsroom.chunks import chunked
from newsroom.finder.filterset import FACETS, ReleaseFilterSet
from newsroom.models import (
    AlertDelivery,
    AlertFilter,
    AlertSubscription,
    PressReleasePage,
)

logger = logging.getLogger(__name__)

# SQLite refuses a compound SELECT of more than 500 terms.
UNION_CHUNK = 100
ROW_CHUNK = 1000


def max_release_age():
    return timedelta(days=settings.NEWSROOM_ALERTS_MAX_RELEASE_AGE_DAYS)


def is_recent(release):
    return is_recent_date(release.release_date)


def is_recent_date(release_date):
    """Whether a release of that date is announced when published; older ones
    (archive imports, republished history) are not."""
    return release_date >= timezone.localdate() - max_release_age()


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
    """Filters of releases with eligible subscribers that name, in every facet
    they narrow, at least one entity the release belongs to."""
    return followed_filters(
        eligible_subscriptions(release), release_slugs(release), agenda=False
    )


def followed_filters(eligible, slugs_by_facet, agenda):
    """Filters (of releases, or with ``agenda`` of events) followed by one of the
    ``eligible`` subscriptions and naming, in every facet they narrow, one of the
    item's ``slugs_by_facet``: one query, whatever their number.

    A filter left out here cannot match (the FilterSet ORs the values of a facet
    and ANDs the facets); those kept are only candidates, for the FilterSet to
    decide."""
    followed = AlertFilter.objects.filter(
        Exists(eligible.filter(filter=OuterRef("pk"))), agenda=agenda
    )
    hit = Q()
    for facet, slugs in slugs_by_facet.items():
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
    return matching_ids(one, filters)


def matching_ids(one, filters, filterset_class=ReleaseFilterSet):
    """Ids of ``filters`` whose FilterSet (of ``filterset_class``) returns the
    one item of the queryset ``one``: plain filters many at a time through
    ``UNION ALL``, full-text ones through the search backend."""
    matched, plain = [], []
    for alert_filter in filters:
        filterset = criteria._filterset(
            QueryDict(alert_filter.query), one, filterset_class
        )
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
            release=release,
            status=AlertDelivery.Status.PENDING,
            frequency=AlertSubscription.Frequency.IMMEDIATE,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return queued


def _queue_announcements(release, filter_ids):
    already = AlertDelivery.objects.filter(
        subscription=OuterRef("pk"), release=release, kind=AlertDelivery.Kind.RELEASE
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
            counts[frequency == AlertSubscription.Frequency.IMMEDIATE] += 1
            delivery = partial(
                AlertDelivery, subscription_id=pk, release=release, frequency=frequency
            )
            rows.append(delivery(kind=AlertDelivery.Kind.RELEASE))
            if frequency != AlertSubscription.Frequency.IMMEDIATE:
                continue  # correction notices go to immediate subscribers only
            # The release they are about to get already carries these corrections.
            rows.extend(
                delivery(
                    kind=AlertDelivery.Kind.CORRECTION,
                    correction_id=correction,
                    status=AlertDelivery.Status.SKIPPED,
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
            kind=AlertDelivery.Kind.RELEASE,
            frequency=AlertSubscription.Frequency.IMMEDIATE,
            subscription__frequency=AlertSubscription.Frequency.IMMEDIATE,
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
                kind=AlertDelivery.Kind.CORRECTION,
                correction=correction,
                frequency=AlertSubscription.Frequency.IMMEDIATE,
                status=AlertDelivery.Status.PENDING
                if status == AlertDelivery.Status.SENT
                else AlertDelivery.Status.SKIPPED,
            )
            for subscription_id, status in announced.values_list(
                "subscription_id", "status"
            )
        ]
        AlertDelivery.objects.bulk_create(
            rows, batch_size=ROW_CHUNK, ignore_conflicts=True
        )
        queued += sum(1 for row in rows if row.status == AlertDelivery.Status.PENDING)
    return queued
