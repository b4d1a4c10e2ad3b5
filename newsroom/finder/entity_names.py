"""Entities in the reader's language: names, slugs and texts, with English fallback.

Officials, organisations, sectors, regions and topics are one row each whatever
the language (see newsroom/models/translations.py for why); their translations
give a name, an optional slug and texts per other locale. English, the default
language, is the entities' own fields and costs nothing. In another language:

- :func:`localized_name`, :func:`localized_slug`, :func:`localized_text`,
  :func:`localized_url` (and :func:`localized` for a list) give what to show,
  falling back to the English field where there is no translation;
- :func:`names_of` gives the names and slugs of many entities of one kind at once
  (facet options, hub indexes);
- :func:`resolve_slugs` / :func:`resolve_slug` find entities by their English or
  any translated slug (filters, hub URLs), and :func:`resolve_slugs_in` does it
  for several kinds in one query (every chosen filter of a request);
- :func:`with_translations` annotates a queryset with every other language's
  name, slug and texts, so what it loads needs no further query (the chosen
  filters, a hub's entity, the API's lists).

Within a request, the first lookup in a language reads the names and slugs of
every translated entity in one query (the translations are editors' work: a few
hundred short rows) and later lookups read that; outside a request each lookup
asks for just its entities.
"""

from dataclasses import dataclass

from asgiref.local import Local
from django.conf import settings
from django.db import router
from django.db.models import F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import JSONObject, RowNumber
from django.urls import translate_url
from django.utils import translation

from newsroom import kinds
from newsroom.models import AppointmentTranslation
from newsroom.models.listed import known_to_readers
from newsroom.models.precompiled import run_precompiled

DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
MISSING = object()

_request = Local()


def other_languages():
    return [code for code, _ in settings.LANGUAGES if code != DEFAULT_LANGUAGE]


def language(code=None):
    """``code``, or the active language, as one of the site's language codes."""
    code = code or translation.get_language() or DEFAULT_LANGUAGE
    return translation.get_supported_language_variant(code)


def _attr(code, field):
    return f"_tr__{code}__{field}"


def _remember(entity, code, values):
    for field, value in values.items():
        setattr(entity, _attr(code, field), value or "")


# --- per-request memo -----------------------------------------------------------


def start_request(**kwargs):
    """Signal receiver (request_started): lookups may share what they read."""
    _request.names = {}


def finish_request(**kwargs):
    """Signal receiver (request_finished): nothing read outlives the request."""
    _request.names = None


def names_map(code):
    """{(kind, pk): (name, slug)} of every entity translated into ``code``.

    Read once per request (one UNION ALL over the five tables); None outside a
    request.
    """
    memo = getattr(_request, "names", None)
    if memo is None:
        return None
    if code not in memo:
        queries = [
            kind.translation_model.objects.filter(locale__language_code=code)
            .annotate(entity_kind=Value(kind.name))
            .values_list("entity_kind", "entity_id", "name", "slug")
            for kind in kinds.KINDS
        ]
        rows = queries[0].union(*queries[1:], all=True)
        memo[code] = {(kind, pk): (name, slug) for kind, pk, name, slug in rows}
    return memo[code]


# --- names and slugs ------------------------------------------------------------


def names_of(model, pks, code=None):
    """{pk: (name, slug)} in ``code`` for the translated ones among ``pks``
    (blank where a translation leaves them blank); one query at most."""
    code = language(code)
    if code == DEFAULT_LANGUAGE or not pks:
        return {}
    kind = kinds.of(model)
    memo = names_map(code)
    if memo is not None:
        return {pk: memo[kind.name, pk] for pk in pks if (kind.name, pk) in memo}
    rows = kind.translation_model.objects.filter(
        locale__language_code=code, entity_id__in=list(pks)
    )
    return {
        pk: (name, slug)
        for pk, name, slug in rows.values_list("entity_id", "name", "slug")
    }


def _translated(entity, code, field):
    """The translation's ``field`` ('' when none), read once per entity."""
    value = getattr(entity, _attr(code, field), MISSING)
    if value is not MISSING:
        return value
    kind = kinds.of(entity)
    if field in ("name", "slug"):
        memo = names_map(code)
        if memo is not None:
            name, slug = memo.get((kind.name, entity.pk), ("", ""))
            _remember(entity, code, {"name": name, "slug": slug})
            return getattr(entity, _attr(code, field))
    fields = ("name", "slug", *kind.text_fields)
    texts = texts_map(kind, code)
    if texts is not None:
        row = texts.get(entity.pk)
    else:
        row = (
            kind.translation_model.objects.filter(
                entity_id=entity.pk, locale__language_code=code
            )
            .values(*fields)
            .first()
        )
    _remember(entity, code, row or dict.fromkeys(fields, ""))
    return getattr(entity, _attr(code, field))


def texts_map(kind, code):
    """{pk: {field: value}} of the names, slugs and texts of every entity of
    ``kind`` translated into ``code``: read once per request and kind (a page
    showing several regulations' titles asks once, not once each); None outside
    a request."""
    memo = getattr(_request, "names", None)
    if memo is None:
        return None
    key = ("texts", kind.name, code)
    if key not in memo:
        rows = kind.translation_model.objects.filter(locale__language_code=code).values(
            "entity_id", "name", "slug", *kind.text_fields
        )
        memo[key] = {row.pop("entity_id"): row for row in rows}
    return memo[key]


def localized_name(entity, code=None):
    code = language(code)
    if code == DEFAULT_LANGUAGE:
        return entity.name
    return _translated(entity, code, "name") or entity.name


def localized_slug(entity, code=None):
    """The slug links in ``code`` use: the translated one if there is one."""
    code = language(code)
    if code == DEFAULT_LANGUAGE:
        return entity.slug
    return _translated(entity, code, "slug") or entity.slug


def localized_text(entity, field, code=None):
    """A text (bio, description, country) in ``code``, else the English one."""
    code = language(code)
    english = getattr(entity, field, "")
    if code == DEFAULT_LANGUAGE or field not in kinds.of(entity).text_fields:
        return english
    return _translated(entity, code, field) or english


def localized_display_name(official, code=None):
    name = localized_name(official, code)
    return f"{official.honorific} {name}" if official.honorific else name


def in_language(path, code=None):
    """A path of the default language (/news/...) in ``code`` (/id/news/...)."""
    code = language(code)
    if code == DEFAULT_LANGUAGE or not path.startswith("/"):
        return path
    with translation.override(DEFAULT_LANGUAGE):
        return translate_url(path, code)


def localized_url(entity, code=None):
    """The entity's hub in ``code``, with the slug of that language."""
    path = entity.get_absolute_url()
    slug = localized_slug(entity, code)
    if slug != entity.slug:
        path = path.removesuffix(f"{entity.slug}/") + f"{slug}/"
    return in_language(path, code)


@dataclass
class Localized:
    """What readers of one language see of an entity."""

    entity: object
    code: str
    name: str
    slug: str
    url: str

    def text(self, field):
        return localized_text(self.entity, field, self.code)


def localized(entity_or_entities, code=None):
    """A :class:`Localized` for one entity, or a list of them for an iterable (one
    query per kind at most)."""
    code = language(code)
    if not hasattr(entity_or_entities, "__iter__"):
        entity = entity_or_entities
        return Localized(
            entity,
            code,
            localized_name(entity, code),
            localized_slug(entity, code),
            localized_url(entity, code),
        )
    entities = list(entity_or_entities)
    if code != DEFAULT_LANGUAGE:
        by_model = {}
        for entity in entities:
            if not hasattr(entity, _attr(code, "name")):
                by_model.setdefault(type(entity), []).append(entity)
        for model, pending in by_model.items():
            found = names_of(model, [entity.pk for entity in pending], code)
            for entity in pending:
                name, slug = found.get(entity.pk, ("", ""))
                _remember(entity, code, {"name": name, "slug": slug})
    return [localized(entity, code) for entity in entities]


# --- loading entities with their translations ------------------------------------


def with_translations(queryset, texts=False):
    """``queryset`` annotated with each other language's name and slug (and texts),
    so the entities it loads answer every ``localized_*`` without a query."""
    kind = kinds.of(queryset.model)
    model = kind.translation_model
    fields = ("name", "slug", *(kind.text_fields if texts else ()))
    annotations = {}
    for code in other_languages():
        row = model.objects.filter(entity=OuterRef("pk"), locale__language_code=code)
        for field in fields:
            annotations[_attr(code, field)] = Subquery(row.values(field)[:1])
    return queryset.annotate(**annotations)


def resolve_slugs(queryset, slugs, texts=False):
    """{slug: entity} for each of ``slugs`` that is an English or a translated slug
    of an entity in ``queryset``; one query, entities loaded with their names and
    slugs (and ``texts``) in every language, in the queryset's order."""
    return resolve_slugs_in({None: (queryset, slugs)}, texts=texts)[None]


def resolve_slug(queryset, slug, texts=False):
    """The entity of ``queryset`` with the English or a translated ``slug``, or
    None."""
    return resolve_slugs(queryset, [slug], texts=texts).get(slug)


def resolve_slugs_in(requests, texts=False):
    """:func:`resolve_slugs` for several querysets, of any kinds, in one query.

    ``requests`` maps a key to ``(queryset, slugs)``; the answer maps each key to
    its ``{slug: entity}``. The kinds' tables differ, so each part of the UNION
    ALL carries its entity as one JSON object (fields and translations), which is
    turned back into a model instance here; a position from the queryset's own
    ordering keeps each key's entities in that order.
    """
    wanted = [(queryset, sorted(set(slugs))) for queryset, slugs in requests.values()]
    parts = [
        _entities_as_json(number, queryset, slugs, texts)
        for number, (queryset, slugs) in enumerate(wanted)
        if slugs
    ]
    rows = [] if not parts else parts[0].union(*parts[1:], all=True)
    return _found(
        {
            key: (queryset.model, queryset.db, slugs)
            for key, (queryset, slugs) in requests.items()
        },
        rows,
    )


def resolve_public_slugs(requests, texts=False):
    """:func:`resolve_slugs_in` among the entities readers may know of
    (``known_to_readers``: what every filter and hub offers), ``requests``
    mapping a key to ``(kind name, slugs)``.

    The same statement, built and compiled once per process for each shape
    (which kinds, how many slugs each): compiling it took longer than running
    it, on every filtered listing, feed and API request
    (newsroom/models/precompiled.py).
    """
    names = tuple(name for name, _slugs in requests.values())
    slugs = {
        f"slugs_{number}": sorted(set(slugs))
        for number, (_name, slugs) in enumerate(requests.values())
        if slugs
    }
    rows = []
    if slugs:
        rows = run_precompiled(public_entities_as_json, (names, texts), **slugs)
    loading = {}
    for key, (name, slugs) in requests.items():
        model = kinds.get(name).model
        loading[key] = (model, router.db_for_read(model), slugs)
    return _found(loading, rows)


def public_entities_as_json(names, texts, **slugs):
    """The statement :func:`resolve_public_slugs` runs: for each kind of
    ``names`` with slugs (``slugs_<its number>``), the part
    :func:`_entities_as_json` makes of its public entities."""
    parts = [
        _entities_as_json(
            number, known_to_readers(kinds.get(name)), slugs[f"slugs_{number}"], texts
        )
        for number, name in enumerate(names)
        if f"slugs_{number}" in slugs
    ]
    return parts[0].union(*parts[1:], all=True)


def _found(requests, rows):
    """{key: {slug: entity}} from the rows of (request number, position, data)
    that :func:`_entities_as_json` made for ``requests`` ({key: (model, the
    database it was read from, slugs)})."""
    loaded = {number: [] for number in range(len(requests))}
    for number, position, data in rows:
        loaded[number].append((position, data))
    found = {}
    for number, (key, (model, db, slugs)) in enumerate(requests.items()):
        entities = [
            _entity_from_json(model, db, data) for _, data in sorted(loaded[number])
        ]
        found[key] = _by_slug(entities, set(slugs))
    return found


def _entities_as_json(number, queryset, slugs, texts):
    """``queryset``'s entities with one of ``slugs`` as rows of (``number``, their
    position in the queryset's order, a JSON object of fields and translations)."""
    model = queryset.model
    translated = kinds.of(model).translation_model.objects.filter(slug__in=slugs)
    matches = with_translations(
        queryset.filter(Q(slug__in=slugs) | Q(pk__in=translated.values("entity_id"))),
        texts=texts,
    )
    fields = {field.attname: F(field.attname) for field in model._meta.concrete_fields}
    translations = {name: F(name) for name in matches.query.annotations}
    ordering = matches.query.order_by or model._meta.ordering or ["pk"]
    return (
        matches.annotate(
            request_number=Value(number),
            position=Window(RowNumber(), order_by=[*ordering, "pk"]),
            data=JSONObject(**fields, **translations),
        )
        .values_list("request_number", "position", "data")
        .order_by()
    )


def _entity_from_json(model, db, data):
    fields = model._meta.concrete_fields
    entity = model.from_db(
        db,
        [field.attname for field in fields],
        [field.to_python(data[field.attname]) for field in fields],
    )
    for name, value in data.items():
        if name.startswith("_tr__"):
            setattr(entity, name, value)
    return entity


def _by_slug(entities, slugs):
    """{slug: entity} of the ``slugs`` the entities have, in their order."""
    found = {}
    for entity in entities:
        for slug in localized_slugs(entity).values():
            if slug in slugs and slug not in found:
                found[slug] = entity
    for entity in entities:
        # An English slug wins should a translated one ever equal it (the forms
        # refuse that; nothing written around them may make a URL change entity).
        if entity.slug in slugs:
            found[entity.slug] = entity
    order = {entity.pk: position for position, entity in enumerate(entities)}
    return dict(sorted(found.items(), key=lambda item: order[item[1].pk]))


def localized_slugs(entity):
    """{language: slug} of the entity's translated slugs (from its annotations or
    the request's names)."""
    slugs = {}
    for code in other_languages():
        slug = _translated(entity, code, "slug")
        if slug:
            slugs[code] = slug
    return slugs


# --- appointments -----------------------------------------------------------------


def appointments_with_translations(queryset, code=None):
    """Appointments annotated with their position in ``code``."""
    code = language(code)
    if code == DEFAULT_LANGUAGE:
        return queryset
    row = AppointmentTranslation.objects.filter(
        appointment=OuterRef("pk"), locale__language_code=code
    )
    return queryset.annotate(
        **{_attr(code, "position"): Subquery(row.values("position")[:1])}
    )


def localized_position(appointment, code=None):
    code = language(code)
    if code == DEFAULT_LANGUAGE:
        return appointment.position
    value = getattr(appointment, _attr(code, "position"), MISSING)
    if value is MISSING:
        value = (
            AppointmentTranslation.objects.filter(
                appointment_id=appointment.pk, locale__language_code=code
            )
            .values_list("position", flat=True)
            .first()
        )
        setattr(appointment, _attr(code, "position"), value or "")
    return value or appointment.position


def localized_appointment_title(appointment, code=None):
    """The role as printed, in ``code``: "Menteri Perindustrian, Kementerian ..."."""
    position = localized_position(appointment, code)
    if appointment.organisation_id:
        return f"{position}, {localized_name(appointment.organisation, code)}"
    return position
