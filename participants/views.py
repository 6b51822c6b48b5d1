from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from evaluation.services import self_assessment_status
from i2i import access, rules
from i2i.forms import add_service_errors
from i2i.paging import paged, pagination
from participants import services
from participants.forms import CohortForm, MergeForm, OrganisationForm
from participants.models import Organisation, Sector
from placements.selectors import commitment_report, with_progress


def organisation_list(request):
    organisations = access.visible_organisations(request.user)
    query = request.GET.get("q", "").strip()
    sector = request.GET.get("sector", "")
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(town__icontains=query))
    if sector in Sector.values:
        organisations = organisations.filter(sector=sector)
    return render(
        request,
        "participants/organisation_list.html",
        {
            "organisations": organisations,
            "query": query,
            "sector": sector,
            "sectors": Sector.choices,
            "can_manage": access.can_manage_organisations(request.user),
        },
    )


def organisation_edit(request, pk=None):
    organisation = None
    if pk is not None:
        organisation = get_object_or_404(access.visible_organisations(request.user), pk=pk)
    if not access.can_manage_organisations(request.user):
        raise PermissionDenied("Only the programme manager can change the organisation directory.")
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organisation_save(
                organisation=form.save(commit=False), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("organisation_list")
    return render(
        request, "participants/organisation_form.html", {"form": form, "organisation": organisation}
    )


def cohort_list(request):
    cohorts = access.visible_cohorts(request.user).with_counts()
    return render(
        request,
        "participants/cohort_list.html",
        {"cohorts": cohorts, "can_manage": access.can_manage_cohorts(request.user)},
    )


def cohort_detail(request, pk):
    cohort = get_object_or_404(access.visible_cohorts(request.user), pk=pk)
    participants = (
        access.visible_participants(request.user)
        .filter(cohort=cohort)
        .select_related("user", "cohort", "organisation")
    )
    page = paged(participants, request.GET.get("page"))
    return render(
        request,
        "participants/cohort_detail.html",
        {
            "cohort": cohort,
            "participants": page.object_list,
            "pages": pagination(request, page, "page", "participants-heading"),
            "can_manage": access.can_manage_cohorts(request.user),
            "can_see_dashboard": access.can_see_dashboard(request.user),
        },
    )


def cohort_edit(request, pk=None):
    cohort = None
    if pk is not None:
        cohort = get_object_or_404(access.visible_cohorts(request.user), pk=pk)
    if not access.can_manage_cohorts(request.user):
        raise PermissionDenied("Only the programme manager can set up cohorts.")
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.cohort_save(cohort=form.save(commit=False), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("cohort_detail", pk=saved.pk)
    return render(request, "participants/cohort_form.html", {"form": form, "cohort": cohort})


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
        into = services.organisation_merge(
            duplicate=organisation, into=form.cleaned_data["into"], by=request.user
        )
        messages.success(request, f"Merged “{organisation.name}” into {into.name}.")
    else:
        services.organisation_confirm(organisation=organisation, by=request.user)
        messages.success(request, f"Added {organisation.name} to the directory.")
