"""The demo's taxonomy and people, loaded again: nothing unchanged is saved (each save
of a public snippet empties the page cache), and what was changed since is put back.
"""

import json

import pytest
from django.db.models.signals import post_save

from newsroom.loading.demo_site import (
    DEMO_DIR,
    load_people,
    load_taxonomy,
    translate_demo_entities,
)
from newsroom.models import (
    AppointmentTranslation,
    ContentVersion,
    Official,
    Organisation,
    Sector,
)

pytestmark = pytest.mark.django_db

PEOPLE = json.loads((DEMO_DIR / "officials.json").read_text())


def load():
    load_taxonomy()
    load_people()
    translate_demo_entities()


@pytest.fixture
def saves():
    """Every model instance saved while the test runs, as (model name, pk)."""
    saved = []

    def record(sender, instance, **kwargs):
        saved.append((sender.__name__, instance.pk))

    post_save.connect(record)
    yield saved
    post_save.disconnect(record)


def test_loading_again_saves_nothing(newsroom, saves):
    load()
    assert saves  # the first load wrote the taxonomy and people
    version = ContentVersion.current()
    saves.clear()

    load()

    assert saves == []
    assert ContentVersion.current() == version


def test_loading_again_puts_back_what_was_changed(newsroom):
    load()
    entry = next(e for e in PEOPLE["officials"] if len(e["appointments"]) >= 1)
    official = Official.objects.get(name=entry["name"])
    translated = AppointmentTranslation.objects.filter(appointment__official=official)
    positions = sorted(translated.values_list("position", flat=True))
    assert positions
    official.bio = "Changed in the admin."
    official.save()
    official.appointments.first().delete()
    sector = Sector.objects.exclude(description="").first()
    description = sector.description
    sector.description = ""
    sector.save()
    organisation = Organisation.objects.get(name="Ministry of Industry")
    organisation.acronym = "MOI"
    organisation.save()
    version = ContentVersion.current()

    load()

    official.refresh_from_db()
    assert official.bio == entry["bio"]
    held = [
        (a.position, a.start_date.isoformat())
        for a in official.appointments.order_by("sort_order")
    ]
    assert held == [(a["position"], a["start"]) for a in entry["appointments"]]
    sector.refresh_from_db()
    assert sector.description == description
    organisation.refresh_from_db()
    assert organisation.acronym == "Kemenperin"
    # The replaced appointments have their translated positions again.
    assert sorted(translated.values_list("position", flat=True)) == positions
    assert ContentVersion.current() > version
