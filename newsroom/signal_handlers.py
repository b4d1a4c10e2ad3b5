"""Wiring: which events change what readers see, and so invalidate cached pages."""

import functools
import logging

from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Revision, Site
from wagtail.search import index
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_unpublished,
    post_page_move,
)

from newsroom import kinds
from newsroom.alerts import tasks
from newsroom.channels import pictures
from newsroom.channels.page_cache import content_changed, structure_changed
from newsroom.finder import entity_names
from newsroom.models import (
    Appointment,
    AppointmentTranslation,
    EmbargoLink,
    EventPage,
    GovernmentPeriod,
    MediaContact,
    MediaContactTranslation,
    Official,
    OrganisationContact,
    PressReleasePage,
    translating,
)
from newsroom.models.listed import ListedRows

logger = logging.getLogger(__name__)

# What every page reads of the site, kept by each process while the structure
# version stays (models/caching.py:remembered): Wagtail's sites and locales, and
# the administrations of the release page's banner. Home pages: site_root_changed.
STRUCTURE_MODELS = (Site, Locale, GovernmentPeriod)

# Snippets whose names, trees or dates appear on public pages: every kind of
# entity and its translations, officials' appointments, administrations.
PUBLIC_SNIPPETS = [
    *(kind.model for kind in kinds.KINDS),
    *(kind.translation_model for kind in kinds.KINDS),
    Appointment,
    AppointmentTranslation,
    EventPage,
    # Media contacts show on releases and in vCards; organisations' defaults too.
    MediaContact,
    MediaContactTranslation,
    OrganisationContact,
]


def after_publish(receiver):
    """A page_published receiver whose failure is logged instead of raised.

    Wagtail sends page_published once the page is saved live, and Django's
    Signal.send stops at the first receiver that raises: a failing reindex
    (``database is locked`` on SQLite) turned a completed publish into a 500 and
    skipped the email alert registered after it. Each receiver runs in its own
    savepoint, so that a failed statement does not abort, on PostgreSQL, the
    transaction the publish and the other receivers run in. What a failure
    leaves undone is caught up elsewhere: the alert by the ``send_alerts`` sweep
    (it rematches what was published in the last hour), the search index by
    ``wagtail_update_index`` and the next publish, the content version by the
    next change (until then cached pages lag one publish behind).
    """

    @functools.wraps(receiver)
    def guarded(sender, instance, **kwargs):
        try:
            with transaction.atomic():
                receiver(sender=sender, instance=instance, **kwargs)
        except Exception:
            logger.exception(
                "%s failed after page %s was published; the publish stands",
                receiver.__name__,
                instance.pk,
            )

    return guarded


def reindex_published_release(sender, instance, **kwargs):
    """Index a release again once publishing has saved its relations.

    The search index is updated on the page's post_save, which modelcluster sends
    before it writes the inline relations (officials, sectors, topics...), so
    without this the names linked on a release would be one publish behind.
    """
    if isinstance(instance, PressReleasePage | EventPage):
        index.insert_or_update_object(instance)


def announce_published_release(sender, instance, **kwargs):
    """Email alerts: queue the matching of a release once its publish commits."""
    tasks.on_release_published(instance)


def announce_published_event(sender, instance, **kwargs):
    """Email alerts of the agenda: a new event, or its public change."""
    tasks.on_event_published(instance)


def media_changed(sender, instance, created=False, **kwargs):
    """An image or document edited or deleted: pages show its renditions, file URL
    and title. Replacing an image's file deletes its renditions, so a cached page
    would point at pictures that are gone. A new upload is on no page yet."""
    if not created:
        content_changed()


def relist_release(sender, instance, **kwargs):
    """Saving a release or an event as a plain Page (``publish_scheduled``
    expiring one does) skips its own save, which relists the specific page."""
    if kwargs.get("update_fields") is None:
        for table in ListedRows.tables:
            if issubclass(instance.specific_class or Page, table.item_model()):
                table.refresh([instance.pk])


def unlist_deleted_release(sender, instance, **kwargs):
    """A deleted release's or event's row goes by CASCADE; its counts must go
    with it."""
    for table in ListedRows.tables:
        if isinstance(instance, table.item_model()):
            table.forget([instance.pk])


def relist_restricted_releases(sender, instance, **kwargs):
    """A view restriction added or lifted changes which releases and events under
    it readers may see, and so which the listing tables hold."""
    for table in ListedRows.tables:
        table.refresh_below(instance.page)


def relist_moved_releases(sender, instance, **kwargs):
    """A moved page takes its releases and events to another listing page, or
    under (or out from under) a restricted page."""
    for table in ListedRows.tables:
        table.refresh_below(instance)


def embargo_follows_go_live(sender, instance, **kwargs):
    # Most revisions (autosaves, drafts) carry no go-live time: nothing to read.
    if instance.approved_go_live_at is not None:
        EmbargoLink.follow_go_live(instance)


def translated_copy_made(sender, source_obj, target_obj, **kwargs):
    translating.prepare_translation(source_obj, target_obj)


def picture_uses_changed(sender, instance, **kwargs):
    """Published, unpublished: which pictures readers may be sent changes."""
    pictures.page_changed(instance)


def picture_uses_restricted(sender, instance, **kwargs):
    pictures.page_changed(instance.page, include_descendants=True)


def snippet_pictures_changed(sender, instance, **kwargs):
    pictures.object_changed(instance)


def page_deleting_pictures(sender, instance, **kwargs):
    instance._newsroom_pictures = pictures.pictures_used_by([instance])


def page_deleted_pictures(sender, instance, **kwargs):
    """A deleted page's pictures are public no longer unless something else uses
    them (its row is gone, so its references no longer count)."""
    pictures.refresh_picture_access(getattr(instance, "_newsroom_pictures", ()))


# The root, the home pages and the newsrooms: the site root paths Wagtail makes
# URLs from, and the newsroom routing finds under a home page, both remembered
# by every process (models/caching.py:remembered, models/pages.py:remembered_child).
REMEMBERED_DEPTH = 3


def site_root_changed(sender, instance, **kwargs):
    """A page at the top of the tree (a home page, a newsroom or a translation of
    one) saved or deleted: its slug, state or translations may have changed."""
    if isinstance(instance, Page) and (instance.depth or 0) <= REMEMBERED_DEPTH:
        structure_changed()


def site_root_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if min(parent_page_before.depth, parent_page_after.depth) < REMEMBERED_DEPTH:
        structure_changed()


def top_restriction_changed(sender, instance, **kwargs):
    """A view restriction on a page at the top of the tree: the remembered
    newsroom says whether one is at or above it (``view_restricted``)."""
    depth = Page.objects.filter(pk=instance.page_id).values_list("depth", flat=True)
    # A restriction deleted with its page: the page's own deletion moved it.
    if (depth.first() or REMEMBERED_DEPTH + 1) <= REMEMBERED_DEPTH:
        structure_changed()


def on_save_and_delete(receiver, model, uid):
    """Connects ``receiver`` to ``model``'s saves, then to its deletions."""
    post_save.connect(receiver, sender=model, dispatch_uid=f"newsroom_{uid}_saved")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"newsroom_{uid}_deleted")


def register_signal_handlers():
    # The page is live before these run: none may fail the publish (after_publish).
    page_published.connect(
        after_publish(content_changed), dispatch_uid="newsroom_published", weak=False
    )
    page_published.connect(
        after_publish(reindex_published_release),
        dispatch_uid="newsroom_reindex",
        weak=False,
    )
    page_published.connect(
        after_publish(announce_published_release),
        weak=False,
        sender=PressReleasePage,
        dispatch_uid="newsroom_alerts",
    )
    page_published.connect(
        after_publish(announce_published_event),
        weak=False,
        sender=EventPage,
        dispatch_uid="newsroom_event_alerts",
    )
    post_save.connect(relist_release, sender=Page, dispatch_uid="newsroom_relist_page")
    for table in ListedRows.tables:
        pre_delete.connect(
            unlist_deleted_release,
            sender=table.item_model(),
            dispatch_uid=f"newsroom_unlist_deleted_{table.__name__}",
        )
    page_published.connect(
        after_publish(picture_uses_changed),
        dispatch_uid="newsroom_pictures_published",
        weak=False,
    )
    page_unpublished.connect(
        picture_uses_changed, dispatch_uid="newsroom_pictures_unpublished"
    )
    pre_delete.connect(
        page_deleting_pictures, sender=Page, dispatch_uid="newsroom_pictures_deleting"
    )
    post_delete.connect(
        page_deleted_pictures, sender=Page, dispatch_uid="newsroom_pictures_deleted"
    )
    # Pictures of snippets readers see: officials' portraits, contacts' photos.
    for model, uid in ((Official, "portrait"), (MediaContact, "contact_photo")):
        post_save.connect(
            snippet_pictures_changed,
            sender=model,
            dispatch_uid=f"newsroom_pictures_{uid}",
        )
    page_unpublished.connect(content_changed, dispatch_uid="newsroom_unpublished")
    post_page_move.connect(relist_moved_releases, dispatch_uid="newsroom_relist_moved")
    post_page_move.connect(content_changed, dispatch_uid="newsroom_moved")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="newsroom_page_del")
    # First, so that no failing receiver after it can leave a restricted newsroom
    # remembered as open (Wagtail's privacy view saves outside a transaction).
    on_save_and_delete(top_restriction_changed, PageViewRestriction, "top_restriction")
    # Relisting first: the cache must not refill from rows about to change.
    on_save_and_delete(
        picture_uses_restricted, PageViewRestriction, "pictures_restriction"
    )
    on_save_and_delete(
        relist_restricted_releases, PageViewRestriction, "relist_restriction"
    )
    on_save_and_delete(content_changed, PageViewRestriction, "restriction")
    for model in STRUCTURE_MODELS:
        on_save_and_delete(structure_changed, model, f"structure_{model.__name__}")
    # Any page model: a home page's post_save names its own class.
    post_save.connect(site_root_changed, dispatch_uid="newsroom_site_root_saved")
    post_delete.connect(
        site_root_changed, sender=Page, dispatch_uid="newsroom_site_root_deleted"
    )
    post_page_move.connect(site_root_moved, dispatch_uid="newsroom_site_root_moved")
    for model in PUBLIC_SNIPPETS:
        on_save_and_delete(content_changed, model, model.__name__)
    for model in (get_image_model(), get_document_model()):
        on_save_and_delete(media_changed, model, f"media_{model._meta.label}")
    post_save.connect(
        embargo_follows_go_live,
        sender=Revision,
        dispatch_uid="newsroom_embargo_follows_go_live",
    )
    copy_for_translation_done.connect(
        translated_copy_made, dispatch_uid="newsroom_translated_copy"
    )
    # Entities' names in other languages are read once per request at most.
    request_started.connect(
        entity_names.start_request, dispatch_uid="newsroom_entity_names_start"
    )
    request_finished.connect(
        entity_names.finish_request, dispatch_uid="newsroom_entity_names_finish"
    )
