"""Search entries for releases written in bulk (``generate_releases``,
``import_releases --bulk``): the rows Wagtail's database backend writes, only
with each release's texts gathered once."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from modelsearch.index import AutocompleteField, SearchField
from wagtail.search.models import IndexEntry

from newsroom.models import PressReleasePage


def releases_to_index(ids):
    """The releases of ``ids`` with everything their search entries read."""
    releases = list(
        PressReleasePage.objects.filter(pk__in=ids).prefetch_related(
            "release_officials__official",
            "release_sectors__sector",
            "release_regions__region",
            "release_organisations__organisation",
            "topics",
        )
    )
    for release in releases:
        # Prefetched topics come in whatever order the plan gives, and a vector's
        # positions follow it; taggit takes no ordered queryset to prefetch.
        topics = release.topics.all()
        topics._result_cache.sort(key=lambda topic: topic.name)
    return releases


def index_in_bulk(search_backend, ids):
    """Add releases to the search index, as Wagtail's backend would.

    On PostgreSQL the entries are the ones Wagtail's database backend writes
    (tests/loading/test_generation.py compares them column by column), only written
    faster: its ``add_bulk`` gathers each release's texts five times over and
    builds an ORM expression per text, about 10 ms a release. Here Wagtail's own
    indexer gathers the texts once, and one INSERT turns them into the same
    vectors.
    """
    releases = releases_to_index(ids)
    if connection.vendor == "sqlite" and releases:
        index_on_sqlite(search_backend, releases)
        return
    if connection.vendor != "postgresql" or not releases:
        search_backend.add_bulk(PressReleasePage, releases)
        return
    from modelsearch.backends.database.postgres.postgres import ObjectIndexer

    def kept(texts):
        # As Wagtail's indexer: texts are stripped and blank ones left out.
        return [(text.strip(), weight) for text, weight in texts if text.strip()]

    def vector(texts, config):
        # As Wagtail's as_vector: each kept text is one weighted vector, joined
        # with || in the fields' order.
        if not texts:
            return "to_tsvector(COALESCE(%s, %s))", ["", ""]
        if config:
            one, prefix = (
                "setweight(to_tsvector(%s::regconfig, COALESCE(%s, %s)), %s)",
                [config],
            )
        else:
            one, prefix = "setweight(to_tsvector(COALESCE(%s, %s)), %s)", []
        sql = " || ".join([one] * len(texts))
        params = [p for text, weight in texts for p in (*prefix, text, "", weight)]
        return sql, params

    content_type_pk = ContentType.objects.get_for_model(PressReleasePage).pk
    rows, params = [], []
    for release in releases:
        indexer = ObjectIndexer(release, search_backend)
        title, body, autocomplete = [], [], []
        for search_field in indexer.search_fields:
            for field, weight, value in indexer.prepare_field(release, search_field):
                if isinstance(field, AutocompleteField):
                    autocomplete.append((value, "D"))
                elif isinstance(field, SearchField):
                    is_title = field.field_name == "title"
                    (title if is_title else body).append((value, weight))
        title, body, autocomplete = kept(title), kept(body), kept(autocomplete)
        title_sql, title_params = vector(title, search_backend.config)
        auto_sql, auto_params = vector(autocomplete, search_backend.autocomplete_config)
        body_sql, body_params = vector(body, search_backend.config)
        rows.append(f"(%s, %s, {title_sql}, {auto_sql}, {body_sql}, 1.0, %s, %s)")
        params += [content_type_pk, str(release.pk)]
        params += [*title_params, *auto_params, *body_params]
        params.append(" ".join(text for text, _ in title))
        params.append(" ".join(text for text, _ in body))
    sql = f"""
        INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title,
            autocomplete, body, title_norm, title_text, body_text)
        VALUES {", ".join(rows)}
        ON CONFLICT (content_type_id, object_id) DO UPDATE SET
            title = EXCLUDED.title, title_norm = 1.0,
            autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,
            title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    # Wagtail's own last step: title norms for the new entries.
    search_backend.get_index_for_model(PressReleasePage)._refresh_title_norms()


def index_on_sqlite(search_backend, releases):
    """New releases' entries as the SQLite backend's ``add_items`` writes them
    (the FTS table follows by trigger), with the texts gathered in one pass
    where its indexer makes three: a third of the time."""
    from modelsearch.backends.database.sqlite.sqlite import ObjectIndexer

    content_type_pk = ContentType.objects.get_for_model(PressReleasePage).pk
    if IndexEntry.objects.filter(
        content_type_id=content_type_pk,
        object_id__in=[str(release.pk) for release in releases],
    ).exists():
        search_backend.add_bulk(PressReleasePage, releases)  # updates them
        return
    entries = []
    for release in releases:
        indexer = ObjectIndexer(release, search_backend)
        title, body, autocomplete = [], [], []
        for search_field in indexer.search_fields:
            for field, value in indexer.prepare_field(release, search_field):
                if isinstance(field, AutocompleteField):
                    autocomplete.append(value)
                elif isinstance(field, SearchField):
                    (title if field.field_name == "title" else body).append(value)
        entries.append(
            IndexEntry(
                content_type_id=content_type_pk,
                object_id=str(release.pk),
                title=" ".join(title),
                autocomplete=" ".join(autocomplete),
                body=" ".join(body),
            )
        )
    IndexEntry.objects.bulk_create(entries)
    search_backend.get_index_for_model(PressReleasePage)._refresh_title_norms()
