"""Admin forms that need more than the model gives them."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm


class TreeNodeForm(WagtailAdminModelForm):
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
