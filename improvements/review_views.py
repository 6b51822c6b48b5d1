"""The line manager's review of the implementation: the participant asks, the line manager
confirms "implemented and reviewed" or returns it with a comment (`improvements.review`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from i2i import access
from i2i.decisions import DecisionForm
from i2i.forms import add_service_errors
from improvements import review
from improvements.views import _context, _initiative, _lead

# What a comment is needed to give back (the review form's help text).
RETURNED = "the review"


def review_form(data=None) -> DecisionForm:
    """Prefixed: the agreement's decision form may be on the same page."""
    return DecisionForm(data, returned=RETURNED, prefix="review")


@require_POST
def review_ask(request, participant_pk):
    initiative = _initiative(request, participant_pk)
    _lead(request, initiative)
    try:
        review.review_ask(initiative=initiative, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Sent to your line manager to review.")
    return redirect("initiative_detail", participant_pk=participant_pk)


@require_POST
def review_decide(request, participant_pk):
    """Confirm or return; a refusal shows its reason next to the comment, keeping it."""
    initiative = _initiative(request, participant_pk)
    if not access.can_agree_initiative(request.user, initiative):
        raise PermissionDenied("Only the participant's line manager reviews the implementation.")
    form = review_form(request.POST)
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        confirming = request.POST.get("decision") == "confirm"
        service = review.review_confirm if confirming else review.review_return
        try:
            service(initiative=initiative, by=request.user, comment=comment)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Initiative confirmed implemented and reviewed."
                if confirming
                else "Review returned with your comments.",
            )
            return redirect("initiative_detail", participant_pk=participant_pk)
    initiative.refresh_from_db()
    return render(
        request,
        "improvements/initiative_detail.html",
        _context(request, initiative, review_form=form),
        status=400,
    )
