"""An editor translates an official's bio and position, and a sector, in Chromium:
the Translations inline panels (the position one nested in an appointment)."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import Official, Sector
from tests.browser.remote import expect
from tests.browser.test_editor import PASSWORD, log_in
from tests.factories import SectorFactory, make_official

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def admin_user():
    # The site's two languages: translations are into Indonesian.
    ensure_site_tree(Locale.objects.get_or_create(language_code="id")[0])
    return get_user_model().objects.create_superuser(
        "admin", "admin@example.go.id", PASSWORD
    )


def test_translating_an_official_and_a_sector(admin_user, page):
    official = make_official(
        "Agus Gumiwang Kartasasmita",
        [("Minister of Industry", "Ministry of Industry", "2019-10-23", None)],
    )
    sector = SectorFactory(name="Nickel Smelting", slug="nickel-smelting")
    log_in(page, "admin")

    page.goto(f"/admin/snippets/newsroom/official/edit/{official.pk}/")
    page.click("#id_translations-ADD")
    page.fill("#id_translations-0-bio", "Menteri Perindustrian sejak 2019.")
    page.click("#id_appointments-0-translations-ADD")
    page.fill("#id_appointments-0-translations-0-position", "Menteri Perindustrian")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".messages")).to_contain_text("updated")
    official = Official.objects.get(pk=official.pk)
    translation = official.translations.get()
    assert translation.locale.language_code == "id"
    assert translation.bio == "Menteri Perindustrian sejak 2019."
    appointment = official.appointments.get()
    assert appointment.translations.get().position == "Menteri Perindustrian"

    page.goto(f"/admin/snippets/newsroom/sector/edit/{sector.pk}/")
    page.click("#id_translations-ADD")
    page.fill("#id_translations-0-name", "Peleburan Nikel")
    page.fill("#id_translations-0-slug", "nickel-smelting")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").first.click()
    # An English slug of its kind (here its own): refused next to the field.
    expect(
        page.get_by_text("is the slug of the sector “Nickel Smelting”")
    ).to_be_visible()
    page.fill("#id_translations-0-slug", "peleburan-nikel")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").first.click()
    assert Sector.objects.get(pk=sector.pk).translations.get().slug == (
        "peleburan-nikel"
    )
