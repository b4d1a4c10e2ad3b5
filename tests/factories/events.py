"""The agenda: its page, events made through the page tree with their links, and
the event editor's form as the Wagtail admin posts it."""

import datetime
import zoneinfo

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale

from newsroom import kinds
from newsroom.models import EVENT_LINK_MODELS, AgendaPage, EventPage
from tests.factories.releases import default_newsroom
from tests.task_backend import published_now, tasks_held

# The links of an event, by the keyword make_event takes (the kind's segment):
# (relation, entity field, kind name); a topic's field is "tag", as a release's.
EVENT_LINKS = {
    kind.segment: (kind.event_links, kind.link_field, kind.name) for kind in kinds.KINDS
}


def default_agenda(newsroom=None):
    """The agenda under ``newsroom`` (the English one by default), published: found
    when it is there, made otherwise. Under a translated newsroom it is the
    English agenda's translation, as an editor would make it."""
    newsroom = newsroom or default_newsroom()
    found = AgendaPage.objects.child_of(newsroom).first()
    if found is not None:
        return found.specific
    if newsroom.locale != Locale.get_default():
        english = default_agenda()
        agenda = english.copy_for_translation(newsroom.locale)
        agenda.save_revision().publish()
        return AgendaPage.objects.get(pk=agenda.pk)
    agenda = AgendaPage(
        title="Agenda", slug="agenda", intro="Press conferences, visits, signings."
    )
    newsroom.add_child(instance=agenda)
    agenda.save_revision().publish()
    return AgendaPage.objects.get(pk=agenda.pk)


def in_zone(value, zone):
    """``value`` as an aware datetime: a naive one is read in ``zone``, as the
    invitation (and the editor) says it."""
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=zoneinfo.ZoneInfo(zone))


def make_event(
    title="A press conference",
    start=None,
    end=None,
    zone="Asia/Jakarta",
    officials=(),
    organisations=(),
    sectors=(),
    regions=(),
    topics=(),
    regulations=(),
    live=True,
    parent=None,
    **fields,
):
    """An event under the agenda, published unless ``live=False``.

    ``start`` and ``end`` are naive (in ``zone``) or aware datetimes; ``end`` may
    also be a timedelta after the start. ``officials`` takes Officials or
    (official, role) tuples. The event is made as the admin makes one: added as a
    draft, then its revision published.
    """
    parent = parent or default_agenda()
    start = in_zone(start or datetime.datetime(2030, 1, 15, 9, 0), zone)
    if isinstance(end, datetime.timedelta):
        end = start + end
    fields.setdefault("slug", slugify(title)[:80])
    fields.setdefault("status", EventPage.Status.CONFIRMED)
    page = EventPage(
        title=title, start=start, end=in_zone(end, zone), timezone=zone, **fields
    )
    given = {
        "officials": officials,
        "organisations": organisations,
        "sectors": sectors,
        "regions": regions,
        "topics": topics,
        "regulations": regulations,
    }
    for keyword, (relation, field, name) in EVENT_LINKS.items():
        model = EVENT_LINK_MODELS[name]
        rows = []
        # Numbered as the admin's ordered panels number them.
        for position, item in enumerate(given[keyword]):
            entity, role = item if isinstance(item, tuple) else (item, None)
            row = model(**{field: entity}, sort_order=position)
            if role is not None:
                row.role = role
            rows.append(row)
        setattr(page, relation, rows)
    page.live = False
    with tasks_held() as held:
        parent.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
            published_now(held, page)
    return EventPage.objects.get(pk=page.pk)


def republish(event, **changes):
    """Publish a new revision of ``event`` with ``changes`` set, as code (not the
    admin form) would: no change is logged and the sequence stays."""
    draft = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


# --- the admin's form ---------------------------------------------------------------


def event_admin_url(event=None, agenda=None, view="edit"):
    """The Wagtail admin add view (under ``agenda``) or a view of ``event``."""
    if event is None:
        return f"/admin/pages/add/newsroom/eventpage/{agenda.pk}/"
    return f"/admin/pages/{event.pk}/{view}/"


def local_text(value, zone):
    """A datetime as the admin's widget shows it in ``zone``."""
    if value is None:
        return ""
    return value.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def event_admin_form_data(event=None, action=None, **fields):
    """POST data of the event add/edit form, as the Wagtail admin sends it.

    With ``event``, the values of its latest revision are kept (what the edit
    form shows: times in the event's zone, the change log with its pending
    entry); ``fields`` override them. The relations (``event_sectors``,
    ``event_officials``...), ``changes`` and ``outcomes`` take lists of form
    dicts (existing rows need their ``id``). Times are typed in the event's zone
    ("2030-01-15 09:00"). ``action`` is "publish", "submit" or None (a draft).
    """
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    data = {
        "title": "Minister opens the smelter conference",
        "slug": "smelter-conference",
        "kind": "press_conference",
        "status": "confirmed",
        "start": "2030-01-15 09:00",
        "end": "",
        "timezone": "Asia/Jakarta",
        "change_reason": "",
        "summary": "",
        "place": "",
        "address": "",
        "accreditation": "",
        "media_contact_name": "",
        "media_contact_email": "",
        "media_contact_phone": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "changes": [],
        "outcomes": [],
        **{relation: [] for relation, _, _ in EVENT_LINKS.values()},
    }
    if event is not None:
        # Reloaded: the page row names its latest revision, which a save since
        # ``event`` was loaded may have moved on.
        draft = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
        zone = draft.timezone
        here = timezone.get_current_timezone_name()
        data.update(
            {
                name: getattr(draft, name) or ""
                for name in (
                    "title",
                    "slug",
                    "kind",
                    "status",
                    "summary",
                    "place",
                    "address",
                    "accreditation",
                    "media_contact_name",
                    "media_contact_email",
                    "media_contact_phone",
                    "seo_title",
                    "search_description",
                )
            },
            timezone=zone,
            start=local_text(draft.start, zone),
            end=local_text(draft.end, zone),
            go_live_at=local_text(draft.go_live_at, here),
            expire_at=local_text(draft.expire_at, here),
        )
        for relation, field, name in EVENT_LINKS.values():
            rows = []
            for link in getattr(draft, relation).all():
                row = {"id": link.pk or "", field: getattr(link, f"{field}_id")}
                if name == "official":
                    row["role"] = link.role
                rows.append(row)
            data[relation] = rows
        data["changes"] = [
            {
                "id": change.pk or "",
                "change": change.change,
                "made_at": local_text(change.made_at, here),
                "previous_start": local_text(change.previous_start, here),
                "reason": change.reason,
            }
            for change in draft.changes.all()
        ]
        data["outcomes"] = [
            {"id": outcome.pk or "", "release": outcome.release_id}
            for outcome in draft.outcomes.all()
        ]
        # The form shows the reason of a change not yet published (EventForm).
        pending = [c for c in draft.changes.all() if c.pk is None]
        if pending:
            data["change_reason"] = pending[-1].reason
    data.update(fields)
    for relation in [*(r for r, _, _ in EVENT_LINKS.values()), "changes", "outcomes"]:
        rows = list(data[relation])  # rows already in the form (listed) first
        data[relation] = inline_formset(rows, initial=sum(1 for r in rows if "id" in r))
    if action:
        data[f"action-{action}"] = f"action-{action}"
    return nested_form_data(data)
