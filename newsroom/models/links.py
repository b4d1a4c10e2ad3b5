"""What a release links: its officials (with the role of the day), sectors,
regions, organisations, regulations and related releases, in the editor's order;
and the one shape of link table that releases and events share."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    PageChooserPanel,
)
from wagtail.models import Orderable

from newsroom import kinds


def part_of_release(related_name):
    """The key of a row that is part of a release (a link, a correction, a
    topic): saved with it, in its revisions, and deleted with it."""
    return ParentalKey(
        "newsroom.PressReleasePage",
        related_name=related_name,
        on_delete=models.CASCADE,
    )


class ReleaseOfficial(Orderable):
    """An official on a release, with the role held that day."""

    page = part_of_release("release_officials")
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


def page_link_model(
    name,
    module,
    *,
    page,
    field,
    to,
    constraint,
    back="release_links",
    verbose_name=None,
    **extra,
):
    """``name``: an orderable row linking a page (``page``, its ParentalKey) to
    one ``to`` row, once per page, in the editor's order. Releases and agenda
    events link their entities, and releases their media contacts, through
    tables of this one shape; ``extra`` adds what a table has besides (an
    official's role of the day)."""
    meta = {
        "constraints": [
            models.UniqueConstraint(fields=["page", field], name=constraint)
        ]
    }
    if verbose_name:
        meta["verbose_name"] = verbose_name
    attributes = {
        "__module__": module,
        "page": page,
        field: models.ForeignKey(to, on_delete=models.PROTECT, related_name=back),
        "panels": [FieldPanel(field)],
        "Meta": type("Meta", (Orderable.Meta,), meta),
        **extra,
    }
    return type(name, (Orderable,), attributes)


def release_link_model(kind):
    """``Release<Model>``: a release's link to an entity of ``kind``."""
    return page_link_model(
        kind.link_model_name,
        __name__,
        page=part_of_release(kind.release_links),
        field=kind.link_field,
        to=f"newsroom.{kind.model_name}",
        constraint=f"unique_release_{kind.name}",
    )


# Officials' links carry a role (ReleaseOfficial above) and topics' are taggit's
# rows (newsroom/models/taxonomy.py); the other kinds' links are plain.
ReleaseOrganisation, ReleaseSector, ReleaseRegion, ReleaseRegulation = (
    release_link_model(kinds.get(name))
    for name in ("organisation", "sector", "region", "regulation")
)


class RelatedRelease(Orderable):
    page = part_of_release("related_links")
    release = models.ForeignKey(
        "newsroom.PressReleasePage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("release", "newsroom.PressReleasePage")]
