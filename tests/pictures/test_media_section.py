"""The release page's Media section, its downloads and the gallery block, in
English and Indonesian."""

import pytest
from django.test import Client
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import PressReleasePage
from tests.factories.releases import make_release
from tests.pictures.helpers import image_block, make_picture, png_bytes


def gallery_block(*pictures, title="Photos of the visit"):
    return {
        "type": "gallery",
        "value": {
            "title": title,
            "pictures": [
                {
                    "image": {
                        "image": p.pk,
                        "decorative": False,
                        "alt_text": f"Alt of {p.title}",
                    },
                    "caption": "",
                }
                for p in pictures
            ],
        },
    }


@pytest.fixture
def pictures(newsroom):
    hero = make_picture(
        "Smelter at dusk",
        size=(120, 80),
        credit="Ministry of Industry/Public Relations",
        licence="CC BY 4.0",
        caption_en="The smelter at dusk.",
        caption_id="Smelter saat senja.",
    )
    body = make_picture(
        "Furnace <hall>",
        size=(90, 60),
        credit="Reza & Co",
        licence="© Ministry of Industry, free to use with credit",
        caption_en="The furnace hall.",
    )
    return hero, body


@pytest.fixture
def release(pictures):
    hero, body = pictures
    return make_release(
        "Smelter opens",
        slug="smelter-opens",
        hero_image=hero,
        body=[image_block(body), gallery_block(hero, body)],
    )


def test_media_section_lists_sizes_rights_and_downloads(client, release, pictures):
    hero, body = pictures
    html = client.get(release.url).content.decode()
    section = html[html.index('class="release-media"') :]
    assert "120 × 80 pixels" in section
    assert "90 × 60 pixels" in section
    assert f"{hero.file_size} bytes" in section
    assert "Ministry of Industry/Public Relations" in section
    assert "CC BY 4.0" in section
    assert "The smelter at dusk." in section
    # Editors' text is escaped, never markup.
    assert "Reza &amp; Co" in section
    assert "© Ministry of Industry, free to use with credit" in section
    assert 'href="/news/smelter-opens/media/smelter-opens-1.png"' in section
    assert 'href="/news/smelter-opens/media/smelter-opens-2.png"' in section
    assert "smelter-opens-3" not in section  # each picture once


def test_download_is_the_original_named_after_the_release(client, release, pictures):
    response = client.get("/news/smelter-opens/media/smelter-opens-1.png")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="smelter-opens-1.png"'
    )
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes((120, 80))
    assert client.get("/news/smelter-opens/media/smelter-opens-9.png").status_code == (
        404
    )
    assert client.get("/news/smelter-opens/media/other-1.png").status_code == 404


def test_a_drafts_download_is_refused_to_readers(editor_client, pictures):
    hero, _ = pictures
    make_release("Smelter draft", slug="smelter-draft", live=False, hero_image=hero)
    url = "/news/smelter-draft/media/smelter-draft-1.png"
    assert Client().get(url).status_code == 404
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_gallery_is_figures_with_captions_and_keyboard_links(client, release):
    html = client.get(release.url).content.decode()
    gallery = html[html.index('class="gallery"') : html.index("</section>")]
    assert gallery.count("<figure") == 2
    assert gallery.count("<figcaption>") == 2
    assert 'alt="Alt of Furnace &lt;hall&gt;"' in gallery
    assert gallery.count('<a href="/media/images/') == 2  # focusable, opens large
    assert "The smelter at dusk." in gallery


def test_a_gallery_needs_two_pictures():
    from newsroom.models.blocks import GalleryBlock

    block = GalleryBlock()
    assert block.child_blocks["pictures"].meta.min_num == 2


def test_indonesian_page_shows_indonesian_captions(client, release):
    ensure_site_tree(Locale.objects.get(language_code="id"))
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    copy.title = "Smelter dibuka"
    copy.save_revision().publish()
    copy = PressReleasePage.objects.get(pk=copy.pk)
    response = client.get(copy.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Smelter saat senja." in html
    assert "The furnace hall." in html  # no Indonesian caption: English
    assert f'href="{copy.url}media/{copy.slug}-1.png"' in html
    download = client.get(f"{copy.url}media/{copy.slug}-1.png")
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="{copy.slug}-1.png"'
    )


def test_caption_in_falls_back_to_english(pictures):
    hero, body = pictures
    assert hero.caption_in("id") == "Smelter saat senja."
    assert hero.caption_in("en") == "The smelter at dusk."
    assert body.caption_in("id") == "The furnace hall."


def test_the_image_form_calls_the_description_alt_text(editor_client, pictures):
    hero, _ = pictures
    html = editor_client.get(f"/admin/images/{hero.pk}/").content.decode()
    assert "Alt text" in html
    for label in ("Credit", "Licence", "Caption (English)", "Caption (Indonesian)"):
        assert label in html, label
