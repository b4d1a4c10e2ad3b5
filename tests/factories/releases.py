"""Releases made through the page tree, with their links and bodies."""

import datetime
import uuid

from django.utils.text import slugify

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import (
    PressReleasePage,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseRegulation,
    ReleaseSector,
)
from tests.factories.entities import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
)
from tests.task_backend import published_now, tasks_held


def default_newsroom():
    """The English newsroom: looked up when it is there (tests/conftest.py builds the
    tree once per run), built only in a database where it is not."""
    from wagtail.models import Locale

    from newsroom.models import NewsroomPage

    found = NewsroomPage.objects.filter(locale=Locale.get_default()).first()
    return found or ensure_site_tree()


def make_release(
    title="A press release",
    release_date=datetime.date(2024, 9, 27),
    officials=(),
    sectors=(),
    regions=(),
    organisations=(),
    topics=(),
    regulations=(),
    live=True,
    parent=None,
    **fields,
):
    """Create a release under the newsroom, published unless ``live=False``.

    ``officials`` takes Officials or (official, role, quoted) tuples.
    """
    parent = parent or default_newsroom()
    fields.setdefault("standfirst", f"Summary of {title}.")
    fields.setdefault("slug", slugify(title))
    page = PressReleasePage(title=title, release_date=release_date, **fields)
    links = []
    for position, item in enumerate(officials):
        official, role, quoted = item if isinstance(item, tuple) else (item, "", False)
        links.append(
            ReleaseOfficial(
                official=official, role=role, quoted=quoted, sort_order=position
            )
        )
    page.release_officials = links
    # Numbered as the admin's ordered panels number them: with every sort_order
    # NULL, PostgreSQL may return the links in any order.
    page.release_sectors = [
        ReleaseSector(sector=s, sort_order=n) for n, s in enumerate(sectors)
    ]
    page.release_regions = [
        ReleaseRegion(region=r, sort_order=n) for n, r in enumerate(regions)
    ]
    page.release_organisations = [
        ReleaseOrganisation(organisation=o, sort_order=n)
        for n, o in enumerate(organisations)
    ]
    page.release_regulations = [
        ReleaseRegulation(regulation=r, sort_order=n) for n, r in enumerate(regulations)
    ]
    page.live = False
    with tasks_held() as held:
        parent.add_child(instance=page)
        page.topics.set(list(topics))
        revision = page.save_revision()
        if live:
            revision.publish()
            published_now(held, page)
    if live:
        page.refresh_from_db()
    return page


# --- Filter world: a small fixed newsroom for the filter, facet, hub and search tests.
# Plain data first, so tests can compute expected results and counts in Python
# without asking the application.


def key_figures_block(*figures):
    """One key_figures body block; figures are (value, unit, currency, label)
    or (value, unit, currency, label, key)."""
    return {
        "type": "key_figures",
        "value": [
            {
                "type": "item",
                "id": str(uuid.uuid4()),
                "value": {
                    "value": str(value),
                    "unit": unit,
                    "is_currency": is_currency,
                    "label": label,
                    **({"key": key[0]} if key else {}),
                },
            }
            for value, unit, is_currency, label, *key in figures
        ],
    }


def every_block_body(official, image, document):
    """A release body using every block but embeds (which need the network)."""
    return [
        {"type": "paragraph", "value": "<p>Opening paragraph.</p><h2>Context</h2>"},
        {
            "type": "quote",
            "value": {
                "text": "Cooperation must serve green industry.",
                "official": official.pk,
                "attribution": "",
            },
        },
        {
            "type": "image",
            "value": {
                "image": {
                    "image": image.pk,
                    "decorative": False,
                    "alt_text": "Rows of solar panels under a clear sky",
                },
                "caption": "A solar array in Batang Regency.",
                "credit": "Ministry of Industry/Public Relations",
            },
        },
        {
            "type": "table",
            "value": {
                "data": [["Mineral", "Tonnes"], ["Nickel", "1,800,000"]],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "Output in 2023",
            },
        },
        {"type": "document", "value": {"document": document.pk, "title": ""}},
        key_figures_block(
            (1_200_000_000, "USD", True, "investment"),
            (3000, "jobs", False, "new jobs"),
        ),
    ]


def release_linked_entities(prefix):
    """One official, organisation, sector (under a parent), region, topic and
    regulation (titled after ``prefix``; its slug is made from type, number and
    year, "law-1000-2022").

    Returns {facet: entity}; hubs live at /news/<facet>s/<slug>/.
    """
    slug = slugify(prefix)
    sector_parent = SectorFactory(name=f"{prefix} industries")
    region_parent = RegionFactory(name=f"{prefix} country", kind="country")
    return {
        "official": OfficialFactory(name=f"{prefix} Official", slug=f"{slug}-official"),
        "organisation": OrganisationFactory(name=f"{prefix} Agency"),
        "sector": SectorFactory(name=f"{prefix} smelting", parent=sector_parent),
        "region": RegionFactory(
            name=f"{prefix} province", parent=region_parent, kind="province"
        ),
        "topic": TopicFactory(name=f"{prefix} topic"),
        "regulation": RegulationFactory(title=f"{prefix} regulation"),
    }


def make_linked_release(title, entities, **fields):
    """``make_release`` linked to every entity of ``release_linked_entities``."""
    return make_release(
        title,
        officials=[entities["official"]],
        organisations=[entities["organisation"]],
        sectors=[entities["sector"]],
        regions=[entities["region"]],
        topics=[entities["topic"]],
        regulations=[entities["regulation"]] if "regulation" in entities else [],
        **fields,
    )
