"""Nothing unpublished reaches a reader: every hidden state x every public channel.

Each state builds a *subject* release (a draft, scheduled, embargoed, expired,
unpublished, in moderation, private, withdrawn or deleted release, or a live release
with unpublished changes) beside a live *control* release, then reads every public
channel, each as an anonymous reader of its own and each a subtest named by its
channel. Building the subject (publishing, search and reference indexing) costs as
much as reading a channel, so it is built once per state for all the channels but
those whose set-up adds a live release (OWN_SUBJECT): they get a subject each.

What readers must not see of the subject carries MARKER (title, standfirst, body) and
links the "ghost" entities (an official, organisation, sector, region, topic and
regulation named or titled after MARKER that nothing else links; a regulation's name
is made from its type, number and year, so that name is checked as well, and the
ghost regulation amends the shared one, so the chain on its hub, in the API and on
the control's page must not name it either). The subject also links the control's
"shared" entities. So a leak shows up twice: as the word, and as a count (a shared
entity counting 2, a ghost offered at all). The control must be found on the same
channel, so no check can pass because the channel showed nothing.

States that start live are first checked *visible* on the same channel, which proves
the check sees the subject when it is there and warms the response cache the change
must then invalidate.
"""

import copy
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from unittest import mock

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from taggit.utils import edit_string_for_tags
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.kinds import SEGMENTS as HUB_SEGMENTS
from newsroom.models import (
    EmbargoLink,
    EventOutcome,
    EventPage,
    MediaContact,
    PressReleasePage,
    Region,
    RelatedRelease,
    ReleaseContact,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseRegulation,
    ReleaseSector,
)
from tests.factories import (
    admin_form_errors,
    default_agenda,
    key_figures_block,
    make_event,
    make_linked_release,
    make_release,
    release_admin_form_data,
    release_admin_url,
    release_linked_entities,
)
from tests.pictures.helpers import make_picture

MARKER = "xenotime"  # a rare-earth mineral no other release mentions
SEARCH_WORD = "antimony"  # in the control, the subject and the shared entity names
CONTROL_TITLE = "Antimony smelter licence renewed"
LIVE_TITLE = "Antimony smelter expansion approved"  # public version, *-changes states
HIDDEN_TITLE = "Xenotime antimony smelter plan"
HIDDEN_STANDFIRST = "A xenotime processing plan for the antimony smelter."
HIDDEN_BODY = "<p>Xenotime ore will be refined on site.</p>"
HIDDEN_SLUG = "smelter-plan"  # no MARKER: the URL and the word are checked apart
PASSWORD = "tern-quartz-4417"
# The units of the subject's and the control's key figures (the figures tracker).
HIDDEN_UNIT = f"{MARKER}-tonnes"
CONTROL_UNIT = "antimony-tonnes"
FACETS = [segment.removesuffix("s") for segment in HUB_SEGMENTS]
LINK_MODELS = {
    "official": ReleaseOfficial,
    "sector": ReleaseSector,
    "region": ReleaseRegion,
    "organisation": ReleaseOrganisation,
    "regulation": ReleaseRegulation,
}
assert set(LINK_MODELS) == set(FACETS) - {"topic"}, "a kind is missing here"


# --- what a state lets readers see ---------------------------------------------------


@dataclass(frozen=True)
class Expect:
    listed: bool  # in listings, counts, search, feeds, API list, sitemap, export
    served: bool  # its URL and API detail answer with the release
    marked: bool  # what readers get of it carries MARKER and the ghost links
    withdrawn: bool = False

    @property
    def marker_listed(self):
        return self.listed and self.marked

    @property
    def marker_served(self):
        return self.served and self.marked


HIDDEN = Expect(listed=False, served=False, marked=False)
VISIBLE = Expect(listed=True, served=True, marked=True)
LIVE_VERSION = Expect(listed=True, served=True, marked=False)  # not the draft's
WITHDRAWN = Expect(listed=False, served=True, marked=True, withdrawn=True)


@dataclass
class World:
    request: pytest.FixtureRequest
    client: Client
    channels: frozenset  # the channels read of this subject
    shared: dict
    ghosts: dict
    subject: PressReleasePage | None = None
    control: PressReleasePage | None = None
    event: EventPage | None = None  # on the agenda, linking the shared entities
    companion: PressReleasePage | None = None
    title: str = HIDDEN_TITLE  # the title readers get when it is served
    picture: object = None  # the subject's own picture (picture channels only)
    secrets: list = field(default_factory=list)  # must never reach any channel

    @property
    def url(self):
        return f"/news/{self.subject.slug}/"

    @property
    def pk(self):
        return self.subject.pk


def absolute(path):
    """A URL as the feeds, sitemap and export give it (the Site is localhost:80)."""
    return f"http://localhost{path}"


def links(*entity_sets):
    """make_release keyword arguments linking every entity of the sets."""
    return {
        f"{facet}s": [entities[facet] for entities in entity_sets] for facet in FACETS
    }


def hidden_release(world, **fields):
    """The subject as readers must not see it: MARKER everywhere, ghosts linked."""
    fields.setdefault("standfirst", HIDDEN_STANDFIRST)
    if world.channels & PICTURE_CHANNELS:
        world.picture = make_picture(f"{MARKER.title()} ore stockpile")
        fields["hero_image"] = world.picture
    return make_release(
        HIDDEN_TITLE,
        slug=HIDDEN_SLUG,
        body=[
            ("paragraph", RichText(HIDDEN_BODY)),
            key_figures_block((7, HIDDEN_UNIT, False, "ore")),
        ],
        featured=True,
        **links(world.shared, world.ghosts),
        **fields,
    )


def live_version(world):
    """A live subject without MARKER, for states that hide a newer version."""
    world.title = LIVE_TITLE
    return make_release(
        LIVE_TITLE,
        standfirst="The antimony smelter may add a line.",
        **links(world.shared),
    )


def reload(world):
    world.subject = PressReleasePage.objects.get(pk=world.pk)
    return world.subject


def edit_in_admin(world, action):
    """An Editor turns the live version into the hidden one in the admin: saves a
    draft (``action`` None) or submits it to "Press office approval"."""
    subject = reload(world)
    ghosts = world.ghosts
    rows = {
        "release_officials": [
            {"id": link.pk, "official": link.official_id, "role": link.role}
            for link in subject.release_officials.all()
        ]
        + [{"official": ghosts["official"].pk, "role": ""}],
        "release_sectors": [
            {"id": link.pk, "sector": link.sector_id}
            for link in subject.release_sectors.all()
        ]
        + [{"sector": ghosts["sector"].pk}],
        "release_regions": [
            {"id": link.pk, "region": link.region_id}
            for link in subject.release_regions.all()
        ]
        + [{"region": ghosts["region"].pk}],
        "release_organisations": [
            {"id": link.pk, "organisation": link.organisation_id}
            for link in subject.release_organisations.all()
        ]
        + [{"organisation": ghosts["organisation"].pk}],
        "release_regulations": [
            {"id": link.pk, "regulation": link.regulation_id}
            for link in subject.release_regulations.all()
        ]
        + [{"regulation": ghosts["regulation"].pk}],
    }
    data = release_admin_form_data(
        subject,
        action=action,
        title=HIDDEN_TITLE,
        standfirst=HIDDEN_STANDFIRST,
        body_paragraphs=[HIDDEN_BODY],
        featured="on",
        topics=edit_string_for_tags([world.shared["topic"], ghosts["topic"]]),
        **rows,
    )
    editor = world.request.getfixturevalue("editor_client")
    response = editor.post(release_admin_url(subject), data)
    assert response.status_code == 302, admin_form_errors(response)
    # The change is only in the draft: the stored page still has the live version.
    stored = reload(world)
    assert stored.title == LIVE_TITLE
    assert stored.get_latest_revision_as_object().title == HIDDEN_TITLE
    return stored


# --- the states: create() makes the subject, hide() (if any) hides a live one -------


def in_two_days():
    return timezone.now() + datetime.timedelta(days=2)


def create_draft(world):
    return hidden_release(world, live=False)


def create_scheduled(world):
    subject = hidden_release(world, go_live_at=in_two_days())
    assert subject.scheduled_revision is not None  # approved, waiting for its time
    return subject


def create_embargoed(world):
    subject = create_scheduled(world)
    link = EmbargoLink.objects.create(
        page=subject, recipient="Reuters Jakarta", expires_at=in_two_days()
    )
    # The link works: the embargo is real, and its token is a secret.
    assert MARKER in world.client.get(link.get_absolute_url()).content.decode().lower()
    world.secrets.append(link.token)
    return subject


def create_expiring(world):
    return hidden_release(world, expire_at=timezone.now() + datetime.timedelta(hours=1))


def expire(world):
    # Wagtail keeps a release live after its expiry time until publish_scheduled
    # (cron, every minute) unpublishes it; this is that run, two hours later.
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    assert reload(world).expired


def create_in_moderation(world):
    """A new release an Editor submits for approval in the admin."""
    newsroom = world.request.getfixturevalue("newsroom")
    rows = {
        "release_officials": [
            {"official": entities["official"].pk, "role": ""}
            for entities in (world.shared, world.ghosts)
        ],
        **{
            f"release_{facet}s": [
                {facet: entities[facet].pk} for entities in (world.shared, world.ghosts)
            ]
            for facet in ("sector", "region", "organisation", "regulation")
        },
    }
    data = release_admin_form_data(
        action="submit",
        title=HIDDEN_TITLE,
        slug=HIDDEN_SLUG,
        standfirst=HIDDEN_STANDFIRST,
        body_paragraphs=[HIDDEN_BODY],
        featured="on",
        topics=edit_string_for_tags([world.shared["topic"], world.ghosts["topic"]]),
        **rows,
    )
    editor = world.request.getfixturevalue("editor_client")
    response = editor.post(release_admin_url(newsroom=newsroom), data)
    assert response.status_code == 302, admin_form_errors(response)
    subject = PressReleasePage.objects.get(slug=HIDDEN_SLUG)
    assert subject.current_workflow_state.status == "in_progress"
    return subject


def save_draft_changes(world):
    edit_in_admin(world, action=None)


def submit_changes(world):
    assert edit_in_admin(world, "submit").current_workflow_state.status == "in_progress"


def schedule_changes(world):
    """A Moderator publishes the hidden version with a go-live time in two days."""
    draft = reload(world).get_latest_revision_as_object()
    draft.title = HIDDEN_TITLE
    draft.standfirst = HIDDEN_STANDFIRST
    draft.body = [("paragraph", RichText(HIDDEN_BODY))]
    draft.featured = True
    if world.channels & PICTURE_CHANNELS:
        world.picture = make_picture(f"{MARKER.title()} ore stockpile")
        draft.hero_image = world.picture
    draft.go_live_at = in_two_days()
    draft.topics.add(world.ghosts["topic"])
    for facet, link_model in LINK_MODELS.items():
        getattr(draft, f"release_{facet}s").add(
            link_model(**{facet: world.ghosts[facet]})
        )
    draft.save_revision().publish()
    assert reload(world).title == LIVE_TITLE
    assert world.subject.scheduled_revision is not None


def unpublish(world):
    reload(world).unpublish()


def delete(world):
    reload(world).delete()


def withdraw(world):
    subject = reload(world)
    subject.withdrawn = True
    subject.withdrawal_reason = "Issued in error."
    subject.save_revision().publish()


def restrict_by_password(world):
    PageViewRestriction.objects.create(
        page=world.subject,
        restriction_type=PageViewRestriction.PASSWORD,
        password=PASSWORD,
    )
    world.secrets.append(PASSWORD)


def restrict_to_signed_in(world):
    PageViewRestriction.objects.create(
        page=world.subject, restriction_type=PageViewRestriction.LOGIN
    )


@dataclass(frozen=True)
class State:
    create: object
    hide: object = None  # a change made to a live subject, checked before and after
    expect: Expect = HIDDEN
    before: Expect = VISIBLE  # what readers see before ``hide``


def newer_version(hide):
    """A live release whose newer version (made by ``hide``) is not public yet."""
    return State(live_version, hide, expect=LIVE_VERSION, before=LIVE_VERSION)


STATES = {
    "draft": State(create_draft),
    "draft-changes": newer_version(save_draft_changes),
    "scheduled": State(create_scheduled),
    "scheduled-changes": newer_version(schedule_changes),
    "embargoed": State(create_embargoed),
    "expired": State(create_expiring, expire),
    "unpublished": State(hidden_release, unpublish),
    "moderation": State(create_in_moderation),
    "moderation-changes": newer_version(submit_changes),
    "private-password": State(hidden_release, restrict_by_password),
    "private-login": State(hidden_release, restrict_to_signed_in),
    "withdrawn": State(hidden_release, withdraw, WITHDRAWN),
    "deleted": State(hidden_release, delete),
}


# --- reading the channels -------------------------------------------------------------


class Reader:
    """An anonymous reader; remembers every answer, none may hold a secret."""

    def __init__(self, client):
        self.client = client
        self.bodies = []

    def get(self, path, params=None):
        response = self.client.get(path, params or {})
        content = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        response.decoded_bytes = content
        response.decoded = content.decode(errors="replace")
        self.bodies.append(response.decoded)
        return response

    def ok(self, path, params=None):
        response = self.get(path, params)
        assert response.status_code == 200, (path, params, response.status_code)
        return response.decoded


def has_marker(text):
    return MARKER in text.lower()


def soup(text):
    return BeautifulSoup(text, "html.parser")


def card_urls(page):
    return [a["href"] for a in page.select(".release-card__title a")]


def result_count(page):
    return int(page.select_one(".result-count").get_text().split()[0])


def facet_count(page, facet, entity):
    """The count beside an entity's filter option; 0 when it is not offered."""
    box = page.find(id=f"f-{facet}-{entity.slug}")
    if box is None:
        return 0
    count = box.find_parent("label").select_one(".facet__count").get_text()
    return int(re.search(r"\d+", count).group())


def hub_url(facet, entity):
    return f"/news/{facet}s/{entity.slug}/"


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def as_unknown(reader, ask, ghost):
    """``ask(slug)`` answers for the ghost exactly as for a slug nothing has: the
    same status and, but for the slug echoed back, the same body. Used where the
    ghost is linked by no release readers may see, so must be unknown to them."""
    unknown = f"nothing-{ghost.slug}".replace(MARKER, "unheard")
    ghostly, nothing = ask(ghost.slug), ask(unknown)
    assert ghostly.status_code == nothing.status_code, (ghost, ghostly.status_code)
    body = CSRF_FIELD.sub("", ghostly.decoded).replace(ghost.slug, unknown)
    assert body == CSRF_FIELD.sub("", nothing.decoded), ghost
    assert not has_marker(body), ghost
    return ghostly


def feed_links(reader, path, params=None):
    response = reader.get(path, params)
    assert response.status_code == 200, (path, params)
    parsed = feedparser.parse(response.decoded)
    assert not parsed.bozo, parsed.bozo_exception
    return [entry.link for entry in parsed.entries], response.decoded


def check_page(reader, world, expect):
    assert CONTROL_TITLE in reader.ok(world.control.url)
    response = reader.get(world.url)
    if expect.served:
        assert response.status_code == 200
        assert world.title in response.decoded
        assert has_marker(response.decoded) == expect.marked
        notice = "This release has been withdrawn" in response.decoded
        assert notice == expect.withdrawn
        return
    assert not has_marker(response.decoded)
    location = response.get("Location", "")
    assert (
        response.status_code == 404
        or (response.status_code == 302 and "login" in location)
        or (response.status_code == 200 and "Password required" in response.decoded)
    ), response.status_code


def check_listing(reader, world, expect):
    """/news/: cards, result count, and the facet options with their counts."""
    text = reader.ok("/news/")
    page = soup(text)
    assert world.control.url in card_urls(page)
    assert (world.url in card_urls(page)) == expect.listed
    assert result_count(page) == 1 + expect.listed
    for facet, entity in world.shared.items():
        assert facet_count(page, facet, entity) == 1 + expect.listed, facet
    for facet, ghost in world.ghosts.items():
        assert facet_count(page, facet, ghost) == expect.marker_listed, facet
    assert has_marker(text) == expect.marker_listed


def check_search(reader, world, expect):
    text = reader.ok("/news/", {"q": SEARCH_WORD})
    found = card_urls(soup(text))
    assert world.control.url in found
    assert (world.url in found) == expect.listed
    assert has_marker(text) == expect.marker_listed
    # The marker itself is echoed in the page as the query: count, not the word.
    assert result_count(soup(reader.ok("/news/", {"q": MARKER}))) == (
        expect.marker_listed
    )


def check_home(reader, world, expect):
    text = reader.ok("/")
    page = soup(text)
    assert world.control.url in card_urls(page)
    assert (world.url in card_urls(page)) == expect.listed
    # Only the hidden version is featured.
    featured = page.select_one("section.featured")
    featured_urls = card_urls(featured) if featured else []
    assert (world.url in featured_urls) == expect.marker_listed
    assert has_marker(text) == expect.marker_listed


def check_related(reader, world, expect):
    """The control lists the subject and a live companion as related releases."""
    text = reader.ok(world.control.url)
    related = soup(text).select_one("section.related")
    assert related is not None
    urls = [a["href"] for a in related.select("a")]
    assert world.companion.url in urls
    assert (world.url in urls) == expect.listed
    assert has_marker(text) == expect.marker_listed


def check_feed(reader, world, expect):
    entries, xml = feed_links(reader, "/news/feed/")
    assert absolute(world.control.url) in entries
    assert (absolute(world.url) in entries) == expect.listed
    assert has_marker(xml) == expect.marker_listed
    for facet, ghost in world.ghosts.items():
        if not expect.marker_listed:  # a 400, as for a slug nothing has
            as_unknown(
                reader, lambda s, f=facet: reader.get("/news/feed/", {f: s}), ghost
            )
            continue
        # (the title of a feed filtered by a ghost names it: entries only)
        entries, _ = feed_links(reader, "/news/feed/", {facet: ghost.slug})
        assert absolute(world.url) in entries, facet


def check_hub_feeds(reader, world, expect):
    for facet in FACETS:
        shared, ghost = world.shared[facet], world.ghosts[facet]
        entries, xml = feed_links(reader, f"{hub_url(facet, shared)}feed/")
        assert absolute(world.control.url) in entries, facet
        assert (absolute(world.url) in entries) == expect.listed, facet
        assert has_marker(xml) == expect.marker_listed, facet
        if not expect.marker_listed:
            as_unknown(
                reader, lambda s, f=facet: reader.get(f"/news/{f}s/{s}/feed/"), ghost
            )
            continue
        entries, _ = feed_links(reader, f"{hub_url(facet, ghost)}feed/")
        assert absolute(world.url) in entries, facet


def hub_checker(facet):
    def check_hub(reader, world, expect):
        text = reader.ok(hub_url(facet, world.shared[facet]))
        page = soup(text)
        assert world.control.url in card_urls(page)
        assert (world.url in card_urls(page)) == expect.listed
        assert result_count(page) == 1 + expect.listed
        # The month chart of a whole hub reads the entity's stored months.
        assert chart_total(page) == 1 + expect.listed
        assert has_marker(text) == expect.marker_listed
        ghost = world.ghosts[facet]
        if facet == "regulation":  # the ghost amends it: named only while public
            amended_by = [
                a.get_text(strip=True) for a in page.select(".hub-header ul a")
            ]
            assert (ghost.name in amended_by) == expect.marker_listed
        if facet == "official":  # who met whom: the ghost only from a listed release
            met = [a.get_text(strip=True) for a in page.select(".meetings li > a")]
            assert (ghost.name in met) == expect.marker_listed, met
        # A ghost is public only while the subject is listed: then its hub lists
        # the subject (its header names it, so count and cards only), and so does
        # the listing filtered by it. Otherwise both answer as for a slug nothing
        # has: no hub, and a form error beside the unfiltered listing.
        if not expect.marker_listed:
            as_unknown(reader, lambda s: reader.get(f"/news/{facet}s/{s}/"), ghost)
            response = as_unknown(
                reader, lambda s: reader.get("/news/", {facet: s}), ghost
            )
            assert response.status_code == 200
            assert soup(response.decoded).select(".form-error"), facet
            return
        page = soup(reader.ok(hub_url(facet, ghost)))
        assert result_count(page) == 1
        assert world.url in card_urls(page)
        page = soup(reader.ok("/news/", {facet: ghost.slug}))
        assert result_count(page) == 1

    return check_hub


def chart_total(page):
    """The releases the month chart's table counts."""
    table = page.select_one("#releases-per-month-title").find_parent("figure")
    return sum(int(float(cell["data-value"])) for cell in table.select("tbody td"))


def check_hub_index(reader, world, expect):
    def count(page, facet, entity):
        # The list's link (the region index's map links provinces too).
        link = page.select_one("ul.entity-index").find("a", href=hub_url(facet, entity))
        if link is None:
            return 0
        span = link.find_next_sibling("span", class_="entity-index__count")
        return int(span.get_text().split()[0])

    for facet in FACETS:
        text = reader.ok(f"/news/{facet}s/")
        page = soup(text)
        ghost = world.ghosts[facet]
        assert count(page, facet, world.shared[facet]) == 1 + expect.listed, facet
        assert count(page, facet, ghost) == expect.marker_listed, facet
        # An index shows names: a regulation's is made from its type, number and
        # year, without MARKER.
        shown = has_marker(text) or ghost.name in text
        assert shown == expect.marker_listed, facet


def check_region_map(reader, world, expect):
    """The map of provinces on the region index and on the shared province's hub,
    in both languages: the ghost province (on a shape of its own) is linked,
    named and shaded only while the subject is listed; the shared one counts
    the subject only then."""
    shared, ghost = world.shared["region"], world.ghosts["region"]
    for path in ("/news/regions/", hub_url("region", shared), "/id/news/regions/"):
        figure = soup(reader.ok(path)).select_one("figure.region-map")
        assert figure is not None, path
        links = {a["href"]: a["aria-label"] for a in figure.select("svg a")}
        text = str(figure)
        if path.startswith("/id/"):  # the subject is English: nothing to show
            assert links == {}, links
            continue
        assert links[hub_url("region", shared)] == (
            f"{shared.name}: {1 + expect.listed} release"
            + ("s" if expect.listed else "")
        ), path
        assert (hub_url("region", ghost) in links) == expect.marker_listed, path
        shown = has_marker(text) or ghost.name in text or ghost.slug in text
        assert shown == expect.marker_listed, path
        shaded = figure.select("svg a path")
        assert len(shaded) == 1 + expect.marker_listed, path


def api_ids(reader, params=None):
    response = reader.get("/api/v2/releases/", {"limit": 100, **(params or {})})
    assert response.status_code == 200, (params, response.decoded)
    data = response.json()
    ids = [item["id"] for item in data["items"]]
    assert data["meta"]["total_count"] == len(ids)
    return ids, response.decoded


def check_api(reader, world, expect):
    """/api/v2/releases/ and its filters."""
    ids, text = api_ids(reader)
    assert world.control.pk in ids
    assert (world.pk in ids) == expect.listed
    assert len(ids) == 1 + expect.listed
    assert has_marker(text) == expect.marker_listed
    assert (world.pk in api_ids(reader, {"q": MARKER})[0]) == expect.marker_listed
    for facet in FACETS:
        ids, _ = api_ids(reader, {facet: world.shared[facet].slug})
        assert world.control.pk in ids, facet
        assert (world.pk in ids) == expect.listed, facet
        ghost = world.ghosts[facet]
        if not expect.marker_listed:  # a 400, as for a slug nothing has
            ask = lambda s, f=facet: reader.get("/api/v2/releases/", {f: s})  # noqa: E731
            assert as_unknown(reader, ask, ghost).status_code == 400
            continue
        ids, _ = api_ids(reader, {facet: ghost.slug})
        assert world.pk in ids, facet


def check_api_detail(reader, world, expect):
    """/api/v2/releases/<id>/ and find/ (by id and by the page's path)."""
    assert reader.get(f"/api/v2/releases/{world.control.pk}/").status_code == 200
    found = reader.get("/api/v2/releases/find/", {"html_path": world.control.url})
    assert found.status_code == 302
    response = reader.get(f"/api/v2/releases/{world.pk}/")
    assert has_marker(response.decoded) == expect.marker_served
    finds = [
        reader.get("/api/v2/releases/find/", params)
        for params in ({"id": world.pk}, {"html_path": world.url})
    ]
    if expect.served:
        assert response.status_code == 200
        data = response.json()
        assert data["title"] == world.title
        assert data["withdrawn"] == expect.withdrawn
        assert [find.status_code for find in finds] == [302, 302]
    else:
        assert response.status_code == 404
        assert [find.status_code for find in finds] == [404, 404]


def check_sitemap(reader, world, expect):
    text = reader.ok("/sitemap.xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", text)
    assert absolute(world.control.url) in locations
    for facet in FACETS:
        assert absolute(hub_url(facet, world.shared[facet])) in locations
        ghost = world.ghosts[facet]
        for entity in [ghost, *getattr(ghost, "get_ancestors", list)()]:
            listed = absolute(hub_url(facet, entity)) in locations
            assert listed == expect.marker_listed, entity
    assert (absolute(world.url) in locations) == expect.listed
    assert has_marker(text) == expect.marker_listed


def export_urls(reader, params=None, path="/news/"):
    response = reader.get(f"{path}export.csv", params)
    assert response.status_code == 200, (params, response.status_code)
    rows = list(csv.DictReader(io.StringIO(response.decoded)))
    return [row["url"] for row in rows], response.decoded


def check_export(reader, world, expect):
    urls, text = export_urls(reader)
    assert absolute(world.control.url) in urls
    assert (absolute(world.url) in urls) == expect.listed
    assert has_marker(text) == expect.marker_listed
    for facet in FACETS:
        ghost = world.ghosts[facet]
        if not expect.marker_listed:  # a 400, as for a slug nothing has
            ask = lambda s, f=facet: reader.get("/news/export.csv", {f: s})  # noqa: E731
            assert as_unknown(reader, ask, ghost).status_code == 400
            continue
        urls, _ = export_urls(reader, {facet: ghost.slug})
        assert absolute(world.url) in urls, facet


def check_hub_exports(reader, world, expect):
    """Each hub's export.csv: the hub's releases; a ghost's hub has one only while
    the ghost is public, in either language."""
    for facet in FACETS:
        urls, text = export_urls(reader, path=f"{hub_url(facet, world.shared[facet])}")
        assert absolute(world.control.url) in urls, facet
        assert (absolute(world.url) in urls) == expect.listed, facet
        assert has_marker(text) == expect.marker_listed, facet
        ghost = world.ghosts[facet]
        if expect.marker_listed:
            urls, _ = export_urls(reader, path=hub_url(facet, ghost))
            assert urls == [absolute(world.url)], facet
            continue
        for language in ("", "/id"):
            path = f"{language}/news/{facet}s/%s/export.csv"
            response = as_unknown(reader, lambda s, p=path: reader.get(p % s), ghost)
            assert response.status_code == 404, facet


API_ENTITIES = {
    "official": "officials",
    "sector": "sectors",
    "region": "regions",
    "regulation": "regulations",
}


def check_entity_api(reader, world, expect):
    """/api/v2/officials/, sectors/, regions/, regulations/: list, detail and find
    by id name a ghost (and a ghost's parents) only while it is public."""
    for facet, endpoint in API_ENTITIES.items():
        response = reader.get(f"/api/v2/{endpoint}/", {"limit": 100})
        assert response.status_code == 200
        items = {item["id"]: item for item in response.json()["items"]}
        assert world.shared[facet].pk in items, facet
        ghost = world.ghosts[facet]
        assert has_marker(response.decoded) == expect.marker_listed, facet
        for entity in [ghost, *getattr(ghost, "get_ancestors", list)()]:
            assert (entity.pk in items) == expect.marker_listed, entity
            detail = reader.get(f"/api/v2/{endpoint}/{entity.pk}/")
            found = reader.get(f"/api/v2/{endpoint}/find/", {"id": entity.pk})
            if expect.marker_listed:
                assert detail.status_code == 200, entity
                assert detail.json()["slug"] == entity.slug
                assert found.status_code == 302, entity
                continue
            # As for an id no row has.
            assert detail.status_code == found.status_code == 404, entity
            assert detail.json() == reader.get(f"/api/v2/{endpoint}/0/").json()
            assert not has_marker(detail.decoded + found.decoded), entity


def check_alert_form(reader, world, expect):
    """The alert form follows a ghost (naming it) only while it is public; else it
    refuses it as it refuses a slug nothing has, naming nothing."""
    for facet in FACETS:
        ghost = world.ghosts[facet]

        def ask(slug, facet=facet):
            return reader.get("/alerts/subscribe/", {facet: slug})

        if not expect.marker_listed:
            page = soup(as_unknown(reader, ask, ghost).decoded)
            # Carried back as the reader typed it, so that sending the form is
            # refused again; never followed as a wider filter.
            given = page.select_one("input[name=filter]").get("value", "")
            assert given == f"{facet}={ghost.slug}", facet
            assert page.select_one("p.form-error[role=alert]"), facet
            assert page.select_one(".lede") is None, facet
            continue
        page = soup(reader.ok("/alerts/subscribe/", {facet: ghost.slug}))
        assert page.select_one("input[name=filter]")["value"] == f"{facet}={ghost.slug}"
        assert ghost.name in page.select_one(".lede strong").get_text(), facet


def check_admin_preview(reader, world, expect):
    """Previews, drafts and revisions live under /admin/: login first, always."""
    pk = world.pk
    revision = world.subject.latest_revision_id
    paths = [
        f"/admin/pages/{pk}/edit/",
        f"/admin/pages/{pk}/edit/preview/",
        f"/admin/pages/{pk}/view_draft/",
        f"/admin/pages/{pk}/revisions/",
        f"/admin/pages/{pk}/revisions/{revision}/view/",
        f"/admin/pages/{pk}/revisions/compare/live...{revision}/",
    ]
    state = PressReleasePage.objects.filter(pk=pk).first()
    workflow = state and state.current_workflow_state
    if workflow:
        task = workflow.current_task_state.task_id
        paths.append(f"/admin/pages/workflow/preview/{pk}/{task}/")
    outsider = Client()
    outsider.force_login(get_user_model().objects.get_or_create(username="reader")[0])
    for path in paths:
        response = reader.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path
        assert not has_marker(response.decoded), path
        # Signed in without admin access is no better.
        response = outsider.get(path)
        assert response.status_code in (302, 403), path
        assert not has_marker(response.content.decode()), path
    if state is not None:  # the paths are right: an administrator sees the draft
        admin = world.request.getfixturevalue("admin_client")
        response = admin.get(f"/admin/pages/{pk}/view_draft/")
        assert response.status_code == 200
        draft = state.get_latest_revision_as_object()
        assert draft.title in response.content.decode()


def check_agenda_filters(reader, world, expect):
    """The agenda, its feed and its calendar take a ghost as a filter only while
    a release readers may see makes it known; else as a slug nothing has."""
    text = reader.ok("/news/agenda/", {"sector": world.shared["sector"].slug})
    assert world.event.url in card_urls(soup(text))
    for facet in FACETS:
        ghost = world.ghosts[facet]
        asks = {
            "listing": lambda s, f=facet: reader.get("/news/agenda/", {f: s}),
            "feed": lambda s, f=facet: reader.get("/news/agenda/feed/", {f: s}),
            "calendar": lambda s, f=facet: reader.get(
                "/news/agenda/calendar.ics", {f: s}
            ),
        }
        for name, ask in asks.items():
            if not expect.marker_listed:
                as_unknown(reader, ask, ghost)
                continue
            response = ask(ghost.slug)
            assert response.status_code == 200, (facet, name)
            assert "form-error" not in response.decoded, (facet, name)
            assert world.event.url not in response.decoded, (facet, name)


def check_hub_calendars(reader, world, expect):
    """Each shared hub's calendar has the agenda's event; a ghost's hub has a
    calendar only while the ghost is known."""
    for facet in FACETS:
        text = reader.ok(f"{hub_url(facet, world.shared[facet])}calendar.ics")
        assert f"/news/agenda/{world.event.slug}/" in text, facet
        assert not has_marker(text), facet
        ghost = world.ghosts[facet]
        if not expect.marker_listed:
            ask = lambda s, f=facet: reader.get(f"/news/{f}s/{s}/calendar.ics")  # noqa: E731
            assert as_unknown(reader, ask, ghost).status_code == 404, facet
            continue
        assert reader.get(f"{hub_url(facet, ghost)}calendar.ics").status_code == 200


def check_event_outcome(reader, world, expect):
    """An event naming the subject as its outcome names it only while listed."""
    text = reader.ok(world.event.url)
    outcome = soup(text).find("h2", string="Outcome")
    urls = (
        [a["href"] for a in outcome.find_parent("section").select("a")]
        if (outcome)
        else []
    )
    assert (world.url in urls) == expect.listed
    assert has_marker(text) == expect.marker_listed


def check_pictures(reader, world, expect):
    """The subject's picture (original, rendition, download named after it) is
    served only while readers may read the release; a live release's always is.
    Read by a reader of its own: the embargoed state's client holds the link."""
    anonymous = Client()
    if not hasattr(world, "picture_control"):  # checked before and after hiding
        control_picture = make_picture("Antimony smelter yard")
        world.picture_control = (
            control_picture,
            make_release("Antimony yard pictures", hero_image=control_picture),
        )
    control_picture, control = world.picture_control
    for url in (
        f"/media/{control_picture.file.name}",
        control_picture.get_rendition("width-32").url,
        f"{control.url}media/{control.slug}-1.png",
    ):
        assert anonymous.get(url).status_code == 200, url
    if world.picture is None:
        return  # a newer version made in the admin form carries no picture
    visible = expect.served and expect.marked and not expect.withdrawn
    picture = world.picture
    for url in (
        f"/media/{picture.file.name}",
        picture.get_rendition("width-32").url,
        f"/news/{HIDDEN_SLUG}/media/{HIDDEN_SLUG}-1.png",
    ):
        response = anonymous.get(url)
        assert response.status_code == (200 if visible else 404), (url, expect)
        if not visible:
            reader.bodies.append(response.content.decode())


def check_downloads(reader, world, expect):
    """The release's PDF, press kit and ninjs (#19), and the vCard of a contact
    only the subject names: there while the release is listed (published, not
    withdrawn), 404 otherwise, and never with a hidden version's words."""
    # Linked before the first read (set_up); again after a hiding change that
    # dropped the link.
    link_ghost_contact(world)
    control = reader.get(f"{world.control.url}ninjs.json")
    assert control.status_code == 200 and CONTROL_TITLE in control.decoded
    for name in ("ninjs.json", "press-kit.zip", "release.pdf"):
        response = reader.get(f"{world.url}{name}")
        assert response.status_code == (200 if expect.listed else 404), name
        if name == "ninjs.json" and expect.listed:
            assert world.title in response.decoded
        if name == "press-kit.zip" and expect.listed:
            archive = zipfile.ZipFile(io.BytesIO(response.decoded_bytes))
            text = archive.read("release.md").decode()
            assert world.title in text
            assert has_marker(text) == expect.marker_listed
        if name == "release.pdf" and expect.listed:
            assert response.decoded_bytes.startswith(b"%PDF-")
        assert not has_marker(response.decoded) or expect.marker_listed, name
    vcard = reader.get("/news/contacts/ghost-spokesperson.vcf")
    assert vcard.status_code == (200 if expect.listed else 404)


def link_ghost_contact(world):
    """A contact only the subject names (its vCard is a downloads channel)."""
    contact, _ = MediaContact.objects.get_or_create(
        slug="ghost-spokesperson",
        defaults={"name": "Ghost Spokesperson", "email": "g@example.org"},
    )
    if PressReleasePage.objects.filter(pk=world.pk).exists():
        ReleaseContact.objects.get_or_create(
            page_id=world.pk, contact=contact, defaults={"sort_order": 0}
        )


def check_figures(reader, world, expect):
    """The figures tracker, its CSV and its JSON, by every grouping and in both
    languages: the subject's figure (its unit carries MARKER) and the ghost
    sectors and regions only while the subject is listed."""
    texts = []
    for group in ("year", "sector", "region"):
        texts.append(reader.ok("/news/figures/", {"group": group}))
        texts.append(reader.ok("/news/figures/export.csv", {"group": group}))
        texts.append(reader.ok("/api/v2/figures/", {"group": group}))
    texts.append(reader.ok("/id/news/figures/", {"group": "sector"}))
    # One entity chosen reads the totals stored for its scope.
    for facet in FACETS:
        texts.append(reader.ok("/api/v2/figures/", {facet: world.shared[facet].slug}))
    text = "".join(texts)
    assert CONTROL_UNIT in text
    subject = PressReleasePage.objects.filter(pk=world.pk).first()
    gives_figure = subject is not None and HIDDEN_UNIT in str(subject.body.raw_data)
    if not expect.marker_listed:
        assert not has_marker(text)
    elif gives_figure:
        assert has_marker(text)
        assert HIDDEN_UNIT in text


CHANNELS = {
    "page": check_page,
    "downloads": check_downloads,
    "listing": check_listing,
    "search": check_search,
    "home": check_home,
    "related": check_related,
    "feed": check_feed,
    "hub-feeds": check_hub_feeds,
    **{f"{facet}-hub": hub_checker(facet) for facet in FACETS},
    "hub-index": check_hub_index,
    "region-map": check_region_map,
    "api": check_api,
    "api-detail": check_api_detail,
    "sitemap": check_sitemap,
    "export": check_export,
    "hub-exports": check_hub_exports,
    "entity-api": check_entity_api,
    "alert-form": check_alert_form,
    "admin-preview": check_admin_preview,
    "agenda-filters": check_agenda_filters,
    "hub-calendars": check_hub_calendars,
    "event-outcome": check_event_outcome,
    "pictures": check_pictures,
    "figures": check_figures,
}
PICTURE_CHANNELS = {"pictures"}


# Where a release readers are served (a withdrawn one) shows what it links.
SERVING_CHANNELS = {"page", "api-detail"}


def read(client, world, channel, expect):
    reader = Reader(client)
    CHANNELS[channel](reader, world, expect)
    for secret in world.secrets:
        assert not any(secret in body for body in reader.bodies), "a secret leaked"
    # The ghost regulation's name carries no MARKER: it must not show either.
    name = world.ghosts["regulation"].name
    if not expect.marker_listed and not (
        expect.marker_served and channel in SERVING_CHANNELS
    ):
        assert not any(name in body for body in reader.bodies), name


@pytest.fixture(scope="module")
def base(django_db_setup, django_db_blocker):
    """What every case shares and none changes: the entities and the live control.

    Built once for the module in a transaction rolled back at its end; each case
    runs in a savepoint inside it and builds its own subject.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_site_tree()
        shared = release_linked_entities("Antimony")
        ghosts = release_linked_entities(MARKER.title())
        # Provinces of Indonesia, each with a shape on the map of provinces.
        for entities, code in ((shared, "72"), (ghosts, "74")):
            region = entities["region"]
            Region.objects.filter(pk=region.pk).update(kemendagri_code=code)
            Region.objects.filter(path=region.path[: -Region.steplen]).update(
                iso_code="ID"
            )
        # In the chain: the ghost regulation amends the control's.
        ghosts["regulation"].amends.set([shared["regulation"]])
        ghosts["regulation"].save()
        yield {
            "shared": shared,
            "ghosts": ghosts,
            "control": make_linked_release(
                CONTROL_TITLE,
                shared,
                release_date=datetime.date(2024, 1, 10),
                body=[key_figures_block((5, CONTROL_UNIT, False, "output"))],
            ),
            "event": make_event(
                "Antimony smelter hearing",
                start=timezone.now() + datetime.timedelta(days=4),
                slug="antimony-hearing",
                parent=default_agenda(),
                **{f"{facet}s": [shared[facet]] for facet in FACETS},
            ),
        }
        transaction.set_rollback(True)


# Their set-up adds a live release (the related channel's companion, the pictures
# channel's control picture and its release), which would change the other
# channels' counts. Rolling it back in a savepoint would not do: that winds the
# content version back, and a later change would find responses cached under the
# rolled-back version. So each of these channels gets a subject of its own.
OWN_SUBJECT = ("related", "pictures")
SHARED_SUBJECT = tuple(channel for channel in CHANNELS if channel not in OWN_SUBJECT)
assert PICTURE_CHANNELS <= set(OWN_SUBJECT), "a picture would show on other channels"


def set_up(request, client, base, state, channels):
    """The state's subject, linked as the channels read need it."""
    spec = STATES[state]
    world = World(request, client, frozenset(channels), **base)
    world.subject = spec.create(world)
    # The control lists the subject among its related releases (and, for that
    # channel, a live companion, so the list is never empty).
    related = [world.subject]
    if "related" in channels:
        world.companion = make_release("Companion note on smelting")
        related.append(world.companion)
    for position, release in enumerate(related):
        RelatedRelease.objects.create(
            page=world.control, release=release, sort_order=position
        )
    EventOutcome.objects.create(page=world.event, release=world.subject)
    if "downloads" in channels:
        link_ghost_contact(world)
    return spec, world


def reader_client(client):
    """A client of a channel's own, holding what the state's set-up left with the
    reader (the embargoed state's link cookie), so that no channel's answers (a
    session, a message, a cookie) reach another's requests."""
    own = Client()
    own.cookies = copy.deepcopy(client.cookies)
    return own


@pytest.mark.parametrize("state", STATES)
def test_hidden_release_stays_out_of_every_channel(
    request, client, base, newsroom, subtests, state
):
    spec, world = set_up(request, client, base, state, SHARED_SUBJECT)
    clients = {channel: reader_client(client) for channel in SHARED_SUBJECT}

    def read_all(phase, expect):
        for channel in SHARED_SUBJECT:
            # The savepoint keeps a failing read (a database error on PostgreSQL)
            # from breaking the transaction the next channels read in.
            with subtests.test(phase=phase, channel=channel), transaction.atomic():
                try:
                    read(clients[channel], world, channel, expect)
                finally:
                    # As between tests: an /id/ request leaves Indonesian active.
                    translation.activate(settings.LANGUAGE_CODE)

    if spec.hide:
        read_all("before", spec.before)
        spec.hide(world)
    read_all("after", spec.expect)


@pytest.mark.parametrize(
    ("state", "channel"),
    [
        pytest.param(state, channel, id=f"{state}-{channel}")
        for state in STATES
        for channel in OWN_SUBJECT
    ],
)
def test_hidden_release_stays_out_of_the_channel(
    request, client, base, newsroom, state, channel
):
    spec, world = set_up(request, client, base, state, [channel])
    if spec.hide:
        read(client, world, channel, spec.before)
        spec.hide(world)
    read(client, world, channel, spec.expect)
