"""Finding or creating what an imported record names: officials, organisations,
topics by name, sectors and regions by name or path ("Indonesia > Central
Sulawesi"), with slugs from their names."""

from django.utils.text import slugify

from newsroom.loading.records import PATH_SEPARATOR, RecordError
from newsroom.models import (
    Official,
    Organisation,
    Topic,
)
from newsroom.models.translations import translated_slug_owner, translation_model_of


def unique_slug(model, name, taken=(), **scope):
    # Room for a "-<n>" suffix; slugify's NFKC can lengthen a name ("\ufb00" is
    # "ff"), so a name that fits its field may make a slug that does not.
    room = model._meta.get_field("slug").max_length - 15
    base = slugify(name, allow_unicode=True)[:room].strip("-_") or "item"
    slug, suffix = base, 2
    while (
        slug in taken
        or model.objects.filter(slug=slug, **scope).exists()
        or translated_slug_owner(model, slug)
    ):
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def translated_match(model, name):
    """The entity whose translation is called ``name`` (or has its slug), so an
    Indonesian record names the same entity as an English one; None without."""
    translation_model = translation_model_of(model)
    if translation_model is None:
        return None
    rows = translation_model.objects.select_related("entity")
    row = (
        rows.filter(name__iexact=name).first()
        or rows.filter(slug=slugify(name, allow_unicode=True)).first()
    )
    return row.entity if row else None


def find_or_create(model, name, extra_fields=()):
    """Match ``name`` case-insensitively on the name (or ``extra_fields``, e.g. an
    acronym), then on its slug; create the entity when nothing matches."""
    for field_name in ("name", *extra_fields):
        match = model.objects.filter(**{f"{field_name}__iexact": name}).first()
        if match:
            return match
    match = model.objects.filter(
        slug=slugify(name, allow_unicode=True)
    ).first() or translated_match(model, name)
    return match or model.objects.create(name=name, slug=unique_slug(model, name))


def find_or_create_organisation(name):
    return find_or_create(Organisation, name, extra_fields=("acronym",))


class Resolver:
    """Finds or creates linked entities, remembering each for the rest of the run.

    Cleared whenever a record fails, since its transaction (and anything it
    created) is rolled back.
    """

    def __init__(self):
        self._known = {}

    def clear(self):
        self._known.clear()

    def _remember(self, key, find):
        if key not in self._known:
            self._known[key] = find()
        return self._known[key]

    def organisation(self, name):
        return self._remember(
            ("organisation", name.casefold()), lambda: find_or_create_organisation(name)
        )

    def official(self, name):
        return self._remember(
            ("official", name.casefold()), lambda: find_or_create(Official, name)
        )

    def topic(self, name):
        return self._remember(
            ("topic", name.casefold()), lambda: find_or_create(Topic, name)
        )

    def node(self, model, path):
        return self._remember(
            (model.__name__, path.casefold()), lambda: find_or_create_node(model, path)
        )


def _match_node(queryset, name):
    match = (
        queryset.filter(name__iexact=name).first()
        or queryset.filter(slug=slugify(name, allow_unicode=True)).first()
    )
    if match is None:
        translated = translated_match(queryset.model, name)
        if translated is not None and queryset.filter(pk=translated.pk).exists():
            match = translated
    return match


def find_or_create_node(model, path, **defaults):
    """Find a sector/region by "A > B > C" path (creating missing levels) or name."""
    parts = [part.strip() for part in path.split(PATH_SEPARATOR)]
    if any(not part for part in parts):
        raise RecordError(
            f"{model._meta.verbose_name} path {path!r} has an empty level"
        )
    if len(parts) == 1:
        node = _match_node(model.objects.order_by("depth", "path"), parts[0])
        if node is None:
            node = model.add_root(
                instance=model(
                    name=parts[0], slug=unique_slug(model, parts[0]), **defaults
                )
            )
        return node
    parent = None
    for part in parts:
        siblings = parent.get_children() if parent else model.get_root_nodes()
        node = _match_node(siblings, part)
        if node is None:
            instance = model(name=part, slug=unique_slug(model, part), **defaults)
            node = (
                parent.add_child(instance=instance)
                if parent
                else model.add_root(instance=instance)
            )
        parent = node
    return parent
