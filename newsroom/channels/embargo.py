"""Embargo previews: a journalist holding a link reads a scheduled release early.

A link shows the scheduled release until the link expires (by default at the
release's go-live time) or is revoked. After that its holder is sent to the public
page once the release is out; until then they get a short page saying why the link
no longer works, never the release.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from newsroom.channels.reader_access import personal_mark, remember_token
from newsroom.channels.release_pdf import render_pdf
from newsroom.channels.security import client_ip_address
from newsroom.models import EmbargoLink, EmbargoView

# Seconds before the "being published" page asks again; the development scheduler
# (manage.py run_scheduler) wakes at the go-live time itself, cron within a minute.
PUBLISHING_RETRY_SECONDS = 10


def private(response):
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "no-referrer"  # the token stays out of Referer
    return response


def public_url(page):
    """The release's public address if anyone may read it there, else None."""
    if not page.live or page.get_view_restrictions().exists():
        return None
    return page.url


def link_unusable(request, reason, publishing=False):
    status = 503 if publishing else 410
    response = TemplateResponse(
        request,
        "newsroom/embargo_gone.html",
        {
            "reason": reason,
            "publishing": publishing,
            "retry_after": PUBLISHING_RETRY_SECONDS,
            "noindex": True,
        },
        status=status,
    )
    if publishing:
        response["Retry-After"] = str(PUBLISHING_RETRY_SECONDS)
    return private(response)


def embargoed(request, token, show, public_document=""):
    """``show(request, link, revision)`` while ``token``'s link is usable and its
    release scheduled; afterwards the public ``document`` of the release if it
    is out, else a page saying why the link no longer works."""
    link = get_object_or_404(
        EmbargoLink.objects.select_related("page", "journalist"), token=token
    )
    if link.revoked_at is not None:
        return link_unusable(request, "revoked")
    page = link.page.specific
    revision = page.scheduled_revision
    if link.is_usable and revision is not None:
        return show(request, link, revision)

    # The embargo is over for this holder: their link expired (usually at the
    # go-live time) or the release was published or unscheduled meanwhile.
    url = public_url(page)
    if url:
        return private(HttpResponseRedirect(url + public_document))
    if revision is not None and revision.approved_go_live_at <= timezone.now():
        # Due, but the scheduler has not run yet: the same moment, seconds apart.
        return link_unusable(request, "expired", publishing=True)
    return link_unusable(request, "unscheduled" if link.is_usable else "expired")


@never_cache
def embargo_preview(request, token):
    return embargoed(request, token, preview)


@never_cache
def embargo_pdf(request, token):
    """The holder's own PDF: the scheduled revision with the banner and their
    mark on every page. Never cached: each copy is personal and each open is
    logged. The press kit and ninjs stay public-only: they are made to be
    passed on, which an embargoed copy must not be."""
    return embargoed(request, token, personal_pdf, public_document="release.pdf")


def log_open(request, link, document=EmbargoView.Document.PAGE):
    EmbargoView.objects.create(
        link=link,
        document=document,
        ip_address=client_ip_address(request) or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
    )


def personal_pdf(request, link, revision):
    release = revision.as_object()
    log_open(request, link, EmbargoView.Document.PDF)
    embargo = {
        "until": revision.approved_go_live_at,
        "mark": personal_mark(link, release.locale.language_code),
    }
    response = HttpResponse(
        render_pdf(release, embargo), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{release.slug}-embargoed.pdf"'
    return private(response)


def preview(request, link, revision):
    release = revision.as_object()
    log_open(request, link)
    # /embargo/ has no language prefix: the copy is shown in the release's
    # language, as its public page will be.
    with translation.override(release.locale.language_code):
        context = release.get_context(request)
        context.update(
            {
                "page": release,
                "self": release,
                "embargo_until": revision.approved_go_live_at,
                "embargo_mark": personal_mark(link, release.locale.language_code),
                "embargo_pdf_url": f"{link.get_absolute_url()}release.pdf",
                "noindex": True,
            }
        )
        template = release.get_template(request)
        response = TemplateResponse(request, template, context).render()
    # The release's pictures and downloads open for this holder from now on.
    remember_token(request, response, link)
    return private(response)
