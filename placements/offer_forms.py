"""Forms for offers, the host's checks and the record of one check (issue #20)."""

from django import forms

from i2i.forms import DateInput, PlainErrorsMixin
from participants.models import Sector
from placements.models import ClearanceKind, PlacementOffer

VISITORS_MIN, VISITORS_MAX = 1, 100
VISITORS_MESSAGE = f"Enter a number of visitors a month from {VISITORS_MIN} to {VISITORS_MAX}"


class OfferForm(PlainErrorsMixin, forms.ModelForm):
    """One offer. The organisation is chosen when it is new, from those the user may publish
    for."""

    clearances = forms.MultipleChoiceField(
        label="Checks a visitor needs for this offer",
        choices=ClearanceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="On top of the checks the host needs of every visitor.",
    )

    visitors_per_month = forms.IntegerField(
        label="Visitors a month",
        min_value=VISITORS_MIN,
        max_value=VISITORS_MAX,
        initial=2,
        help_text="How many visitors can have half-days with you in one calendar month.",
        # One message whatever is wrong (empty, not a whole number, out of range): the
        # field's name and the numbers it takes, not Django's "Ensure this value is…".
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), VISITORS_MESSAGE
        ),
    )

    class Meta:
        model = PlacementOffer
        fields = [
            "organisation",
            "title",
            "description",
            "location",
            "who_you_meet",
            "clearances",
            "visitors_per_month",
            "is_published",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": "For example: A morning on the discharge team.",
            "location": "A site, ward or team base.",
            "who_you_meet": "Roles, teams or groups, not names.",
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            field = self.fields["organisation"]
            field.queryset = organisations
            field.label = "Host organisation"
            field.empty_label = "Choose an organisation"


class HostChecksForm(PlainErrorsMixin, forms.Form):
    clearances = forms.MultipleChoiceField(
        label="Checks every visitor needs",
        choices=ClearanceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each offer may add its own. The first half-day waits until all are recorded.",
    )


class ClearanceForm(PlainErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="Check", widget=forms.RadioSelect)
    confirmed_by_name = forms.CharField(
        label="Who confirmed it",
        max_length=150,
        help_text="The name of the person who saw the certificate or gave the induction.",
    )
    confirmed_on = forms.DateField(label="When it was confirmed", widget=DateInput())
    note = forms.CharField(
        label="Note",
        max_length=200,
        required=False,
        help_text="For example, the DBS certificate number's last four digits or the badge number.",
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, ClearanceKind(k).label) for k in kinds]


class OfferFilterForm(forms.Form):
    """The filter of the offers a participant chooses from."""

    sector = forms.ChoiceField(
        label="Sector", choices=[("", "All sectors"), *Sector.choices], required=False
    )
    host = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        required=False,
        empty_label="All organisations",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = organisations
