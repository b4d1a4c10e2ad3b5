"""Media contacts: the release's block, vCards, the public rule, the API."""

import re

import pytest
import vobject

from tests.factories import OrganisationFactory, make_release
from tests.presskit.conftest import default_contact, make_contact

pytestmark = pytest.mark.django_db


def test_release_with_two_contacts_renders_the_block(client, release):
    html = client.get(release.url).content.decode()
    block = html[html.index('class="media-contacts"') :]
    block = block[: block.index("</section>")]
    assert "Media contact" in block
    assert block.index("Febri Hendri") < block.index("Ayu Lestari")
    assert 'href="tel:+62215255509"' in block
    assert 'href="mailto:febri-hendri@kemenperin.go.id"' in block
    assert 'href="mailto:ayu-lestari@kemenperin.go.id"' in block
    assert 'href="/news/contacts/febri-hendri.vcf"' in block
    assert 'href="/news/contacts/ayu-lestari.vcf"' in block
    assert "Head of Public Relations Bureau" in block


def test_the_release_closes_with_the_boilerplate(client, release):
    html = client.get(release.url).content.decode()
    assert "About Ministry of Industry" in html
    assert "develops Indonesia&#x27;s manufacturing sector" in html


def test_vcard_parses_and_says_who_to_call(client, release):
    response = client.get("/news/contacts/febri-hendri.vcf")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vcard")
    card = vobject.readOne(response.content.decode())
    assert card.version.value == "4.0"
    assert card.fn.value == "Febri Hendri"
    assert card.title.value == "Head of Public Relations Bureau"
    assert card.tel.value == "tel:+62215255509"
    assert card.email.value == "febri-hendri@kemenperin.go.id"
    assert card.org.value == ["Ministry of Industry"]
    second = vobject.readOne(
        client.get("/news/contacts/ayu-lestari.vcf").content.decode()
    )
    assert second.fn.value == "Ayu Lestari"
    assert not hasattr(second, "tel")


def test_indonesian_vcard_and_block(client, indonesian_release):
    card = vobject.readOne(
        client.get("/id/news/contacts/febri-hendri.vcf").content.decode()
    )
    assert card.title.value == "Kepala Biro Hubungan Masyarakat"
    assert card.org.value == ["Kementerian Perindustrian"]
    html = client.get(indonesian_release.url).content.decode()
    assert 'href="/id/news/contacts/febri-hendri.vcf"' in html
    assert "Kepala Biro Hubungan Masyarakat" in html
    assert "Kementerian Perindustrian membina" in html


def test_contact_of_a_draft_only_is_unknown(client, draft_only_contact):
    contact, page = draft_only_contact
    assert client.get(f"/news/contacts/{contact.slug}.vcf").status_code == 404
    assert client.get(f"/id/news/contacts/{contact.slug}.vcf").status_code == 404
    assert client.get("/news/contacts/nobody.vcf").status_code == 404


def test_contact_becomes_public_with_its_release(client, draft_only_contact):
    contact, page = draft_only_contact
    page.get_latest_revision().publish()
    assert client.get(f"/news/contacts/{contact.slug}.vcf").status_code == 200
    page.refresh_from_db()
    page.unpublish()
    assert client.get(f"/news/contacts/{contact.slug}.vcf").status_code == 404


def test_organisation_defaults_fill_a_release_naming_none(client, newsroom):
    organisation = OrganisationFactory(name="Directorate General", slug="dg")
    duty = make_contact("Duty Officer", "duty-officer", organisation)
    default_contact(organisation, duty)
    page = make_release("Plant opens", organisations=[organisation])
    html = client.get(page.url).content.decode()
    assert 'href="/news/contacts/duty-officer.vcf"' in html
    # Public as the default contact of an organisation a published release links.
    assert client.get("/news/contacts/duty-officer.vcf").status_code == 200


def test_default_contact_of_an_unknown_organisation_is_unknown(client, newsroom):
    organisation = OrganisationFactory(name="Unlisted Agency", slug="unlisted")
    hidden = make_contact("Hidden Person", "hidden-person", organisation)
    default_contact(organisation, hidden)
    assert client.get("/news/contacts/hidden-person.vcf").status_code == 404


def test_api_detail_lists_the_contacts(client, release):
    data = client.get(f"/api/v2/releases/{release.pk}/").json()
    assert [contact["name"] for contact in data["contacts"]] == [
        "Febri Hendri",
        "Ayu Lestari",
    ]
    first = data["contacts"][0]
    assert first["vcard"] == "/news/contacts/febri-hendri.vcf"
    assert first["role"] == "Head of Public Relations Bureau"
    assert re.fullmatch(r"\+[\d ]+", first["phone"])


def test_contacts_is_a_reserved_slug(newsroom):
    from django.core.exceptions import ValidationError

    from newsroom.models import PressReleasePage

    page = PressReleasePage(
        title="Contacts", slug="contacts", standfirst="x", release_date="2024-01-01"
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "slug" in error.value.message_dict


@pytest.fixture
def photographed(newsroom, ministry):
    """A published release naming one contact who has a photo."""
    from newsroom.models import ReleaseContact
    from tests.presskit.conftest import make_image

    contact = make_contact("Rina Wulandari", "rina-wulandari", organisation=ministry)
    contact.photo = make_image()
    contact.save()
    release = make_release("Smelter permits", live=False)
    release.release_contacts = [ReleaseContact(contact=contact, sort_order=0)]
    release.save_revision().publish()
    return release


def test_a_contact_with_a_photo_shows_it_beside_the_name(client, photographed):
    release = photographed
    html = client.get(release.url).content.decode()
    block = html[html.index('class="media-contacts"') :]
    block = block[: block.index("</section>")]
    photo = re.search(r'<img[^>]*class="media-contact__photo"[^>]*>', block).group(0)
    assert 'alt=""' in photo
    src = re.search(r'src="([^"]+)"', photo).group(1)
    assert client.get(src).status_code == 200  # a contact's photo is public
    assert block.index("media-contact__photo") < block.index("Rina Wulandari")


def test_the_vcard_carries_the_photo(client, photographed):
    card = vobject.readOne(
        client.get("/news/contacts/rina-wulandari.vcf").content.decode()
    )
    url = card.photo.value
    assert url.startswith("http://testserver/media/images/")
    assert card.photo.params["VALUE"] == ["uri"]
    assert client.get(url.removeprefix("http://testserver")).status_code == 200
