"""Factories of officials, organisations, sectors, regions, topics and regulations."""

import datetime

import factory
from django.utils.text import slugify

from newsroom.models import (
    Appointment,
    Official,
    Organisation,
    Region,
    Regulation,
    Sector,
    Topic,
)


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
        return (
            parent.add_child(instance=node)
            if parent
            else model_class.add_root(instance=node)
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


class RegulationFactory(factory.django.DjangoModelFactory):
    """A regulation; its name and slug are made on save from type, number and
    year ("law-1000-2022"). ``amends=[...]`` and ``revokes=[...]`` set the chain
    (and so the status of those it names)."""

    type = "law"
    number = factory.Sequence(lambda n: str(1000 + n))
    year = 2022
    title = factory.Sequence(lambda n: f"Regulation subject {n}")

    class Meta:
        model = Regulation
        skip_postgeneration_save = True

    @factory.post_generation
    def amends(self, create, extracted, **kwargs):
        if extracted:
            self.amends.set(extracted)
            if create:
                self.save()

    @factory.post_generation
    def revokes(self, create, extracted, **kwargs):
        if extracted:
            self.revokes.set(extracted)
            if create:
                self.save()


def no_translations(prefix="translations"):
    """The management form of an entity's empty Translations inline, as the admin's
    edit form posts it (newsroom/models/translations.py)."""
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def make_official(name, appointments=(), **fields):
    """An official with ``appointments`` given as (position, organisation, start, end).

    ``organisation`` is an Organisation or a name (found or created); dates are
    ``datetime.date`` or ISO strings; ``end`` may be None.
    """

    def as_date(value):
        if value is None or isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(value)

    official = OfficialFactory(name=name, **fields)
    for position, organisation, start, end in appointments:
        if isinstance(organisation, str):
            existing = Organisation.objects.filter(name=organisation).first()
            organisation = existing or OrganisationFactory(name=organisation)
        AppointmentFactory(
            official=official,
            position=position,
            organisation=organisation,
            start_date=as_date(start),
            end_date=as_date(end),
        )
    return official
