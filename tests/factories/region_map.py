"""A small Indonesia for the map of provinces (tests/channels/test_region_map.py,
tests/browser/test_region_map.py)."""

from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import RegionTranslation
from tests.factories.entities import RegionFactory, SectorFactory
from tests.factories.releases import make_release


def build_region_map_world():
    """Indonesia with three provinces (one with a regency), Papua and two of the
    provinces carved out of it in 2022 (one named by a draft only), and China."""
    nickel = SectorFactory(name="Nickel", slug="nickel")
    steel = SectorFactory(name="Steel", slug="steel")
    country = RegionFactory(
        name="Indonesia", slug="indonesia", kind="country", iso_code="ID"
    )

    def province(name, code):
        return RegionFactory(
            name=name, parent=country, kind="province", kemendagri_code=code
        )

    central = province("Central Sulawesi", "72")
    morowali = RegionFactory(
        name="Morowali Regency",
        parent=central,
        kind="regency",
        kemendagri_code="72.03",
    )
    southeast = province("Southeast Sulawesi", "74")
    papua = province("Papua", "91")
    south_papua = province("South Papua", "93")
    central_papua = province("Central Papua", "94")
    china = RegionFactory(name="China", slug="china", kind="country", iso_code="CN")
    make_release("Smelter in Morowali", regions=[morowali], sectors=[nickel])
    make_release("Steel in Palu", regions=[central], sectors=[steel])
    make_release("Nickel in Kendari", regions=[southeast], sectors=[nickel])
    make_release("Steel in Jayapura", regions=[papua], sectors=[steel])
    make_release("Nickel in Merauke", regions=[south_papua], sectors=[nickel])
    make_release("Steel in Merauke", regions=[south_papua], sectors=[steel])
    make_release("Talks in Beijing", regions=[china], sectors=[nickel])
    make_release("Draft about Nabire", regions=[central_papua], live=False)
    indonesian = Locale.objects.get(language_code="id")
    RegionTranslation.objects.create(
        entity=central,
        locale=indonesian,
        name="Sulawesi Tengah",
        slug="sulawesi-tengah",
    )
    make_release(
        "Smelter di Morowali",
        slug="smelter-di-morowali",
        regions=[morowali],
        parent=ensure_site_tree(indonesian),
    )
