"""The agenda's routes: the listing of events (/news/agenda/), its iCalendar and
Atom feeds with the listing's filters, one event's calendar entry, and each
hub's calendar (/news/sectors/<slug>/calendar.ics).

Every channel goes through the same :class:`AgendaQuery`, so a parameter picks
the same events everywhere; the calendars are RFC 5545, written with the
``icalendar`` package, each event in its own zone with its VTIMEZONE.
"""

import copy
import functools

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent
from wagtail.models import Page, Site

from newsroom.channels.exports import parameter_error_response
from newsroom.channels.feeds import ReleaseAtomFeed
from newsroom.channels.seo import listing_canonical, listing_robots
from newsroom.channels.views import paginate
from newsroom.finder import entity_names, wording
from newsroom.finder.agenda import AgendaQuery, hydrate_events
from newsroom.finder.query import hub_entity
from newsroom.models import AgendaPage, EventPage, NewsroomPage
from newsroom.models.querysets import under_view_restriction

# Events in one calendar or feed: an agenda holds hundreds a year at most.
CALENDAR_SIZE = 500
FEED_SIZE = 50
STATUSES = {
    "provisional": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}


def listing(request, agenda):
    """Events to come, then past ones, filtered like the releases."""
    query = AgendaQuery(request, agenda)
    facet_counts = query.facet_counts
    page_obj = paginate(request, query.results, count=facet_counts.total)
    context = {
        **agenda.get_context(request),
        "agenda_url": agenda.url,
        "query": query,
        "filterset": query.filterset,
        "form": query.filterset.form,
        "page_obj": page_obj,
        "events": hydrate_events(page_obj.object_list),
        "result_count": page_obj.paginator.count,
        "facets": facet_counts.groups,
        "active_filters": query.filterset.active_filters,
        "canonical_url": listing_canonical(request, request.path, query.filterset),
        "robots": listing_robots(request, query.filterset),
    }
    return TemplateResponse(request, "newsroom/agenda_page.html", context)


def describe(query):
    """The agenda's filter in words: "Events on Nickel smelting in Makassar"."""
    phrases = wording.conditions(query.filterset)
    if query.entity is not None:
        phrases.insert(0, entity_names.localized_name(query.entity))
        return _("Events: %(conditions)s") % {"conditions": " ".join(phrases)}
    if not phrases:
        return _("All events")
    return _("Events %(conditions)s") % {"conditions": " ".join(phrases)}


def calendar_of(request, events, name):
    """An RFC 5545 calendar of ``events``, each in its own zone."""
    calendar = Calendar()
    calendar.add("prodid", "-//Ministry of Industry of Indonesia//Newsroom//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    site = Site.find_for_request(request)
    host = site.hostname if site else request.get_host().split(":")[0]
    for event in events:
        calendar.add_component(calendar_event(request, event, host))
    add_time_zones(calendar)
    response = HttpResponse(
        calendar.to_ical(), content_type="text/calendar; charset=utf-8"
    )
    return response


def add_time_zones(calendar):
    """A VTIMEZONE for each zone the events use, in the zones' order, as
    ``Calendar.add_missing_timezones`` adds them, but each zone worked out once per
    process."""
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        zone = time_zone(tzid)
        if zone is not None:
            # The remembered component is never handed out: a calendar may change
            # what it holds.
            calendar.subcomponents.insert(position, copy.deepcopy(zone))


@functools.cache
def time_zone(tzid):
    """The VTIMEZONE of ``tzid`` (None for a zone icalendar does not know).

    icalendar works a zone out by walking its transitions over 1970-2038: 25 ms
    for Asia/Jakarta, on every calendar served. The zones' rules are those of the
    installed time zone data, which a process never sees change.
    """
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        return None


def calendar_event(request, event, host):
    entry = CalendarEvent()
    # Stable whatever the title, slug or time: the page's id on this site.
    entry.add("uid", f"event-{event.pk}@{host}")
    entry.add("sequence", event.sequence)
    entry.add("summary", event.title)
    entry.add("dtstart", event.local_start)
    if event.end:
        entry.add("dtend", event.local_end)
    stamp = event.last_published_at or event.first_published_at or timezone.now()
    entry.add("dtstamp", stamp)
    entry.add("last-modified", stamp)
    entry.add("status", STATUSES[event.status])
    location = ", ".join(
        part for part in (event.place, " ".join(event.address.split())) if part
    )
    if location:
        entry.add("location", location)
    entry.add("url", event.get_full_url(request))
    entry.add("description", event_description(event))
    return entry


def event_description(event):
    """The summary, then each public change with its reason, newest first, in the
    event's language."""
    with override(event.locale.language_code):
        lines = [event.summary] if event.summary else []
        if event.status in ("postponed", "cancelled"):
            lines.insert(0, str(event.get_status_display()).upper())
        for change in sorted(
            event.changes.all(), key=lambda c: c.made_at, reverse=True
        ):
            lines.append(f"{change.get_change_display()}: {change.reason}")
        if event.accreditation:
            lines.append(f"{_('Accreditation')}: {event.accreditation}")
    return "\n\n".join(lines)


def filtered_events(query, size):
    if query.errors:
        return None
    rows = query.results
    return hydrate_events(list(rows[:size]), with_changes=True)


def agenda_calendar(request, agenda, kind=None, entity=None):
    query = AgendaQuery(request, agenda, kind, entity)
    events = filtered_events(query, CALENDAR_SIZE)
    if events is None:
        return parameter_error_response(query.errors)
    return calendar_of(request, events, f"{agenda.title} — {describe(query)}")


def hub_calendar(request, newsroom, kind, slug):
    """The calendar of one hub's events: /news/sectors/<slug>/calendar.ics."""
    entity = hub_entity(kind, slug)
    agenda = (
        AgendaPage.objects.live()
        .filter(~under_view_restriction())
        .child_of(newsroom)
        .first()
    )
    if agenda is None:
        raise Http404("This newsroom has no agenda.")
    return agenda_calendar(request, agenda, kind, entity)


def serve_calendar(request, path=""):
    """``<page path>calendar.ics`` for site/urls.py, ahead of Wagtail's catch-all
    (which serves only slash-terminated paths, as for export.csv): the agenda's
    calendar, one event's, or a hub's (``/news/sectors/<slug>/calendar.ics``).
    Found as Wagtail finds pages, so a draft or private one is not found."""
    page = Page.find_for_request(request, path)
    if page is None or not all(
        restriction.accept_request(request)
        for restriction in page.get_view_restrictions()
    ):
        raise Http404("No calendar here.")
    if isinstance(page, EventPage):
        return event_calendar(request, page)
    route = getattr(request, "routable_resolver_match", None)
    # Only the listing's own path: under its feed (or any later route) the
    # agenda would otherwise answer with its whole calendar.
    on_listing = route is not None and route.url_name == "listing"
    if isinstance(page, AgendaPage) and on_listing:
        return agenda_calendar(request, page)
    if isinstance(page, NewsroomPage) and route is not None and route.url_name == "hub":
        return hub_calendar(request, page, route.kwargs["kind"], route.kwargs["slug"])
    raise Http404("No calendar here.")


def event_calendar(request, event):
    """One event, for "Add to calendar"."""
    response = calendar_of(request, [event], event.title)
    # Slugs may be Unicode: as a plain header the name would be MIME-encoded,
    # which browsers do not read, and the download would lose its name.
    response["Content-Disposition"] = content_disposition_header(
        True, f"{event.slug}.ics"
    )
    return response


class AgendaAtomFeed(ReleaseAtomFeed):
    """The agenda as Atom: what a feed reader shows of events, newest change
    first in each entry's summary."""

    def title(self, query):
        return describe(query)

    def subtitle(self, query):
        return f"{query.newsroom.title} — {describe(query)}."

    def link(self, query):
        url = query.newsroom.get_full_url(self.request)
        params = self.request.GET.copy()
        params.pop("page", None)
        return f"{url}?{params.urlencode()}" if params else url

    def items(self, query):
        return hydrate_events(list(query.results[:FEED_SIZE]), with_changes=True)

    def item_title(self, event):
        if event.status in ("postponed", "cancelled"):
            with override(event.locale.language_code):
                return f"{event.get_status_display()}: {event.title}"
        return event.title

    def item_description(self, event):
        return event_description(event)

    def item_guid(self, event):
        first = event.first_published_at or event.start
        return f"tag:{self.host},{first:%Y-%m-%d}:event:{event.pk}"

    def item_pubdate(self, event):
        return event.first_published_at or event.start

    def item_updateddate(self, event):
        return event.last_published_at or self.item_pubdate(event)

    def item_categories(self, event):
        return [str(event.get_kind_display())]

    def item_author_name(self, event):
        return self.author_name(None)


def agenda_feed(request, agenda):
    query = AgendaQuery(request, agenda)
    if query.errors:
        return parameter_error_response(query.errors)
    return AgendaAtomFeed()(request, query)
