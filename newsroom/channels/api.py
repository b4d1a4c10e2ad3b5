"""The read-only JSON API, Wagtail API v2 style, under /api/v2/.

``releases`` takes the listing's query parameters and hands them to the same
:class:`ReleaseQuery` as the listing, feeds and CSV export: Wagtail's own API filters
are exact matches on fields, which cannot express OR within a parameter, sector and
region subtrees or full text within a filter. ``officials``, ``sectors`` and
``regions`` list the entities those parameters take: those readers may know of
(:meth:`newsroom.finder.filterset.Facet.public`), in lists, details and ``find`` alike.

Every endpoint takes ``locale`` (default English): releases of that language's
newsroom, and the names (bios, descriptions, positions) of officials,
organisations, sectors, regions and topics in that language, English where there
is no translation. ``slug`` stays the English, language-neutral one: the value the
filters take in every language (translated slugs are accepted too).
"""

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Length, Substr
from django.http import Http404
from rest_framework import serializers, status
from rest_framework.response import Response
from wagtail.api import APIField
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from newsroom import kinds
from newsroom.channels.api_fields import (
    ChainField,
    EntityHtmlUrlField,
    KeyFiguresField,
    LocalizedField,
    OrganisationRefSerializer,
    RegionRefSerializer,
    RegulationRefSerializer,
    ReleaseOfficialSerializer,
    SectorRefSerializer,
    TopicsField,
)
from newsroom.channels.api_parameters import (
    ParameterError,
    positive_integer,
    requested_locale,
    stored_id,
)
from newsroom.channels.contacts import ContactsField
from newsroom.channels.page_cache import cached_response
from newsroom.finder import entity_names
from newsroom.finder.filterset import FACETS
from newsroom.finder.query import ReleaseQuery, hydrate
from newsroom.models import (
    Appointment,
    NewsroomPage,
    Official,
    PressReleasePage,
    Region,
    Regulation,
    Sector,
)
from newsroom.models.caching import remembered_page
from newsroom.models.contacts import contact_prefetches
from newsroom.models.querysets import under_view_restriction

# --- serializers for the nested relations ------------------------------------------


# --- pagination ----------------------------------------------------------------------


class NewsroomPagination(WagtailPagination):
    """Wagtail's ``limit`` and ``offset``, plus ``page``: 1-based, ``limit`` a page."""

    def paginate_queryset(self, queryset, request, view=None):
        limit_max = settings.WAGTAILAPI_LIMIT_MAX
        limit = positive_integer(request, "limit", min(20, limit_max))
        if limit > limit_max:
            raise ParameterError(
                {"limit": [f"limit cannot be higher than {limit_max}."]}
            )
        offset = positive_integer(request, "offset", 0)
        page = positive_integer(request, "page", None, minimum=1)
        if page is not None:
            if "offset" in request.GET:
                raise ParameterError(
                    {"page": ["Give either page or offset, not both."]}
                )
            if limit == 0:
                raise ParameterError({"limit": ["limit must be at least 1 with page."]})
            offset = (page - 1) * limit
        self.view = view
        self.total_count = queryset.count()
        if page is not None and page > 1 and offset >= self.total_count:
            pages = -(-self.total_count // limit)
            raise ParameterError(
                {"page": [f"Page {page} is past the end: there are {pages} pages."]}
            )
        if offset >= self.total_count:
            # Nothing to fetch; and an offset past the database's integer range
            # (offset=10**30) would fail in SQL rather than return no rows.
            return []
        return queryset[offset : offset + limit]


# --- endpoints -----------------------------------------------------------------------


class NewsroomAPIMixin:
    """Error bodies, paging, and unknown parameters ignored (readers append tracking
    ones)."""

    pagination_class = NewsroomPagination

    def dispatch(self, request, *args, **kwargs):
        # Shared by readers like pages: the same key, so a publish refreshes both.
        def build():
            return super(NewsroomAPIMixin, self).dispatch(request, *args, **kwargs)

        return cached_response(request, build)

    def check_query_parameters(self, queryset):
        pass

    def response_language(self):
        """The language of names in the response: the ``locale`` parameter's."""
        return requested_locale(self.request).language_code

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "language": self.response_language(),
        }

    def detail_view(self, request, pk):
        # The URL pattern takes digits only, but any number of them.
        if stored_id(self.model, pk) is None:
            raise Http404("not found")
        return super().detail_view(request, pk)

    def find_object(self, queryset, request):
        if "id" in request.GET:
            try:
                found = stored_id(self.model, request.GET["id"])
            except ValueError:
                raise ParameterError({"id": ["id must be a whole number."]}) from None
            if found is None:
                return None
        if "\x00" in request.GET.get("html_path", ""):
            # No page's path holds one, and PostgreSQL refuses it in a query.
            return None
        return super().find_object(queryset, request)

    def handle_exception(self, exc):
        if isinstance(exc, ParameterError):
            return Response(
                {"message": str(exc), "errors": exc.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)


RELEASE_FIELDS = [
    "id",
    "title",
    "release_date",
    "event_date",
    "dateline",
    "standfirst",
    "reference",
    APIField(
        "officials",
        serializer=ReleaseOfficialSerializer(
            source="release_officials", many=True, read_only=True
        ),
    ),
    APIField("sectors", serializer=SectorRefSerializer(many=True, read_only=True)),
    APIField("regions", serializer=RegionRefSerializer(many=True, read_only=True)),
    APIField(
        "organisations", serializer=OrganisationRefSerializer(many=True, read_only=True)
    ),
    APIField("topics", serializer=TopicsField()),
    APIField("key_figures", serializer=KeyFiguresField()),
    "withdrawn",
    APIField(
        "regulations", serializer=RegulationRefSerializer(many=True, read_only=True)
    ),
]
RELEASE_META_FIELDS = [
    "type",
    "detail_url",
    "html_url",
    "slug",
    "first_published_at",
    "locale",
]


class ReleasesAPIViewSet(NewsroomAPIMixin, PagesAPIViewSet):
    """Published releases of one locale's newsroom, filtered like /news/."""

    name = "releases"
    model = PressReleasePage
    filter_backends = []  # the ReleaseFilterSet does the filtering
    body_fields = RELEASE_FIELDS
    meta_fields = RELEASE_META_FIELDS
    listing_default_fields = [
        field.name if isinstance(field, APIField) else field
        for field in [*RELEASE_FIELDS, *RELEASE_META_FIELDS]
    ]
    detail_only_fields = [
        "withdrawn_on",
        "withdrawal_reason",
        APIField("contacts", serializer=ContactsField()),
    ]

    @classmethod
    def get_body_fields(cls, model):
        # Not the model's ``api_fields``: this endpoint's fields are its contract.
        fields = [*cls.body_fields, *cls.detail_only_fields]
        return cls._convert_api_fields(fields)

    @classmethod
    def get_detail_default_fields(cls, model):
        return cls.get_available_fields(model)

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.listing_default_fields[:]

    def get_queryset(self):
        """What a detail URL may show: live and public; withdrawn ones say so.

        Public by subquery: Wagtail's ``public()`` reads every view restriction
        in a query of its own each time the queryset is built, evaluated or not.
        """
        return PressReleasePage.objects.live().filter(~under_view_restriction())

    def get_base_queryset(self):
        return self.get_queryset()

    def response_language(self):
        """A release's names are in its own language; a listing's in its locale's."""
        if self.action == "detail_view":
            return self.get_object().locale.language_code
        return super().response_language()

    def get_newsroom(self):
        locale = requested_locale(self.request)
        # Kept while the structure version stays (a newsroom's edit or
        # restriction moves it).
        newsroom = remembered_page(
            self.request,
            ("api newsroom", locale.pk),
            lambda: (
                NewsroomPage.objects.live()
                .filter(~under_view_restriction(), locale=locale)
                .first()
            ),
        )
        if newsroom is None:
            raise Http404(f"There is no newsroom in locale “{locale.language_code}”.")
        return newsroom

    def listing_view(self, request):
        query = ReleaseQuery(request, self.get_newsroom())
        if query.errors:
            raise ParameterError(query.errors)
        releases = self.hydrate(self.paginate_queryset(query.results))
        serializer = self.get_serializer(releases, many=True)
        return self.get_paginated_response(serializer.data)

    def get_object(self):
        if not hasattr(self, "_cached_object"):
            release = super(PagesAPIViewSet, self).get_object()
            # Already checked as a detail may show it, withdrawn ones included.
            self._cached_object = self.hydrate(
                [release], among=PressReleasePage.objects.all()
            )[0]
            # The detail's contacts (contacts_of): two queries, however many.
            prefetch_related_objects([self._cached_object], *contact_prefetches())
        return self._cached_object

    @staticmethod
    def hydrate(releases, among=None):
        # The bodies too (key figures), in the same query.
        releases = hydrate(releases, among, relations="with_api_relations")
        prefetch_related_objects(releases, "locale")
        return releases


class EntityAPIViewSet(NewsroomAPIMixin, BaseAPIViewSet):
    """A read-only list of one kind of entity; every field shown by default."""

    meta_fields = [
        "type",
        "detail_url",
        APIField("html_url", serializer=EntityHtmlUrlField()),
    ]

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(cls.body_fields)

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.get_available_fields(model)


class OfficialsAPIViewSet(EntityAPIViewSet):
    class AppointmentSerializer(serializers.Serializer):
        position = serializers.SerializerMethodField()
        organisation = OrganisationRefSerializer(allow_null=True)
        start_date = serializers.DateField()
        end_date = serializers.DateField(allow_null=True)
        title = serializers.SerializerMethodField()

        def get_position(self, appointment):
            code = self.context.get("language")
            return entity_names.localized_position(appointment, code)

        def get_title(self, appointment):
            code = self.context.get("language")
            return entity_names.localized_appointment_title(appointment, code)

    name = "officials"
    model = Official
    body_fields = [
        "id",
        APIField("name", serializer=LocalizedField()),
        "slug",
        "honorific",
        APIField("bio", serializer=LocalizedField(text="bio")),
        APIField(
            "appointments",
            serializer=AppointmentSerializer(
                source="appointments.all", many=True, read_only=True
            ),
        ),
    ]

    def get_queryset(self):
        """Names, bios and positions in every language come with the officials."""
        appointments = entity_names.appointments_with_translations(
            Appointment.objects.select_related("organisation"),
            self.response_language(),
        )
        return (
            entity_names.with_translations(FACETS["official"].public(), texts=True)
            .prefetch_related(Prefetch("appointments", queryset=appointments))
            .order_by("name", "pk")
        )


class TreeAPIViewSet(EntityAPIViewSet):
    """Sectors or regions in tree order, each with its parent's slug and depth."""

    tree_fields = [
        "id",
        APIField("name", serializer=LocalizedField()),
        "slug",
        APIField(
            "parent",
            serializer=serializers.CharField(
                source="parent_slug", allow_null=True, read_only=True
            ),
        ),
        "depth",
    ]

    def get_queryset(self):
        model = self.model
        parent = model.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - model.steplen)
        )
        public = FACETS[kinds.of(model).name].public()
        return entity_names.with_translations(
            public.annotate(parent_slug=Subquery(parent.values("slug")[:1])),
            texts=True,
        ).order_by("path")


class SectorsAPIViewSet(TreeAPIViewSet):
    name = "sectors"
    model = Sector
    body_fields = [
        *TreeAPIViewSet.tree_fields,
        "code",
        APIField("description", serializer=LocalizedField(text="description")),
    ]


class RegionsAPIViewSet(TreeAPIViewSet):
    name = "regions"
    model = Region
    body_fields = [*TreeAPIViewSet.tree_fields, "iso_code", "kemendagri_code", "kind"]


class RegulationsAPIViewSet(EntityAPIViewSet):
    """The register as readers may know it, with each regulation's chain."""

    name = "regulations"
    model = Regulation
    # "type" is the regulation's type here ("law"), not Wagtail's model label.
    meta_fields = [field for field in EntityAPIViewSet.meta_fields if field != "type"]
    body_fields = [
        "id",
        APIField("name", serializer=LocalizedField()),
        "slug",
        # Wagtail serves a field named "type" as the model's label unless told.
        APIField("type", serializer=serializers.CharField(read_only=True)),
        "number",
        "year",
        APIField("title", serializer=LocalizedField(text="title")),
        "enacted",
        "status",
        APIField("amends", serializer=ChainField()),
        APIField("amended_by", serializer=ChainField()),
        APIField("revokes", serializer=ChainField()),
        APIField("revoked_by", serializer=ChainField()),
        "url",
    ]

    def get_queryset(self):
        public = FACETS["regulation"].public()
        # A chain names only regulations readers may know of, as lists do.
        chains = [
            Prefetch(relation, queryset=public.order_by())
            for relation in ("amends", "amended_by", "revokes", "revoked_by")
        ]
        return (
            entity_names.with_translations(public, texts=True)
            .prefetch_related(*chains)
            .order_by("-year", "type", "number", "pk")
        )


api_router = WagtailAPIRouter("wagtailapi")
for endpoint in (
    ReleasesAPIViewSet,
    OfficialsAPIViewSet,
    SectorsAPIViewSet,
    RegionsAPIViewSet,
    RegulationsAPIViewSet,
):
    api_router.register_endpoint(endpoint.name, endpoint)
