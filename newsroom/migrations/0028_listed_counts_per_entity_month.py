"""The stored counts gain a month (newsroom/models/listed.py, ListedCount): each
entity is counted per month as well as over all dates, so a hub's month chart
reads its counts as the listing's does. The listing page's own months, stored
by 0027 as the facet "month" with the month in the entity's place, become the
total's months. Counted here once for the rows already listed, then kept by
every write of a listing row."""

from collections import Counter

from django.db import migrations, models

# (listing table, its listing page's key, the date its items are filtered by)
TABLES = [("ListedRelease", "newsroom_id", "release_date")]
TABLES += [("ListedEvent", "agenda_id", "event_date")]
# Each kind's array column and its facet, as of this migration.
ARRAYS = {
    "officials": "official",
    "organisations": "organisation",
    "sectors": "sector",
    "regions": "region",
    "topics": "topic",
    "regulations": "regulation",
}
BATCH = 2000


def count_entity_months(apps, schema_editor):
    ListedCount = apps.get_model("newsroom", "ListedCount")
    counts = Counter()
    for facet_month in ListedCount.objects.filter(facet="month"):
        counts[(facet_month.newsroom_id, "total", 0, facet_month.entity_id)] = (
            facet_month.n
        )
    ListedCount.objects.filter(facet="month").delete()
    for table, scope, day in TABLES:
        rows = apps.get_model("newsroom", table).objects.order_by("pk")
        rows = rows.values_list(scope, day, *ARRAYS)
        for scope_id, date, *arrays in rows.iterator(chunk_size=BATCH):
            month = date.year * 100 + date.month
            for ids, facet in zip(arrays, ARRAYS.values(), strict=True):
                counts.update((scope_id, facet, pk, month) for pk in ids)
    ListedCount.objects.bulk_create(
        (
            ListedCount(newsroom_id=scope_id, facet=facet, entity_id=pk, month=m, n=n)
            for (scope_id, facet, pk, m), n in counts.items()
            if n
        ),
        batch_size=BATCH,
    )


def keep_months_only_in_total(apps, schema_editor):
    """Back to 0027's layout: the listing page's months as the facet "month"."""
    ListedCount = apps.get_model("newsroom", "ListedCount")
    ListedCount.objects.exclude(facet="total").exclude(month=0).delete()
    ListedCount.objects.filter(facet="total").exclude(month=0).update(
        facet="month", entity_id=models.F("month"), month=0
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0027_listed_month_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="listedcount",
            name="month",
            field=models.IntegerField(default=0),
        ),
        migrations.RemoveConstraint(
            model_name="listedcount", name="unique_listed_count"
        ),
        migrations.AddConstraint(
            model_name="listedcount",
            constraint=models.UniqueConstraint(
                fields=("newsroom", "facet", "entity_id", "month"),
                name="unique_listed_count_month",
            ),
        ),
        migrations.AddIndex(
            model_name="listedcount",
            index=models.Index(
                condition=models.Q(month=0),
                fields=["newsroom", "facet", "entity_id"],
                name="listed_count_all_dates",
            ),
        ),
        migrations.RunPython(count_entity_months, keep_months_only_in_total),
    ]
