"""The admin form every entity with a name and a slug shares."""

from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminModelForm

from newsroom import kinds


class SlugFromNameForm(WagtailAdminModelForm):
    """A blank slug is made from the name before validation, so that a slug
    already taken is refused on the form, by name, instead of failing on save;
    its help names the entry's own page address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("slug")
        if field is None:
            return
        field.required = False
        example = kinds.of(self._meta.model).hub_path("name-of-the-entry")
        field.help_text = (
            "Leave blank to make it from the name. It is the last part of the "
            f"entry's page address, e.g. {example}, and of its filter links."
        )

    def clean(self):
        data = super().clean()
        if "slug" in self.fields and not data.get("slug") and data.get("name"):
            slug_field = self._meta.model._meta.get_field("slug")
            data["slug"] = slugify(data["name"], allow_unicode=True)[
                : slug_field.max_length
            ]
        return data
