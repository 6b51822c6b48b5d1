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
from i2i.templatetags.i2i_reader import reader_of_participant
from participants import services as participant_services
from participants.forms import MergeForm
from participants.models import Organisation
from programme import evaluation_jobs, evaluation_report, merge, participant_page
from programme.home import home_sections
from programme.progress import commitment_report, with_progress


def home(request):
    return render(request, "home.html", {"sections": home_sections(request.user)})


def participant_detail(request, pk):
    """The participant's progress: the same report for them and for everyone who supports them,
    read top-down: where they stand and what to do next, the commitments, the placements, the
    improvement initiative, the self-assessment, and last the people to contact."""
    participants = participant_page.with_review(
        with_progress(access.visible_participants(request.user)).annotate(
            improvement_title=F("improvement__title")
        ),
        request.user,
    )
    participant = get_object_or_404(participants, pk=pk)
    report = commitment_report(participant)
    progress = {row.placement_id: row for row in report.placements}
    placements = list(participant.placements.all())
    is_self = access.is_the_participant(request.user, participant)
    can_plan = access.can_plan_placements(request.user, participant)
    can_read_accounts = access.can_read_accounts_of(request.user, participant)
    return render(
        request,
        "participants/participant_detail.html",
        {
            "participant": participant,
            "report": report,
            "overall_meaning": rules.OVERALL_MEANINGS[report.overall],
            "time_left": participant_page.time_left(report),
            "next_steps": participant_page.next_steps(
                report,
                participant,
                placements,
                is_self=is_self,
                can_plan=can_plan,
                can_read_accounts=can_read_accounts,
            ),
            "notes": participant_page.guidance(report, placements),
            "review": participant_page.mid_programme_review(
                participant, is_self=is_self, today=timezone.localdate()
            ),
            "placements": [{"placement": p, "progress": progress.get(p.pk)} for p in placements],
            "is_self": is_self,
            # Who reads: the page's words address them (`i2i_reader`).
            "reader": reader_of_participant(request.user, participant),
            "name": "" if is_self else participant.user.get_short_name(),
            "self_assessments": self_assessment_status(participant, timezone.localdate())
            if access.can_answer_self_assessment(request.user, participant)
            else None,
            "can_plan": can_plan,
            "can_read_accounts": can_read_accounts,
            "is_sponsor": access.can_meet_as_sponsor(request.user, participant),
            # Erasing one's own records is for another programme manager (`erasable_people`).
            "can_erase": access.can_erase(request.user) and not is_self,
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
    """The report in sections, with a contents list (the PDF's chapters); "Nothing to report
    yet", and no PDF to make, for a cohort without any figures."""
    cohort = cohort_for_evaluation(request, pk)
    today = timezone.localdate()
    reports = access.visible_jobs(request.user).filter(
        kind="evaluation_report", params__cohort_id=cohort.pk
    )
    return render(
        request,
        "evaluation/cohort.html",
        {
            "evaluation": evaluation_report.cohort_evaluation(cohort, today),
            "contents": evaluation_jobs.CHAPTERS,
            "today": today,
            "reports": reports.select_related("owner")[:5],
        },
    )


@require_POST
def cohort_evaluation_pdf(request, pk):
    cohort = cohort_for_evaluation(request, pk)
    if not evaluation_report.cohort_evaluation(cohort, timezone.localdate()).has_data:
        # The page offers no button then; a form left open in another tab still lands here.
        messages.info(
            request,
            f"There is nothing to report on {cohort.name} yet, so no PDF was made. The "
            "report fills in as participants answer the self-assessment, complete half-days "
            "and start their improvement initiatives.",
        )
        return redirect("cohort_evaluation", pk=cohort.pk)
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
