"""How routing finds a page's child: by slug, with its live translations and
whether a view restriction covers it, in one query compiled once per process
(models/precompiled.py)."""

from newsroom.models.precompiled import run_precompiled
from newsroom.models.querysets import under_view_restriction


def child_with_translations(model, parent, slug, *related):
    """The child of ``parent`` called ``slug``, loaded as a ``model``, with its
    live translations ({language code: page}, the language switcher's links) and
    whether a view restriction is at or above it (``view_restricted``, which
    spares serving a query: CachedPageMixin.get_view_restrictions), in one query;
    None if there is none. Wagtail takes two to find it, a third for each."""
    child, translations = None, {}
    for page in run_precompiled(
        child_and_translations,
        (model, related),
        path=parent.path,
        depth=parent.depth + 1,
        slug=slug,
    ):
        if page.path.startswith(parent.path) and page.depth == parent.depth + 1:
            child = page
        if page.live:
            translations[page.locale.language_code] = page
    if child is not None:
        child._cached_parent_obj = parent
        child.live_translations = translations
    return child


def child_and_translations(model, related, path, depth, slug):
    """The queryset :func:`child_with_translations` runs: the pages sharing the
    translation key of the ``model`` at ``depth`` under ``path`` called ``slug``."""
    routed = model.objects.filter(path__startswith=path, depth=depth, slug=slug)
    return (
        model.objects.filter(translation_key__in=routed.values("translation_key"))
        .select_related("locale", *related)
        .annotate(view_restricted=under_view_restriction())
    )
