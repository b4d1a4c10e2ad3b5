"""The releases readers may see, and what the channels load of them.

``PressReleasePage.objects.published()`` is where every public channel starts:
live, public, not withdrawn. The listing table (newsroom/models/listed.py) holds
exactly these releases; the cards and lists load them with what they show.
"""

from django.db.models import Exists, F, OuterRef, Prefetch, Value
from django.db.models.functions import Substr
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from newsroom import kinds

# What a card names besides the release, as ``card_<kind>s``
# (templates/components/release_card.html), by kind.
CARD_KINDS = ("official", "sector", "region")


class PressReleaseQuerySet(PageQuerySet):
    def published(self, for_loading=False):
        """Live, public, not withdrawn releases, newest first.

        ``live`` excludes drafts and scheduled releases, ``public`` those behind a
        view restriction, and a withdrawn release keeps its URL but leaves every
        listing.

        Wagtail's ``public()`` first reads every view restriction in a query of its
        own; ``for_loading`` asks the same by a subquery instead (one query less),
        for releases loaded by id. Wagtail's search backends cannot filter by such
        a subquery, so a queryset that may be searched keeps ``public()``.
        """
        releases = self.live()
        if for_loading:
            releases = releases.filter(~under_view_restriction())
        else:
            releases = releases.public()
        return releases.filter(withdrawn=False).order_by("-release_date", "-id")

    def for_cards(self):
        """The release fields a card shows, without the body."""
        return self.defer_streamfields().select_related("locale")

    def with_listing_relations(self):
        """Everything the feeds, the API and the CSV export show of a release in a
        list, in a fixed number of queries: every kind's links and the hero
        image."""
        return (
            self.for_cards()
            .select_related("hero_image")
            .prefetch_related(*release_link_prefetches(), "hero_image__renditions")
        )

    def with_feed_relations(self):
        """What a feed's entry shows: its categories (sectors, regions, topics),
        its author (the first organisation) and its corrections."""
        return self.for_cards().prefetch_related(
            *release_link_prefetches("sector", "region", "topic", "organisation"),
            "corrections",
        )

    def with_api_relations(self):
        """What the API shows of a release: every kind's links, and the body
        (key figures), but no picture."""
        return self.select_related("locale").prefetch_related(
            *release_link_prefetches()
        )


def release_link_prefetches(*names):
    """Every kind's links of a release (or those of the kinds ``names``), each
    with its entity in one query (a plain "links__entity" prefetch takes two),
    in the editor's order."""
    return [
        Prefetch(
            kind.release_links,
            queryset=kind.link_model.objects.select_related(kind.link_field),
        )
        for kind in kinds.KINDS
        if not names or kind.name in names
    ]


PressReleaseManager = PageManager.from_queryset(PressReleaseQuerySet)


def under_view_restriction():
    """A page at or below a page with a view restriction: Wagtail's ``public()``
    as a subquery, where ``public()`` first reads every restriction in a query
    of its own. Tree paths are prefixes of their descendants' paths."""
    restricted_ancestor = PageViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
    ).filter(page__path=F("prefix"))
    return Exists(restricted_ancestor)


def with_card_links(releases):
    """``releases`` as a list, each with the officials, sectors and regions its
    card names (``card_officials``, ...), in the editor's order, from one query.

    The links are read as plain values and carried as EntityRefs, which the
    name and URL filters take like entities: model instances of three link
    kinds and their entities were most of the time a page of cards took.
    """
    releases = list(releases)
    ids = [release.pk for release in releases]
    parts = []
    for name in CARD_KINDS:
        kind = kinds.get(name)
        entity = kind.link_field
        parts.append(
            kind.link_model.objects.filter(page_id__in=ids)
            .order_by()
            .annotate(kind=Value(name))
            .values_list(
                "kind",
                "page_id",
                "sort_order",
                "pk",
                f"{entity}_id",
                f"{entity}__name",
                f"{entity}__slug",
            )
        )
    rows = parts[0].union(*parts[1:], all=True) if ids else []
    linked = {}
    for kind, page_id, _order, _link, *entity in sorted(
        rows, key=lambda row: (row[2] is None, row[2] or 0, row[3])
    ):
        linked.setdefault((page_id, kind), []).append(kinds.EntityRef(kind, *entity))
    for release in releases:
        for kind in CARD_KINDS:
            setattr(release, f"card_{kind}s", linked.get((release.pk, kind), []))
    return releases
