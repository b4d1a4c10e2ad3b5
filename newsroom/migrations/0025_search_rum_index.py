"""A RUM index on the expression Wagtail's PostgreSQL backend matches, when the
server has the extension.

GIN (migration 0007) finds the matching entries but cannot order them: ranking a
word found in every release reads and ranks every matching entry (about 1.7 s at
100,000 releases). RUM keeps each word's positions in the index, so
``ORDER BY (title || body) <=> query LIMIT n`` comes straight from it
(``newsroom/finder/broad_search.py``). A server without the extension (Debian's
``postgresql-15-rum``; many managed services lack it) migrates all the same and the
listing ranks as before.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "newsroom_indexentry_title_body_rum"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            return
    try:
        # Creating an untrusted extension takes a superuser: a deploy whose
        # database role is not one goes on without the index.
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
                "USING rum ((title || body) rum_tsvector_ops)"
            )
    except DatabaseError:
        return


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0024_region_kemendagri_codes"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
