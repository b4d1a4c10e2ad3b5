"""Whole-response caching for anonymous readers, with instant invalidation.

Responses are stored under a key made of the content version
(:class:`~newsroom.models.ContentVersion`), the host and the full path with its
query string. Publishing, unpublishing, moving or deleting a page and editing the
taxonomy bump the version, so the next request renders afresh everywhere; stale
entries simply expire. The same key gives the ETag for conditional GET.

With a replica, the version and the page are read from the same database (the
request's, chosen once by newsroom.db_router), the version first: a page is
never older than the version it is stored under (tests/cluster/).
"""

import copy
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.http.request import split_domain_port
from django.utils.cache import patch_cache_control
from wagtail.models import Page, Site
from wagtail.models.sites import (
    SITE_ROOT_PATHS_CACHE_KEY,
    SITE_ROOT_PATHS_CACHE_VERSION,
)

from newsroom.models import ContentVersion
from newsroom.models.caching import KnowsItsTranslations, remembered

KEEP_HEADERS = ("Content-Type", "Content-Disposition", "X-Robots-Tag", "Link")
# Never answered from the response cache, whoever asks.
UNCACHED_PREFIXES = ("/admin/", "/embargo/", "/documents/", "/static/", "/media/")


def is_cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not getattr(request, "is_preview", False)
        and not request.user.is_authenticated
    )


def response_key(request):
    # Read once per request: the middleware and the page both need it.
    if not hasattr(request, "_content_version"):
        request._content_version, request._structure_version = ContentVersion.read()
    version = request._content_version
    raw = f"{version}|{request.get_host()}|{request.get_full_path()}"
    return "newsroom:response:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def stored_response(request, key):
    stored = cache.get(key)
    if stored is None:
        return None
    response = HttpResponse(stored["content"], status=stored["status"])
    for header, value in stored["headers"].items():
        response[header] = value
    response["X-Cache"] = "hit"
    return response


def finish(request, response, etag):
    response["ETag"] = etag
    patch_cache_control(
        response, public=True, max_age=settings.NEWSROOM_BROWSER_MAX_AGE
    )
    return response


class CachedResponseMiddleware:
    """Answers a cached page before URL routing: a hit costs one small query and a
    cache read instead of Wagtail's site and page lookups. Pages are stored by
    :func:`cached_response` when they are first rendered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_cacheable(request) and not request.path.startswith(UNCACHED_PREFIXES):
            key = response_key(request)
            etag = f'"{key[-24:]}"'
            if etag in request.headers.get("If-None-Match", ""):
                return finish(request, HttpResponseNotModified(), etag)
            response = stored_response(request, key)
            if response is not None:
                return finish(request, response, etag)
            # cached_response need not ask again: one cache round trip a miss
            # (a failed connection attempt each, while Redis is down).
            request._response_cache_missed = key
            remember_site(request)
        return self.get_response(request)


def remember_site(request):
    """Hand Wagtail the request's site and the site root paths its URLs are made
    from, as this process remembered them (models/caching.py:remembered): three
    queries a page on an empty cache otherwise.

    Wagtail reads both from the request when they are there (Site.find_for_request,
    Page.get_url with a request); a URL asked without one (``page.url`` in a
    template) reads its cache, so the paths go back there if it lost them.
    """
    hostname = split_domain_port(request._get_raw_host())[0]
    site = remembered(
        request, ("site", hostname, request.get_port()), lambda: site_for(request)
    )
    # Routing keeps the root page it starts from: each request its own copy.
    request._wagtail_site = copy.deepcopy(site)
    paths = remembered(request, "site root paths", fresh_site_root_paths)
    request._wagtail_cached_site_root_paths = paths
    cache.add(
        SITE_ROOT_PATHS_CACHE_KEY,
        paths,
        SITE_ROOT_PATHS_SECONDS,
        version=SITE_ROOT_PATHS_CACHE_VERSION,
    )


def site_for(request):
    """Wagtail's site for the request's host, its root page already specific:
    routing starts from ``site.root_page.localized.specific``, which is then
    the page itself, not a query (home pages move the structure version)."""
    site = Site._find_for_request(request)
    if site is not None:
        root = site.root_page
        if issubclass(root.specific_class or Page, KnowsItsTranslations):
            site.root_page = root.specific_class.knowing_its_translations(root)
        else:
            site.root_page = root.specific
    return site


# As long as Wagtail keeps them (Site.get_site_root_paths).
SITE_ROOT_PATHS_SECONDS = 3600


def fresh_site_root_paths():
    """The site root paths read from the database, not Wagtail's cache: a reader
    still on the old structure version may have put old ones back there."""
    Site.clear_site_root_paths_cache()
    return Site.get_site_root_paths()


def cached_response(request, build, page=None):
    """Serve ``build()``'s response from the cache when a reader may share it.

    A page behind a view restriction (password, login, groups) is never stored:
    whoever unlocked it must not unlock it for everyone else.
    """
    if not is_cacheable(request) or (
        page is not None and page.get_view_restrictions().exists()
    ):
        response = build()
        patch_cache_control(response, private=True)
        return response
    key = response_key(request)
    etag = f'"{key[-24:]}"'
    if etag in request.headers.get("If-None-Match", ""):
        return finish(request, HttpResponseNotModified(), etag)
    response = None
    if getattr(request, "_response_cache_missed", None) != key:
        response = stored_response(request, key)
    if response is None:
        response = build()
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if response.status_code != 200 or getattr(response, "streaming", False):
            return response
        cache.set(
            key,
            {
                "content": response.content,
                "status": response.status_code,
                "headers": {h: response[h] for h in KEEP_HEADERS if h in response},
            },
            settings.NEWSROOM_CACHE_SECONDS,
        )
        response["X-Cache"] = "miss"
    response["ETag"] = etag
    patch_cache_control(
        response, public=True, max_age=settings.NEWSROOM_BROWSER_MAX_AGE
    )
    return response


def content_changed(structure=False, **kwargs):
    """Signal receiver: anything readers see may have changed.

    The bump joins the change's own transaction, so readers see the new version
    exactly when they can see the new content.
    """
    held = _held_changes.get()
    if held is not None:
        held.append(structure)
        return
    ContentVersion.bump(structure=structure)


def structure_changed(**kwargs):
    """Signal receiver: what every page reads of the site (a site, a home page,
    a locale, an administration) may have changed; so has what readers see."""
    content_changed(structure=True)


_held_changes = ContextVar("held_content_changes", default=None)


@contextmanager
def content_changes_held(bump=True):
    """Bump the version once, when the block ends, for every change inside it.

    A bulk import creates thousands of releases and entities; a bump for each
    would throw every cached page away thousands of times over, for pages that
    are only complete at the end. ``bump=False`` (a dry run) bumps nothing.
    """
    held = []
    token = _held_changes.set(held)
    try:
        yield
    finally:
        _held_changes.reset(token)
        if held and bump:
            content_changed(structure=any(held))
