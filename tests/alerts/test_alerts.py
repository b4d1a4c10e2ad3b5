"""Email alerts, the reader's side: the link on listings and hubs, the normalised
filter in words, double opt-in, the same answer for every address, rate limits, and
managing one's alerts. Mail goes to a real SMTP server on loopback (aiosmtpd)."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.http import QueryDict
from django.test import Client
from django.utils import translation

from newsroom.alerts import criteria, messages, subscribing, tokens
from newsroom.finder import wording
from newsroom.models import AlertFilter, AlertSubscription
from tests.factories import (
    OfficialFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
)
from tests.smtp_server import html_of, smtp_mailbox, text_of


@pytest.fixture
def mailbox(settings):
    with smtp_mailbox(settings) as box:
        yield box


@pytest.fixture
def taxonomy(newsroom):
    metals = SectorFactory(name="Metals", slug="metals")
    indonesia = RegionFactory(name="Indonesia", slug="indonesia", kind="country")
    entities = {
        "metals": metals,
        "nickel": SectorFactory(name="Nickel smelting", slug="nickel", parent=metals),
        "steel": SectorFactory(name="Steel", slug="steel", parent=metals),
        "north-maluku": RegionFactory(
            name="North Maluku", slug="north-maluku", parent=indonesia
        ),
        "jakarta": RegionFactory(name="Jakarta", slug="jakarta", parent=indonesia),
        "eko": OfficialFactory(name="Eko S.A. Cahyanto", slug="eko"),
        "cobalt": TopicFactory(name="cobalt", slug="cobalt"),
        "law-3-2020": RegulationFactory(type="law", number="3", year=2020),
    }
    for entity in [indonesia, *entities.values()]:  # no release links them
        type(entity).objects.filter(pk=entity.pk).update(marked_public=True)
    return entities


def alert_link(html):
    found = re.search(r'class="alert-signup"><a href="([^"]+)"', html)
    assert found, "no alert link on the page"
    return found.group(1).replace("&amp;", "&")


def confirm_link(message):
    found = re.search(r"https?://\S+/alerts/confirm/\S+/", text_of(message))
    assert found, text_of(message)
    return urlsplit(found.group(0)).path


def subscribe(client, email, query="", frequency="immediate"):
    return client.post(
        "/alerts/subscribe/",
        {"email": email, "frequency": frequency, "filter": query},
    )


# --- the link on listings and hubs, and the filter it carries -------------------------


def test_listing_links_to_alerts_for_its_normalised_filter(client, taxonomy):
    page = client.get(
        "/news/?region=north-maluku&sector=steel&sector=nickel&q=&page=1"
        "&sort=oldest&colour=blue&official=nobody"
    )
    assert page.status_code == 200
    assert alert_link(page.content.decode()) == (
        "/alerts/subscribe/?sector=nickel&sector=steel&region=north-maluku"
    )


def test_unfiltered_listing_links_to_alerts_for_everything(client, taxonomy):
    page = client.get("/news/")
    assert alert_link(page.content.decode()) == "/alerts/subscribe/"


def test_hub_is_its_filter(client, taxonomy):
    """The Nickel hub is /news/?sector=nickel; its own filters are kept."""
    hub = client.get("/news/sectors/nickel/?region=jakarta")
    assert hub.status_code == 200
    assert alert_link(hub.content.decode()) == (
        "/alerts/subscribe/?sector=nickel&region=jakarta"
    )
    official = client.get("/news/officials/eko/")
    assert alert_link(official.content.decode()) == "/alerts/subscribe/?official=eko"
    regulation = client.get("/news/regulations/law-3-2020/?sector=steel")
    assert alert_link(regulation.content.decode()) == (
        "/alerts/subscribe/?sector=steel&regulation=law-3-2020"
    )


def test_one_filter_however_it_is_spelt(taxonomy):
    spellings = [
        "sector=nickel&region=north-maluku",
        "region=north-maluku&sector=nickel",
        "region=north-maluku&sector=nickel&sector=&page=3&sort=newest&utm=x",
        "sector=nickel&sector=nickel&region=north-maluku&to=&q=",
    ]
    queries = {criteria.canonical_query(QueryDict(s)) for s in spellings}
    assert queries == {"sector=nickel&region=north-maluku"}
    assert (
        criteria.canonical_query(
            QueryDict("q=  nickel   ore &to=2025-01-31&from=2024-01-01&topic=cobalt")
        )
        == "topic=cobalt&from=2024-01-01&to=2025-01-31&q=nickel+ore"
    )
    assert (
        criteria.canonical_query(
            QueryDict("regulation=law-3-2020&sector=nickel&regulation=law-3-2020")
        )
        == "sector=nickel&regulation=law-3-2020"
    )


def test_the_filter_in_words(taxonomy):
    describe = criteria.describe_filter
    assert describe("sector=nickel&region=north-maluku") == (
        "Releases on Nickel smelting in North Maluku"
    )
    assert describe("sector=nickel&sector=steel&official=eko") == (
        "Releases on Nickel smelting or Steel with Eko S.A. Cahyanto"
    )
    assert describe("topic=cobalt&q=smelter&from=2024-01-01") == (
        "Releases on cobalt matching “smelter” from 1 January 2024"
    )
    assert describe("regulation=law-3-2020&sector=steel") == (
        "Releases on Steel citing Law No. 3 of 2020"
    )
    assert describe("") == "All releases"


# --- double opt-in --------------------------------------------------------------------


def test_nothing_is_stored_or_sent_but_the_confirmation_until_confirmed(
    client, mailbox, taxonomy
):
    subscribe_page = client.get("/alerts/subscribe/?region=north-maluku&sector=nickel")
    assert subscribe_page.status_code == 200
    assert "Releases on Nickel smelting in North Maluku" in (
        subscribe_page.content.decode()
    )
    response = subscribe(
        client, "Reader@Example.org", "region=north-maluku&sector=nickel"
    )
    assert response.status_code == 302
    assert not AlertSubscription.objects.exists()
    [message] = mailbox.messages
    assert message.envelope_recipients == ["reader@example.org"]
    assert message["Subject"] == (
        "Confirm your email alert: Releases on Nickel smelting in North Maluku"
    )
    assert message.is_multipart()
    assert "List-Unsubscribe" not in message
    assert "Releases on Nickel smelting in North Maluku" in html_of(message)
    assert "(immediately, one email per release)" in text_of(message)

    link = confirm_link(message)
    page = client.get(link)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert not AlertSubscription.objects.exists(), "a GET (a link scanner) confirmed"

    confirmed = client.post(link)
    assert confirmed.status_code == 200
    subscription = AlertSubscription.objects.get()
    assert subscription.email == "reader@example.org"
    assert subscription.filter.query == "sector=nickel&region=north-maluku"
    assert subscription.frequency == "immediate"
    assert subscription.language == "en"
    assert len(mailbox.messages) == 1, "only the confirmation was sent"


def test_the_same_answer_for_new_pending_and_subscribed_addresses(
    client, mailbox, taxonomy
):
    def answer(email):
        response = subscribe(client, email, "sector=nickel", frequency="daily")
        followed = client.get(response["Location"])
        return response.status_code, response["Location"], followed.content

    unknown = answer("new@example.org")
    pending = answer("new@example.org")  # asked, not confirmed
    client.post(confirm_link(mailbox.messages[-1]))
    subscribed = answer("new@example.org")
    other_unknown = answer("other@example.org")
    assert unknown == pending == subscribed == other_unknown

    # Every request got the same kind of email; confirming again makes no
    # second subscription.
    assert mailbox.recipients == ["new@example.org"] * 3 + ["other@example.org"]
    client.post(confirm_link(mailbox.to("new@example.org")[-1]))
    assert AlertSubscription.objects.filter(email="new@example.org").count() == 1
    assert AlertFilter.objects.count() == 1


def test_confirming_again_changes_the_frequency_of_the_one_subscription(
    client, mailbox, taxonomy
):
    subscribe(client, "reader@example.org", "sector=steel", frequency="immediate")
    client.post(confirm_link(mailbox.messages[-1]))
    subscribe(client, "reader@example.org", "sector=steel", frequency="weekly")
    client.post(confirm_link(mailbox.messages[-1]))
    subscription = AlertSubscription.objects.get()
    assert subscription.frequency == "weekly"


def test_confirmation_links_expire_and_cannot_be_forged(
    client, mailbox, taxonomy, monkeypatch, settings
):
    subscribe(client, "reader@example.org", "sector=steel")
    link = confirm_link(mailbox.messages[-1])
    later = time.time() + settings.NEWSROOM_ALERTS_CONFIRM_MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(link).status_code == 400
    assert client.post(link).status_code == 400
    monkeypatch.undo()
    forged = link.replace("/confirm/", "/confirm/x")
    assert client.post(forged).status_code == 400
    assert client.post(link).status_code == 200
    assert AlertSubscription.objects.count() == 1


def test_invalid_address_is_refused_and_nothing_sent(client, mailbox, taxonomy):
    response = subscribe(client, "not-an-address", "sector=steel")
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert mailbox.messages == []


@pytest.mark.parametrize(
    "query",
    [
        "sector=nickel&sector=no-such-sector",  # one bad value drops the parameter
        "official=unannounced",  # exists, but no release readers see names them
        "sector=nickel&from=2024-13-45",
    ],
)
def test_a_filter_with_an_invalid_value_is_refused_not_widened(
    client, mailbox, taxonomy, query
):
    OfficialFactory(name="Not yet announced", slug="unannounced")
    page = client.get(f"/alerts/subscribe/?{query}")
    assert page.status_code == 200
    assert "This filter names something that cannot be followed" in (
        page.content.decode()
    )
    response = subscribe(client, "reader@example.org", query)
    assert response.status_code == 200
    assert "This filter names something that cannot be followed" in (
        response.content.decode()
    )
    assert mailbox.messages == []
    assert not AlertFilter.objects.exists()


def test_a_confirmation_whose_filter_became_invalid_subscribes_nobody(
    client, mailbox, taxonomy
):
    subscribe(client, "reader@example.org", "sector=nickel&region=jakarta")
    link = confirm_link(mailbox.messages[-1])
    taxonomy["jakarta"].delete()
    assert client.post(link).status_code == 400
    assert not AlertSubscription.objects.exists()


def test_the_form_still_answers_when_the_cache_cannot_count(
    client, mailbox, taxonomy, monkeypatch
):
    # django-redis with IGNORE_EXCEPTIONS answers None when Redis is down.
    from django.core.cache import cache

    monkeypatch.setattr(cache, "incr", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: None)
    assert subscribe(client, "reader@example.org", "sector=steel").status_code == 302
    assert mailbox.recipients == ["reader@example.org"]


# --- rate limits ----------------------------------------------------------------------


def test_rate_limit_per_address(client, mailbox, taxonomy, settings):
    settings.NEWSROOM_ALERTS_RATE_LIMITS = {"ip": (100, 3600), "address": (2, 3600)}
    assert subscribe(client, "a@example.org", "sector=steel").status_code == 302
    assert subscribe(client, "a@example.org", "sector=nickel").status_code == 302
    refused = subscribe(client, "A@example.org", "sector=metals")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many requests" in refused.content.decode()
    assert subscribe(client, "b@example.org", "sector=steel").status_code == 302
    assert mailbox.recipients == ["a@example.org"] * 2 + ["b@example.org"]


def test_rate_limit_per_client(mailbox, taxonomy, settings):
    settings.NEWSROOM_ALERTS_RATE_LIMITS = {"ip": (3, 600), "address": (100, 600)}
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [
        subscribe(client, f"r{n}@example.org", "sector=steel").status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(mailbox.messages) == 3
    elsewhere = Client(REMOTE_ADDR="203.0.113.8")
    assert subscribe(elsewhere, "r9@example.org", "").status_code == 302


# --- managing and forgetting ----------------------------------------------------------


def make_subscription(email, query, frequency="immediate"):
    subscription, _ = subscribing.confirm_subscription(
        {"e": email, "q": query, "f": frequency, "l": "en"}
    )
    return subscription


def test_manage_page_lists_changes_and_deletes_the_addresses_alerts(client, taxonomy):
    mine = make_subscription("reader@example.org", "sector=nickel")
    make_subscription("reader@example.org", "region=jakarta&official=eko", "daily")
    make_subscription("someone@example.org", "sector=steel")
    url = f"/alerts/manage/{tokens.manage_token('reader@example.org')}/"

    page = client.get(url).content.decode()
    assert "Releases on Nickel smelting" in page
    assert "Releases in Jakarta with Eko S.A. Cahyanto" in page
    assert "Steel" not in page

    client.post(
        url, {"action": "frequency", "subscription": mine.pk, "frequency": "weekly"}
    )
    mine.refresh_from_db()
    assert mine.frequency == "weekly"
    response = client.post(url, {"action": "delete", "subscription": mine.pk})
    assert response.status_code == 302
    assert not AlertSubscription.objects.filter(pk=mine.pk).exists()

    client.post(url, {"action": "delete_all"})
    assert not AlertSubscription.objects.filter(email="reader@example.org").exists()
    assert AlertSubscription.objects.filter(email="someone@example.org").exists()
    assert "has no email alerts" in client.get(url).content.decode()


def test_manage_links_cannot_reach_another_address(client, taxonomy):
    other = make_subscription("someone@example.org", "sector=steel")
    url = f"/alerts/manage/{tokens.manage_token('reader@example.org')}/"
    client.post(url, {"action": "delete", "subscription": other.pk})
    assert AlertSubscription.objects.filter(pk=other.pk).exists()
    nonsense = client.post(url, {"action": "delete", "subscription": "x'--"})
    assert nonsense.status_code == 302
    assert client.get("/alerts/manage/forged-token/").status_code == 400


def test_unsubscribe_page_asks_then_deletes(client, taxonomy):
    subscription = make_subscription("reader@example.org", "sector=nickel")
    url = urlsplit(tokens.unsubscribe_url(subscription)).path
    page = client.get(url)
    assert page.status_code == 200
    assert "Releases on Nickel smelting" in page.content.decode()
    assert AlertSubscription.objects.filter(pk=subscription.pk).exists()
    assert client.post(url).status_code == 200
    assert not AlertSubscription.objects.exists()
    assert client.post(url).status_code == 200, "unsubscribing twice is fine"


def test_alert_pages_are_never_cached(client, taxonomy):
    for url in ["/alerts/subscribe/?sector=steel", "/alerts/subscribe/sent/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response.content.decode()


# --- the form is no way to mail someone else's words ----------------------------------

LURE = (
    "Your account is suspended. Visit https://evil.example/restore and sign in "
    "again within 24 hours"
)


@pytest.mark.parametrize(
    ("prefix", "subject", "matching"),
    [
        ("", "Confirm your email alert: Releases matching a search", "matching “"),
        (
            "/id",
            "Konfirmasi pemberitahuan email Anda: "
            "Siaran pers yang cocok dengan sebuah pencarian",
            "yang cocok dengan “",
        ),
    ],
)
def test_typed_words_stay_out_of_the_subject_and_are_quoted_short(
    client, mailbox, taxonomy, prefix, subject, matching
):
    response = client.post(
        f"{prefix}/alerts/subscribe/",
        {
            "email": "victim@example.org",
            "frequency": "immediate",
            "filter": f"q={LURE}",
        },
    )
    assert response.status_code == 302
    [message] = mailbox.messages
    assert message["Subject"] == subject
    quoted = wording.quoted_search(LURE, criteria.SEARCH_QUOTE_LENGTH)
    assert len(quoted) == criteria.SEARCH_QUOTE_LENGTH and quoted.endswith("…")
    # The words are in the link to the listing too, URL-encoded: what a reader
    # reads is the rest.
    text = re.sub(r"http://localhost/\S+", "", text_of(message))
    html = re.sub(r'href="[^"]*"', "", html_of(message))
    for body in (text, html):
        assert f"{matching}{quoted}”" in body
        assert "evil.example" not in body
        assert "24 hours" not in body


def test_subjects_of_alert_emails_leave_search_words_out(taxonomy):
    subscription = make_subscription("r@example.org", f"sector=nickel&q={LURE}")
    mailer = messages.Mailer()
    translation.activate("en")
    assert mailer.subject_description(subscription) == (
        "Releases on Nickel smelting matching a search"
    )
    assert "evil" not in mailer.subject_description(subscription)
    assert wording.quoted_search(
        LURE, criteria.SEARCH_QUOTE_LENGTH
    ) in mailer.description(subscription)


def test_tagged_and_capitalised_addresses_count_as_one_for_the_limit(
    client, mailbox, taxonomy, settings
):
    settings.NEWSROOM_ALERTS_RATE_LIMITS = {"ip": (100, 3600), "address": (2, 3600)}
    assert subscribe(client, "reader@example.org", "sector=steel").status_code == 302
    assert subscribe(client, "Reader+a@example.org", "").status_code == 302
    for tagged in (
        "reader+b@example.org",
        "READER+c@Example.ORG",
        "Reader@example.org",
    ):
        assert subscribe(client, tagged, "").status_code == 429
    assert subscribe(client, "reader2@example.org", "").status_code == 302
    assert tokens.rate_limit_identity(" Reader+News@Example.ORG ") == (
        "reader@example.org"
    )
