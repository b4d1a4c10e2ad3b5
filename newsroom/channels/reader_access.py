"""Who may read a release that is not public yet, and its pictures.

``reader_access(request, page)`` is the one answer for every channel that shows a
release or something made from it (the page, its pictures, a PDF): anyone may
read a published release; editors (signed in with admin access) may read any;
the holder of a usable embargo link may read the scheduled revision of the
release that link is for, and nothing else.

An embargo link is presented once, at ``/embargo/<token>/``; the preview then
keeps the token in a signed cookie, so the pictures and documents the page links
to open for the same holder without the token in their addresses.
"""

from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from newsroom.channels.pictures import public_page_ids, release_pictures
from newsroom.models import EmbargoLink

COOKIE = "newsroom_embargo"
COOKIE_SALT = "newsroom.embargo-holder"
MAX_TOKENS = 20  # a journalist holding links to many releases at once


@dataclass(frozen=True)
class Access:
    allowed: bool
    editor: bool = False
    link: EmbargoLink | None = None

    @property
    def personal_mark(self):
        """ "Personal copy for <name>, <outlet>" for a journalist's own link, to be
        shown on whatever this reader sees of the release (page, PDF); else ""."""
        return personal_mark(
            self.link, self.link and self.link.page.locale.language_code
        )

    def content(self, page):
        """The version of ``page`` this reader sees: the scheduled revision for an
        embargo holder, the latest draft for an editor of an unpublished page,
        else the live page."""
        if self.link is not None:
            return page.scheduled_revision.as_object()
        if self.editor and not page.live:
            return page.get_latest_revision_as_object()
        return page


def personal_mark(link, language=None):
    """The mark of a journalist's own copy, in the release's ``language``."""
    journalist = link.journalist if link is not None else None
    if journalist is None:
        return ""
    with translation.override(language or translation.get_language()):
        return _("Personal copy for %(recipient)s") % {"recipient": journalist.label}


def is_editor(request):
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
    )


def held_tokens(request):
    try:
        tokens = request.get_signed_cookie(COOKIE, salt=COOKIE_SALT)
    except (KeyError, signing.BadSignature):
        return []
    return [token for token in tokens.split(",") if token][:MAX_TOKENS]


def remember_token(request, response, link):
    """Keep ``link``'s token in the holder's cookie until the link expires."""
    tokens = [link.token, *(t for t in held_tokens(request) if t != link.token)]
    links = EmbargoLink.objects.usable().filter(token__in=tokens[:MAX_TOKENS])
    expires = max(
        (each.expires_at for each in links), default=link.expires_at
    )  # fmt: skip
    response.set_signed_cookie(
        COOKIE,
        ",".join(tokens[:MAX_TOKENS]),
        salt=COOKIE_SALT,
        expires=expires,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def held_link(request, page):
    """The usable embargo link of this reader for ``page``, or None."""
    tokens = held_tokens(request)
    if not tokens or page.scheduled_revision is None:
        return None
    return (
        EmbargoLink.objects.usable()
        .filter(page_id=page.pk, token__in=tokens)
        .select_related("journalist")
        .order_by("-created_at")
        .first()
    )


def is_public(page):
    return page.pk in public_page_ids([page.pk])


def reader_access(request, page):
    """May this request read ``page`` (a release), and which version of it."""
    if is_public(page):
        return Access(allowed=True)
    if is_editor(request):
        return Access(allowed=True, editor=True)
    link = held_link(request, page)
    if link is not None:
        return Access(allowed=True, link=link)
    return Access(allowed=False)


def embargoed_picture_ids(link):
    """The pictures of the scheduled revision ``link`` gives early access to."""
    revision = link.page.scheduled_revision
    if revision is None:
        return set()
    key = f"embargo-pictures:{link.pk}:{revision.pk}"
    ids = cache.get(key)
    if ids is None:
        ids = {picture.pk for picture in release_pictures(revision.as_object())}
        cache.set(key, ids, 300)
    return ids


def may_see_restricted_picture(request, picture_id):
    if is_editor(request):
        return True
    tokens = held_tokens(request)
    if not tokens:
        return False
    links = EmbargoLink.objects.usable().filter(token__in=tokens).select_related("page")
    return any(picture_id in embargoed_picture_ids(link) for link in links)
