"""The admin of the newsroom's snippets: people, organisations, the taxonomy and
the register of regulations, with their release counts; embargo links and
administrations for the press office."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import (
    CreateView,
    SnippetViewSet,
    SnippetViewSetGroup,
)
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

from newsroom import citations
from newsroom.editorial.choosers import OfficialChooserViewSet, TreeChooserViewSet
from newsroom.models import (
    Appointment,
    EmbargoLink,
    GovernmentPeriod,
    Journalist,
    MediaContact,
    Official,
    Organisation,
    Region,
    Regulation,
    Sector,
    Topic,
)
from newsroom.models.translations import translations_panel


class ReleaseCountMixin:
    """Adds how many releases use each entry, so editors see what is in use."""

    def get_queryset(self, request):
        return self.model._default_manager.annotate(
            release_count=Count("release_links", distinct=True)
        )


class OfficialViewSet(ReleaseCountMixin, SnippetViewSet):
    model = Official
    chooser_viewset_class = OfficialChooserViewSet
    icon = "user"
    menu_label = "Officials"
    list_display = [
        "name",
        "honorific",
        Column("current_position", label="Current position"),
        Column("release_count", label="Releases"),
    ]
    list_filter = ["appointments__organisation"]
    ordering = ["name"]
    copy_view_enabled = False

    def get_queryset(self, request):
        # Read with the rows (one subquery), not an appointment query per row.
        current = Appointment.objects.filter(
            official=OuterRef("pk"), end_date__isnull=True
        ).order_by("-start_date")
        return (
            super()
            .get_queryset(request)
            .annotate(current_position=Subquery(current.values("position")[:1]))
        )


class OrganisationViewSet(ReleaseCountMixin, SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    list_display = [
        "name",
        "acronym",
        "kind",
        "country",
        Column("release_count", label="Releases"),
    ]
    list_filter = ["kind", "country"]
    ordering = ["name"]


class TreeIndexView(SnippetIndexView):
    """Wagtail links a listing's first column to the edit form (with the row's
    actions) only when it builds that column from a field name; a ready-made
    Column stays plain text, which left every tree entry impossible to open."""

    def _get_title_column(self, field_name, *args, **kwargs):
        column = super()._get_title_column(field_name, *args, **kwargs)
        column.label = "Name"
        return column


class TreeSnippetViewSet(ReleaseCountMixin, SnippetViewSet):
    """Sectors and regions: listed in tree order with their full path."""

    index_view_class = TreeIndexView
    chooser_viewset_class = TreeChooserViewSet
    list_display = [
        "label_with_ancestors",
        "slug",
        Column("release_count", label="Releases"),
    ]
    ordering = ["path"]
    copy_view_enabled = False


class SectorViewSet(TreeSnippetViewSet):
    model = Sector
    icon = "cogs"
    menu_label = "Sectors"
    list_display = [*TreeSnippetViewSet.list_display, "code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("code"),
        FieldPanel("description"),
        translations_panel(),
    ]


class RegionViewSet(TreeSnippetViewSet):
    model = Region
    icon = "site"
    menu_label = "Regions"
    list_display = [
        *TreeSnippetViewSet.list_display,
        "kind",
        "iso_code",
        "kemendagri_code",
    ]
    list_filter = ["kind"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("kind"),
        FieldPanel("iso_code"),
        FieldPanel("kemendagri_code"),
        translations_panel(),
    ]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    list_display = ["name", "slug", Column("release_count", label="Releases")]
    # Topics are plain tags, not in the search index: the admin filters by name.
    search_fields = ["name"]
    ordering = ["name"]
    panels = [FieldPanel("name"), FieldPanel("slug"), translations_panel()]

    def get_queryset(self, request):
        return Topic.objects.annotate(
            release_count=Count("tagged_releases", distinct=True)
        )


class RegulationCreateView(CreateView):
    """Opened from a release's "cited but not in the register" list with the
    citation's type, number and year filled in."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        if instance is None:
            instance = self.model()
        regulation_type = self.request.GET.get("type")
        if regulation_type in citations.BY_CODE:
            instance.type = regulation_type
        instance.number = self.request.GET.get("number", "")[:30]
        year = self.request.GET.get("year", "")
        if year.isdigit() and len(year) == 4:
            instance.year = int(year)
        return instance


class RegulationViewSet(ReleaseCountMixin, SnippetViewSet):
    model = Regulation
    icon = "doc-full"
    menu_label = "Regulations"
    add_view_class = RegulationCreateView
    list_display = [
        "name",
        "title",
        "status",
        "enacted",
        Column("release_count", label="Releases"),
    ]
    list_filter = ["type", "status", "year"]
    ordering = ["-year", "type", "number"]
    copy_view_enabled = False


class MediaContactViewSet(SnippetViewSet):
    model = MediaContact
    icon = "mail"
    menu_label = "Media contacts"
    list_display = ["name", "role", "organisation", "phone", "email"]
    search_fields = ["name", "role"]
    ordering = ["name"]


class NewsroomSnippetGroup(SnippetViewSetGroup):
    menu_label = "Newsroom"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        OfficialViewSet,
        OrganisationViewSet,
        SectorViewSet,
        RegionViewSet,
        TopicViewSet,
        RegulationViewSet,
        MediaContactViewSet,
    )


class EmbargoLinkCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class EmbargoChooserPermissionMixin:
    """Only those who manage embargo links (or the journalists they go to) may
    list them, in a chooser too: Wagtail's choosers answer any admin user."""

    def dispatch(self, request, *args, **kwargs):
        policy = ModelPermissionPolicy(self.model_class)
        if not policy.user_has_any_permission(
            request.user, ["add", "change", "delete", "view"]
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EmbargoChooseView(EmbargoChooserPermissionMixin, ChooseView):
    pass


class EmbargoChooseResultsView(EmbargoChooserPermissionMixin, ChooseResultsView):
    pass


class EmbargoChooserViewSet(SnippetChooserViewSet):
    choose_view_class = EmbargoChooseView
    choose_results_view_class = EmbargoChooseResultsView


class FullURLColumn(Column):
    """The link as a journalist receives it, ready to copy: with the site's
    scheme and host, not a path."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if request is not None and context.get("value"):
            context["value"] = request.build_absolute_uri(context["value"])
        return context


class EmbargoLinkViewSet(SnippetViewSet):
    model = EmbargoLink
    chooser_viewset_class = EmbargoChooserViewSet
    icon = "lock"
    menu_label = "Embargo links"
    add_view_class = EmbargoLinkCreateView
    list_display = [
        "page",
        "recipient",
        "expires_at",
        Column("is_usable", label="Active"),
        Column("view_count", label="Views"),
        FullURLColumn("get_absolute_url", label="Link"),
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return EmbargoLink.objects.select_related("page").annotate(
            view_count=Count("views")
        )


class JournalistViewSet(SnippetViewSet):
    model = Journalist
    chooser_viewset_class = EmbargoChooserViewSet
    icon = "user"
    menu_label = "Accredited journalists"
    list_display = ["name", "outlet", "email", "language", "active"]
    list_filter = ["active", "language"]
    copy_view_enabled = False


class GovernmentPeriodViewSet(SnippetViewSet):
    model = GovernmentPeriod
    icon = "date"
    menu_label = "Administrations"
    list_display = ["name", "start_date", "end_date"]


class PressOfficeGroup(SnippetViewSetGroup):
    menu_label = "Press office"
    menu_icon = "lock"
    menu_order = 210
    items = (EmbargoLinkViewSet, JournalistViewSet, GovernmentPeriodViewSet)
