"""A release's Indonesian copy (issue #26 item 4): roles of the day in Indonesian,
no inherited go-live time unless the original is still under embargo, and a panel
that tells the translator what still reads as in the English original."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import AppointmentTranslation, PressReleasePage
from newsroom.models.translations import OrganisationTranslation
from tests.factories import make_official, make_release

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 9, 27)
ENGLISH_ROLE = "Minister of Industry, Ministry of Industry"
INDONESIAN_ROLE = "Menteri Perindustrian, Kementerian Perindustrian"


@pytest.fixture
def indonesian(newsroom):
    return ensure_site_tree(Locale.objects.get(language_code="id"))


@pytest.fixture
def minister(newsroom):
    official = make_official(
        "Agus Gumiwang Kartasasmita",
        [("Minister of Industry", "Ministry of Industry", "2019-10-23", None)],
    )
    appointment = official.appointments.get()
    locale = Locale.objects.get(language_code="id")
    AppointmentTranslation.objects.create(
        appointment=appointment, locale=locale, position="Menteri Perindustrian"
    )
    OrganisationTranslation.objects.create(
        entity=appointment.organisation, locale=locale, name="Kementerian Perindustrian"
    )
    return official


def draft_of(page):
    return PressReleasePage.objects.get(pk=page.pk).get_latest_revision_as_object()


def test_roles_of_the_day_are_read_in_a_language(minister):
    assert minister.role_on(DAY) == ENGLISH_ROLE
    assert minister.role_on(DAY, "en") == ENGLISH_ROLE
    assert minister.role_on(DAY, "id") == INDONESIAN_ROLE


def test_an_untranslated_organisation_keeps_its_english_name(minister):
    appointment = minister.appointments.get()
    appointment.organisation.translations.all().delete()
    assert minister.role_on(DAY, "id") == "Menteri Perindustrian, Ministry of Industry"


def test_the_copy_reads_derived_roles_in_indonesian(minister, indonesian):
    release = make_release(
        "Smelter opens in Morowali",
        release_date=DAY,
        officials=[(minister, ENGLISH_ROLE, True)],
    )
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    assert [link.role for link in draft_of(copy).release_officials.all()] == [
        INDONESIAN_ROLE
    ]
    # The original is untouched.
    assert [link.role for link in draft_of(release).release_officials.all()] == [
        ENGLISH_ROLE
    ]


def test_a_role_the_editor_typed_is_left_to_the_translator(minister, indonesian):
    release = make_release(
        "Minister speaks at the forum",
        release_date=DAY,
        officials=[(minister, "Keynote speaker", False)],
    )
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    assert [link.role for link in draft_of(copy).release_officials.all()] == [
        "Keynote speaker"
    ]


def test_copy_of_a_live_release_has_no_go_live_time(indonesian):
    release = make_release("Published earlier", release_date=DAY)
    PressReleasePage.objects.filter(pk=release.pk).update(
        go_live_at=timezone.now() - datetime.timedelta(days=3)
    )
    release = PressReleasePage.objects.get(pk=release.pk)
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    assert draft_of(copy).go_live_at is None


def test_copy_of_an_embargoed_release_goes_live_with_it(indonesian):
    go_live = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    release = make_release("Embargoed deal", release_date=DAY, go_live_at=go_live)
    release = PressReleasePage.objects.get(pk=release.pk)
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    assert draft_of(copy).go_live_at == go_live


def test_the_form_names_what_is_still_in_english(indonesian, admin_client):
    release = make_release(
        "Battery plant breaks ground",
        release_date=DAY,
        standfirst="Work starts on the plant.",
        dateline="JAKARTA",
    )
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    page = draft_of(copy)
    page.title = "Pabrik baterai mulai dibangun"
    page.save_revision()

    form = admin_client.get(f"/admin/pages/{copy.pk}/edit/").content.decode()
    assert "Translated from" in form
    assert "Still as in the original: <strong>Standfirst, Dateline" in form
    assert "Title," not in form.split("Still as in the original:")[1].split("</p>")[0]
    assert "No go-live time: publishing makes it live at once." in form

    original = admin_client.get(f"/admin/pages/{release.pk}/edit/").content.decode()
    assert "Translated from" not in original


def test_role_lookup_speaks_the_release_language(minister, indonesian, admin_client):
    release = make_release("English release", release_date=DAY)
    copy = release.copy_for_translation(Locale.objects.get(language_code="id"))
    url = f"/admin/newsroom/official-role/{minister.pk}/?date={DAY.isoformat()}"
    assert admin_client.get(url).json() == {"role": ENGLISH_ROLE}
    assert admin_client.get(f"{url}&page={copy.pk}").json() == {"role": INDONESIAN_ROLE}
    parent = copy.get_parent().pk
    assert admin_client.get(f"{url}&parent={parent}").json() == {
        "role": INDONESIAN_ROLE
    }
    assert admin_client.get(f"{url}&page=nonsense").json() == {"role": ENGLISH_ROLE}
