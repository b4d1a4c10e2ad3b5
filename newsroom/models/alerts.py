"""Email alerts: readers subscribe to any filter of the listing and get its releases.

A subscription exists only once its address confirmed it (the pending state lives
in the signed link of the confirmation email, not in the database), and is
deleted, with its delivery log, when the reader unsubscribes. Matching and sending
live in newsroom/alerts/.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_language():
    return settings.LANGUAGE_CODE


class AlertFilter(models.Model):
    """One normalised filter: every subscription to the same filter shares it, so a
    release is tested once per distinct filter, however many subscribe to it."""

    query = models.CharField(
        max_length=2000,
        unique=True,
        help_text="Canonical query string, e.g. region=north-maluku&sector=nickel.",
    )
    description = models.CharField(
        max_length=500, help_text="The filter in words, as it was when first created."
    )
    facet_count = models.PositiveSmallIntegerField(
        default=0, help_text="How many facets (sector, region...) the filter narrows."
    )
    has_search = models.BooleanField(
        default=False, help_text="Whether the filter includes a full-text query."
    )
    agenda = models.BooleanField(
        default=False,
        help_text="Whether it follows the agenda's events rather than releases.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["query"]
        verbose_name = "alert filter"

    def __str__(self):
        return self.description or self.query or "All releases"

    def get_absolute_url(self):
        path = "/news/agenda/" if self.agenda else "/news/"
        # The agenda's marker is the query's first pair (alerts/criteria.py).
        query = self.query.removeprefix("of=agenda").lstrip("&")
        return f"{path}?{query}" if query else path


class AlertFilterTerm(models.Model):
    """A (facet, slug) the filter names: lets matching skip, in one query, every
    filter naming none of the entities a release belongs to."""

    filter = models.ForeignKey(
        AlertFilter, on_delete=models.CASCADE, related_name="terms"
    )
    facet = models.CharField(max_length=20)
    slug = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["filter", "facet", "slug"], name="unique_alert_filter_term"
            )
        ]
        indexes = [models.Index(fields=["facet", "slug"], name="alert_term_idx")]

    def __str__(self):
        return f"{self.facet}={self.slug}"


class AlertSubscription(models.Model):
    """A confirmed address following one filter."""

    class Frequency(models.TextChoices):
        # In the reader's language on the form and in every email.
        IMMEDIATE = "immediate", _("Immediately, one email per release")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")

    email = models.EmailField(db_index=True)
    filter = models.ForeignKey(
        AlertFilter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    language = models.CharField(max_length=10, default=default_language)
    confirmed_at = models.DateTimeField(
        default=timezone.now, help_text="When the address confirmed (consent)."
    )

    class Meta:
        ordering = ["email", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "filter"], name="unique_alert_subscription"
            )
        ]
        indexes = [
            models.Index(fields=["filter", "language"], name="alert_sub_filter_idx")
        ]

    def __str__(self):
        return f"{self.email}: {self.filter}"


class Delivery(models.Model):
    """An email's progress, for every kind the newsroom sends: written before it
    is sent, claimed, and marked by newsroom/alerts/delivery.py."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        # Left so by a kill once the message was handed over: never sent again.
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Refused by the mail server"
        SKIPPED = "skipped", "Not needed"

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class AlertDelivery(Delivery):
    """The send log: a row exists before its email is sent, so a release (or a
    correction notice) reaches a subscription once, and an interrupted send
    resumes with the rows still pending. A row turns "sending" just before the
    server can take its message (newsroom/alerts/core.py), with ``sent_at`` the moment
    of that hand-over until the server's answer sets it again."""

    class Kind(models.TextChoices):
        RELEASE = "release", "Release"
        CORRECTION = "correction", "Correction notice"
        # An event announced, or its public change (moved, cancelled...): one
        # per event ``sequence``, which every public change raises.
        EVENT = "event", "Agenda event"

    subscription = models.ForeignKey(
        AlertSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    release = models.ForeignKey(
        "newsroom.PressReleasePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_deliveries",
    )
    event = models.ForeignKey(
        "newsroom.EventPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_deliveries",
    )
    sequence = models.PositiveIntegerField(
        null=True, blank=True, help_text="The event's sequence the email is about."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RELEASE)
    correction = models.ForeignKey(
        "newsroom.Correction",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_deliveries",
    )
    frequency = models.CharField(
        max_length=10,
        choices=AlertSubscription.Frequency.choices,
        help_text="How it goes out: on its own, or in the daily or weekly digest.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "release", "kind"],
                condition=Q(correction__isnull=True),
                name="unique_alert_delivery",
            ),
            models.UniqueConstraint(
                fields=["subscription", "correction"],
                condition=Q(correction__isnull=False),
                name="unique_alert_correction_delivery",
            ),
            models.UniqueConstraint(
                fields=["subscription", "event", "sequence"],
                condition=Q(event__isnull=False),
                name="unique_alert_event_delivery",
            ),
            # A row is about a release or about an event, never neither or both.
            models.CheckConstraint(
                condition=Q(release__isnull=False, event__isnull=True)
                | Q(release__isnull=True, event__isnull=False, sequence__isnull=False),
                name="alert_delivery_release_or_event",
            ),
        ]
        indexes = [
            models.Index(fields=["release", "status"], name="alert_delivery_rel_idx"),
            models.Index(
                fields=["status", "frequency", "subscription"],
                name="alert_delivery_queue_idx",
            ),
        ]
        verbose_name_plural = "alert deliveries"

    def __str__(self):
        item = self.release_id or f"{self.event_id}#{self.sequence}"
        return f"{self.get_kind_display()} {item} → {self.subscription_id}"
