"""A release with two media contacts, a boilerplate, a picture and a document,
in English and (as its translation) in Indonesian."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import (
    MediaContact,
    MediaContactTranslation,
    OrganisationContact,
    OrganisationTranslation,
    PressReleasePage,
    ReleaseContact,
)
from tests.factories import OrganisationFactory, make_official, make_release
from tests.factories.releases import every_block_body

BOILERPLATE = "The Ministry of Industry develops Indonesia's manufacturing sector."
BOILERPLATE_ID = "Kementerian Perindustrian membina sektor manufaktur Indonesia."


def make_image(title="Solar array", size=(64, 48), colour=(200, 120, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="solar.jpg")
    )


def make_document(title="Joint statement"):
    return get_document_model().objects.create(
        title=title,
        file=SimpleUploadedFile("joint-statement.pdf", b"%PDF-1.4 statement"),
    )


def make_contact(name, slug, organisation=None, **fields):
    fields.setdefault("phone", "+62 21 525 5509")
    fields.setdefault("email", f"{slug}@kemenperin.go.id")
    return MediaContact.objects.create(
        name=name, slug=slug, organisation=organisation, **fields
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ministry(db):
    ministry = OrganisationFactory(
        name="Ministry of Industry",
        slug="ministry-of-industry",
        boilerplate=BOILERPLATE,
    )
    OrganisationTranslation.objects.create(
        entity=ministry,
        locale=Locale.objects.get(language_code="id"),
        name="Kementerian Perindustrian",
        boilerplate=BOILERPLATE_ID,
    )
    return ministry


@pytest.fixture
def contacts(ministry):
    first = make_contact(
        "Febri Hendri",
        "febri-hendri",
        ministry,
        role="Head of Public Relations Bureau",
        languages="Indonesian, English",
    )
    MediaContactTranslation.objects.create(
        contact=first,
        locale=Locale.objects.get(language_code="id"),
        role="Kepala Biro Hubungan Masyarakat",
        languages="Indonesia, Inggris",
    )
    second = make_contact(
        "Ayu Lestari", "ayu-lestari", ministry, role="Press officer", phone=""
    )
    return [first, second]


@pytest.fixture
def release(newsroom, ministry, contacts):
    official = make_official("Eko S.A. Cahyanto")
    image = make_image()
    document = make_document()
    page = make_release(
        "Indonesia and China deepen green industry cooperation",
        release_date=datetime.date(2024, 9, 27),
        dateline="Jakarta",
        reference="SP-123/HMS/IX/2024",
        organisations=[ministry],
        officials=[(official, "Secretary General", True)],
        body=every_block_body(official, image, document),
        hero_image=image,
        live=False,
    )
    page.release_contacts = [
        ReleaseContact(contact=contact, sort_order=n)
        for n, contact in enumerate(contacts)
    ]
    page.save_revision().publish()
    return PressReleasePage.objects.get(pk=page.pk)


@pytest.fixture
def indonesian_release(release):
    ensure_site_tree(Locale.objects.get(language_code="id"))
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    copy.title = "Indonesia dan Tiongkok perkuat kerja sama industri hijau"
    copy.standfirst = "Sekretaris Jenderal bertemu Wakil Menteri Tiongkok."
    copy.slug = "kerja-sama-industri-hijau"
    copy.save_revision().publish()
    return PressReleasePage.objects.get(pk=copy.pk)


@pytest.fixture
def draft_only_contact(newsroom):
    """A contact named by nothing but a draft release."""
    contact = make_contact("Secret Spokesperson", "secret-spokesperson")
    page = make_release("A draft about a new smelter", live=False)
    page.release_contacts = [ReleaseContact(contact=contact, sort_order=0)]
    page.save_revision()
    page.save()
    return contact, page


def default_contact(organisation, contact):
    return OrganisationContact.objects.create(
        organisation=organisation, contact=contact, sort_order=0
    )
