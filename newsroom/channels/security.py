"""Hardening: the Content-Security-Policy by area, and the client address for axes.

Readers' pages run no inline script and no inline style (their JSON-LD blocks are
data, which browsers never run), so they get the strict policy of
``CONTENT_SECURITY_POLICY``. The Wagtail admin still writes inline ``<script>``
elements (inline and multiple-chooser panels, date widgets, chooser widgets) and
``style`` attributes, so its pages get ``NEWSROOM_ADMIN_CSP`` instead; see the
settings for what it relaxes and why.

Previews of pages (Wagtail's "dummy" requests for a page's public URL) keep the
readers' policy, but may be framed by the admin.

Public pages carry no nonce on purpose: they are cached whole and shared between
readers (``newsroom.channels.page_cache``), and a nonce served twice is no nonce.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse


def admin_prefix():
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:  # an URLconf without the admin
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy under the admin's path.

    A view's own ``@csp``/``@csp_replace``/``@csp_update``/``@csp_exempt`` still
    applies on top, as django-csp documents: this only chooses the base policy.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        name = (
            "CONTENT_SECURITY_POLICY_REPORT_ONLY"
            if report_only
            else "CONTENT_SECURITY_POLICY"
        )
        if parts.config is not None or not getattr(settings, name, None):
            return parts  # a view's own policy, or this header is switched off
        if self.is_admin_request(request):
            parts.config = default_config(settings.NEWSROOM_ADMIN_CSP["DIRECTIVES"])
        elif getattr(request, "is_dummy", False):
            # Wagtail renders a preview by running a made-up request for the
            # page's public URL through the middleware, and the admin shows the
            # result in its preview panel's iframe: the readers' policy, framed
            # by the admin.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts

    @staticmethod
    def is_admin_request(request):
        prefix = admin_prefix()
        return bool(prefix) and request.path.startswith(prefix)


def client_ip_address(request):
    """The reader's address, for django-axes' lockouts (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``NEWSROOM_TRUSTED_PROXIES`` reverse proxies, each of which appends the
    address it received the request from to X-Forwarded-For, the client is that
    many entries from the right; anything further left is whatever the client
    claimed. With no proxy configured, REMOTE_ADDR.
    """
    hops = settings.NEWSROOM_TRUSTED_PROXIES
    if hops:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out sign-in gets (``AXES_LOCKOUT_CALLABLE``): a page, 429."""
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    return render(
        request,
        "newsroom/login_locked.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "username": get_client_username(request, credentials) or "",
            "minutes": round(cool_off.total_seconds() / 60) if cool_off else 0,
        },
        status=429,
    )
