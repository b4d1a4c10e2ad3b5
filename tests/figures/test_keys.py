"""A figure's key: taken by ``import_releases``, offered to editors, refused when
malformed; and the figures table follows publishing."""

import pytest

from newsroom.loading.importing import import_records
from newsroom.models import ListedFigure, PressReleasePage
from newsroom.models.blocks import FigureKeyInput


def record(**figure):
    return {
        "title": "Keyed figure release",
        "slug": "keyed-figure",
        "date": "2024-02-01",
        "summary": "A keyed figure.",
        "key_figures": [{"value": "5", "unit": "MW", "label": "capacity", **figure}],
    }


@pytest.mark.django_db
def test_import_keeps_the_key_and_the_table_follows_publishing():
    report = import_records([(1, record(key="batang-solar-capacity"))])
    assert not report.failures
    release = PressReleasePage.objects.get(slug="keyed-figure")
    assert [f["key"] for f in release.key_figures()] == ["batang-solar-capacity"]
    figure = ListedFigure.objects.get(listed_id=release.pk)
    assert (figure.key, figure.unit, str(figure.value)) == (
        "batang-solar-capacity",
        "MW",
        "5.00",
    )
    release.unpublish()
    assert not ListedFigure.objects.filter(listed_id=release.pk).exists()
    release.save_revision().publish()
    assert ListedFigure.objects.filter(listed_id=release.pk).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["two words", "<script>", "ключ/x", 5])
def test_a_malformed_key_is_refused_with_its_line(key):
    report = import_records([(4, record(key=key))])
    assert report.created == 0
    ((line, message),) = report.failures
    assert line == 4
    assert "key" in message


@pytest.mark.django_db
def test_editors_are_offered_the_published_keys():
    import_records([(1, record(key="batang-solar-capacity"))])
    html = FigureKeyInput().render("body-0-value-0-key", "", {"id": "body-0-key"})
    assert 'list="body-0-key-keys"' in html
    assert '<datalist id="body-0-key-keys">' in html
    assert '<option value="batang-solar-capacity">' in html
