"""The language switcher and hreflang alternates (base.html).

English pages are served without a prefix and Indonesian ones under /id/
(site/urls.py). Each page of one language is linked to its translation (same
translation_key); on the newsroom's own routes (listing, hubs, feeds) the rest of
the path after the newsroom and the query string are kept, so a filtered listing
leads to the same filters in the other language, with each chosen entity's (and
the hub's) slug in that language's spelling. Without a live translation the link
goes to the other language's home.
"""

import datetime
import re
from urllib.parse import quote_plus, unquote_plus

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from newsroom.channels.charts import date_text
from newsroom.finder import entity_names
from newsroom.finder.filterset import FACETS
from newsroom.models.pages import HUB_PATTERN

register = template.Library()


class Alternate:
    def __init__(self, code, name, url, translated):
        self.code = code
        self.name = name
        self.url = url
        self.translated = translated  # False: the fallback to that language's home

    @property
    def path(self):
        return self.url.split("?", 1)[0]


def home_url(code):
    """The home of language ``code``: / or /id/."""
    with translation.override(code):
        return reverse("wagtail_serve", args=[""])


def _route_remainder(request, page):
    """The part of the request path after ``page``'s URL (a routable page's route)."""
    page_url = page.get_url(request)
    if page_url and request.path.startswith(page_url):
        return request.path[len(page_url) :]
    return ""


HUB_ROUTE = re.compile(rf"^(?P<kind>{HUB_PATTERN})/(?P<slug>[-\w]+)/(?P<rest>.*)$")


def _hub_in_language(remainder, entity, code):
    """A hub's route with the slug of language ``code`` ("sectors/nickel/" ->
    "sectors/peleburan-nikel/")."""
    match = HUB_ROUTE.match(remainder)
    if match is None or entity is None:
        return remainder
    slug = entity_names.localized_slug(entity, code)
    return f"{match['kind']}/{slug}/{match['rest']}"


def _filters_in_language(query, filterset, code):
    """The query string with each chosen entity's slug in language ``code``; the
    rest (and its order and spelling) kept as it is."""
    if not query or filterset is None:
        return query
    slugs = {}
    for name in FACETS:
        for entity in filterset.selected(name):
            for requested in getattr(entity, "requested_slugs", [entity.slug]):
                slugs[name, requested] = entity_names.localized_slug(entity, code)
    pairs = []
    for pair in query.removeprefix("?").split("&"):
        key, _, value = pair.partition("=")
        target = slugs.get((unquote_plus(key), unquote_plus(value)))
        if target is not None and target != unquote_plus(value):
            pair = f"{key}={quote_plus(target)}"
        pairs.append(pair)
    return "?" + "&".join(pairs)


def live_translations(page):
    """{language code: page} of the page's live translations, itself included.

    A newsroom brings them from routing (HomePage.route loads them with it);
    other pages cost one query. Not .public(): that costs a query more, and a
    link to a translation behind a password only leads to its password form.
    """
    known = getattr(page, "live_translations", None)
    if known is not None:
        return known
    return {
        other.locale.language_code: other
        for other in Page.objects.filter(translation_key=page.translation_key)
        .live()
        .select_related("locale")
    }


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """Every language of the site with the URL of this page in it.

    Costs one query on a page (its live translations) unless routing brought
    them, none elsewhere.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    languages = settings.WAGTAIL_CONTENT_LANGUAGES
    translations = {}
    remainder = query = ""
    if request is not None and isinstance(page, Page) and page.pk:
        translations = live_translations(page)
        remainder = _route_remainder(request, page)
        if request.META.get("QUERY_STRING"):
            query = "?" + request.META["QUERY_STRING"]
    alternates = []
    for code, name in languages:
        target = translations.get(code)
        url = target.get_url(request) if target is not None else None
        if code == current and request is not None:
            alternates.append(Alternate(code, name, request.get_full_path(), True))
        elif url:
            url += _hub_in_language(remainder, context.get("entity"), code)
            url += _filters_in_language(query, context.get("filterset"), code)
            alternates.append(Alternate(code, name, url, True))
        else:
            alternates.append(Alternate(code, name, home_url(code), False))
    return alternates


@register.filter
def has_translation(alternates):
    """True if some other language has this very page (for hreflang links)."""
    current = translation.get_language()
    return any(alt.translated for alt in alternates if alt.code != current)


@register.simple_tag
def localized_path(path):
    """``path`` (from the site's root, e.g. "news/feed/") in the active language."""
    return reverse("wagtail_serve", args=[path])


# --- entities in the page's language (newsroom/finder/entity_names.py) ----------
# The functions there are the filters, each in the active language (English where
# an entity has no translation): names, slugs and hub URLs of officials,
# organisations, sectors, regions and topics, their texts ("bio", "description",
# "country"), an official's name with the honorific, and an appointment's position
# and title ("Menteri Perindustrian, Kementerian Perindustrian"); and
# ``in_language``, a default-language URL (/news/sectors/x/) in the active one.
register.filter("in_language", entity_names.in_language)
register.filter("entity_name", entity_names.localized_name)
register.filter("entity_display_name", entity_names.localized_display_name)
register.filter("entity_slug", entity_names.localized_slug)
register.filter("entity_url", entity_names.localized_url)
register.filter("entity_text", entity_names.localized_text)
register.filter("appointment_title", entity_names.localized_appointment_title)
register.filter("appointment_position", entity_names.localized_position)


# --- dates in the page's language ------------------------------------------------
@register.filter
def day_text(value, format):
    """``value|date:format``, a date (not a datetime) remembered per language as
    the charts' months are (channels/charts.py:date_text)."""
    if type(value) is not datetime.date:
        return date_filter(value, format)
    return date_text(value, format)
