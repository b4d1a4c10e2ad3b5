"""Pictures with rights: the site's own image model, and every existing picture moved
into it.

Rows are copied with their ids, because StreamField image blocks store ids; the
renditions come along (their files stay where they are), as do tags and the
reference index. The foreign keys to pictures (a release's hero image, an
official's portrait) are then pointed at the new table and the old rows removed.
Backwards, the same copy runs the other way before the keys are pointed back.

Every existing picture starts public (as it was served before); `manage.py
refresh_picture_access` restricts those only unpublished releases use.
"""

import django.db.models.deletion
import modelsearch.index
import taggit.managers
import wagtail.images.models
import wagtail.models.media
from django.conf import settings
import wagtail.fields
from django.core.management.color import no_style
from django.db import migrations, models

IMAGE_FIELDS = [
    "id", "title", "file", "description", "width", "height", "created_at",
    "uploaded_by_user_id", "focal_point_x", "focal_point_y", "focal_point_width",
    "focal_point_height", "file_size", "file_hash", "collection_id",
]  # fmt: skip
RENDITION_FIELDS = [
    "id", "filter_spec", "file", "width", "height", "focal_point_key", "image_id",
]  # fmt: skip


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def copy_pictures(apps, schema_editor, source, target, **new_fields):
    """Copy every picture, its renditions, tags and references from the ``source``
    models (app label, image, rendition) to the ``target`` ones, keeping ids."""
    Image, Rendition = (apps.get_model(source[0], name) for name in source[1:])
    NewImage, NewRendition = (apps.get_model(target[0], name) for name in target[1:])
    NewImage.objects.bulk_create(
        (NewImage(**row, **new_fields) for row in Image.objects.values(*IMAGE_FIELDS)),
        batch_size=500,
    )
    NewRendition.objects.bulk_create(
        (NewRendition(**row) for row in Rendition.objects.values(*RENDITION_FIELDS)),
        batch_size=500,
    )
    old = content_type(apps, source[0], source[1].lower())
    new = content_type(apps, target[0], target[1].lower())
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedItem.objects.filter(content_type=old).update(content_type=new)
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    for column in ("content_type", "base_content_type", "to_content_type"):
        ReferenceIndex.objects.filter(**{column: old}).update(**{column: new})
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        # Ids were given explicitly: the next upload must not reuse one.
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [NewImage, NewRendition]
        ):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            # Check the copied rows' keys now, so the tables can be altered next.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forwards(apps, schema_editor):
    copy_pictures(
        apps,
        schema_editor,
        ("wagtailimages", "Image", "Rendition"),
        ("newsroom", "NewsroomImage", "NewsroomRendition"),
        restricted=False,
    )


def backwards(apps, schema_editor):
    copy_pictures(
        apps,
        schema_editor,
        ("newsroom", "NewsroomImage", "NewsroomRendition"),
        ("wagtailimages", "Image", "Rendition"),
    )


def remove_pictures(app_label, *names):
    def remove(apps, schema_editor):
        # Historical models: deleting rows leaves the files alone (Wagtail's
        # file-removing signal handlers listen to the real models only).
        for name in names:
            apps.get_model(app_label, name).objects.all().delete()

    return remove


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0014_agenda"),
        (
            "taggit",
            "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx",
        ),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NewsroomImage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("title", models.CharField(max_length=255, verbose_name="title")),
                (
                    "file",
                    wagtail.images.models.WagtailImageField(
                        height_field="height",
                        upload_to=wagtail.images.models.get_upload_to,
                        verbose_name="file",
                        width_field="width",
                    ),
                ),
                ("width", models.IntegerField(editable=False, verbose_name="width")),
                ("height", models.IntegerField(editable=False, verbose_name="height")),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True, db_index=True, verbose_name="created at"
                    ),
                ),
                ("focal_point_x", models.PositiveIntegerField(blank=True, null=True)),
                ("focal_point_y", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "focal_point_width",
                    models.PositiveIntegerField(blank=True, null=True),
                ),
                (
                    "focal_point_height",
                    models.PositiveIntegerField(blank=True, null=True),
                ),
                ("file_size", models.PositiveIntegerField(editable=False, null=True)),
                (
                    "file_hash",
                    models.CharField(
                        blank=True, db_index=True, editable=False, max_length=40
                    ),
                ),
                (
                    "description",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="What the picture shows, for readers who cannot see it (read aloud by screen readers). Not a caption.",
                        max_length=255,
                        verbose_name="alt text",
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        blank=True,
                        help_text="Who took or made it, e.g. 'Ministry of Industry/Public Relations'.",
                        max_length=255,
                    ),
                ),
                (
                    "licence",
                    models.CharField(
                        blank=True,
                        help_text="How others may use it, e.g. 'CC BY 4.0' or '© Ministry of Industry, free to use with credit'.",
                        max_length=255,
                    ),
                ),
                (
                    "caption_en",
                    models.CharField(
                        blank=True,
                        help_text="Shown under it.",
                        max_length=500,
                        verbose_name="caption (English)",
                    ),
                ),
                (
                    "caption_id",
                    models.CharField(
                        blank=True,
                        help_text="Leave empty to show the English caption.",
                        max_length=500,
                        verbose_name="caption (Indonesian)",
                    ),
                ),
                (
                    "restricted",
                    models.BooleanField(
                        default=True,
                        editable=False,
                        help_text="Served only to editors and embargo holders.",
                    ),
                ),
                (
                    "collection",
                    models.ForeignKey(
                        default=wagtail.models.media.get_root_collection_id,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.collection",
                        verbose_name="collection",
                    ),
                ),
                (
                    "tags",
                    taggit.managers.TaggableManager(
                        blank=True,
                        help_text=None,
                        through="taggit.TaggedItem",
                        to="taggit.Tag",
                        verbose_name="tags",
                    ),
                ),
                (
                    "uploaded_by_user",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by user",
                    ),
                ),
            ],
            options={
                "verbose_name": "image",
                "verbose_name_plural": "images",
                "abstract": False,
            },
            bases=(
                wagtail.images.models.ImageFileMixin,
                modelsearch.index.Indexed,
                models.Model,
            ),
        ),
        migrations.CreateModel(
            name="NewsroomRendition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("filter_spec", models.CharField(db_index=True, max_length=255)),
                (
                    "file",
                    wagtail.images.models.WagtailImageField(
                        height_field="height",
                        storage=wagtail.images.models.get_rendition_storage,
                        upload_to=wagtail.images.models.get_rendition_upload_to,
                        width_field="width",
                    ),
                ),
                ("width", models.IntegerField(editable=False)),
                ("height", models.IntegerField(editable=False)),
                (
                    "focal_point_key",
                    models.CharField(
                        blank=True, default="", editable=False, max_length=16
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="renditions",
                        to="newsroom.newsroomimage",
                    ),
                ),
            ],
            options={
                "unique_together": {("image", "filter_spec", "focal_point_key")},
            },
            bases=(wagtail.images.models.ImageFileMixin, models.Model),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="official",
            name="portrait",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="newsroom.newsroomimage",
            ),
        ),
        migrations.AlterField(
            model_name="pressreleasepage",
            name="hero_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown at the top and when shared; landscape, at least 1200 px wide.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="newsroom.newsroomimage",
            ),
        ),
        migrations.RunPython(
            remove_pictures("wagtailimages", "Rendition", "Image"), backwards
        ),
        migrations.AlterField(
            model_name="pressreleasepage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("paragraph", 0),
                    ("quote", 4),
                    ("image", 8),
                    ("gallery", 13),
                    ("table", 14),
                    ("document", 17),
                    ("embed", 18),
                    ("key_figures", 24),
                ],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": [
                                "bold",
                                "italic",
                                "link",
                                "ol",
                                "ul",
                                "h2",
                                "h3",
                                "document-link",
                            ],
                            "icon": "pilcrow",
                        },
                    ),
                    1: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {"help_text": "The words quoted, without quotation marks."},
                    ),
                    2: (
                        "wagtail.snippets.blocks.SnippetChooserBlock",
                        ("newsroom.Official",),
                        {
                            "help_text": "Who said it. Leave empty only for an unnamed spokesperson.",
                            "required": False,
                        },
                    ),
                    3: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Replaces the official's role of the day, e.g. 'spokesperson'.",
                            "required": False,
                        },
                    ),
                    4: (
                        "wagtail.blocks.StructBlock",
                        [[("text", 1), ("official", 2), ("attribution", 3)]],
                        {},
                    ),
                    5: (
                        "wagtail.images.blocks.ImageBlock",
                        [],
                        {
                            "help_text": "Alt text is required unless the image is decorative."
                        },
                    ),
                    6: ("wagtail.blocks.CharBlock", (), {"required": False}),
                    7: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "e.g. Ministry of Industry/Public Relations",
                            "required": False,
                        },
                    ),
                    8: (
                        "wagtail.blocks.StructBlock",
                        [[("image", 5), ("caption", 6), ("credit", 7)]],
                        {},
                    ),
                    9: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "e.g. 'Photos of the visit'.", "required": False},
                    ),
                    10: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Defaults to the picture's own caption.",
                            "required": False,
                        },
                    ),
                    11: (
                        "wagtail.blocks.StructBlock",
                        [[("image", 5), ("caption", 10)]],
                        {},
                    ),
                    12: ("wagtail.blocks.ListBlock", (11,), {"min_num": 2}),
                    13: (
                        "wagtail.blocks.StructBlock",
                        [[("title", 9), ("pictures", 12)]],
                        {},
                    ),
                    14: (
                        "wagtail.contrib.table_block.blocks.TableBlock",
                        (),
                        {"template": "components/blocks/table_block.html"},
                    ),
                    15: ("wagtail.documents.blocks.DocumentChooserBlock", (), {}),
                    16: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Defaults to the document's title.",
                            "required": False,
                        },
                    ),
                    17: (
                        "wagtail.blocks.StructBlock",
                        [[("document", 15), ("title", 16)]],
                        {},
                    ),
                    18: (
                        "wagtail.embeds.blocks.EmbedBlock",
                        (),
                        {
                            "icon": "media",
                            "template": "components/blocks/embed_block.html",
                        },
                    ),
                    19: (
                        "wagtail.blocks.DecimalBlock",
                        (),
                        {
                            "decimal_places": 2,
                            "help_text": "The full number: 1200000000 for 1.2 billion.",
                        },
                    ),
                    20: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Currency code (USD, IDR) or unit (MW, jobs, tonnes per year).",
                            "max_length": 20,
                            "required": False,
                        },
                    ),
                    21: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "help_text": "Tick when the unit is a currency (printed before the number).",
                            "required": False,
                        },
                    ),
                    22: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "What it measures, e.g. 'investment'.",
                            "max_length": 120,
                        },
                    ),
                    23: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("value", 19),
                                ("unit", 20),
                                ("is_currency", 21),
                                ("label", 22),
                            ]
                        ],
                        {},
                    ),
                    24: (
                        "wagtail.blocks.ListBlock",
                        (23,),
                        {
                            "help_text": "Investment, jobs, capacity: figures that are listed and exported.",
                            "icon": "list-ol",
                            "template": "components/blocks/key_figures_block.html",
                        },
                    ),
                },
            ),
        ),
    ]
