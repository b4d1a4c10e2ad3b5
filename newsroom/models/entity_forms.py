"""The admin form every entity with a name and a slug shares."""

from django import forms
from django.core.exceptions import ValidationError
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


class TreeNodeForm(SlugFromNameForm):
    """Edits a treebeard node with a "parent" choice instead of raw path fields.

    Treebeard nodes must be created through ``add_root``/``add_child`` and re-parented
    through ``move``; a plain ``save()`` would write an invalid path.
    """

    parent = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text="Leave empty for a top-level entry.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        field = self.fields["parent"]
        field.queryset = model.objects.order_by("path")
        field.label_from_instance = lambda node: node.indented_name
        if self.instance.pk and not self.is_bound:
            self.initial["parent"] = self.instance.get_parent()

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        node = self.instance
        if parent is not None and node.pk is not None:
            if parent.pk == node.pk or parent.path.startswith(node.path):
                raise ValidationError(
                    f"A {node._meta.verbose_name} cannot sit inside itself or one of "
                    "its own sub-entries."
                )
        return parent

    def save(self, commit=True):
        node = super().save(commit=False)
        parent = self.cleaned_data.get("parent")
        model = type(node)
        if node.pk is None:
            if parent is None:
                return model.add_root(instance=node)
            return parent.add_child(instance=node)
        node.save()
        if parent != node.get_parent(update=True):
            if parent is None:
                node.move(model.get_first_root_node(), "sorted-sibling")
            else:
                node.move(parent, "sorted-child")
            node.refresh_from_db()
        return node
