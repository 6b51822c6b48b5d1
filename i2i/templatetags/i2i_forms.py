"""How a form's fields are labelled and its errors summarised, the GOV.UK and NHS way: the
optional fields say so ("(optional)") and no field carries an asterisk; a message about the
whole form is shown once, in the error summary, and links to the field it concerns.

Used by the project's crispy-forms templates (`templates/bootstrap5/`) and by
`templates/_error_summary.html`, so that every form follows it."""

from django import template

from i2i import forms as forms_helpers

register = template.Library()


@register.filter
def label_text(bound_field) -> str:
    """The field's label as shown: "Notes (optional)", or the label alone (no "*")."""
    return forms_helpers.label_text(bound_field)


@register.simple_tag
def mark_summarised(form) -> str:
    """Note that the page has shown this form's error summary, which lists the messages about
    the whole form; crispy-forms then leaves them out above the fields
    (`templates/bootstrap5/errors.html`) instead of showing them a second time."""
    if form is not None:
        form.error_summary_shown = True
    return ""


@register.filter
def non_field_errors_target(form) -> str:
    """The id of the field that the summary's messages about the whole form link to: the
    field the form names in `non_field_errors_field` (the sign-in form's email address), or
    nothing, when the message concerns no one field."""
    name = getattr(form, "non_field_errors_field", None)
    if not name or name not in getattr(form, "fields", {}):
        return ""
    bound = form[name]
    return bound.id_for_label or bound.auto_id or ""


@register.filter
def error_link(bound_field) -> str:
    """The id the error summary's link for a field goes to: the box, the first radio of a
    group, or the first part in error of a date typed in Day, Month and Year."""
    if isinstance(bound_field.field.widget, forms_helpers.DateInput):
        return forms_helpers.DateInput.first_in_error(bound_field)
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


@register.filter
def fieldset_describedby(bound_field) -> str:
    """What a fieldset's aria-describedby names: the hint and the error (Django's), and the
    date input's "For example, 27 3 2026" after the hint."""
    ids = (bound_field.aria_describedby or "").split()
    if isinstance(bound_field.field.widget, forms_helpers.DateInput) and bound_field.auto_id:
        ids.insert(1 if bound_field.help_text else 0, f"{bound_field.auto_id}-hint")
    return " ".join(ids)
