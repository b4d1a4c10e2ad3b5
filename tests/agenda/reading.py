"""Reading what readers get of the agenda: cards, counts, facet options, errors,
calendars and feeds."""

import re

import feedparser
from bs4 import BeautifulSoup
from icalendar import Calendar


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def listed(response):
    """Slugs of the event cards on a page, in order."""
    return [
        link["href"].rstrip("/").rsplit("/", 1)[-1]
        for link in soup(response).select(".event-card .release-card__title a")
    ]


def result_count(response):
    text = soup(response).select_one(".result-count").get_text()
    return int(re.match(r"\s*(\d+)", text).group(1))


def shown_counts(response):
    """{facet: {slug: count}} as the filter options show them; a facet without
    options is left out."""
    page = soup(response)
    counts = {}
    for fieldset in page.select("fieldset[id^=facet-]"):
        facet = fieldset["id"].removeprefix("facet-")
        if facet == "dates" or not fieldset.select(f"input[name={facet}]"):
            continue
        counts[facet] = {}
        for box in fieldset.select(f"input[name={facet}]"):
            label = page.select_one(f"label[for='{box['id']}']")
            count = label.select_one(".facet__count").get_text()
            counts[facet][box["value"]] = int(re.search(r"\d+", count).group())
    return counts


def errors_by_field(response):
    page = soup(response)
    return {p["id"]: p.get_text(" ", strip=True) for p in page.select(".form-error")}


def calendar(response):
    """The parsed calendar of a .ics response."""
    assert response.status_code == 200, (response.status_code, response.content)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(response):
    return calendar(response).walk("VEVENT")


def uids(response):
    return [str(entry["UID"]) for entry in vevents(response)]


def uid_pk(uid):
    return int(re.match(r"event-(\d+)@", uid).group(1))


def feed(response):
    assert response.status_code == 200, response.status_code
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed
