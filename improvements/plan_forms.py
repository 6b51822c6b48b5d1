"""The forms of the initiative's people and implementation plan (`improvements.plan`)."""

from django import forms

from i2i.forms import DateInput, PlainErrorsMixin
from improvements.models import (
    ImplementationMilestone,
    ImprovementInitiative,
    ServiceUserFeedback,
    TeamMember,
)
from participants.widgets import OrganisationChoiceField


class FeedbackForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = ServiceUserFeedback
        fields = ["question", "how_many", "summary", "collected_on"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "collected_on": DateInput(),
        }
        help_texts = {
            "question": "For example: “Did you know who would visit you after you went home?”",
            "summary": "What they said, in a few sentences; leave out names and anything that "
            "could identify them.",
        }


class TeamMemberForm(PlainErrorsMixin, forms.ModelForm):
    """The organisation is picked from the directory: it links the participant's
    organisation to the member's in the network."""

    class Meta:
        model = TeamMember
        fields = ["name", "role", "organisation"]
        field_classes = {"organisation": OrganisationChoiceField}
        help_texts = {"role": "For example: ward sister, carer, housing officer."}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = False
        self.fields["organisation"].help_text = "Leave empty for someone without one."


class MilestoneForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = ImplementationMilestone
        fields = ["title", "due_on", "status", "done_on"]
        widgets = {
            "due_on": DateInput(),
            "done_on": DateInput(),
            "status": forms.RadioSelect,
        }
        labels = {"due_on": "When it should be done by", "done_on": "When it was done"}
        help_texts = {"done_on": "Needed once the step is done."}


class EstimatesForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = ImprovementInitiative
        fields = [
            "estimated_cost",
            "estimated_money_saved",
            "estimated_hours_saved",
            "estimate_notes",
        ]
        widgets = {"estimate_notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "estimated_cost": "What the change costs to put in place, in pounds.",
            "estimate_notes": "For example: “8 calls a week fewer, 15 minutes each”.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("estimated_cost", "estimated_money_saved", "estimated_hours_saved"):
            self.fields[name].min_value = 0
            self.fields[name].validators.append(_not_negative)


def _not_negative(value):
    if value is not None and value < 0:
        raise forms.ValidationError("Enter an estimate of 0 or more")
