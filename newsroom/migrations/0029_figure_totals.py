"""The figures tracker's totals per listing page, entity, year and unit
(newsroom/models/figure_totals.py): computed here once from the figures already
listed, then kept by every write of a listing row."""

import django.db.models.deletion
from django.db import migrations, models

# A pure function over plain dicts of the figures' columns (named here as they
# are at this migration): the rule a shared key follows, kept in one place.
from newsroom.models.figure_totals import totals_of

ARRAYS = {
    "officials": "official",
    "organisations": "organisation",
    "sectors": "sector",
    "regions": "region",
    "topics": "topic",
    "regulations": "regulation",
}
FIELDS = ["listed_id", "position", "newsroom_id", "release_date", "key", "value"]
FIELDS += ["unit", "is_currency", *ARRAYS]


def total_the_figures(apps, schema_editor):
    FigureTotal = apps.get_model("newsroom", "FigureTotal")
    figures = list(apps.get_model("newsroom", "ListedFigure").objects.values(*FIELDS))
    FigureTotal.objects.bulk_create(
        (
            FigureTotal(
                newsroom_id=newsroom_id,
                facet=facet,
                entity_id=entity_id,
                year=year,
                unit=unit,
                is_currency=is_currency,
                total=total,
                figures=count,
                releases=releases,
            )
            for (newsroom_id, facet, entity_id, year, unit, is_currency), (
                total,
                count,
                releases,
            ) in totals_of(figures, figures, ARRAYS).items()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0028_listed_counts_per_entity_month"),
    ]

    operations = [
        migrations.CreateModel(
            name="FigureTotal",
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
                ("year", models.IntegerField()),
                ("unit", models.CharField(blank=True, max_length=20)),
                ("is_currency", models.BooleanField(default=False)),
                (
                    "total",
                    models.DecimalField(decimal_places=2, default=0, max_digits=28),
                ),
                ("figures", models.IntegerField(default=0)),
                ("releases", models.IntegerField(default=0)),
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
                        fields=(
                            "newsroom",
                            "facet",
                            "entity_id",
                            "year",
                            "unit",
                            "is_currency",
                        ),
                        name="unique_figure_total",
                    )
                ],
            },
        ),
        migrations.RunPython(total_the_figures, migrations.RunPython.noop),
    ]
