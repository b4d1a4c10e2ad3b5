"""0016_picture_rights moves existing pictures into the newsroom's image model:
ids (which StreamField blocks store), foreign keys, renditions, tags and files."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from newsroom.models import NewsroomImage, Official, PressReleasePage
from tests.factories.releases import make_release
from tests.pictures.helpers import png_bytes

BEFORE = [("newsroom", "0014_agenda")]
AFTER = [("newsroom", "0016_picture_rights")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_pictures_keep_ids_keys_renditions_and_files(
    newsroom, migrate_for_test
):
    release = make_release("Smelter opens", live=True)
    official = Official.objects.create(name="Eko Cahyanto", slug="eko-cahyanto")
    old_apps = migrate_for_test(BEFORE)
    try:
        Image = old_apps.get_model("wagtailimages", "Image")
        Rendition = old_apps.get_model("wagtailimages", "Rendition")
        Collection = old_apps.get_model("wagtailcore", "Collection")
        root = Collection.objects.filter(depth=1).first()
        names = []
        for n in range(3):
            names.append(
                default_storage.save(
                    f"original_images/legacy-{n}.png", ContentFile(png_bytes())
                )
            )
        # Ids with a gap, as a library with deletions has.
        pictures = [
            Image.objects.create(
                id=10 + 5 * n, title=f"Legacy {n}", file=name, width=64, height=48,
                collection=root, file_size=len(png_bytes()), description=f"Alt {n}",
            )
            for n, name in enumerate(names)
        ]  # fmt: skip
        rendition_name = default_storage.save(
            "images/legacy-0.width-32.png", ContentFile(png_bytes((32, 24)))
        )
        Rendition.objects.create(
            image=pictures[0], filter_spec="width-32", file=rendition_name,
            width=32, height=24,
        )  # fmt: skip
        Pages = old_apps.get_model("newsroom", "PressReleasePage")
        Pages.objects.filter(pk=release.pk).update(hero_image_id=pictures[1].id)
        Officials = old_apps.get_model("newsroom", "Official")
        Officials.objects.filter(pk=official.pk).update(portrait_id=pictures[2].id)
    finally:
        migrate_for_test(AFTER)

    assert sorted(NewsroomImage.objects.values_list("id", flat=True)) == [10, 15, 20]
    moved = NewsroomImage.objects.get(pk=10)
    assert moved.title == "Legacy 0"
    assert moved.description == "Alt 0"
    assert moved.restricted is False  # as public as it was before
    assert moved.file.name == names[0]
    assert default_storage.exists(moved.file.name)
    with moved.open_file() as handle:
        assert handle.read() == png_bytes()
    assert moved.renditions.get().file.name == rendition_name
    assert PressReleasePage.objects.get(pk=release.pk).hero_image_id == 15
    assert Official.objects.get(pk=official.pk).portrait.title == "Legacy 2"
    # The next upload takes a new id, never one of the copied ones.
    fresh = NewsroomImage(title="New", file=ContentFile(png_bytes(), name="new.png"))
    fresh.save()
    assert fresh.pk > 20
    assert io.BytesIO(fresh.file.read()).getbuffer().nbytes == len(png_bytes())
