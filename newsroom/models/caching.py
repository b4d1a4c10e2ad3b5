"""A single counter that changes whenever anything a reader sees may have changed."""

import copy

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, PageViewRestriction

from newsroom.models.precompiled import run_precompiled


class ContentVersion(models.Model):
    """Bumped on publish, unpublish, move, delete and taxonomy edits.

    Cached pages are keyed by it, so a change is visible on the next request in
    every worker, whatever the cache backend; reading it is one primary-key query.
    """

    value = models.BigIntegerField(default=1)
    # Bumped, with ``value``, when what every page reads of the site changes: the
    # sites and their home pages, the locales, the administrations. Each process
    # keeps those (remembered) while it stays the same: a publish does not move it.
    structure = models.BigIntegerField(default=1, db_default=1)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return str(self.value)

    @classmethod
    def current(cls):
        return cls.read()[0]

    @classmethod
    def read(cls):
        """(value, structure) in one query; (0, 0) before the first bump.

        Every request reads it, a cached page's too: compiled once per process
        (models/precompiled.py), a cached page is served a quarter faster."""
        versions = run_precompiled(version_rows, (cls,))
        return versions[0] if versions else (0, 0)

    @classmethod
    def bump(cls, structure=False):
        changes = {"value": F("value") + 1}
        if structure:
            changes["structure"] = F("structure") + 1
        if not cls.objects.filter(pk=1).update(**changes):
            cls.objects.get_or_create(pk=1)


def version_rows(model):
    """The query of ``ContentVersion.read``."""
    return model.objects.filter(pk=1).values_list("value", "structure").order_by()[:1]


# What remembered() keeps: {name: (structure version, value)}, in this process.
_remembered = {}


def remembered(request, name, load, keep=None):
    """``load()``'s answer, kept in this process while the structure version the
    request read stays the same (``request._structure_version``, read by the page
    cache with the content version); loaded afresh for a request that read none.

    For what every page reads and almost nothing changes (Wagtail's site for a
    host, the site root paths its URLs are made from, the administrations): a
    reader's first page after a publish reads them no more. Every process reads
    the version with each page, so a change made on one node is seen on every
    other on the next request. Values are shared between requests: never change
    one in place. ``keep(value)``, if given, says whether a value is kept.
    """
    version = getattr(request, "_structure_version", None)
    if version is None:
        return load()
    entry = _remembered.get(name)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = load()
    if keep is not None and not keep(value):
        return value
    # A replica behind the primary may answer an older version: keep the newer.
    if entry is None or entry[0] < version:
        _remembered[name] = (version, value)
    return value


def remembered_page(request, name, load, parent=None):
    """The page ``load()`` finds, remembered by this process (:func:`remembered`);
    each request gets its own copy, as routing and the listing set attributes on
    it, whose parent (if given) is this request's."""
    # Only what is there: a reader asking for any slug must not fill the memory.
    found = remembered(request, name, load, keep=lambda page: page is not None)
    if found is None:
        return None
    memo = {} if parent is None else {id(found._cached_parent_obj): parent}
    return copy.deepcopy(found, memo)


def remembered_child(request, parent, slug, load):
    """The child page ``load()`` finds under ``parent``, remembered until a
    newsroom's edit moves the structure version (signal_handlers.REMEMBERED_DEPTH)."""
    return remembered_page(request, ("child", parent.pk, slug), load, parent)


class KnowsItsTranslations:
    """A site's root page that can know its translations, so that routing's
    ``site.root_page.localized`` (Wagtail's Page.route_for_request, on every
    request) costs no query: Wagtail's reads the active Locale each time, and in
    another language then the translation. The site this process remembers
    (channels.page_cache.site_for) carries its root page's, read once per
    structure version, which a change of a home page or a locale moves."""

    # {language code: the page Wagtail's ``localized`` gives}; None: not known.
    localized_by_language = None

    @classmethod
    def knowing_its_translations(cls, page):
        """``page`` as this class, knowing its translations: in the two queries
        of them and the locales, where ``page.specific`` took one and every
        request's ``localized`` one more."""
        pages = list(cls.objects.filter(translation_key=page.translation_key))
        itself = next(each for each in pages if each.pk == page.pk)
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            # Wagtail's ``localized``: the translation in the active language if
            # it is live, else the page itself.
            live = {each.locale_id: each for each in pages if each.live}
            live[itself.locale_id] = itself
            itself.localized_by_language = {
                locale.language_code: live.get(locale.pk, itself)
                for locale in Locale.objects.all()
            }
        return itself

    @property
    def localized(self):
        known = self.localized_by_language
        if known is None:
            return super().localized
        # Locale.get_active: the active language's locale, else the default one;
        # neither there (a LookupError or no such row): the page itself.
        for language in (translation.get_language(), settings.LANGUAGE_CODE):
            try:
                code = get_supported_content_language_variant(language)
            except LookupError:
                continue
            if code in known:
                return known[code]
        return self


def forget_remembered():
    """Drop what remembered() kept (the tests' rollbacks rewind the version)."""
    _remembered.clear()


class CachedPageMixin:
    """Anonymous readers get the page from the response cache
    (newsroom.channels.page_cache)."""

    def get_view_restrictions(self):
        """Wagtail's answer (restrictions on this page and its ancestors, an
        alias's on its source) in one query rather than two.

        Serving asks twice: Wagtail's check_view_restrictions hook, then
        cached_response (a restricted page is never cached). The one queryset
        is evaluated once by the hook and answers both, for this instance only;
        a page is loaded afresh for every request.

        None, and no query, when routing read that no restriction is at or above
        the page (``view_restricted``, models/routing.py:child_with_translations)
        and no page from it up to the home page is an alias.
        """
        if "_view_restrictions" not in self.__dict__:
            if getattr(self, "view_restricted", None) is False and self._no_alias():
                none = PageViewRestriction.objects.none()
                # Already evaluated: iterating or asking exists() of an empty
                # queryset compiles a query to learn that it is empty.
                none._result_cache = []
                self._view_restrictions = none
                return none
            paths = [
                self.path[:end]
                for end in range(Page.steplen, len(self.path) + 1, Page.steplen)
            ]
            checked = (
                Page.objects.filter(path__in=paths)
                .annotate(checked_id=Coalesce("alias_of_id", "id"))
                .values("checked_id")
            )
            self._view_restrictions = PageViewRestriction.objects.filter(
                page_id__in=checked
            )
        return self._view_restrictions

    def _no_alias(self):
        """Whether this page and its ancestors in memory up to the home page are
        no aliases (an alias answers to its source's restrictions); False when
        one of them was not loaded with it. The tree's root is never an alias."""
        page = self
        while page is not None:
            if page.alias_of_id is not None:
                return False
            if page.depth <= 2:
                return True
            page = page.__dict__.get("_cached_parent_obj")
        return False

    def serve(self, request, *args, **kwargs):
        # Handed over at run time, as the newsroom's routes are (models/pages.py):
        # the page cache is a channel, above the models, and imports them.
        from newsroom.channels.page_cache import cached_response

        return cached_response(
            request,
            lambda: super(CachedPageMixin, self).serve(request, *args, **kwargs),
            page=self,
        )
