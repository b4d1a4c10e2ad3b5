"""Wiring: which events change what readers see, and so invalidate cached pages."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from newsroom.cache import content_changed

# Snippets whose names, trees or dates appear on public pages.
PUBLIC_SNIPPETS = [
    "Official",
    "Appointment",
    "Organisation",
    "Sector",
    "Region",
    "Topic",
    "GovernmentPeriod",
]


def reindex_published_release(sender, instance, **kwargs):
    """Index a release again once publishing has saved its relations.

    The search index is updated on the page's post_save, which modelcluster sends
    before it writes the inline relations (officials, sectors, topics...), so
    without this the names linked on a release would be one publish behind.
    """
    from wagtail.search import index

    from newsroom.models import PressReleasePage

    if isinstance(instance, PressReleasePage):
        index.insert_or_update_object(instance)


def announce_published_release(sender, instance, **kwargs):
    """Email alerts: queue the matching of a release once its publish commits."""
    from newsroom import alerts

    alerts.on_release_published(instance)


def register_signal_handlers():
    from wagtail.models import Page, PageViewRestriction

    from newsroom import models

    page_published.connect(content_changed, dispatch_uid="newsroom_published")
    page_published.connect(reindex_published_release, dispatch_uid="newsroom_reindex")
    page_published.connect(
        announce_published_release,
        sender=models.PressReleasePage,
        dispatch_uid="newsroom_alerts",
    )
    page_unpublished.connect(content_changed, dispatch_uid="newsroom_unpublished")
    post_page_move.connect(content_changed, dispatch_uid="newsroom_moved")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="newsroom_page_del")
    for signal in (post_save, post_delete):
        signal.connect(
            content_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"newsroom_restriction_{signal}",
        )
    for name in PUBLIC_SNIPPETS:
        model = getattr(models, name)
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed, sender=model, dispatch_uid=f"newsroom_{name}_{signal}"
            )
