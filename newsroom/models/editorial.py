"""Editorial records: public corrections, embargo preview links, administrations."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from newsroom.models.forms import EmbargoLinkForm
from newsroom.models.links import part_of_release


class Correction(Orderable):
    """A dated public note ("Updated 2 October 2024: ...") shown on the release."""

    page = part_of_release("corrections")
    date = models.DateTimeField(
        default=timezone.now, help_text="When the correction was made; shown publicly."
    )
    note = models.TextField(help_text="What changed and why, in one or two sentences.")

    panels = [FieldPanel("date"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        ordering = ["date", "sort_order"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}: {self.note[:60]}"


def new_token():
    return secrets.token_urlsafe(32)


class EmbargoLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class EmbargoLink(models.Model):
    """A secret, expiring, revocable URL that shows a scheduled release early."""

    page = models.ForeignKey(
        "newsroom.PressReleasePage",
        on_delete=models.CASCADE,
        related_name="embargo_links",
        help_text="The scheduled release journalists may read before it goes live.",
    )
    recipient = models.CharField(
        max_length=255, help_text="Who the link is for, e.g. 'Reuters Jakarta desk'."
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    expires_at = models.DateTimeField(
        help_text="The link stops working at this time; usually the embargo time."
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="Set to revoke the link at once."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Set on personal links (sent from "Send embargoed copies"): the page then
    # carries the journalist's name as a mark of whose copy it is.
    journalist = models.ForeignKey(
        "newsroom.Journalist",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="embargo_links",
        editable=False,
    )

    objects = EmbargoLinkQuerySet.as_manager()

    base_form_class = EmbargoLinkForm

    panels = [
        FieldPanel("page"),
        FieldPanel("recipient"),
        FieldPanel("expires_at"),
        FieldPanel("revoked_at"),
    ]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.page.title} — {self.recipient}"

    def get_absolute_url(self):
        return f"/embargo/{self.token}/"

    def clean(self):
        # Checked when a link is issued (or moved to another release); an existing
        # link can always be revoked, even once its release is unscheduled.
        if self.page_id is None:
            return
        stored_page_id = (
            EmbargoLink.objects.filter(pk=self.pk)
            .values_list("page_id", flat=True)
            .first()
            if self.pk
            else None
        )
        revision = self.page.scheduled_revision
        if stored_page_id != self.page_id and revision is None:
            raise ValidationError(
                {"page": "Only a release scheduled for later can have embargo links."}
            )
        if self.expires_at is None:
            if revision is None:
                raise ValidationError(
                    {"expires_at": "The release has no go-live time: give one here."}
                )
            # One moment: the link ends as the release goes live.
            self.expires_at = revision.approved_go_live_at

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

    @classmethod
    def follow_go_live(cls, revision):
        """A page rescheduled by ``revision``: its links that ended at the old
        go-live time end at the new one, so the embargo and the links stay one
        moment (a link given a time of its own keeps it).

        Called as the new revision is saved with its time; Wagtail clears the
        old revision's time only afterwards, so it is still there to read.
        """
        new = revision.approved_go_live_at
        old = (
            revision.__class__.objects.filter(
                content_type_id=revision.content_type_id,
                object_id=revision.object_id,
                approved_go_live_at__isnull=False,
            )
            .exclude(pk=revision.pk)
            .values_list("approved_go_live_at", flat=True)
        )
        cls.objects.filter(
            page_id=revision.object_id,
            revoked_at__isnull=True,
            expires_at__in=list(old),
        ).exclude(expires_at=new).update(expires_at=new)


class EmbargoView(models.Model):
    """One opening of an embargo link: who saw the release before its time."""

    link = models.ForeignKey(
        EmbargoLink, on_delete=models.CASCADE, related_name="views"
    )

    class Document(models.TextChoices):
        PAGE = "page", "the page"
        PDF = "pdf", "the PDF"

    viewed_at = models.DateTimeField(auto_now_add=True)
    # What was opened: a PDF travels further than a page, so the press office
    # wants to know which copy a journalist took.
    document = models.CharField(
        max_length=8, choices=Document.choices, default=Document.PAGE
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-viewed_at"]


class GovernmentPeriod(index.Indexed, models.Model):
    """An administration (cabinet) and its term, for banners on archived releases."""

    name = models.CharField(
        max_length=255, help_text="e.g. 'Onward Indonesia Cabinet (2019–2024)'."
    )
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="Leave blank for the current administration."
    )

    panels = [FieldPanel("name"), FieldPanel("start_date"), FieldPanel("end_date")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "administration"

    def __str__(self):
        return self.name

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "A term cannot end before it starts."})

    @classmethod
    def current(cls):
        today = timezone.localdate()
        return cls._current_in(cls.objects.filter(start_date__lte=today), today)

    @classmethod
    def covering(cls, date):
        return cls._covering_in(cls.objects.filter(start_date__lte=date), date)

    @classmethod
    def terms(cls):
        """Every administration, newest first: a handful in a ministry's life."""
        return list(cls.objects.all())

    @classmethod
    def earlier_than_current(cls, date, terms=None):
        """The administration in office on ``date``, or None if that is today's
        (or none is recorded), among ``terms`` (:meth:`terms`); one query
        without them."""
        today = timezone.localdate()
        if terms is None:
            # Newest first (Meta.ordering): the few terms begun by then or by today.
            terms = cls.objects.filter(start_date__lte=max(date, today))
        covering = cls._covering_in(terms, date)
        current = cls._current_in(terms, today)
        if covering is None or current is None or covering.pk == current.pk:
            return None
        return covering

    @staticmethod
    def _current_in(periods, today):
        return next((p for p in periods if p.start_date <= today), None)

    @staticmethod
    def _covering_in(periods, date):
        return next(
            (
                p
                for p in periods
                if p.start_date <= date and (p.end_date is None or p.end_date >= date)
            ),
            None,
        )
