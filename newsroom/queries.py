"""The published-releases queryset every public channel starts from."""

from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.functions import Substr
from wagtail.models import Page, PageViewRestriction

from newsroom.models import (
    PressReleasePage,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseSector,
)


def published_releases():
    """Live, public, not withdrawn releases, newest first.

    ``live`` excludes drafts and scheduled releases, ``public`` those behind a view
    restriction, and a withdrawn release keeps its URL but leaves every listing.
    """
    return (
        PressReleasePage.objects.live()
        .filter(~under_view_restriction())
        .filter(withdrawn=False)
        .order_by("-release_date", "-id")
    )


def under_view_restriction():
    """A page at or below a page with a view restriction: Wagtail's ``public()``
    as a subquery, where ``public()`` first reads every restriction in a query
    of its own. Tree paths are prefixes of their descendants' paths."""
    restricted_ancestor = PageViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
    ).filter(page__path=F("prefix"))
    return Exists(restricted_ancestor)


def with_card_relations(queryset):
    """What a release card shows besides the release: its officials, sectors and
    regions (templates/components/release_card.html), one query each."""
    return (
        queryset.defer_streamfields()
        .select_related("locale")
        .prefetch_related(
            Prefetch(
                "release_officials",
                queryset=ReleaseOfficial.objects.select_related("official").order_by(
                    "sort_order"
                ),
            ),
            # Each link with its entity in one query (a plain "links__entity"
            # prefetch takes two).
            Prefetch(
                "release_sectors",
                queryset=ReleaseSector.objects.select_related("sector"),
            ),
            Prefetch(
                "release_regions",
                queryset=ReleaseRegion.objects.select_related("region"),
            ),
        )
    )


def with_listing_relations(queryset):
    """Everything the feeds, the API and the CSV export show of a release in a
    list, in a fixed number of queries: the card's links, its organisations,
    topics and hero image."""
    return (
        with_card_relations(queryset)
        .select_related("hero_image")
        .prefetch_related(
            Prefetch(
                "release_organisations",
                queryset=ReleaseOrganisation.objects.select_related("organisation"),
            ),
            "topics",  # taggit refuses a custom queryset here; sort when showing
            "hero_image__renditions",
        )
    )
