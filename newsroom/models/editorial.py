"""Editorial records attached to releases: public corrections."""

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class Correction(Orderable):
    """A dated public note ("Updated 2 October 2024: ...") shown on the release."""

    page = ParentalKey(
        "newsroom.PressReleasePage",
        related_name="corrections",
        on_delete=models.CASCADE,
    )
    date = models.DateTimeField(
        default=timezone.now, help_text="When the correction was made; shown publicly."
    )
    note = models.TextField(help_text="What changed and why, in one or two sentences.")

    panels = [FieldPanel("date"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        ordering = ["date", "sort_order"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}: {self.note[:60]}"
