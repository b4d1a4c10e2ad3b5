"""The figures tracker: /news/figures/ (HTML), its CSV and /api/v2/figures/ (JSON).

All three read :func:`newsroom.finder.figures.figure_totals` over the same
:class:`ReleaseQuery` as the listing, so they show the same numbers.
"""

import csv

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from newsroom.channels.api_parameters import ParameterError, requested_locale
from newsroom.channels.charts import year_charts
from newsroom.channels.exports import Echo, parameter_error_response, safe_cell
from newsroom.channels.page_cache import cached_response
from newsroom.finder.figures import GROUPS, GroupError, figure_totals, group_of
from newsroom.finder.query import ReleaseQuery
from newsroom.models import NewsroomPage
from newsroom.models.querysets import under_view_restriction

CSV_HEADER = [
    "group",
    "key",
    "label",
    "unit",
    "is_currency",
    "total",
    "figures",
    "releases",
    "url",
]


def checked_query(request, newsroom):
    """(query, group, errors): the listing's filters and the tracker's group."""
    query = ReleaseQuery(request, newsroom)
    errors = dict(query.errors)
    try:
        group = group_of(request.GET)
    except GroupError as error:
        errors["group"] = [str(error)]
        group = None
    return query, group, errors


def tracker(request, newsroom, export=None):
    """The tracker page, or with ``export`` its CSV."""
    query, group, errors = checked_query(request, newsroom)
    newsroom_url = newsroom.get_url(request)
    if export:
        if errors:
            return parameter_error_response(errors)
        return totals_csv(figure_totals(query, group, newsroom_url), request)
    totals = figure_totals(query, group or "year", newsroom_url)
    context = {
        **newsroom.get_context(request),
        "newsroom_url": newsroom_url,
        "query": query,
        "filterset": query.filterset,
        "form": query.filterset.form,
        "facets": query.facets(),
        "active_filters": query.filterset.active_filters,
        "figure_totals": totals,
        "groups": GROUPS,
        "group_error": errors.get("group"),
        "charts": year_charts(
            totals
            if totals.group == "year"
            else figure_totals(query, "year", newsroom_url)
        ),
        "export_query": request.GET.urlencode(),
        "canonical_url": request.build_absolute_uri(f"{newsroom_url}figures/"),
        # Each combination of filters is its own page of numbers, not content to
        # index: only the plain tracker is.
        "robots": "noindex, follow" if request.GET else None,
    }
    return TemplateResponse(request, "newsroom/figures_page.html", context)


def csv_rows(totals, request):
    def absolute(url):
        return request.build_absolute_uri(url) if url else ""

    for total in totals.totals:
        yield ["all", "", "", *total_cells(total), absolute(totals.url)]
    for group in totals.groups:
        key = "" if group.key is None else group.key
        for total in group.totals:
            yield [
                totals.group,
                key,
                group.label,
                *total_cells(total),
                absolute(group.url),
            ]


def total_cells(total):
    return [
        total.unit,
        "true" if total.is_currency else "false",
        str(total.value),
        total.figures,
        total.releases,
    ]


def csv_lines(totals, request):
    writer = csv.writer(Echo())
    yield writer.writerow(CSV_HEADER)
    for row in csv_rows(totals, request):
        yield writer.writerow([safe_cell(cell) for cell in row])


def totals_csv(totals, request):
    # Streamed as the releases' export is, so both CSVs answer alike (the totals
    # themselves are computed before the first line).
    response = StreamingHttpResponse(
        csv_lines(totals, request), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"newsroom-figures-by-{totals.group}.csv"
    )
    return response


def totals_json(totals, request, locale):
    def absolute(url):
        return request.build_absolute_uri(url) if url else None

    return {
        "group": totals.group,
        "locale": locale,
        "url": absolute(totals.url),
        "totals": [total.as_json() for total in totals.totals],
        "groups": [
            {
                "key": group.key,
                "label": group.label,
                "url": absolute(group.url),
                "totals": [total.as_json() for total in group.totals],
            }
            for group in totals.groups
        ],
    }


def figures_api(request):
    """/api/v2/figures/?group=...&<listing parameters>&locale=..."""
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"message": _("Only GET is allowed.")}, status=405)
    return cached_response(request, lambda: build_api_response(request))


def build_api_response(request):
    try:
        locale = requested_locale(request)
    except ParameterError as error:
        return JsonResponse({"message": str(error), "errors": error.errors}, status=400)
    newsroom = (
        NewsroomPage.objects.live()
        .filter(~under_view_restriction(), locale=locale)
        .first()
    )
    if newsroom is None:
        raise Http404("There is no newsroom in this locale.")
    code = locale.language_code
    with translation.override(code):
        query, group, errors = checked_query(request, newsroom)
        if errors:
            error = ParameterError(errors)
            return JsonResponse(
                {"message": str(error), "errors": error.errors}, status=400
            )
        totals = figure_totals(query, group, newsroom.get_url(request))
        return JsonResponse(totals_json(totals, request, code))
