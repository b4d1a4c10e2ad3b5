"""A release's translation: what the copy takes from its original, and what the
translator still has to do.

When an editor clicks "Translate", Wagtail copies the English release into the
Indonesian newsroom. The copy's roles of the day are then re-read in the copy's
language (from the appointments' translated positions), and its go-live time is
kept only while the original is still waiting for its own: an Indonesian copy of
an embargoed release must not go out before it, and any other copied time would
only make "Approve and publish" schedule where the moderator meant to publish.
The panel at the top of the copy's form names the fields still holding the
original's text and says when the copy will go live.
"""

from django.utils import timezone
from wagtail.admin.panels import Panel
from wagtail.models import Locale, Page

from newsroom.models.links import page_language

# Page fields a translator translates, with the labels the form shows.
TEXT_FIELDS = {
    "title": "Title",
    "standfirst": "Standfirst",
    "dateline": "Dateline",
    "seo_title": "Title tag",
    "search_description": "Search description",
}


def prepare_translation(source, target):
    """Adjust a fresh translated copy (``copy_for_translation_done``). The copy
    is changed in memory as well as in a new revision, so that a caller holding
    it (the demo loader, an importer) goes on from the adjusted copy."""
    if not hasattr(target, "release_officials"):
        return
    source_language, language = page_language(source), page_language(target)
    changed = False
    links = list(target.release_officials.all())
    if target.release_date:
        for link in links:
            derived = link.official.role_on(target.release_date, source_language)
            if link.role == derived:
                role = link.official.role_on(target.release_date, language)
                changed |= role != link.role
                link.role = role
    target.release_officials = links
    if target.go_live_at and not original_still_embargoed(source, target.go_live_at):
        target.go_live_at = None
        changed = True
    if changed:
        target.save_revision(log_action=False, clean=False)


def original_still_embargoed(source, go_live_at):
    return not source.live and go_live_at > timezone.now()


def source_of(page):
    """The page this one was translated from: the same translation key in the
    default language (None for an original)."""
    return (
        Page.objects.filter(
            translation_key=page.translation_key, locale_id=default_locale_pk()
        )
        .exclude(pk=page.pk)
        .specific()
        .first()
    )


def default_locale_pk():
    return Locale.get_default().pk


def untranslated_fields(page, source):
    """Labels of the fields whose text is still the original's."""
    original = source.get_latest_revision_as_object() if not source.live else source
    same = [
        label
        for field, label in TEXT_FIELDS.items()
        if getattr(page, field, "") and getattr(page, field) == getattr(original, field)
    ]
    body_texts = dict(texts_of_body(original))
    unchanged = sum(
        1 for key, text in texts_of_body(page) if text and body_texts.get(key) == text
    )
    if unchanged:
        same.append(f"Body ({unchanged} of {len(body_texts)} texts)")
    return same


def texts_of_body(page):
    """(block id, text) of each paragraph, quote and caption in the body."""
    for block in getattr(page, "body", []) or []:
        value = block.value
        if hasattr(value, "source"):  # rich text
            yield block.id, value.source
        elif isinstance(value, str):
            yield block.id, value
        elif hasattr(value, "get"):
            for name in ("text", "caption", "attribution"):
                if value.get(name):
                    yield f"{block.id}:{name}", str(value.get(name))


class TranslationProgressPanel(Panel):
    """On a translation's form: what still reads as in the original, and when
    the translation goes live."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/admin/translation_progress.html"

        def is_shown(self):
            page = self.instance
            return (
                page is not None
                and page.pk is not None
                and page.locale_id is not None
                and page.locale_id != default_locale_pk()
                and self.source is not None
            )

        @property
        def source(self):
            if not hasattr(self, "_source"):
                self._source = source_of(self.instance)
            return self._source

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page, source = self.instance, self.source
            context["source"] = source
            context["untranslated"] = untranslated_fields(page, source)
            context["go_live_at"] = page.go_live_at
            context["with_original"] = bool(
                page.go_live_at and original_still_embargoed(source, page.go_live_at)
            )
            return context
