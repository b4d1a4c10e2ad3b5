"""Media contacts as readers receive them: vCards, the API's ``contacts``.

Which contacts are public: one that a published release names (readers see it
there), or a default contact of an organisation readers may know of
(``known_to_readers``: linked by a published release, or marked public). A
contact named only by drafts, scheduled, embargoed, private or withdrawn
releases is unknown: its vCard is a 404, as an unknown slug's is.
"""

import vobject
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.utils import translation
from rest_framework.fields import Field
from wagtail.models import Page

from newsroom import kinds
from newsroom.finder import entity_names
from newsroom.models import (
    MediaContact,
    NewsroomPage,
    OrganisationContact,
    PressReleasePage,
    ReleaseContact,
)
from newsroom.models.contacts import contacts_of
from newsroom.models.listed import known_to_readers


def public_contacts():
    published = PressReleasePage.objects.published(for_loading=True).values("pk")
    public_organisations = known_to_readers(kinds.get("organisation")).values("pk")
    return MediaContact.objects.filter(
        Q(
            Exists(
                ReleaseContact.objects.filter(
                    contact=OuterRef("pk"), page_id__in=published
                )
            )
        )
        | Q(
            Exists(
                OrganisationContact.objects.filter(
                    contact=OuterRef("pk"), organisation_id__in=public_organisations
                )
            )
        )
    )


def vcard_path(contact, code=None):
    """``/news/contacts/<slug>.vcf`` (``/id/news/...`` in Indonesian)."""
    return entity_names.in_language(f"/news/contacts/{contact.slug}.vcf", code)


def vcard_text(contact, code, photo_url=None):
    """The contact as an RFC 6350 vCard (version 4.0), its role and languages in
    ``code``; ``photo_url``, an absolute address of their photo, as PHOTO."""
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("fn").value = contact.name
    # N is structured (family; given; ...): one full name goes in whole as the
    # family part, since names here do not split reliably into given and family.
    card.add("n").value = vobject.vcard.Name(family=contact.name)
    role = contact.text("role", code)
    if role:
        card.add("title").value = role
    if contact.organisation is not None:
        card.add("org").value = [
            entity_names.localized_name(contact.organisation, code)
        ]
    if contact.phone:
        tel = card.add("tel")
        tel.value = f"tel:{contact.tel}"
        tel.params["VALUE"] = ["uri"]
        tel.params["TYPE"] = ["work", "voice"]
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.params["TYPE"] = ["work"]
    languages = contact.text("languages", code)
    if languages:
        card.add("note").value = f"{translation.gettext('Languages')}: {languages}"
    if photo_url:
        photo = card.add("photo")
        photo.value = photo_url
        photo.params["VALUE"] = ["uri"]
    card.add("lang").value = code
    card.add("uid").value = f"urn:newsroom:media-contact:{contact.pk}"
    return card.serialize()


def serve_vcard(request, path, slug):
    """``<newsroom path>contacts/<slug>.vcf`` for site/urls.py, ahead of
    Wagtail's catch-all (which serves only slash-terminated paths)."""
    newsroom = Page.find_for_request(request, path)
    route = getattr(request, "routable_resolver_match", None)
    if (
        not isinstance(newsroom, NewsroomPage)
        or route is None
        or route.url_name != "listing"
    ):
        raise Http404("No newsroom here.")
    return vcard(request, newsroom, slug)


def vcard(request, newsroom, slug):
    contact = (
        public_contacts()
        .filter(slug=slug)
        .select_related("organisation", "photo")
        .prefetch_related("translations__locale")
        .first()
    )
    if contact is None:
        raise Http404("No such media contact.")
    code = newsroom.locale.language_code
    photo_url = None
    if contact.photo_id:
        # A square crop an address book shows as it is; public once a contact
        # uses it (channels/pictures.py).
        rendition = contact.photo.get_rendition("fill-240x240")
        photo_url = request.build_absolute_uri(rendition.url)
    response = HttpResponse(
        vcard_text(contact, code, photo_url), content_type="text/vcard; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{contact.slug}.vcf"'
    return response


def contact_data(contact, code):
    """One contact as the API and ninjs show it."""
    return {
        "name": contact.name,
        "slug": contact.slug,
        "role": contact.text("role", code),
        "organisation": (
            entity_names.localized_name(contact.organisation, code)
            if contact.organisation
            else ""
        ),
        "phone": contact.phone,
        "email": contact.email,
        "languages": contact.text("languages", code),
        "vcard": vcard_path(contact, code),
    }


class ContactsField(Field):
    """The release's media contacts (its own, else its organisations')."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return contacts_of(instance)

    def to_representation(self, contacts):
        code = self.context.get("language") or translation.get_language()
        return [contact_data(contact, code) for contact in contacts]
