"""The optional equality monitoring step's form (`participants.equality`)."""

from django import forms

from i2i.forms import PlainErrorsMixin
from participants.equality import FIELDS
from participants.models import EqualityMonitoring


class EqualityMonitoringForm(PlainErrorsMixin, forms.ModelForm):
    """Every question optional, each with "Prefer not to say"."""

    class Meta:
        model = EqualityMonitoring
        fields = FIELDS
        widgets = dict.fromkeys(FIELDS, forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.label = str(field.label)[:1].upper() + str(field.label)[1:]
