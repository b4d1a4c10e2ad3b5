"""The fixed skeleton of the site: Site -> HomePage -> NewsroomPage (slug "news"),
in English (the default locale, at / and /news/) and, as its translation sharing
each page's translation_key, in Indonesian (at /id/ and /id/news/: the newsroom
keeps the slug "news", so every route under it reads the same in both languages).
"""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from newsroom.editorial.press_office import ensure_press_office
from newsroom.models import ContentVersion, HomePage, NewsroomPage

HOME_TITLE = "Ministry of Industry Newsroom"
HOME_INTRO = (
    "Press releases of the Ministry of Industry: statements, meetings, investments "
    "and policy, searchable by official, sector, region, organisation and topic."
)


# The Indonesian home and newsroom, translated from the English ones.
TRANSLATIONS = {
    "id": {
        "home": {
            "title": "Ruang Berita Kementerian Perindustrian",
            "intro": "Siaran pers Kementerian Perindustrian: pernyataan, pertemuan, "
            "investasi dan kebijakan, dapat dicari menurut pejabat, sektor, "
            "wilayah, organisasi dan topik.",
        },
        "newsroom": {
            "title": "Berita",
            "intro": "Semua siaran pers, dari yang terbaru. Persempit menurut "
            "pejabat, sektor, wilayah, organisasi, topik atau tanggal.",
        },
    }
}


@transaction.atomic
def ensure_site_tree(locale=None):
    """Return the NewsroomPage of ``locale`` (default: English), creating the whole
    tree, in every language of WAGTAIL_CONTENT_LANGUAGES, if needed."""
    newsroom = ensure_default_tree()
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code != newsroom.locale.language_code:
            translated = ensure_translation(newsroom, code)
            if locale is not None and locale.language_code == code:
                return translated
    return newsroom


def ensure_translation(newsroom, code):
    """The newsroom of language ``code``: home and newsroom copied from the default
    ones with Wagtail's copy_for_translation (same translation_key), published."""
    locale, _ = Locale.objects.get_or_create(language_code=code)
    texts = TRANSLATIONS.get(code, {})
    translated = []
    for page, key in ((newsroom.get_parent().specific, "home"), (newsroom, "newsroom")):
        copy = page.get_translation_or_none(locale)
        if copy is None:
            copy = page.copy_for_translation(locale)
            for field, value in texts.get(key, {}).items():
                setattr(copy, field, value)
            copy.save_revision().publish()
        translated.append(copy.specific)
    ensure_press_office(translated[-1])
    return translated[-1]


def ensure_site_address(hostname, port):
    """Serve the default Site at ``hostname``:``port``; Wagtail builds every
    absolute link from it (page full_url, feeds, CSV, API html_url, alert emails).
    Returns whether it changed."""
    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save()
    # Cached answers (feeds, exports) hold links to the old address.
    ContentVersion.bump()
    return True


def ensure_default_tree():
    """Return the default locale's NewsroomPage, creating the tree around it.

    Wagtail's first migration leaves a plain "Welcome" page as the site root; it is
    replaced by the HomePage.
    """
    locale = Locale.get_default()
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        root = Page.get_first_root_node()
        for welcome in root.get_children().filter(
            content_type__model="page", content_type__app_label="wagtailcore"
        ):
            welcome.delete()
        home = root.add_child(
            instance=HomePage(
                title=HOME_TITLE, slug="home", intro=HOME_INTRO, locale=locale
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=HOME_TITLE,
        )
    elif not isinstance(site.root_page.specific, HomePage):
        site.root_page = home
        site.save()
    newsroom = NewsroomPage.objects.child_of(home).first()
    if newsroom is None:
        newsroom = home.add_child(
            instance=NewsroomPage(
                title="News",
                slug="news",
                intro="Every press release, newest first. Narrow them down by "
                "official, sector, region, organisation, topic or date.",
                locale=locale,
            )
        )
        newsroom.save_revision().publish()
    ensure_press_office(newsroom)
    return newsroom
