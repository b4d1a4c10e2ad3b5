"""Email alerts of the agenda: readers follow the agenda's filters, and hear of
a new event, and of each public change (moved, postponed, cancelled) with its
reason, once each, in their language; never of an event readers may not see.
Mail goes to a real SMTP server on loopback (aiosmtpd)."""

import datetime
import re
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from newsroom.alerts import agenda as agenda_alerts
from newsroom.alerts import criteria, delivery, subscribing, tasks
from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import AlertDelivery, AlertFilter, EventPage
from tests.factories import (
    OfficialFactory,
    RegionFactory,
    SectorFactory,
    admin_form_errors,
    default_agenda,
    event_admin_form_data,
    event_admin_url,
    make_event,
    make_release,
)
from tests.smtp_server import html_of, smtp_mailbox, text_of

SOON = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=5)


@pytest.fixture
def mailbox(settings):
    with smtp_mailbox(settings) as box:
        yield box


@pytest.fixture
def world(newsroom):
    metals = SectorFactory(name="Metals", slug="metals")
    indonesia = RegionFactory(name="Indonesia", slug="indonesia", kind="country")
    entities = {
        "metals": metals,
        "nickel": SectorFactory(name="Nickel smelting", slug="nickel", parent=metals),
        "steel": SectorFactory(name="Steel", slug="steel", parent=metals),
        "makassar": RegionFactory(name="Makassar", slug="makassar", parent=indonesia),
        "jakarta": RegionFactory(name="Jakarta", slug="jakarta", parent=indonesia),
        "eko": OfficialFactory(name="Eko S.A. Cahyanto", slug="eko"),
    }
    for entity in [indonesia, *entities.values()]:  # no item links them yet
        type(entity).objects.filter(pk=entity.pk).update(marked_public=True)
    default_agenda()
    return entities


def subscribe(email, query, frequency="immediate", language="en"):
    subscription, _ = subscribing.confirm_subscription(
        {"e": email, "q": query, "f": frequency, "l": language}
    )
    return subscription


@pytest.fixture
def subscribers(world):
    matching = {
        "agenda@example.org": "of=agenda",
        "metals@example.org": "of=agenda&sector=metals",  # with its subtree
        "exact@example.org": "of=agenda&sector=nickel&region=makassar",
        "eko@example.org": "of=agenda&official=eko",  # searched by name too
        "words@example.org": "of=agenda&q=Cahyanto",
        # a weekly reader of the agenda still hears of tomorrow's change at once
        "weekly@example.org": "of=agenda&region=indonesia",
    }
    other = {
        "steel@example.org": "of=agenda&sector=steel",
        "jakarta@example.org": "of=agenda&region=jakarta",
        "nowords@example.org": "of=agenda&q=zirconium",
        "releases@example.org": "sector=nickel",  # the releases, not the agenda
        "all-releases@example.org": "",
    }
    for email, query in {**matching, **other}.items():
        subscribe(email, query, "weekly" if email.startswith("weekly") else "immediate")
    return sorted(matching)


@pytest.fixture
def publish_event(world, django_capture_on_commit_callbacks):
    def publish(title="Smelter press conference", **fields):
        fields.setdefault("start", SOON)
        fields.setdefault("end", datetime.timedelta(hours=1))
        fields.setdefault("zone", "Asia/Makassar")
        fields.setdefault("sectors", [world["nickel"]])
        fields.setdefault("regions", [world["makassar"]])
        fields.setdefault("officials", [world["eko"]])
        with django_capture_on_commit_callbacks(execute=True):
            return make_event(title, **fields)

    return publish


@pytest.fixture
def edit_event(admin_client, django_capture_on_commit_callbacks):
    """Publish a change through the admin's form, as the press office does."""

    def edit(event, **fields):
        data = event_admin_form_data(event, "publish", **fields)
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(event_admin_url(event), data)
        assert response.status_code == 302, admin_form_errors(response)
        return EventPage.objects.get(pk=event.pk)

    return edit


def local(value):
    return value.astimezone(datetime.timezone(datetime.timedelta(hours=8))).strftime(
        "%Y-%m-%d %H:%M"
    )


# --- a new event, then each public change, once -------------------------------------


def test_a_new_event_reaches_exactly_the_agenda_subscribers_once(
    mailbox, subscribers, publish_event, edit_event
):
    event = publish_event()
    assert mailbox.recipients == subscribers
    message = mailbox.to("exact@example.org")[0]
    assert message["Subject"] == (
        "Events on Nickel smelting in Makassar: Smelter press conference"
    )
    for body in (text_of(message), html_of(message)):
        assert "A new event on the agenda:" in body
        assert f"http://localhost{event.url}" in body
        assert "WITA" in body
    assert "http://localhost/news/agenda/?sector=nickel&region=makassar" in (
        text_of(message)
    )

    # Published again with nothing readers see changed; the task run again.
    edit_event(event)
    tasks.alert_event_published.call(event.pk)
    assert mailbox.recipients == subscribers, "a republish sent a second email"
    rows = AlertDelivery.objects.filter(event=event)
    assert rows.filter(kind="event", sequence=0, status="sent").count() == len(
        subscribers
    )
    assert set(rows.values_list("frequency", flat=True)) == {"immediate"}


def test_each_public_change_is_sent_once_with_its_reason(
    mailbox, subscribers, publish_event, edit_event
):
    event = publish_event()
    mailbox.clear()
    later = SOON + datetime.timedelta(days=1)
    moved = edit_event(
        event,
        start=local(later),
        end=local(later + datetime.timedelta(hours=1)),
        change_reason="The governor asked for Thursday.",
    )
    assert moved.sequence == 1
    assert mailbox.recipients == subscribers
    message = mailbox.to("eko@example.org")[0]
    assert message["Subject"] == "Moved: Smelter press conference"
    for body in (text_of(message), html_of(message)):
        assert "The governor asked for Thursday." in body
        assert "has changed" in body

    mailbox.clear()
    cancelled = edit_event(
        moved, status="cancelled", change_reason="The smelter closed."
    )
    assert cancelled.sequence == 2
    assert mailbox.recipients == subscribers
    message = mailbox.to("agenda@example.org")[0]
    assert message["Subject"] == "Cancelled: Smelter press conference"
    assert "The smelter closed." in text_of(message)

    # Neither the task nor the sweep sends any change twice.
    mailbox.clear()
    tasks.alert_event_published.call(event.pk)
    agenda_alerts.queue_event(event.pk)
    delivery.send_pending()
    assert mailbox.recipients == []
    sent = AlertDelivery.objects.filter(event=event, status="sent")
    assert sorted(set(sent.values_list("sequence", flat=True))) == [0, 1, 2]
    assert sent.count() == 3 * len(subscribers)


def test_a_change_superseded_before_it_left_is_not_sent(
    mailbox, subscribers, publish_event, edit_event
):
    event = publish_event()
    mailbox.clear()
    # The worker is down: the move is queued, not sent, when the event is
    # cancelled in turn; only the cancellation goes out.
    later = SOON + datetime.timedelta(days=1)
    with mock.patch.object(tasks, "send_alert_batch"):
        moved = edit_event(
            event,
            start=local(later),
            end=local(later + datetime.timedelta(hours=1)),
            change_reason="Moved a day.",
        )
    assert mailbox.recipients == []
    edit_event(moved, status="cancelled", change_reason="Called off.")
    delivery.send_pending()
    assert mailbox.recipients == subscribers
    assert {m["Subject"] for m in mailbox.messages} == {
        "Cancelled: Smelter press conference"
    }
    rows = AlertDelivery.objects.filter(event=event, sequence=1)
    assert set(rows.values_list("status", flat=True)) == {"skipped"}


def test_release_and_agenda_alerts_stay_apart(
    mailbox, world, subscribers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_release(
            "Nickel release",
            sectors=[world["nickel"]],
            officials=[world["eko"]],
            release_date=timezone.localdate(),
        )
    assert mailbox.recipients == ["all-releases@example.org", "releases@example.org"]


# --- nothing readers may not see ----------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "private", "past", "unpublished"])
def test_no_alert_for_an_event_readers_may_not_see(
    mailbox, world, subscribers, publish_event, state
):
    if state == "draft":
        event = publish_event(live=False)
    elif state == "past":
        event = publish_event(start=timezone.now() - datetime.timedelta(days=2))
    else:
        # Published without its alert task running, then hidden before it runs.
        event = make_event("Xenotime meeting", start=SOON, sectors=[world["nickel"]])
        if state == "private":
            PageViewRestriction.objects.create(
                page=event, restriction_type=PageViewRestriction.LOGIN
            )
        else:
            EventPage.objects.get(pk=event.pk).unpublish()
    tasks.alert_event_published.call(event.pk)
    assert mailbox.recipients == []
    assert not AlertDelivery.objects.filter(event=event).exists()


def test_a_queued_alert_of_an_event_hidden_since_is_dropped(
    mailbox, subscribers, publish_event
):
    with mock.patch.object(tasks, "send_alert_batch"):
        event = publish_event()
    assert AlertDelivery.objects.filter(event=event, status="pending").count() == len(
        subscribers
    )
    EventPage.objects.get(pk=event.pk).unpublish()
    report, error = delivery.send_pending()
    assert error is None and report.dropped == len(subscribers)
    assert mailbox.recipients == []
    assert not AlertDelivery.objects.filter(event=event).exists()


# --- in the subscriber's language ---------------------------------------------------


def test_in_the_subscribers_language(
    mailbox, world, django_capture_on_commit_callbacks
):
    indonesian = Locale.objects.get(language_code="id")
    berita = ensure_site_tree(indonesian)
    agenda = default_agenda(berita)
    subscribe("pembaca@example.org", "of=agenda&sector=nickel", language="id")
    subscribe("reader@example.org", "of=agenda&sector=nickel", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(
            "Konferensi pers smelter",
            slug="konferensi-pers-smelter",
            start=SOON,
            zone="Asia/Makassar",
            sectors=[world["nickel"]],
            parent=agenda,
        )
    assert mailbox.recipients == ["pembaca@example.org"]
    [message] = mailbox.messages
    text = text_of(message)
    assert "Acara baru dalam agenda:" in text
    assert f"http://localhost{event.url}" in text
    assert event.url.startswith("/id/news/agenda/")
    assert "/id/news/agenda/?sector=nickel" in text
    assert "/id/alerts/manage/" in text
    assert message["Subject"].startswith("Agenda ")


# --- subscribing on the agenda ------------------------------------------------------


def test_the_agenda_offers_alerts_for_its_filter(client, mailbox, world):
    make_event("Steel visit", start=SOON, sectors=[world["steel"]])
    page = client.get("/news/agenda/", {"sector": "steel", "page": "1"})
    link = re.search(
        r'class="alert-signup"><a href="([^"]+)"', page.content.decode()
    ).group(1)
    assert link.replace("&amp;", "&") == "/alerts/subscribe/?of=agenda&sector=steel"
    form = client.get(link.replace("&amp;", "&"))
    assert form.status_code == 200
    text = form.content.decode()
    assert "Events on Steel" in text
    assert 'href="/news/agenda/?sector=steel"' in text
    client.post(
        "/alerts/subscribe/",
        {
            "email": "r@example.org",
            "frequency": "immediate",
            "filter": "of=agenda&sector=steel",
        },
    )
    [message] = mailbox.messages
    assert "Events on Steel" in message["Subject"]
    confirm = re.search(r"https?://\S+/alerts/confirm/\S+/", text_of(message)).group(0)
    client.post(urlsplit(confirm).path)
    alert_filter = AlertFilter.objects.get()
    assert alert_filter.agenda and alert_filter.query == "of=agenda&sector=steel"
    assert alert_filter.get_absolute_url() == "/news/agenda/?sector=steel"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sector=steel&of=agenda", "of=agenda&sector=steel"),
        ("of=agenda&of=agenda&sector=steel&page=2", "of=agenda&sector=steel"),
        ("of=%20agenda%20", "of=agenda"),
        ("sector=steel", "sector=steel"),
    ],
)
def test_one_agenda_filter_however_it_is_spelt(world, given, expected):
    assert criteria.canonical_query(given, strict=True) == expected
    described = criteria.describe_filter(expected)
    assert described.split()[1 if described.startswith("All") else 0] == (
        "events" if expected.startswith("of=") else "Releases"
    ) or described.startswith("Events")


@pytest.mark.parametrize("given", ["of=releases", "of=agenda&of=x", "of=<script>"])
def test_an_unknown_content_is_refused(client, world, given):
    with pytest.raises(criteria.InvalidFilter):
        criteria.canonical_query(given, strict=True)
    response = client.get(f"/alerts/subscribe/?{given}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert "cannot be followed" in response.content.decode()
