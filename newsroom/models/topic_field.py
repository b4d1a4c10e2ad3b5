"""The release form's topics: one entry per topic, separated by commas only.

taggit reads a typed value with its own rules: a value without a comma is split
on spaces, so "critical minerals" became two topics unless typed in double
quotes, and Wagtail's tag widget adds those quotes and shows them ("new ones
show with literal quotes", issue #26). Here a topic is whatever lies between two
commas, quotes or not, and the widget shows and sends plain names
(static/js/admin-topics.js keeps the chips free of quotes).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from wagtail.admin.widgets import AdminTagWidget

MAX_TOPIC_LENGTH = 100  # taggit's Tag.name


def split_topics(value):
    """The distinct topics of a typed value, in the order typed."""
    topics, seen = [], set()
    for part in (value or "").split(","):
        topic = " ".join(part.strip().strip('"').split())
        if topic and topic.casefold() not in seen:
            seen.add(topic.casefold())
            topics.append(topic)
    return topics


class TopicsWidget(AdminTagWidget):
    """Wagtail's tag widget under a controller of its own that adds no quotes,
    its value the names joined by commas."""

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = ", ".join(
                sorted((tag.name for tag in value), key=str.casefold)
            )  # fmt: skip
        return super(AdminTagWidget, self).format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        for key in list(widget_attrs):
            if key.startswith("data-w-tag-"):
                renamed = key.replace("data-w-tag-", "data-newsroom-topics-", 1)
                widget_attrs[renamed] = widget_attrs.pop(key)
        widget_attrs["data-controller"] = "newsroom-topics"
        context["widget"]["help_text"] = _(
            "Separate topics with commas; a topic may have several words."
        )
        return context


class TopicsField(TagField):
    widget = TopicsWidget

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        topics = split_topics(value)
        too_long = [t for t in topics if len(t) > MAX_TOPIC_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("A topic is at most %(limit)d characters: shorten “%(topic)s…”.")
                % {"limit": MAX_TOPIC_LENGTH, "topic": too_long[0][:40]}
            )
        return topics

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        if isinstance(initial, str):
            before = split_topics(initial)
        else:
            before = [getattr(tag, "name", tag) for tag in initial or ()]
        return sorted(before) != sorted(split_topics(data))


def use_topics_field(form, name="topics"):
    """Give ``form`` the topics field in place of taggit's, keeping its label,
    help text and the tag model its autocomplete reads."""
    field = form.fields.get(name)
    if field is None:
        return
    tag_model = getattr(field.widget, "tag_model", None)
    widget = TopicsWidget(tag_model=tag_model) if tag_model else TopicsWidget()
    form.fields[name] = TopicsField(
        required=field.required,
        label=field.label,
        help_text=field.help_text,
        widget=widget,
        initial=field.initial,
    )
