"""Hostile query strings against every public channel (issue #7).

Readers bookmark, crawlers guess and scanners fuzz: whatever the query string, the
listing, the hubs, their indexes, the feeds, the CSV export and the API answer
with a page, a redirect, a 404 or a 400 that says what is wrong, never a 500.
Hypothesis draws the inputs; each crafted class of input also has explicit
``@example``s, so it is tried on every run whatever the random draw.

The world is the shared FILTER_WORLD (built once per module), so an example costs
one request. ``TRIED`` counts the requests; the total is printed after the module.
"""

import collections
import csv
import datetime
import io
import json
import re
import zipfile
from urllib.parse import quote, quote_from_bytes
from xml.etree import ElementTree

import pytest
import vobject
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from newsroom.kinds import NAMES as FILTER_NAMES
from newsroom.kinds import SEGMENTS as HUB_SEGMENTS
from tests.factories import (
    FILTER_WORLD_GHOST_REGULATION,
    FILTER_WORLD_OFFICIALS,
    FILTER_WORLD_ORGANISATIONS,
    FILTER_WORLD_REGIONS,
    FILTER_WORLD_REGULATIONS,
    FILTER_WORLD_SECTORS,
    FILTER_WORLD_TOPICS,
    default_agenda,
    make_event,
    make_release,
)

ATOM = "{http://www.w3.org/2005/Atom}"

ALLOWED_STATUS = {200, 301, 302, 400, 404}

# A linked entity per hub kind, so hub pages list releases and render facets.
HUB_SLUGS = {
    "officials": "eko-cahyanto",
    "organisations": "kemenperin",
    "sectors": "metals",
    "regions": "indonesia",
    "topics": "nickel",
    "regulations": "law-3-2020",
}
assert set(HUB_SLUGS) == set(HUB_SEGMENTS), "a hub kind is missing here"

# name -> path; "{release}" is a published release's id (the world's r01).
ENDPOINTS = {
    "listing": "/news/",
    **{f"hub-{kind}": f"/news/{kind}/{slug}/" for kind, slug in HUB_SLUGS.items()},
    **{f"hub-index-{kind}": f"/news/{kind}/" for kind in HUB_SEGMENTS},
    "feed": "/news/feed/",
    **{
        f"feed-{kind}": f"/news/{kind}/{slug}/feed/" for kind, slug in HUB_SLUGS.items()
    },
    "export": "/news/export.csv",
    **{
        f"export-{kind}": f"/news/{kind}/{slug}/export.csv"
        for kind, slug in HUB_SLUGS.items()
    },
    "api-releases": "/api/v2/releases/",
    "api-release": "/api/v2/releases/{release}/",
    "api-officials": "/api/v2/officials/",
    "api-sectors": "/api/v2/sectors/",
    "api-regions": "/api/v2/regions/",
    "api-regulations": "/api/v2/regulations/",
    **{
        f"api-find-{name}": f"/api/v2/{name}/find/"
        for name in ("releases", "officials", "sectors", "regions", "regulations")
    },
    # The agenda (made for this module by _agenda_in_the_world).
    "agenda": "/news/agenda/",
    "agenda-feed": "/news/agenda/feed/",
    "agenda-calendar": "/news/agenda/calendar.ics",
    **{
        f"calendar-{kind}": f"/news/{kind}/{slug}/calendar.ics"
        for kind, slug in HUB_SLUGS.items()
    },
    "event-calendar": "/news/agenda/smelter-hearing/calendar.ics",
    # The alert form takes any listing's filter, and the agenda's (of=agenda).
    "alerts-subscribe": "/alerts/subscribe/",
    "figures": "/news/figures/",
    "figures-export": "/news/figures/export.csv",
    "api-figures": "/api/v2/figures/",
}

LISTING_PARAMS = [
    "q",
    "official",
    "organisation",
    "sector",
    "region",
    "topic",
    "regulation",
    "from",
    "to",
    "sort",
    "page",
    "of",  # the alert form's agenda marker; other channels ignore it
    "group",  # the figures tracker's
]
FILTER_PARAMS = LISTING_PARAMS[1:7]  # the kinds' parameters
assert set(FILTER_PARAMS) == set(FILTER_NAMES), "a filter kind is missing here"
# Wagtail API v2's own parameters, and field names its exact-match filter takes.
API_PARAMS = [
    "limit",
    "offset",
    "locale",
    "fields",
    "type",
    "order",
    "search",
    "search_operator",
    "child_of",
    "descendant_of",
    "format",
    "name",
    "slug",
    "id",
    "depth",
    "iso_code",
    # the regulations' own fields
    "number",
    "year",
    "status",
    "enacted",
    "url",
]
# Tracking and malformed names: readers' links carry them, pages must ignore them.
ODD_PARAMS = ["utm_source", "fbclid", "", "q[]", "Q", "page ", "from\x00", "__proto__"]
PARAMS = [*LISTING_PARAMS, *API_PARAMS, *ODD_PARAMS]

KNOWN_SLUGS = [
    *FILTER_WORLD_OFFICIALS,
    *FILTER_WORLD_ORGANISATIONS,
    *FILTER_WORLD_SECTORS,
    *FILTER_WORLD_REGIONS,
    *FILTER_WORLD_TOPICS,
    *FILTER_WORLD_REGULATIONS,
]

SCRIPT = "<script>hostile()</script>"
CRAFTED = {
    "sql": [
        "' OR '1'='1",
        "1; DROP TABLE wagtailcore_page; --",
        "nickel' UNION SELECT password FROM auth_user --",
        "1) OR (1=1",
        "%' AND 1=1 --",
        "\\'; --",
    ],
    "template": [
        "{{ request.user }}",
        "{% debug %}",
        "{{ 6|add:1 }}",
        "{% now 'Y' %}",
        "{# comment #}",
        "${7*7}",
        "{{",
        "%}",
    ],
    "html": [
        SCRIPT,
        '"><img src=x onerror=hostile()>',
        "</title>" + SCRIPT,
        "javascript:hostile()",
        "]]><!--",
    ],
    "fts": [
        '"',
        '"nickel',
        'nickel"',
        '""',
        "nickel AND",
        "AND",
        "OR OR",
        "NOT",
        "NOT nickel",
        "*",
        "nick*",
        "(nickel",
        "nickel)",
        "()",
        "NEAR(nickel steel)",
        "title:nickel",
        "^nickel",
        "-nickel",
        "+nickel",
        "nickel & !steel | (cobalt <-> lithium)",
        ":*",
        "'",
        "''",
        "\\",
        '"nickel" OR "steel',
        "AND OR NOT * ( ) \" ' : -",
    ],
    "unicode": [
        "\u202enickel",  # right-to-left override
        "\u0646\u064a\u0643\u0644",  # Arabic
        "\u05e0\u05d9\u05e7\u05dc",  # Hebrew
        "\U0001f600\U0001f525",  # emoji
        "\U0001f469\U0001f3fd\u200d\U0001f52c",  # emoji ZWJ sequence
        "e\u0301\u0301\u0301\u0301",  # stacked combining marks
        "\ufeffnickel\u200b",  # BOM, zero-width space
        "\uffff\ufffe",  # noncharacters
        "\u0130stanbul \u00df \ufb00",  # case-mapping oddities
        "\uff2e\uff29\uff23\uff2b\uff25\uff2c",  # full-width NICKEL
        "\u2028\u2029",  # line and paragraph separators
        "\U0001d7d9\u00b2\u0661",  # digits that are not ASCII
    ],
    "control": [
        "\x00",
        "nickel\x00",
        "\x00nickel",
        "\x01",
        "\x07\x08",
        "\x0b",
        "\x1b[31m",
        "\x7f",
        "\r\n",
        "\x85",
        "\x1f",
    ],
    "numbers": [
        "-1",
        "0",
        "-0",
        str(10**30),
        str(-(10**30)),
        "9" * 400,
        "9" * 5000,  # past Python's int() digit limit
        str(2**63),
        str(2**63 - 1),
        "1e309",
        "1.5",
        "NaN",
        "inf",
        "0x10",
        "1_000",
        " 1",
        "+1",
        "\u0661",  # Arabic-Indic one: int() accepts it
    ],
    "dates": [
        "2024-02-30",
        "2023-02-29",
        "99999-01-01",
        "0000-01-01",
        "0001-01-01",
        "9999-12-31",
        "2024-13-01",
        "2024-1-1",
        "27/09/2024",
        "2024-09-27T10:00:00",
        "-2024-01-01",
        "2024-W39",
        "\u0662\u0660\u0662\u0664-\u0660\u0669-\u0662\u0667",
    ],
    "huge": ["x" * 10_240, "nickel " * 1_500, "\u00e9" * 10_240, "%" * 10_240],
    "slugs": [
        *KNOWN_SLUGS[:6],
        "no-such-slug",
        "NICKEL",
        "nickel/",
        "../../etc/passwd",
        "nickel,steel",
        " ",
        "Metals",
    ],
    "sort": ["relevance", "RELEVANCE", "-newest", "title", "random()", "newest,oldest"],
}
ALL_CRAFTED = [value for values in CRAFTED.values() for value in values]

TRIED = collections.Counter()  # requests made, by endpoint family
HUB_KIND = re.compile(rf"-({'|'.join(HUB_SEGMENTS)})$")  # "feed-topics" -> "feed"
READER = Client()  # anonymous; one for the module, its handler is built once


@pytest.fixture(scope="module", autouse=True)
def _report_inputs_tried(request):
    yield
    total = sum(TRIED.values())
    families = ", ".join(f"{name} {n}" for name, n in sorted(TRIED.items()))
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    if reporter is not None:  # shown even when output is captured
        with plugins.get_plugin("capturemanager").global_and_fixture_disabled():
            reporter.write_line(
                f"\ntest_hostile_input: {total} hostile requests ({families})"
            )


@pytest.fixture(scope="module", autouse=True)
def _agenda_in_the_world(_filter_world_module, django_db_blocker):
    """An agenda beside the filter world's newsroom, its events linking the
    hubs' entities, one to come and one past; rolled back after the module."""
    world = _filter_world_module
    with django_db_blocker.unblock(), transaction.atomic():
        agenda = default_agenda(world.newsroom)
        for slug, days in (("smelter-hearing", 3), ("smelter-visit", -3)):
            make_event(
                slug.replace("-", " ").capitalize(),
                start=timezone.now() + datetime.timedelta(days=days),
                slug=slug,
                zone="Asia/Makassar",
                officials=[world.officials["eko-cahyanto"]],
                organisations=[world.organisations["kemenperin"]],
                sectors=[world.sectors["metals"]],
                regions=[world.regions["indonesia"]],
                topics=[world.topics["nickel"]],
                regulations=[world.regulations["law-3-2020"]],
                parent=agenda,
            )
        yield
        transaction.set_rollback(True)


# --- strategies -------------------------------------------------------------------

# Values of any size at a small cost in entropy: a short text repeated.
repeated = st.builds(
    lambda text, n: text * n, st.text(min_size=1, max_size=4), st.integers(1_000, 4_000)
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=2**62, max_value=10**40),
    st.integers(max_value=-1),
).map(str)
date_like = st.one_of(
    st.dates().map(str),
    st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(-1, 100_000),
        st.integers(-1, 14),
        st.integers(-1, 40),
    ),
)
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(KNOWN_SLUGS),
    st.sampled_from(ALL_CRAFTED),
    numbers,
    date_like,
    st.binary(max_size=12),  # sent as raw bytes: often not UTF-8 at all
    repeated,
)
keys = st.one_of(st.sampled_from(PARAMS), st.text(max_size=8))
pairs = st.lists(st.tuples(keys, values), max_size=6)
# The same parameter several times: values of one parameter are OR-ed.
repeats = st.builds(
    lambda key, vals: [(key, value) for value in vals],
    st.sampled_from(PARAMS),
    st.lists(values, min_size=2, max_size=5),
)
endpoints = st.sampled_from(sorted(ENDPOINTS))


def encode(item):
    return (
        quote_from_bytes(item, safe="")
        if isinstance(item, bytes)
        else quote(item, safe="")
    )


def query_string(pairs):
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in pairs)


# --- the request and what every answer must look like -----------------------------


def fetch(world, endpoint, raw_query="", path=None):
    """GET ``endpoint`` with the query string exactly as given (already encoded)."""
    path = path or ENDPOINTS[endpoint].format(release=world.releases["r01"].pk)
    TRIED[HUB_KIND.sub("", endpoint)] += 1
    cache.clear()  # render every example; a cached answer would prove nothing
    # A savepoint per request: a database error must fail this example alone, not
    # abort the transaction every later example on PostgreSQL runs in.
    with transaction.atomic():
        response = READER.get(path, QUERY_STRING=raw_query)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return response, body


def assert_sane(endpoint, response, body):
    status = response.status_code
    assert status in ALLOWED_STATUS, (endpoint, status, body[:500])
    content_type = response.get("Content-Type", "")
    if status == 400:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            message = json.loads(text)["message"]
            assert isinstance(message, str) and re.search(r"[a-z]{3}", message), text
        else:
            words = re.sub(r"<[^>]+>", " ", text)
            assert re.search(r"[A-Za-z]{3,}.*[A-Za-z]{3,}", words, re.S), text
    if status != 200:
        return
    if content_type.startswith("text/html"):
        text = body.decode("utf-8")
        # Reflected input is escaped: no injected element reaches the page.
        assert "<script>hostile" not in text
        assert not re.search(r"<img[^>]*onerror", text)
    elif content_type.startswith("application/atom+xml"):
        ElementTree.fromstring(body)  # well-formed: feed readers accept it
        assert b"<script>hostile" not in body
    elif content_type.startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0][:2] in (["date", "title"], ["group", "key"])
    elif content_type.startswith("application/json"):
        json.loads(body)
    elif content_type.startswith("text/calendar"):
        # Parsed as a calendar program would; reflected input stays in values.
        calendar = Calendar.from_ical(body)
        assert calendar.walk("VEVENT") or b"BEGIN:VCALENDAR" in body
    else:
        pytest.fail(f"{endpoint}: unexpected content type {content_type!r}")


def check(world, endpoint, pairs):
    response, body = fetch(world, endpoint, query_string(pairs))
    assert_sane(endpoint, response, body)
    return response, body


HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
    "database": None,  # no .hypothesis/ folder in the project
    "print_blob": True,  # a failure prints the @reproduce_failure to replay it
}


# --- random parameters ------------------------------------------------------------


@settings(max_examples=250, **HYPOTHESIS)
@given(endpoint=endpoints, pairs=st.one_of(pairs, repeats))
# One example per crafted class; regressions are marked.
@example(endpoint="listing", pairs=[("q", "' OR '1'='1"), ("official", "x' OR 1=1 --")])
@example(
    endpoint="hub-officials",
    pairs=[("q", "{{ request.user }}"), ("topic", "{% debug %}")],
)
@example(endpoint="feed", pairs=[("q", SCRIPT), ("region", '"><img src=x onerror=1>')])
@example(endpoint="listing", pairs=[("q", '"nickel AND (steel OR')])
@example(
    endpoint="api-releases", pairs=[("q", "NOT * ( ) \" ' : -"), ("sort", "relevance")]
)
@example(endpoint="hub-regions", pairs=[("q", "\u202enickel \U0001f600 e\u0301\u0301")])
@example(endpoint="export", pairs=[("official", "\x00"), ("q", "nickel\x00")])
@example(endpoint="listing", pairs=[("page", "-1")])
@example(endpoint="hub-sectors", pairs=[("page", str(10**30))])
@example(endpoint="api-releases", pairs=[("limit", "-1"), ("page", str(10**30))])
@example(endpoint="listing", pairs=[("from", "2024-02-30"), ("to", "99999-01-01")])
@example(endpoint="export", pairs=[("from", "2024-09-28"), ("to", "2024-09-27")])
@example(endpoint="hub-topics", pairs=[("q", "x" * 10_240)])
@example(endpoint="listing", pairs=[("sector", "metals")] * 3 + [("utm_source", "x")])
@example(
    endpoint="feed-sectors", pairs=[("official", "no-such-slug"), ("sort", "title")]
)
@example(endpoint="api-release", pairs=[("fields", "*,-id,__proto__"), ("type", "x")])
@example(endpoint="hub-index-regions", pairs=[("page", "1e309"), ("from", "x")])
# Regressions: each was a 500 before the fix named.
@example(endpoint="feed", pairs=[("q", "\x01")])  # feeds.py: XMLSafeAtom1Feed
@example(endpoint="feed-sectors", pairs=[("q", "\x1b[31m")])  # feeds.py, as above
@example(endpoint="api-releases", pairs=[("offset", str(10**30))])  # api.py: offset
@example(endpoint="api-officials", pairs=[("offset", str(10**30))])  # api.py: offset
@example(endpoint="api-releases", pairs=[("locale", "\x00")])  # api.py: locale
@example(endpoint="api-find-releases", pairs=[("id", "abc")])  # api.py: stored_id
@example(endpoint="api-find-sectors", pairs=[("id", "1.5")])  # api.py: stored_id
@example(endpoint="api-find-releases", pairs=[("id", str(10**20))])  # SQLite
@example(endpoint="api-find-releases", pairs=[("html_path", "/news/\x00/")])  # PG
@example(endpoint="export-officials", pairs=[("sector", "metals")])
# Regulations: the filter, the hub, and the API's exact-match filters on the
# register's own fields (a year, a date, a choice).
@example(
    endpoint="hub-regulations",
    pairs=[("regulation", "law-3-2020' OR '1'='1"), ("q", SCRIPT)],
)
@example(endpoint="listing", pairs=[("regulation", FILTER_WORLD_GHOST_REGULATION)])
@example(endpoint="export-regulations", pairs=[("regulation", "law-4-2009")] * 2)
@example(endpoint="api-regulations", pairs=[("year", "abc")])
@example(endpoint="api-regulations", pairs=[("year", str(10**30))])
@example(endpoint="api-regulations", pairs=[("number", "3\x00")])
@example(endpoint="api-regulations", pairs=[("enacted", "2024-02-30")])
@example(endpoint="api-regulations", pairs=[("status", "repealed"), ("type", "x")])
@example(endpoint="api-find-regulations", pairs=[("slug", "law-3-2020' --")])
@example(endpoint="api-releases", pairs=[("regulation", "\x00")])
# The agenda: its listing, feed and calendars take the listing's parameters.
@example(endpoint="agenda", pairs=[("q", SCRIPT), ("sector", "metals' OR 1=1")])
@example(endpoint="agenda-feed", pairs=[("q", "\x01"), ("from", "2024-02-30")])
@example(endpoint="agenda-calendar", pairs=[("q", "\r\nBEGIN:VEVENT")])
@example(endpoint="agenda-calendar", pairs=[("region", "\x00"), ("page", "-1")])
@example(endpoint="calendar-sectors", pairs=[("to", "99999-01-01")])
@example(endpoint="event-calendar", pairs=[("sector", "no-such-slug")])
# The figures tracker takes the listing's parameters and ``group``.
@example(endpoint="figures", pairs=[("group", SCRIPT), ("q", SCRIPT)])
@example(endpoint="figures", pairs=[("group", "region"), ("from", "2024-02-30")])
@example(endpoint="api-figures", pairs=[("group", "\x00"), ("locale", "\x00")])
@example(endpoint="figures-export", pairs=[("group", "=1+1"), ("sector", "metals")])
def test_any_query_string_gets_a_sane_answer(filter_world, endpoint, pairs):
    check(filter_world, endpoint, pairs)


@settings(max_examples=250, **HYPOTHESIS)
@given(
    endpoint=endpoints,
    crafted=st.lists(
        st.tuples(st.sampled_from(PARAMS), st.sampled_from(ALL_CRAFTED)),
        min_size=1,
        max_size=4,
    ),
    valid=st.lists(
        st.tuples(st.sampled_from(FILTER_PARAMS), st.sampled_from(KNOWN_SLUGS)),
        max_size=2,
    ),
)
def test_crafted_values_in_any_parameter(filter_world, endpoint, crafted, valid):
    """Crafted values beside valid filters, so the filtered paths run too."""
    check(filter_world, endpoint, [*valid, *crafted])


# Raw query strings as a WSGI server hands them over: stray percent signs,
# separators, missing "=", bytes that are not UTF-8 (latin-1, as WSGI passes them).
raw_queries = st.text(
    alphabet=st.one_of(
        st.sampled_from("%&=;+#?[]"),
        st.characters(min_codepoint=0x20, max_codepoint=0xFF),
    ),
    max_size=60,
)


@settings(max_examples=100, **HYPOTHESIS)
@given(endpoint=endpoints, raw=raw_queries)
@example(endpoint="listing", raw="%")
@example(endpoint="api-releases", raw="q=%E2%82&%zz=%ff")
@example(endpoint="feed", raw="&&==&q&q=&=nickel;page=2")
@example(endpoint="export", raw="q=caf\xe9")  # a latin-1 byte, not UTF-8
def test_malformed_query_strings(filter_world, endpoint, raw):
    response, body = fetch(filter_world, endpoint, raw)
    assert_sane(endpoint, response, body)


# Slugs Wagtail's routes accept ([-\w]+, Unicode included), in hub and hub feed URLs.
hub_slugs = st.one_of(
    st.sampled_from(KNOWN_SLUGS),
    st.text(
        alphabet=st.one_of(
            st.characters(categories=["L", "N", "Mn"]), st.sampled_from("-_")
        ),
        min_size=1,
        max_size=40,
    ),
    repeated.map(lambda text: re.sub(r"[^-\w]", "-", text) or "x"),
)


@settings(max_examples=60, **HYPOTHESIS)
@given(
    kind=st.sampled_from(HUB_SEGMENTS),
    slug=hub_slugs,
    tail=st.sampled_from(["", "feed/", "export.csv", "calendar.ics"]),
    pairs=pairs,
)
@example(kind="officials", slug="ghost-official", tail="", pairs=[])
@example(kind="sectors", slug="\u0646\u064a\u0643\u0644", tail="feed/", pairs=[])
@example(kind="topics", slug="x" * 10_000, tail="", pairs=[("q", "x")])
# Regression: exports.py, every release for any slug before hub exports had a route.
@example(kind="topics", slug="no-such-topic", tail="export.csv", pairs=[])
@example(kind="regulations", slug="law-03-2020", tail="", pairs=[])
@example(kind="regulations", slug="law-3-2020", tail="feed/", pairs=[("q", SCRIPT)])
@example(kind="sectors", slug="no-such-sector", tail="calendar.ics", pairs=[])
@example(kind="regions", slug="\u0646\u064a\u0643\u0644", tail="calendar.ics", pairs=[])
def test_any_hub_slug(filter_world, kind, slug, tail, pairs):
    path = f"/news/{kind}/{quote(slug)}/{tail}"
    response, body = fetch(filter_world, f"hub-{kind}", query_string(pairs), path)
    assert_sane(f"hub-{kind}", response, body)
    if slug not in KNOWN_SLUGS:
        assert response.status_code == 404


API_ENTITIES = ["releases", "officials", "sectors", "regions", "regulations"]


@settings(max_examples=60, **HYPOTHESIS)
@given(endpoint=st.sampled_from(API_ENTITIES), pk=numbers)
# Regression: api.py stored_id; SQLite raised OverflowError past 64 bits.
@example(endpoint="releases", pk="99999999999999999999")
@example(endpoint="officials", pk=str(2**63))
@example(endpoint="regulations", pk="-1")
def test_any_api_id(filter_world, endpoint, pk):
    path = f"/api/v2/{endpoint}/{quote(pk)}/"
    response, body = fetch(filter_world, f"api-{endpoint}", "", path)
    assert_sane(f"api-{endpoint}", response, body)
    assert response.status_code in (200, 404)
    if pk.isdigit():  # the API's own route: a JSON answer either way
        assert "message" in response.json() or response.status_code == 200


def test_a_release_holding_control_characters_keeps_its_feeds(filter_world):
    """Regression: the admin's title field takes a vertical tab pasted from a word
    processor, and Django's feed writer then raised (a 500 for every subscriber)."""
    make_release(
        "Smelter\x0b talks",
        slug="smelter-talks",
        standfirst="A bell\x07 rang.",
        topics=[filter_world.topics["nickel"]],
        parent=filter_world.newsroom,
    )
    for endpoint in ("feed", "feed-topics"):
        response, body = fetch(filter_world, endpoint)
        assert_sane(endpoint, response, body)
        assert response.status_code == 200
        feed = ElementTree.fromstring(body)
        titles = [title.text for title in feed.iter(f"{ATOM}title")]
        assert "Smelter talks" in titles, endpoint


# --- what the crafted classes must produce ----------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    ["listing", "hub-sectors", "feed", "feed-topics", "agenda", "agenda-feed"],
)
def test_template_and_html_syntax_are_shown_as_text(filter_world, endpoint):
    """Echoed as typed: not evaluated as a template, not parsed as markup."""
    typed = "{{ 6|add:1 }} " + SCRIPT
    response, body = check(filter_world, endpoint, [("q", typed)])
    assert response.status_code == 200
    text = body.decode()
    assert "{{ 6|add:1 }} &lt;script&gt;hostile()&lt;/script&gt;" in text


@pytest.mark.parametrize(
    ("endpoint", "pairs", "mentions"),
    [
        pytest.param("api-releases", [("page", "-1")], "page", id="api-negative-page"),
        pytest.param(
            "api-releases", [("limit", str(10**30))], "limit", id="api-huge-limit"
        ),
        pytest.param(
            "api-releases", [("offset", "-5")], "offset", id="api-negative-offset"
        ),
        pytest.param(
            "api-releases", [("from", "2024-02-30")], "from", id="api-bad-date"
        ),
        pytest.param(
            "api-releases", [("official", "\x00")], "official", id="api-nul-slug"
        ),
        pytest.param(
            "api-releases", [("locale", "\x00")], "locale", id="api-nul-locale"
        ),
        pytest.param(
            "api-sectors", [("offset", "x")], "offset", id="api-entity-offset"
        ),
        pytest.param("feed", [("to", "99999-01-01")], "to", id="feed-bad-date"),
        pytest.param(
            "feed-regions", [("sector", "no-such")], "sector", id="hub-feed-slug"
        ),
        pytest.param("export", [("from", "2024-13-01")], "from", id="export-bad-date"),
        pytest.param(
            "agenda-calendar", [("sector", "no-such")], "sector", id="calendar-slug"
        ),
        pytest.param(
            "agenda-feed", [("to", "2024-13-01")], "to", id="agenda-feed-date"
        ),
    ],
)
def test_a_400_names_the_bad_parameter(filter_world, endpoint, pairs, mentions):
    response, body = check(filter_world, endpoint, pairs)
    assert response.status_code == 400
    if endpoint.startswith("api"):
        assert mentions in response.json()["errors"]
    else:
        assert f"“{mentions}”" in body.decode()


@pytest.mark.parametrize(
    ("endpoint", "pairs", "status"),
    [
        pytest.param("listing", [("page", "-1")], 404, id="negative-page"),
        pytest.param("listing", [("page", "0")], 404, id="page-zero"),
        pytest.param("hub-officials", [("page", str(10**30))], 404, id="huge-page"),
        pytest.param("listing", [("page", "9" * 5000)], 404, id="page-5000-digits"),
        pytest.param("listing", [("page", "1.5")], 404, id="fractional-page"),
        pytest.param(
            "api-releases", [("offset", str(10**30))], 200, id="api-huge-offset"
        ),
    ],
)
def test_pages_past_the_end(filter_world, endpoint, pairs, status):
    response, body = check(filter_world, endpoint, pairs)
    assert response.status_code == status
    if endpoint.startswith("api"):
        assert response.json()["items"] == []
        assert response.json()["meta"]["total_count"] == 12


@pytest.mark.parametrize(
    "value", ["2024-02-30", "99999-01-01", "no-such-slug\x00"], ids=repr
)
def test_a_bad_filter_is_a_form_error_beside_the_unfiltered_result(filter_world, value):
    """docs/contracts.md: the HTML listing shows the error, drops only that filter."""
    field = "official" if "slug" in value else "from"
    response, body = check(
        filter_world, "listing", [(field, value), ("topic", "nickel")]
    )
    assert response.status_code == 200
    text = body.decode()
    assert 'class="form-error"' in text
    # Still filtered by topic: the two nickel releases (r01, r04).
    assert re.search(r'class="result-count"[^>]*>2 releases', text)


# Pictures (tests/pictures/): any path under /media/ and any download name under a
# release is a picture or a 404, never an error and never a file outside MEDIA_ROOT.
@settings(max_examples=60, **HYPOTHESIS)
@given(
    folder=st.sampled_from(["original_images/", "images/", "documents/", "", "../"]),
    name=st.text(max_size=80),
)
@example(folder="original_images/", name="../../manage.py")
@example(folder="images/", name="..%2f..%2fmanage.py")
@example(folder="original_images/", name="\x00.png")
@example(folder="", name=SCRIPT)
def test_any_media_path(filter_world, folder, name):
    response, body = fetch(filter_world, "media", "", f"/media/{folder}{quote(name)}")
    assert response.status_code in (404, 405), (folder, name, response.status_code)
    assert b"<script>hostile" not in body


@settings(max_examples=60, **HYPOTHESIS)
@given(name=st.text(max_size=80), prefix=st.sampled_from(["", "/id"]))
@example(name="smelter-1.jpg", prefix="")
@example(name=f"{SCRIPT}.png", prefix="/id")
@example(name="x" * 5000 + ".png", prefix="")
def test_any_picture_download_name(filter_world, name, prefix):
    release = filter_world.releases["r01"]
    path = f"{prefix}/news/{release.slug}/media/{quote(name)}"
    response, body = fetch(filter_world, "picture-download", "", path)
    # The world's releases have no pictures: every name is a 404 (or, not being a
    # download name at all, Wagtail's redirect to the slash-ended page path).
    assert response.status_code in (301, 404), (name, response.status_code)
    assert b"<script>hostile" not in body


# --- a release's downloads and media contacts' vCards (#19) ----------------------

DOWNLOADS = ["release.pdf", "press-kit.zip", "ninjs.json"]


def assert_sane_download(endpoint, response, body):
    """Any status assert_sane allows; a 200 is the file it says it is."""
    status = response.status_code
    assert status in ALLOWED_STATUS, (endpoint, status, body[:500])
    if status != 200:
        return
    content_type = response["Content-Type"]
    if content_type == "application/pdf":
        assert body.startswith(b"%PDF-")
    elif content_type == "application/zip":
        assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    elif content_type.startswith("text/vcard"):
        assert vobject.readOne(body.decode()).fn.value
    else:
        assert_sane(endpoint, response, body)


@settings(max_examples=40, **HYPOTHESIS)
@given(slug=hub_slugs, name=st.sampled_from(DOWNLOADS), pairs=pairs)
@example(slug="", name="release.pdf", pairs=[])
@example(slug="..", name="ninjs.json", pairs=[])
@example(slug="x" * 10_000, name="press-kit.zip", pairs=[])
@example(slug="\u0646\u064a\u0643\u0644", name="ninjs.json", pairs=[("q", SCRIPT)])
@example(slug="feed", name="release.pdf", pairs=[])
@example(slug="sectors/metals", name="ninjs.json", pairs=[])
@example(slug="agenda/smelter-hearing", name="release.pdf", pairs=[])
def test_any_release_download_path(filter_world, slug, name, pairs):
    path = f"/news/{quote(slug, safe='/')}/{name}" if slug else f"/news/{name}"
    response, body = fetch(filter_world, "downloads", query_string(pairs), path)
    assert_sane_download("downloads", response, body)
    if slug not in {release.slug for release in filter_world.releases.values()}:
        assert response.status_code == 404, (path, response.status_code)


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_release_download_ignores_its_query_string(filter_world, name):
    release = filter_world.releases["r01"]
    raw = query_string([("q", SCRIPT), ("page", str(10**30)), ("\x00", "\x00")])
    response, body = fetch(filter_world, "downloads", raw, f"{release.url}{name}")
    assert response.status_code == 200
    assert_sane_download("downloads", response, body)
    assert b"<script>hostile" not in body


@settings(max_examples=40, **HYPOTHESIS)
@given(slug=hub_slugs, prefix=st.sampled_from(["/news/", "/id/news/", "/"]))
@example(slug="x" * 10_000, prefix="/news/")
@example(slug="..", prefix="/news/")
@example(slug="a/../b", prefix="/news/")
@example(slug="\u0646\u064a\u0643\u0644", prefix="/id/news/")
@example(slug="no-such-contact", prefix="/news/sectors/metals/")
def test_any_vcard_slug(filter_world, slug, prefix):
    path = f"{prefix}contacts/{quote(slug, safe='/')}.vcf"
    response, body = fetch(filter_world, "vcard", "", path)
    assert_sane_download("vcard", response, body)
    # The filter world names no media contact: none is public.
    assert response.status_code == 404


# --- embargo links: a guessed or mangled token is a 404, never a 500 or a copy ------


@settings(max_examples=30, **HYPOTHESIS)
@given(
    token=st.text(min_size=1, max_size=80), name=st.sampled_from(["", "release.pdf"])
)
@example(token="x" * 5000, name="release.pdf")
@example(token="..", name="release.pdf")
@example(token=SCRIPT, name="")
@example(token="\x00", name="release.pdf")
def test_any_embargo_token(filter_world, token, name):
    path = f"/embargo/{quote(token, safe='')}/{name}"
    response, body = fetch(filter_world, "embargo", "", path)
    # The filter world has no embargo link: nothing opens.
    assert response.status_code in (301, 404), (path, response.status_code)
    assert b"%PDF" not in body
    assert b"<script>hostile" not in body
