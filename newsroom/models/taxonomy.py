"""The taxonomy editors extend without a deploy: sector and region trees, topic tags."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from taggit.models import ItemBase, TagBase
from treebeard.mp_tree import MP_Node
from wagtail.search import index

from newsroom import kinds
from newsroom.models.entities import Entity, SlugFromName
from newsroom.models.entity_forms import TreeNodeForm
from newsroom.models.links import part_of_release
from newsroom.models.listed import ListedRows, marked_public_field
from newsroom.models.references import ReferenceIndexedOncePerSave


class TreeNode(
    Entity,
    SlugFromName,
    ReferenceIndexedOncePerSave,
    index.Indexed,
    ClusterableModel,
    MP_Node,
):
    """A named node in a materialised-path tree (sectors, regions).

    Filters expand a chosen node to its whole subtree through the path prefix, which
    one indexed ``LIKE 'path%'`` answers. Clusterable (as Wagtail's pages are) for
    the translations edited inline (newsroom/models/translations.py).
    """

    name = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=255,
        unique=True,
        allow_unicode=True,
        help_text="Used in URLs and filters, e.g. /news/?sector=nickel-smelting.",
    )
    marked_public = marked_public_field()

    node_order_by = ["name"]
    base_form_class = TreeNodeForm

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
    ]

    class Meta:
        abstract = True
        ordering = ["path"]

    def __str__(self):
        return self.name

    def move(self, target, pos=None):
        super().move(target, pos)
        # Releases and events inside this node now sit under other ancestors.
        moved = type(self).objects.get(pk=self.pk)
        moved.release_memberships.model.refresh_subtree(moved)
        kind = kinds.of(moved)
        for table in ListedRows.tables:
            table.refresh(set(table.linking_subtree(kind, moved)))

    @property
    def label_with_ancestors(self):
        return " > ".join(node.name for node in [*self.get_ancestors(), self])

    @property
    def indented_name(self):
        """Name prefixed by one em space per level, for flat select options."""
        return "\u2003" * (self.depth - 1) + self.name

    def subtree_ids(self):
        return list(type(self).get_tree(self).values_list("pk", flat=True))


class Sector(TreeNode):
    code = models.CharField(
        max_length=20,
        blank=True,
        help_text="Optional classification code, e.g. KBLI 24202 or ISIC C2420.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the sector's page."
    )

    search_fields = [*TreeNode.search_fields, index.SearchField("code")]

    class Meta(TreeNode.Meta):
        verbose_name = "sector"


class Region(TreeNode):
    class Kind(models.TextChoices):
        # Shown on the region's hub, in the page's language.
        COUNTRY = "country", _("Country")
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")
        CITY = "city", _("City")
        OTHER = "other", _("Other area")

    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text="Country, province, regency or city.",
    )
    iso_code = models.CharField(
        "ISO 3166 code",
        max_length=10,
        blank=True,
        help_text="e.g. ID-ST (Central Sulawesi), CN (China); blank where none exists.",
    )

    kemendagri_code = models.CharField(
        "Kemendagri code",
        max_length=13,
        blank=True,
        help_text="The Ministry of Home Affairs' code: e.g. 72 (Central Sulawesi), "
        "72.06 (Morowali Regency). `manage.py load_region_codes` fills them in.",
    )

    search_fields = [*TreeNode.search_fields, index.SearchField("iso_code")]

    class Meta(TreeNode.Meta):
        verbose_name = "region"
        constraints = [
            models.UniqueConstraint(
                fields=["kemendagri_code"],
                condition=~models.Q(kemendagri_code=""),
                name="region_kemendagri_code_unique",
                violation_error_message="Another region has this Kemendagri code.",
            )
        ]


class Topic(Entity, ReferenceIndexedOncePerSave, ClusterableModel, TagBase):
    """A free tag: commodities (nickel, lithium) and themes (downstreaming)."""

    free_tagging = True

    marked_public = marked_public_field()

    class Meta:
        verbose_name = "topic"
        ordering = ["name"]


class ReleaseTopic(ItemBase):
    tag = models.ForeignKey(
        Topic, related_name="tagged_releases", on_delete=models.CASCADE
    )
    content_object = part_of_release("tagged_topics")
