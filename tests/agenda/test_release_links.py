"""An event and the releases it produced name each other: "Outcome: ..." on the
event, "Announced in the agenda on ..." on the release, only where readers may
see the other side, in both languages."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import EventPage
from tests.factories import default_agenda, make_event, make_release

pytestmark = pytest.mark.django_db

PAST = datetime.timedelta(days=3)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def announced(client, release):
    return [
        (p.select_one("a")["href"], p.select_one("time")["datetime"])
        for p in page(client, release.url).select(".release__agenda")
    ]


def with_outcome(event, *releases):
    for position, release in enumerate(releases):
        event.outcomes.create(release=release, sort_order=position)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def test_the_release_names_the_event_that_announced_it(client, newsroom):
    release = make_release("Smelter licence granted", slug="licence-granted")
    event = with_outcome(
        make_event("Licence hearing", start=timezone.now() - PAST), release
    )
    announced_on = timezone.localtime(event.first_published_at).date()
    assert announced(client, release) == [(event.url, announced_on.isoformat())]
    text = page(client, release.url).select_one(".release__agenda").get_text(" ")
    assert "Announced in the agenda on" in text
    assert announced_on.strftime("%B") in text and "Licence hearing" in text
    # and the event links back to it
    outcome = page(client, event.url).find("h2", string="Outcome").parent
    assert [a["href"] for a in outcome.select("a")] == [release.url]


def test_a_release_without_an_event_says_nothing(client, newsroom):
    release = make_release("Plain release", slug="plain-release")
    assert announced(client, release) == []


@pytest.mark.parametrize("hide", ["draft", "unpublished", "private"])
def test_a_hidden_event_is_not_named(client, newsroom, hide):
    release = make_release("Smelter licence granted", slug="licence-granted")
    shown = with_outcome(
        make_event("Licence hearing", start=timezone.now() - PAST), release
    )
    hidden = make_event(
        "Xenotime meeting",
        slug="xenotime-meeting",
        start=timezone.now() - PAST,
        live=hide != "draft",
    )
    hidden.outcomes.create(release=release, sort_order=0)
    if hide == "draft":
        hidden.save_revision()
    else:
        hidden.save_revision().publish()
        hidden = EventPage.objects.get(pk=hidden.pk)
        if hide == "unpublished":
            hidden.unpublish()
        else:
            PageViewRestriction.objects.create(
                page=hidden, restriction_type=PageViewRestriction.LOGIN
            )
    assert [href for href, _ in announced(client, release)] == [shown.url]
    assert "xenotime" not in client.get(release.url).content.decode().lower()


def test_in_indonesian(client, newsroom):
    indonesian = Locale.objects.get(language_code="id")
    berita = ensure_site_tree(indonesian)
    release = make_release("Izin smelter diberikan", slug="izin-smelter", parent=berita)
    event = with_outcome(
        make_event(
            "Sidang izin",
            slug="sidang-izin",
            start=timezone.now() - PAST,
            parent=default_agenda(berita),
        ),
        release,
    )
    assert release.url.startswith("/id/news/")
    paragraph = page(client, release.url).select_one(".release__agenda")
    assert paragraph.get_text(" ").startswith("Diumumkan dalam agenda pada")
    assert paragraph.select_one("a")["href"] == event.url
    outcome = page(client, event.url).select(f"a[href='{release.url}']")
    assert outcome
