"""The host person's pages (their organisation's visits, and their answer to each half-day)
and the programme manager's page naming an organisation's host people. Everything through
`i2i.access`: an organisation or half-day the user does not host for is a 404, and the
host's pages are a 403 for anyone who hosts for nobody."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from i2i import access
from i2i.forms import add_service_errors
from i2i.paging import paged, pagination
from participants.models import HostPerson
from placements import hosting
from placements.host_forms import DeclineForm, HostPersonForm, ProposeForm

PAST_PER_PAGE = 20


def host_home(request):
    """Where a host person starts: their organisation's visits, or the list of their
    organisations when they answer for more than one."""
    if not access.can_host(request.user):
        raise PermissionDenied("These pages are for host organisations' host people.")
    organisations = list(access.hosted_organisations(request.user).order_by("name"))
    if len(organisations) == 1:
        return redirect("host_visits", pk=organisations[0].pk)
    return render(request, "placements/host/home.html", {"organisations": organisations})


def host_visits(request, pk):
    """Visits to the organisation: the half-days to come, each with what the visitor wants
    to learn and the host's answer, then the recent past visits waiting for the host to
    confirm them; every past visit, a page at a time, is behind a link (`?show=past`)."""
    organisation = get_object_or_404(access.hosted_organisations(request.user), pk=pk)
    today = timezone.localdate()
    past = hosting.past_visits(request.user, organisation, today)
    context = {"organisation": organisation, "confirm_weeks": hosting.CONFIRM_WITHIN.days // 7}
    if request.GET.get("show") == "past":
        page = paged(past, request.GET.get("page"), PAST_PER_PAGE)
        context |= {
            "past": hosting.visits_of(page.object_list),
            "pages": pagination(request, page, "page", "past-visits"),
        }
        return render(request, "placements/host/past_visits.html", context)
    context |= {
        "upcoming": hosting.upcoming_visits(request.user, organisation, today),
        "to_confirm": hosting.visits_to_confirm(request.user, organisation, today),
        "past_count": past.count(),
    }
    return render(request, "placements/host/visits.html", context)


def _visit_url(half_day, *, past: bool = False) -> str:
    return (
        reverse("host_visits", args=[half_day.placement.organisation_id])
        + ("?show=past" if past else "")
        + f"#half-day-{half_day.pk}"
    )


@require_POST
def host_half_day_confirm(request, pk):
    half_day = get_object_or_404(access.hosted_half_days(request.user), pk=pk)
    try:
        hosting.half_day_host_confirm(half_day=half_day, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Confirmed {half_day.participant.user}'s visit on {date_format(half_day.date)}. "
            "They have been told.",
        )
    return redirect(_visit_url(half_day, past=request.POST.get("from") == "past"))


def host_half_day_decline(request, pk):
    half_day = get_object_or_404(access.hosted_half_days(request.user), pk=pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hosting.half_day_host_decline(
                half_day=half_day, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{half_day.participant.user} has been told you cannot host this half-day.",
            )
            return redirect(_visit_url(half_day))
    return render(
        request,
        "placements/host/decline.html",
        {"form": form, "half_day": half_day, "back": _visit_url(half_day)},
    )


def host_half_day_propose(request, pk):
    half_day = get_object_or_404(access.hosted_half_days(request.user), pk=pk)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hosting.half_day_host_propose(
                half_day=half_day,
                by=request.user,
                date=form.cleaned_data["date"],
                session=form.cleaned_data["session"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{half_day.participant.user} has been sent the time you propose."
            )
            return redirect(_visit_url(half_day))
    return render(
        request,
        "placements/host/propose.html",
        {"form": form, "half_day": half_day, "back": _visit_url(half_day)},
    )


# The programme manager's page ---------------------------------------------------------------


def _managed_organisation(request, pk):
    organisation = get_object_or_404(access.visible_organisations(request.user), pk=pk)
    if not access.can_manage_host_people(request.user):
        raise PermissionDenied("Only the programme manager says who answers for a host.")
    return organisation


def organisation_host_people(request, pk):
    """Who answers for the organisation as its host person: add one (an invitation by email)
    or remove one."""
    organisation = _managed_organisation(request, pk)
    form = HostPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            host = hosting.host_person_add(
                organisation=organisation,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{host.user} is now a host person for {organisation}. We have emailed them "
                "how to sign in.",
            )
            return redirect("organisation_host_people", pk=organisation.pk)
    hosts = organisation.host_people.select_related("user", "added_by").order_by(
        "user__full_name", "user__email"
    )
    return render(
        request,
        "placements/host/host_people.html",
        {"organisation": organisation, "form": form, "hosts": hosts},
    )


@require_POST
def organisation_host_person_remove(request, pk):
    organisation = _managed_organisation(request, pk)
    try:
        host_pk = int(request.POST.get("host_person", ""))
    except ValueError:
        raise Http404("No such host person") from None
    host = get_object_or_404(
        HostPerson.objects.select_related("user", "organisation"),
        organisation=organisation,
        pk=host_pk,
    )
    hosting.host_person_remove(host_person=host, by=request.user)
    messages.success(request, f"{host.user} is no longer a host person for {organisation}.")
    return redirect("organisation_host_people", pk=organisation.pk)
