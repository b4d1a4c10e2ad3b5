"""Querysets compiled once and run with other values (models/precompiled.py):
each answer is the queryset's own, whatever the values, on both databases."""

import pytest
from django.db import connection

from newsroom.models import PressReleasePage, Sector
from newsroom.models.precompiled import compiled, run_precompiled
from newsroom.models.routing import child_and_translations, child_with_translations
from tests.factories import SectorFactory, make_release


def sectors_named(prefix, depth):
    return Sector.objects.filter(name__startswith=prefix, depth=depth).order_by("name")


@pytest.mark.django_db
def test_each_call_runs_with_its_own_values():
    for name in ("50%_off smelting", "50xyoff smelting", "Nickel", "Nickel ore"):
        SectorFactory(name=name)
    for prefix in ("50%_", "50", "Nickel", "Nickel o", "nothing", "%", "_"):
        for depth in (1, 2):
            expected = list(sectors_named(prefix, depth))
            answer = run_precompiled(sectors_named, (), prefix=prefix, depth=depth)
            assert answer == expected, (prefix, depth)
    assert compiled.cache_info().currsize >= 1


@pytest.mark.django_db
def test_routing_finds_the_child_with_its_translations_as_the_queryset_does(newsroom):
    releases = [make_release(f"Smelter note {n}") for n in range(3)]
    for release in releases:
        routed = child_with_translations(
            PressReleasePage, newsroom, release.slug, "hero_image"
        )
        assert routed.pk == release.pk
        assert routed.view_restricted is False
        assert set(routed.live_translations) == {"en"}
        expected = child_and_translations(
            PressReleasePage,
            ("hero_image",),
            newsroom.path,
            newsroom.depth + 1,
            release.slug,
        )
        assert [p.pk for p in expected] == [
            p.pk
            for p in run_precompiled(
                child_and_translations,
                (PressReleasePage, ("hero_image",)),
                path=newsroom.path,
                depth=newsroom.depth + 1,
                slug=release.slug,
            )
        ]
    assert child_with_translations(PressReleasePage, newsroom, "no-such") is None


def test_a_value_missing_from_the_sql_is_refused():
    def ignores_its_value(name):
        return Sector.objects.all()

    with pytest.raises(RuntimeError, match="ignores_its_value"):
        run_precompiled(ignores_its_value, (), name="Nickel")


@pytest.mark.django_db
def test_a_lookup_that_changes_the_value_is_run_right_or_refused():
    """SQLite's iexact escapes its value for LIKE: put in unescaped, "50% off"
    would match "50x off". It is refused there; PostgreSQL compares it as is."""
    for name in ("50% off", "50x off"):
        SectorFactory(name=name)

    def named_in_any_case(name):
        return Sector.objects.filter(name__iexact=name)

    try:
        answer = run_precompiled(named_in_any_case, (), name="50% OFF")
    except RuntimeError:
        assert connection.vendor == "sqlite"
    else:
        assert [s.name for s in answer] == ["50% off"]


@pytest.mark.django_db
def test_a_release_pages_relations_answer_as_their_querysets_do(newsroom):
    """The related releases and announcing events of each release page, run
    with each release's id, are what the querysets give for it: hidden ones
    (draft, private) left out on both databases."""
    from django.utils import timezone
    from wagtail.models import PageViewRestriction

    from newsroom.models import RelatedRelease
    from newsroom.models.pages import shown_related_links
    from newsroom.templatetags.newsroom_tags import events_announcing
    from tests.factories import make_event

    first, second = make_release("Smelter one"), make_release("Smelter two")
    draft = make_release("Smelter draft", live=False)
    private = make_release("Smelter private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    for n, other in enumerate((second, draft, private)):
        RelatedRelease.objects.create(page=first, release=other, sort_order=n)
    RelatedRelease.objects.create(page=second, release=first, sort_order=0)
    hearing = make_event("Licence hearing", start=timezone.now())
    hearing.outcomes.create(release=first, sort_order=0)
    hearing.outcomes.create(release=second, sort_order=1)
    hearing.save_revision().publish()
    for release in (first, second, draft):
        expected = list(shown_related_links(release.pk))
        answer = run_precompiled(shown_related_links, (), page_id=release.pk)
        assert [(link.pk, link.release.pk) for link in answer] == [
            (link.pk, link.release.pk) for link in expected
        ]
        expected = list(events_announcing(release.pk))
        answer = run_precompiled(events_announcing, (), release_id=release.pk)
        assert [event.pk for event in answer] == [event.pk for event in expected]
    links = run_precompiled(shown_related_links, (), page_id=first.pk)
    assert [link.release.pk for link in links] == [second.pk]
    assert [e.pk for e in run_precompiled(events_announcing, (), release_id=first.pk)]


@pytest.mark.django_db
def test_card_links_answer_as_their_query_does_for_each_page_of_one_size(newsroom):
    from newsroom.models.querysets import card_links, with_card_links

    nickel, steel = SectorFactory(name="Nickel"), SectorFactory(name="Steel")
    releases = [
        make_release(f"Smelter {n}", sectors=[nickel, steel][: n % 3]) for n in range(4)
    ]
    for page in (releases[:2], releases[2:], releases[1:3]):
        ids = [release.pk for release in page]
        expected = sorted(card_links(ids))
        assert sorted(run_precompiled(card_links, (), page_ids=ids)) == expected
        for release in with_card_links(page):
            names = [ref.name for ref in release.card_sectors]
            assert names == [link.sector.name for link in release.release_sectors.all()]


@pytest.mark.django_db
def test_a_page_of_results_loads_what_its_query_loads(newsroom):
    """hydrate's query by id, compiled once per size: the hidden releases among
    the ids (a draft, a private one) are left out as published() leaves them,
    and the rest come back in the page's order."""
    from wagtail.models import PageViewRestriction

    from newsroom.finder.query import hydrate, published_by_id

    shown = [make_release(f"Smelter {n}") for n in range(3)]
    draft = make_release("Smelter draft", live=False)
    private = make_release("Smelter private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    for page in ([shown[2], draft, shown[0]], [private, shown[1], shown[2]]):
        ids = [release.pk for release in page]
        expected = {r.pk for r in published_by_id("for_cards", ids)}
        answer = run_precompiled(published_by_id, ("for_cards",), ids=ids)
        assert {r.pk for r in answer} == expected
        assert [r.pk for r in hydrate(page, relations="for_cards")] == [
            r.pk for r in page if r.pk in expected
        ]
    assert expected == {shown[1].pk, shown[2].pk}
