"""The forms of the initiative's people and implementation plan (`improvements.plan`)."""

from decimal import Decimal

from django import forms

from i2i.forms import DateInput, PlainErrorsMixin
from improvements.forms import limit_number
from improvements.models import (
    ImplementationMilestone,
    ImprovementInitiative,
    ServiceUserFeedback,
    TeamMember,
)
from participants.widgets import OrganisationChoiceField

# Feedback from more people than this is a survey's, not a modest initiative's (and a
# number typed by mistake).
MOST_ANSWERED = 100_000


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["how_many"]
        limit_number(
            field,
            what="how many people answered",
            largest=MOST_ANSWERED,
            smallest=1,
            too_small="Enter how many people answered, 1 or more",
            too_large=f"Enter how many people answered, up to {MOST_ANSWERED:,}",
        )


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
        for name, what, largest, money in (
            ("estimated_cost", "a cost", Decimal("99999999.99"), True),
            ("estimated_money_saved", "money saved", Decimal("99999999.99"), True),
            ("estimated_hours_saved", "hours saved", Decimal("999999.9"), False),
        ):
            limit_number(
                self.fields[name],
                what=what,
                largest=largest,
                smallest=0,
                money=money,
                too_small="Enter an estimate of 0 or more",
            )
