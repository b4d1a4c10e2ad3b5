"""What a release links: its officials (with the role of the day), sectors,
regions, organisations, and related releases, in the editor's order."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    PageChooserPanel,
)
from wagtail.models import Orderable


class ReleaseOfficial(Orderable):
    """An official on a release, with the role held that day."""

    page = ParentalKey(
        "newsroom.PressReleasePage",
        related_name="release_officials",
        on_delete=models.CASCADE,
    )
    official = models.ForeignKey(
        "newsroom.Official", on_delete=models.PROTECT, related_name="release_links"
    )
    role = models.CharField(
        max_length=255,
        blank=True,
        help_text="Role on this release, e.g. 'Secretary General, Ministry of "
        "Industry'. Blank takes the official's appointment on the release date.",
    )
    quoted = models.BooleanField(
        default=False, help_text="The release quotes this official."
    )

    panels = [FieldPanel("official"), FieldPanel("role"), FieldPanel("quoted")]

    class Meta(Orderable.Meta):
        verbose_name = "official on the release"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "official"], name="unique_release_official"
            )
        ]

    def __str__(self):
        return f"{self.official} — {self.role}" if self.role else str(self.official)

    def clean(self):
        # Freezes the title of the day, so a reshuffle never rewrites old releases.
        # (A new inline row in the admin has no page yet: the form fills it.)
        try:
            page = self.page
        except ObjectDoesNotExist:
            page = None
        if not self.role and self.official_id and page and page.release_date:
            self.role = self.official.role_on(page.release_date, page_language(page))


def page_language(page):
    """The language a page is written in (its roles are printed in it)."""
    return page.locale.language_code if page.locale_id else None


def link_quoted(release):
    """Officials the body quotes are officials of the release, marked quoted, so
    an editor does not enter them twice; return those added. In memory: the
    release form saves them with the release (and its revision)."""
    links = list(release.release_officials.all())
    by_official = {link.official_id: link for link in links}
    added = []
    for block in release.body.blocks_by_name("quote"):
        official = block.value.get("official")
        if official is None:
            continue
        link = by_official.get(official.pk)
        if link is None:
            role = (
                official.role_on(release.release_date, page_language(release))
                if release.release_date
                else ""
            )
            link = ReleaseOfficial(official=official, role=role or "")
            by_official[official.pk] = link
            links.append(link)
            added.append(official)
        link.quoted = True
    release.release_officials = links
    return added


class ReleaseSector(Orderable):
    page = ParentalKey(
        "newsroom.PressReleasePage",
        related_name="release_sectors",
        on_delete=models.CASCADE,
    )
    sector = models.ForeignKey(
        "newsroom.Sector", on_delete=models.PROTECT, related_name="release_links"
    )

    panels = [FieldPanel("sector")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "sector"], name="unique_release_sector"
            )
        ]


class ReleaseRegion(Orderable):
    page = ParentalKey(
        "newsroom.PressReleasePage",
        related_name="release_regions",
        on_delete=models.CASCADE,
    )
    region = models.ForeignKey(
        "newsroom.Region", on_delete=models.PROTECT, related_name="release_links"
    )

    panels = [FieldPanel("region")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "region"], name="unique_release_region"
            )
        ]


class ReleaseOrganisation(Orderable):
    page = ParentalKey(
        "newsroom.PressReleasePage",
        related_name="release_organisations",
        on_delete=models.CASCADE,
    )
    organisation = models.ForeignKey(
        "newsroom.Organisation", on_delete=models.PROTECT, related_name="release_links"
    )

    panels = [FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "organisation"], name="unique_release_organisation"
            )
        ]


class RelatedRelease(Orderable):
    page = ParentalKey(
        "newsroom.PressReleasePage",
        related_name="related_links",
        on_delete=models.CASCADE,
    )
    release = models.ForeignKey(
        "newsroom.PressReleasePage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("release", "newsroom.PressReleasePage")]
