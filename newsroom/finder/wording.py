"""A filter in words: the one description every channel shows of a filter (feed
titles, alert emails, alert pages and reports), in the active language."""

from django.utils.formats import date_format
from django.utils.text import Truncator, get_text_list
from django.utils.translation import gettext as _

from newsroom import kinds
from newsroom.finder import entity_names

# The order the conditions read in: "on Nickel smelting about cobalt in North
# Maluku with Eko S.A. Cahyanto involving MIIT". Readers see it, so it is spelled
# out rather than taken from the registry; a test checks it names every kind.
READING_ORDER = ("sector", "topic", "region", "official", "organisation", "regulation")


def long_date(value):
    """25 September 2024, with the month named in the active language."""
    return date_format(value, "j F Y")


def quoted_search(words, length=None):
    """A reader's search words, cut to ``length`` characters: the only text a
    reader types, so never shown at any length where it could pass for ours."""
    return Truncator(words).chars(length) if length else words


def conditions(filterset, search_words=True, search_length=None):
    """The filterset's active filters as phrases ("on Nickel smelting", "in North
    Maluku", "from 1 January 2024 to 30 June 2024"); names of one kind are joined
    with "or", as they are OR-ed. Without ``search_words`` a search is only
    mentioned ("matching a search"), for text that must never carry a reader's
    words, such as an email's subject."""
    phrases = []
    for name in READING_ORDER:
        chosen = filterset.selected(name)
        if not chosen:
            continue
        names = get_text_list([entity_names.localized_name(e) for e in chosen], _("or"))
        phrase = kinds.get(name).phrase
        if name == "topic" and not filterset.selected("sector"):
            # "Releases on cobalt", but "Releases on Steel about cobalt".
            phrase = kinds.get("sector").phrase
        phrases.append(phrase % {"names": names})
    if filterset.query and search_words:
        words = quoted_search(filterset.query, search_length)
        phrases.append(_("matching “%(query)s”") % {"query": words})
    elif filterset.query:
        phrases.append(_("matching a search"))
    start, end = filterset.cleaned("from"), filterset.cleaned("to")
    if start:
        phrases.append(_("from %(date)s") % {"date": long_date(start)})
    if end:
        phrase = _("to %(date)s") if start else _("until %(date)s")
        phrases.append(phrase % {"date": long_date(end)})
    return phrases


def describe(filterset, events=False, **options):
    """The filter as a title: "Releases on Nickel smelting in North Maluku", or
    "All releases"; with ``events``, of the agenda's events ("Events on ...").
    ``options`` as for :func:`conditions`."""
    phrases = conditions(filterset, **options)
    if events:
        if not phrases:
            return _("All events")
        return _("Events %(conditions)s") % {"conditions": " ".join(phrases)}
    if not phrases:
        return _("All releases")
    return _("Releases %(conditions)s") % {"conditions": " ".join(phrases)}
