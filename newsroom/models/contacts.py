"""Media contacts: whom a journalist calls about a release.

A contact is one row whatever the language (as the entities are, see
newsroom/models/translations.py): its role and the languages it speaks are
translated in ``MediaContactTranslation``. Organisations name their default
contacts in order; a release names its own, in order.

Which contacts a release shows (``contacts_of``): its own when the editor chose
any, else the default contacts of its organisations, in the organisations' order.
The fallback is read when the release is shown, not copied on save, so a press
office changing its duty officer updates every release that named nobody, and an
editor who picks contacts always gets exactly those.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from newsroom.models.images import picture_field
from newsroom.models.links import page_link_model, part_of_release
from newsroom.models.translations import (
    Translation,
    one_per_locale,
    translations_of,
)


class MediaContact(index.Indexed, ClusterableModel):
    name = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=255,
        unique=True,
        help_text="Names the vCard, e.g. /news/contacts/<slug>.vcf. Blank: made "
        "from the name.",
        blank=True,
    )
    role = models.CharField(
        max_length=255, blank=True, help_text="e.g. Head of Public Relations Bureau"
    )
    organisation = models.ForeignKey(
        "newsroom.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="media_contacts",
    )
    phone = models.CharField(
        max_length=50, blank=True, help_text="International form, e.g. +62 21 525 5509"
    )
    email = models.EmailField(blank=True)
    languages = models.CharField(
        max_length=255,
        blank=True,
        help_text="Languages spoken, e.g. English, Indonesian.",
    )
    photo = picture_field()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("languages"),
        FieldPanel("photo"),
        InlinePanel(
            "translations",
            heading="Translations",
            label="Translation",
            help_text="The role and languages in Indonesian.",
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.AutocompleteField("role"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "media contact"

    def __str__(self):
        return f"{self.name}, {self.role}" if self.role else self.name

    def clean(self):
        super().clean()
        if not self.phone and not self.email:
            raise ValidationError("Give a phone number or an email address, or both.")
        if self.phone and not set(self.phone) <= set("+0123456789 ()-./"):
            raise ValidationError(
                {"phone": "Digits, spaces and + ( ) - . / only, e.g. +62 21 525 5509."}
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:255] or "contact"
        super().save(*args, **kwargs)

    def text(self, field, code):
        """``role`` or ``languages`` in ``code``, else the English one (the
        translations are prefetched where contacts are listed)."""
        for translation in self.translations.all():
            if translation.locale.language_code == code:
                return getattr(translation, field) or getattr(self, field)
        return getattr(self, field)

    @property
    def tel(self):
        """The phone number as a ``tel:`` URI wants it (RFC 3966): + and digits."""
        return "".join(ch for ch in self.phone if ch == "+" or ch.isdigit())


class MediaContactTranslation(Translation):
    contact = translations_of(MediaContact)
    role = models.CharField(max_length=255, blank=True)
    languages = models.CharField(max_length=255, blank=True)

    panels = [FieldPanel("locale"), FieldPanel("role"), FieldPanel("languages")]

    class Meta:
        verbose_name = "media contact translation"
        constraints = [one_per_locale("contact", "contact")]

    def __str__(self):
        return f"{self.contact} ({self.locale})"


class OrganisationContact(Orderable):
    """A default contact of an organisation, for releases that name none."""

    organisation = ParentalKey(
        "newsroom.Organisation",
        on_delete=models.CASCADE,
        related_name="default_contacts",
    )
    contact = models.ForeignKey(
        MediaContact, on_delete=models.CASCADE, related_name="organisation_links"
    )

    panels = [FieldPanel("contact")]

    class Meta(Orderable.Meta):
        verbose_name = "default media contact"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "contact"], name="unique_organisation_contact"
            )
        ]


ReleaseContact = page_link_model(
    "ReleaseContact",
    __name__,
    page=part_of_release("release_contacts"),
    field="contact",
    to=MediaContact,
    constraint="unique_release_contact",
    verbose_name="media contact of the release",
)


def contacts_panel():
    return InlinePanel(
        "release_contacts",
        heading="Media contacts",
        label="Media contact",
        help_text="In the order shown. None chosen: the default contacts of the "
        "release's organisations are shown.",
    )


def contacts_of(release):
    """The contacts a release shows, in order (see the module's docstring).

    Its organisations' defaults are read only when it names none of its own, in
    two queries whatever their number.
    """
    links = release.release_contacts.all()
    contacts = [link.contact for link in links]
    if contacts:
        return contacts
    organisations = release.organisations
    models.prefetch_related_objects(organisations, default_contacts_prefetch())
    seen, defaults = set(), []
    for organisation in organisations:
        for link in organisation.default_contacts.all():
            if link.contact_id not in seen:
                seen.add(link.contact_id)
                defaults.append(link.contact)
    return defaults


def _contact_links(link_model):
    """Links with their contacts, organisations and photos in one query, the
    contacts' translations in a second."""
    translations = models.Prefetch(
        "contact__translations",
        queryset=MediaContactTranslation.objects.select_related("locale"),
    )
    return (
        link_model.objects.order_by("sort_order")
        .select_related("contact__organisation", "contact__photo")
        .prefetch_related(translations)
    )


def default_contacts_prefetch():
    return models.Prefetch(
        "default_contacts", queryset=_contact_links(OrganisationContact)
    )


def contact_prefetches(prefix=""):
    """What ``contacts_of`` reads of a release's own contacts: two queries."""
    return [
        models.Prefetch(
            f"{prefix}release_contacts", queryset=_contact_links(ReleaseContact)
        )
    ]
