"""A reader's filter, canonical: the same releases always make the same query
string, its terms (for matching) and its description in words."""

from urllib.parse import parse_qsl, urlencode

from django.db import IntegrityError, transaction
from django.http import QueryDict

from newsroom.finder import wording
from newsroom.finder.agenda import AgendaFilterSet
from newsroom.finder.filterset import FACETS, ReleaseFilterSet
from newsroom.models import (
    AlertFilter,
    AlertFilterTerm,
    PressReleasePage,
)

# Characters of a reader's search words quoted in the filter's description.
SEARCH_QUOTE_LENGTH = 40

# A filter of the agenda's events is the same parameters over events: marked by
# this pair, first in its canonical query, so that every link, token and page of
# the subscription flow carries it as they carry the rest of the filter.
AGENDA_PAIR = ("of", "agenda")
AGENDA_PREFIX = "of=agenda"


def is_agenda(query):
    """Whether a canonical query follows the agenda's events."""
    return query == AGENDA_PREFIX or query.startswith(f"{AGENDA_PREFIX}&")


def without_agenda(query):
    """The filter's own parameters, as the listing (or the agenda) takes them."""
    if not is_agenda(query):
        return query
    return query[len(AGENDA_PREFIX) :].lstrip("&")


def _filterset(data, queryset=None, filterset_class=ReleaseFilterSet):
    if queryset is None:
        queryset = PressReleasePage.objects.none()
    return filterset_class(data, queryset=queryset)


def facet_of(entity):
    """The facet an official, organisation, sector, region or topic belongs to."""
    for name, facet in FACETS.items():
        if isinstance(entity, facet.model):
            return name
    raise ValueError(f"{entity!r} is not a filterable entity")


def canonical_pairs(filterset, entity=None):
    """The filter's valid values in one order: facets (slugs sorted), dates, ``q``.

    Unknown parameters, empty and invalid values, ``sort`` and ``page`` are left
    out, so every spelling of one filter gives the same pairs. ``entity`` is the
    hub the filter was taken on; it counts as selected in its facet unless the
    reader chose values of that facet.
    """
    filterset.errors  # noqa: B018 -- validates once
    cleaned = filterset.form.cleaned_data
    scope = facet_of(entity) if entity is not None else None
    pairs = []
    for name in FACETS:
        chosen = list(cleaned.get(name) or [])
        if name == scope and not chosen:
            chosen = [entity]
        pairs.extend((name, slug) for slug in sorted({e.slug for e in chosen}))
    for name in ("from", "to"):
        value = cleaned.get(name)
        if value:
            pairs.append((name, value.isoformat()))
    if filterset.query:
        pairs.append(("q", filterset.query))
    return pairs


FILTER_PARAMETERS = [*FACETS, "from", "to", "q"]


class InvalidFilter(ValueError):
    """A filter naming something readers cannot choose (an unknown or not yet
    public entity, a malformed date): following what is left of it would mail a
    reader releases they never asked for, so it is refused instead."""


def canonical_query(data, entity=None, strict=False):
    """The normalised query string of a filter given as a QueryDict or string;
    ``of=agenda`` makes it a filter of the agenda's events.

    An invalid value drops its whole parameter (Django's forms clean a field
    whole), which widens the filter; ``strict`` raises InvalidFilter instead.
    """
    if isinstance(data, str):
        data = QueryDict(data)
    of = {value.strip() for value in data.getlist("of")} - {""}
    if strict and of - {AGENDA_PAIR[1]}:
        raise InvalidFilter(["of"])
    kept = QueryDict(mutable=True)
    for name in FILTER_PARAMETERS:
        values = [value.strip() for value in data.getlist(name)]
        kept.setlist(name, [value for value in values if value])
    filterset = _filterset(kept)
    if strict and any(name in FILTER_PARAMETERS for name in filterset.errors):
        raise InvalidFilter(sorted(filterset.errors))
    agenda = [AGENDA_PAIR] if AGENDA_PAIR[1] in of else []
    return urlencode(agenda + canonical_pairs(filterset, entity))


def canonical_query_of(filterset, entity=None):
    """The normalised query string of an already bound FilterSet (the agenda's
    one gives a filter of events)."""
    agenda = [AGENDA_PAIR] if isinstance(filterset, AgendaFilterSet) else []
    return urlencode(agenda + canonical_pairs(filterset, entity))


def query_terms(query):
    """{(facet, slug)} a canonical query names."""
    return {(name, value) for name, value in parse_qsl(query) if name in FACETS}


def describe_filter(query, search_words=True):
    """The filter in words, as every channel words it (newsroom/finder/wording.py):
    "Releases on Nickel smelting in North Maluku". The search words, the only
    text a reader types, are quoted as a search and cut short; without
    ``search_words`` (email subjects) they are left out."""
    return wording.describe(
        _filterset(QueryDict(query)),
        events=is_agenda(query),
        search_words=search_words,
        search_length=SEARCH_QUOTE_LENGTH,
    )


def get_or_create_filter(query):
    """The AlertFilter of a canonical query, with its terms."""
    found = AlertFilter.objects.filter(query=query).first()
    if found is not None:
        return found
    terms = query_terms(query)
    try:
        with transaction.atomic():
            alert_filter = AlertFilter.objects.create(
                query=query,
                description=describe_filter(query)[:500],
                facet_count=len({facet for facet, _ in terms}),
                has_search=any(name == "q" for name, _ in parse_qsl(query)),
                agenda=is_agenda(query),
            )
            AlertFilterTerm.objects.bulk_create(
                AlertFilterTerm(filter=alert_filter, facet=facet, slug=slug)
                for facet, slug in sorted(terms)
            )
    except IntegrityError:  # created meanwhile by another request
        return AlertFilter.objects.get(query=query)
    return alert_filter
