"""The driver diagram's page: the outline to edit, and the diagram it draws."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from i2i import access
from i2i.forms import PlainErrorsMixin, add_service_errors
from improvements import driver_diagram, drivers


class OutlineForm(PlainErrorsMixin, forms.Form):
    outline = forms.CharField(
        label="Your driver diagram, as an outline",
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
        help_text="One line for each primary driver, then its secondary drivers two spaces "
        "in (or after “-”), then their change ideas four spaces in (or after “--”).",
        max_length=40_000,
        error_messages={
            "required": "Enter at least one primary driver",
            "max_length": "The outline must be %(limit_value)d characters or fewer (this has "
            "%(show_value)d)",
        },
    )

    def clean_outline(self):
        text = self.cleaned_data["outline"]
        try:
            driver_diagram.parse(text)
        except driver_diagram.OutlineError as error:
            raise ValidationError(str(error)) from None
        return text


EXAMPLE = """Staff know what to send
  A checklist on the referral form
    Test the checklist with one GP practice for a week
  Contact details kept up to date
Service users know what happens next
  A leaflet written with carers
    Two carers rewrite the leaflet and test it"""


def drivers_edit(request, participant_pk):
    """Write or change the driver diagram as an outline; the diagram as it stands beside."""
    initiative = get_object_or_404(
        access.visible_initiatives(request.user), participant_id=participant_pk
    )
    if not access.can_lead_initiative(request.user, initiative.participant):
        raise PermissionDenied("Participants lead their own improvement initiative.")
    diagram = drivers.diagram(initiative)
    form = OutlineForm(request.POST or None, initial={"outline": diagram.outline})
    if request.method == "POST" and form.is_valid():
        try:
            drivers.drivers_save(
                initiative=initiative, by=request.user, text=form.cleaned_data["outline"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Driver diagram saved.")
            return redirect(reverse("initiative_detail", args=[participant_pk]) + "#drivers")
    return render(
        request,
        "improvements/drivers_form.html",
        {
            "form": form,
            "initiative": initiative,
            "participant": initiative.participant,
            "diagram": diagram,
            "example": EXAMPLE,
        },
    )
