"""A GIN index on the expression Wagtail's PostgreSQL search backend matches.

The database backend filters with ``(title || body) @@ to_tsquery(...)``; its own
indexes cover ``title`` and ``body`` separately, so without this one every search
reads all index entries (about 2 s at 100,000 releases).
"""

from django.db import migrations

INDEX = "newsroom_indexentry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0006_email_alerts"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
