"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PlainErrorsMixin:
    """Error messages that say what to do ("Select the sector"), as GOV.UK and the NHS
    service manual ask, instead of Django's "This field is required."."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = str(field.label or name.replace("_", " ")).lower()
            choosing = isinstance(field.widget, forms.Select | forms.RadioSelect)
            if label.endswith("?"):
                field.error_messages["required"] = f"Answer “{label[0].upper()}{label[1:]}”"
            else:
                field.error_messages["required"] = (
                    f"Select the {label}" if choosing else f"Enter the {label}"
                )
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = (
                    f"Enter the {label} as a real date, for example 3 March 2027"
                )
            elif isinstance(field, forms.TimeField):
                field.error_messages["invalid"] = f"Enter the {label} as a time, for example 9:30am"
            elif isinstance(field, forms.URLField):
                field.error_messages["invalid"] = (
                    f"Enter the {label} as a web address, for example https://www.example.org"
                )


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it concerns (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
