"""A GIN index on the expression Wagtail's PostgreSQL search backend matches.

The database backend filters with ``(title || body) @@ to_tsquery(...)``; its own
indexes cover ``title`` and ``body`` separately, so without this one every search
reads all index entries (about 2 s at 100,000 releases).
"""

from django.db import migrations

from newsroom.migrations._operations import PostgresIndex


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0006_email_alerts"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        PostgresIndex(
            "newsroom_indexentry_title_body_gin",
            "ON wagtailsearch_indexentry USING gin ((title || body))",
        )
    ]
