"""Embargo previews: a journalist holding a link reads a scheduled release early."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from newsroom.channels.security import client_ip_address
from newsroom.models import EmbargoLink, EmbargoView


@never_cache
def embargo_preview(request, token):
    link = get_object_or_404(EmbargoLink.objects.select_related("page"), token=token)
    if not link.is_usable:
        raise Http404("This embargo link has expired or was revoked.")
    page = link.page.specific
    revision = page.scheduled_revision
    if revision is None:
        if page.live:
            # The embargo has lifted: the public page is the one to read.
            return redirect(page.url)
        raise Http404("This release is not scheduled for publication.")
    release = revision.as_object()
    EmbargoView.objects.create(
        link=link,
        ip_address=client_ip_address(request) or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
    )
    context = release.get_context(request)
    context.update(
        {
            "page": release,
            "self": release,
            "embargo_until": revision.approved_go_live_at,
            "noindex": True,
        }
    )
    response = TemplateResponse(request, release.get_template(request), context)
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "no-referrer"
    return response
