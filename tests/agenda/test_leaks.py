"""No event readers may not see reaches them: every hidden state x every channel
of the agenda.

Each case makes a *subject* event in one state (a draft, scheduled, private
behind a password or a sign-in, or unpublished) beside a live *control* event,
and reads one channel as an anonymous reader. The subject carries MARKER in its
title, summary and place, and links the control's "shared" entities and
"ghost" entities nothing else links. A leak shows as the word, as a count (a
shared entity counting 2) or as a ghost readers may know of (a hub, a filter).
States that start live are first checked visible on the same channel: the
check sees the subject when it is there, and the cache warmed then must be
invalidated by the change.
"""

import dataclasses
import datetime
import re
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.kinds import KINDS
from newsroom.models import EventPage
from tests.agenda.reading import feed, uid_pk
from tests.factories import (
    default_agenda,
    make_event,
    make_linked_release,
    make_release,
    release_linked_entities,
)

MARKER = "xenotime"
PASSWORD = "tern-quartz-4417"
FACETS = [kind.name for kind in KINDS]
SEGMENTS = {kind.name: kind.segment for kind in KINDS}
SOON = datetime.timedelta(days=4)


def links(*entity_sets):
    """make_event keyword arguments linking every entity of the sets."""
    return {
        SEGMENTS[facet]: [entities[facet] for entities in entity_sets]
        for facet in FACETS
    }


@dataclass
class World:
    client: Client
    shared: dict
    ghosts: dict
    control: EventPage
    subject: EventPage | None = None
    slug: str = "smelter-visit"  # no MARKER: the URL and the word apart

    @property
    def url(self):
        return f"/news/agenda/{self.slug}/"


def make_subject(world, **fields):
    return make_event(
        "Xenotime smelter visit",
        start=timezone.now() + datetime.timedelta(days=2),
        end=datetime.timedelta(hours=2),
        slug=world.slug,
        summary="The xenotime plant opens to the press.",
        place="Xenotime plant, Morowali",
        **links(world.shared, world.ghosts),
        **fields,
    )


def create_draft(world):
    return make_subject(world, live=False)


def create_scheduled(world):
    subject = make_subject(
        world, go_live_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert subject.scheduled_revision is not None and not subject.live
    return subject


def restrict(kind):
    def hide(world):
        if kind == PageViewRestriction.PASSWORD:
            PageViewRestriction.objects.create(
                page=world.subject, restriction_type=kind, password=PASSWORD
            )
        else:
            PageViewRestriction.objects.create(
                page=world.subject, restriction_type=kind
            )

    return hide


def unpublish(world):
    EventPage.objects.get(pk=world.subject.pk).unpublish()


def delete(world):
    EventPage.objects.get(pk=world.subject.pk).delete()


@dataclass(frozen=True)
class State:
    create: object
    hide: object = None  # what hides a live subject, checked before and after


STATES = {
    "draft": State(create_draft),
    "scheduled": State(create_scheduled),
    "private-password": State(make_subject, restrict(PageViewRestriction.PASSWORD)),
    "private-login": State(make_subject, restrict(PageViewRestriction.LOGIN)),
    "unpublished": State(make_subject, unpublish),
    "deleted": State(make_subject, delete),
}


# --- the channels: check(world, visible) ------------------------------------------


def get(world, path, params=None):
    response = world.client.get(path, params or {})
    response.text = response.content.decode()
    assert PASSWORD not in response.text
    return response


def ok(world, path, params=None):
    response = get(world, path, params)
    assert response.status_code == 200, (path, params, response.status_code)
    return response


def has_marker(text):
    return MARKER in text.lower()


def cards(text):
    page = BeautifulSoup(text, "html.parser")
    return [a["href"] for a in page.select(".event-card .release-card__title a")]


def facet_count(text, facet, entity):
    page = BeautifulSoup(text, "html.parser")
    box = page.find(id=f"f-{facet}-{entity.slug}")
    if box is None:
        return 0
    count = box.find_parent("label").select_one(".facet__count").get_text()
    return int(re.search(r"\d+", count).group())


def hub(facet, entity):
    return f"/news/{SEGMENTS[facet]}/{entity.slug}/"


def check_listing(world, visible):
    text = ok(world, "/news/agenda/").text
    assert world.control.url in cards(text)
    assert (world.url in cards(text)) == visible
    count = BeautifulSoup(text, "html.parser").select_one(".result-count").get_text()
    assert count.split()[0] == str(1 + visible)
    for facet in FACETS:
        assert facet_count(text, facet, world.shared[facet]) == 1 + visible, facet
        assert facet_count(text, facet, world.ghosts[facet]) == visible, facet
    assert has_marker(text) == visible


def check_search(world, visible):
    text = ok(world, "/news/agenda/", {"q": "plant"}).text
    assert (world.url in cards(text)) == visible
    found = ok(world, "/news/agenda/", {"q": MARKER}).text
    assert cards(found) == ([world.url] if visible else [])


def check_filters(world, visible):
    """A ghost filters the agenda (and the releases) only while it is known;
    else it is refused as a slug nothing has."""
    for facet in FACETS:
        ghost = world.ghosts[facet]
        for path in ("/news/agenda/", "/news/"):
            text = ok(world, path, {facet: ghost.slug}).text
            refused = bool(BeautifulSoup(text, "html.parser").select(".form-error"))
            assert refused == (not visible), (facet, path)
        shared = ok(world, "/news/agenda/", {facet: world.shared[facet].slug}).text
        assert (world.url in cards(shared)) == visible


def ics_pks(world, path, params=None):
    response = get(world, path, params)
    assert response.status_code == 200, (path, response.status_code)
    return [uid_pk(uid) for uid in re.findall(r"UID:(\S+)", response.text)], response


def check_calendar(world, visible):
    pks, response = ics_pks(world, "/news/agenda/calendar.ics")
    assert world.control.pk in pks
    assert (world.subject.pk in pks) == visible
    assert has_marker(response.text) == visible
    for facet in FACETS:
        if not visible:  # a 400, as for a slug nothing has
            response = get(
                world, "/news/agenda/calendar.ics", {facet: world.ghosts[facet].slug}
            )
            assert response.status_code == 400, facet
            continue
        pks, _ = ics_pks(
            world, "/news/agenda/calendar.ics", {facet: world.ghosts[facet].slug}
        )
        assert pks == [world.subject.pk]


def check_hub_calendars(world, visible):
    for facet in FACETS:
        pks, response = ics_pks(world, f"{hub(facet, world.shared[facet])}calendar.ics")
        assert world.control.pk in pks, facet
        assert (world.subject.pk in pks) == visible, facet
        assert has_marker(response.text) == visible
        ghost = get(world, f"{hub(facet, world.ghosts[facet])}calendar.ics")
        assert ghost.status_code == (200 if visible else 404), facet


def check_event_calendar(world, visible):
    assert ok(world, f"{world.control.url}calendar.ics")
    response = get(world, f"{world.url}calendar.ics")
    assert response.status_code == (200 if visible else 404)
    assert has_marker(response.text) == visible


def check_page(world, visible):
    response = get(world, world.url)
    if visible:
        assert response.status_code == 200 and has_marker(response.text)
        return
    assert not has_marker(response.text)
    assert (
        response.status_code == 404
        or (response.status_code == 302 and "login" in response["Location"])
        or (response.status_code == 200 and "Password required" in response.text)
    ), response.status_code


def check_feed(world, visible):
    parsed = feed(get(world, "/news/agenda/feed/"))
    entries = [entry.link for entry in parsed.entries]
    assert f"http://localhost{world.control.url}" in entries
    assert (f"http://localhost{world.url}" in entries) == visible
    assert has_marker(str(parsed)) == visible
    for facet in FACETS:
        response = get(world, "/news/agenda/feed/", {facet: world.ghosts[facet].slug})
        assert response.status_code == (200 if visible else 400), facet


def upcoming(text):
    block = BeautifulSoup(text, "html.parser").select_one("section.upcoming-events")
    return [a["href"] for a in block.select(".release-card__title a")] if block else []


def check_home(world, visible):
    text = ok(world, "/").text
    assert world.control.url in upcoming(text)
    assert (world.url in upcoming(text)) == visible
    assert has_marker(text) == visible


def check_hubs(world, visible):
    for facet in FACETS:
        text = ok(world, hub(facet, world.shared[facet])).text
        assert world.control.url in upcoming(text), facet
        assert (world.url in upcoming(text)) == visible, facet
        assert has_marker(text) == visible, facet
        ghost = get(world, hub(facet, world.ghosts[facet]))
        assert ghost.status_code == (200 if visible else 404), facet
        # the ghost's parent (trees): public only with it
        for parent in getattr(world.ghosts[facet], "get_ancestors", list)():
            response = get(world, hub(facet, parent))
            assert response.status_code == (200 if visible else 404), parent


def check_sitemap(world, visible):
    text = ok(world, "/sitemap.xml").text
    locations = re.findall(r"<loc>([^<]+)</loc>", text)
    assert f"http://localhost{world.control.url}" in locations
    assert (f"http://localhost{world.url}" in locations) == visible
    # Hubs are listed by their releases and their events (channels/seo.py): a
    # ghost's while the subject names it, never once it is hidden.
    for facet in FACETS:
        ghost_hub = f"http://localhost{hub(facet, world.ghosts[facet])}"
        assert (ghost_hub in locations) == visible, facet
    if not visible:  # an event's URL is its slug; only a ghost's hub bears the word
        assert not has_marker(text)


def check_hub_indexes(world, visible):
    for facet in FACETS:
        text = ok(world, f"/news/{SEGMENTS[facet]}/").text
        assert hub(facet, world.shared[facet]) in text, facet
        assert (hub(facet, world.ghosts[facet]) in text) == visible, facet
        if not visible:
            assert not has_marker(text), facet


CHANNELS = {
    "listing": check_listing,
    "search": check_search,
    "filters": check_filters,
    "calendar": check_calendar,
    "hub-calendars": check_hub_calendars,
    "event-calendar": check_event_calendar,
    "page": check_page,
    "feed": check_feed,
    "home": check_home,
    "hubs": check_hubs,
    "sitemap": check_sitemap,
    "hub-indexes": check_hub_indexes,
}


@pytest.fixture(scope="module")
def base(django_db_setup, django_db_blocker):
    """The entities and the live control, built once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_site_tree()
        agenda = default_agenda()
        shared = release_linked_entities("Antimony")
        yield {
            "shared": shared,
            "ghosts": release_linked_entities(MARKER.title()),
            "control": make_event(
                "Antimony smelter licence hearing",
                start=timezone.now() + SOON,
                slug="licence-hearing",
                summary="The antimony plant's licence is heard.",
                **links(shared),
                parent=agenda,
            ),
        }
        transaction.set_rollback(True)


@pytest.mark.parametrize("state", STATES)
def test_hidden_event_stays_out_of_every_channel(base, db, subtests, state):
    """The subject is made once for the state and every channel read of it, each
    by a reader of its own (no channel's cookie or session reaches another's),
    as tests/matrices/test_leak_matrix.py reads a hidden release."""
    from django.core.cache import cache

    cache.clear()
    spec = STATES[state]
    world = World(Client(), **base)
    world.subject = spec.create(world)

    def check_all(visible):
        for channel, check in CHANNELS.items():
            # The savepoint keeps a failing read (a database error on PostgreSQL)
            # from breaking the transaction the next channels read in.
            with subtests.test(channel=channel, visible=visible), transaction.atomic():
                check(dataclasses.replace(world, client=Client()), visible=visible)

    if spec.hide:
        check_all(visible=True)
        spec.hide(world)
    check_all(visible=False)


# --- outcomes ----------------------------------------------------------------------


def test_only_outcomes_readers_may_see_are_named(client, newsroom):
    shown = make_release("Smelter licence granted", slug="licence-granted")
    draft = make_release("Xenotime draft outcome", slug="draft-outcome", live=False)
    withdrawn = make_release(
        "Xenotime withdrawn outcome",
        slug="withdrawn-outcome",
        withdrawn=True,
        withdrawn_on=datetime.date(2024, 10, 1),
        withdrawal_reason="Issued in error.",
    )
    private = make_release("Xenotime private outcome", slug="private-outcome")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    event = make_event("Licence decision", start=timezone.now() - SOON, live=False)
    for position, release in enumerate([draft, shown, withdrawn, private]):
        event.outcomes.create(release=release, sort_order=position)
    event.save_revision().publish()
    page = BeautifulSoup(client.get(event.url).content, "html.parser")
    outcome = page.find("h2", string="Outcome").find_parent("section")
    assert [a["href"] for a in outcome.select("a")] == [shown.url]
    assert not has_marker(page.get_text())


def test_an_entity_linked_by_a_release_only_is_known_to_the_agenda(client, newsroom):
    """Known is known: a published release makes an entity a filter of the agenda
    too (with no event), as an event makes one a filter of the releases."""
    entities = release_linked_entities("Cobalt")
    make_linked_release("Cobalt refinery opens", entities)
    default_agenda()
    for facet in FACETS:
        response = client.get("/news/agenda/", {facet: entities[facet].slug})
        page = BeautifulSoup(response.content, "html.parser")
        assert not page.select(".form-error"), facet
        assert not page.select(".event-card"), facet


def test_a_draft_of_a_live_event_stays_a_draft(client, base, db):
    """A live event whose next version (a retitled, relinked draft) is saved but
    not published: every channel gives the live version and no ghost."""
    world = World(client, **base)
    world.subject = make_event(
        "Antimony smelter visit",
        start=timezone.now() + datetime.timedelta(days=2),
        slug=world.slug,
        **links(world.shared),
    )
    draft = EventPage.objects.get(pk=world.subject.pk).get_latest_revision_as_object()
    draft.title = "Xenotime smelter visit"
    draft.summary = "The xenotime plant opens to the press."
    for facet in FACETS:
        relation = getattr(draft, f"event_{SEGMENTS[facet]}")
        field = next(k for k in KINDS if k.name == facet).link_field
        relation.add(relation.model(**{field: world.ghosts[facet]}))
    draft.save_revision()
    assert EventPage.objects.get(pk=world.subject.pk).has_unpublished_changes
    paths = [
        "/",
        "/news/agenda/",
        "/news/agenda/feed/",
        "/news/agenda/calendar.ics",
        world.url,
        f"{world.url}calendar.ics",
        *(hub(facet, world.shared[facet]) for facet in FACETS),
        *(f"{hub(facet, world.shared[facet])}calendar.ics" for facet in FACETS),
    ]
    for path in paths:
        text = ok(world, path).text
        assert not has_marker(text), path
    assert world.url in cards(ok(world, "/news/agenda/").text)
    for facet in FACETS:
        assert get(world, hub(facet, world.ghosts[facet])).status_code == 404, facet
        text = ok(world, "/news/agenda/", {facet: world.ghosts[facet].slug}).text
        assert BeautifulSoup(text, "html.parser").select(".form-error"), facet
