"""Thin views of email alerts: subscribe, confirm, manage, unsubscribe.

None of them is cached, and none tells whether an address subscribes: the
subscribe form answers the same for every address, and the other pages need a
signed link only the address's owner received.
"""

import hashlib
import logging

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from newsroom.alerts import criteria, subscribing, tasks, tokens
from newsroom.channels.security import client_ip_address
from newsroom.models import AlertFilter, AlertSubscription

logger = logging.getLogger(__name__)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=AlertSubscription.Frequency.choices,
        initial=AlertSubscription.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    filter = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class FrequencyForm(forms.Form):
    subscription = forms.IntegerField()
    frequency = forms.ChoiceField(choices=AlertSubscription.Frequency.choices)


def private(response):
    """Pages reached through a signed link: the link must not leak onwards."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _count(kind, identity, limit, window):
    key = (
        f"newsroom:alerts:rate:{kind}:" + hashlib.sha256(identity.encode()).hexdigest()
    )
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return limit < 1
    if count is None:
        # The cache is down (django-redis answers None when it ignores the
        # error): nothing can be counted, and refusing every reader for it
        # would take the alert form down with the cache.
        logger.warning("Alert rate limits not counted: the cache is unavailable")
        return False
    return count > limit


def rate_limited(request, email=None):
    """Count an attempt from this client (and for this address); True when
    either has made too many within its window."""
    limits = settings.NEWSROOM_ALERTS_RATE_LIMITS
    over = _count("ip", client_ip_address(request) or "unknown", *limits["ip"])
    if email:
        identity = tokens.rate_limit_identity(email)
        over = _count("address", identity, *limits["address"]) or over
    return over


def too_many(request):
    window = max(window for _, window in settings.NEWSROOM_ALERTS_RATE_LIMITS.values())
    response = TemplateResponse(
        request,
        "newsroom/alerts/rate_limited.html",
        {"noindex": True, "retry_minutes": window // 60},
        status=429,
    )
    response["Retry-After"] = str(window)
    return response


def link_invalid(request):
    return private(
        TemplateResponse(
            request, "newsroom/alerts/link_invalid.html", {"noindex": True}, status=400
        )
    )


INVALID_FILTER = _(
    "This filter names something that cannot be followed (it does not exist, or "
    "no longer does). Choose the filter again on the list of releases."
)


def _filter_of(data):
    """(the canonical query, whether the given filter was invalid)."""
    try:
        return criteria.canonical_query(data, strict=True), False
    except criteria.InvalidFilter:
        return criteria.canonical_query(data), True


@never_cache
def subscribe(request):
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        query, invalid = _filter_of(QueryDict(request.POST.get("filter", "")))
        if len(query) > AlertFilter._meta.get_field("query").max_length:
            form.add_error(None, _("This filter is too long to follow; remove some."))
        if not invalid and form.is_valid():
            email = tokens.normalise_email(form.cleaned_data["email"])
            if rate_limited(request, email):
                return too_many(request)
            tasks.request_subscription(
                email, query, form.cleaned_data["frequency"], get_language()
            )
            return redirect("alerts_subscribe_sent")
        if rate_limited(request):
            return too_many(request)
    else:
        query, invalid = _filter_of(request.GET)
        # An invalid filter is carried as given, so that the form refuses it
        # again when sent instead of following what is left of it.
        given = request.GET.urlencode() if invalid else query
        form = SubscribeForm(initial={"filter": given})
    context = {
        "form": form,
        "description": criteria.describe_filter(query),
        "listing_url": tokens.listing_path(query),
        "filter_error": INVALID_FILTER if invalid else "",
        "noindex": True,
    }
    return TemplateResponse(request, "newsroom/alerts/subscribe.html", context)


@never_cache
def subscribe_sent(request):
    """The one answer to every valid subscribe request."""
    return TemplateResponse(
        request,
        "newsroom/alerts/subscribe_sent.html",
        {
            "noindex": True,
            "max_age_days": settings.NEWSROOM_ALERTS_CONFIRM_MAX_AGE // 86400,
        },
    )


@never_cache
def confirm(request, token):
    """GET shows a button, POST confirms: link scanners in mail systems open
    links, and must not subscribe anybody."""
    payload = tokens.read_confirm_token(token)
    if payload is None:
        return link_invalid(request)
    context = {
        "description": criteria.describe_filter(payload["q"]),
        "frequency_label": AlertSubscription.Frequency(payload["f"]).label,
        "email": payload["e"],
        "noindex": True,
    }
    template = "newsroom/alerts/confirm.html"
    if request.method == "POST":
        try:
            subscription, created = subscribing.confirm_subscription(payload)
        except criteria.InvalidFilter:
            return link_invalid(request)
        context.update(
            confirmed=True,
            created=created,
            manage_url=reverse(
                "alerts_manage", args=[tokens.manage_token(subscription.email)]
            ),
        )
        template = "newsroom/alerts/confirmed.html"
    return private(TemplateResponse(request, template, context))


@never_cache
def manage(request, token):
    email = tokens.read_manage_token(token)
    if email is None:
        return link_invalid(request)
    subscriptions = AlertSubscription.objects.filter(email=email).select_related(
        "filter"
    )
    if request.method == "POST":
        action = request.POST.get("action")
        done = ""
        if action == "delete_all":
            subscriptions.delete()
            done = "deleted_all"
        elif action == "delete":
            form = FrequencyForm(request.POST)
            form.is_valid()
            chosen = form.cleaned_data.get("subscription")
            deleted = chosen and subscriptions.filter(pk=chosen).delete()[0]
            done = "deleted" if deleted else ""
        elif action == "frequency":
            form = FrequencyForm(request.POST)
            if form.is_valid():
                subscriptions.filter(pk=form.cleaned_data["subscription"]).update(
                    frequency=form.cleaned_data["frequency"]
                )
                done = "changed"
        url = reverse("alerts_manage", args=[token])
        return redirect(f"{url}?done={done}" if done else url)
    rows = [
        {
            "subscription": subscription,
            "description": criteria.describe_filter(subscription.filter.query),
            "listing_url": subscription.filter.get_absolute_url(),
        }
        for subscription in subscriptions
    ]
    context = {
        "email": email,
        "rows": rows,
        "frequencies": AlertSubscription.Frequency.choices,
        "done": request.GET.get("done", ""),
        "noindex": True,
    }
    return private(TemplateResponse(request, "newsroom/alerts/manage.html", context))


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click", no token
@never_cache
def unsubscribe(request, token):
    """POST deletes the subscription (one click, from the mail client's button or
    this page); GET only shows the button, so link scanners delete nothing."""
    target = tokens.read_unsubscribe_token(token)
    if target is None:
        return link_invalid(request)
    pk, email = target
    subscription = (
        AlertSubscription.objects.filter(pk=pk, email=email)
        .select_related("filter")
        .first()
    )
    context = {"noindex": True, "manage_url": None}
    if subscription is not None:
        context["description"] = criteria.describe_filter(subscription.filter.query)
    if request.method == "POST":
        subscribing.unsubscribe(pk, email)
        if AlertSubscription.objects.filter(email=email).exists():
            context["manage_url"] = reverse(
                "alerts_manage", args=[tokens.manage_token(email)]
            )
        template = "newsroom/alerts/unsubscribed.html"
    elif subscription is None:
        template = "newsroom/alerts/unsubscribed.html"
    else:
        template = "newsroom/alerts/unsubscribe.html"
    return private(TemplateResponse(request, template, context))
