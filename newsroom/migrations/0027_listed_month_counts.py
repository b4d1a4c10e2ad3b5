"""The listing pages' items per month join the stored counts (facet "month",
newsroom/models/listed.py): counted here once for the rows already listed, then
kept by every write of a listing row."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

# (listing table, its listing page's key, the date its items are filtered by)
TABLES = [("ListedRelease", "newsroom_id", "release_date")]
TABLES += [("ListedEvent", "agenda_id", "event_date")]


def count_months(apps, schema_editor):
    ListedCount = apps.get_model("newsroom", "ListedCount")
    ListedCount.objects.filter(facet="month").delete()
    counts = []
    for table, scope, day in TABLES:
        rows = (
            apps.get_model("newsroom", table)
            .objects.annotate(year=ExtractYear(day), month=ExtractMonth(day))
            .values(scope, "year", "month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts += [
            ListedCount(
                newsroom_id=row[scope],
                facet="month",
                entity_id=row["year"] * 100 + row["month"],
                n=row["n"],
            )
            for row in rows
        ]
    ListedCount.objects.bulk_create(counts, batch_size=500)


def forget_months(apps, schema_editor):
    apps.get_model("newsroom", "ListedCount").objects.filter(facet="month").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0026_figures_carry_filter_columns"),
    ]

    operations = [migrations.RunPython(count_months, forget_months)]
