"""/news/export.csv and each hub's export.csv: the filtered releases as a
spreadsheet, streamed.

The same :class:`ReleaseQuery` as the listing picks and orders the releases; the
rows are written chunk by chunk (ids, then one hydrated chunk of pages at a time),
so an export of the whole archive runs in constant memory.
"""

import csv
from collections import namedtuple
from itertools import islice

from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from wagtail.models import Page

from newsroom.finder.query import ReleaseQuery, hub_entity, hydrate
from newsroom.models import NewsroomPage, PressReleasePage
from newsroom.models.blocks import format_figure

CHUNK_SIZE = 500
FILENAME = "newsroom-releases.csv"
HEADER = [
    "date",
    "title",
    "url",
    "reference",
    "dateline",
    "officials",
    "organisations",
    "sectors",
    "regions",
    "topics",
    "key_figures",
    # Added after the first columns' order was published: new ones go last.
    "regulations",
    # The regions' Kemendagri codes, in the order of the regions column ("" where
    # a region has none, e.g. a foreign one).
    "region_codes",
]
# What ``hydrate`` needs of a result: its id.
ReleaseRef = namedtuple("ReleaseRef", "pk")
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def parameter_error_response(errors):
    """A plain-text 400 naming each bad parameter, for the non-HTML channels."""
    lines = [
        f"Invalid parameter “{name}”: {message}"
        for name, messages in errors.items()
        for message in messages
    ]
    return HttpResponse(
        "\n".join(lines) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def with_bodies(releases):
    """Load the bodies ``hydrate`` defers, for a whole chunk in one query."""
    bodies = dict(
        PressReleasePage.objects.filter(
            pk__in=[release.pk for release in releases]
        ).values_list("pk", "body")
    )
    for release in releases:
        release.body = bodies[release.pk]
    return releases


def formatted_figure(figure):
    return format_figure(figure["value"], figure["unit"], figure["is_currency"])


def ordered_id_chunks(results, size):
    """The ids of ``results`` in order, ``size`` at a time, from a single query.

    The database search backends expose the ordered queryset behind their results;
    other backends are read a window at a time.
    """
    if hasattr(results, "get_queryset"):
        results = results.get_queryset()
    if isinstance(results, QuerySet):
        ids = results.values_list("pk", flat=True).iterator(chunk_size=size)
        while chunk := list(islice(ids, size)):
            yield chunk
        return
    start = 0
    while chunk := [result.pk for result in results[start : start + size]]:
        yield chunk
        start += size


def safe_cell(value):
    """Neutralise spreadsheet formulas (CSV injection) with a leading apostrophe."""
    value = "" if value is None else str(value)
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def joined(values):
    return "; ".join(str(value) for value in values)


def official_label(link):
    return f"{link.official.name} ({link.role})" if link.role else link.official.name


def release_row(release, request):
    return [
        release.release_date.isoformat(),
        release.title,
        release.get_full_url(request),
        release.reference,
        release.dateline,
        joined(official_label(link) for link in release.release_officials.all()),
        joined(organisation.name for organisation in release.organisations),
        joined(sector.name for sector in release.sectors),
        joined(region.name for region in release.regions),
        joined(topic.name for topic in release.sorted_topics()),
        joined(
            f"{figure['label']}: {formatted_figure(figure)}"
            for figure in release.key_figures()
        ),
        joined(regulation.name for regulation in release.regulations),
        joined(region.kemendagri_code for region in release.regions),
    ]


class Echo:
    """A file-like object whose ``write`` hands back the line csv.writer made."""

    def write(self, value):
        return value


def csv_lines(query, request):
    writer = csv.writer(Echo())
    yield writer.writerow(HEADER)
    for ids in ordered_id_chunks(query.results, CHUNK_SIZE):
        for release in with_bodies(hydrate(map(ReleaseRef, ids))):
            yield writer.writerow(
                [safe_cell(cell) for cell in release_row(release, request)]
            )


# The newsroom's routes (newsroom/models/pages.py) that have an export beside them.
EXPORTED_ROUTES = {"listing", "hub", "figures"}


def serve_export_csv(request, path=""):
    """``<newsroom or hub path>export.csv`` for site/urls.py, ahead of Wagtail's
    catch-all.

    Wagtail serves only paths whose segments are letters, digits, ``-`` and ``_``
    and end in a slash, so the newsroom's own ``export.csv`` routes are unreachable
    through it. This routes ``path`` the way Wagtail does; the listing and each hub
    have an export, the listing's scoped to it. Any other route under the newsroom
    (a hub index, a feed) would otherwise have exported the whole newsroom.
    """
    page = Page.find_for_request(request, path)
    if not isinstance(page, NewsroomPage) or not all(
        restriction.accept_request(request)
        for restriction in page.get_view_restrictions()
    ):
        raise Http404("No newsroom here.")
    route = getattr(request, "routable_resolver_match", None)
    if route is None or route.url_name not in EXPORTED_ROUTES:
        raise Http404("Nothing to export here.")
    subpath = "/export.csv"
    if route.url_name == "figures":
        subpath = "/figures/export.csv"
    if route.url_name == "hub":
        subpath = f"/{route.kwargs['kind']}/{route.kwargs['slug']}{subpath}"
    view, args, kwargs = page.resolve_subpage(subpath)
    return view(request, *args, **kwargs)


def export_csv(request, newsroom, kind=None, slug=None):
    """The newsroom's releases, or a hub's (``kind`` and ``slug``: 404 unless the
    hub itself would answer), filtered by the request."""
    entity = hub_entity(kind, slug) if kind else None
    query = ReleaseQuery(request, newsroom, kind, entity)
    if query.errors:
        return parameter_error_response(query.errors)
    response = StreamingHttpResponse(
        csv_lines(query, request), content_type="text/csv; charset=utf-8"
    )
    filename = FILENAME
    if entity is not None:
        filename = f"newsroom-{kind}-{entity.slug}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
