from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from evaluation import follow_ups, services
from evaluation.forms import FollowUpForm, SelfAssessmentForm, item_forms
from evaluation.models import FollowUpMoment, Moment
from i2i import access
from i2i.forms import add_service_errors


def self_assessment(request, participant_pk, moment):
    """The participant answers at the start and at the end; answers are kept as given, and
    a second submission (from another tab, say) is refused in so many words."""
    if moment not in Moment.values:
        raise Http404("No such questionnaire.")
    participant = get_object_or_404(access.visible_participants(request.user), pk=participant_pk)
    if not access.can_answer_self_assessment(request.user, participant):
        raise PermissionDenied("Only the participant answers their self-assessment.")
    today = timezone.localdate()
    answered = services.answers_given(participant, moment)
    form = SelfAssessmentForm(services.items_for(participant.cohort), request.POST or None)
    if request.method == "POST" and answered is None and form.is_valid():
        try:
            services.submit_self_assessment(participant, moment, form.values(), today)
        except services.AlreadyAnswered:
            answered = services.answers_given(participant, moment)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: your answers are saved.")
            return redirect("participant_detail", pk=participant.pk)
    return render(
        request,
        "evaluation/self_assessment.html",
        {
            "participant": participant,
            "moment": Moment(moment),
            "form": form,
            "answered": answered,
            "not_saved": request.method == "POST" and answered is not None,
            "status": services.moment_status(
                participant, moment, today, answered.submitted_at if answered else None
            ),
            "why_closed": services.why_closed(participant, moment),
        },
    )


def cohort_for_evaluation(request, pk):
    """The cohort, if the user sees it (else 404) and evaluates the programme (else 403)."""
    cohort = get_object_or_404(access.visible_cohorts(request.user), pk=pk)
    if not access.can_see_evaluation(request.user):
        raise PermissionDenied("The programme manager evaluates the programme.")
    return cohort


def assessment_items(request, pk):
    """The programme manager rewords the questions before anyone answers."""
    cohort = cohort_for_evaluation(request, pk)
    items = services.items_for(cohort)
    frozen = services.items_frozen(cohort)
    forms = item_forms(items, request.POST or None)
    refused = False
    if request.method == "POST" and not frozen and all(form.is_valid() for form in forms):
        try:
            services.update_items(cohort, [form.save(commit=False) for form in forms])
        except ValidationError:
            # A participant answered first. The forms wrote the typed wording onto `items`:
            # read the questions as saved again, and show the wording apart, as not saved.
            refused, frozen, items = True, True, services.items_for(cohort)
        else:
            messages.success(request, "The questions are saved.")
            return redirect("assessment_items", pk=cohort.pk)
    return render(
        request,
        "evaluation/items.html",
        {"cohort": cohort, "forms": forms, "frozen": frozen, "items": items, "refused": refused},
    )


def follow_up(request, participant_pk, moment):
    """The participant answers the follow-up, 6 or 12 months after the workshop; before and
    after its eight weeks the page says when. Only they open it (others: 404)."""
    if moment not in FollowUpMoment.values:
        raise Http404("No such questionnaire.")
    participant = get_object_or_404(access.follow_up_participants(request.user), pk=participant_pk)
    today = timezone.localdate()
    answered = follow_ups.answers_given(participant, moment)
    window = follow_ups.window(participant.cohort, moment)
    is_open = window is not None and window.state(today) == "open"
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and is_open and answered is None and form.is_valid():
        try:
            follow_ups.follow_up_submit(
                participant=participant, moment=moment, answers=form.answers(), today=today
            )
        except follow_ups.AlreadyAnswered:
            answered = follow_ups.answers_given(participant, moment)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: your follow-up answers are saved.")
            return redirect("home")
    return render(
        request,
        "evaluation/follow_up.html",
        {
            "participant": participant,
            "moment": FollowUpMoment(moment),
            "form": form,
            "answered": answered,
            "not_saved": request.method == "POST" and answered is not None,
            "window": window,
            "is_open": is_open,
            "why_closed": follow_ups.why_closed(participant.cohort, moment, today),
        },
    )
