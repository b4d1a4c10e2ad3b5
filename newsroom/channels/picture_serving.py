"""Serving picture files: the originals and renditions under ``MEDIA_URL``, and a
release's pictures as downloads named after the release.

``serve_media`` answers ``/media/original_images/...`` and ``/media/images/...``.
A public picture costs two cache reads (the flags' version, then the file's
answer) and is sent with a long public ``Cache-Control``; a restricted one
(``channels/pictures.py`` says which) goes only to editors and to holders of an
embargo link for a release using it, privately, and is a 404 to anyone else, who
must not learn that it exists.

With ``MEDIA_ACCEL_REDIRECT`` set (production behind nginx), Django only decides
and nginx sends the bytes from an ``internal`` location: see README, "Deploying".
"""

import hashlib
import mimetypes
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from newsroom.channels.pictures import ACCESS_VERSION_KEY, picture_at
from newsroom.channels.reader_access import (
    may_see_restricted_picture,
    reader_access,
)
from newsroom.models import PressReleasePage

PICTURE_FOLDERS = ("original_images/", "images/")
PUBLIC_MAX_AGE = 60 * 60 * 24  # a day: an unpublished release's picture stops then
ANSWER_SECONDS = 60 * 60
MISSING = (None, True)
MAX_PATH = 255  # the longest name an image's file field stores


def file_answer(path):
    """(picture id, restricted) of the original or rendition stored at ``path``."""
    version = cache.get(ACCESS_VERSION_KEY, 0)
    # Hashed: a path may hold characters and lengths no cache backend takes in a key.
    digest = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"picture-file:{version}:{digest}"
    answer = cache.get(key)
    if answer is None:
        Picture = get_image_model()
        if path.startswith("original_images/"):
            row = Picture.objects.filter(file=path).values_list("pk", "restricted")
        else:
            row = (
                Picture.get_rendition_model()
                .objects.filter(file=path)
                .values_list("image_id", "image__restricted")
            )
        answer = tuple(row.first() or MISSING)
        cache.set(key, answer, ANSWER_SECONDS)
    return answer


def send_file(name, public, download_name=None):
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404("No such file.") from None
        response = FileResponse(handle, content_type=content_type)
    if download_name:
        response["Content-Disposition"] = f'attachment; filename="{download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    return response


@require_safe
def serve_media(request, path):
    """``MEDIA_URL<path>``: pictures by their access flag; other uploads as before
    (served by the web server, or by Django in development)."""
    clean = posixpath.normpath(path).lstrip("/")
    if (
        clean != path
        or clean.startswith("..")
        or len(path) > MAX_PATH
        or any(ord(character) < 32 for character in path)  # NUL: PostgreSQL refuses
    ):
        raise Http404("No such file.")
    if not clean.startswith(PICTURE_FOLDERS):
        if settings.DEBUG:
            return static_serve(request, clean, document_root=settings.MEDIA_ROOT)
        raise Http404("No such file.")
    picture_id, restricted = file_answer(clean)
    if picture_id is None:
        raise Http404("No such file.")
    if restricted and not may_see_restricted_picture(request, picture_id):
        raise Http404("No such file.")
    return send_file(clean, public=not restricted)


def release_at(request, path):
    """The release at ``path`` under the site's root in the request's language,
    live or not (access is decided by ``reader_access``), or None."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page.localized
    page = Page.objects.filter(url_path=f"{root.url_path}{path}").first()
    if page is None or page.specific_class is not PressReleasePage:
        return None
    return page.specific


@require_safe
def serve_picture_download(request, path, filename):
    """``<release URL>media/<slug>-<n>.<ext>``: the n-th picture of the release,
    original file, as an attachment named after the release."""
    page = release_at(request, path)
    if page is None:
        raise Http404("No release here.")
    access = reader_access(request, page)
    if not access.allowed:
        raise Http404("No release here.")
    picture = picture_at(access.content(page), filename)
    if picture is None:
        raise Http404("No such picture in this release.")
    public = access.link is None and not access.editor
    return send_file(picture.file.name, public=public, download_name=filename)
