from functools import lru_cache
from html import escape as escape_text

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from newsroom.channels import seo
from newsroom.finder import agenda as agenda_finder
from newsroom.models import AgendaPage, EventPage
from newsroom.models.blocks import format_figure
from newsroom.models.precompiled import run_precompiled
from newsroom.models.querysets import under_view_restriction

register = template.Library()


@register.filter
def key_figure(figure):
    """A key figure block value as printed: "USD 1.2 billion"."""
    return format_figure(figure["value"], figure["unit"], figure["is_currency"])


@register.simple_tag
def role_on_release(page, official):
    """The role ``official`` held on the release ``page``, as recorded on it."""
    links = page.release_officials.all() if hasattr(page, "release_officials") else []
    for link in links:
        if link.official_id == official.pk:
            return link.role
    return official.role_on(getattr(page, "release_date", None))


SINGLE_VALUED = {"q", "from", "to"}


def _query_string(params):
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def filter_query(request, *drop):
    """The request's query string without ``page`` (and ``drop``): for feed links."""
    params = request.GET.copy()
    for key in ("page", *drop):
        params.pop(key, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@register.simple_tag
def without_filter(request, name, value):
    """A link to the same results with one filter value removed (back to page 1)."""
    params = request.GET.copy()
    params.pop("page", None)
    if name in SINGLE_VALUED:
        # The chip shows the cleaned value, which may be spelt unlike the URL's.
        params.pop(name, None)
        return _query_string(params)
    remaining = [v for v in params.getlist(name) if v != value]
    if remaining:
        params.setlist(name, remaining)
    else:
        params.pop(name, None)
    return _query_string(params)


@register.filter
def is_checked(option_slug, selected_slugs):
    return option_slug in selected_slugs


@register.filter
def get_field(form, name):
    """The bound field ``name`` of ``form``, or None."""
    return form[name] if name in form.fields else None


@register.simple_tag(takes_context=True)
def release_jsonld(context, release):
    request = context["request"]
    newsroom = release.get_parent()
    crumbs = [
        ("Home", "/"),
        (newsroom.title, newsroom.url),
        (release.title, release.url),
    ]
    return seo.jsonld_script(
        [seo.release_jsonld(release, request), seo.breadcrumb_jsonld(request, crumbs)]
    )


@register.simple_tag(takes_context=True)
def person_jsonld(context, official):
    return seo.jsonld_script(seo.person_jsonld(official, context["request"]))


@register.simple_tag(takes_context=True)
def breadcrumb_jsonld(context, *names_and_paths):
    pairs = list(zip(names_and_paths[::2], names_and_paths[1::2], strict=True))
    return seo.jsonld_script(seo.breadcrumb_jsonld(context["request"], pairs))


# What a facet option counts, by listing: "(3 releases)", "(3 events)".
COUNTED = {
    "releases": lambda count: ngettext("release", "releases", count),
    "events": lambda count: ngettext("event", "events", count),
}


@lru_cache(maxsize=4096)
def counted_noun(language, counted, count):
    """The noun after a count ("releases"), escaped: asked for every option of
    every facet, hundreds a page, and the same few words each time."""
    return escape(COUNTED[counted](count))


@register.simple_tag
def facet_option_items(group, options, counted="releases"):
    """The checkboxes of one facet, as list items.

    Built here rather than by including a template per option: a listing offers
    every official and topic (hundreds of options), and one include each was most
    of the page's rendering time at archive scale. Names and slugs are escaped
    (by the standard library's escape, which Django's wraps: its laziness check
    per call cost more than the escaping, over hundreds of options);
    the rest are numbers and fixed words.
    """
    name = escape(group.name)
    # Counts scaled from a sample say so (newsroom/finder/broad_search.py).
    about = escape(gettext("about")) + " " if getattr(group, "estimated", False) else ""
    language = get_language()
    items = []
    # One f-string an option: str.format with keywords was half of its time.
    for option in options:
        count = int(option.count)
        slug = escape_text(option.slug)
        label = escape_text(str(option.label))
        checked = " checked" if option.selected else ""
        noun = counted_noun(language, counted, count)
        items.append(
            f'<li class="facet__option depth-{int(option.depth)}">'
            f'<label for="f-{name}-{slug}"><input type="checkbox" id="f-{name}-{slug}"'
            f' name="{name}" value="{slug}"{checked}> '
            f'<span class="facet__label">{label}</span> <span class="facet__count">'
            f'({about}{count}<span class="visually-hidden"> {noun}</span>)</span>'
            "</label></li>"
        )
    # Every value was escaped above.
    return mark_safe("\n".join(items))


@register.inclusion_tag("components/upcoming_events.html", takes_context=True)
def upcoming_events(context, listing_page, kind=None, entity=None):
    """The next events of the agenda under ``listing_page`` (the home page or a
    newsroom), or of one hub's entity there."""
    # The view restrictions as a subquery: Wagtail's public() reads them all in
    # a query of its own first, on every hub.
    agenda = (
        AgendaPage.objects.live()
        .filter(~under_view_restriction())
        .descendant_of(listing_page)
        .first()
    )
    request = context.get("request")
    calendar = {}
    if agenda is not None and entity is not None and request is not None:
        # The hub's own path (the view redirected to its preferred slug), so the
        # calendar follows the hub's filter: /news/sectors/<slug>/calendar.ics.
        https_url = request.build_absolute_uri(f"{request.path}calendar.ics")
        calendar = {
            "calendar_url": https_url,
            "webcal_url": "webcal://" + https_url.split("://", 1)[1],
        }
    return {
        "request": request,
        "upcoming": agenda_finder.upcoming_events(agenda, kind, entity),
        "agenda_url": agenda.url if agenda else "",
        **calendar,
    }


@register.inclusion_tag("components/release_agenda.html")
def release_agenda(release):
    """ "Announced in the agenda on ...": the events readers may see that name the
    release as their outcome (newsroom/models/agenda.py:EventOutcome)."""
    events = []
    if getattr(release, "pk", None):
        events = run_precompiled(events_announcing, (), release_id=release.pk)
    return {"agenda_events": events}


def events_announcing(release_id):
    """The query of :func:`release_agenda`, compiled once per process
    (newsroom/models/precompiled.py): building it took as long as running it, on
    every release page. The view restrictions as a subquery, as for the upcoming
    block."""
    return (
        EventPage.objects.live()
        .filter(~under_view_restriction(), outcomes__release_id=release_id)
        .distinct()
        .order_by("start", "pk")
    )
