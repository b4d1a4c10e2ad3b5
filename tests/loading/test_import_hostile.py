"""``import_releases`` fed broken and hostile files (issue #7).

docs/contracts.md's rules, held against files nobody should write: an invalid record is
reported with its line number and reason, the valid ones are imported, nothing is
half-written, and the exit status is non-zero if any record failed (a CommandError,
which ``manage.py`` turns into exit status 1). tests/loading/test_importing.py covers
the format record by record through ``import_records``; this goes through the command
with whole files, and proves "nothing half-written" by counting the rows of every
table before and after.
"""

import codecs
import io
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.models import Page

from newsroom.models import (
    Official,
    Organisation,
    PressReleasePage,
    Region,
    Sector,
    Topic,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def good(n, **fields):
    """A valid record, linked to entities of its own."""
    data = {
        "title": f"Good release {n}",
        "slug": f"good-release-{n}",
        "date": f"2024-09-{10 + n:02d}",
        "summary": f"Summary of good release {n}.",
        "body_html": f"<p>Body of good release {n}.</p>",
        "officials": [{"name": f"Good Official {n}", "role": "Director"}],
        "organisations": [f"Good Agency {n}"],
        "sectors": [f"Good Sector {n} > Good Subsector {n}"],
        "regions": [f"Good Region {n}"],
        "topics": [f"good topic {n}"],
    }
    data.update(fields)
    return data


def refused(**fields):
    """A record linking entities nobody else names, then broken by ``fields``
    (None removes a field): whatever it wrote before failing would show."""
    data = {
        "title": "Refused release",
        "slug": "refused-release",
        "date": "2024-09-27",
        "summary": "This record must leave no trace.",
        "body_html": "<p>Refused.</p>",
        "officials": [{"name": "Refused Official", "organisation": "Refused Ministry"}],
        "organisations": ["Refused Agency"],
        "sectors": ["Refused Sector > Refused Subsector"],
        "regions": ["Refused Region"],
        "topics": ["refused topic"],
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def line_bytes(line):
    if isinstance(line, bytes):
        return line
    if isinstance(line, str):
        return line.encode("utf-8", "surrogatepass")
    return json.dumps(line).encode()


def write(tmp_path, lines, name="releases.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"\n".join(line_bytes(line) for line in lines) + b"\n")
    return path


class Result:
    def __init__(self, out, err, error):
        self.out, self.err, self.error = out, err, error

    @property
    def failures(self):
        """{line number: reason} as the command printed them."""
        return {
            int(number): reason
            for number, reason in re.findall(r"^line (\d+): (.*)$", self.err, re.M)
        }


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_releases", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return Result(out.getvalue(), err.getvalue(), error)
    return Result(out.getvalue(), err.getvalue(), None)


def table_counts():
    """Rows in every table the project manages (Wagtail's and Django's included)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def changes(before, after):
    return {
        label: after[label] - before[label]
        for label in after
        if after[label] != before[label]
    }


def import_changes(path, *args):
    """The command's result and the row counts it changed."""
    before = table_counts()
    result = run(path, *args)
    return result, changes(before, table_counts())


def trees_are_sound():
    """treebeard's own check: no wrong depth or child count left by a rollback."""
    for model in (Page, Sector, Region):
        assert all(not problems for problems in model.find_problems()), model


# --- one broken record: its reason, its line, and no trace ---------------------------

HUGE = 1_000_000  # characters: a 1 MB field
BROKEN = [
    # Not JSON, or not a JSON object.
    ("json-truncated", '{"title": "broken', "invalid JSON: Unterminated string"),
    ("json-trailing-comma", '{"title": "x", "date": "2024-09-27",}', "invalid JSON"),
    ("json-single-quotes", "{'title': 'x'}", "invalid JSON: Expecting property name"),
    ("json-two-objects", '{"title": "a"} {"title": "b"}', "invalid JSON: Extra data"),
    ("json-undefined", '{"title": undefined}', "invalid JSON: Expecting value"),
    # Regression: a RecursionError that stopped the command with a traceback.
    (
        "json-nested-100000-deep",
        '{"title": ' + "[" * 100_000,
        "invalid JSON: nested too deeply",
    ),
    # Regression: json's ValueError for long integers stopped the command.
    ("json-5000-digit-number", '{"date": ' + "1" * 5000 + "}", "invalid JSON: Exceeds"),
    ("json-string", '"Smelter deal signed"', "each record must be a JSON object"),
    ("json-null", "null", "each record must be a JSON object"),
    ("json-number", "42", "each record must be a JSON object"),
    # Wrong types.
    (
        "title-list",
        refused(title=["Smelter", "deal"]),
        "'title' must be a string, not list",
    ),
    ("title-number", refused(title=42), "'title' must be a string, not int"),
    ("date-number", refused(date=20240927), "'date' must be an ISO date string"),
    ("date-boolean", refused(date=True), "'date' must be an ISO date string"),
    ("date-object", refused(date={"year": 2024}), "'date' must be an ISO date string"),
    (
        "event-date-list",
        refused(event_date=["2024-09-25"]),
        "'event_date' must be an ISO",
    ),
    (
        "summary-object",
        refused(summary={"en": "x"}),
        "'summary' must be a string, not dict",
    ),
    ("officials-string", refused(officials="Eko"), "'officials' must be a list"),
    ("official-string", refused(officials=["Eko"]), "official 1 must be an object"),
    (
        "official-name-number",
        refused(officials=[{"name": 7}]),
        "'name' must be a string, not int",
    ),
    (
        "quoted-string",
        refused(officials=[{"name": "A", "quoted": "yes"}]),
        "'quoted' must be true or false",
    ),
    ("sectors-string", refused(sectors="Steel"), "'sectors' must be a list of names"),
    (
        "sectors-objects",
        refused(sectors=[{"name": "Steel"}]),
        "'sectors' must be a list of names",
    ),
    ("regions-number", refused(regions=[62]), "'regions' must be a list of names"),
    ("topics-null", refused(topics=[None]), "'topics' must be a list of names"),
    (
        "regulations-null",
        refused(regulations=[None]),
        "'regulations' must be a list of references",
    ),
    (
        "regulations-huge",
        refused(regulations=["UU " + "9" * 100_000 + "/2020"]),
        "'regulations'",
    ),
    (
        "regulations-unknown",
        refused(regulations=["Law No. 3 of 2020", "PP 99/2030"]),
        "is not in the register",
    ),
    ("live-string", refused(live="false"), "'live' must be true or false"),
    ("live-number", refused(live=0), "'live' must be true or false"),
    ("slug-number", refused(slug=123), "'slug' must be a string, not int"),
    (
        "key-figures-object",
        refused(key_figures={"value": 1}),
        "'key_figures' must be a list",
    ),
    (
        "key-figure-nan",
        refused(key_figures=[{"value": float("nan"), "label": "x"}]),
        "key figure 1 is out of range",
    ),
    (
        "language-list",
        refused(language=["en"]),
        "'language' must be a string, not list",
    ),
    # Missing or empty required fields.
    ("empty-object", {}, "'title' is required"),
    ("missing-title", refused(title=None), "'title' is required"),
    ("missing-date", refused(date=None), "'date' is required"),
    ("missing-summary", refused(summary=None), "'summary' is required"),
    ("blank-title", refused(title=" \t "), "'title' is required"),
    ("nul-title", refused(title="\x00\x00"), "'title' is required"),
    ("control-character-title", refused(title="\x0b\x1b"), "'title' is required"),
    # Huge fields.
    ("title-1MB", refused(title="x" * HUGE), "'title' is longer than 255 characters"),
    ("summary-1MB", refused(summary="x" * HUGE), "'summary' is longer than 2000"),
    (
        "body-1MB",
        refused(body_html="<p>" + "x" * HUGE + "</p>"),
        "'body_html' is longer than 100000",
    ),
    ("slug-1MB", refused(slug="x" * HUGE), "'slug' is longer than 255"),
    ("date-1MB", refused(date="9" * HUGE), "'date' is not a valid date: '999"),
    (
        "official-name-1MB",
        refused(officials=[{"name": "x" * HUGE}]),
        "'name' is longer than 255",
    ),
    (
        "sector-1MB",
        refused(sectors=["x" * HUGE]),
        "'sectors' has an empty name or one longer than 255",
    ),
    ("field-name-1MB", refused(**{"x" * HUGE: 1}), "unknown field(s): xxx"),
    # Regression: treebeard's PathOverflow stopped the command.
    (
        "sector-path-70-levels",
        refused(sectors=[" > ".join(f"L{i}" for i in range(70))]),
        "'sectors' has a path of 70 levels; at most 63",
    ),
    # Values that are the right type and still wrong.
    (
        "date-february-30",
        refused(date="2024-02-30"),
        "'date' is not a valid date: '2024-02-30'",
    ),
    (
        "date-year-99999",
        refused(date="99999-01-01"),
        "'date' is not a valid date: '99999-01-01'",
    ),
    (
        "event-after-release",
        refused(event_date="2024-09-28"),
        "'event_date' is after the release 'date'",
    ),
    ("slug-reserved", refused(slug="feed"), "'slug' 'feed' is reserved"),
    ("slug-path", refused(slug="../admin"), "'slug' '../admin' is not a valid slug"),
    ("slug-uppercase", refused(slug="Smelter-Deal"), "is not a valid slug"),
    ("unknown-language", refused(language="xx"), "unknown language 'xx'"),
    ("unknown-field", refused(colour="red"), "unknown field(s): colour"),
    # Regression: shown raw, an escape sequence in a field name reached the terminal.
    (
        "field-name-escape-sequence",
        refused(**{"\x1b[2J": 1}),
        "unknown field(s): '\\x1b[2J'",
    ),
    (
        "official-twice",
        refused(officials=[{"name": "Eko"}, {"name": "EKO"}]),
        "official 'EKO' is listed twice",
    ),
    # Fails only after its entities are written: they must be rolled back.
    (
        "unknown-hero-image",
        refused(hero_image="No such picture"),
        "no image titled 'No such picture'",
    ),
    # Regression: a lone surrogate (half an emoji) was a UnicodeEncodeError.
    (
        "lone-surrogate-title",
        refused(title="Nickel \ud83d"),
        "'title' is not valid Unicode text: '\\ud83d'",
    ),
    (
        "lone-surrogate-topic",
        refused(topics=["\udfff"]),
        "'topics' is not valid Unicode text",
    ),
    (
        "lone-surrogate-regulation",
        refused(regulations=["UU \udfff/2020"]),
        "'regulations' is not valid Unicode text",
    ),
    # Regression: one line in Latin-1 refused the whole file, as "line 1".
    (
        "not-utf8",
        b'{"title": "Caf\xe9", "date": "2024-09-27", "summary": "x"}',
        "not UTF-8 text: byte 0xe9 at column 15",
    ),
]


@pytest.mark.parametrize(
    ("line", "reason"),
    [pytest.param(line, reason, id=name) for name, line, reason in BROKEN],
)
def test_a_broken_record_is_named_by_line_and_leaves_no_trace(
    newsroom, tmp_path, line, reason
):
    # Blank lines first: they are skipped, yet counted, so the record is line 3.
    path = write(tmp_path, ["", "   ", line])
    result, changed = import_changes(path)
    assert result.error is not None
    assert result.error.returncode == 1  # manage.py's exit status
    assert "1 record(s) failed to import." in str(result.error)
    assert list(result.failures) == [3], result.err[:500]
    assert reason in result.failures[3]
    assert len(result.failures[3]) < 200, "a reason quotes at most a snippet"
    assert "0 release(s) were created, 0 updated, 1 failed." in result.out
    assert changed == {}
    trees_are_sound()


BOTH_PATHS = pytest.mark.parametrize(
    "how", [(), ("--bulk",)], ids=["one-by-one", "bulk"]
)


@BOTH_PATHS
def test_broken_records_among_good_ones(newsroom, tmp_path, how):
    """Every broken line in one file between good ones: each is named by its own
    line, the good ones land as docs/contracts.md says, and the file leaves exactly what
    the good records alone leave."""
    good_lines = [good(1), good(2), good(1, summary="Updated by a later line.")]
    with transaction.atomic():  # the good records alone, undone afterwards
        alone, expected = import_changes(
            write(tmp_path, good_lines, "good.jsonl"), *how
        )
        transaction.set_rollback(True)
    assert alone.error is None, alone.err
    assert "2 release(s) were created, 1 updated, 0 failed." in alone.out

    lines = [good_lines[0], *[line for _, line, _ in BROKEN], *good_lines[1:]]
    result, changed = import_changes(write(tmp_path, lines), *how)
    broken_lines = range(2, 2 + len(BROKEN))
    assert list(result.failures) == list(broken_lines)
    for number, (_, _, reason) in zip(broken_lines, BROKEN, strict=True):
        assert reason in result.failures[number], number
    assert f"2 release(s) were created, 1 updated, {len(BROKEN)} failed." in result.out
    assert f"{len(BROKEN)} record(s) failed to import." in str(result.error)
    assert changed == expected
    release = PressReleasePage.objects.get(slug="good-release-1")
    assert release.live
    assert release.standfirst == "Updated by a later line."
    assert not Official.objects.filter(name__startswith="Refused").exists()
    trees_are_sound()


def test_dry_run_reports_the_same_and_writes_nothing(newsroom, tmp_path):
    lines = [good(1), *[line for _, line, _ in BROKEN[:12]], good(2)]
    result, changed = import_changes(write(tmp_path, lines), "--dry-run")
    assert list(result.failures) == list(range(2, 14))
    assert "2 release(s) would be created, 0 updated, 12 failed." in result.out
    assert result.error is not None
    assert changed == {}


# --- files that are not what they claim ----------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"\n \n\t\n", codecs.BOM_UTF8, b"[]", b"[\n]\n"],
    ids=["empty", "blank-lines", "bom-only", "empty-array", "empty-array-lines"],
)
def test_a_file_without_records_imports_nothing_and_succeeds(
    newsroom, tmp_path, content
):
    # docs/contracts.md: the exit status is non-zero only if a record failed; none did.
    path = tmp_path / "releases.jsonl"
    path.write_bytes(content)
    result, changed = import_changes(path)
    assert result.error is None, result.err
    assert "0 release(s) were created, 0 updated, 0 failed." in result.out
    assert changed == {}


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_file_that_cannot_be_read(newsroom, tmp_path, kind):
    path = tmp_path / "releases.jsonl"
    if kind == "directory":
        path.mkdir()
    before = table_counts()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_releases", str(path), stdout=io.StringIO(), stderr=io.StringIO()
        )
    reason = {"missing": "No such file or directory", "directory": "Is a directory"}
    assert str(raised.value) == f"Cannot read {path}: {reason[kind]}"
    assert raised.value.returncode == 1
    assert table_counts() == before


def test_utf16_is_refused_with_a_hint(newsroom, tmp_path):
    path = tmp_path / "releases.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + json.dumps(good(1)).encode("utf-16-le"))
    result, changed = import_changes(path)
    assert result.failures == {
        1: "the file is UTF-16 text, not UTF-8: save it as UTF-8"
    }
    assert changed == {}


def test_a_json_array_not_in_utf8_names_the_line_of_the_bad_byte(newsroom, tmp_path):
    path = tmp_path / "releases.json"
    text = json.dumps(
        [good(1), good(2, title="Caf\u00e9 talks")], indent=1, ensure_ascii=False
    )
    path.write_bytes(text.encode("latin-1"))
    result, changed = import_changes(path)
    bad_line = text[: text.index("\u00e9")].count("\n") + 1
    assert bad_line > 1
    assert list(result.failures) == [bad_line]
    assert result.failures[bad_line].startswith("not UTF-8 text: byte 0xe9")
    assert changed == {}  # an array is one JSON text: nothing of it can be read


def test_separators_inside_a_record_do_not_split_it(newsroom, tmp_path):
    """Regression: str.splitlines cut JSON Lines at U+2028, U+0085 and the like,
    which JSON allows unescaped in strings, and refused both halves."""
    title = "Smelter\u2028talks\u0085in\u2029Morowali"
    raw = json.dumps(good(1, title=title), ensure_ascii=False).encode()
    path = tmp_path / "releases.jsonl"
    path.write_bytes(raw + b"\r\n" + json.dumps(good(2)).encode() + b"\r\n")
    result = run(path)
    assert result.error is None, result.err
    assert "2 release(s) were created" in result.out
    assert PressReleasePage.objects.get(slug="good-release-1").title == title


# --- what a hostile record that is valid turns into ---------------------------------

XSS_BODY = (
    '<p>Hello<script>alert("body")</script></p>'
    '<p><img src="x" onerror="alert(1)"><svg onload="alert(2)"></svg></p>'
    '<p><a href="javascript:alert(3)">a</a> <a href="JaVaScRiPt:alert(4)">b</a>'
    ' <a href="java&#115;cript:alert(5)">c</a> <a href="data:text/html,x">d</a></p>'
    '<iframe src="https://evil.example"></iframe><object data="x"></object>'
    '<embed src="x"><style>body{display:none}</style><form action="https://evil.example">'
    '<input autofocus onfocus="alert(6)"></form><meta http-equiv="refresh" content="0">'
    '<p style="background:url(javascript:alert(7))">styled</p>'
)
# Nothing of these may survive into stored rich text.
ACTIVE = re.compile(
    r"<(script|iframe|object|embed|svg|style|form|input|meta)\b|\son\w+\s*=|javascript:|data:",
    re.I,
)


class ActiveMarkup(HTMLParser):
    """What a browser would run or load from a page: event handler attributes,
    javascript: URLs, scripts, frames and plug-ins. Escaped text and attribute
    values that merely read like markup are inert, and not collected."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}

    def __init__(self, html):
        super().__init__()
        self.found, self.script = [], None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            url = (value or "").strip().lower()
            if name in self.URL_ATTRIBUTES and url.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag in {"iframe", "object", "embed", "frame", "base"}:
            self.found.append(f"<{tag}>")
        if tag == "meta" and dict(attrs).get("http-equiv"):
            self.found.append("<meta http-equiv>")
        if tag == "script":
            self.script = dict(attrs).get("type") or "text/javascript"

    def handle_endtag(self, tag):
        if tag == "script":
            self.script = None

    def handle_data(self, data):
        # JSON-LD is data, not code; any other script with the payload is.
        if self.script and self.script != "application/ld+json" and "alert(" in data:
            self.found.append(f"<script>{data[:40]}")


@pytest.mark.parametrize(
    ("html", "live"),
    [
        ('<p><img src="x" onerror="alert(1)"></p>', True),
        ('<a href=" JavaScript:alert(1)">x</a>', True),
        ('<a href="java&#115;cript:alert(1)">x</a>', True),
        ("<script>alert(1)</script>", True),
        ('<iframe src="https://evil.example"></iframe>', True),
        ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", False),
        ('<meta name="description" content="&lt;img onerror=alert(1)&gt;">', False),
        ('<script type="application/ld+json">{"name": "alert(1)"}</script>', False),
    ],
    ids=lambda value: value if isinstance(value, bool) else None,
)
def test_the_active_markup_detector_itself(html, live):
    """The check below is only as good as its detector: it must see live markup
    and pass escaped text."""
    assert bool(ActiveMarkup(html).found) is live


def test_html_in_titles_and_bodies_comes_out_inert(newsroom, tmp_path, client):
    title = '<script>alert("title")</script> Smelter <b>deal</b>'
    hostile = good(
        1,
        title=title,
        summary='<img src=x onerror=alert("summary")> A summary.',
        dateline="<svg onload=alert(1)>",
        reference='"><script>alert(2)</script>',
        body_html=XSS_BODY,
        officials=[
            {"name": "<script>alert(3)</script> Eko", "role": "<b>Director</b>"}
        ],
        topics=["<img src=x onerror=alert(4)>"],
    )
    result = run(write(tmp_path, [hostile]))
    assert result.error is None, result.err
    release = PressReleasePage.objects.get(slug="good-release-1")
    assert release.title == title  # plain text: kept as typed, escaped when shown
    source = release.body[0].value.source
    assert not ACTIVE.search(source), source
    for kept in ("Hello", "styled", ">a</a>"):
        assert kept in source

    official = release.release_officials.get().official
    topic = release.topics.get()
    pages = [
        release.url,
        "/news/",
        f"/news/officials/{official.slug}/",
        f"/news/topics/{topic.slug}/",
        "/news/officials/",
        "/news/?q=Smelter",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert ActiveMarkup(html).found == [], url
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Smelter" in (
        client.get(release.url).content.decode()
    )
    # In the feed the title is text, which a feed reader shows as typed.
    feed = ElementTree.fromstring(client.get("/news/feed/").content)
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == title


def test_hostile_names_become_entities_with_usable_slugs(newsroom, tmp_path, client):
    """docs/contracts.md: unknown officials, sectors, regions and topics are
    created with slugs from slugify(name). Names it turns into nothing or into
    something longer still make a slug that fits and a hub that answers."""
    names = {
        "officials": [{"name": "!!!"}, {"name": "\u202eEko Cahyanto"}],
        "sectors": ["\U0001f525 > \u0645\u0639\u0627\u062f\u0646"],  # fire > Arabic
        "regions": ["\u03a9 Province"],
        "topics": ["\ufb00" * 60, "NICKEL", "nickel"],  # NFKC doubles the ligature
    }
    path = write(tmp_path, [good(1, **names), good(2, **names)])
    result = run(path)
    assert result.error is None, result.err
    content = [Official, Organisation, Sector, Region, Topic, PressReleasePage]
    before = [model.objects.count() for model in content]
    assert run(path).error is None
    after = [model.objects.count() for model in content]
    assert after == before, "a second import finds every entity it created"
    entities = {
        "officials": Official.objects.filter(name__in=["!!!", "\u202eEko Cahyanto"]),
        "sectors": Sector.objects.exclude(name__startswith="Good"),
        "regions": Region.objects.filter(name="\u03a9 Province"),
        "topics": Topic.objects.exclude(name__startswith="good"),
    }
    assert [len(entities[kind]) for kind in entities] == [2, 2, 1, 2]
    for kind, queryset in entities.items():
        for entity in queryset:
            limit = type(entity)._meta.get_field("slug").max_length
            assert entity.slug and len(entity.slug) <= limit, (kind, entity.slug)
            response = client.get(f"/news/{kind}/{entity.slug}/")
            assert response.status_code == 200, (kind, entity.slug)


# --- duplicate slugs ----------------------------------------------------------------


@BOTH_PATHS
def test_a_slug_twice_in_one_file_updates_the_first(newsroom, tmp_path, how):
    path = write(
        tmp_path,
        [good(1), good(2, slug="good-release-1", title="Second title for one slug")],
    )
    result = run(path, *how)
    assert result.error is None, result.err
    assert "1 release(s) were created, 1 updated, 0 failed." in result.out
    release = PressReleasePage.objects.get()
    assert release.title == "Second title for one slug"
    assert release.revisions.count() == 2
    assert release.release_officials.count() == 1  # replaced, not added to


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Feed", "feed-release"),
        ("Export.csv", "exportcsv"),
        ("\U0001f525\U0001f525", "item"),
        ("!!!", "item"),
    ],
    ids=["reserved-feed", "export-csv", "emoji-only", "punctuation-only"],
)
@BOTH_PATHS
def test_a_title_that_makes_no_usable_slug(
    newsroom, tmp_path, client, title, slug, how
):
    result = run(write(tmp_path, [good(1, title=title, slug=None)]), *how)
    assert result.error is None, result.err
    release = PressReleasePage.objects.get()
    assert release.slug == slug
    assert client.get(f"/news/{slug}/").status_code == 200
    assert client.get("/news/feed/")["Content-Type"].startswith("application/atom+xml")


def test_control_characters_are_dropped_and_every_channel_still_answers(
    newsroom, tmp_path, client
):
    """A vertical tab pasted from a word processor, an escape sequence: dropped
    like NUL, as the feeds' XML and HTML cannot carry them."""
    result = run(write(tmp_path, [good(1, title="Smelter\x0b talks\x1b[0m")]))
    assert result.error is None, result.err
    release = PressReleasePage.objects.get()
    assert release.title == "Smelter talks[0m"
    for url in CHANNELS:
        assert client.get(url).status_code == 200, url


CHANNELS = [
    "/news/good-release-1/",
    "/news/",
    "/news/feed/",
    "/news/topics/good-topic-1/",
    "/news/topics/good-topic-1/feed/",
    "/news/export.csv",
    "/api/v2/releases/",
    "/sitemap.xml",
]


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
@BOTH_PATHS
def test_dates_at_the_ends_of_the_calendar(newsroom, tmp_path, client, date, how):
    """Regression: a release dated 1 January 1 made its feeds a 500 (the
    Last-Modified header cannot express an instant before year 1 in UTC)."""
    result = run(write(tmp_path, [good(1, date=date)]), *how)
    assert result.error is None, result.err
    for url in CHANNELS:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
