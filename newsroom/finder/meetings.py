"""Who met whom: officials named together on the releases readers may see.

On an official's hub, their *counterparts*: officials of other organisations
named on the same releases, with the number of releases together and the date of
the latest. On an organisation's hub outside the ministry, the ministry's
officials who met it. A meeting is dated by the release's event date where the
editor set one, else by its release date.

Read from the listing table (``ListedRelease``), which holds only published,
public, not withdrawn releases: a meeting that only a draft, a scheduled or a
private release records names nobody. "Other organisation" compares the bodies
of each official's appointments, a directorate counting as its ministry (up to
three levels), over all their appointments: an official who moved between two
bodies is a colleague of both. Three queries a hub, whatever the archive's size:
the rows with their dates, the appointments, the officials.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models.functions import Coalesce

from newsroom.models import Appointment, ListedRelease, Official

# Shown on a hub; the rest are one filter away.
LIMIT = 10


@dataclass(frozen=True)
class Meeting:
    official: Official
    releases: int
    latest: datetime.date


def _rows(newsroom, **overlapping):
    """(official ids, meeting date) of each listed release linking the entity."""
    return list(
        ListedRelease.objects.filter(newsroom=newsroom, **overlapping).values_list(
            "officials", Coalesce("release__event_date", "release_date")
        )
    )


def _bodies(official_ids):
    """{official id: the top bodies (by slug) of all their appointments}."""
    bodies = {pk: set() for pk in official_ids}
    levels = (
        "organisation__parent__parent__slug",
        "organisation__parent__slug",
        "organisation__slug",
    )
    for official_id, *slugs in Appointment.objects.filter(
        official_id__in=official_ids
    ).values_list("official_id", *levels):
        bodies[official_id].add(next(slug for slug in slugs if slug))
    return bodies


def _meetings(rows, wanted):
    """The officials for whom ``wanted(official_id)`` holds, most met first."""
    counts, latest = Counter(), {}
    for official_ids, when in rows:
        for official_id in official_ids:
            if wanted(official_id):
                counts[official_id] += 1
                latest[official_id] = max(latest.get(official_id, when), when)
    officials = Official.objects.in_bulk(list(counts)) if counts else {}
    found = [
        Meeting(officials[pk], counts[pk], latest[pk])
        for pk in counts
        if pk in officials
    ]
    found.sort(key=lambda m: (-m.releases, -m.latest.toordinal(), m.official.name))
    return found[:LIMIT]


def counterparts(official, newsroom):
    """Officials of other organisations named with ``official``, most met first."""
    rows = _rows(newsroom, officials__overlaps=[official.pk])
    named = {pk for ids, _ in rows for pk in ids} - {official.pk}
    if not named:
        return []
    bodies = _bodies(named | {official.pk})
    own = bodies[official.pk]
    # Someone with no appointment is nobody's colleague.
    return _meetings(rows, lambda pk: pk in named and not (bodies[pk] & own))


def ministry_officials_met(organisation, newsroom):
    """The ministry's officials (NEWSROOM_MINISTRY_SLUG, its directorates
    included) named on releases that name ``organisation``; nothing on the hub
    of the ministry or a body within it."""
    home = settings.NEWSROOM_MINISTRY_SLUG
    chain, body = [], organisation
    while body is not None and len(chain) < 3:
        chain.append(body.slug)
        body = body.parent if body.parent_id else None
    if home in chain:
        return []
    rows = _rows(newsroom, organisations__overlaps=[organisation.pk])
    named = {pk for ids, _ in rows for pk in ids}
    if not named:
        return []
    bodies = _bodies(named)
    return _meetings(rows, lambda pk: home in bodies.get(pk, ()))
