from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from i2i import access
from i2i.forms import add_service_errors
from i2i.paging import paged, pagination
from participants import services
from participants.cohort_page import cohort_actions, cohort_milestones
from participants.forms import CohortForm, OrganisationForm
from participants.models import Sector


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
    """The cohort's dates once, the action its stage asks for, the other actions as links, and
    its participants (the table leaves out the cohort's name and window: they are above)."""
    cohort = get_object_or_404(access.visible_cohorts(request.user), pk=pk)
    participants = (
        access.visible_participants(request.user)
        .filter(cohort=cohort)
        .select_related("user", "organisation")
    )
    page = paged(participants, request.GET.get("page"))
    return render(
        request,
        "participants/cohort_detail.html",
        {
            "cohort": cohort,
            "participants": page.object_list,
            "pages": pagination(request, page, "page", "participants-heading"),
            "actions": cohort_actions(request.user, cohort, timezone.localdate()),
            "milestones": cohort_milestones(cohort),
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
