"""A release's downloads: ``release.pdf``, ``press-kit.zip``, ``ninjs.json``.

Each asks ``release_pdf.may_download`` first (published releases only), so a
draft, scheduled, private or withdrawn release is a 404 at all three, as its
page is. An embargo holder's PDF is channels/embargo.py's.
"""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import translation
from wagtail.models import Page

from newsroom.channels import ninjs as ninjs_format
from newsroom.channels.press_kit import press_kit_stream
from newsroom.channels.release_pdf import (
    downloadable,
    release_context,
    release_pdf_bytes,
)
from newsroom.models import PressReleasePage


def attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def release_pdf(request, page):
    page = downloadable(request, page)
    response = HttpResponse(release_pdf_bytes(page), content_type="application/pdf")
    # Inline: readers open it in the browser; the name is for "save as".
    response["Content-Disposition"] = f'inline; filename="{page.slug}.pdf"'
    return response


def ninjs(request, page):
    page = downloadable(request, page)
    context = release_context(page)
    with translation.override(context["language"]):
        body = ninjs_format.ninjs_json(request, context)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def press_kit(request, page):
    page = downloadable(request, page)
    context = release_context(page)
    pdf = release_pdf_bytes(page)
    with translation.override(context["language"]):
        kit = press_kit_stream(context, pdf, ninjs_format.ninjs_json(request, context))
    response = StreamingHttpResponse(iter(kit), content_type="application/zip")
    return attachment(response, f"{page.slug}-press-kit.zip")


def serve_release_download(request, path, name):
    """``<release path><name>`` for site/urls.py, ahead of Wagtail's catch-all,
    which serves only slash-terminated paths (as ``export.csv`` and
    ``calendar.ics`` are). The release is found as Wagtail finds pages, so a
    draft is not found; ``may_download`` then asks for a published one."""
    page = Page.find_for_request(request, path)
    if page is None or not isinstance(page.specific_deferred, PressReleasePage):
        raise Http404("No release here.")
    route = getattr(request, "routable_resolver_match", None)
    if route is not None:
        raise Http404("No release here.")
    view = {"release.pdf": release_pdf, "press-kit.zip": press_kit, "ninjs.json": ninjs}
    return view[name](request, page.specific)
