"""The demo's media contacts and organisations' boilerplates (demo/contacts.json).

Each contact is a default contact of its organisation, in the file's order, so
every demo release of the Ministry of Industry (or of ILMATE) shows its press
office; the Indonesian role, languages and boilerplate come as translations.
Idempotent: a second run changes nothing.
"""

import json

from django.db import transaction
from wagtail.models import Locale

from newsroom.loading.demo_site import DEMO_DIR, save_if_changed
from newsroom.loading.entities import find_or_create_organisation
from newsroom.models import (
    MediaContact,
    MediaContactTranslation,
    OrganisationContact,
    OrganisationTranslation,
)


def load_demo_contacts(code="id"):
    data = json.loads((DEMO_DIR / "contacts.json").read_text())
    locale = Locale.objects.get(language_code=code)
    with transaction.atomic():
        for name, texts in data["boilerplates"].items():
            organisation = find_or_create_organisation(name)
            save_if_changed(organisation, boilerplate=texts["en"])
            translation = OrganisationTranslation.objects.filter(
                entity=organisation, locale=locale
            ).first()
            if translation is not None:
                save_if_changed(translation, boilerplate=texts[code])
        positions = {}
        for entry in data["contacts"]:
            organisation = find_or_create_organisation(entry["organisation"])
            contact = MediaContact.objects.filter(slug=entry["slug"]).first()
            contact = contact or MediaContact(slug=entry["slug"])
            fields = {
                key: entry[key]
                for key in ("name", "role", "phone", "email", "languages")
            }
            save_if_changed(contact, organisation=organisation, **fields)
            row, _ = MediaContactTranslation.objects.get_or_create(
                contact=contact, locale=locale
            )
            save_if_changed(row, role=entry["role_id"], languages=entry["languages_id"])
            order = positions.setdefault(organisation.pk, 0)
            link, _ = OrganisationContact.objects.get_or_create(
                organisation=organisation,
                contact=contact,
                defaults={"sort_order": order},
            )
            save_if_changed(link, sort_order=order)
            positions[organisation.pk] = order + 1
