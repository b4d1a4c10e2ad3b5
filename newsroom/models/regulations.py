"""The register of regulations releases cite: laws, government and presidential
regulations, ministers' and regions' regulations, with the chain of which
amends or revokes which (the sixth kind, newsroom/kinds.py)."""

import functools
import operator

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, Panel
from wagtail.search import index

from newsroom import citations, kinds
from newsroom.models.entities import Entity
from newsroom.models.links import ReleaseRegulation
from newsroom.models.listed import known_to_readers, marked_public_field
from newsroom.models.references import ReferenceIndexedOncePerSave
from newsroom.models.translations import (
    EntityTranslation,
    translations_of,
    translations_panel,
)


class RegulationForm(WagtailAdminModelForm):
    """The admin's form: the chain as submitted, not as stored, may not name the
    regulation itself."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            for field in ("amends", "revokes"):
                if any(
                    other.pk == self.instance.pk for other in cleaned.get(field) or []
                ):
                    self.add_error(field, "A regulation cannot amend or revoke itself.")
        return cleaned


class Regulation(Entity, ReferenceIndexedOncePerSave, index.Indexed, ClusterableModel):
    """One regulation, named and found the way JDIH describes it: type, number,
    year. Its name ("Law No. 3 of 2020") and slug ("law-3-2020") are made from
    those three, so every citation of it resolves to this one row."""

    # Stored as the citations table's codes ("law"), shown by English name.
    TYPE_CHOICES = [(t.code, t.english) for t in citations.TYPES]

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("Amended")
        REVOKED = "revoked", _("Revoked")

    type = models.CharField(max_length=40, choices=TYPE_CHOICES)
    number = models.CharField(max_length=30, help_text="As it is cited, e.g. 3 or 12A.")
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    name = models.CharField(
        max_length=255,
        editable=False,
        help_text="Made from the type, number and year: “Law No. 3 of 2020”.",
    )
    slug = models.SlugField(max_length=255, unique=True, editable=False)
    title = models.CharField(
        max_length=500,
        help_text="What it concerns, e.g. “Amendments to Law Number 4 of 2009 "
        "concerning Mineral and Coal Mining”.",
    )
    enacted = models.DateField(
        null=True, blank=True, help_text="The date it was enacted (ditetapkan)."
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.IN_FORCE,
        help_text="Set for you when a regulation in the register amends or revokes "
        "this one.",
    )
    amends = ParentalManyToManyField(
        "self", symmetrical=False, blank=True, related_name="amended_by"
    )
    revokes = ParentalManyToManyField(
        "self", symmetrical=False, blank=True, related_name="revoked_by"
    )
    url = models.URLField(
        "official text",
        max_length=500,
        blank=True,
        help_text="Optional link to the official text, e.g. on peraturan.go.id.",
    )
    marked_public = marked_public_field()

    base_form_class = RegulationForm
    panels = [
        FieldRowPanel([FieldPanel("type"), FieldPanel("number"), FieldPanel("year")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("enacted"), FieldPanel("status")]),
        FieldPanel("amends"),
        FieldPanel("revokes"),
        FieldPanel("url"),
        FieldPanel("marked_public"),
        translations_panel(),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("title"),
        index.AutocompleteField("name"),
        index.AutocompleteField("title"),
        index.FilterField("type"),
        index.FilterField("year"),
    ]

    class Meta:
        ordering = ["-year", "type", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "number", "year"],
                name="unique_regulation",
                violation_error_message="This regulation is in the register already.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def type_info(self):
        return citations.BY_CODE[self.type]

    @property
    def type_label(self):
        """The type's name in the active language: the register's own names
        (“Peraturan Presiden”), not interface strings to translate."""
        if (translation.get_language() or "").split("-")[0] == "id":
            return self.type_info.indonesian
        return self.type_info.english

    def clean(self):
        self.number = normalised_number(self.number)
        self.fill_name()
        super().clean()
        if self.pk and self.pk in {
            *(r.pk for r in self.amends.all()),
            *(r.pk for r in self.revokes.all()),
        }:
            raise ValidationError("A regulation cannot amend or revoke itself.")

    def fill_name(self):
        # An unknown type is the type field's own error (full_clean names it).
        if self.type in citations.BY_CODE and self.number and self.year:
            self.name = english_name(self.type, self.number, self.year)
            self.slug = citations.slug_for(self.type, self.number, self.year)

    def save(self, *args, **kwargs):
        self.number = normalised_number(self.number)
        self.fill_name()
        super().save(*args, **kwargs)
        self.settle_targets()
        self.name_in_every_language()

    def name_in_every_language(self):
        """Its translations' citations ("Undang-Undang Nomor 3 Tahun 2020")
        follow its type, number and year, as the English name does."""
        for row in self.translations.model.objects.filter(entity=self).select_related(
            "locale"
        ):
            name = self.local_name(row.locale.language_code)
            if row.name != name:
                row.name = name
                row.save(update_fields=["name"])

    def settle_targets(self):
        """What this one amends or revokes says so in its status: a revoked
        regulation stays revoked, an amended one is no longer simply in force."""
        Regulation.objects.filter(pk__in=[r.pk for r in self.revokes.all()]).exclude(
            status=self.Status.REVOKED
        ).update(status=self.Status.REVOKED)
        Regulation.objects.filter(
            pk__in=[r.pk for r in self.amends.all()], status=self.Status.IN_FORCE
        ).update(status=self.Status.AMENDED)

    def chain(self):
        """What this one amends and revokes, and what amends or revokes it, as
        (relation, regulations) pairs, naming only regulations readers may know
        of (a regulation drafted for an embargoed release stays unnamed)."""
        # One query for the four relations: each as an EXISTS on its through
        # table, the rows those of any.
        outer = models.OuterRef("pk")
        amends = Regulation.amends.through.objects
        revokes = Regulation.revokes.through.objects
        related = {
            "amends": amends.filter(from_regulation=self.pk, to_regulation=outer),
            "amended_by": amends.filter(to_regulation=self.pk, from_regulation=outer),
            "revokes": revokes.filter(from_regulation=self.pk, to_regulation=outer),
            "revoked_by": revokes.filter(to_regulation=self.pk, from_regulation=outer),
        }
        found = (
            known_to_readers(kinds.get("regulation"))
            .annotate(
                **{f"in_{name}": models.Exists(rows) for name, rows in related.items()}
            )
            .filter(
                functools.reduce(
                    operator.or_, (models.Q(**{f"in_{name}": True}) for name in related)
                )
            )
            .order_by("enacted", "year", "pk")
        )
        found = list(found)
        return [
            (name, [other for other in found if getattr(other, f"in_{name}")])
            for name in related
        ]

    def later_changes(self, since):
        """Amendments and revocations enacted after ``since`` (a release's date),
        for the note beside a citation: (relation, regulation) pairs. Reads the
        prefetched relations (the release page loads them)."""
        return [
            (relation, other)
            for relation in ("amended_by", "revoked_by")
            for other in getattr(self, relation).all()
            if other.enacted is None or other.enacted > since
        ]

    def local_name(self, language_code):
        """The citation in a language: “Undang-Undang Nomor 3 Tahun 2020”."""
        return name_in(language_code, self.type, self.number, self.year)


def english_name(type_code, number, year):
    """The regulation's name in English: “Law No. 3 of 2020”."""
    return f"{citations.BY_CODE[type_code].english} No. {number} of {year}"


def name_in(language_code, type_code, number, year):
    """The citation in a language: “Undang-Undang Nomor 3 Tahun 2020”."""
    if language_code.split("-")[0] == "id":
        indonesian = citations.BY_CODE[type_code].indonesian
        return f"{indonesian} Nomor {number} Tahun {year}"
    return english_name(type_code, number, year)


def normalised_number(number):
    """“03 ” and “3” are the same regulation number."""
    number = (number or "").strip()
    return number.lstrip("0") or number


class RegulationTranslation(EntityTranslation):
    entity = translations_of("newsroom.Regulation")
    name = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="The citation in this language (“Undang-Undang Nomor 3 Tahun "
        "2020”), made from the type, number and year.",
    )
    title = models.CharField(
        max_length=500, blank=True, help_text="What it concerns, in this language."
    )

    panels = [FieldPanel("locale"), FieldPanel("title"), FieldPanel("slug")]

    class Meta(EntityTranslation.Meta):
        verbose_name = "regulation translation"

    def save(self, *args, **kwargs):
        # Always the citation in this language: it follows the type and number.
        if self.locale_id:
            self.name = self.entity.local_name(self.locale.language_code)
        super().save(*args, **kwargs)


def cited_text(release):
    """Where a release cites regulations: its title, standfirst and the text of
    its body's blocks (what the search index reads of them)."""
    body = release.body
    parts = [release.title, release.standfirst]
    parts += body.stream_block.get_searchable_content(body)
    return "\n".join(part for part in parts if part)


def read_citations(release):
    """The release's citations: (regulations of the register it cites, in order of
    first citation; citations of regulations not in the register)."""
    first = {}
    for citation in citations.find_citations(cited_text(release)):
        first.setdefault(citation.slug, citation)
    found = Regulation.objects.in_bulk(list(first), field_name="slug")
    known = [found[slug] for slug in first if slug in found]
    unknown = [citation for slug, citation in first.items() if slug not in found]
    return known, unknown


def link_cited(release):
    """Add the regulations the release's text cites to its links, in memory (the
    admin's form and the importer save the release afterwards); return those
    added."""
    known, _unknown = read_citations(release)
    links = list(release.release_regulations.all())
    linked = {link.regulation_id for link in links}
    added = [regulation for regulation in known if regulation.pk not in linked]
    if added:
        # Numbered after the editor's own, as the admin's ordered panel numbers
        # them: unnumbered rows sort first on SQLite and last on PostgreSQL.
        release.release_regulations = [
            *links,
            *(
                ReleaseRegulation(regulation=regulation, sort_order=len(links) + n)
                for n, regulation in enumerate(added)
            ),
        ]
    return added


class CitationsPanel(Panel):
    """On the release form: which regulations the text cites, linked on save,
    and those cited but not in the register, each with a link to add it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/admin/citations_panel.html"

        def is_shown(self):
            return self.instance is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            known, unknown = read_citations(self.instance)
            add_url = reverse("wagtailsnippets_newsroom_regulation:add")
            context["known"] = known
            context["unknown"] = [
                (
                    citation,
                    citations.BY_CODE[citation.type],
                    add_url
                    + "?"
                    + urlencode(
                        {
                            "type": citation.type,
                            "number": citation.number,
                            "year": citation.year,
                        }
                    ),
                )
                for citation in unknown
            ]
            return context
