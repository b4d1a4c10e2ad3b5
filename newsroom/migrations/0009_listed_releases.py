"""The listing table and its counts (newsroom/models/listed.py), filled from the
releases there are.

Filling uses the current models' ``ListedRelease.rebuild`` rather than historical
ones: which releases are listed is defined by ``published_releases()``, which the
historical managers do not have. It reads only columns that exist at this point.
"""

import django.db.models.deletion
from django.db import migrations, models

import newsroom.models.listed

GIN_FIELDS = ["officials", "organisations", "sectors", "regions", "topics"]


def fill(apps, schema_editor):
    from newsroom.models import ListedRelease, PressReleasePage

    if PressReleasePage.objects.using(schema_editor.connection.alias).exists():
        ListedRelease.rebuild()


def create_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for field in GIN_FIELDS:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS newsroom_listed_{field}_gin "
                f"ON newsroom_listedrelease USING gin ({field})"
            )


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for field in GIN_FIELDS:
            schema_editor.execute(f"DROP INDEX IF EXISTS newsroom_listed_{field}_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0008_editors_keep_to_own_uploads"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListedRelease",
            fields=[
                (
                    "release",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="newsroom.pressreleasepage",
                    ),
                ),
                ("release_date", models.DateField()),
                ("officials", newsroom.models.listed.IdArrayField()),
                ("organisations", newsroom.models.listed.IdArrayField()),
                (
                    "sectors",
                    newsroom.models.listed.IdArrayField(
                        help_text="Linked sectors and all their ancestors."
                    ),
                ),
                (
                    "regions",
                    newsroom.models.listed.IdArrayField(
                        help_text="Linked regions and all their ancestors."
                    ),
                ),
                ("topics", newsroom.models.listed.IdArrayField()),
                (
                    "newsroom",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="newsroom.newsroompage",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["newsroom", "-release_date", "-release"],
                        name="listed_release_newest",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ListedCount",
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
                ("facet", models.CharField(max_length=20)),
                ("entity_id", models.IntegerField()),
                ("n", models.IntegerField(default=0)),
                (
                    "newsroom",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="newsroom.newsroompage",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("newsroom", "facet", "entity_id"),
                        name="unique_listed_count",
                    )
                ],
            },
        ),
        migrations.RunPython(create_gin_indexes, drop_gin_indexes),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
