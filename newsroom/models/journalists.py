"""Accredited journalists, and the log of the personal embargo links mailed to them.

A Moderator sends a scheduled release to some of them (newsroom/alerts/embargo_mail.py):
each gets an :class:`~newsroom.models.EmbargoLink` of their own, and one
:class:`EmbargoDelivery` row written before the email leaves, so the link is
mailed once however often the sending task runs.
"""

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from newsroom.models.alerts import Delivery


class Journalist(index.Indexed, models.Model):
    """A journalist accredited to receive releases before they go live."""

    name = models.CharField(max_length=255)
    outlet = models.CharField(
        max_length=255, help_text="e.g. 'Reuters, Jakarta bureau'; shown on the copy."
    )
    email = models.EmailField()
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the emails and of the link's page.",
    )
    active = models.BooleanField(
        default=True, help_text="Only active journalists can be sent embargoed copies."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("outlet"),
        FieldPanel("email"),
        FieldPanel("language"),
        FieldPanel("active"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("outlet"),
        index.AutocompleteField("name"),
        index.FilterField("active"),
    ]

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["email"], name="unique_journalist_email")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return f"{self.name}, {self.outlet}" if self.outlet else self.name


class EmbargoDelivery(Delivery):
    """The email carrying one personal embargo link: written before it is sent,
    claimed and marked as alert deliveries are (newsroom/alerts/delivery.py)."""

    link = models.OneToOneField(
        "newsroom.EmbargoLink", on_delete=models.CASCADE, related_name="delivery"
    )

    class Meta:
        indexes = [models.Index(fields=["status"], name="embargo_delivery_status_idx")]
        verbose_name_plural = "embargo deliveries"

    def __str__(self):
        return f"{self.link} ({self.get_status_display()})"
