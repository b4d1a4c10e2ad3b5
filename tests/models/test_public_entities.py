"""Who readers may know of (issue 23, item 5): an official, organisation, sector,
region, topic or regulation is public once a release readers may see links it, or
once an editor marks it public; until then every channel answers as for an unknown
slug.

The leak matrix (tests/matrices/test_leak_matrix.py) reads every channel in every hidden
state; these tests pin the rule itself and an embargoed appointment end to end.
"""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from newsroom.alerts import criteria
from newsroom.finder.filterset import FACETS, ReleaseFilterSet
from newsroom.models import Official, PressReleasePage, Regulation
from newsroom.models.translations import translation_model_of
from tests.factories import (
    AppointmentFactory,
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    make_release,
)


def public(facet):
    return set(FACETS[facet].public().values_list("slug", flat=True))


def in_two_days():
    return timezone.now() + datetime.timedelta(days=2)


@pytest.fixture
def entities(newsroom):
    return {
        "official": OfficialFactory(name="Rina Hartono", bio="Appointed in secret."),
        "organisation": OrganisationFactory(name="Battery Authority"),
        "sector": SectorFactory(name="Cells", parent=SectorFactory(name="Batteries")),
        "region": RegionFactory(name="Weda", parent=RegionFactory(name="Halmahera")),
        "topic": TopicFactory(name="sodium-ion"),
        "regulation": RegulationFactory(
            type="presidential_regulation", number="12", year=2025
        ),
    }


def links(entities):
    return {f"{facet}s": [entity] for facet, entity in entities.items()}


HIDING = {
    "draft": {"live": False},
    "scheduled": {"go_live_at": "later"},
    "withdrawn": {
        "withdrawn": True,
        "withdrawn_on": datetime.date(2024, 10, 1),
        "withdrawal_reason": "Issued in error.",
    },
    "private": {},
}


@pytest.mark.parametrize("state", list(HIDING))
def test_a_release_readers_cannot_see_makes_nothing_public(entities, state):
    fields = dict(HIDING[state])
    if fields.get("go_live_at"):
        fields["go_live_at"] = in_two_days()
    release = make_release("Battery statement", **links(entities), **fields)
    if state == "private":
        PageViewRestriction.objects.create(
            page=release, restriction_type=PageViewRestriction.LOGIN
        )
    for facet, entity in entities.items():
        assert entity.slug not in public(facet), facet
        assert FACETS[facet].model.objects.filter(pk=entity.pk).exists()


def test_a_visible_release_makes_its_entities_and_their_parents_public(entities):
    release = make_release("Battery statement", **links(entities))
    for facet, entity in entities.items():
        assert entity.slug in public(facet), facet
    assert {"batteries", "cells"} <= public("sector")
    assert {"halmahera", "weda"} <= public("region")
    # Unpublished, it takes them back out of public view.
    PressReleasePage.objects.get(pk=release.pk).unpublish()
    for facet, entity in entities.items():
        assert entity.slug not in public(facet), facet
    assert "halmahera" not in public("region")


def test_an_editor_marks_an_entity_public(entities):
    for facet, entity in entities.items():
        entity.marked_public = True
        entity.save()
        assert entity.slug in public(facet), facet
    # A tree node's parents come with it, never its children.
    assert "batteries" in public("sector")
    sector = entities["sector"]
    SectorFactory(name="Anodes", parent=sector)
    assert "anodes" not in public("sector")


@pytest.mark.parametrize("facet", list(FACETS))
def test_a_filter_refuses_an_unannounced_entity_like_an_unknown_slug(entities, facet):
    make_release("Draft statement", **links(entities), live=False)
    entity = entities[facet]

    def errors(slug):
        filterset = ReleaseFilterSet(
            QueryDict(f"{facet}={slug}"), queryset=PressReleasePage.objects.all()
        )
        return filterset.errors

    unknown = errors("no-such-slug")
    assert unknown
    assert errors(entity.slug) == {
        name: [message.replace("no-such-slug", entity.slug) for message in messages]
        for name, messages in unknown.items()
    }
    # The alert form refuses it as it refuses an unknown slug.
    for slug in ("no-such-slug", entity.slug):
        with pytest.raises(criteria.InvalidFilter):
            criteria.canonical_query(f"{facet}={slug}", strict=True)
    make_release("Published statement", **links(entities))
    assert not errors(entity.slug)
    query = f"{facet}={entity.slug}"
    assert criteria.canonical_query(query, strict=True) == query


@pytest.mark.parametrize("facet", list(FACETS))
def test_a_translated_slug_finds_no_unannounced_entity(client, entities, facet):
    entity = entities[facet]
    translation_model_of(type(entity)).objects.create(
        entity=entity,
        locale=Locale.objects.get(language_code="id"),
        name=f"{entity.name} (id)",
        slug=f"{entity.slug}-id",
    )
    make_release("Draft statement", **links(entities), live=False)
    hub = f"/id/news/{facet}s/{entity.slug}-id/"
    assert client.get(hub).status_code == 404
    response = client.get("/id/news/", {facet: f"{entity.slug}-id"})
    assert f"{entity.name} (id)" not in response.content.decode()
    entity.marked_public = True
    entity.save()
    assert client.get(hub).status_code == 200


def test_an_official_appointed_under_embargo_stays_unknown_until_it_lifts(
    client, newsroom
):
    """The case of the report: an official created for an embargoed appointment,
    with a bio, was listed by the API and had an indexable hub."""
    ministry = OrganisationFactory(name="Ministry of Industry", marked_public=True)
    rina = OfficialFactory(name="Rina Hartono", bio="Appointed in secret.")
    AppointmentFactory(
        official=rina,
        organisation=ministry,
        position="Director General",
        start_date=datetime.date(2024, 9, 1),
    )
    make_release("Appointment announced", officials=[rina], go_live_at=in_two_days())
    hub = f"/news/officials/{rina.slug}/"

    def seen():
        api = client.get("/api/v2/officials/").json()
        return {
            "api": rina.slug in [item["slug"] for item in api["items"]],
            "detail": client.get(f"/api/v2/officials/{rina.pk}/").status_code,
            "find": client.get("/api/v2/officials/find/", {"id": rina.pk}).status_code,
            "hub": client.get(hub).status_code,
            "feed": client.get(f"{hub}feed/").status_code,
            "export": client.get(f"{hub}export.csv").status_code,
            "filter": client.get(
                "/api/v2/releases/", {"official": rina.slug}
            ).status_code,
            "people": "Rina Hartono"
            in client.get(f"/news/organisations/{ministry.slug}/").content.decode(),
            "sitemap": hub in client.get("/sitemap.xml").content.decode(),
        }

    hidden = {
        "api": False,
        "detail": 404,
        "find": 404,
        "hub": 404,
        "feed": 404,
        "export": 404,
        "filter": 400,
        "people": False,
        "sitemap": False,
    }
    assert seen() == hidden
    assert (
        "Appointed in secret" not in client.get("/api/v2/officials/").content.decode()
    )
    # The embargo lifts: publish_scheduled (cron) publishes the release.
    later = timezone.now() + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    assert Official.objects.filter(pk=rina.pk).exists()
    assert seen() == {
        "api": True,
        "detail": 200,
        "find": 302,
        "hub": 200,
        "feed": 200,
        "export": 200,
        "filter": 200,
        "people": True,
        "sitemap": True,
    }


def test_a_regulation_drafted_for_an_embargoed_release_stays_unknown_until_it_lifts(
    client, newsroom
):
    """A regulation added to the register for an embargoed release, amending one
    readers know: neither it nor its place in the chain shows before the embargo
    lifts."""
    known = RegulationFactory(type="law", number="3", year=2020, marked_public=True)
    secret = RegulationFactory(
        type="government_regulation",
        number="7",
        year=2025,
        title="Secret battery levy",
        amends=[known],
    )
    make_release("Levy announced", regulations=[secret], go_live_at=in_two_days())
    hub = f"/news/regulations/{secret.slug}/"

    def seen():
        api = client.get("/api/v2/regulations/").json()
        known_hub = client.get(f"/news/regulations/{known.slug}/").content.decode()
        return {
            "api": secret.slug in [item["slug"] for item in api["items"]],
            "chain": [item["amended_by"] for item in api["items"]],
            "detail": client.get(f"/api/v2/regulations/{secret.pk}/").status_code,
            "find": client.get(
                "/api/v2/regulations/find/", {"id": secret.pk}
            ).status_code,
            "hub": client.get(hub).status_code,
            "feed": client.get(f"{hub}feed/").status_code,
            "export": client.get(f"{hub}export.csv").status_code,
            "filter": client.get(
                "/api/v2/releases/", {"regulation": secret.slug}
            ).status_code,
            "index": hub in client.get("/news/regulations/").content.decode(),
            "known hub": "Government Regulation No. 7 of 2025" in known_hub,
            "sitemap": hub in client.get("/sitemap.xml").content.decode(),
        }

    assert seen() == {
        "api": False,
        "chain": [[]],
        "detail": 404,
        "find": 404,
        "hub": 404,
        "feed": 404,
        "export": 404,
        "filter": 400,
        "index": False,
        "known hub": False,
        "sitemap": False,
    }
    assert "Secret battery levy" not in (
        client.get("/api/v2/regulations/").content.decode()
    )
    later = timezone.now() + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    assert Regulation.objects.filter(pk=secret.pk).exists()
    assert seen() == {
        "api": True,
        "chain": [[], [secret.slug]],  # newest first: the secret, then Law 3/2020
        "detail": 200,
        "find": 302,
        "hub": 200,
        "feed": 200,
        "export": 200,
        "filter": 200,
        "index": True,
        "known hub": True,
        "sitemap": True,
    }
