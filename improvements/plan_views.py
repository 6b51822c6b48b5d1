"""The initiative's people and implementation plan: service users' feedback, the team, the
milestones and the estimates (`improvements.plan`). Each is led by the participant; everyone
who may see the initiative sees them on its page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from i2i import access
from i2i.forms import add_service_errors
from improvements import plan
from improvements.models import ImplementationMilestone, ServiceUserFeedback, TeamMember
from improvements.plan_forms import EstimatesForm, FeedbackForm, MilestoneForm, TeamMemberForm
from improvements.views import _initiative, _lead


def _form_page(request, initiative, form, save, heading, button, success):
    """Show the form; on a good POST, save through the service and go back to the page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("initiative_detail", participant_pk=initiative.participant_id)
    context = {
        "form": form,
        "initiative": initiative,
        "participant": initiative.participant,
        "heading": heading,
        "button": button,
    }
    return render(request, "improvements/_form_page.html", context)


def _owned(request, participant_pk):
    initiative = _initiative(request, participant_pk)
    _lead(request, initiative)
    return initiative


def feedback_create(request, participant_pk):
    initiative = _owned(request, participant_pk)
    return _form_page(
        request,
        initiative,
        FeedbackForm(request.POST or None),
        lambda data: plan.feedback_add(initiative=initiative, by=request.user, **data),
        "Add feedback from service users or patients",
        "Save feedback",
        "Feedback saved.",
    )


def team_member_create(request, participant_pk):
    initiative = _owned(request, participant_pk)
    organisations = access.visible_organisations(request.user).order_by("name")
    return _form_page(
        request,
        initiative,
        TeamMemberForm(request.POST or None, organisations=organisations),
        lambda data: plan.team_member_add(initiative=initiative, by=request.user, **data),
        "Add a team member",
        "Add team member",
        "Team member added.",
    )


def milestone_edit(request, participant_pk, pk=None):
    initiative = _owned(request, participant_pk)
    milestone = (
        get_object_or_404(ImplementationMilestone, pk=pk, initiative=initiative) if pk else None
    )
    return _form_page(
        request,
        initiative,
        MilestoneForm(request.POST or None, instance=milestone),
        lambda data: plan.milestone_save(
            initiative=initiative, by=request.user, milestone=milestone, **data
        ),
        f"Change “{milestone.title}”" if milestone else "Add a step to the implementation plan",
        "Save step",
        "Step saved.",
    )


def estimates_edit(request, participant_pk):
    initiative = _owned(request, participant_pk)
    return _form_page(
        request,
        initiative,
        EstimatesForm(request.POST or None, instance=initiative),
        lambda data: plan.estimates_save(initiative=initiative, by=request.user, **data),
        "Estimates of cost and of time or money saved",
        "Save estimates",
        "Estimates saved.",
    )


# Removing: a page of its own to confirm ------------------------------------------------------

REMOVABLE = {
    "feedback": (ServiceUserFeedback, plan.feedback_remove, "feedback", "Feedback removed."),
    "team": (TeamMember, plan.team_member_remove, "member", "Team member removed."),
    "milestone": (
        ImplementationMilestone,
        plan.milestone_remove,
        "milestone",
        "Step removed.",
    ),
}


def _remove(request, participant_pk, pk, kind):
    initiative = _owned(request, participant_pk)
    model, service, argument, success = REMOVABLE[kind]
    thing = get_object_or_404(model, pk=pk, initiative=initiative)
    if request.method == "POST":
        service(**{argument: thing}, by=request.user)
        messages.success(request, success)
        return redirect("initiative_detail", participant_pk=participant_pk)
    return render(
        request,
        "improvements/plan_remove.html",
        {"initiative": initiative, "participant": initiative.participant, "thing": thing},
    )


def feedback_remove(request, participant_pk, pk):
    return _remove(request, participant_pk, pk, "feedback")


def team_member_remove(request, participant_pk, pk):
    return _remove(request, participant_pk, pk, "team")


def milestone_remove(request, participant_pk, pk):
    return _remove(request, participant_pk, pk, "milestone")
