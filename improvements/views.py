from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from i2i import access
from i2i.decisions import DecisionForm, decide
from i2i.forms import add_service_errors
from improvements import services
from improvements.forms import (
    ChangePointForm,
    ChangeUnmarkForm,
    DataPointForm,
    InitiativeForm,
    MeasureForm,
    OutcomeForm,
    PasteForm,
    PDSAForm,
    ProgressForm,
)
from improvements.models import DataPoint, ImprovementInitiative, Measure, PDSACycle
from improvements.plan import plan_context
from improvements.review import ReviewState
from improvements.selectors import measure_charts, suggested_score
from reflections.frameworks import principle_labels
from reflections.selectors import improvement_ideas

# What a line manager's comment is needed to give back (the decision form's help text).
RETURNED = "the initiative"


def _initiative(request, participant_pk) -> ImprovementInitiative:
    return get_object_or_404(
        access.visible_initiatives(request.user), participant_id=participant_pk
    )


def _lead(request, initiative) -> None:
    if not access.can_lead_initiative(request.user, initiative.participant):
        raise PermissionDenied("Participants lead their own improvement initiative.")


def initiative_detail(request, participant_pk):
    participant = get_object_or_404(access.visible_participants(request.user), pk=participant_pk)
    initiative = ImprovementInitiative.objects.filter(participant=participant).first()
    if initiative is None:
        if access.can_lead_initiative(request.user, participant):
            return redirect("initiative_create", participant_pk=participant.pk)
        return render(request, "improvements/not_started.html", {"participant": participant})
    return render(request, "improvements/initiative_detail.html", _context(request, initiative))


def _context(request, initiative, decision_form=None, review_form=None):
    charts = measure_charts(initiative)
    return {
        # The line manager's review of the implementation (improvements/review_views.py).
        "review": ReviewState(initiative, request.user),
        "review_form": review_form or DecisionForm(returned="the review", prefix="review"),
        # Service users' feedback, the team, the milestones (improvements/plan_views.py).
        **plan_context(initiative),
        "initiative": initiative,
        "participant": initiative.participant,
        "charts": charts,
        "suggested_score": suggested_score(initiative, charts),
        "cycles": initiative.cycles.all(),
        "decisions": initiative.decisions.select_related("by"),
        "placements": initiative.placements.select_related("organisation"),
        "organisations": initiative.organisations.all(),
        "principles": principle_labels(initiative.principles),
        "can_lead": access.can_lead_initiative(request.user, initiative.participant),
        "can_agree": access.can_agree_initiative(request.user, initiative),
        "decision_form": decision_form or DecisionForm(returned=RETURNED),
        "view": request.GET.get("view", "run"),
    }


def initiative_edit(request, participant_pk):
    """Create the initiative, or change its plan; the reflective accounts' ideas alongside."""
    participant = get_object_or_404(access.visible_participants(request.user), pk=participant_pk)
    if not access.can_lead_initiative(request.user, participant):
        raise PermissionDenied("Participants lead their own improvement initiative.")
    initiative = ImprovementInitiative.objects.filter(participant=participant).first()
    form = InitiativeForm(request.POST or None, instance=initiative, participant=participant)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        relations = {
            "placements": data.pop("placements"),
            "organisations": data.pop("organisations"),
        }
        submit = request.POST.get("action") == "submit"
        try:
            if initiative is None:
                initiative = services.initiative_create(
                    participant=participant, by=request.user, **relations, **data
                )
                if submit:
                    initiative = services.initiative_submit(initiative=initiative, by=request.user)
            else:
                # One call, one request to the line manager: the service knows whether the
                # change already sent an agreed plan back to them.
                initiative = services.initiative_update(
                    initiative=initiative, by=request.user, submit=submit, **relations, **data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if initiative.agreement == "submitted":
                messages.success(request, "Sent to your line manager to agree.")
            else:
                messages.success(request, "Improvement initiative saved.")
            return redirect("initiative_detail", participant_pk=participant.pk)
    return render(
        request,
        "improvements/initiative_form.html",
        {
            "form": form,
            "participant": participant,
            "initiative": initiative,
            "ideas": improvement_ideas(participant),
        },
    )


@require_POST
def initiative_submit(request, participant_pk):
    initiative = _initiative(request, participant_pk)
    _lead(request, initiative)
    try:
        services.initiative_submit(initiative=initiative, by=request.user)
        messages.success(request, "Sent to your line manager to agree.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("initiative_detail", participant_pk=participant_pk)


@require_POST
def initiative_decide(request, participant_pk):
    """Agree or return; htmx gets the agreement panel back."""
    initiative = _initiative(request, participant_pk)
    if not access.can_agree_initiative(request.user, initiative):
        raise PermissionDenied("Only the participant's line manager agrees the initiative.")
    return decide(
        request,
        initiative,
        agree=lambda comment: services.initiative_agree(
            initiative=initiative, by=request.user, comment=comment
        ),
        give_back=lambda comment: services.initiative_return(
            initiative=initiative, by=request.user, comment=comment
        ),
        agree_value="agree",
        returned=RETURNED,
        notes=("Initiative agreed.", "Initiative returned with your comments."),
        done_url=reverse("initiative_detail", args=[participant_pk]),
        context=lambda form: _context(request, initiative, form),
        panel="improvements/_agreement_panel.html",
        page="improvements/initiative_detail.html",
    )


def _initiative_form_page(request, participant_pk, form_class, service, heading, success):
    initiative = _initiative(request, participant_pk)
    _lead(request, initiative)
    form = form_class(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            service(initiative=initiative, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("initiative_detail", participant_pk=participant_pk)
    return render(
        request,
        "improvements/_form_page.html",
        {
            "form": form,
            "initiative": initiative,
            "participant": initiative.participant,
            "heading": heading,
            "button": f"Save {success.split()[0].lower()}",
        },
    )


def initiative_progress(request, participant_pk):
    return _initiative_form_page(
        request,
        participant_pk,
        ProgressForm,
        services.initiative_progress,
        "Status and progress score",
        "Progress saved.",
    )


def initiative_outcome(request, participant_pk):
    return _initiative_form_page(
        request,
        participant_pk,
        OutcomeForm,
        services.initiative_outcome,
        "The outcome of your initiative",
        "Outcome saved.",
    )


def _owned_form(request, participant_pk, model, pk, form_class, save, what):
    """Add or change a PDSA cycle or a measure of the participant's own initiative."""
    initiative = _initiative(request, participant_pk)
    _lead(request, initiative)
    instance = get_object_or_404(model, pk=pk, initiative=initiative) if pk else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(initiative, instance, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{what} saved.")
            if isinstance(saved, Measure) and instance is None:
                return redirect("measure_data", participant_pk=participant_pk, pk=saved.pk)
            return redirect("initiative_detail", participant_pk=participant_pk)
    if instance is None:
        heading = f"Add a {what.lower()}" if what != "PDSA cycle" else "A new PDSA cycle"
    else:
        heading = f"PDSA cycle {instance.number}" if what == "PDSA cycle" else f"Change {instance}"
    return render(
        request,
        "improvements/_form_page.html",
        {
            "form": form,
            "initiative": initiative,
            "participant": initiative.participant,
            "heading": heading,
            "button": f"Save {what.lower() if what != 'PDSA cycle' else 'cycle'}",
        },
    )


def pdsa_edit(request, participant_pk, pk=None):
    return _owned_form(
        request,
        participant_pk,
        PDSACycle,
        pk,
        PDSAForm,
        lambda initiative, cycle, data: services.pdsa_save(
            initiative=initiative, by=request.user, cycle=cycle, **data
        ),
        "PDSA cycle",
    )


def measure_edit(request, participant_pk, pk=None):
    return _owned_form(
        request,
        participant_pk,
        Measure,
        pk,
        MeasureForm,
        lambda initiative, measure, data: services.measure_save(
            initiative=initiative, by=request.user, measure=measure, **data
        ),
        "Measure",
    )


def measure_data(request, participant_pk, pk):
    """Add one data point, or paste a column from a spreadsheet (all rows or none)."""
    initiative = _initiative(request, participant_pk)
    _lead(request, initiative)
    measure = get_object_or_404(Measure, pk=pk, initiative=initiative)
    action = request.POST.get("action")
    point_form = DataPointForm(request.POST if action == "add" else None)
    paste_form = PasteForm(request.POST if action == "paste" else None)
    change_form = ChangePointForm(
        request.POST if action == "change" else None, measure=measure, prefix="change"
    )
    if request.method == "POST":
        forms = {"add": point_form, "change": change_form}
        form = forms.get(action) or (
            ChangeUnmarkForm(request.POST, measure=measure) if action == "unmark" else paste_form
        )
        here = reverse("measure_data", args=[participant_pk, measure.pk]) + "#chart"
        if form.is_valid():
            try:
                messages.success(request, _save_data(measure, request.user, form))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(here)
        elif action == "unmark":
            # The button carries the point: a page left open after the change was removed
            # (or its point deleted) in another tab. Nothing typed to keep; say so.
            messages.error(
                request,
                "That change was already removed, or its data point deleted: the chart "
                "below shows the changes as they are now.",
            )
            return redirect(here)
    charts = {c.measure.pk: c for c in measure_charts(initiative)}
    return render(
        request,
        "improvements/measure_data.html",
        {
            "initiative": initiative,
            "participant": initiative.participant,
            "measure": measure,
            "points": measure.points.all(),
            "chart": charts[measure.pk],
            "point_form": point_form,
            "paste_form": paste_form,
            "change_form": change_form,
            # The run chart, or the Making Data Count chart, as on the initiative page.
            "view": request.GET.get("view", "run"),
        },
    )


def _save_data(measure, by, form) -> str:
    """The service for the form that was sent; returns what to tell the participant."""
    data = form.cleaned_data
    if isinstance(form, DataPointForm):
        services.data_point_add(measure=measure, by=by, **data)
        return "Data point added."
    if isinstance(form, ChangePointForm):
        services.data_point_change_mark(
            point=data["point"], by=by, starts_phase=True, phase_label=data["phase_label"]
        )
        return "Change marked: the limits are recalculated from that point."
    if isinstance(form, ChangeUnmarkForm):
        services.data_point_change_mark(point=data["point"], by=by, starts_phase=False)
        return "Change removed: the limits run on across that point."
    added = services.data_points_paste(measure=measure, by=by, text=data["data"])
    return f"Added {len(added)} data points."


@require_POST
def data_point_delete(request, participant_pk, pk):
    initiative = _initiative(request, participant_pk)
    _lead(request, initiative)
    point = get_object_or_404(DataPoint, pk=pk, measure__initiative=initiative)
    services.data_point_delete(point=point, by=request.user)
    messages.success(request, "Data point deleted.")
    return redirect("measure_data", participant_pk=participant_pk, pk=point.measure_id)
