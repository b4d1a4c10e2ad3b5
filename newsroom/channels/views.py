"""Thin views: the listing, hubs and hub indexes render a ReleaseQuery."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import (
    F,
    Prefetch,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from newsroom import kinds
from newsroom.channels import region_map
from newsroom.channels.charts import month_chart
from newsroom.channels.seo import listing_canonical, listing_robots
from newsroom.finder import agenda as agenda_finder
from newsroom.finder import entity_names, meetings
from newsroom.finder.facets import facet_options
from newsroom.finder.filterset import FACETS
from newsroom.finder.query import (
    HUB_KINDS,
    ReleaseQuery,
    hub_entity,
    hydrate,
)
from newsroom.models import Appointment
from newsroom.models.querysets import with_card_links

HUB_TITLES = {kind.segment: kind.plural_label for kind in kinds.KINDS}


def paginate(request, results, per_page=None, count=None):
    paginator = Paginator(results, per_page or settings.NEWSROOM_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # known already: spare the COUNT query
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such page of results.") from error


def render_listing(request, newsroom, query, template, extra=None):
    results = query.results
    if isinstance(results, QuerySet):
        # hydrate() reloads the page's cards; here only their ids and order count,
        # and a page of bodies (StreamField JSON) costs more than the rest.
        results = results.only("pk")
    facet_counts = query.facet_counts
    page_obj = paginate(request, results, count=facet_counts.total)
    context = {
        **newsroom.get_context(request),
        "newsroom_url": newsroom.url,
        "query": query,
        "filterset": query.filterset,
        "form": query.filterset.form,
        "page_obj": page_obj,
        "releases": with_card_links(
            hydrate(page_obj.object_list, relations="for_cards")
        ),
        "result_count": page_obj.paginator.count,
        "result_count_estimated": facet_counts.total_estimated,
        "facets": facet_counts.groups,
        "active_filters": query.filterset.active_filters,
        "sort": query.filterset.sort_order,
        "canonical_url": listing_canonical(request, request.path, query.filterset),
        "robots": listing_robots(request, query.filterset),
        # One query (none when nothing matched): the filtered rows per month.
        "release_chart": month_chart(query, request.path)
        if facet_counts.total and not query.estimated
        else None,
        **(extra or {}),
    }
    return TemplateResponse(request, template, context)


def listing(request, newsroom):
    query = ReleaseQuery(request, newsroom, estimates=True)
    return render_listing(
        request,
        newsroom,
        query,
        "newsroom/newsroom_page.html",
        {"feed_path": "feed/", "export_path": "export.csv"},
    )


def hub(request, newsroom, kind, slug):
    entity = hub_entity(kind, slug)
    # One URL per hub and language: the other language's slug (or the English one
    # where this language has its own) leads to this language's.
    preferred = entity_names.localized_slug(entity)
    if slug != preferred:
        query_string = request.META.get("QUERY_STRING", "")
        url = f"{newsroom.get_url(request)}{kind}/{preferred}/"
        return redirect(f"{url}?{query_string}" if query_string else url)
    query = ReleaseQuery(request, newsroom, kind, entity, estimates=True)
    extra = {
        "entity": entity,
        "hub_kind": kind,
        "hub_title": HUB_TITLES[kind],
        "feed_path": f"{kind}/{preferred}/feed/",
        "export_path": f"{kind}/{preferred}/export.csv",
    }
    facet = FACETS[HUB_KINDS[kind]]
    if facet.is_tree:
        # A public node's parent is public (Facet.public), but not every child is.
        extra["hub_children"] = entity.get_children().filter(
            pk__in=facet.public().values("pk")
        )
        # The whole line in the query reading the parent would cost.
        ancestors = list(entity.get_ancestors())
        extra["hub_parent"] = ancestors[-1] if ancestors else None
        if kind == "regions":
            extra["region_map"] = region_map.for_hub(
                entity, ancestors, query.facet_group("region")
            )
    if kind == "organisations":
        if entity.parent_id is not None:
            extra["hub_parent"] = facet.public().filter(pk=entity.parent_id).first()
        # Only people readers may know of: an official appointed ahead of an
        # announcement must not be named before a release names them. Current
        # office holders first, on every database.
        people = entity.appointments.filter(official__in=FACETS["official"].public())
        extra["people"] = entity_names.appointments_with_translations(
            people.select_related("official")
        ).order_by(F("end_date").desc(nulls_first=True), "official__name")
        extra["met_by"] = meetings.ministry_officials_met(entity, newsroom)
    if kind == "officials":
        extra["counterparts"] = meetings.counterparts(entity, newsroom)
        appointments = Appointment.objects.select_related("organisation")
        prefetch_related_objects(
            [entity],
            Prefetch(
                "appointments",
                queryset=entity_names.appointments_with_translations(appointments),
            ),
        )
    template = [f"newsroom/hub_{HUB_KINDS[kind]}.html", "newsroom/hub.html"]
    return render_listing(request, newsroom, query, template, extra)


def hub_index(request, newsroom, kind):
    """Every entity of a kind with its number of published releases."""
    name = HUB_KINDS[kind]
    facet = FACETS[name]
    rows = agenda_finder.hub_counts(newsroom)[name]
    options = facet_options(facet, rows)
    events = {row["entity_id"]: row["events"] for row in rows}
    for option in options:
        option.events = events.get(option.entity.pk, 0)
    if not facet.is_tree:
        options.sort(key=lambda option: option.label.casefold())
    return TemplateResponse(
        request,
        "newsroom/hub_index.html",
        {
            **newsroom.get_context(request),
            "hub_kind": kind,
            "hub_title": HUB_TITLES[kind],
            "options": options,
            "is_tree": facet.is_tree,
            "region_map": region_map.for_index(options) if kind == "regions" else None,
        },
    )


def healthz(request):
    """For load balancers (and the benchmark's ceiling): no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
