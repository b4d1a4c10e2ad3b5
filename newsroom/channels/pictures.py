"""A release's pictures: which they are, what the Media section says of each, and
which pictures may be served to anyone.

A picture is *public* when something readers can see uses it: a published
release (live, not behind a view restriction, not withdrawn), another live public
page, or anything that is not a page (an official's portrait, a media contact's
photo). Otherwise it is
*restricted*: a new upload, or one used only by drafts, scheduled, embargoed,
private or withdrawn releases. The flag is stored on the picture
(``NewsroomImage.restricted``) and kept up to date here as pages are published,
unpublished, restricted or deleted, so serving a file costs one cached look-up
(``channels/picture_serving.py``), never a walk over the releases.

Uses are read from Wagtail's reference index, which records the foreign keys and
StreamField blocks of each page's live content.
"""

import posixpath
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from newsroom.models import PressReleasePage
from newsroom.models.images import pictures_of as release_pictures
from newsroom.models.querysets import under_view_restriction

# Bumped whenever a flag changes, so cached answers of the media view go stale at once.
ACCESS_VERSION_KEY = "picture-access-version"


def extension(picture):
    name = posixpath.basename(picture.file.name)
    ext = posixpath.splitext(name)[1].lower().lstrip(".")
    return "jpg" if ext == "jpeg" else ext or "jpg"


def download_name(page, position, picture):
    """``smelter-opens-1.jpg``: the release's slug, the picture's place in it."""
    return f"{slugify(page.slug) or 'release'}-{position}.{extension(picture)}"


@dataclass
class MediaItem:
    picture: object
    position: int
    filename: str
    url: str
    caption: str
    size: int | None


def file_size(picture):
    """Bytes of the original: stored on upload, else asked of the storage."""
    if picture.file_size:
        return picture.file_size
    try:
        return picture.file.size
    except (OSError, ValueError):
        return None


def media_items(page, language_code, base_url=None):
    """What the Media section lists: each picture with its download address."""
    base_url = base_url if base_url is not None else page.url
    items = []
    for position, picture in enumerate(release_pictures(page), start=1):
        filename = download_name(page, position, picture)
        items.append(
            MediaItem(
                picture=picture,
                position=position,
                filename=filename,
                url=f"{base_url}media/{filename}" if base_url else "",
                caption=picture.caption_in(language_code),
                size=file_size(picture),
            )
        )
    return items


def picture_at(page, filename):
    """The picture ``filename`` names on ``page`` (as ``download_name`` made it),
    or None."""
    for position, picture in enumerate(release_pictures(page), start=1):
        if download_name(page, position, picture) == filename:
            return picture
    return None


# --- Who may see a picture -------------------------------------------------------


def public_page_ids(page_ids):
    """Of ``page_ids``, those readers may see: live, not under a view restriction,
    and for releases not withdrawn."""
    pages = (
        Page.objects.filter(pk__in=page_ids).live().filter(~under_view_restriction())
    )
    visible = set(pages.values_list("pk", flat=True))
    withdrawn = PressReleasePage.objects.filter(pk__in=visible, withdrawn=True)
    return visible - set(withdrawn.values_list("pk", flat=True))


def public_picture_ids(picture_ids):
    """Of ``picture_ids``, those something public uses."""
    Picture = get_image_model()
    picture_type = ContentType.objects.get_for_model(Picture)
    page_type = ContentType.objects.get_for_model(Page)
    uses = ReferenceIndex.objects.filter(
        to_content_type=picture_type, to_object_id__in=[str(i) for i in picture_ids]
    ).values_list("base_content_type_id", "object_id", "to_object_id")
    public, by_page = set(), {}
    for base_type, object_id, picture_id in uses:
        if base_type == page_type.pk:
            by_page.setdefault(int(object_id), set()).add(int(picture_id))
        else:
            public.add(int(picture_id))
    for page_id in public_page_ids(list(by_page)):
        public |= by_page[page_id]
    return public


def refresh_picture_access(picture_ids=None):
    """Set ``restricted`` on ``picture_ids`` (default: every picture) from their
    uses; returns how many flags changed."""
    Picture = get_image_model()
    pictures = Picture.objects.all()
    if picture_ids is not None:
        pictures = pictures.filter(pk__in=list(picture_ids))
    ids = list(pictures.values_list("pk", flat=True))
    public = public_picture_ids(ids)
    changed = Picture.objects.filter(pk__in=public, restricted=True).update(
        restricted=False
    )
    changed += (
        Picture.objects.filter(pk__in=ids, restricted=False)
        .exclude(pk__in=public)
        .update(restricted=True)
    )
    if changed:
        try:
            cache.incr(ACCESS_VERSION_KEY)
        except ValueError:
            cache.set(ACCESS_VERSION_KEY, 1, None)
    return changed


def pictures_used_by(pages):
    """Ids of the pictures the reference index records for ``pages`` (any page
    model), plus those of each release's latest revision (a scheduled or draft
    picture the index does not know yet)."""
    Picture = get_image_model()
    picture_type = ContentType.objects.get_for_model(Picture)
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = [str(page.pk) for page in pages]
    ids = {
        int(i)
        for i in ReferenceIndex.objects.filter(
            base_content_type=page_type,
            object_id__in=page_ids,
            to_content_type=picture_type,
        ).values_list("to_object_id", flat=True)
    }
    for page in pages:
        specific = page.specific
        if isinstance(specific, PressReleasePage):
            ids |= {p.pk for p in release_pictures(specific)}
            latest = specific.get_latest_revision_as_object()
            ids |= {p.pk for p in release_pictures(latest)}
    return ids


def page_changed(page, include_descendants=False):
    """Update the reference index for ``page`` (and its subtree), then the flags of
    every picture it uses."""
    pages = [page]
    if include_descendants:
        pages = list(Page.objects.descendant_of(page, inclusive=True).specific())
    before = pictures_used_by(pages)
    for each in pages:
        ReferenceIndex.create_or_update_for_object(each.specific)
    refresh_picture_access(before | pictures_used_by(pages))


def object_changed(instance):
    """A snippet (an official's portrait, a contact's photo) saved: its pictures
    become public."""
    ReferenceIndex.create_or_update_for_object(instance)
    Picture = get_image_model()
    ids = ReferenceIndex.get_references_for_object(instance).filter(
        to_content_type=ContentType.objects.get_for_model(Picture)
    )
    refresh_picture_access({int(i) for i in ids.values_list("to_object_id", flat=True)})
