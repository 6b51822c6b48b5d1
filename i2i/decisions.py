"""The line manager's decision on something submitted to them (learning outcomes, an
improvement initiative): agree, or give back with comments. One flow for both, so a line
manager on a phone gets the same behaviour everywhere."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from i2i.forms import PlainErrorsMixin, add_service_errors


class DecisionForm(PlainErrorsMixin, forms.Form):
    """The line manager's comment. `returned` names what a comment is needed to give back
    ("the outcomes", "the initiative"), so each panel's help text speaks of its own thing."""

    conditionally_required = frozenset({"comment"})  # needed to give something back

    comment = forms.CharField(
        label="Comments for the participant",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, returned: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = f"Needed if you return {returned}: say what to change."


def decide(
    request,
    subject,
    *,
    agree: Callable[[str], object],
    give_back: Callable[[str], object],
    agree_value: str,
    returned: str,
    notes: tuple[str, str],
    done_url: str,
    context: Callable[[DecisionForm], dict],
    panel: str,
    page: str,
):
    """htmx gets the decision panel back in place; without htmx, a redirect to `done_url`.
    A refused decision shows its reason next to the comment and keeps what was typed."""
    form = DecisionForm(request.POST, returned=returned)
    note = ""
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        agreeing = request.POST.get("decision") == agree_value
        try:
            (agree if agreeing else give_back)(comment)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            note = notes[0] if agreeing else notes[1]
            if not request.htmx:
                messages.success(request, note)
                return redirect(done_url)
            form = DecisionForm(returned=returned)
    subject.refresh_from_db()  # show the state the decision left, or the latest if refused
    data = context(form)
    data["note"] = note
    if request.htmx:
        return render(request, panel, data)
    return render(request, page, data, status=400)
