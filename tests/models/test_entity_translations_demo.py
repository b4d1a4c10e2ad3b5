"""The demo's taxonomy and people get their Indonesian names (#8).

Apart from tests/models/test_entity_translations.py, whose module-wide world
(built once, rolled back after the module) this test must not find in its database.
"""

import pytest

from newsroom.finder import entity_names
from newsroom.models import (
    Official,
    Organisation,
    OrganisationTranslation,
    Sector,
    SectorTranslation,
    Topic,
)
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_demo_gives_indonesian_names(newsroom):
    from newsroom.loading.demo_site import (
        load_people,
        load_taxonomy,
        translate_demo_entities,
    )

    load_taxonomy()
    load_people()
    TopicFactory(name="nickel", slug="nickel")
    translate_demo_entities()
    translate_demo_entities()  # again: nothing new
    smelting = Sector.objects.get(slug="nickel-smelting")
    assert entity_names.localized_name(smelting, "id") == "Peleburan Nikel"
    assert entity_names.localized_slug(smelting, "id") == "peleburan-nikel"
    assert (
        entity_names.localized_name(
            Organisation.objects.get(name="Ministry of Industry"), "id"
        )
        == "Kementerian Perindustrian"
    )
    agus = Official.objects.get(name="Agus Gumiwang Kartasasmita")
    assert entity_names.localized_appointment_title(agus.appointment_on(), "id") == (
        "Menteri Perindustrian, Kementerian Perindustrian"
    )
    assert (
        entity_names.localized_name(Topic.objects.get(slug="nickel"), "id") == "nikel"
    )
    assert SectorTranslation.objects.count() == 20
    assert OrganisationTranslation.objects.count() == 9
