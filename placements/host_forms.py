"""The host person's forms (`placements.host_views`) and the programme manager's form for
naming a host person: they check what was typed; `placements.hosting` enforces the rules."""

from django import forms

from i2i.forms import DateInput, PlainErrorsMixin
from placements.models import Session


class DeclineForm(PlainErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Why you cannot host this half-day",
        help_text="The visitor reads this, so they can plan another half-day.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you cannot host this half-day, so the visitor can plan again"
        },
    )


class ProposeForm(PlainErrorsMixin, forms.Form):
    date = forms.DateField(label="Date you propose", widget=DateInput())
    session = forms.ChoiceField(
        label="Morning or afternoon", choices=Session.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label="Message to the visitor",
        help_text="For example, why this time suits you better.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HostPersonForm(PlainErrorsMixin, forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        help_text="We email them how to sign in with a code: they need no password.",
        max_length=254,
    )
