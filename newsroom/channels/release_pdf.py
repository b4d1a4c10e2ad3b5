"""The release as a PDF: tagged (PDF/UA-1), A4, in the release's language.

Rendered by WeasyPrint from ``templates/newsroom/release_pdf.html``; the only
resources it may read are the site's own media and static files (pictures and
renditions), through :class:`LocalFilesOnly`: nothing is ever fetched over the
network, whatever URL a body or a stylesheet names.

A PDF is kept in the cache under the release, its live revision and the language,
so a new publication makes a new PDF and nothing else does.
"""

import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from newsroom.finder import entity_names
from newsroom.models import PressReleasePage
from newsroom.models.contacts import contacts_of

PDF_CACHE_SECONDS = 60 * 60 * 24 * 30
# A local base for relative URLs in the template; LocalFilesOnly reads only its
# paths, so the host is never contacted.
BASE_URL = "http://newsroom.invalid/"


def may_download(request, page):
    """Whether ``request`` may have the release's PDF, press kit and ninjs.

    Published releases only (live, public, not withdrawn). A holder of a
    personal embargo link gets a PDF of their own at ``/embargo/<token>/release.pdf``
    (channels/embargo.py), never these public ones.
    """
    return (
        PressReleasePage.objects.published(for_loading=True).filter(pk=page.pk).exists()
    )


def downloadable(request, page):
    """``page`` (as its own type) if ``request`` may download it, else a 404."""
    if not may_download(request, page):
        raise Http404("No such release.")
    return page


class LocalFilesOnly(URLFetcher):
    """Resolves ``/media/...`` from the media storage and ``/static/...`` from
    the static files; refuses every other URL."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme not in ("http", "https") or parts.netloc != "newsroom.invalid":
            raise ValueError(f"Not fetched (only the site's own files): {url}")
        normalised = posixpath.normpath(path)
        if normalised.startswith(settings.MEDIA_URL):
            name = normalised.removeprefix(settings.MEDIA_URL)
            return URLFetcherResponse(url, default_storage.open(name, "rb"))
        if normalised.startswith(settings.STATIC_URL):
            found = finders.find(normalised.removeprefix(settings.STATIC_URL))
            if found:
                return URLFetcherResponse(url, open(found, "rb"))
        raise ValueError(f"Not one of the site's files: {url}")


def boilerplates_of(page, code=None):
    """(organisation, text) for each of the release's organisations that has an
    "about" text, in the editor's order and in ``code``: a joint release closes
    with each partner's boilerplate, a release of one ministry with its own."""
    pairs = []
    for organisation in page.organisations:
        text = entity_names.localized_text(organisation, "boilerplate", code)
        if text.strip():
            pairs.append((organisation, text))
    return pairs


def release_context(page):
    """What the PDF and the press kit show of a release, its relations loaded
    in one query each."""
    page.load_page_relations()
    return {
        "page": page,
        "officials": list(page.release_officials.all()),
        "contacts": contacts_of(page),
        "key_figures": page.key_figures(),
        "language": page.locale.language_code,
        "boilerplates": boilerplates_of(page, page.locale.language_code),
        "url": page.full_url or page.url,
    }


def render_pdf(page, embargo=None):
    """The PDF's bytes, rendered in the release's language. ``embargo`` ({"until":
    go-live time, "mark": the holder's mark}) makes an embargoed copy: the banner
    on the first page, the mark and the time at the top of every page."""
    context = {**release_context(page), "embargo": embargo}
    with translation.override(page.locale.language_code):
        html = render_to_string("newsroom/release_pdf.html", context)
    return HTML(
        string=html, base_url=BASE_URL, url_fetcher=LocalFilesOnly(timeout=5)
    ).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def pdf_cache_key(page):
    code = page.locale.language_code
    return f"newsroom:release-pdf:{page.pk}:{page.live_revision_id}:{code}"


def release_pdf_bytes(page):
    """The PDF of the published revision, from the cache when made before."""
    key = pdf_cache_key(page)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(page)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
