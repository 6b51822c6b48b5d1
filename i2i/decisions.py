"""The line manager's decision on something submitted to them (learning outcomes, an
improvement initiative): agree, or give back with comments. One flow for both, so a line
manager on a phone gets the same behaviour everywhere."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from i2i.forms import add_service_errors
from placements.forms import DecisionForm


def decide(
    request,
    subject,
    *,
    agree: Callable[[str], object],
    give_back: Callable[[str], object],
    agree_value: str,
    notes: tuple[str, str],
    done_url: str,
    context: Callable[[DecisionForm], dict],
    panel: str,
    page: str,
):
    """htmx gets the decision panel back in place; without htmx, a redirect to `done_url`.
    A refused decision shows its reason next to the comment and keeps what was typed."""
    form = DecisionForm(request.POST)
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
            form = DecisionForm()
    subject.refresh_from_db()  # show the state the decision left, or the latest if refused
    data = context(form)
    data["note"] = note
    if request.htmx:
        return render(request, panel, data)
    return render(request, page, data, status=400)
