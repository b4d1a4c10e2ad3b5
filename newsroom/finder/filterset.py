"""The one definition of how releases are filtered.

The listing, hub pages, feeds, CSV export and API all hand ``request.GET`` to
:class:`ReleaseFilterSet` and use what it returns; nothing else decides which
releases match a query.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import translation
from django_filters import (
    CharFilter,
    ChoiceFilter,
    DateFilter,
    FilterSet,
    ModelMultipleChoiceFilter,
)
from django_filters.fields import ModelMultipleChoiceField

from newsroom import kinds
from newsroom.finder import entity_names, full_text
from newsroom.models import PressReleasePage
from newsroom.models.linked_ids import LinkedIds
from newsroom.models.listed import ListedRelease, ListedRows, known_to_readers


class Facet:
    """A kind of entity (newsroom/kinds.py) as a relation a release can be
    filtered and counted by.

    Filters and counts read the facet's *membership* table: the link table itself
    for a flat facet, and for a tree the precomputed subtree table
    (newsroom/models/subtrees.py), where choosing a node matches everything below
    it through one indexed equality. The listing itself filters the listing table
    (newsroom/models/listed.py), whose array column per facet answers the same
    question with one overlap test.
    """

    def __init__(self, kind):
        self.kind = kind
        self.name = kind.name
        self.is_tree = kind.tree
        # The listing table's column of this facet's ids.
        self.array_field = kind.segment

    @property
    def model(self):
        return self.kind.model

    @property
    def link_model(self):
        return self.kind.link_model

    def public(self):
        """The entities readers may know of (``known_to_readers``)."""
        return known_to_readers(self.kind)

    def release_ids(self, chosen):
        """Ids of releases in any of ``chosen`` (OR within one facet), published
        or not."""
        membership, release_field, entity = self.kind.membership
        ids = [chosen_entity.pk for chosen_entity in chosen]
        return membership.objects.filter(**{f"{entity}_id__in": ids}).values(
            release_field
        )

    def listed_condition(self, ids):
        """Listing-table rows linking one of the entity ``ids``."""
        return Q(**{f"{self.array_field}__overlaps": ids})

    def filter(self, queryset, chosen):
        # IN (subquery) rather than a join: no duplicate rows, so no DISTINCT and a
        # cheap COUNT for the paginator.
        if not chosen:
            return queryset
        if issubclass(queryset.model, LinkedIds):
            return queryset.filter(
                self.listed_condition([entity.pk for entity in chosen])
            )
        return queryset.filter(pk__in=self.release_ids(chosen))


FACETS = {kind.name: Facet(kind) for kind in kinds.KINDS}


def filter_by_subtrees(queryset, relation, nodes):
    return FACETS[relation].filter(queryset, nodes)


SORT_CHOICES = [
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("relevance", "Best match"),
]
ORDERINGS = {
    # "id" breaks ties between releases of one day, and is a search FilterField.
    "newest": ("-release_date", "-id"),
    "oldest": ("release_date", "id"),
}


def is_listing_table(model):
    """A listing table's rows (releases', events'), rather than pages."""
    return issubclass(model, ListedRows)


def item_model_of(model):
    """The page model a queryset's rows stand for."""
    return model.item_model() if is_listing_table(model) else model


def date_field_of(model):
    """What ``from`` and ``to`` filter: a release's date, an event's."""
    return getattr(model, "date_field", None) or "release_date"


def ordering(sort, model):
    """The ORDERINGS of ``sort`` for releases or for listing-table rows."""
    fields = ORDERINGS.get(sort, ORDERINGS["newest"])
    if model is ListedRelease:  # its primary key is the release's id
        return tuple(field.replace("id", "pk") for field in fields)
    return fields


def has_value(value):
    """An applied filter value: an empty choice of entities is a QuerySet."""
    if isinstance(value, QuerySet | list):
        return bool(value)  # the cleaned entities, already loaded
    return value not in (None, "")


def text_matches(query, model=PressReleasePage):
    """Ids of every release (or page of ``model``) whose text matches ``query``,
    published or not: a subquery with the database search backends, to
    intersect with what is listed."""
    backend = full_text.postgres_backend()
    if backend is not None:
        return full_text.matching_ids(backend, query, model)
    results = model.objects.order_by().search(query)
    if hasattr(results, "get_queryset"):
        return results.get_queryset().order_by().values("pk")
    return [result.pk for result in results]


class ReleaseFilterForm(forms.Form):
    def clean_q(self):
        # A long query is cut, not refused: a pasted paragraph still finds things.
        # Double quotes are phrase syntax to SQLite FTS5, which refuses one unpaired.
        raw = (self.cleaned_data.get("q") or "").replace('"', " ")
        query = " ".join(raw.split())
        return query[: settings.NEWSROOM_MAX_QUERY_LENGTH]

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("from"), cleaned_data.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")
        return cleaned_data


class EntitySlugField(ModelMultipleChoiceField):
    """Entities chosen by slug: the English one or a translated one, both finding
    the same entity (newsroom/models/translations.py), in one query.

    Cleans to a list of entities, each loaded with its names and slugs in every
    language and with the ``requested_slug`` it was chosen by (a chip removes that
    value from the URL; ``requested_slugs`` if the URL named it more than once).
    ``resolved`` holds them when the filterset has already looked up every
    facet's slugs in its one query.
    """

    resolved = None

    def clean(self, value):
        # Nothing chosen: an empty list rather than Django's ``queryset.none()``,
        # whose every truth test (the facet's filter, ``has_value``) compiles a
        # query to learn that it is empty: a sixth of an unfiltered listing's
        # compiling.
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value):
        try:
            requested = list(dict.fromkeys(value))
        except TypeError as error:  # a list of lists is not hashable
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from error
        for slug in requested:
            self.validate_no_null_characters(slug)
            if not isinstance(slug, str):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": slug},
                )
        found = self.resolved
        if found is None:
            found = entity_names.resolve_slugs(self.queryset, requested)
        for slug in requested:
            if slug not in found:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": slug},
                )
        chosen = {}  # in the queryset's order, as the choices were before
        for entity in found.values():
            chosen.setdefault(entity.pk, entity).requested_slugs = []
        for slug in requested:
            found[slug].requested_slugs.append(slug)
        for entity in chosen.values():
            entity.requested_slug = entity.requested_slugs[0]
        return list(chosen.values())


class EntitySlugFilter(ModelMultipleChoiceFilter):
    field_class = EntitySlugField


def slug_filter(kind):
    """The filter of one kind, by slug (``?sector=a&sector=b``). Its messages are
    the FilterSet's own, in English, as its other labels are."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(kind.label)
    return EntitySlugFilter(
        # An entity readers may not know of is refused like an unknown slug.
        queryset=FACETS[kind.name].public(),
        to_field_name="slug",
        label=label,
        method="filter_facet",
        error_messages={
            "invalid_choice": f"There is no {label.lower()} “%(value)s”.",
            "invalid_pk_value": f"“%(pk)s” is not a valid {label.lower()}.",
        },
    )


class ReleaseFilterSet(FilterSet):
    q = CharFilter(label="Search", method="filter_nothing")
    # One filter per kind of entity, in the registry's order.
    vars().update({kind.name: slug_filter(kind) for kind in kinds.KINDS})
    # "from" is a Python keyword, hence the class-namespace assignment.
    vars()["from"] = DateFilter(method="filter_date", label="From")
    to = DateFilter(method="filter_date", label="To")
    sort = ChoiceFilter(
        choices=SORT_CHOICES, label="Sort", method="filter_nothing", empty_label=None
    )

    class Meta:
        model = PressReleasePage
        fields = []
        form = ReleaseFilterForm

    def get_form_class(self):
        """The form class of this filterset class, built once.

        django-filter builds one for each filterset, from its filters' fields:
        a millisecond of every listing, hub, feed and API request. No field here
        depends on the request (the entities' querysets are fixed, a request's
        resolved slugs go to its form's own copies of the fields), and each form
        copies the class's fields when it is made, so one class serves all.
        """
        filterset_class = type(self)
        form_class = filterset_class.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            # On this class itself: a subclass (the agenda's) builds its own.
            filterset_class._form_class = form_class
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if self.is_bound:
                self._resolve_chosen_slugs(form)
        return self._form

    def _resolve_chosen_slugs(self, form):
        """Look up the slugs of every facet in one query (not one per facet) and
        hand each field its entities; a value no slug could be is left to the
        field, which refuses it."""
        requests = {}
        for name in FACETS:
            field = form.fields[name]
            value = field.widget.value_from_datadict(
                form.data, form.files, form.add_prefix(name)
            )
            if not isinstance(value, list | tuple):
                continue
            slugs = [v for v in value if isinstance(v, str) and "\x00" not in v]
            if len(slugs) == len(value) and slugs:
                # Each facet's field offers the public entities of its kind
                # (slug_filter), which resolve_public_slugs looks among.
                requests[name] = (name, slugs)
        for name, found in entity_names.resolve_public_slugs(requests).items():
            form.fields[name].resolved = found

    def filter_nothing(self, queryset, name, value):
        """``q`` and ``sort`` act after filtering; see :meth:`results`."""
        return queryset

    def filter_facet(self, queryset, name, value):
        return FACETS[name].filter(queryset, value)

    def filter_date(self, queryset, name, value):
        lookup = "gte" if name == "from" else "lte"
        return queryset.filter(**{f"{date_field_of(queryset.model)}__{lookup}": value})

    # --- what the channels use ----------------------------------------------------

    def cleaned(self, name, default=None):
        self.errors  # noqa: B018 -- validates the form once
        return self.form.cleaned_data.get(name) or default

    @property
    def query(self):
        return self.cleaned("q", "")

    @property
    def sort_order(self):
        sort = self.cleaned("sort")
        if sort == "relevance" and not self.query:
            sort = None
        return sort or ("relevance" if self.query else "newest")

    def selected(self, facet_name):
        return list(self.cleaned(facet_name, []))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*ordering(self.sort_order, queryset.model))

    def queryset_without(self, *ignored, base=None):
        """The filtered releases ignoring some facets: the base of their counts.
        With ``base``, the same filters on another table with the same columns
        (``LinkedIds``: the figures of listed releases)."""
        self.errors  # noqa: B018 -- validates the form once
        queryset = (self.queryset if base is None else base).all()
        for name, value in self.form.cleaned_data.items():
            if name not in ignored and has_value(value):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def results(self):
        """The matching releases in order: a QuerySet, or SearchResults with ``q``.

        Over the listing table, the full-text match narrows the rows by id; ranking
        by relevance asks the search backend about exactly those releases.
        """
        queryset = self.qs
        if not self.query:
            return queryset
        if is_listing_table(queryset.model):
            item_model = item_model_of(queryset.model)
            matching = queryset.filter(pk__in=text_matches(self.query, item_model))
            if self.sort_order != "relevance":
                return matching
            backend = full_text.postgres_backend()
            if backend is not None:
                return full_text.by_relevance(matching, backend, self.query, item_model)
            # Ranked among the matching rows only: given just the filtered rows,
            # the backend would test the text of every one of them.
            ranked = item_model.objects.filter(pk__in=matching.order_by().values("pk"))
            return ranked.search(self.query)
        if self.sort_order == "relevance":
            return queryset.order_by().search(self.query)
        return queryset.order_by(*ORDERINGS[self.sort_order]).search(
            self.query, order_by_relevance=False
        )

    @property
    def active_filters(self):
        """(parameter, value, label) for every applied filter, for removable chips."""
        active = []
        if self.query:
            active.append(("q", self.query, f"“{self.query}”"))
        for name in FACETS:
            # The value as the URL gave it (the chip removes it), the name in the
            # page's language.
            for entity in self.selected(name):
                value = getattr(entity, "requested_slug", entity.slug)
                active.append((name, value, entity_names.localized_name(entity)))
        for name, label in (("from", "From"), ("to", "To")):
            value = self.cleaned(name)
            if value:
                active.append((name, value.isoformat(), f"{label} {value:%-d %b %Y}"))
        return active
