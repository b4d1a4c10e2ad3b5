"""Atom feeds of releases: /news/feed/ and each hub's feed/, with the listing's filters.

A feed is the listing in another format: the same :class:`ReleaseQuery`, so the same
query parameters pick the same releases in the same order. Only the wording of the
feed (its title) and the error handling (a 400 rather than a form error) differ.
"""

import datetime
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from newsroom.channels.exports import parameter_error_response
from newsroom.finder import entity_names, wording
from newsroom.finder.query import ReleaseQuery, hub_entity, hydrate

FEED_SIZE = 50
# Characters XML 1.0 cannot carry: Django's feed writer raises on the control
# characters (a 500), and would write U+FFFE/U+FFFF into a feed no reader parses.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

SORT_WORDS = {
    "newest": gettext_lazy("newest first"),
    "oldest": gettext_lazy("oldest first"),
    "relevance": gettext_lazy("best match first"),
}


def feed_title(query):
    """The filter in words (newsroom/finder/wording.py), after the hub's name."""
    if query.entity is None:
        return wording.describe(query.filterset)
    filters = " ".join(wording.conditions(query.filterset))
    name = entity_names.localized_name(query.entity)
    title = _("Releases: %(name)s") % {"name": name}
    return f"{title} — {filters}" if filters else title


def release_datetime(date):
    """A release date as the start of that day in the newsroom's time zone.

    Never before 0001-01-01 UTC: the feed's Last-Modified header cannot express an
    earlier instant (a release dated 1 January 1 in Jakarta made the feed a 500).
    """
    start = timezone.make_aware(
        datetime.datetime.combine(date, datetime.time.min),
        timezone.get_default_timezone(),
    )
    return max(start, datetime.datetime.min.replace(tzinfo=datetime.UTC))


def xml_safe(value):
    """``value`` without NOT_XML characters; lists and tuples item by item."""
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe(item) for item in value)
    return value


class XMLSafeAtom1Feed(Atom1Feed):
    """Atom that drops what XML cannot hold from every text it is given.

    A search for ``%01`` is echoed in the feed's title, and a title pasted from a
    word processor can carry a vertical tab (``\\x0b``); either must not break the
    feed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {key: xml_safe(value) for key, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {key: xml_safe(value) for key, value in self.items[-1].items()}

    def add_item_elements(self, handler, item):
        """Django writes the description as ``<summary type="html">``, which tells
        readers to decode it as markup: a standfirst is an editor's plain text, so
        a typed ``<img onerror=...>`` or ``<b>`` would render. Written as
        ``type="text"`` (and escaped once, as XML), readers show the characters."""
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ReleaseAtomFeed(Feed):
    """One ReleaseQuery as Atom; build one per request (it keeps the request)."""

    feed_type = XMLSafeAtom1Feed

    def get_object(self, request, query):
        self.request = request
        site = Site.find_for_request(request)
        self.host = site.hostname if site else request.get_host().split(":")[0]
        self.language = query.newsroom.locale.language_code
        return query

    # --- the feed ------------------------------------------------------------------

    def title(self, query):
        return feed_title(query)

    def subtitle(self, query):
        sort = SORT_WORDS[query.filterset.sort_order]
        return f"{settings.WAGTAIL_SITE_NAME} — {feed_title(query)}, {sort}."

    def link(self, query):
        """The HTML listing (or hub) these entries come from, with the same filters."""
        url = query.newsroom.get_full_url(self.request)
        if query.entity is not None:
            url += f"{query.kind}/{entity_names.localized_slug(query.entity)}/"
        params = self.request.GET.copy()
        params.pop("page", None)
        return f"{url}?{params.urlencode()}" if params else url

    def feed_url(self, query):
        return self.request.build_absolute_uri()

    def feed_guid(self, query):
        return self.feed_url(query)

    def author_name(self, query):
        return settings.WAGTAIL_SITE_NAME

    def items(self, query):
        return hydrate(query.results[:FEED_SIZE], relations="with_feed_relations")

    # --- each entry ----------------------------------------------------------------

    def item_title(self, release):
        return release.title

    def item_link(self, release):
        return release.get_full_url(self.request)

    def item_description(self, release):
        """The standfirst, then each correction as the release page words it
        ("Updated 2 October 2024: ..."), so a reader whose entry moved to a later
        <updated> sees why; plain text, written as such (see XMLSafeAtom1Feed)."""
        notes = [
            _("Updated %(date)s:")
            % {"date": wording.long_date(timezone.localtime(c.date))}
            + f" {c.note}"
            for c in release.corrections.all()
        ]
        return "\n\n".join([release.standfirst, *notes])

    def item_guid(self, release):
        """A tag URI on the page id: stable when the title, slug or date change."""
        first = release.first_published_at or release_datetime(release.release_date)
        return f"tag:{self.host},{first:%Y-%m-%d}:release:{release.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, release):
        return release_datetime(release.release_date)

    def item_updateddate(self, release):
        published = self.item_pubdate(release)
        corrected = release.last_updated
        if corrected is None:
            return published
        return max(timezone.localtime(corrected), published)

    def item_categories(self, release):
        return [
            str(entity_names.localized_name(entity))
            for entity in [*release.sectors, *release.regions, *release.sorted_topics()]
        ]

    def item_author_name(self, release):
        organisations = release.organisations
        if not organisations:
            return settings.WAGTAIL_SITE_NAME
        return entity_names.localized_name(organisations[0])


def release_feed(request, newsroom, kind=None, slug=None):
    """The Atom feed of /news/ (``kind`` None) or of a hub, filtered by the request."""
    entity = hub_entity(kind, slug) if kind else None
    query = ReleaseQuery(request, newsroom, kind, entity)
    if query.errors:
        return parameter_error_response(query.errors)
    return ReleaseAtomFeed()(request, query)
