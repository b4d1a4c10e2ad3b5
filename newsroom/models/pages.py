"""The page types: home, the newsroom listing, and the press release."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from newsroom import kinds
from newsroom.models import caching
from newsroom.models.blocks import ReleaseBodyBlock
from newsroom.models.caching import CachedPageMixin, KnowsItsTranslations
from newsroom.models.contacts import contact_prefetches, contacts_of
from newsroom.models.editorial import GovernmentPeriod
from newsroom.models.forms import PressReleaseForm
from newsroom.models.images import picture_field, pictures_of
from newsroom.models.links import RelatedRelease
from newsroom.models.listed import ListedRelease, known_to_readers
from newsroom.models.precompiled import run_precompiled
from newsroom.models.querysets import (
    PressReleaseManager,
    load_release_links,
    under_view_restriction,
    with_card_links,
)
from newsroom.models.references import ReferenceIndexedOncePerSave
from newsroom.models.release_panels import RELATION_PANELS
from newsroom.models.routing import child_with_translations
from newsroom.models.search_indexing import IndexedWithRelations
from newsroom.models.subtrees import refresh_release_subtrees
from newsroom.models.translating import TranslationProgressPanel

HUB_PATTERN = "|".join(kinds.SEGMENTS)
# The newsroom's own routes; a release taking one of these slugs would be hidden.
RESERVED_SLUGS = frozenset(
    {"feed", "export.csv", "contacts", "figures", *kinds.SEGMENTS}
)


class HomePage(KnowsItsTranslations, CachedPageMixin, Page):
    intro = models.TextField(
        blank=True, help_text="One or two sentences introducing the press office."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["newsroom.NewsroomPage"]
    max_count_per_parent = 1

    def route(self, request, path_components):
        # A home page's children are newsrooms: one query finds the newsroom
        # with its translations (Wagtail's way takes two, and one more for them).
        # This process remembers it while the structure version stays.
        if path_components:
            slug = path_components[0]
            newsroom = caching.remembered_child(
                request,
                self,
                slug,
                lambda: child_with_translations(NewsroomPage, self, slug),
            )
            if newsroom is not None:
                return newsroom.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        releases = (
            PressReleasePage.objects.published(for_loading=True)
            .filter(locale_id=self.locale_id)
            .for_cards()
        )
        context["featured_releases"] = with_card_links(
            releases.filter(featured=True)[:3]
        )
        context["latest_releases"] = with_card_links(releases[:6])
        context["newsroom"] = (
            NewsroomPage.objects.live()
            .filter(~under_view_restriction())
            .child_of(self)
            .first()
        )
        return context


def channels():
    """The channels package, which serves the newsroom's routes: imported when a
    route is first served, as the channels sit above the models and import them
    (docs/architecture.md); the routes hand requests over at run time."""
    from newsroom.channels import agenda, exports, feeds, figures, seo, views

    return SimpleNamespace(
        agenda=agenda,
        exports=exports,
        feeds=feeds,
        figures=figures,
        seo=seo,
        views=views,
    )


class NewsroomPage(CachedPageMixin, RoutablePageMixin, Page):
    """The listing of releases at /news/; its routes serve feeds, exports and hubs."""

    intro = models.TextField(blank=True, help_text="Shown above the list of releases.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.PressReleasePage", "newsroom.AgendaPage"]
    max_count_per_parent = 1

    def get_sitemap_urls(self, request=None):
        """The listing, then every hub index and every hub with a published release."""
        return [
            *super().get_sitemap_urls(request),
            *channels().seo.hub_sitemap_entries(self, request),
        ]

    def route(self, request, path_components):
        # A child (a release, the agenda) in one query with its translations
        # (child_with_translations); the newsroom's own routes go first.
        if self.live and path_components:
            try:
                self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                for model in self.allowed_subpage_models():
                    related = ["hero_image"] if model is PressReleasePage else []
                    child = child_with_translations(
                        model, self, path_components[0], *related
                    )
                    if child is not None:
                        return child.route(request, path_components[1:])
        return super().route(request, path_components)

    @path("")
    def listing(self, request):
        return channels().views.listing(request, self)

    @re_path(rf"^(?P<kind>{HUB_PATTERN})/$")
    def hub_index(self, request, kind):
        return channels().views.hub_index(request, self, kind)

    @re_path(rf"^(?P<kind>{HUB_PATTERN})/(?P<slug>[-\w]+)/$")
    def hub(self, request, kind, slug):
        return channels().views.hub(request, self, kind, slug)

    @path("feed/")
    def feed(self, request):
        return channels().feeds.release_feed(request, self)

    @re_path(rf"^(?P<kind>{HUB_PATTERN})/(?P<slug>[-\w]+)/feed/$")
    def hub_feed(self, request, kind, slug):
        return channels().feeds.release_feed(request, self, kind, slug)

    @re_path(r"^figures/(?P<export>export\.csv)?$")
    def figures(self, request, export=None):
        return channels().figures.tracker(request, self, export)

    @path("export.csv")
    def export_csv(self, request):
        return channels().exports.export_csv(request, self)

    @re_path(rf"^(?P<kind>{HUB_PATTERN})/(?P<slug>[-\w]+)/export\.csv$")
    def hub_export_csv(self, request, kind, slug):
        return channels().exports.export_csv(request, self, kind, slug)


class PressReleasePage(
    CachedPageMixin, IndexedWithRelations, ReferenceIndexedOncePerSave, Page
):
    objects = PressReleaseManager()

    standfirst = models.TextField(
        help_text="The summary under the title: who did what, where, in one or two "
        "sentences. Used in listings, feeds and search results."
    )
    dateline = models.CharField(
        max_length=100,
        blank=True,
        help_text="City the release is issued from, e.g. Jakarta.",
    )
    release_date = models.DateField(
        db_index=True, help_text="The date the ministry issued the statement."
    )
    event_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the meeting, visit or signing took place.",
    )
    reference = models.CharField(
        max_length=60, blank=True, help_text="The press office's reference number."
    )
    hero_image = picture_field(
        help_text="Shown at the top and when shared; landscape, at least 1200 px wide.",
    )
    body = StreamField(ReleaseBodyBlock(), blank=True)
    topics = ClusterTaggableManager(
        through="newsroom.ReleaseTopic",
        blank=True,
        # taggit calls the field "Tags"; the newsroom and its readers say topics.
        verbose_name="topics",
        help_text="Commodities and themes, e.g. nickel, downstreaming. A topic of "
        "several words is one entry: type it and press Enter.",
    )
    featured = models.BooleanField(
        default=False, help_text="Show on the home page among the featured releases."
    )
    media_contact_name = models.CharField(max_length=255, blank=True)
    media_contact_email = models.EmailField(blank=True)
    media_contact_phone = models.CharField(max_length=50, blank=True)
    withdrawn = models.BooleanField(
        default=False,
        help_text="Stays at its URL with a public notice and leaves every listing.",
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(
        blank=True, help_text="Shown publicly on the withdrawn release."
    )

    base_form_class = PressReleaseForm

    content_panels = [
        TranslationProgressPanel(heading="Translation"),
        *Page.content_panels,
        FieldPanel("standfirst"),
        FieldRowPanel(
            [
                FieldPanel("dateline"),
                FieldPanel("release_date"),
                FieldPanel("event_date"),
            ],
            classname="newsroom-dates",
        ),
        FieldPanel("reference"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel(
            "corrections",
            heading="Corrections and updates",
            label="Correction",
            help_text="Each note is shown publicly with its date.",
        ),
    ]
    relation_panels = RELATION_PANELS
    promote_panels = [*Page.promote_panels, FieldPanel("featured")]
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(
            [
                FieldPanel("withdrawn", permission="newsroom.withdraw_release"),
                FieldPanel("withdrawn_on", permission="newsroom.withdraw_release"),
                FieldPanel("withdrawal_reason", permission="newsroom.withdraw_release"),
            ],
            heading="Withdrawal",
            help_text="Moderators only. A withdrawn release keeps its URL with this "
            "notice and leaves listings, hubs, search and feeds.",
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(relation_panels, heading="Relations"),
            ObjectList(promote_panels, heading="Promote"),
            ObjectList(settings_panels, heading="Settings"),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.SearchField("dateline"),
        index.RelatedFields(
            "release_officials",
            [index.RelatedFields("official", [index.SearchField("name")])],
        ),
        index.RelatedFields(
            "release_sectors",
            [index.RelatedFields("sector", [index.SearchField("name")])],
        ),
        index.RelatedFields(
            "release_regions",
            [index.RelatedFields("region", [index.SearchField("name")])],
        ),
        index.RelatedFields(
            "release_organisations",
            [index.RelatedFields("organisation", [index.SearchField("name")])],
        ),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields(
            "release_regulations",
            [index.RelatedFields("regulation", [index.SearchField("name")])],
        ),
        index.FilterField("release_date"),
        index.FilterField("withdrawn"),
        index.FilterField("featured"),
    ]

    parent_page_types = ["newsroom.NewsroomPage"]
    subpage_types = []

    class Meta:
        verbose_name = "press release"
        permissions = [("withdraw_release", "Can withdraw a published release")]
        indexes = [
            models.Index(
                fields=["-release_date", "-page_ptr"], name="release_date_id_idx"
            )
        ]

    def load_page_relations(self):
        """What the release page, its PDF and its press kit show, each in one
        query: every kind's links (``load_release_links``), then the rest."""
        load_release_links([self])
        prefetch_related_objects(
            [self],
            # A cited regulation's later amendments and revocations (its note),
            # of those readers may know of.
            *(
                Prefetch(
                    f"release_regulations__regulation__{relation}",
                    queryset=known_to_readers(kinds.get("regulation")),
                )
                for relation in ("amended_by", "revoked_by")
            ),
            "corrections",
            *contact_prefetches(),
        )
        self.shown_related_links = run_precompiled(
            shown_related_links, (), page_id=self.pk
        )

    def save(self, *args, **kwargs):
        may_be_listed = ListedRelease.may_change_on_save(self)
        result = super().save(*args, **kwargs)
        # A full save (creating or publishing) is when modelcluster writes the
        # links; a partial one (saving a draft revision) leaves them as they were.
        if kwargs.get("update_fields") is None:
            refresh_release_subtrees([self.pk])
            # Publishing, unpublishing, withdrawal and expiry all pass here.
            if may_be_listed:
                ListedRelease.refresh([self.pk])
        return result

    def clean(self):
        super().clean()
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"'{self.slug}' is reserved for the newsroom's own pages."
        if (
            self.event_date
            and self.release_date
            and self.event_date > self.release_date
        ):
            errors["event_date"] = "The event date cannot be after the release date."
        if self.withdrawn and not self.withdrawal_reason.strip():
            errors["withdrawal_reason"] = "Give the public reason for the withdrawal."
        if self.withdrawn and not self.withdrawn_on:
            self.withdrawn_on = timezone.localdate()
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            # A preview renders unsaved relations held in memory: not loaded.
            self.load_page_relations()
        context = super().get_context(request, *args, **kwargs)
        context["officials"] = list(self.release_officials.all())
        context["related_releases"] = self.shown_related_releases()
        context["contacts"] = contacts_of(self)
        # Every picture's renditions in one query, not one per picture and size.
        photos = [contact.photo for contact in context["contacts"] if contact.photo]
        prefetch_related_objects([*pictures_of(self), *photos], "renditions")
        if self.withdrawn:
            # Kept at its URL with the notice, but no longer offered to searchers.
            context["robots"] = "noindex, follow"
        context["cited_regulations"] = [
            (regulation, regulation.later_changes(self.release_date))
            for regulation in self.regulations
        ]
        # Every release page asks: the terms are kept while the structure stays.
        self.administration = GovernmentPeriod.earlier_than_current(
            self.release_date,
            caching.remembered(request, "administrations", GovernmentPeriod.terms),
        )
        return context

    def shown_related_releases(self):
        """Related releases a reader may follow: those every listing shows (live,
        not withdrawn, and public: a title behind a password or login must not
        appear on another page), in the editor's order."""
        if hasattr(self, "shown_related_links"):  # load_page_relations chose them
            return [link.release for link in self.shown_related_links]
        linked = [link.release for link in self.related_links.all() if link.release]
        if not linked:
            return []
        shown = set(
            PressReleasePage.objects.published()
            .filter(pk__in=[release.pk for release in linked])
            .values_list("pk", flat=True)
        )
        return [release for release in linked if release.pk in shown]

    @cached_property
    def administration(self):
        """The earlier administration this release belongs to, or None if current."""
        return GovernmentPeriod.earlier_than_current(self.release_date)

    def get_sitemap_urls(self, request=None):
        # A withdrawn release stays reachable at its URL but is not promoted.
        return [] if self.withdrawn else super().get_sitemap_urls(request)

    @property
    def last_updated(self):
        """The date of the latest correction, used for 'Updated' and feeds."""
        dates = [correction.date for correction in self.corrections.all()]
        return max(dates, default=None)

    def linked(self, name):
        """The entities of the kind called ``name`` the release links, in the
        editor's order (loaded once by ``load_release_links``)."""
        kind = kinds.get(name)
        links = getattr(self, kind.release_links).all()
        return [getattr(link, kind.link_field) for link in links]

    sectors = property(lambda self: self.linked("sector"))
    regions = property(lambda self: self.linked("region"))
    organisations = property(lambda self: self.linked("organisation"))
    officials = property(lambda self: self.linked("official"))
    regulations = property(lambda self: self.linked("regulation"))

    def key_figures(self):
        """Every key figure in the body, in order (pages, feeds, CSV and API)."""
        # Only the key-figure blocks: iterating the whole body would load the
        # officials, images and documents of every other block, a query per
        # release in a list.
        return [
            figure
            for block in self.body.blocks_by_name("key_figures")
            for figure in block.value
        ]

    def sorted_topics(self):
        """The topics by name: a prefetch leaves them in no fixed order."""
        return sorted(
            self.linked("topic"), key=lambda topic: (topic.name.lower(), topic.pk)
        )


def shown_related_links(page_id):
    """The related releases a reader may follow (shown_related_releases), with
    the releases, in one query: published() by subquery rather than a query of
    its own. Compiled once per process (models/precompiled.py): building it took
    longer than running it, on every release page."""
    return (
        RelatedRelease.objects.filter(
            page_id=page_id,
            release__in=PressReleasePage.objects.published(for_loading=True).values(
                "pk"
            ),
        )
        .select_related("release")
        .order_by("sort_order")
    )
