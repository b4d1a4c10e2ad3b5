"""The Indonesian interface is complete (#8): every string of the catalogue is
translated and compiled, a region's hub names its kind in the page's language, and
the alert pages and emails read in Indonesian when Indonesian is the language."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Locale

from newsroom.alerts import messages, subscribing, tasks
from newsroom.alerts import views as alert_views
from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import PressReleasePage
from tests.factories import RegionFactory, SectorFactory, make_release

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
TAG = re.compile(r"<[^>]+>")


def read_po(path):
    """The entries of a .po file: dicts of msgid, msgid_plural, msgstr (a list,
    one string per plural form) and flags. A small reader: enough for the
    layout makemessages writes."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
        else:
            keyword, _, value = line.partition(" ")
            value = ast.literal_eval(value)
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgstr" or plural:
                field = int(plural.group(1)) if plural else 0
                entry["msgstr"][field] = value
            else:
                field = keyword
                entry[field] = value
    for entry in entries:
        entry["msgstr"] = [entry["msgstr"][n] for n in sorted(entry["msgstr"])]
    return entries


@pytest.fixture(scope="module")
def catalogue():
    entries = read_po(LOCALE_DIR / "django.po")
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    return header, messages


# --- the catalogue --------------------------------------------------------------------


def test_every_string_is_translated(catalogue):
    header, messages = catalogue
    nplurals = int(re.search(r"nplurals=(\d+);", header["msgstr"][0]).group(1))
    assert nplurals == 1, "Indonesian has one plural form"
    assert len(messages) > 150
    untranslated = [m["msgid"] for m in messages if not all(m["msgstr"])]
    assert untranslated == []
    assert [m["msgid"] for m in messages if "fuzzy" in m["flags"]] == []
    for message in messages:
        forms = len(message["msgstr"])
        assert forms == (nplurals if message["msgid_plural"] else 1), message


def test_translations_keep_placeholders_and_tags(catalogue):
    _, messages = catalogue
    for message in messages:
        for text in message["msgstr"]:
            for pattern in (PLACEHOLDER, TAG):
                assert sorted(pattern.findall(text)) == sorted(
                    pattern.findall(message["msgid"])
                ), (message["msgid"], text)


def test_the_compiled_catalogue_is_the_po_file(catalogue):
    """The committed .mo was compiled from the committed .po."""
    _, messages = catalogue
    with open(LOCALE_DIR / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in messages:
        if message["msgid_plural"]:
            for n in (1, 2, 5):
                assert (
                    compiled.ngettext(message["msgid"], message["msgid_plural"], n)
                    == message["msgstr"][0]
                )
        else:
            assert compiled.gettext(message["msgid"]) == message["msgstr"][0]


def test_django_translates_the_new_strings():
    with translation.override("id"):
        assert translation.gettext("Related releases") == "Siaran pers terkait"
        assert translation.gettext("Unsubscribe from this alert") == (
            "Berhenti berlangganan pemberitahuan ini"
        )
        assert translation.ngettext(
            "%(count)s new release", "%(count)s new releases", 3
        ) == ("%(count)s siaran pers baru")


# --- a region's kind on its hub -------------------------------------------------------


@pytest.fixture
def sulawesi(newsroom):
    indonesian = Locale.objects.get(language_code="id")
    ensure_site_tree(indonesian)
    region = RegionFactory(
        name="Central Sulawesi", slug="central-sulawesi", kind="province"
    )
    english = make_release("Smelter opens in Palu", regions=[region])
    copy = english.copy_for_translation(indonesian)
    copy.title = "Smelter dibuka di Palu"
    copy.save_revision().publish()
    return region


def hub_kind(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = re.search(
        r'<p class="hub-header__kind">(.*?)</p>', response.content.decode()
    )
    assert found, url
    return found.group(1)


@pytest.mark.django_db
def test_region_hub_shows_its_kind_in_the_pages_language(client, sulawesi):
    assert hub_kind(client, "/news/regions/central-sulawesi/") == "Region · Province"
    assert hub_kind(client, "/id/news/regions/central-sulawesi/") == (
        "Wilayah · Provinsi"
    )


@pytest.mark.django_db
def test_every_region_kind_has_an_indonesian_name():
    from newsroom.models import Region

    with translation.override("id"):
        labels = {value: str(label) for value, label in Region.Kind.choices}
    assert labels == {
        "country": "Negara",
        "province": "Provinsi",
        "regency": "Kabupaten",
        "city": "Kota",
        "other": "Wilayah lain",
    }


@pytest.mark.django_db
def test_sector_hub_kind_unchanged(client, newsroom):
    nickel = SectorFactory(name="Nickel", slug="nickel")
    make_release("Nickel news", sectors=[nickel])
    assert hub_kind(client, "/news/sectors/nickel/") == "Sector"


# --- alert pages and emails -----------------------------------------------------------


@pytest.fixture
def nickel(newsroom):
    return SectorFactory(name="Nickel", slug="nickel", marked_public=True)


@pytest.mark.django_db
def test_subscribe_page_in_indonesian(nickel):
    """The subscribe page's text, rendered with Indonesian active. (It has no /id/
    route yet, see the next test, so the view is called directly.)"""
    request = RequestFactory().get("/alerts/subscribe/", {"sector": "nickel"})
    request.LANGUAGE_CODE = "id"
    request.user = AnonymousUser()
    with translation.override("id"):
        page = alert_views.subscribe(request).render().content.decode()
    assert "<h1>Dapatkan pemberitahuan email</h1>" in page
    assert (
        "Kami akan mengirimkan email kepada Anda setiap kali Kementerian menerbitkan "
        "siaran pers yang sesuai dengan <strong>Siaran pers tentang Nickel</strong>."
    ) in page
    assert "Alamat email Anda" in page
    assert "Berlangganan" in page
    assert "We will email you" not in page


@pytest.mark.django_db
def test_subscribe_page_under_id(client, nickel):
    response = client.get("/id/alerts/subscribe/?sector=nickel")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dapatkan pemberitahuan email" in page
    assert 'href="/id/news/?sector=nickel"' in page
    english = client.get("/alerts/subscribe/?sector=nickel").content.decode()
    assert 'href="/news/?sector=nickel"' in english


@pytest.mark.django_db
def test_confirmation_email_of_an_indonesian_subscription(mailoutbox, nickel):
    tasks.request_subscription("Pembaca@Example.org", "sector=nickel", "daily", "id")
    [message] = mailoutbox
    assert message is mail.outbox[0]
    assert message.to == ["pembaca@example.org"]
    assert message.subject == (
        "Konfirmasi pemberitahuan email Anda: Siaran pers tentang Nickel"
    )
    assert "Konfirmasi pemberitahuan:" in message.body
    # Its links lead to the Indonesian pages.
    assert "/id/alerts/confirm/" in message.body
    assert "/id/news/?sector=nickel" in message.body
    assert "Tautan ini berlaku selama" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="id">' in html
    assert "Konfirmasi pemberitahuan email Anda</h1>" in html
    assert "Someone, probably you" not in html + message.body


@pytest.mark.django_db
def test_confirmation_email_of_an_english_subscription(mailoutbox, nickel):
    tasks.request_subscription("reader@example.org", "sector=nickel", "daily", "en")
    [message] = mailoutbox
    assert message.subject == "Confirm your email alert: Releases on Nickel"
    assert "Confirm the alert:" in message.body


@pytest.mark.django_db
def test_digest_of_an_indonesian_subscription(nickel):
    indonesian = Locale.objects.get(language_code="id")
    ensure_site_tree(indonesian)
    english = make_release("Nickel output rises", sectors=[nickel])
    copy = english.copy_for_translation(indonesian)
    copy.title = "Produksi nikel naik"
    copy.save_revision().publish()
    release = PressReleasePage.objects.get(pk=copy.pk)
    subscription, _ = subscribing.confirm_subscription(
        {"e": "pembaca@example.org", "q": "sector=nickel", "f": "daily", "l": "id"}
    )
    message = messages.Mailer().digest(subscription, [release])
    assert message.subject == "Siaran pers tentang Nickel: 1 siaran pers baru"
    assert "1 siaran pers baru" in message.body
    assert "Berhenti berlangganan pemberitahuan ini:" in message.body
    assert "Produksi nikel naik" in message.body
