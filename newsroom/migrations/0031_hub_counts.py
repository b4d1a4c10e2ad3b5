"""Each hub's facet counts (newsroom/models/hub_counts.py): counted here once
from the releases already listed, then kept by every write of a listing row."""

from collections import Counter
from itertools import islice

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# A pure function (the pairs a listed row counts), kept in one place.
from newsroom.models.hub_counts import hub_pairs

ARRAYS = {
    "officials": "official",
    "organisations": "organisation",
    "sectors": "sector",
    "regions": "region",
    "topics": "topic",
    "regulations": "regulation",
}
CHUNK = 2000
BATCH = 5000


def count_the_hubs(apps, schema_editor):
    HubCount = apps.get_model("newsroom", "HubCount")
    rows = (
        apps.get_model("newsroom", "ListedRelease")
        .objects.order_by("pk")
        .values_list("newsroom_id", *ARRAYS)
        .iterator(chunk_size=CHUNK)
    )
    counts = Counter()
    while chunk := list(islice(rows, CHUNK)):
        for newsroom_id, *arrays in chunk:
            linked = [
                (facet, pk)
                for facet, ids in zip(ARRAYS.values(), arrays, strict=True)
                for pk in ids
            ]
            counts.update(hub_pairs(newsroom_id, linked))
    HubCount.objects.bulk_create(
        (
            HubCount(
                newsroom_id=newsroom_id,
                hub_facet=hub_facet,
                hub_id=hub_id,
                facet=facet,
                entity_id=entity_id,
                n=n,
            )
            for (newsroom_id, hub_facet, hub_id, facet, entity_id), n in counts.items()
        ),
        batch_size=BATCH,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0030_content_version_structure'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HubCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hub_facet', models.CharField(max_length=20)),
                ('hub_id', models.IntegerField()),
                ('facet', models.CharField(max_length=20)),
                ('entity_id', models.IntegerField()),
                ('n', models.IntegerField(default=0)),
                ('newsroom', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('newsroom', 'hub_facet', 'hub_id', 'facet', 'entity_id'), name='unique_hub_count')],
            },
        ),
        migrations.RunPython(count_the_hubs, migrations.RunPython.noop),
    ]
