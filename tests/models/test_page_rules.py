"""Where each page type may live: Root > HomePage > NewsroomPage > PressReleasePage,
and beside the releases NewsroomPage > AgendaPage > EventPage."""

from django.contrib.auth import get_user_model
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import (
    AgendaPage,
    EventPage,
    HomePage,
    NewsroomPage,
    PressReleasePage,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_release_only_under_the_newsroom(self):
        self.assertCanCreateAt(NewsroomPage, PressReleasePage)
        self.assertCanNotCreateAt(HomePage, PressReleasePage)
        self.assertCanNotCreateAt(Page, PressReleasePage)
        self.assertCanNotCreateAt(PressReleasePage, PressReleasePage)
        self.assertAllowedParentPageTypes(PressReleasePage, {NewsroomPage})

    def test_release_has_no_children(self):
        self.assertAllowedSubpageTypes(PressReleasePage, set())
        self.assertCanNotCreateAt(PressReleasePage, NewsroomPage)
        self.assertCanNotCreateAt(PressReleasePage, HomePage)

    def test_newsroom_only_under_home(self):
        self.assertCanCreateAt(HomePage, NewsroomPage)
        self.assertCanNotCreateAt(Page, NewsroomPage)
        self.assertCanNotCreateAt(NewsroomPage, NewsroomPage)
        self.assertAllowedParentPageTypes(NewsroomPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsroomPage, {PressReleasePage, AgendaPage})

    def test_agenda_under_the_newsroom_and_events_under_the_agenda(self):
        self.assertAllowedParentPageTypes(AgendaPage, {NewsroomPage})
        self.assertAllowedSubpageTypes(AgendaPage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {AgendaPage})
        self.assertAllowedSubpageTypes(EventPage, set())
        self.assertCanNotCreateAt(NewsroomPage, EventPage)
        self.assertCanNotCreateAt(HomePage, AgendaPage)

    def test_home_only_under_the_root(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(NewsroomPage, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {NewsroomPage})


class PageTreeInstanceTests(WagtailPageTestCase):
    """The same rules on a real tree, including the one-per-parent limits."""

    @classmethod
    def setUpTestData(cls):
        cls.newsroom = ensure_site_tree()
        cls.home = cls.newsroom.get_parent().specific
        cls.user = get_user_model().objects.create_superuser(
            "rules-admin", "rules@example.org", "pw"
        )

    def test_site_tree_shape(self):
        self.assertIsInstance(self.home, HomePage)
        self.assertEqual(self.home.depth, 2)
        self.assertEqual(self.newsroom.slug, "news")
        self.assertEqual(self.newsroom.url, "/news/")
        self.assertEqual(self.home.url, "/")

    def test_ensure_site_tree_is_idempotent(self):
        self.assertEqual(ensure_site_tree().pk, self.newsroom.pk)
        # One home and one newsroom per language (English and its Indonesian
        # translation).
        english = self.home.locale
        self.assertEqual(HomePage.objects.filter(locale=english).count(), 1)
        self.assertEqual(NewsroomPage.objects.filter(locale=english).count(), 1)
        self.assertEqual(HomePage.objects.count(), 2)
        self.assertEqual(NewsroomPage.objects.count(), 2)

    def test_releases_can_be_added_to_the_newsroom(self):
        self.assertTrue(PressReleasePage.can_create_at(self.newsroom))
        self.assertFalse(PressReleasePage.can_create_at(self.home))

    def test_one_newsroom_per_home_and_one_home_per_root(self):
        self.assertFalse(NewsroomPage.can_create_at(self.home))
        self.assertFalse(HomePage.can_create_at(self.home.get_parent()))

    def test_admin_refuses_a_release_under_the_home_page(self):
        self.client.force_login(self.user)
        response = self.client.get(
            f"/admin/pages/add/newsroom/pressreleasepage/{self.home.pk}/"
        )
        # Wagtail answers a forbidden add with a redirect to the dashboard.
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_admin_offers_releases_and_one_agenda_under_the_newsroom(self):
        self.client.force_login(self.user)
        add_subpage = f"/admin/pages/{self.newsroom.pk}/add_subpage/"
        response = self.client.get(add_subpage)
        # A release or the agenda: Wagtail asks which.
        self.assertContains(
            response, f"/admin/pages/add/newsroom/pressreleasepage/{self.newsroom.pk}/"
        )
        self.assertContains(
            response, f"/admin/pages/add/newsroom/agendapage/{self.newsroom.pk}/"
        )
        # Once the newsroom has its agenda, a release is the one type left:
        # Wagtail goes straight to the release form.
        self.newsroom.add_child(instance=AgendaPage(title="Agenda", slug="agenda"))
        self.assertFalse(AgendaPage.can_create_at(self.newsroom))
        self.assertRedirects(
            self.client.get(add_subpage),
            f"/admin/pages/add/newsroom/pressreleasepage/{self.newsroom.pk}/",
            fetch_redirect_response=False,
        )
