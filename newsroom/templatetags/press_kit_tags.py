"""Media contacts, boilerplates and the PDF's page margins in templates."""

from django import template
from django.utils import translation

from newsroom.channels.contacts import vcard_path
from newsroom.channels.release_pdf import boilerplates_of
from newsroom.finder import entity_names

register = template.Library()


@register.filter
def contact_text(contact, field):
    """A contact's ``role`` or ``languages`` in the active language."""
    return contact.text(field, entity_names.language())


@register.filter
def contact_vcard(contact):
    return vcard_path(contact, translation.get_language())


@register.filter
def boilerplates(page):
    """(organisation, text) of the release's "about" texts, in the active
    language."""
    return boilerplates_of(page, entity_names.language())


@register.filter
def pdf_css_string(value):
    """``value`` inside a CSS string in the PDF's page margins: quotes,
    backslashes and line breaks escaped as CSS escapes, so a reference number
    or URL cannot end the string (autoescaping is HTML's, not CSS's)."""
    return "".join(
        f"\\{ord(ch):x} " if ch in "\"'\\<>&\n\r" or ord(ch) < 32 else ch
        for ch in str(value)
    )
