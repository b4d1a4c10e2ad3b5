"""Pictures of releases readers may not see are not served to them; editors and
embargo holders get them; pictures of published releases are public and cached."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsroom.channels.pictures import refresh_picture_access
from newsroom.models import NewsroomImage, PressReleasePage
from tests.factories.releases import make_release
from tests.pictures.conftest import embargo_link
from tests.pictures.helpers import image_block, make_picture


def original(picture):
    return f"/media/{picture.file.name}"


def rendition(picture):
    return picture.get_rendition("width-32").url


def fetch(client, url):
    response = client.get(url)
    if response.status_code == 200:
        b"".join(response.streaming_content)  # closes the file
    return response


@pytest.fixture
def picture(newsroom):
    return make_picture("Smelter at dusk")


def test_a_published_releases_picture_is_public(client, picture):
    make_release("Smelter opens", body=[image_block(picture)])
    picture.refresh_from_db()
    assert picture.restricted is False
    for url in (original(picture), rendition(picture)):
        response = fetch(client, url)
        assert response.status_code == 200, url
        assert response["Cache-Control"].startswith("public")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_hero_image_of_a_published_release_is_public(client, picture):
    make_release("Smelter opens", hero_image=picture)
    assert fetch(client, original(picture)).status_code == 200


def test_a_new_upload_is_not_public(client, editor_client, picture):
    assert picture.restricted is True
    assert fetch(Client(), original(picture)).status_code == 404
    assert fetch(editor_client, original(picture)).status_code == 200


def test_a_drafts_picture_goes_to_editors_only(editor_client, picture):
    make_release("Smelter draft", live=False, body=[image_block(picture)])
    anonymous = Client()
    for url in (original(picture), rendition(picture)):
        assert fetch(anonymous, url).status_code == 404, url
        response = fetch(editor_client, url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store"


def test_an_embargoed_picture_goes_to_its_link_holder(client, picture, go_live):
    release = make_release("Smelter scheduled", hero_image=picture, go_live_at=go_live)
    release = PressReleasePage.objects.get(pk=release.pk)
    other = make_picture("Unrelated draft picture")
    make_release("Other draft", live=False, hero_image=other)
    link = embargo_link(release)
    assert fetch(client, original(picture)).status_code == 404
    assert client.get(f"/embargo/{link.token}/").status_code == 200
    assert fetch(client, original(picture)).status_code == 200
    assert fetch(client, rendition(picture)).status_code == 200
    # The link opens this release's pictures, not another unpublished one's.
    assert fetch(client, original(other)).status_code == 404
    link.revoked_at = timezone.now()
    link.save()
    assert fetch(client, original(picture)).status_code == 404


def test_a_forged_embargo_cookie_opens_nothing(client, picture, go_live):
    release = make_release("Smelter scheduled", hero_image=picture, go_live_at=go_live)
    link = embargo_link(PressReleasePage.objects.get(pk=release.pk))
    client.cookies["newsroom_embargo"] = link.token  # unsigned
    assert fetch(client, original(picture)).status_code == 404


def test_unpublishing_restricts_and_publishing_opens(client, picture):
    release = make_release("Smelter opens", body=[image_block(picture)])
    assert fetch(client, original(picture)).status_code == 200
    release.unpublish()
    assert fetch(client, original(picture)).status_code == 404
    release.save_revision().publish()
    assert fetch(client, original(picture)).status_code == 200


def test_a_withdrawn_or_private_releases_picture_is_restricted(client, picture):
    release = make_release("Smelter opens", hero_image=picture)
    release.withdrawn = True
    release.withdrawn_on = datetime.date(2024, 10, 1)
    release.withdrawal_reason = "Figures were wrong."
    release.save_revision().publish()
    assert fetch(client, original(picture)).status_code == 404

    other = make_picture("Private picture")
    private = make_release("Private one", hero_image=other)
    assert fetch(client, original(other)).status_code == 200
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    assert fetch(client, original(other)).status_code == 404


def test_a_picture_shared_with_a_published_release_stays_public(client, picture):
    make_release("Smelter opens", hero_image=picture)
    make_release("Smelter follow-up draft", live=False, hero_image=picture)
    assert fetch(client, original(picture)).status_code == 200


def test_a_portrait_is_public(client, picture):
    from newsroom.models import Official

    Official.objects.create(name="Eko", slug="eko", portrait=picture)
    assert fetch(client, original(picture)).status_code == 200


def test_unknown_and_traversing_paths_are_404(client, picture):
    make_release("Smelter opens", hero_image=picture)
    for url in (
        "/media/original_images/nothing.png",
        "/media/original_images/../../manage.py",
        "/media/images/%2e%2e/secret.png",
        "/media/documents/x.pdf",
    ):
        assert client.get(url).status_code == 404, url


def test_serving_a_public_picture_reads_no_database_when_cached(
    client, picture, django_assert_num_queries
):
    make_release("Smelter opens", hero_image=picture)
    url = original(picture)
    fetch(client, url)
    with django_assert_num_queries(0):
        assert fetch(client, url).status_code == 200


def test_the_refresh_command_restricts_pictures_only_drafts_use(picture):
    from django.core.management import call_command

    make_release("Smelter draft", live=False, hero_image=picture)
    NewsroomImage.objects.update(restricted=False)  # as the migration leaves them
    call_command("refresh_picture_access", stdout=open("/dev/null", "w"))
    picture.refresh_from_db()
    assert picture.restricted is True
    assert refresh_picture_access() == 0
