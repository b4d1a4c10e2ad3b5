"""The registry of entity kinds: everything a channel needs to know about one.

A release links six kinds of entity (officials, organisations, sectors, regions,
topics, regulations). Filters, facets, hubs, feeds, CSV, the API, imports,
translations and the listing table all derive their lists from :data:`KINDS`
instead of naming the kinds again, so adding a kind is one entry here, its model,
link model, translation model and migration, and its interface translations
(``docs/architecture.md`` has the checklist).

Models are named as strings and resolved through the app registry on first use,
so ``newsroom.models`` may import this module (it sits below every layer).

Orderings that readers or other programs rely on (CSV columns, the order of
phrases in a feed title) stay spelled out where they are used; a test checks that
each names every kind.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

APP_LABEL = "newsroom"
# The newsroom page's slug in every language: its routes (hubs, feeds, exports)
# therefore read the same under /news/ and /id/news/ (newsroom/editorial/site_tree).
NEWSROOM_SLUG = "news"


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of entity a release links.

    The names of its URL segment, models and relations follow from ``name`` by
    convention (``sector``: ``sectors``, ``Sector``, ``ReleaseSector``,
    ``release_sectors``); an entry spells out only where a kind departs from it.
    """

    # The query parameter (?sector=), facet name, API key and translation key.
    name: str
    label: str
    plural_label: str
    # How a filter by this kind reads in words: "on Nickel smelting".
    phrase: str
    # Sectors and regions are trees: a filter by a node includes everything below.
    tree: bool = False
    # The texts its translations carry besides name and slug.
    text_fields: tuple = field(default=())
    # The URL segment of its hubs (/news/sectors/<slug>/), the API's endpoint and
    # the import record's key; also the listing table's column of linked ids.
    segment: str = ""
    model_name: str = ""
    # The orderable (or taggit) model linking releases to it, and on that model
    # the foreign key to the entity and the one to the release.
    link_model_name: str = ""
    link_field: str = ""
    page_field: str = "page_id"
    # The release's related name for its link rows ("release_sectors").
    release_links: str = ""
    # A code read with the entity's name in facet rows, for the pages that join
    # entities to something else by it (the region map: Kemendagri codes).
    code_field: str = ""

    def __post_init__(self):
        conventions = (
            ("segment", lambda: f"{self.name}s"),
            ("model_name", lambda: self.name.capitalize()),
            ("link_model_name", lambda: f"Release{self.model_name}"),
            ("link_field", lambda: self.name),
            ("release_links", lambda: f"release_{self.segment}"),
        )
        for attribute, conventional in conventions:
            if not getattr(self, attribute):
                # Frozen: set once, here, before anyone reads it.
                object.__setattr__(self, attribute, conventional())

    @cached_property
    def model(self):
        return apps.get_model(APP_LABEL, self.model_name)

    @cached_property
    def link_model(self):
        return apps.get_model(APP_LABEL, self.link_model_name)

    @cached_property
    def translation_model(self):
        return apps.get_model(APP_LABEL, f"{self.model_name}Translation")

    @cached_property
    def membership(self):
        """(model, release id field, entity foreign key) of the table saying which
        releases are *in* an entity: the link table, or for a tree the
        precomputed subtree table (newsroom/models/subtrees.py), where a node
        holds every release linking it or anything below it."""
        if self.tree:
            model = self.model.release_memberships.rel.related_model
            return model, "release_id", model.node_field
        return self.link_model, self.page_field, self.link_field

    # The agenda's events link the same kinds through their own orderables,
    # named by convention (newsroom/models/agenda.py makes them from KINDS).
    @property
    def event_link_model_name(self):
        return f"Event{self.model_name}"

    @property
    def event_links(self):
        """The event's related name for its link rows ("event_sectors")."""
        return f"event_{self.segment}"

    @cached_property
    def event_link_model(self):
        return apps.get_model(APP_LABEL, self.event_link_model_name)

    def hub_path(self, slug):
        """The default language's hub of the entity with ``slug``."""
        return f"/{NEWSROOM_SLUG}/{self.segment}/{slug}/"

    def __repr__(self):
        return f"<Kind {self.name}>"


@dataclass
class EntityRef:
    """What a page shows of an entity, read with the rows that name it (facet
    options, card links): not a model instance, because building hundreds of
    those took longer than the query. newsroom.finder.entity_names and
    :func:`of` take it like an entity."""

    kind: str
    pk: int
    name: str
    slug: str
    path: str = ""
    code: str = ""


KINDS = (
    Kind(
        name="official",
        label=_("Official"),
        plural_label=_("Officials"),
        phrase=_("with %(names)s"),
        text_fields=("bio",),
    ),
    Kind(
        name="organisation",
        label=_("Organisation"),
        plural_label=_("Organisations"),
        phrase=_("involving %(names)s"),
        text_fields=("country", "boilerplate"),
    ),
    Kind(
        name="sector",
        label=_("Sector"),
        plural_label=_("Sectors"),
        phrase=_("on %(names)s"),
        tree=True,
        text_fields=("description",),
    ),
    Kind(
        name="region",
        label=_("Region"),
        plural_label=_("Regions"),
        phrase=_("in %(names)s"),
        tree=True,
        code_field="kemendagri_code",
    ),
    Kind(
        name="topic",
        label=_("Topic"),
        plural_label=_("Topics"),
        phrase=_("about %(names)s"),
        # Topics are taggit tags: a release's links are taggit's through rows.
        link_field="tag",
        page_field="content_object_id",
        release_links="tagged_topics",
    ),
    Kind(
        name="regulation",
        label=_("Regulation"),
        plural_label=_("Regulations"),
        phrase=_("citing %(names)s"),
        text_fields=("title",),
    ),
)

BY_NAME = {kind.name: kind for kind in KINDS}
BY_SEGMENT = {kind.segment: kind for kind in KINDS}
NAMES = tuple(BY_NAME)
SEGMENTS = tuple(BY_SEGMENT)


def get(name):
    """The kind called ``name`` ("sector"); KeyError for anything else."""
    return BY_NAME[name]


def by_segment(segment):
    """The kind of a hub URL segment ("sectors"), or None."""
    return BY_SEGMENT.get(segment)


def of(model_or_entity):
    """The kind of an entity (a model instance or an EntityRef) or of its model;
    LookupError for anything else."""
    if isinstance(model_or_entity, EntityRef):
        return BY_NAME[model_or_entity.kind]
    if isinstance(model_or_entity, type):
        model = model_or_entity
    else:
        model = type(model_or_entity)
    for kind in KINDS:
        if issubclass(model, kind.model):
            return kind
    raise LookupError(f"{model.__name__} is not an entity kind.")
