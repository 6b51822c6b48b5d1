from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from i2i import access
from i2i.decisions import DecisionForm, decide
from i2i.forms import add_service_errors
from placements import calendar, clearances, feedback, hosting, offer_views, offers, services
from placements.forms import ConfirmForm, HalfDayForm, OutcomesForm, PlacementForm
from reflections.models import ReflectiveAccount
from reflections.selectors import next_learning

# What a line manager's comment is needed to give back (the decision form's help text).
RETURNED = "the outcomes"


def placement_create(request, participant_pk):
    participant = get_object_or_404(access.visible_participants(request.user), pk=participant_pk)
    if not access.can_plan_placements(request.user, participant):
        raise PermissionDenied("Participants arrange their own placements.")
    chosen, choice = offer_views.offer_choice(request, participant)
    form = PlacementForm(
        request.POST or None,
        organisations=access.visible_organisations(request.user).exclude(
            pk=participant.organisation_id
        ),
        initial=(
            {
                "organisation": chosen.organisation_id,
                "offer": chosen.pk,
                **offers.host_contact(chosen.organisation, participant=participant),
            }
            if chosen
            else None
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_plan(
                participant=participant, by=request.user, **_placement_fields(request, form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Placement with {placement.organisation} saved. Next, write its learning "
                "outcomes and send them to your line manager.",
            )
            return redirect("outcomes_edit", pk=placement.pk)
    return render(
        request,
        "placements/placement_form.html",
        {
            "form": form,
            "participant": participant,
            "contacts": participant.shared_contacts.select_related("organisation"),
            **choice,
        },
    )


def _placement_fields(request, form) -> dict:
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    if "status" in form.cleaned_data:
        data["status"] = form.cleaned_data["status"]
    if not data["organisation"]:
        data["organisation"] = services.organisation_propose(
            name=form.cleaned_data["proposed_name"],
            sector=form.cleaned_data["proposed_sector"],
            town=form.cleaned_data["proposed_town"],
            by=request.user,
        )
    return data


def placement_edit(request, pk):
    placement = get_object_or_404(access.visible_placements(request.user), pk=pk)
    if not access.can_edit_placement(request.user, placement):
        raise PermissionDenied("Only the participant changes their placement.")
    form = PlacementForm(
        request.POST or None,
        instance=placement,
        organisations=access.visible_organisations(request.user).exclude(
            pk=placement.participant.organisation_id
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_update(
                placement=placement, by=request.user, **_placement_fields(request, form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Placement saved.")
            return redirect("placement_detail", pk=placement.pk)
    return render(
        request,
        "placements/placement_form.html",
        {"form": form, "participant": placement.participant, "placement": placement},
    )


def placement_detail(request, pk):
    placement = get_object_or_404(access.visible_placements(request.user), pk=pk)
    return render(request, "placements/placement_detail.html", _detail_context(request, placement))


def _detail_context(request, placement, decision_form=None):

    account = ReflectiveAccount.objects.filter(placement=placement).only("pk", "status").first()
    return {
        "account": account,
        "can_read_account": access.can_read_accounts_of(request.user, placement.participant),
        "can_start_account": access.can_edit_placement(request.user, placement)
        and account is None
        and placement.half_days.filter(status="completed").exists(),
        "placement": placement,
        "is_self": access.is_the_participant(request.user, placement.participant),
        "outcomes": placement.outcomes.all(),
        "decisions": placement.decisions.select_related("by"),
        "half_days": placement.half_days.all(),
        # A host person's decline or other time for a half-day as booked (issue #20).
        "host_answers": hosting.host_answers_for(placement),
        "can_edit": access.can_edit_placement(request.user, placement),
        "can_decide": access.can_decide_outcomes(request.user, placement),
        "decision_form": decision_form or DecisionForm(returned=RETURNED),
        # Issue #20: the route for concerns (placements/concern_views.py).
        "can_raise_concern": access.can_raise_concern(request.user, placement),
        "concerns": access.visible_concerns(request.user).filter(placement=placement),
        # Issue #20: checks before the first visit (placements/clearances.py).
        "checks": clearances.checks(placement),
        "can_record_clearance": access.can_record_clearance(request.user, placement),
        # Issue #20: feedback both ways (placements/feedback.py).
        **feedback.feedback_for_page(request.user, placement),
    }


def placement_withdraw(request, pk):
    placement = get_object_or_404(access.visible_placements(request.user), pk=pk)
    if not access.can_edit_placement(request.user, placement):
        raise PermissionDenied("Only the participant withdraws their placement.")
    if request.method == "POST":
        services.placement_withdraw(placement=placement, by=request.user)
        messages.success(request, f"Placement with {placement.organisation} withdrawn.")
        return redirect("participant_detail", pk=placement.participant_id)
    return render(request, "placements/placement_withdraw.html", {"placement": placement})


def outcomes_edit(request, pk):
    placement = get_object_or_404(access.visible_placements(request.user), pk=pk)
    if not access.can_edit_placement(request.user, placement):
        raise PermissionDenied("Participants write their own learning outcomes.")
    texts = list(placement.outcomes.values_list("text", flat=True))
    form = OutcomesForm(request.POST or None, texts=texts)

    earlier = next_learning(placement.participant, exclude_placement=placement)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            services.outcomes_save(placement=placement, by=request.user, texts=form.texts())
            placement.refresh_from_db()
            if action == "submit" and placement.outcomes_status != "submitted":
                services.outcomes_submit(placement=placement, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if action == "more":
                return redirect("outcomes_edit", pk=placement.pk)
            if action == "submit" or placement.outcomes_status == "submitted":
                messages.success(
                    request, "Learning outcomes sent to your line manager for approval."
                )
            else:
                messages.success(request, "Learning outcomes saved as a draft.")
            return redirect("placement_detail", pk=placement.pk)
    return render(
        request,
        "placements/outcomes_form.html",
        {"form": form, "placement": placement, "earlier": earlier},
    )


@require_POST
def outcomes_decide(request, pk):
    """Approve or return learning outcomes, then go on to the next set waiting for this line
    manager (oldest first), or back to the list when none is left. htmx gets the outcomes
    panel with `HX-Redirect` to the same place; a refused decision stays on the page."""
    placement = get_object_or_404(access.visible_placements(request.user), pk=pk)
    if not access.can_decide_outcomes(request.user, placement):
        raise PermissionDenied("Only the participant's line manager decides on their outcomes.")
    notes = ("Learning outcomes approved.", "Learning outcomes returned with your comments.")
    decided = []  # the note of the decision taken, once the service has taken it

    def taken(service, note):
        def run(comment):
            result = service(placement=placement, by=request.user, comment=comment)
            decided.append(note)
            return result

        return run

    waiting = _waiting_after(request.user, placement)
    following = waiting.first()
    done_url = (
        reverse("placement_detail", args=[following.pk]) + "#outcomes-panel"
        if following
        else reverse("approvals")
    )
    response = decide(
        request,
        placement,
        agree=taken(services.outcomes_approve, notes[0]),
        give_back=taken(services.outcomes_return, notes[1]),
        agree_value="approve",
        returned=RETURNED,
        notes=notes,
        done_url=done_url,
        context=lambda form: _detail_context(request, placement, form),
        panel="placements/_outcomes_panel.html",
        page="placements/placement_detail.html",
    )
    if decided:
        if request.htmx:
            messages.success(request, decided[0])  # shown on the page htmx goes to
            response["HX-Redirect"] = done_url
        if following:
            left = waiting.count()
            messages.info(
                request,
                f"Next: {following.participant.user}'s learning outcomes for "
                f"{following.organisation}"
                + (f" ({left - 1} more waiting after these)." if left > 1 else "."),
            )
        else:
            messages.info(request, "No more learning outcomes are waiting for you.")
    return response


def _waiting_after(user, placement):
    """The sets of learning outcomes still waiting for this line manager, but `placement`,
    in the order of their list (oldest first)."""
    return (
        access.visible_placements(user)
        .awaiting_approval_by(user)
        .exclude(pk=placement.pk)
        .exclude(participant__user=user)
        .order_by("updated_at", "pk")
    )


def approvals(request):
    """The line manager's list of learning outcomes waiting for them."""
    waiting = (
        access.visible_placements(request.user)
        .awaiting_approval_by(request.user)
        .prefetch_related("outcomes")
        .order_by("updated_at")
    )
    return render(request, "placements/approvals.html", {"waiting": waiting})


def half_day_create(request, placement_pk):
    placement = get_object_or_404(access.visible_placements(request.user), pk=placement_pk)
    return _half_day_form(request, placement)


def half_day_edit(request, pk):
    half_day = get_object_or_404(access.visible_half_days(request.user), pk=pk)
    return _half_day_form(request, half_day.placement, half_day)


def _half_day_form(request, placement, half_day=None):
    """Log a new half-day or change one; the service refuses what breaks a commitment."""
    if not access.can_edit_placement(request.user, placement):
        raise PermissionDenied("Participants log their own half-days.")
    initial = {"status": half_day.status} if half_day else None
    form = HalfDayForm(request.POST or None, instance=half_day, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in [*form.Meta.fields, "status"]}
        try:
            if half_day is None:
                services.half_day_log(placement=placement, by=request.user, **fields)
            else:
                services.half_day_update(half_day=half_day, by=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Half-day saved.")
            return redirect("placement_detail", pk=placement.pk)
    return render(
        request,
        "placements/half_day_form.html",
        {"form": form, "placement": placement, "half_day": half_day},
    )


@require_POST
def half_day_action(request, pk, action):
    half_day = get_object_or_404(access.visible_half_days(request.user), pk=pk)
    if not access.can_edit_placement(request.user, half_day.placement):
        raise PermissionDenied("Participants change their own half-days.")
    try:
        if action == "complete":
            services.half_day_complete(half_day=half_day, by=request.user)
            messages.success(request, "Half-day marked as completed.")
        else:
            services.half_day_cancel(half_day=half_day, by=request.user)
            messages.success(request, "Half-day cancelled.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("placement_detail", pk=half_day.placement_id)


@login_not_required
def half_day_confirm(request, token):
    """The host's page: no account, just the signed link from their email."""
    try:
        half_day = services.half_day_from_token(token)
    except services.ConfirmationLinkError as error:
        return render(request, "placements/half_day_confirm.html", {"problem": str(error)})
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.half_day_confirm(token=token, name=form.cleaned_data["name"])
        except services.ConfirmationLinkError as error:
            return render(request, "placements/half_day_confirm.html", {"problem": str(error)})
        return render(
            request, "placements/half_day_confirm.html", {"half_day": half_day, "done": True}
        )
    return render(request, "placements/half_day_confirm.html", {"half_day": half_day, "form": form})


def calendar_download(request, participant_pk):
    participant = get_object_or_404(access.visible_participants(request.user), pk=participant_pk)
    if not access.can_download_calendar(request.user, participant):
        raise PermissionDenied("Each participant downloads their own calendar.")
    body = calendar.participant_calendar(participant, today=timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="i2i-half-days.ics"'
    return response
