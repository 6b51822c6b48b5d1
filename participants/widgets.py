"""The organisation picker: a <select> of the directory that `static/js/organisation-picker.js`
turns into one accessible autocomplete (alphagov's accessible-autocomplete, vendored in
`static/vendor/`). Without JavaScript the <select> works on its own."""

from django import forms

from participants.models import Organisation


def organisation_label(organisation: Organisation) -> str:
    """The option's text, which is also what the autocomplete matches what is typed against:
    the sector and town tell apart organisations with similar names."""
    where = ", ".join(filter(None, [organisation.get_sector_display(), organisation.town]))
    return f"{organisation.name} ({where})" if where else organisation.name


class OrganisationSelect(forms.Select):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-module": "organisation-picker", **(attrs or {})}, choices)


class OrganisationChoiceField(forms.ModelChoiceField):
    """Pick one organisation from the directory (or the part of it the form is given)."""

    widget = OrganisationSelect

    def label_from_instance(self, obj: Organisation) -> str:
        return organisation_label(obj)
