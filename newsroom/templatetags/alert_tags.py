from django import template
from django.urls import reverse

from newsroom.alerts import criteria

register = template.Library()


@register.simple_tag(takes_context=True)
def alert_subscribe_url(context):
    """The subscribe page for the listing's (or hub's) current filter, normalised:
    a hub counts as its entity's filter, as /news/?sector=x is the sector x hub."""
    url = reverse("alerts_subscribe")
    filterset = context.get("filterset")
    if filterset is None:
        return url
    query = criteria.canonical_query_of(filterset, context.get("entity"))
    return f"{url}?{query}" if query else url
