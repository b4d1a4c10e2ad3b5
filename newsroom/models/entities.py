"""What every kind of entity (newsroom/kinds.py) shares, written once."""

from django.utils.text import slugify

from newsroom import kinds
from newsroom.models.translations import check_canonical_slug


class Entity:
    """An official, organisation, sector, region or topic: its hub URL comes from
    its kind, and its own slug may not take one a translation already uses."""

    def clean(self):
        super().clean()
        check_canonical_slug(self)

    def get_absolute_url(self):
        return kinds.of(self).hub_path(self.slug)


class SlugFromName:
    """A blank slug is made from the name on save (topics have taggit's own)."""

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)
        super().save(*args, **kwargs)
