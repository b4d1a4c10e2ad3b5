"""Validation messages that name the problem: which block of the body, which
entity chosen twice, on which tab (issue #26 item 7).

Wagtail's own say "Validation error in StreamBlock" for any error inside the
body, and a duplicate row gets three messages from Django's formset (one of them
"Please correct the duplicate data for page and sector"); these replace them
with one message each that says where the problem is and what to do.
"""

from django.core.exceptions import NON_FIELD_ERRORS


def describe_stream_errors(form, name):
    """Reword the top-level error of the StreamField ``name``, keeping the error
    object (and so the per-block highlighting the field draws from it)."""
    errors = form.errors.get(name)
    if not errors:
        return
    field = form.fields[name]
    raw = form[name].data
    for error in errors.as_data():
        block_errors = getattr(error, "block_errors", None)
        if not block_errors:
            continue
        parts = []
        for index in sorted(block_errors):
            label = block_label(field, raw, index)
            parts.append(
                f"block {index + 1} ({label}): {child_messages(block_errors[index])}"
            )
        error.message = f"{len(parts)} block{'s' if len(parts) > 1 else ''} " + (
            "need attention — " + "; ".join(parts)
        )
        error.params = None
    # ErrorList caches nothing, but the form's error dict holds the same objects.


def block_label(field, raw, index):
    try:
        block_type = raw[index].block_type
        return str(field.block.child_blocks[block_type].label)
    except (IndexError, KeyError, TypeError, AttributeError):
        return "block"


def child_messages(error):
    """ "Value: this field is required" for a struct block's fields, else its text."""
    children = getattr(error, "block_errors", None)
    if isinstance(children, dict) and children:
        return ", ".join(
            f"{name.replace('_', ' ')}: {child_messages(child).rstrip('.')}"
            for name, child in children.items()
        )
    if isinstance(children, (list, dict)) and children:
        return "; ".join(child_messages(child) for child in children)
    messages = getattr(error, "messages", None) or [str(error)]
    return " ".join(str(m) for m in messages if m)


def replace_duplicate_messages(formset, form, chosen, label):
    """One message on the repeated row instead of Django's two, and none on the
    formset (the page's own message names the entity and the tab)."""
    form._errors[NON_FIELD_ERRORS] = form.error_class(
        [f"{chosen} is already chosen above: remove this row."],
        error_class="nonfield",
    )
    duplicates = {
        str(formset.get_unique_error_message(check)) for check in unique_checks(formset)
    }
    formset._non_form_errors = formset.error_class(
        [e for e in formset.non_form_errors() if str(e) not in duplicates],
        error_class="nonform",
    )
    return f"{label}: {chosen} is listed twice; list it once."


def unique_checks(formset):
    model = formset.model
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", None)
        if fields:
            yield list(fields)
