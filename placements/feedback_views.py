"""Feedback both ways (issue #20): the participant's on the host, the host person's on the
visitor, and the programme manager's page of one host's feedback. Each object through
`i2i.access` (404 outside scope, 403 when the role may not give it)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from i2i import access
from i2i.forms import add_service_errors
from placements import feedback
from placements.feedback_forms import HostFeedbackForm, ParticipantFeedbackForm
from placements.models import HostFeedback, ParticipantFeedback


def host_feedback(request, pk):
    """The participant's feedback on the host of a completed placement."""
    placement = get_object_or_404(access.visible_placements(request.user), pk=pk)
    if not access.can_give_host_feedback(request.user, placement):
        raise PermissionDenied("Participants give feedback on completed placements' hosts.")
    form = HostFeedbackForm(
        request.POST or None, instance=HostFeedback.objects.filter(placement=placement).first()
    )
    if request.method == "POST" and form.is_valid():
        try:
            feedback.host_feedback_give(
                placement=placement,
                by=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Thank you: your feedback on {placement.organisation} saved."
            )
            return redirect("placement_detail", pk=placement.pk)
    return render(
        request, "placements/feedback/host_feedback.html", {"form": form, "placement": placement}
    )


def participant_feedback(request, pk):
    """A host person's feedback for the visitor, at a placement with their organisation: the
    form holds what they gave before; "Remove your feedback" takes it away."""
    placement = get_object_or_404(access.hosted_placements(request.user), pk=pk)
    if not access.can_give_participant_feedback(request.user, placement):
        raise PermissionDenied("Feedback for the visitor opens once the placement is complete.")
    earlier = ParticipantFeedback.objects.filter(placement=placement).first()
    visitor = placement.participant.user
    if request.method == "POST" and earlier and request.POST.get("remove"):
        feedback.participant_feedback_remove(placement=placement, by=request.user)
        messages.success(request, f"Your feedback for {visitor} is removed.")
        return redirect("host_visits", pk=placement.organisation_id)
    form = ParticipantFeedbackForm(request.POST or None, instance=earlier, placement=placement)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.participant_feedback_give(
                placement=placement, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Thank you: your feedback for {visitor} is saved.")
            return redirect("host_visits", pk=placement.organisation_id)
    return render(
        request,
        "placements/feedback/participant_feedback.html",
        {"form": form, "placement": placement, "earlier": earlier},
    )


def organisation_host_feedback(request, pk):
    """The programme manager's page of what participants said about one host."""
    organisation = get_object_or_404(access.visible_organisations(request.user), pk=pk)
    if not access.can_read_host_feedback(request.user):
        raise PermissionDenied("The programme manager reads feedback on hosts.")
    return render(
        request,
        "placements/feedback/organisation.html",
        {"organisation": organisation, "summary": feedback.host_feedback_summary(organisation)},
    )
