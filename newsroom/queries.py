"""The published-releases queryset every public channel starts from."""

from django.db.models import Prefetch

from newsroom.models import PressReleasePage, ReleaseOfficial


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
            "release_sectors__sector",
            "release_regions__region",
            "release_organisations__organisation",
            "topics",  # taggit refuses a custom queryset here; sort when showing
            "hero_image__renditions",
        )
    )
