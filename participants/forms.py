from django import forms

from i2i.forms import DateInput, PlainErrorsMixin, TimeInput
from participants.models import Cohort, Organisation


class SignupForm(forms.Form):
    """allauth's sign-up asks for a name too, so that people see who they work with."""

    full_name = forms.CharField(
        max_length=150, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class OrganisationForm(PlainErrorsMixin, forms.ModelForm):
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Organisation
        fields = ["name", "sector", "is_partner", "town", "website", "is_active"]


class CohortForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "name",
            "status",
            "programme_start",
            "briefing_date",
            "briefing_time",
            "briefing_place",
            "workshop_date",
            "workshop_time",
            "workshop_place",
            "eoi_opens",
            "eoi_closes",
        ]
        widgets = {
            "programme_start": DateInput(),
            "briefing_date": DateInput(),
            "workshop_date": DateInput(),
            "eoi_opens": DateInput(),
            "eoi_closes": DateInput(),
            "briefing_time": TimeInput(),
            "workshop_time": TimeInput(),
        }
        help_texts = {
            "programme_start": "Placements must fall within six months of this date.",
        }


class MergeForm(forms.Form):
    """Confirm a proposed organisation, or merge it into one already in the directory."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
    into = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label="Merge into"
    )
    action = forms.ChoiceField(choices=[("confirm", "Confirm"), ("merge", "Merge")])

    def __init__(self, *args, proposed, directory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = proposed
        self.fields["into"].queryset = directory

    def clean(self):
        data = super().clean()
        if data.get("action") == "merge" and not data.get("into"):
            self.add_error("into", "Choose the directory entry this organisation duplicates.")
        return data
