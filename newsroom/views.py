"""Thin views: each hands the request to the shared queryset and a template."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.template.response import TemplateResponse

from newsroom.queries import published_releases, with_listing_relations


def paginate(request, queryset, per_page):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such page of results.") from error


def listing(request, newsroom_page):
    from django.conf import settings

    releases = published_releases().descendant_of(newsroom_page)
    page_obj = paginate(
        request, with_listing_relations(releases), settings.NEWSROOM_PAGE_SIZE
    )
    return TemplateResponse(
        request,
        "newsroom/newsroom_page.html",
        {
            **newsroom_page.get_context(request),
            "page_obj": page_obj,
            "releases": page_obj.object_list,
        },
    )
