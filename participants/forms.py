from django import forms

from i2i.forms import DateInput, OneRowChoiceField, PlainErrorsMixin, TimeInput
from participants.models import (
    Cohort,
    ExpressionOfInterest,
    Organisation,
    SharedContact,
    SponsorMeeting,
    WorkshopConsent,
)
from participants.widgets import OrganisationChoiceField


class SignupForm(PlainErrorsMixin, forms.Form):
    """allauth's sign-up asks for a name too, so that people see who they work with."""

    full_name = forms.CharField(
        max_length=150,
        label="Full name",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Enter your full name",
            "max_length": "Enter your full name in %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )

    # allauth builds its sign-up form on this one and adds these fields after it; worded
    # for the person signing up ("your email address", where the label says "Email").
    allauth_messages = {
        "email": {
            "required": "Enter your email address",
            "invalid": "Enter your email address in the right format, for example name@example.org",
        },
        "password1": {"required": "Enter a password"},
        "password2": {"required": "Enter the password again"},
    }

    def full_clean(self):
        for name, messages in self.allauth_messages.items():
            if name in self.fields:
                self.fields[name].error_messages.update(messages)
        super().full_clean()

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
            "workshop_agenda",
            # The milestones (`i2i.rules.Milestones`), the programme's defaults to start with.
            "first_placement_week",
            "three_placements_week",
            "outcomes_weeks_before",
            "half_days_week",
        ]
        widgets = {
            "programme_start": DateInput(),
            "briefing_date": DateInput(),
            "workshop_date": DateInput(),
            "eoi_opens": DateInput(),
            "eoi_closes": DateInput(),
            "briefing_time": TimeInput(),
            "workshop_time": TimeInput(),
            "workshop_agenda": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            # "Date" first, so that messages read "Enter the date Expressions of Interest
            # open as a real date" (the programme's term keeps its capitals).
            "eoi_opens": "Date Expressions of Interest open",
            "eoi_closes": "Date Expressions of Interest close",
        }
        help_texts = {
            "programme_start": "Placements must fall within six months of this date.",
        }

    MILESTONE_FIELDS = (
        "first_placement_week",
        "three_placements_week",
        "outcomes_weeks_before",
        "half_days_week",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.MILESTONE_FIELDS:
            field = self.fields[name]
            default = Cohort._meta.get_field(name).default
            # Empty is the programme's default, so a cohort set up without them has them.
            field.required = False
            field.widget.attrs.update({"min": 0 if name == "outcomes_weeks_before" else 1})
            field.help_text = " ".join(
                filter(None, [str(field.help_text), f"Empty: {default}, the programme's default."])
            )

    def clean(self):
        data = super().clean()
        for name in self.MILESTONE_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = Cohort._meta.get_field(name).default
        return data

    def cohort_fields(self):
        return [field for field in self if field.name not in self.MILESTONE_FIELDS]

    def milestone_fields(self):
        """Shown together under their own heading."""
        return [self[name] for name in self.MILESTONE_FIELDS]


class MergeForm(PlainErrorsMixin, forms.Form):
    """Confirm a proposed organisation, or merge it into one already in the directory."""

    organisation = OneRowChoiceField(queryset=Organisation.objects.none())
    into = OneRowChoiceField(
        queryset=Organisation.objects.none(), required=False, label="Organisation to merge into"
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


YES_NO = [(True, "Yes"), (False, "No")]


class EOIForm(PlainErrorsMixin, forms.ModelForm):
    """The Expression of Interest: every question of the leaflet's criteria, saved as a draft
    whatever is filled in, and checked in full on submission."""

    # Needed to submit (`participants.recruitment.REQUIRED`), not to save a draft: their
    # labels do not say "(optional)" (`i2i.forms.is_marked_optional`).
    conditionally_required = frozenset(
        {
            "profession",
            "job_title",
            "qualified_on",
            "performing_well",
            "last_appraisal_on",
            "aiming_senior",
            "why",
            "line_manager_email",
        }
    )

    performing_well = forms.TypedChoiceField(
        label=ExpressionOfInterest._meta.get_field("performing_well").verbose_name.capitalize(),
        choices=YES_NO,
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    aiming_senior = forms.TypedChoiceField(
        label=ExpressionOfInterest._meta.get_field("aiming_senior").verbose_name.capitalize(),
        choices=YES_NO,
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )

    class Meta:
        model = ExpressionOfInterest
        fields = [
            "profession",
            "registration_body",
            "registration_number",
            "job_title",
            "band",
            "qualified_on",
            "performing_well",
            "last_appraisal_on",
            "aiming_senior",
            "senior_role",
            "why",
            "discussed_with_line_manager",
            "line_manager_email",
        ]
        widgets = {
            "qualified_on": DateInput(),
            "last_appraisal_on": DateInput(),
            "why": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "qualified_on": "Date you qualified",
            "why": "Why do you want to take part?",
        }
        help_texts = {
            "qualified_on": "The leaflet asks for at least a year in role after qualifying.",
            "why": "What you hope to learn, and how it fits your role and career plans.",
        }


class SupportForm(PlainErrorsMixin, forms.Form):
    conditionally_required = frozenset({"comment"})  # "Needed if you cannot support it."
    comment = forms.CharField(
        label="Comment for the applicant and their education lead",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you cannot support it.",
    )


class DecisionForm(PlainErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("selected", "Selected"), ("not_selected", "Not selected")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NominateForm(PlainErrorsMixin, forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none())
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
    email = forms.EmailField(label="Their work email")
    note = forms.CharField(
        label="A note for them (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, cohorts, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["organisation"].queryset = organisations


class SponsorMeetingForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = SponsorMeeting
        fields = ["met_on", "notes"]
        widgets = {"met_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class SharedContactForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = SharedContact
        fields = ["organisation", "name", "role", "email", "phone", "note"]
        field_classes = {"organisation": OrganisationChoiceField}  # the directory's picker

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class WorkshopConsentForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = WorkshopConsent
        fields = ["include", "include_learning", "include_initiative", "include_ideas"]
