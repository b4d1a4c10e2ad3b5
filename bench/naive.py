"""The listing as a straightforward Wagtail + django-filter site would write it.

Live descendants ordered by date, ``.specific`` and relations read per item, the
total count, and each facet option counted by its own ``count()`` query: the
same page of results, total and facet counts that the newsroom serves, without
any of its work. The benchmark times this against the real listing.
"""

from newsroom.models import (
    NewsroomPage,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    Sector,
    Topic,
)


def naive_listing(params, page_size=20):
    newsroom = NewsroomPage.objects.live().get(locale__language_code="en")
    releases = (
        PressReleasePage.objects.live()
        .descendant_of(newsroom)
        .filter(withdrawn=False)
        .order_by("-release_date")
    )
    chosen = {}
    for name, model in (("sector", Sector), ("region", Region)):
        slugs = params.get(name, [])
        if slugs:
            nodes = []
            for node in model.objects.filter(slug__in=slugs):
                nodes.extend(model.get_tree(node))
            chosen[name] = nodes
    if "sector" in chosen:
        releases = releases.filter(release_sectors__sector__in=chosen["sector"])
    if "region" in chosen:
        releases = releases.filter(release_regions__region__in=chosen["region"])
    if params.get("from"):
        releases = releases.filter(release_date__gte=params["from"][0])
    if params.get("to"):
        releases = releases.filter(release_date__lte=params["to"][0])
    if params.get("q"):
        # Search cannot filter on relations; the usual way round is an id list.
        releases = PressReleasePage.objects.filter(
            pk__in=list(releases.values_list("pk", flat=True))
        ).search(params["q"][0], order_by_relevance=False)
    else:
        releases = releases.distinct()
    total = releases.count()
    items = []
    for page in releases[:page_size]:
        release = page.specific
        items.append(
            {
                "title": release.title,
                "url": release.url,
                "officials": [
                    link.official.name for link in release.release_officials.all()
                ],
                "sectors": [link.sector.name for link in release.release_sectors.all()],
                "regions": [link.region.name for link in release.release_regions.all()],
                "topics": [topic.name for topic in release.topics.all()],
            }
        )
    base = (
        PressReleasePage.objects.live().descendant_of(newsroom).filter(withdrawn=False)
    )
    facets = {}
    for name, model, lookup in (
        ("official", Official, "release_officials__official"),
        ("organisation", Organisation, "release_organisations__organisation"),
        ("topic", Topic, "tagged_topics__tag"),
    ):
        facets[name] = {
            entity.slug: base.filter(**{lookup: entity}).distinct().count()
            for entity in model.objects.all()
        }
    for name, model, lookup in (
        ("sector", Sector, "release_sectors__sector__in"),
        ("region", Region, "release_regions__region__in"),
    ):
        facets[name] = {
            node.slug: base.filter(**{lookup: model.get_tree(node)}).distinct().count()
            for node in model.objects.all()
        }
    return {"total": total, "items": items, "facets": facets}
