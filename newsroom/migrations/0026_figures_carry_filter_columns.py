"""Figures carry their listing row's filter columns (newsroom/models/figures.py):
the tracker filters them directly instead of joining the listing table."""

import django.db.models.deletion
from django.db import migrations, models

import newsroom.models.linked_ids

ARRAY_FIELDS = ["officials", "organisations", "sectors", "regions", "topics"]
ARRAY_FIELDS += ["regulations"]
COPIED = ["newsroom_id", *ARRAY_FIELDS]
ANCESTORS_TOO = {
    name: f"Linked {name} and all their ancestors." for name in ("sectors", "regions")
}


def copy_from_listing_rows(apps, schema_editor):
    # Correlated subqueries rather than UPDATE ... FROM: one statement that
    # SQLite and PostgreSQL both run, over derived rows (100,000 figures at
    # 100,000 releases: seconds).
    assignments = ", ".join(
        f"{column} = (SELECT listed.{column} FROM newsroom_listedrelease AS listed "
        f"WHERE listed.release_id = newsroom_listedfigure.listed_id)"
        for column in COPIED
    )
    schema_editor.execute(f"UPDATE newsroom_listedfigure SET {assignments}")
    if schema_editor.connection.vendor == "postgresql":
        # Check the new foreign keys now: the NOT NULL that follows may not
        # alter a table with deferred checks pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def create_gin_indexes(apps, schema_editor):
    # As 0009 does for the listing table: a facet filter is an array overlap.
    if schema_editor.connection.vendor == "postgresql":
        for field in ARRAY_FIELDS:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS newsroom_figure_{field}_gin "
                f"ON newsroom_listedfigure USING gin ({field})"
            )


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for field in ARRAY_FIELDS:
            schema_editor.execute(f"DROP INDEX IF EXISTS newsroom_figure_{field}_gin")


def array_field(name):
    help_text = ANCESTORS_TOO.get(name)
    extra = {"help_text": help_text} if help_text else {}
    return newsroom.models.linked_ids.IdArrayField(blank=True, default=list, **extra)


def newsroom_key(**kwargs):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="newsroom.newsroompage",
        **kwargs,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0025_search_rum_index"),
    ]

    operations = [
        # Nullable until the copy below fills it.
        migrations.AddField(
            model_name="listedfigure", name="newsroom", field=newsroom_key(null=True)
        ),
        *(
            migrations.AddField(
                model_name="listedfigure", name=name, field=array_field(name)
            )
            for name in ARRAY_FIELDS
        ),
        migrations.RunPython(copy_from_listing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="listedfigure", name="newsroom", field=newsroom_key()
        ),
        migrations.AddIndex(
            model_name="listedfigure",
            index=models.Index(
                fields=["newsroom", "release_date"], name="figure_newsroom"
            ),
        ),
        migrations.RunPython(create_gin_indexes, drop_gin_indexes),
    ]
