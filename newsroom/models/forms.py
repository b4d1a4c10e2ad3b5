"""Admin forms that need more than the model gives them."""

import datetime
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import widgets
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.forms.models import register_form_field_override
from wagtail.models import Revision

from newsroom import kinds
from newsroom.models.form_errors import (
    describe_stream_errors,
    replace_duplicate_messages,
)
from newsroom.models.links import link_quoted
from newsroom.models.regulations import link_cited
from newsroom.models.topic_field import use_topics_field


class EmbargoLinkForm(WagtailAdminModelForm):
    """An embargo link's expiry may be left blank: it then ends at the release's
    go-live time (EmbargoLink.clean), the moment the public page takes over."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.fields.get("page")
        if page is not None:
            # A list of the releases that can have links (those scheduled), not
            # a page chooser that opens at the root of both languages' trees.
            # Offered: those scheduled; any other choice is refused by the
            # model's own check, which says why.
            offered = scheduled_releases(page.queryset, self.instance.page_id)
            page.widget = forms.Select(
                choices=[
                    ("", "---------"),
                    *((r.pk, scheduled_release_label(r)) for r in offered),
                ]
            )
            page.help_text = _(
                "Releases scheduled to go live later; the time is their go-live."
            )
        field = self.fields.get("expires_at")
        if field is not None:
            field.required = False
            field.help_text = _(
                "Leave blank to end the link when the release goes live; from then "
                "on it leads to the public release. Give an earlier time to end it "
                "sooner."
            )


def scheduled_releases(queryset, current_pk=None):
    revisions = Revision.page_revisions.filter(
        object_id=Cast(OuterRef("pk"), models.CharField()),
        approved_go_live_at__isnull=False,
    ).order_by("approved_go_live_at")
    return (
        queryset.annotate(
            scheduled_at=Subquery(revisions.values("approved_go_live_at")[:1])
        )
        .filter(models.Q(scheduled_at__isnull=False) | models.Q(pk=current_pk))
        .select_related("locale")
        .order_by("scheduled_at", "title")
    )


def scheduled_release_label(release):
    language = release.locale.get_display_name()
    if release.scheduled_at is None:
        return f"{release.title} ({language})"
    when = timezone.localtime(release.scheduled_at)
    zone = timezone.get_current_timezone_name()
    return f"{release.title} ({language}) — goes live {when:%-d %b %Y %H:%M} {zone}"


# --- dates as editors type them ------------------------------------------------------
# Mirrored by static/js/admin-dates.js, which reads them in the browser; keep the two
# in step. Day before month always, as in Indonesia and Britain ("1/12/2026" is
# 1 December): Django's English input formats would read it as 12 January.

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "januari", "jan"),
            ("february", "februari", "feb", "pebruari", "peb"),
            ("march", "maret", "mar"),
            ("april", "apr"),
            ("may", "mei"),
            ("june", "juni", "jun"),
            ("july", "juli", "jul"),
            ("august", "agustus", "aug", "agu", "agt", "ags"),
            ("september", "sep", "sept"),
            ("october", "oktober", "oct", "okt"),
            ("november", "nov", "nop", "nopember"),
            ("december", "desember", "dec", "des"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = (
    "monday mon tuesday tue tues wednesday wed thursday thu thurs friday fri "
    "saturday sat sunday sun senin selasa rabu kamis jumat jum'at sabtu minggu ahad"
).split()

_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_MONTH_NAME = r"(?P<month_name>[^\W\d_]+)"
_DATE_PATTERNS = [
    re.compile(rf"^{_YEAR}[-/.](?P<month>\d{{1,2}})[-/.]{_DAY}$"),
    re.compile(rf"^{_DAY}[-/.](?P<month>\d{{1,2}})[-/.]{_YEAR}$"),
    re.compile(rf"^{_DAY}[\s-]+{_MONTH_NAME}[\s-]+{_YEAR}$"),
    re.compile(rf"^{_MONTH_NAME}\s+{_DAY}\s+{_YEAR}$"),
]
_TIME = re.compile(
    r"^(?P<rest>.*?)(?:\s+|T|\s*,\s*)(?:at\s+|pukul\s+|jam\s+)?"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?:wib|wita|wit))?$",
    re.IGNORECASE,
)


def parse_typed_date(text):
    """The date in ``text`` as an editor types it, in English or Indonesian, or
    None: 2026-12-01, 1/12/2026, 01.12.2026, 1 December 2026, 1 Desember 2026,
    Dec 1, 2026, Senin, 1 Desember 2026. Nothing ambiguous is guessed: two-digit
    years and unknown words are refused."""
    words = re.sub(r"[,\s]+", " ", text.strip().lower()).strip(" .")
    first, _space, rest = words.partition(" ")
    if first.rstrip(".,") in WEEKDAYS and rest:
        words = rest
    words = re.sub(r"(?<=[^\W\d_])\.", "", words)  # "Dec." -> "Dec"
    for pattern in _DATE_PATTERNS:
        match = pattern.match(words)
        if match is None:
            continue
        parts = match.groupdict()
        month = parts.get("month")
        month = MONTHS.get(parts["month_name"]) if month is None else int(month)
        if month is None:
            return None
        try:
            return datetime.date(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            return None
    return None


def parse_typed_datetime(text):
    """A typed date with an optional time of day ("1/12/2026 09:00", "1 Desember
    2026 pukul 09.00"); naive, in the current time zone; None if unreadable."""
    text = text.strip()
    match = _TIME.match(text)
    date_text, time = text, datetime.time()
    if match:
        date_text = match["rest"]
        try:
            time = datetime.time(
                int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
            )
        except ValueError:
            return None
    date = parse_typed_date(date_text)
    return datetime.datetime.combine(date, time) if date else None


DATE_HINT = _("Type the date as 2026-12-01, 1/12/2026 or 1 December 2026.")


class TypedDateField(forms.DateField):
    """A date field that reads what editors type (see parse_typed_date) and refuses
    anything else with a message that says what it expects."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": DATE_HINT}

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            parsed = parse_typed_date(value)
            if parsed is not None:
                return parsed
        return super().to_python(value)


class TypedDateTimeField(forms.DateTimeField):
    input_formats = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
    default_error_messages = {
        "invalid": _(
            "Type the date and time as 2026-12-01 09:00, 1/12/2026 09:00 or "
            "1 December 2026 09:00."
        )
    }

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            parsed = parse_typed_datetime(value)
            if parsed is not None:
                return from_current_timezone(parsed)
        return super().to_python(value)


# Every admin form built from a model (pages, snippets, inline panels) takes these,
# the publishing panel's go-live and expiry times included. Registered here, as
# this module is imported while the models load, before any admin form is built.
register_form_field_override(
    models.DateField,
    override={"widget": widgets.AdminDateInput, "form_class": TypedDateField},
)
register_form_field_override(
    models.DateTimeField,
    override={"widget": widgets.AdminDateTimeInput, "form_class": TypedDateTimeField},
)


def unique_links():
    """{inline relation: the field in it that must not repeat}: each kind's link
    rows on the release form ("release_sectors": "sector"); topics are a tag
    field, not rows."""
    links = {}
    for kind in kinds.KINDS:
        page = kind.link_model._meta.get_field(kind.page_field.removesuffix("_id"))
        links[page.remote_field.related_name] = kind.link_field
    return links


class LinksOnceForm(WagtailAdminPageForm):
    """A page form whose links to entities each name an entity once, with a
    message that says which (the formset's own says "Please correct the
    duplicate data for page and sector")."""

    # {relation: entity field}; None for a release's (unique_links()).
    link_relations = None

    def is_valid(self):
        # The inline formsets are only validated inside super().is_valid(), after
        # the form's own clean(); checks across them have to come afterwards.
        valid = super().is_valid()
        # modelcluster stops validating formsets at the first invalid one (all()
        # short-circuits); the others would be validated only while rendering,
        # after the checks below, with Django's messages.
        for formset in self.formsets.values():
            formset.errors  # noqa: B018 - validates the formset
        if "body" in self.fields:
            describe_stream_errors(self, "body")
        for relation, field in (self.link_relations or unique_links()).items():
            formset = self.formsets.get(relation)
            if formset is not None and self.reject_repeats(formset, field):
                valid = False
        if valid:
            self.fill_blank_roles()
        return valid

    def fill_blank_roles(self):
        pass

    def linked_forms(self, formset):
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("DELETE"):
                yield form

    def reject_repeats(self, formset, field):
        """Name an entity listed twice; True if there was one."""
        seen, repeated = set(), False
        for form in self.linked_forms(formset):
            # The formset's own unique check may already have removed the field
            # from cleaned_data; the instance still holds the choice.
            chosen_id = getattr(form.instance, f"{field}_id", None)
            if chosen_id is None:
                continue
            if chosen_id in seen:
                chosen = getattr(form.instance, field)
                label = formset.model._meta.get_field(field).related_model
                message = replace_duplicate_messages(
                    formset, form, chosen, label._meta.verbose_name_plural.capitalize()
                )
                self.add_error(None, message)
                repeated = True
            seen.add(chosen_id)
        return repeated


class PressReleaseForm(LinksOnceForm):
    """Checks that need the inline officials as well as the page fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_topics_field(self)

    def save(self, commit=True):
        # Citations in the text of regulations in the register, and officials
        # quoted in the body, become links, in the revision too (the page is
        # saved as a revision after this).
        page = super().save(commit=False)
        self.linked_from_text = link_cited(page)
        link_quoted(page)
        if commit:
            page.save()
            self.save_m2m()
        return page

    def fill_blank_roles(self):
        """A blank role takes the official's appointment on the release date, so a
        reshuffle never rewrites old releases."""
        formset = self.formsets.get("release_officials")
        release_date = self.cleaned_data.get("release_date")
        if formset is None or release_date is None:
            return
        for form in self.linked_forms(formset):
            link = form.instance
            if link.official_id and not (link.role or "").strip():
                link.role = link.official.role_on(release_date)
                form.cleaned_data["role"] = link.role


class EventForm(LinksOnceForm):
    """An event's times typed and shown in its own zone; once public, a confirmed
    event moved, or any event postponed or cancelled, needs a public reason,
    written to its change log with iCalendar's sequence raised."""

    change_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the change",
        help_text="Needed when a confirmed event moves, or an event is postponed or "
        "cancelled: shown on the event's page and in the calendars and feeds.",
    )
    link_relations = {
        **{kind.event_links: kind.link_field for kind in kinds.KINDS},
        "outcomes": "release",
    }
    # The change needing a reason, by the change log's codes.
    NEEDS_REASON = ("moved", "postponed", "cancelled")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        zone = event.zone
        for name in ("start", "end"):
            value = getattr(event, name)
            if value is not None and not self.is_bound:
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)
        pending = [change for change in event.changes.all() if change.pk is None]
        if pending and not self.is_bound:
            self.initial["change_reason"] = pending[-1].reason

    def typed_zone(self, cleaned):
        """The zone the times were typed in, or None (with the field's error)
        when it is not one: the model's own check comes only after clean()."""
        zone_name = cleaned.get("timezone")
        if not zone_name or "timezone" in self.errors:
            return None
        try:
            return ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            self.add_error(
                "timezone",
                f"“{zone_name}” is not a time zone; use a name such as Asia/Makassar.",
            )
            return None

    def published(self):
        """The event as readers see it now (the page row of a live page), or None
        before its first publish."""
        if not self.instance.pk:
            return None
        model = type(self.instance)
        return model.objects.filter(pk=self.instance.pk, live=True).first()

    def clean(self):
        cleaned = super().clean()
        zone = self.typed_zone(cleaned)
        if zone is not None:
            # Typed as the invitation says it: in the event's zone, not the
            # editor's.
            typed_in = timezone.get_current_timezone()
            for name in ("start", "end"):
                value = cleaned.get(name)
                if value is not None:
                    cleaned[name] = timezone.make_naive(value, typed_in).replace(
                        tzinfo=zone
                    )
        self.public_change = None
        published = self.published()
        if published is not None:
            self.public_change = public_change(published, cleaned)
            reason = cleaned.get("change_reason", "").strip()
            if needs_reason(self.public_change, published) and not reason:
                self.add_error(
                    "change_reason",
                    f"Give the public reason: this public event is "
                    f"{CHANGE_WORDS[self.public_change]}.",
                )
        return cleaned

    def save(self, commit=True):
        event = super().save(commit=False)
        published = self.published()
        if published is not None:
            self.log_change(event, published)
        # A blank role is the appointment on the event's own date, in its zone
        # (00:30 WIT on the 2nd is the 1st in UTC).
        day = event.start.astimezone(event.zone).date()
        for link in event.event_officials.all():
            if link.official_id and not (link.role or "").strip():
                link.role = link.official.role_on(day)
        if commit:
            event.save()
            self.save_m2m()
        return event

    def log_change(self, event, published):
        """One pending entry per publish: saving a draft twice rewrites it."""
        changes = list(event.changes.all())
        pending = next((c for c in reversed(changes) if c.pk is None), None)
        if self.public_change is None:
            event.sequence = published.sequence
            # A move (or status change) written to the log by an earlier save of
            # this draft, since undone: readers would be told of a change that
            # never reaches them. An editor's own "updated" note stays.
            if pending is not None and pending.change != "updated":
                changes.remove(pending)
                event.changes = changes
            return
        event.sequence = published.sequence + 1
        reason = self.cleaned_data.get("change_reason", "").strip()
        if pending is None:
            pending = event.changes.model()
            changes.append(pending)
        pending.change = self.public_change
        pending.reason = reason or pending.reason or CHANGE_WORDS[self.public_change]
        pending.made_at = timezone.now()
        if self.public_change == "moved":
            pending.previous_start = published.start
        event.changes = changes


CHANGE_WORDS = {
    "moved": "moved to another time",
    "postponed": "postponed",
    "cancelled": "cancelled",
    "confirmed": "confirmed",
    "updated": "updated",
}


def needs_reason(change, published):
    """Whether readers are owed a reason for ``change`` of the ``published``
    event: it is postponed or cancelled, or it was confirmed and moves."""
    if change not in EventForm.NEEDS_REASON:
        return False
    return change != "moved" or published.status == published.Status.CONFIRMED


def public_change(published, cleaned):
    """What readers will see change, by the change log's codes, or None."""
    status = cleaned.get("status", published.status)
    if status != published.status and status in ("cancelled", "postponed"):
        return status
    if cleaned.get("start") != published.start or cleaned.get("end") != published.end:
        return "moved"
    if status != published.status:
        return "confirmed" if status == "confirmed" else "updated"
    for name in ("place", "address", "title"):
        if (cleaned.get(name) or "") != (getattr(published, name) or ""):
            return "updated"
    return None
