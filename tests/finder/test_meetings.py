"""Who met whom (issue #21, item 4): counterparts on an official's hub, the
ministry's officials on another organisation's hub, from published releases only,
dated by the event where there is one."""

import datetime
import re

import pytest
from django.utils import timezone

from newsroom.finder import meetings
from tests.factories import OrganisationFactory, make_official, make_release

pytestmark = pytest.mark.django_db

DAY = datetime.date


@pytest.fixture
def people(newsroom, settings):
    settings.NEWSROOM_MINISTRY_SLUG = "ministry-of-industry"
    ministry = OrganisationFactory(name="Ministry of Industry")
    directorate = OrganisationFactory(
        name="Directorate General of Metals", parent=ministry, kind="agency"
    )
    miit = OrganisationFactory(name="MIIT", kind="foreign_government")
    meti = OrganisationFactory(name="METI", kind="foreign_government")
    return {
        "ministry": ministry,
        "miit": miit,
        "meti": meti,
        "agus": make_official("Agus", [("Minister", ministry, "2019-10-23", None)]),
        "rina": make_official(
            "Rina", [("Director General", directorate, "2020-01-01", None)]
        ),
        "jin": make_official("Jin", [("Minister", miit, "2022-07-01", None)]),
        "saito": make_official("Saito", [("Minister", meti, "2022-01-01", None)]),
    }


def release(title, people, names, organisations=(), **fields):
    return make_release(
        title,
        officials=[people[n] for n in names],
        organisations=[people[o] for o in organisations],
        **fields,
    )


def section(client, path):
    html = client.get(path).content.decode()
    found = re.search(r'<section class="meetings".*?</section>', html, re.S)
    return re.sub(r"\s+", " ", found.group(0)) if found else ""


def test_counterparts_are_officials_of_other_bodies_most_met_first(client, people):
    release(
        "Beijing talks", people, ["agus", "jin", "rina"], release_date=DAY(2024, 3, 1)
    )
    release(
        "Jakarta visit",
        people,
        ["agus", "jin"],
        release_date=DAY(2024, 6, 2),
        event_date=DAY(2024, 5, 30),
    )
    release("Tokyo talks", people, ["agus", "saito"], release_date=DAY(2024, 4, 1))
    met = meetings.counterparts(people["agus"], _newsroom())
    assert [(m.official.name, m.releases, m.latest) for m in met] == [
        ("Jin", 2, DAY(2024, 5, 30)),  # the event's date, not the release's
        ("Saito", 1, DAY(2024, 4, 1)),
    ]
    # Rina is of a directorate of the same ministry: a colleague, not a counterpart.
    text = section(client, "/news/officials/agus/")
    assert "Counterparts met" in text
    assert "Rina" not in text
    assert "2 releases together" in text and "latest 30 May 2024" in text


def _newsroom():
    from newsroom.editorial.site_tree import ensure_site_tree

    return ensure_site_tree()


def test_the_count_links_to_the_releases_naming_both(client, people):
    release("Beijing talks", people, ["agus", "jin"])
    release("Jakarta visit", people, ["agus", "jin"], release_date=DAY(2024, 10, 1))
    release("Jin alone", people, ["jin"])
    text = section(client, "/news/officials/agus/")
    link = re.search(r'href="([^"]*\?official=agus)"', text).group(1)
    assert link == "/news/officials/jin/?official=agus"
    listing = client.get(link).content.decode()
    titles = re.findall(r'release-card__title"><a [^>]*>([^<]+)<', listing)
    assert sorted(titles) == ["Beijing talks", "Jakarta visit"]


def test_an_unpublished_meeting_names_nobody(client, people):
    release("Draft talks", people, ["agus", "jin"], live=False)
    release(
        "Scheduled talks",
        people,
        ["agus", "saito"],
        go_live_at=timezone.now() + datetime.timedelta(days=1),
    )
    release("Public talks", people, ["agus"])
    assert section(client, "/news/officials/agus/") == ""
    assert meetings.counterparts(people["agus"], _newsroom()) == []


def test_another_organisations_hub_lists_the_ministrys_officials(client, people):
    release("Beijing talks", people, ["agus", "jin", "rina"], organisations=["miit"])
    release("Follow-up", people, ["rina", "jin"], organisations=["miit"])
    text = section(client, "/news/organisations/miit/")
    assert "Met by the ministry's officials" in text
    names = re.findall(r'<a href="/news/officials/[^"?]+/">([^<]+)</a>', text)
    assert names == ["Rina", "Agus"]  # Jin is MIIT's own
    assert 'href="/news/officials/rina/?organisation=miit"' in text
    # The ministry's own hub (and its directorates') has no such list.
    release("Home news", people, ["agus"], organisations=["ministry"])
    assert section(client, "/news/organisations/ministry-of-industry/") == ""


def test_names_are_text_not_markup(client, people):
    people["jin"].name = "<script>alert(1)</script>"
    people["jin"].save()
    release("Beijing talks", people, ["agus", "jin"])
    text = section(client, "/news/officials/agus/")
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_in_indonesian(client, people):
    from wagtail.models import Locale

    from newsroom.editorial.site_tree import ensure_site_tree

    berita = ensure_site_tree(Locale.objects.get(language_code="id"))
    make_release(
        "Pertemuan Beijing",
        officials=[people["agus"], people["jin"]],
        parent=berita,
        release_date=DAY(2024, 3, 1),
    )
    text = section(client, "/id/news/officials/agus/")
    assert "Mitra yang ditemui" in text
    assert "1 siaran pers bersama" in text and "terakhir 1 Maret 2024" in text
