class ReferenceIndexedOncePerSave:
    """One update of Wagtail's reference index per save of a cluster, not one per row.

    Wagtail queues a reference-index task on every post_save, and a child row's task
    re-indexes its whole parent. Publishing a release with five officials, five
    sectors, regions, organisations and topics queued some twenty full re-indexes of
    the release (the first one before its links were even written). Here the parent
    and its child rows save with the automatic update off, then one task indexes the
    parent as it was stored.

    A child row saved on its own still queues its parent's update as before; a caller
    that already switched the automatic update off (the importer) is left to index.
    """

    def save(self, *args, **kwargs):
        # wagtail.signal_handlers loads models when imported: not at models' import.
        from wagtail.signal_handlers import (
            disable_reference_index_auto_update,
            reference_index_auto_update_disabled,
            update_reference_index_on_save,
        )

        if getattr(reference_index_auto_update_disabled, "value", False):
            return super().save(*args, **kwargs)
        with disable_reference_index_auto_update():
            result = super().save(*args, **kwargs)
        update_reference_index_on_save(self)
        return result
