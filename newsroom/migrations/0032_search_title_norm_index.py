"""An index of Wagtail's search entries by ``title_norm``, on PostgreSQL.

A one-word query's best matches are sought among the titles holding the word,
shortest first (``title_norm`` falling), and proven from the ranks found
(``newsroom/finder/title_first.py``): this index reads them in that order,
a few hundred entries however many releases hold the word. SQLite's backend
ranks otherwise and does not need it.
"""

from django.db import migrations

from newsroom.migrations._operations import PostgresIndex


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0031_hub_counts"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        PostgresIndex(
            "newsroom_indexentry_title_norm",
            "ON wagtailsearch_indexentry (content_type_id, title_norm DESC, id DESC)",
        )
    ]
