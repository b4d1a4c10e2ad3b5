"""Factories for the content model; pages are created through the tree."""

import datetime

import factory
from django.utils.text import slugify

from newsroom.models import (
    Appointment,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseSector,
    Sector,
    Topic,
)
from newsroom.site_tree import ensure_site_tree


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.MINISTRY

    class Meta:
        model = Organisation


class OfficialFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Official {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = Official


class AppointmentFactory(factory.django.DjangoModelFactory):
    official = factory.SubFactory(OfficialFactory)
    position = "Director General"
    organisation = factory.SubFactory(OrganisationFactory)
    start_date = datetime.date(2020, 1, 1)
    end_date = None

    class Meta:
        model = Appointment


class TreeNodeFactory(factory.django.DjangoModelFactory):
    """Creates through treebeard: ``parent=node`` adds a child, else a root."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        kwargs.setdefault("slug", slugify(kwargs["name"]))
        node = model_class(**kwargs)
        return parent.add_child(instance=node) if parent else model_class.add_root(
            instance=node
        )


class SectorFactory(TreeNodeFactory):
    name = factory.Sequence(lambda n: f"Sector {n}")

    class Meta:
        model = Sector


class RegionFactory(TreeNodeFactory):
    name = factory.Sequence(lambda n: f"Region {n}")

    class Meta:
        model = Region


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"topic {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = Topic


def make_release(
    title="A press release",
    release_date=datetime.date(2024, 9, 27),
    officials=(),
    sectors=(),
    regions=(),
    organisations=(),
    topics=(),
    live=True,
    parent=None,
    **fields,
):
    """Create a release under the newsroom, published unless ``live=False``.

    ``officials`` takes Officials or (official, role, quoted) tuples.
    """
    parent = parent or ensure_site_tree()
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
    page.release_sectors = [ReleaseSector(sector=s) for s in sectors]
    page.release_regions = [ReleaseRegion(region=r) for r in regions]
    page.release_organisations = [
        ReleaseOrganisation(organisation=o) for o in organisations
    ]
    page.live = False
    parent.add_child(instance=page)
    page.topics.set(list(topics))
    revision = page.save_revision()
    if live:
        revision.publish()
        page.refresh_from_db()
    return page
