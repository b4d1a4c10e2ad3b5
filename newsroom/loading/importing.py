"""Bulk import of press releases (the format is fixed in docs/contracts.md).

Each record is validated, then written in its own transaction, so a bad record is
reported with its line number and leaves nothing behind while good ones land.
Re-importing matches on slug, else on title + date, and updates instead of
duplicating. ``load_demo`` goes through the same path.
"""

import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import post_save
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.images import get_image_model
from wagtail.models import Locale, ReferenceIndex
from wagtail.search import index as search_index
from wagtail.search.signal_handlers import (
    post_save_signal_handler as search_index_on_save,
)
from wagtail.signal_handlers import disable_reference_index_auto_update

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.loading.entities import Resolver, unique_slug
from newsroom.loading.records import (
    RecordError,
    describe,
    shown,
)
from newsroom.loading.regulations import resolve
from newsroom.loading.release_records import parse_record
from newsroom.models import (
    RESERVED_SLUGS,
    PressReleasePage,
    Region,
    ReleaseOfficial,
    ReleaseOrganisation,
    ReleaseRegion,
    ReleaseRegulation,
    ReleaseSector,
    Sector,
)
from newsroom.models.blocks import RICH_TEXT_FEATURES
from newsroom.models.regulations import link_cited


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # matched a release that already says what the record says
    failures: list = field(default_factory=list)  # (line number, reason)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.failures


# --- writing ----------------------------------------------------------------------

_html_converter = EditorHTMLConverter(features=RICH_TEXT_FEATURES)


def build_body(data):
    body = []
    if data["body_html"]:
        body.append(
            {
                "type": "paragraph",
                "value": _html_converter.to_database_format(data["body_html"]),
            }
        )
    if data["key_figures"]:
        body.append(
            {
                "type": "key_figures",
                "value": [
                    {"type": "item", "value": figure, "id": str(uuid.uuid4())}
                    for figure in data["key_figures"]
                ],
            }
        )
    return body


def find_image(title):
    image = get_image_model().objects.filter(title=title).first()
    if image is None:
        raise RecordError(f"no image titled {title!r} in the image library")
    return image


def find_existing(newsroom, data):
    releases = PressReleasePage.objects.child_of(newsroom)
    if data["slug"]:
        return releases.filter(slug=data["slug"]).first()
    return releases.filter(
        title=data["title"], release_date=data["release_date"]
    ).first()


def find_original(newsroom, data, existing):
    """The release that ``data`` translates ("translation_of": its slug, in another
    language), or None. Refuses an unknown slug, an original in the release's own
    language, and an original that already has another translation in it."""
    slug = data["translation_of"]
    if not slug:
        return None
    locale = newsroom.locale
    candidates = PressReleasePage.objects.filter(slug=slug).select_related("locale")
    originals = [page for page in candidates if page.locale_id != locale.pk]
    if not originals:
        if any(page.locale_id == locale.pk for page in candidates):
            raise RecordError(
                f"'translation_of' {shown(slug)} is a release in the same "
                f"language ({locale.language_code}); give the slug of the original "
                "in the other language"
            )
        raise RecordError(
            f"'translation_of': no release with the slug {shown(slug)}; import "
            "the original first"
        )
    if len(originals) > 1:
        raise RecordError(
            f"'translation_of' {shown(slug)} names releases in several languages"
        )
    original = originals[0]
    translation = (
        PressReleasePage.objects.filter(
            translation_key=original.translation_key, locale=locale
        )
        .exclude(pk=existing.pk if existing else None)
        .first()
    )
    if translation is not None:
        raise RecordError(
            f"'translation_of': {shown(slug)} already has a translation in "
            f"{locale.language_code}: {shown(translation.slug)}"
        )
    if existing is not None and existing.translation_key != original.translation_key:
        others = PressReleasePage.objects.filter(
            translation_key=existing.translation_key
        ).exclude(pk=existing.pk)
        if others.exists():
            raise RecordError(
                f"'translation_of': the release {shown(existing.slug)} is already "
                "a translation of another release"
            )
    return original


def role_for(link, data):
    role = link["role"]
    if role and link["organisation"]:
        return f"{role}, {link['organisation']}"
    return role


def release_state(page):
    """What an import sets on a release, in a form that compares equal when the
    release says the same: block ids (new on every build) are left out."""
    body = page.body.get_prep_value()
    return {
        "title": page.title,
        "release_date": page.release_date,
        "event_date": page.event_date,
        "dateline": page.dateline,
        "standfirst": page.standfirst,
        "reference": page.reference,
        "featured": page.featured,
        # As a revision stores it: once its blocks are read (link_cited reads
        # them) the body gives Decimals where the stored JSON has text.
        "body": _without_ids(json.loads(json.dumps(body, cls=DjangoJSONEncoder))),
        "hero_image": page.hero_image_id,
        "translation_key": page.translation_key,
        "officials": [
            (link.official_id, link.role, link.quoted)
            for link in page.release_officials.all()
        ],
        "organisations": [
            link.organisation_id for link in page.release_organisations.all()
        ],
        "sectors": [link.sector_id for link in page.release_sectors.all()],
        "regions": [link.region_id for link in page.release_regions.all()],
        "topics": sorted(topic.pk for topic in page.topics.all()),
        "regulations": [link.regulation_id for link in page.release_regulations.all()],
    }


def _without_ids(data):
    if isinstance(data, dict):
        return {key: _without_ids(item) for key, item in data.items() if key != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


def is_up_to_date(page, before, live):
    """Whether saving ``page`` would change nothing: its latest revision held
    ``before`` already and, for a record to publish, that revision is live."""
    if release_state(page) != before:
        return False
    return not live or (page.live and not page.has_unpublished_changes)


def new_release(newsroom, data, taken=()):
    """An unsaved release for a record that matches none, with its slug: the
    record's, else one from its title that neither the newsroom nor ``taken``
    (slugs of releases about to be written) holds."""
    slug = data["slug"] or unique_slug(
        PressReleasePage, data["title"], taken=taken, path__startswith=newsroom.path
    )
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-release"
    return PressReleasePage(slug=slug, locale=newsroom.locale)


def write_release(newsroom, data, resolver=None):
    """Create or update one release from parsed data. Returns (page, outcome):
    "created", "updated" or "unchanged".

    A record that says what the release already says writes nothing: a new
    revision, a publish and the content version it bumps (every cached page
    thrown away) would each be for nothing, on every run of load_demo.
    """
    resolver = resolver or Resolver()
    page = find_existing(newsroom, data)
    original = find_original(newsroom, data, page)
    created = page is None
    # The latest revision, not the live row: a draft's fields live only there.
    before = None if created else release_state(page.get_latest_revision_as_object())
    if created:
        page = new_release(newsroom, data)
    if original is not None:
        # A translation shares the original's translation_key (what Wagtail's
        # copy_for_translation gives it), so the two link to each other.
        page.translation_key = original.translation_key
        if not created:  # save_revision would not save the key of a draft
            PressReleasePage.objects.filter(pk=page.pk).update(
                translation_key=original.translation_key
            )
    fill_release(page, data, resolver)

    if not created and is_up_to_date(page, before, data["live"]):
        return page, "unchanged"
    with indexing_deferred():
        write_page(newsroom, page, created, data["live"])
    # Index once, after the release and all its relations are written.
    search_index.insert_or_update_object(page)
    ReferenceIndex.create_or_update_for_object(page)
    return page, "created" if created else "updated"


def write_page(parent, page, created, live):
    """Save what a record set on ``page`` as a revision, a new page first added
    under ``parent`` as a draft; publish the revision if the record is live."""
    if created:
        page.live = False
        parent.add_child(instance=page)
    revision = page.save_revision(clean=True)
    if live:
        revision.publish()


def fill_release(page, data, resolver):
    """Set what a record says on ``page``, in memory: fields, body, picture and
    every link (entities found or created by ``resolver``)."""
    page.title = data["title"]
    page.release_date = data["release_date"]
    page.event_date = data["event_date"]
    page.dateline = data["dateline"]
    page.standfirst = data["standfirst"]
    page.reference = data["reference"]
    page.featured = data["featured"]
    page.body = build_body(data)
    page.hero_image = find_image(data["hero_image"]) if data["hero_image"] else None

    officials, seen = [], set()
    role_limit = ReleaseOfficial._meta.get_field("role").max_length
    for position, link in enumerate(data["officials"]):
        official = resolver.official(link["name"])
        if official.pk in seen:
            raise RecordError(f"official {link['name']!r} is listed twice")
        seen.add(official.pk)
        if link["organisation"]:
            resolver.organisation(link["organisation"])
        role = role_for(link, data) or official.role_on(data["release_date"])
        if len(role) > role_limit:
            raise RecordError(
                f"the role of {link['name']!r} with its organisation is longer "
                f"than {role_limit} characters"
            )
        officials.append(
            ReleaseOfficial(
                official=official, role=role, quoted=link["quoted"], sort_order=position
            )
        )
    page.release_officials = officials
    page.release_organisations = _unique_links(
        ReleaseOrganisation,
        "organisation",
        [resolver.organisation(name) for name in data["organisations"]],
    )
    page.release_sectors = _unique_links(
        ReleaseSector,
        "sector",
        [resolver.node(Sector, p) for p in data["sectors"]],
    )
    page.release_regions = _unique_links(
        ReleaseRegion,
        "region",
        [resolver.node(Region, p) for p in data["regions"]],
    )
    page.topics.set([resolver.topic(name) for name in data["topics"]])
    page.release_regulations = _unique_links(
        ReleaseRegulation, "regulation", resolve(data["regulations"], "regulations")
    )
    # And those its title, standfirst or body cite, as the admin's form adds them.
    # link_cited leaves them unnumbered, which modelcluster sorts first and the
    # databases each their own way: they go after the given ones.
    link_cited(page)
    links = page.release_regulations.all()
    links = sorted(links, key=lambda link: link.sort_order is None)
    for position, link in enumerate(links):
        link.sort_order = position
    page.release_regulations = links


@contextmanager
def indexing_deferred():
    """Skip the search and reference index updates that each of a release's saves
    would trigger (about sixteen per imported release); the caller indexes once."""
    post_save.disconnect(search_index_on_save, sender=PressReleasePage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.connect(search_index_on_save, sender=PressReleasePage)


def _unique_links(link_model, field_name, nodes):
    unique = list({node.pk: node for node in nodes}.values())
    return [
        link_model(**{field_name: node}, sort_order=i) for i, node in enumerate(unique)
    ]


def newsroom_for(language, newsrooms):
    """The newsroom of ``language`` (made if missing), kept in ``newsrooms``."""
    if language not in newsrooms:
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None:
            raise RecordError(f"unknown language {language!r}")
        newsrooms[language] = ensure_site_tree(locale)
    return newsrooms[language]


class _DryRunRollback(Exception):
    pass


def import_records(records, dry_run=False, progress=None):
    """Import ``(line_number, record)`` pairs; never raises for a bad record."""
    report = ImportReport(dry_run=dry_run)
    newsrooms = {}
    resolver = Resolver()
    for line_number, record in records:
        if progress is not None:
            progress.update(1)
        try:
            if isinstance(record, RecordError):
                raise record
            data = parse_record(record)
            with transaction.atomic():
                newsroom = newsroom_for(data["language"], newsrooms)
                _, outcome = write_release(newsroom, data, resolver)
                if dry_run:
                    raise _DryRunRollback
        except _DryRunRollback:
            newsrooms.clear()
            resolver.clear()
        except (RecordError, ValidationError) as error:
            report.failures.append((line_number, describe(error)))
            newsrooms.clear()
            resolver.clear()
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
