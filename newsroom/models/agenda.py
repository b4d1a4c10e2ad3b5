"""The agenda: press conferences, visits and signings to come, the second content
type on the same kinds (newsroom/kinds.py).

An event links officials, organisations, sectors, regions, topics and
regulations through link models made from the registry (``Event<Model>``), and
is listed in its own listing table (:class:`ListedEvent`) with the same arrays
as the releases' one, so the FilterSet, the facet counts, hubs and the public
rule for entities serve it as they serve releases.

Times are stored in UTC and shown and entered in the event's own zone
(Indonesia has three). Once public, a confirmed event moved, postponed or
cancelled carries a public reason in its change log, and its ``sequence``
(iCalendar's) goes up with every public change.
"""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from newsroom import kinds
from newsroom.models.caching import CachedPageMixin
from newsroom.models.forms import EventForm
from newsroom.models.links import page_link_model
from newsroom.models.listed import ListedRows, by_item

# The routes hand requests to the channels at run time, as the newsroom does.
from newsroom.models.pages import PressReleasePage, channels
from newsroom.models.querysets import load_event_links, under_view_restriction
from newsroom.models.search_indexing import IndexedWithRelations

# The zones of Indonesia first; any IANA zone is accepted for events abroad.
INDONESIAN_ZONES = [
    ("Asia/Jakarta", "WIB (Asia/Jakarta, UTC+7)"),
    ("Asia/Makassar", "WITA (Asia/Makassar, UTC+8)"),
    ("Asia/Jayapura", "WIT (Asia/Jayapura, UTC+9)"),
]
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def validate_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            f"“{value}” is not a time zone; use a name such as Asia/Makassar."
        ) from error


# The agenda's routes under its own path (AgendaPage), besides its listing.
AGENDA_ROUTES = frozenset({"feed"})


class AgendaPage(CachedPageMixin, RoutablePageMixin, Page):
    """/news/agenda/: events to come (soonest first), then past ones."""

    intro = models.TextField(blank=True, help_text="Shown above the events.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["newsroom.NewsroomPage"]
    subpage_types = ["newsroom.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "agenda"

    @path("")
    def listing(self, request):
        return channels().agenda.listing(request, self)

    @path("feed/")
    def feed(self, request):
        return channels().agenda.agenda_feed(request, self)


class EventPage(CachedPageMixin, IndexedWithRelations, Page):
    class Kind(models.TextChoices):
        PRESS_CONFERENCE = "press_conference", _("Press conference")
        VISIT = "visit", _("Visit")
        SIGNING = "signing", _("Signing")
        MEETING = "meeting", _("Meeting")
        HEARING = "hearing", _("Hearing")
        LAUNCH = "launch", _("Launch")
        OTHER = "other", _("Event")

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional")
        CONFIRMED = "confirmed", _("Confirmed")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    start = models.DateTimeField(
        help_text="In the event's time zone (below), as the invitation says it."
    )
    end = models.DateTimeField(
        null=True, blank=True, help_text="Optional; in the event's time zone."
    )
    timezone = models.CharField(
        "time zone",
        max_length=64,
        default="Asia/Jakarta",
        validators=[validate_zone],
        help_text="WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura, or the "
        "zone of a place abroad (e.g. Asia/Shanghai).",
    )
    # The start's date in the event's zone: what ?from= and ?to= filter by.
    event_date = models.DateField(editable=False, db_index=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    summary = models.TextField(
        blank=True, help_text="What will happen, in one or two sentences."
    )
    place = models.CharField(
        max_length=255, blank=True, help_text="e.g. Ministry of Industry, Jakarta"
    )
    address = models.TextField(blank=True)
    accreditation = models.TextField(
        blank=True,
        help_text="How journalists register: deadline, documents, where to go.",
    )
    media_contact_name = models.CharField(max_length=255, blank=True)
    media_contact_email = models.EmailField(blank=True)
    media_contact_phone = models.CharField(max_length=50, blank=True)
    # iCalendar's SEQUENCE: raised by every public change of time, place or status.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    base_form_class = EventForm

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("timezone")]),
        FieldPanel("change_reason"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("place"), FieldPanel("address")], heading="Where"),
        FieldPanel("accreditation"),
        MultiFieldPanel(
            [
                FieldPanel("media_contact_name"),
                FieldPanel("media_contact_email"),
                FieldPanel("media_contact_phone"),
            ],
            heading="Media contact",
        ),
        InlinePanel(
            "changes",
            heading="Public change log",
            label="Change",
            help_text="Written for you when a public event moves, is postponed or "
            "is cancelled; shown on the page and in the feeds.",
        ),
    ]
    relation_panels = [
        MultipleChooserPanel(
            kind.event_links,
            chooser_field_name=kind.link_field,
            heading=str(kind.plural_label),
            label=str(kind.label),
        )
        for kind in kinds.KINDS
    ] + [
        InlinePanel(
            "outcomes",
            heading="Outcome",
            label="Release",
            help_text="The releases this event produced, once it has taken place.",
        )
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(relation_panels, heading="Relations"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place"),
        index.SearchField("address"),
        # The names of whom and what it links, as a release's are: searching the
        # agenda for an official finds the events they attend.
        *(
            index.RelatedFields(
                kind.event_links,
                [index.RelatedFields(kind.link_field, [index.SearchField("name")])],
            )
            for kind in kinds.KINDS
        ),
        index.FilterField("event_date"),
    ]

    parent_page_types = ["newsroom.AgendaPage"]
    subpage_types = []

    class Meta:
        verbose_name = "event"

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.timezone or "Asia/Jakarta")

    @property
    def zone_abbreviation(self):
        """WITA, WIB, WIT, or the zone's own abbreviation at the start."""
        if self.timezone in ZONE_ABBREVIATIONS:
            return ZONE_ABBREVIATIONS[self.timezone]
        return self.local_start.tzname() if self.start else ""

    @property
    def local_start(self):
        return self.start.astimezone(self.zone) if self.start else None

    @property
    def local_end(self):
        return self.end.astimezone(self.zone) if self.end else None

    @property
    def has_taken_place(self):
        return (self.end or self.start) < timezone.now()

    def clean(self):
        super().clean()
        errors = {}
        # The agenda's own routes come before its children: an event at one of
        # those paths would be unreachable.
        if self.slug in AGENDA_ROUTES:
            errors["slug"] = f"'{self.slug}' is reserved for the agenda's own pages."
        if self.start and self.end and self.end < self.start:
            errors["end"] = "The end is before the start."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.start:
            self.event_date = self.start.astimezone(self.zone).date()
        may_be_listed = ListedEvent.may_change_on_save(self)
        result = super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None and may_be_listed:
            ListedEvent.refresh([self.pk])
        return result

    def linked(self, name):
        """The entities of the kind called ``name`` the event links, in order."""
        kind = kinds.get(name)
        links = getattr(self, kind.event_links).all()
        return [getattr(link, kind.link_field) for link in links]

    @property
    def officials(self):
        return list(self.event_officials.all())

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            # A preview shows unsaved links held in memory; only a stored event
            # has them loaded: every kind's with their entities in one query.
            load_event_links([self])
            prefetch_related_objects([self], "changes")
        context = super().get_context(request, *args, **kwargs)
        groups = [
            {"label": kind.plural_label, "entities": self.linked(kind.name)}
            for kind in kinds.KINDS
            if kind.name != "official"
        ]
        context["linked_groups"] = [group for group in groups if group["entities"]]
        # Why it was cancelled or postponed, beside the notice that says so.
        context["status_change"] = next(
            (
                change
                for change in sorted(
                    self.changes.all(), key=lambda c: c.made_at, reverse=True
                )
                if change.change == self.status
            ),
            None,
        )
        # Only releases readers may see: a draft outcome stays unnamed.
        context["outcome_releases"] = list(
            PressReleasePage.objects.published(for_loading=True).filter(
                agenda_outcomes__page=self
            )
        )
        return context


def event_link_model(kind):
    """``Event<Model>``: an event's link to an entity of ``kind``, in the
    editor's order (an official's with the role of the day)."""
    extra = {}
    if kind.name == "official":
        # Where its shape differs: who attends, in which capacity that day.
        extra["role"] = models.CharField(
            max_length=255,
            blank=True,
            help_text="Role at this event. Blank takes the official's appointment "
            "on the event's date.",
        )
        extra["panels"] = [FieldPanel(kind.link_field), FieldPanel("role")]
        extra["__str__"] = lambda link: (
            f"{link.official} — {link.role}" if link.role else str(link.official)
        )
    return page_link_model(
        kind.event_link_model_name,
        __name__,
        page=ParentalKey(
            EventPage, related_name=kind.event_links, on_delete=models.CASCADE
        ),
        field=kind.link_field,
        to=f"newsroom.{kind.model_name}",
        back="event_links",
        constraint=f"unique_event_{kind.name}",
        verbose_name=f"event's {kind.name}",
        **extra,
    )


EVENT_LINK_MODELS = {kind.name: event_link_model(kind) for kind in kinds.KINDS}
globals().update({model.__name__: model for model in EVENT_LINK_MODELS.values()})


class EventChange(Orderable):
    """A public change of an event: moved, postponed, cancelled, with why."""

    class Change(models.TextChoices):
        MOVED = "moved", _("Moved")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        CONFIRMED = "confirmed", _("Confirmed")
        UPDATED = "updated", _("Updated")

    page = ParentalKey(EventPage, related_name="changes", on_delete=models.CASCADE)
    made_at = models.DateTimeField(default=timezone.now)
    change = models.CharField(max_length=20, choices=Change.choices)
    reason = models.TextField(
        help_text="Shown publicly, e.g. “The minister's visit "
        "was moved at the request of the regency.”"
    )
    previous_start = models.DateTimeField(null=True, blank=True)

    panels = [
        FieldPanel("change"),
        FieldPanel("made_at"),
        FieldPanel("previous_start"),
        FieldPanel("reason"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "change"

    def __str__(self):
        return f"{self.get_change_display()}: {self.reason}"


class EventOutcome(Orderable):
    """A release the event produced: "Outcome: ..." on the event, "Announced in
    the agenda on ..." on the release."""

    page = ParentalKey(EventPage, related_name="outcomes", on_delete=models.CASCADE)
    release = models.ForeignKey(
        "newsroom.PressReleasePage",
        on_delete=models.CASCADE,
        related_name="agenda_outcomes",
    )

    panels = [PageChooserPanel("release", "newsroom.PressReleasePage")]


class ListedEvent(ListedRows):
    """The agenda's listing table: one row per event readers may see."""

    event = models.OneToOneField(
        EventPage, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    agenda = models.ForeignKey(AgendaPage, on_delete=models.CASCADE, related_name="+")
    event_date = models.DateField()
    start = models.DateTimeField()
    # Until when the event is to come: its end, or its start when it gives
    # none. An event under way (a three-day expo on its second day) is not past.
    ends = models.DateTimeField()

    item_field = "event"
    scope_field = "agenda"
    date_field = "event_date"

    class Meta:
        indexes = [models.Index(fields=["agenda", "start"], name="listed_event_start")]

    def __str__(self):
        return f"Listed event {self.pk}"

    @classmethod
    def visible(cls, item_ids):
        return [
            (
                pk,
                page_path,
                {"event_date": event_date, "start": start, "ends": end or start},
            )
            for pk, page_path, event_date, start, end in EventPage.objects.live()
            .filter(~under_view_restriction(), pk__in=item_ids)
            .order_by()
            .values_list("pk", "path", "event_date", "start", "end")
        ]

    @classmethod
    def linking_subtree(cls, kind, node):
        below = {f"{kind.link_field}__path__startswith": node.path}
        return kind.event_link_model.objects.filter(**below).values_list(
            "page_id", flat=True
        )

    @classmethod
    def linked(cls, item_ids):
        arrays = {}
        for kind in kinds.KINDS:
            pairs = list(
                kind.event_link_model.objects.filter(page_id__in=item_ids).values_list(
                    "page_id", f"{kind.link_field}_id"
                )
            )
            if kind.tree:
                pairs = with_ancestors(kind.model, pairs)
            arrays[kind.segment] = by_item(pairs)
        return arrays


def with_ancestors(tree_model, pairs):
    """(item, node) pairs plus (item, ancestor) for every ancestor of each node,
    once: a filter by a node includes what links anything below it."""
    paths = dict(
        tree_model.objects.filter(pk__in={node for _, node in pairs}).values_list(
            "pk", "path"
        )
    )
    prefixes = {
        node_path[:end]
        for node_path in paths.values()
        for end in range(tree_model.steplen, len(node_path) + 1, tree_model.steplen)
    }
    by_path = dict(
        tree_model.objects.filter(path__in=prefixes).values_list("path", "pk")
    )
    expanded = set()
    for item, node in pairs:
        node_path = paths.get(node, "")
        for end in range(tree_model.steplen, len(node_path) + 1, tree_model.steplen):
            expanded.add((item, by_path[node_path[:end]]))
    return sorted(expanded)


__all__ = [
    "AgendaPage",
    "EventChange",
    "EventOutcome",
    "EventPage",
    "ListedEvent",
    *(model.__name__ for model in EVENT_LINK_MODELS.values()),
]
