"""The two feedback forms (issue #20): short and optional for the participant, one comment for
the host person."""

from django import forms

from i2i.forms import PlainErrorsMixin
from placements import feedback
from placements.feedback import RATINGS
from placements.models import HostFeedback, ParticipantFeedback


class HostFeedbackForm(PlainErrorsMixin, forms.ModelForm):
    # Both optional, but one of them is needed to save (`feedback.host_feedback_give`).
    conditionally_required = frozenset({"rating"})

    rating = forms.TypedChoiceField(
        label="How was the placement overall?",
        choices=list(RATINGS.items()),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a rating from the list"},
    )

    class Meta:
        model = HostFeedback
        fields = ["rating", "comment"]
        labels = {"comment": "What went well, and what could be better"}
        help_texts = {
            "comment": "The programme manager reads it with other participants' feedback on "
            "this host; the host does not see it."
        }
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}


class ParticipantFeedbackForm(PlainErrorsMixin, forms.ModelForm):
    """The host person's feedback, pre-filled with what they gave before. An empty box is
    told to enter feedback for the visitor by name (`feedback.empty_feedback_message`)."""

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages["required"] = feedback.empty_feedback_message(
            placement, earlier=self.instance
        )

    class Meta:
        model = ParticipantFeedback
        fields = ["comment"]
        labels = {"comment": "Your feedback for the visitor"}
        help_texts = {
            "comment": "What went well, and one thing they could do differently. They read "
            "it on their placement page."
        }
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}
