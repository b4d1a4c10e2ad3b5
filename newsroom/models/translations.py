"""Names and texts of officials, organisations, sectors, regions and topics in the
site's other languages (Indonesian), one table per kind of entity.

Why not Wagtail's ``TranslatableMixin``: it makes a second row per locale, so
/id/news/sectors/x/ would be another sector than /news/sectors/x/, with its own
releases, counts and alert subscriptions, and every release link would have to be
duplicated per language. Here an entity stays one row whatever the language:
releases in both languages link to it, filters, hubs and counts see the same
entity, and an alert subscription (canonical English slugs) is language-neutral.
A translation only gives the entity's name (and texts) in one more locale, and
optionally a slug of its own that resolves to the same entity.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Locale

from newsroom import kinds


def other_languages():
    """The locales a translation may be in: any but the default (English), whose
    name is the entity's own."""
    return ~Q(language_code=settings.LANGUAGE_CODE)


def default_translation_locale():
    """The first other locale (Indonesian), so editors need not pick it."""
    locale = (
        Locale.objects.filter(other_languages()).order_by("pk").values("pk").first()
    )
    return locale["pk"] if locale else None


def translations_panel():
    """The entry's translations, edited inline on the entry's own form."""
    return InlinePanel(
        "translations",
        heading="Translations",
        label="Translation",
        help_text="The name (and texts) in Indonesian. Releases, filters, hubs and "
        "alerts stay shared between the languages.",
    )


def translations_of(model):
    """A translation's key to the row it translates (``row.translations``)."""
    return ParentalKey(model, on_delete=models.CASCADE, related_name="translations")


def one_per_locale(field, noun):
    """A row has at most one translation per language."""
    return models.UniqueConstraint(
        fields=[field, "locale"],
        name="%(app_label)s_%(class)s_one_per_locale",
        violation_error_message=f"This {noun} already has a translation in that "
        "language.",
    )


class Translation(models.Model):
    """One row of texts in one locale; the subclass adds the ParentalKey."""

    locale = models.ForeignKey(
        "wagtailcore.Locale",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=other_languages,
        default=default_translation_locale,
        verbose_name="language",
        help_text="The language of this translation (English is the entry itself).",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if (
            self.locale_id
            and Locale.objects.filter(
                pk=self.locale_id, language_code=settings.LANGUAGE_CODE
            ).exists()
        ):
            raise ValidationError(
                {
                    "locale": "English is the entry's own language: edit its name "
                    "above instead of adding an English translation."
                }
            )


class EntityTranslation(Translation):
    """A name and optional slug in one locale; the subclass names ``entity``."""

    name = models.CharField(
        max_length=255, help_text="The name as readers of this language read it."
    )
    slug = models.SlugField(
        max_length=255,
        blank=True,
        allow_unicode=True,
        help_text="Optional: a URL slug in this language, e.g. peleburan-nikel. "
        "Links in this language use it and the English slug keeps working. Leave "
        "blank to use the English slug.",
    )

    panels = [FieldPanel("locale"), FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        constraints = [
            one_per_locale("entity", "entry"),
            models.UniqueConstraint(
                fields=["slug"],
                condition=~Q(slug=""),
                name="%(app_label)s_%(class)s_unique_slug",
            ),
        ]

    def __str__(self):
        return f"{self.name or self.entity} ({self.locale})"

    @property
    def entity_model(self):
        return self._meta.get_field("entity").related_model

    def clean(self):
        super().clean()
        if self.slug:
            self.check_slug()

    def check_slug(self):
        """A slug finds one entity of its kind, in whichever language it is."""
        kind = self.entity_model._meta.verbose_name
        # None on a row just added in the admin (the inline form sets it on save).
        entity = getattr(self, "entity", None)
        if entity is not None and self.slug == entity.slug:
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” is this {kind}’s English slug already; "
                    "leave the field blank to use it."
                }
            )
        owner = (
            self.entity_model._default_manager.filter(slug=self.slug)
            .exclude(pk=self.entity_id)
            .first()
        )
        if owner is not None:
            raise ValidationError(
                {"slug": f"“{self.slug}” is the slug of the {kind} “{owner}”."}
            )
        other = (
            type(self)
            ._default_manager.filter(slug=self.slug)
            .exclude(pk=self.pk)
            .select_related("entity")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” is already the translated slug of the "
                    f"{kind} “{other.entity}”."
                }
            )


def translation_model_of(model):
    """The translation model of an entity model (Sector -> SectorTranslation), or
    None for a model without translations."""
    try:
        return kinds.of(model).translation_model
    except LookupError:
        return None


def translated_slug_owner(model, slug, exclude_pk=None):
    """The entity of ``model`` whose translation has ``slug``, or None: a canonical
    slug must not take a slug a translation already uses."""
    translation_model = translation_model_of(model)
    if not slug or translation_model is None:
        return None
    row = (
        translation_model._default_manager.filter(slug=slug)
        .exclude(entity_id=exclude_pk)
        .select_related("entity")
        .first()
    )
    return row.entity if row else None


def check_canonical_slug(entity):
    """For the entities' own ``clean()``: their slug against translated slugs."""
    if not entity.slug:
        return
    owner = translated_slug_owner(type(entity), entity.slug, exclude_pk=entity.pk)
    if owner is not None:
        kind = entity._meta.verbose_name
        raise ValidationError(
            {
                "slug": f"“{entity.slug}” is the translated slug of the {kind} "
                f"“{owner}”; choose another."
            }
        )


class OfficialTranslation(EntityTranslation):
    entity = translations_of("newsroom.Official")
    # People's names rarely change with the language.
    name = models.CharField(
        max_length=255,
        blank=True,
        help_text="Leave blank to use the name as it is; most names stay the same.",
    )
    bio = models.TextField(blank=True, help_text="The biography in this language.")

    panels = [*EntityTranslation.panels, FieldPanel("bio")]

    class Meta(EntityTranslation.Meta):
        verbose_name = "official translation"


class OrganisationTranslation(EntityTranslation):
    entity = translations_of("newsroom.Organisation")
    country = models.CharField(
        max_length=100,
        blank=True,
        help_text="The country's name in this language, e.g. Tiongkok for China.",
    )
    boilerplate = models.TextField(
        blank=True, help_text="'About the organisation' in this language."
    )

    panels = [
        *EntityTranslation.panels,
        FieldPanel("country"),
        FieldPanel("boilerplate"),
    ]

    class Meta(EntityTranslation.Meta):
        verbose_name = "organisation translation"


class SectorTranslation(EntityTranslation):
    entity = translations_of("newsroom.Sector")
    description = models.TextField(
        blank=True, help_text="The description in this language."
    )

    panels = [*EntityTranslation.panels, FieldPanel("description")]

    class Meta(EntityTranslation.Meta):
        verbose_name = "sector translation"


class RegionTranslation(EntityTranslation):
    entity = translations_of("newsroom.Region")

    class Meta(EntityTranslation.Meta):
        verbose_name = "region translation"


class TopicTranslation(EntityTranslation):
    entity = translations_of("newsroom.Topic")
    name = models.CharField(
        max_length=100, help_text="The topic as readers of this language read it."
    )

    class Meta(EntityTranslation.Meta):
        verbose_name = "topic translation"


class AppointmentTranslation(Translation):
    """An official's position in another language, e.g. Menteri Perindustrian."""

    appointment = translations_of("newsroom.Appointment")
    position = models.CharField(
        max_length=255, help_text="The position in this language."
    )

    panels = [FieldPanel("locale"), FieldPanel("position")]

    class Meta:
        verbose_name = "position translation"
        constraints = [one_per_locale("appointment", "appointment")]

    def __str__(self):
        return self.position
