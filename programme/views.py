"""The pages that read across the apps: home, a participant's progress, the evaluation
report, proposed organisations (confirm or merge). Each is thin: `programme.home`,
`programme.progress`, `programme.evaluation_report` and `programme.merge` do the work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from evaluation.services import self_assessment_status
from evaluation.views import cohort_for_evaluation
from i2i import access, rules
from i2i.forms import add_service_errors
from i2i.jobs import job_start
from participants import services as participant_services
from participants.forms import MergeForm
from participants.models import Organisation
from programme import evaluation_report, merge
from programme.home import home_sections
from programme.progress import commitment_report, with_progress


def home(request):
    return render(request, "home.html", {"sections": home_sections(request.user)})


def participant_detail(request, pk):
    """The participant's progress: the same report for them and for everyone who supports them."""
    participants = with_progress(access.visible_participants(request.user)).annotate(
        improvement_title=F("improvement__title")
    )
    participant = get_object_or_404(participants, pk=pk)
    report = commitment_report(participant)
    progress = {row.placement_id: row for row in report.placements}
    return render(
        request,
        "participants/participant_detail.html",
        {
            "participant": participant,
            "report": report,
            "overall_meaning": rules.OVERALL_MEANINGS[report.overall],
            "placements": [
                {"placement": p, "progress": progress.get(p.pk)}
                for p in participant.placements.all()
            ],
            "is_self": access.is_the_participant(request.user, participant),
            "self_assessments": self_assessment_status(participant, timezone.localdate())
            if access.can_answer_self_assessment(request.user, participant)
            else None,
            "can_plan": access.can_plan_placements(request.user, participant),
            "can_read_accounts": access.can_read_accounts_of(request.user, participant),
            "is_sponsor": access.can_meet_as_sponsor(request.user, participant),
            # Erasing one's own records is for another programme manager (`erasable_people`).
            "can_erase": access.can_erase(request.user)
            and not access.is_the_participant(request.user, participant),
            "meetings": participant.sponsor_meetings.all(),
            "contacts": participant.shared_contacts.select_related("organisation"),
        },
    )


def organisations_proposed(request):
    """Organisations participants proposed: the programme manager confirms or merges each."""
    if not access.can_review_organisations(request.user):
        raise PermissionDenied("Only the programme manager reviews proposed organisations.")
    proposed = Organisation.objects.filter(is_confirmed=False).select_related("proposed_by")
    directory = Organisation.objects.filter(is_confirmed=True, is_active=True)
    if request.method == "POST":
        form = MergeForm(request.POST, proposed=proposed, directory=directory)
        try:
            if form.is_valid():
                _merge_or_confirm(request, form)
                return redirect("organisations_proposed")
        except ValidationError as error:
            add_service_errors(form, error)
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return render(
        request,
        "participants/organisations_proposed.html",
        {"proposed": proposed, "directory": directory},
    )


def _merge_or_confirm(request, form) -> None:
    organisation = form.cleaned_data["organisation"]
    if form.cleaned_data["action"] == "merge":
        into = merge.organisation_merge(
            duplicate=organisation, into=form.cleaned_data["into"], by=request.user
        )
        messages.success(request, f"Merged “{organisation.name}” into {into.name}.")
    else:
        participant_services.organisation_confirm(organisation=organisation, by=request.user)
        messages.success(request, f"Added {organisation.name} to the directory.")


def cohort_evaluation(request, pk):
    cohort = cohort_for_evaluation(request, pk)
    reports = access.visible_jobs(request.user).filter(
        kind="evaluation_report", params__cohort_id=cohort.pk
    )
    return render(
        request,
        "evaluation/cohort.html",
        {
            "evaluation": evaluation_report.cohort_evaluation(cohort, timezone.localdate()),
            "reports": reports.select_related("owner")[:5],
        },
    )


@require_POST
def cohort_evaluation_pdf(request, pk):
    cohort = cohort_for_evaluation(request, pk)
    job = job_start(
        kind="evaluation_report",
        params={"cohort_id": cohort.pk},
        owner=request.user,
        title=f"Evaluation report: {cohort.name}",
    )
    return redirect("job_detail", pk=job.pk)


def across_cohorts(request):
    if not access.can_see_evaluation(request.user):
        raise PermissionDenied("The programme manager evaluates the programme.")
    cohorts = list(access.visible_cohorts(request.user))
    return render(
        request,
        "evaluation/across.html",
        {"across": evaluation_report.across_cohorts(cohorts, timezone.localdate())},
    )
