"""How the API writes a release's parts: names in the requested language, entity
references, key figures, topics, links to the hubs."""

from rest_framework import serializers
from rest_framework.fields import Field
from wagtail.api.utils import get_full_url

from newsroom.finder import entity_names
from newsroom.models.blocks import format_figure


class LocalizedField(Field):
    """An entity's name (or ``text``: bio, description) in the response's language
    (the serializer context's ``language``), English where it is not translated."""

    def __init__(self, text=None, **kwargs):
        self.text = text
        kwargs.setdefault("source", "*")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, entity):
        code = self.context.get("language")
        if self.text:
            return entity_names.localized_text(entity, self.text, code)
        return entity_names.localized_name(entity, code)


class SectorRefSerializer(serializers.Serializer):
    name = LocalizedField()
    slug = serializers.CharField()


class RegionRefSerializer(SectorRefSerializer):
    iso_code = serializers.CharField()
    kemendagri_code = serializers.CharField()


class OrganisationRefSerializer(SectorRefSerializer):
    acronym = serializers.CharField()


class RegulationRefSerializer(SectorRefSerializer):
    """A cited regulation: enough to tell which and whether it is in force."""

    type = serializers.CharField()
    number = serializers.CharField()
    year = serializers.IntegerField()
    title = LocalizedField(text="title")
    status = serializers.CharField()


class ReleaseOfficialSerializer(serializers.Serializer):
    name = LocalizedField(source="official")
    slug = serializers.CharField(source="official.slug")
    role = serializers.CharField()
    quoted = serializers.BooleanField()


class KeyFiguresField(Field):
    """The body's key figures, typed; ``value`` is a decimal string, as DRF does."""

    decimal = serializers.DecimalField(max_digits=None, decimal_places=2)

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance.key_figures()

    def to_representation(self, figures):
        return [
            {
                "label": figure["label"],
                "value": self.decimal.to_representation(figure["value"]),
                "unit": figure["unit"],
                "is_currency": bool(figure["is_currency"]),
                "formatted": format_figure(
                    figure["value"], figure["unit"], figure["is_currency"]
                ),
            }
            for figure in figures
        ]


class TopicsField(Field):
    """The release's topics by name, each as ``{"name", "slug"}``."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance.sorted_topics()

    def to_representation(self, value):
        code = self.context.get("language")
        return [
            {"name": entity_names.localized_name(topic, code), "slug": topic.slug}
            for topic in value
        ]


class EntityHtmlUrlField(Field):
    """The entity's hub page in the response's language, absolute."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, entity):
        url = entity_names.localized_url(entity, self.context.get("language"))
        return get_full_url(self.context["request"], url)


class ChainField(Field):
    """Regulations a regulation amends or revokes (or is amended or revoked by),
    as slugs."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, related):
        return sorted(regulation.slug for regulation in related.all())
