"""The demo's pictures carry the press office's credit, licence and captions."""

from PIL import Image as PILImage

from newsroom.loading.demo_pictures import (
    DEMO_CREDIT,
    DEMO_LICENCE,
    HERO_SCENES,
    hero_images,
    save_image,
)


def test_demo_heroes_are_credited_licensed_and_captioned_in_both_languages(db):
    heroes = hero_images()
    assert len(heroes) == len(HERO_SCENES)
    for hero in heroes:
        assert hero.credit == DEMO_CREDIT
        assert hero.licence == DEMO_LICENCE
        assert hero.caption_in("en") == f"{hero.title}."
        assert hero.caption_in("id") not in ("", hero.caption_in("en"))
        assert hero.file_size and hero.file_size > 0


def test_an_older_demo_picture_gets_its_rights_on_the_next_run(db):
    picture = save_image("Portrait: Someone", PILImage.new("RGB", (8, 8)))
    type(picture).objects.filter(pk=picture.pk).update(credit="", licence="")
    again = save_image("Portrait: Someone", PILImage.new("RGB", (8, 8)))
    assert again.pk == picture.pk
    again.refresh_from_db()
    assert (again.credit, again.licence) == (DEMO_CREDIT, DEMO_LICENCE)
