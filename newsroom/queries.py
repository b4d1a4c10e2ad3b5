"""The published-releases queryset every public channel starts from."""

from django.db.models import Prefetch

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
        .public()
        .filter(withdrawn=False)
        .order_by("-release_date", "-id")
    )


def with_listing_relations(queryset):
    """Everything a release card shows, in a fixed number of queries."""
    return (
        queryset.defer_streamfields()
        .select_related("hero_image", "locale")
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
            Prefetch(
                "release_organisations",
                queryset=ReleaseOrganisation.objects.select_related("organisation"),
            ),
            "topics",  # taggit refuses a custom queryset here; sort when showing
            "hero_image__renditions",
        )
    )
