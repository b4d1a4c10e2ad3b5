"""Personal embargo links in the admin: sending a scheduled release to accredited
journalists, and who received and opened what.

Moderators only (and superusers): sending needs ``add_embargolink``, the report
``view_embargolink`` and ``view_journalist``, none of which Editors hold
(newsroom/editorial/press_office.py).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin.auth import permission_denied

from newsroom.alerts.embargo_mail import issue_links
from newsroom.alerts.tasks import queue_embargo_links
from newsroom.models import (
    EmbargoLink,
    EmbargoView,
    Journalist,
    PressReleasePage,
)
from newsroom.models.forms import scheduled_release_label, scheduled_releases

SEND_PERMISSIONS = ("newsroom.add_embargolink", "newsroom.view_journalist")
REPORT_PERMISSIONS = ("newsroom.view_embargolink", "newsroom.view_journalist")


def may_send(user):
    return user.has_perms(SEND_PERMISSIONS)


def may_see_recipients(user):
    return user.has_perms(REPORT_PERMISSIONS)


class SendForm(forms.Form):
    release = forms.TypedChoiceField(
        coerce=int,
        label="Scheduled release",
        error_messages={
            "invalid_choice": "Only a release scheduled for later can be sent."
        },
    )
    journalists = forms.ModelMultipleChoiceField(
        queryset=Journalist.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="Each gets a link of their own by email, in their language. "
        "Those already holding a working link to this release get no second one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = {
            release.pk: release
            for release in scheduled_releases(PressReleasePage.objects.all())
        }
        self.fields["release"].choices = [
            ("", "---------"),
            *((pk, scheduled_release_label(r)) for pk, r in self.offered.items()),
        ]

    def clean_release(self):
        pk = self.cleaned_data["release"]
        if pk not in self.offered:
            raise ValidationError("Only a release scheduled for later can be sent.")
        return self.offered[pk]


def send_view(request):
    if not may_send(request.user):
        return permission_denied(request)
    initial = {}
    if request.GET.get("release", "").isdigit():
        initial["release"] = int(request.GET["release"])
    form = SendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        release = form.cleaned_data["release"].specific
        try:
            ids, already = issue_and_queue(
                release, list(form.cleaned_data["journalists"]), request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{len(ids)} personal link(s) created and queued for email."
            )
            if already:
                messages.warning(
                    request,
                    "Already holding a working link, not sent again: "
                    + "; ".join(already),
                )
            return redirect(
                f"{reverse('newsroom_embargo_recipients')}?release={release.pk}"
            )
    return TemplateResponse(
        request,
        "newsroom/admin/embargo_send.html",
        {"form": form, "page_title": "Send embargoed copies"},
    )


def issue_and_queue(release, journalists, user):
    ids, already = issue_links(release, journalists, user)
    queue_embargo_links(ids)
    return ids, already


def recipients_view(request):
    """Per release: each recipient, whether their email went, each opening."""
    if not may_see_recipients(request.user):
        return permission_denied(request)
    releases = (
        PressReleasePage.objects.filter(embargo_links__isnull=False)
        .distinct()
        .order_by("-pk")
    )
    release = None
    links = []
    raw = request.GET.get("release", "")
    if raw:
        if not raw.isdigit():
            return TemplateResponse(
                request,
                "newsroom/admin/embargo_recipients.html",
                {"page_title": "Embargo recipients", "error": "No such release."},
                status=400,
            )
        release = PressReleasePage.objects.filter(pk=int(raw)).first()
        if release is None:
            return TemplateResponse(
                request,
                "newsroom/admin/embargo_recipients.html",
                {"page_title": "Embargo recipients", "error": "No such release."},
                status=404,
            )
        links = list(
            EmbargoLink.objects.filter(page=release)
            .select_related("journalist", "delivery")
            .prefetch_related(
                Prefetch(
                    "views",
                    queryset=EmbargoView.objects.order_by("viewed_at"),
                    to_attr="openings",
                )
            )
            .order_by("recipient", "pk")
        )
    return TemplateResponse(
        request,
        "newsroom/admin/embargo_recipients.html",
        {
            "page_title": "Embargo recipients",
            "releases": releases[:200],
            "release": release,
            "links": links,
            "may_send": may_send(request.user),
        },
    )


def admin_urls():
    return [
        path("newsroom/embargo/send/", send_view, name="newsroom_embargo_send"),
        path(
            "newsroom/embargo/recipients/",
            recipients_view,
            name="newsroom_embargo_recipients",
        ),
    ]
