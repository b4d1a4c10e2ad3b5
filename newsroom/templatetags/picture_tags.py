from django import template
from django.utils.translation import get_language

from newsroom.channels.pictures import media_items

register = template.Library()


@register.simple_tag
def release_media(page):
    """The Media section's pictures of ``page``, captions in the active language."""
    return media_items(page, get_language())
