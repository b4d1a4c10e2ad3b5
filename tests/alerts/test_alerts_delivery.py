"""Email alerts, the sending side: a publish reaches exactly the matching immediate
subscribers, once; digests group releases; nothing unpublished is ever sent; an
interrupted send resumes without duplicates; corrections send one notice; the
mail's headers unsubscribe in one click. Mail goes to a real SMTP server on
loopback (aiosmtpd) and is read back with the email package."""

import datetime
import itertools
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsroom.alerts import delivery, subscribing
from newsroom.models import (
    AlertDelivery,
    AlertSubscription,
    Correction,
    EmbargoLink,
    PressReleasePage,
)
from tests.factories import (
    OfficialFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    make_release,
)
from tests.smtp_server import html_of, smtp_mailbox, text_of

TODAY = timezone.localdate()


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
        "nickel": SectorFactory(name="Nickel Smelting", slug="nickel", parent=metals),
        "steel": SectorFactory(name="Steel", slug="steel", parent=metals),
        "indonesia": indonesia,
        "north-maluku": RegionFactory(
            name="North Maluku", slug="north-maluku", parent=indonesia
        ),
        "central-sulawesi": RegionFactory(
            name="Central Sulawesi", slug="central-sulawesi", parent=indonesia
        ),
        "eko": OfficialFactory(name="Eko S.A. Cahyanto", slug="eko"),
        "cobalt": TopicFactory(name="cobalt", slug="cobalt"),
        "law-3-2020": RegulationFactory(type="law", number="3", year=2020),
        "law-4-2009": RegulationFactory(type="law", number="4", year=2009),
    }
    # Readers subscribe before any release names them: public by an editor's say.
    for entity in entities.values():
        type(entity).objects.filter(pk=entity.pk).update(marked_public=True)
    return entities


def subscribe(email, query="", frequency="immediate", language="en"):
    subscription, _ = subscribing.confirm_subscription(
        {"e": email, "q": query, "f": frequency, "l": language}
    )
    return subscription


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish as the admin does; the alert task runs when the publish commits
    (ImmediateBackend in the test settings; the worker test uses the queue)."""

    def publish(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return make_release(*args, **kwargs)

    return publish


@pytest.fixture
def republish(django_capture_on_commit_callbacks):
    def republish(release, **changes):
        page = PressReleasePage.objects.get(pk=release.pk)
        for name, value in changes.items():
            setattr(page, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return page

    return republish


def nickel_release(world, publish, title="Smelter expansion in North Maluku", **kw):
    kw.setdefault("release_date", TODAY)
    kw.setdefault("standfirst", "Two tungsten and nickel lines are added.")
    return publish(
        title,
        sectors=[world["nickel"]],
        regions=[world["north-maluku"]],
        officials=[world["eko"]],
        regulations=[world["law-3-2020"]],
        **kw,
    )


@pytest.fixture
def subscribers(world):
    """Who should get a Nickel Smelting release in North Maluku with Eko, at once."""
    matching = {
        "exact@example.org": "sector=nickel&region=north-maluku",
        "parent@example.org": "sector=metals",  # sectors include sub-sectors
        "all@example.org": "",
        "words@example.org": "q=tungsten",
        "either@example.org": "sector=steel&sector=nickel&official=eko",
        "dated@example.org": f"from={TODAY - datetime.timedelta(days=3)}",
        "cites@example.org": "regulation=law-3-2020&sector=metals",
    }
    other = {
        "elsewhere@example.org": "region=central-sulawesi",
        "steel@example.org": "sector=steel",
        "nowords@example.org": "q=zirconium",
        "past@example.org": f"official=eko&to={TODAY - datetime.timedelta(days=1)}",
        "topic@example.org": "topic=cobalt&sector=nickel",
        # not those citing what amends it: regulations are not a tree
        "amended@example.org": "regulation=law-4-2009",
        "citesother@example.org": "regulation=law-3-2020&region=central-sulawesi",
    }
    for email, query in {**matching, **other}.items():
        subscribe(email, query)
    subscribe("digest@example.org", "sector=nickel", "daily")
    return sorted(matching)


# --- a publish reaches exactly the matching immediate subscribers, once ---------------


def test_publish_reaches_exactly_the_matching_subscribers_once(
    mailbox, world, subscribers, publish, republish
):
    release = nickel_release(world, publish)
    assert mailbox.recipients == subscribers

    republish(release)
    republish(release, title="Smelter expansion in North Maluku (revised)")
    assert mailbox.recipients == subscribers, "a republish sent a second email"
    deliveries = AlertDelivery.objects.filter(release=release, kind="release")
    assert deliveries.filter(frequency="immediate", status="sent").count() == len(
        subscribers
    )
    assert deliveries.filter(frequency="daily", status="pending").count() == 1


def test_the_email_names_the_filter_and_unsubscribes_in_one_click(
    mailbox, world, publish
):
    subscription = subscribe("reader@example.org", "region=north-maluku&sector=nickel")
    release = nickel_release(world, publish)
    [message] = mailbox.messages
    assert message["Subject"] == (
        "Releases on Nickel Smelting in North Maluku: Smelter expansion in North Maluku"
    )
    assert message.is_multipart()
    assert message.get_content_type() == "multipart/alternative"
    text, html = text_of(message), html_of(message)
    for body in (text, html):
        assert "Releases on Nickel Smelting in North Maluku" in body
        assert "Smelter expansion in North Maluku" in body
        assert f"http://localhost/news/{release.slug}/" in body
        assert "/alerts/manage/" in body
        assert "(immediately, one email per release)" in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header_url = message["List-Unsubscribe"].strip().strip("<>")
    assert header_url.startswith("http://localhost/alerts/unsubscribe/")
    assert header_url in text

    # RFC 8058: the mail client POSTs to the header's URL, without any cookie or
    # CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    path = urlsplit(header_url).path
    assert mail_client.get(path).status_code == 200
    assert AlertSubscription.objects.filter(pk=subscription.pk).exists()
    response = mail_client.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not AlertSubscription.objects.exists()
    assert not AlertDelivery.objects.exists(), "the send log goes with it"

    mailbox.clear()
    nickel_release(world, publish, title="Another nickel release")
    assert mailbox.messages == []


def test_manage_link_in_the_email_lists_every_alert_of_the_address(
    client, mailbox, world, publish
):
    subscribe("reader@example.org", "sector=nickel")
    subscribe("reader@example.org", "region=central-sulawesi", "weekly")
    nickel_release(world, publish)
    [message] = mailbox.messages
    manage = next(
        word for word in text_of(message).split() if "/alerts/manage/" in word
    )
    page = client.get(urlsplit(manage).path).content.decode()
    assert "Releases on Nickel Smelting" in page
    assert "Releases in Central Sulawesi" in page


def test_a_subscriber_is_not_sent_releases_from_before_they_subscribed(
    mailbox, world, publish, republish
):
    release = nickel_release(world, publish)
    subscribe("late@example.org", "sector=nickel")
    republish(release)
    assert mailbox.messages == []


# --- never early ----------------------------------------------------------------------


def test_nothing_unpublished_is_ever_sent(
    client, mailbox, world, publish, django_capture_on_commit_callbacks
):
    subscribe("all@example.org", "")
    subscribe("nickel@example.org", "sector=nickel", "daily")
    nickel_release(world, publish, title="Draft statement", live=False)
    withdrawn = nickel_release(
        world,
        publish,
        title="Withdrawn statement",
        withdrawn=True,
        withdrawn_on=TODAY,
        withdrawal_reason="Issued in error.",
    )
    old = nickel_release(
        world,
        publish,
        title="Archive statement",
        release_date=datetime.date(2019, 5, 2),
    )
    private = nickel_release(world, publish, title="Private briefing", live=False)
    PageViewRestriction.objects.create(
        page=private, restriction_type="password", password="secret"
    )
    with django_capture_on_commit_callbacks(execute=True):
        PressReleasePage.objects.get(pk=private.pk).save_revision().publish()

    go_live = timezone.now() + datetime.timedelta(days=1)
    scheduled = nickel_release(
        world, publish, title="Scheduled statement", go_live_at=go_live
    )
    scheduled = PressReleasePage.objects.get(pk=scheduled.pk)
    assert not scheduled.live and scheduled.scheduled_revision is not None
    link = EmbargoLink.objects.create(
        page=scheduled, recipient="Wire desk", expires_at=go_live
    )
    assert client.get(link.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)  # not yet its time
    call_command("send_alert_digests", "daily", stdout=open("/dev/null", "w"))
    call_command("send_alerts", stdout=open("/dev/null", "w"))

    assert mailbox.messages == []
    assert not AlertDelivery.objects.exclude(status="skipped").exists()
    assert withdrawn.pk and old.pk

    # Once its time comes, publish_scheduled publishes it and it goes out.
    moment = go_live + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("publish_scheduled", verbosity=0)
    assert [m["Subject"] for m in mailbox.messages] == [
        "All releases: Scheduled statement"
    ]


def test_a_release_unpublished_before_the_worker_runs_is_not_sent(
    mailbox, world, publish, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", "sector=nickel")
    release = nickel_release(world, publish, live=False)
    page = PressReleasePage.objects.get(pk=release.pk)
    with django_capture_on_commit_callbacks() as queued:
        page.save_revision().publish()
    PressReleasePage.objects.get(pk=release.pk).unpublish()
    for callback in queued:
        callback()
    assert mailbox.messages == []


# --- digests --------------------------------------------------------------------------


def test_digests_group_the_releases_of_the_period(mailbox, world, publish, republish):
    subscribe("daily@example.org", "sector=nickel", "daily")
    subscribe("weekly@example.org", "sector=metals", "weekly")
    first = nickel_release(world, publish, title="First nickel release")
    second = nickel_release(world, publish, title="Second nickel release")
    publish("Steel release", sectors=[world["steel"]], release_date=TODAY)
    gone = nickel_release(world, publish, title="Nickel release taken down")
    PressReleasePage.objects.get(pk=gone.pk).unpublish()
    assert mailbox.messages == [], "digest subscribers got an immediate email"

    call_command("send_alert_digests", "daily", stdout=open("/dev/null", "w"))
    [daily] = mailbox.messages
    assert daily.envelope_recipients == ["daily@example.org"]
    assert daily["Subject"] == "Releases on Nickel Smelting: 2 new releases"
    text = text_of(daily)
    assert text.index("Second nickel release") < text.index("First nickel release")
    assert "taken down" not in text and "Steel release" not in text
    assert "List-Unsubscribe" in daily

    call_command("send_alert_digests", "weekly", stdout=open("/dev/null", "w"))
    weekly = mailbox.to("weekly@example.org")
    assert len(weekly) == 1
    assert weekly[0]["Subject"] == "Releases on Metals: 3 new releases"
    for title in ("First nickel release", "Second nickel release", "Steel release"):
        assert title in text_of(weekly[0])

    mailbox.clear()
    republish(first)
    republish(second)
    call_command("send_alert_digests", "daily", stdout=open("/dev/null", "w"))
    call_command("send_alert_digests", "weekly", stdout=open("/dev/null", "w"))
    assert mailbox.messages == [], "a release was listed in two digests"


# --- never twice: interrupted sends resume --------------------------------------------


@pytest.fixture
def five_readers(world):
    return [
        subscribe(f"reader{n}@example.org", "sector=nickel").email for n in range(5)
    ]


def test_a_send_refused_half_way_resumes_without_duplicates(
    mailbox, world, five_readers, publish
):
    mailbox.accept_only = 2  # then the server answers 451, try again later
    release = nickel_release(world, publish)
    assert len(mailbox.messages) == 2
    rows = AlertDelivery.objects.filter(release=release)
    assert rows.filter(status="sent").count() == 2
    assert rows.filter(status="pending").count() == 3

    mailbox.accept_only = None
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert mailbox.recipients == sorted(five_readers)
    assert rows.filter(status="sent").count() == 5
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert mailbox.recipients == sorted(five_readers)


def test_a_crash_between_sending_and_recording_never_sends_twice(
    mailbox, world, five_readers, publish
):
    real_mark, calls = delivery._mark, itertools.count(1)

    def crash_on_second_record(ids, status, *model):
        if status == "sent" and next(calls) == 2:
            raise RuntimeError("worker killed")
        return real_mark(ids, status, *model)

    with mock.patch.object(delivery, "_mark", crash_on_second_record):
        release = nickel_release(world, publish)
    assert len(mailbox.messages) == 2  # the second was delivered, not recorded
    rows = AlertDelivery.objects.filter(release=release)
    assert rows.filter(status="sending").count() == 1

    call_command(
        "send_alerts", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w")
    )
    assert mailbox.recipients == sorted(five_readers), "someone got it twice or never"


def test_permanently_refused_addresses_are_not_retried(
    mailbox, world, five_readers, publish
):
    mailbox.accept_only = 0
    mailbox.refusal = "550 5.1.1 No such mailbox"
    release = nickel_release(world, publish)
    rows = AlertDelivery.objects.filter(release=release)
    assert rows.filter(status="failed").count() == 5
    mailbox.accept_only = None
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert mailbox.messages == []


# --- corrections ----------------------------------------------------------------------


def correct(release, note, django_capture_on_commit_callbacks):
    page = PressReleasePage.objects.get(pk=release.pk)
    page.corrections.add(Correction(note=note, date=timezone.now()))
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    return page


def test_a_correction_sends_one_update_notice_to_immediate_subscribers(
    mailbox, world, publish, republish, django_capture_on_commit_callbacks
):
    subscribe("now@example.org", "sector=nickel")
    subscribe("daily@example.org", "sector=nickel", "daily")
    release = nickel_release(world, publish)
    mailbox.clear()

    correct(
        release,
        "The plant has two lines, not three.",
        django_capture_on_commit_callbacks,
    )
    [notice] = mailbox.messages
    assert notice.envelope_recipients == ["now@example.org"]
    assert notice["Subject"] == "Updated: Smelter expansion in North Maluku"
    assert "The plant has two lines, not three." in text_of(notice)
    assert "List-Unsubscribe" in notice

    republish(release)
    assert len(mailbox.messages) == 1, "the same correction was notified twice"
    correct(release, "The date was 2 May.", django_capture_on_commit_callbacks)
    assert len(mailbox.messages) == 2
    assert "The date was 2 May." in text_of(mailbox.messages[1])


def test_a_release_first_sent_with_its_corrections_needs_no_notice(
    mailbox, world, publish, republish, django_capture_on_commit_callbacks
):
    release = nickel_release(world, publish)
    correct(release, "A figure was fixed.", django_capture_on_commit_callbacks)
    subscribe("new@example.org", "sector=nickel")
    release2 = nickel_release(world, publish, title="Follow-up")
    assert [m["Subject"] for m in mailbox.messages] == [
        "Releases on Nickel Smelting: Follow-up"
    ]
    assert release2.pk


# --- the worker and the admin ---------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_only_queues_and_the_db_worker_sends(mailbox, settings, newsroom):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    sector = SectorFactory(name="Nickel Smelting", slug="nickel", marked_public=True)
    subscribe("reader@example.org", "sector=nickel")
    make_release("Queued release", sectors=[sector], release_date=TODAY)
    assert mailbox.messages == [], "mail was sent inside the publish"
    assert DBTaskResult.objects.filter(task_path__endswith="alert_release_published")

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert mailbox.recipients == ["reader@example.org"]
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert mailbox.recipients == ["reader@example.org"]


def test_admin_reports_count_subscriptions_per_filter_and_sends_per_release(
    mailbox, world, subscribers, publish, editor_client
):
    nickel_release(world, publish)
    filters = editor_client.get("/admin/reports/alerts/filters/")
    assert filters.status_code == 200
    page = filters.content.decode()
    assert "Releases on Nickel Smelting in North Maluku" in page
    assert "Releases on Metals citing Law No. 3 of 2020" in page
    assert "@example.org" not in page, "the report shows no addresses"
    releases = editor_client.get("/admin/reports/alerts/releases/")
    assert releases.status_code == 200
    assert "Smelter expansion in North Maluku" in releases.content.decode()
    row = releases.context["object_list"][0]
    assert (row.sent, row.waiting) == (len(subscribers), 1)
