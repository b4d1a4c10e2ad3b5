"""The routes journalists' downloads live at: a release's PDF, press kit and
ninjs, and the media contacts' vCards under the newsroom."""

from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path


def press_kit_channels():
    """The channels that serve these routes.

    Imported when a route is first served, not with the models, as the
    newsroom's routes are (``models/pages.py``, ``channels()``): the channels
    sit above the models and import them.
    """
    from newsroom.channels import contacts, documents

    return contacts, documents


class ReleaseDownloadRoutes(RoutablePageMixin):
    """``<release URL>release.pdf``, ``press-kit.zip`` and ``ninjs.json``."""

    @path("release.pdf")
    def release_pdf(self, request):
        return press_kit_channels()[1].release_pdf(request, self)

    @path("press-kit.zip")
    def press_kit(self, request):
        return press_kit_channels()[1].press_kit(request, self)

    @path("ninjs.json")
    def ninjs(self, request):
        return press_kit_channels()[1].ninjs(request, self)


class ContactRoutes(RoutablePageMixin):
    """``/news/contacts/<slug>.vcf``: a media contact's vCard."""

    @re_path(r"^contacts/(?P<slug>[-\w]+)\.vcf$")
    def contact_vcard(self, request, slug):
        return press_kit_channels()[0].vcard(request, self, slug)
