"""Pages of the concerns route: raise a concern about a placement, read it and (the programme
manager) record what was done, close it or reopen it; the list of concerns, open first."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render

from i2i import access
from i2i.forms import add_service_errors
from i2i.paging import paged
from placements import concerns
from placements.concern_forms import (
    ConcernActionForm,
    ConcernCloseForm,
    ConcernForm,
    ConcernReopenForm,
)
from placements.models import Concern


def _safeguarding() -> dict:
    return {"safeguarding_contact": settings.SAFEGUARDING_CONTACT}


def concern_raise(request, placement_pk):
    placement = get_object_or_404(access.concern_placements(request.user), pk=placement_pk)
    if not access.can_raise_concern(request.user, placement):
        raise PermissionDenied("Only people involved in the placement raise a concern about it.")
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern = concerns.concern_raise(
                placement=placement,
                by=request.user,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Concern raised. The programme manager has been told and will act on it."
            )
            return redirect("concern_detail", pk=concern.pk)
    return render(
        request,
        "placements/concerns/raise.html",
        {"form": form, "placement": placement} | _safeguarding(),
    )


# The programme manager's steps: the submit button's `action` names the form.
STEPS = {
    "act": (ConcernActionForm, concerns.concern_act, "comment", "Action recorded."),
    "close": (ConcernCloseForm, concerns.concern_close, "outcome", "Concern closed."),
    "reopen": (ConcernReopenForm, concerns.concern_reopen, "comment", "Concern reopened."),
}


def concern_detail(request, pk):
    concern = get_object_or_404(access.visible_concerns(request.user), pk=pk)
    can_handle = access.can_handle_concern(request.user, concern)
    forms = {name: form_class(prefix=name) for name, (form_class, *_rest) in STEPS.items()}
    if request.method == "POST":
        if not can_handle:
            raise PermissionDenied("Only the programme manager handles a concern.")
        name = request.POST.get("action", "")
        if name not in STEPS:
            return redirect("concern_detail", pk=concern.pk)
        form_class, service, field, done = STEPS[name]
        form = forms[name] = form_class(request.POST, prefix=name)
        if form.is_valid():
            try:
                service(concern=concern, by=request.user, **{field: form.cleaned_data[field]})
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("concern_detail", pk=concern.pk)
    can_open_placement = (
        access.visible_placements(request.user).filter(pk=concern.placement_id).exists()
    )
    return render(
        request,
        "placements/concerns/detail.html",
        {
            "concern": concern,
            "steps": concern.steps.select_related("by"),
            "can_handle": can_handle,
            "can_open_placement": can_open_placement,
            # A host person cannot open the placement: the visit is on their visits page.
            "hosts_it": not can_open_placement
            and access.hosted_placements(request.user).filter(pk=concern.placement_id).exists(),
            "forms": forms,
        }
        | _safeguarding(),
    )


def concern_list(request):
    """Every concern the user may open (the programme manager: all), open ones first."""
    rows = (
        access.visible_concerns(request.user)
        .annotate(
            closed=Case(
                When(status=Concern.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "-raised_at", "-pk")
    )
    page = paged(rows, request.GET.get("page"))
    roles = access.roles_for(request.user)
    return render(
        request,
        "placements/concerns/list.html",
        {
            "page": page,
            # How to raise one: from the placement page, or (a host person, who cannot open
            # placements) from the visit on their visits page.
            "raises_from_placements": roles.sees_cohorts,
            "hosted": list(access.hosted_organisations(request.user).order_by("name"))
            if roles.host
            else [],
        },
    )
