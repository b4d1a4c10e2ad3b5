"""The agenda's events found as releases are: the same filters, facets and
public rule over their own listing table (newsroom/models/agenda.py:ListedEvent),
in the agenda's order: upcoming first, soonest first, then past, newest first."""

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django_filters import FilterSet

from newsroom.finder.facet_statement import stored_counts
from newsroom.finder.filterset import ReleaseFilterSet
from newsroom.finder.query import ReleaseQuery, scope_queryset
from newsroom.models import AgendaPage, EventPage, ListedEvent
from newsroom.models.querysets import load_event_links, under_view_restriction

UPCOMING_LIMIT = 3


def upcoming_first(rows, now=None):
    """Listing rows of events to come (or under way), soonest first, then those
    past, latest first."""
    now = now or timezone.now()
    return rows.annotate(
        is_past=Case(
            When(ends__lt=now, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        upcoming_start=Case(When(ends__gte=now, then=F("start"))),
    ).order_by("is_past", "upcoming_start", "-start", "-pk")


class AgendaFilterSet(ReleaseFilterSet):
    """The releases' parameters, over events; ``sort`` has no say (the agenda's
    order is the time line), except relevance when searching."""

    class Meta(ReleaseFilterSet.Meta):
        model = EventPage

    @property
    def sort_order(self):
        if self.query and self.cleaned("sort") == "relevance":
            return "relevance"
        return "upcoming"

    def filter_queryset(self, queryset):
        return upcoming_first(FilterSet.filter_queryset(self, queryset))


class AgendaQuery(ReleaseQuery):
    """The request's filters applied to one agenda's (or a hub's) events."""

    table = ListedEvent
    filterset_class = AgendaFilterSet


def hydrate_events(rows, with_changes=False):
    """A page of listing rows as events readers may see, in the rows' order, with
    what a card names (and, ``with_changes``, the change log the feeds give)."""
    ids = [row.pk for row in rows]
    # Checked again rather than trusted to the rows; by a subquery, as public()
    # would first read every view restriction in a query of its own.
    loaded = (
        EventPage.objects.live()
        .filter(~under_view_restriction(), pk__in=ids)
        .select_related("locale")
        .prefetch_related(*(["changes"] if with_changes else []))
    )
    by_id = {event.pk: event for event in loaded}
    # The officials and regions a card names, with their entities, in one query.
    load_event_links(by_id.values(), ("official", "region"))
    return [by_id[pk] for pk in ids if pk in by_id]


def upcoming_events(agenda, kind=None, entity=None, limit=UPCOMING_LIMIT):
    """The next events of an agenda (those under way first), or of one hub's
    entity in it: for the home page and the hubs."""
    if agenda is None:
        return []
    rows = scope_queryset(agenda, kind, entity, ListedEvent).filter(
        ends__gte=timezone.now()
    )
    return hydrate_events(rows.order_by("start", "pk")[:limit])


def reachable_agenda(newsroom):
    """The newsroom's agenda, when readers may reach it (live, not restricted)."""
    return (
        AgendaPage.objects.live()
        .filter(~under_view_restriction())
        .child_of(newsroom)
        .first()
    )


def hub_counts(newsroom):
    """{facet name: rows} of the entities with a hub in ``newsroom``: those its
    listed releases link, and those only its agenda's listed events link, read
    from the stored counts of both listing pages.

    Each row's ``n`` counts releases (0 for an entity known only by events) and
    ``events`` its events: an official named only in an invitation has a hub,
    with their upcoming events on it, in the index and the sitemap.
    """
    _, releases = stored_counts(newsroom)
    agenda = reachable_agenda(newsroom)
    events = stored_counts(agenda)[1] if agenda is not None else {}
    merged = {}
    for name, rows in releases.items():
        by_id = {row["entity_id"]: {**row, "events": 0} for row in rows}
        for row in events.get(name, []):
            by_id.setdefault(row["entity_id"], {**row, "n": 0})["events"] = row["n"]
        merged[name] = sorted(by_id.values(), key=lambda row: row["entity_id"])
    return merged
