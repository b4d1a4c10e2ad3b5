"""Who appears in releases: officials with their appointments, and organisations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from newsroom.models.entities import Entity, SlugFromName
from newsroom.models.entity_forms import SlugFromNameForm
from newsroom.models.images import picture_field
from newsroom.models.listed import marked_public_field
from newsroom.models.references import ReferenceIndexedOncePerSave
from newsroom.models.translations import translations_panel


class Organisation(
    Entity, SlugFromName, ReferenceIndexedOncePerSave, index.Indexed, ClusterableModel
):
    class Kind(models.TextChoices):
        # Shown on the organisation's hub, in the page's language.
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        FOREIGN_GOVERNMENT = "foreign_government", _("Foreign government")
        COMPANY = "company", _("Company")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=255)
    acronym = models.CharField(max_length=30, blank=True, help_text="e.g. MIIT")
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    country = models.CharField(
        max_length=100,
        blank=True,
        help_text="Country the organisation belongs to, e.g. Indonesia, China.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The body this one belongs to, e.g. a directorate's ministry.",
    )
    website = models.URLField(blank=True)
    boilerplate = models.TextField(
        blank=True,
        help_text="'About the organisation': a paragraph or two that closes its "
        "releases, on the page and in the PDF.",
    )
    marked_public = marked_public_field()

    base_form_class = SlugFromNameForm

    panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("country"),
        FieldPanel("parent"),
        FieldPanel("website"),
        FieldPanel("boilerplate"),
        InlinePanel(
            "default_contacts",
            heading="Default media contacts",
            label="Media contact",
            help_text="Shown on its releases that name no contact of their own.",
        ),
        FieldPanel("marked_public"),
        translations_panel(),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("acronym"),
        index.AutocompleteField("name"),
        index.AutocompleteField("acronym"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": "An organisation cannot sit inside itself."}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        super().clean()


class Official(
    Entity, SlugFromName, ReferenceIndexedOncePerSave, index.Indexed, ClusterableModel
):
    name = models.CharField(
        max_length=255, help_text="Full name as printed in releases."
    )
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    honorific = models.CharField(
        max_length=50,
        blank=True,
        help_text="e.g. H.E., Dr., Ir. — shown before the name.",
    )
    portrait = picture_field()
    bio = models.TextField(
        blank=True, help_text="A short biography, two or three sentences."
    )
    marked_public = marked_public_field()

    base_form_class = SlugFromNameForm

    panels = [
        MultiFieldPanel(
            [FieldPanel("honorific"), FieldPanel("name"), FieldPanel("slug")],
            heading="Name",
        ),
        FieldPanel("portrait"),
        FieldPanel("bio"),
        InlinePanel(
            "appointments",
            heading="Appointments",
            label="Appointment",
            help_text="Positions over time; releases take the role of their date.",
        ),
        FieldPanel("marked_public"),
        translations_panel(),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("bio"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return f"{self.honorific} {self.name}" if self.honorific else self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The form lists appointments in their sort order, where a new one lands
        # last; after each save they read newest first, as the hub shows them.
        if self.pk is None:
            return
        appointments = list(
            Appointment.objects.filter(official_id=self.pk).order_by(
                "-start_date", "pk"
            )
        )
        moved = []
        for position, appointment in enumerate(appointments):
            if appointment.sort_order != position:
                appointment.sort_order = position
                moved.append(appointment)
        if moved:
            Appointment.objects.bulk_update(moved, ["sort_order"])

    def appointment_on(self, date=None):
        """The appointment held on ``date`` (default today in the newsroom's time
        zone), the latest to start if several overlap."""
        if date is None:
            date = timezone.localdate()
        held = [
            appointment
            for appointment in self.appointments.all()
            if appointment.covers(date)
        ]
        return max(held, key=lambda a: a.start_date, default=None)

    def role_on(self, date, language=None):
        """The role of ``date`` as printed in ``language`` (default English)."""
        appointment = self.appointment_on(date)
        return appointment.title_in(language) if appointment else ""


class Appointment(Orderable, ClusterableModel):
    official = ParentalKey(
        Official, related_name="appointments", on_delete=models.CASCADE
    )
    position = models.CharField(max_length=255, help_text="e.g. Secretary General")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="Leave blank while the appointment lasts."
    )

    panels = [
        FieldPanel("position"),
        FieldPanel("organisation"),
        FieldPanel("start_date"),
        FieldPanel("end_date"),
        InlinePanel(
            "translations",
            heading="Position in other languages",
            label="Position translation",
        ),
    ]

    class Meta(Orderable.Meta):
        ordering = ["-start_date", "sort_order"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "An appointment cannot end before it starts."}
            )

    @property
    def title(self):
        """The role as printed: "Secretary General, Ministry of Industry"."""
        if self.organisation_id:
            return f"{self.position}, {self.organisation.name}"
        return self.position

    def title_in(self, language=None):
        """The role as printed in ``language``: the position's and organisation's
        names in that language where they are translated, English where not."""
        if not language or language == settings.LANGUAGE_CODE:
            return self.title
        position = (
            self.translations.filter(locale__language_code=language)
            .values_list("position", flat=True)
            .first()
        ) or self.position
        if not self.organisation_id:
            return position
        organisation = (
            self.organisation.translations.filter(locale__language_code=language)
            .exclude(name="")
            .values_list("name", flat=True)
            .first()
        ) or self.organisation.name
        return f"{position}, {organisation}"

    def covers(self, date):
        return self.start_date <= date and (
            self.end_date is None or date <= self.end_date
        )
