"""The fixed skeleton of the site: Site -> HomePage -> NewsroomPage (slug "news")."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from newsroom.models import HomePage, NewsroomPage
from newsroom.press_office import ensure_press_office

HOME_TITLE = "Ministry of Industry Newsroom"
HOME_INTRO = (
    "Press releases of the Ministry of Industry: statements, meetings, investments "
    "and policy, searchable by official, sector, region, organisation and topic."
)


@transaction.atomic
def ensure_site_tree(locale=None):
    """Return the NewsroomPage of ``locale``, creating the tree around it if needed.

    Wagtail's first migration leaves a plain "Welcome" page as the site root; it is
    replaced by the HomePage.
    """
    locale = locale or Locale.get_default()
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
