"""The forms of the concerns route: raising one, and the programme manager's steps."""

from django import forms

from i2i.forms import PlainErrorsMixin
from placements.models import Concern


class ConcernForm(PlainErrorsMixin, forms.ModelForm):
    """What the concern is about, and what happened, in the raiser's words."""

    class Meta:
        model = Concern
        fields = ["kind", "description"]
        labels = {"kind": "What is the concern about?", "description": "What happened"}
        help_texts = {
            "description": "Say what you saw or were told, when and where. Write only what the "
            "programme manager needs to act."
        }
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
        }


class ConcernActionForm(PlainErrorsMixin, forms.Form):
    comment = forms.CharField(
        label="What you did",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example a call, a meeting or a referral, and what was agreed.",
    )


class ConcernCloseForm(PlainErrorsMixin, forms.Form):
    outcome = forms.CharField(
        label="How it was resolved",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConcernReopenForm(PlainErrorsMixin, forms.Form):
    comment = forms.CharField(
        label="Why you are reopening it",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
