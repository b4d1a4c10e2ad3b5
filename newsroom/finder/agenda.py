"""The agenda's events found as releases are: the same filters, facets and
public rule over their own listing table (newsroom/models/agenda.py:ListedEvent),
in the agenda's order: upcoming first, soonest first, then past, newest first."""

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django_filters import FilterSet

from newsroom.finder.filterset import ReleaseFilterSet
from newsroom.finder.query import ReleaseQuery, scope_queryset
from newsroom.models import EventPage, ListedEvent
from newsroom.models.querysets import under_view_restriction

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
    relations = ["event_officials__official", "event_regions__region"]
    if with_changes:
        relations.append("changes")
    # Checked again rather than trusted to the rows; by a subquery, as public()
    # would first read every view restriction in a query of its own.
    loaded = (
        EventPage.objects.live()
        .filter(~under_view_restriction(), pk__in=ids)
        .select_related("locale")
        .prefetch_related(*relations)
    )
    by_id = {event.pk: event for event in loaded}
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
