from django import template

from newsroom.blocks import format_figure

register = template.Library()


@register.filter
def key_figure(figure):
    """A key figure block value as printed: "USD 1.2 billion"."""
    return format_figure(figure["value"], figure["unit"], figure["is_currency"])


@register.simple_tag
def role_on_release(page, official):
    """The role ``official`` held on the release ``page``, as recorded on it."""
    links = page.release_officials.all() if hasattr(page, "release_officials") else []
    for link in links:
        if link.official_id == official.pk:
            return link.role
    return official.role_on(getattr(page, "release_date", None))
