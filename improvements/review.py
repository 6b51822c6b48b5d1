"""The line manager's review of the implementation (issue #21): the `improvement` commitment
is met when the initiative is implemented (a completed PDSA cycle and data after the change)
and the line manager confirms it, "implemented and reviewed"; agreeing the plan is only the
start. The participant asks, once both conditions hold; the line manager confirms, or returns
it with a comment."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from i2i import access, rules
from i2i.emails import send_templated
from improvements.models import (
    AgreementDecision,
    DataPoint,
    ImprovementInitiative,
    InitiativeStatus,
)
from improvements.services import _check_owner, _locked, _url
from participants.models import User

Action = AgreementDecision.Action
REVIEW_ACTIONS = (Action.REVIEW_ASKED, Action.REVIEWED, Action.REVIEW_RETURNED)
# The statuses an initiative confirmed "implemented and reviewed" moves on from, and may not
# go back to (`services.initiative_progress`).
BEFORE_IMPLEMENTED = frozenset(
    {InitiativeStatus.IDEA, InitiativeStatus.AGREED, InitiativeStatus.TESTING}
)
COMMITMENT = (
    "The I2I commitment is an improvement initiative implemented and reviewed with your "
    "line manager"
)


def implementation_record(initiative: ImprovementInitiative) -> rules.ImprovementRecord:
    """The rules' record for one initiative, in three queries (the page and the services; the
    dashboard reads the same facts for a whole cohort in `programme.progress`)."""
    cycles = initiative.cycles.aggregate(
        first=Min("starts_on"),
        completed=Min("ends_on", filter=Q(ends_on__isnull=False) & ~Q(act="")),
    )
    points = DataPoint.objects.filter(measure__initiative=initiative).aggregate(
        last=Max("date"), phase=Min("date", filter=Q(starts_phase=True))
    )
    latest = (
        initiative.decisions.filter(action__in=REVIEW_ACTIONS)
        .order_by("-at", "-pk")
        .values_list("action", flat=True)
        .first()
    )
    reviewed = initiative.reviewed_at
    return rules.ImprovementRecord(
        agreed=initiative.is_agreed,
        first_cycle_started_on=cycles["first"],
        cycle_completed_on=cycles["completed"],
        phase_started_on=points["phase"],
        last_data_on=points["last"],
        review_asked=latest == Action.REVIEW_ASKED,
        reviewed_on=timezone.localdate(reviewed) if reviewed else None,
    )


PARTICIPANT, LINE_MANAGER, OTHER = "participant", "line_manager", "other"


def _still_to_do(record: rules.ImprovementRecord, on, who: str = PARTICIPANT, name: str = ""):
    """What is missing, worded for `who` reads it: the participant ("your line manager's
    agreement"), their line manager ("your agreement", what `name` decided) or anyone else
    ("the line manager's agreement")."""
    manager = {PARTICIPANT: "your line manager's", LINE_MANAGER: "your"}.get(
        who, "the line manager's"
    )
    decided, measures = ("you", "your") if who == PARTICIPANT else (name, f"{name}'s")
    missing = []
    if not record.agreed:
        missing.append(f"{manager} agreement of the plan")
    if not record.cycle_completed(on):
        missing.append(f"a completed PDSA cycle (with its end date and what {decided} decided)")
    if not record.data_after_change:
        missing.append(f"data after the change in one of {measures} measures")
    return missing


@transaction.atomic
def review_ask(*, initiative: ImprovementInitiative, by: User) -> ImprovementInitiative:
    """The participant asks the line manager to review the implementation: only once it is
    implemented. Asking again while waiting changes nothing and sends no second email."""
    _check_owner(initiative, by)
    initiative = _locked(initiative)
    record = implementation_record(initiative)
    if record.reviewed_on is not None and record.implemented(timezone.localdate()):
        raise ValidationError("Your line manager has already reviewed the implementation.")
    if record.review_asked:
        return initiative
    missing = _still_to_do(record, timezone.localdate())
    if missing:
        raise ValidationError(
            f"{COMMITMENT}: before asking for the review, record " + "; ".join(missing) + "."
        )
    manager = initiative.participant.line_manager
    if manager is None:
        raise ValidationError(
            "You have no line manager recorded yet; ask the programme manager to add them."
        )
    AgreementDecision.objects.create(initiative=initiative, action=Action.REVIEW_ASKED, by=by)
    send_templated(
        to=[manager.email],
        subject=f"Improvement initiative to review: {initiative.participant.user}",
        template="initiative_review_asked",
        context={"initiative": initiative, "manager": manager, "url": _url(initiative)},
    )
    return initiative


def _review(initiative, by: User, action: str, comment: str) -> ImprovementInitiative:
    if not access.can_agree_initiative(by, initiative):
        raise PermissionDenied("Only the participant's line manager reviews the implementation.")
    record = implementation_record(initiative)
    if not record.review_asked:
        raise ValidationError(
            "This initiative is not waiting for your review; it may have been reviewed "
            "already. Reload the page to see the latest."
        )
    if action == Action.REVIEWED:
        name = initiative.participant.user.get_short_name()
        missing = _still_to_do(record, timezone.localdate(), LINE_MANAGER, name)
        if missing:
            raise ValidationError(
                "The I2I commitment is an improvement initiative implemented and reviewed "
                "with you: it is not implemented yet; still to record: "
                + "; ".join(missing)
                + ". Return it with a comment instead."
            )
        initiative.reviewed_at = timezone.now()
        fields = ["reviewed_at", "updated_at"]
        # The status says the stage reached: from any status before it (an initiative agreed
        # while it still said "Idea" too), so the header and the report's counts agree.
        if initiative.status in BEFORE_IMPLEMENTED:
            initiative.status = InitiativeStatus.IMPLEMENTED
            fields.append("status")
        initiative.save(update_fields=fields)
    AgreementDecision.objects.create(initiative=initiative, action=action, by=by, comment=comment)
    participant = initiative.participant
    send_templated(
        to=[participant.user.email],
        subject=f"Improvement initiative "
        f"{'implemented and reviewed' if action == Action.REVIEWED else 'review returned'}: "
        f"{participant.user}",
        template="initiative_reviewed",
        context={
            "initiative": initiative,
            "reviewed": action == Action.REVIEWED,
            "comment": comment,
            "by": by,
            "url": _url(initiative),
        },
    )
    return initiative


@transaction.atomic
def review_confirm(
    *, initiative: ImprovementInitiative, by: User, comment: str = ""
) -> ImprovementInitiative:
    """The line manager confirms the initiative implemented and reviewed: the `improvement`
    commitment is met."""
    return _review(_locked(initiative), by, Action.REVIEWED, (comment or "").strip())


@transaction.atomic
def review_return(
    *, initiative: ImprovementInitiative, by: User, comment: str
) -> ImprovementInitiative:
    """The line manager returns the review with a comment: what to do before asking again."""
    if not (comment or "").strip():
        raise ValidationError({"comment": "Say what to do, so the participant can act on it."})
    return _review(_locked(initiative), by, Action.REVIEW_RETURNED, comment.strip())


class ReviewState:
    """Where the review stands, for the initiative page's panel, worded for `viewer`: the
    participant reads of "your line manager", the line manager of "you", anyone else of
    "the line manager"."""

    def __init__(self, initiative: ImprovementInitiative, viewer: User | None = None):
        participant = initiative.participant
        if viewer is not None and access.can_lead_initiative(viewer, participant):
            who = PARTICIPANT
        elif viewer is not None and access.can_agree_initiative(viewer, initiative):
            who = LINE_MANAGER
        else:
            who = OTHER if viewer is not None else PARTICIPANT
        self.record = implementation_record(initiative)
        today = timezone.localdate()
        self.missing = _still_to_do(self.record, today, who, participant.user.get_short_name())
        self.implemented = self.record.implemented(today)
        self.asked = self.record.review_asked
        self.reviewed_on = self.record.reviewed_on
        self.met = self.record.agreed and self.implemented and self.reviewed_on is not None
        # "… and {reviewer} reviewed it"; "Waiting for {manager} review."
        self.reviewer = {PARTICIPANT: "your line manager has", LINE_MANAGER: "you have"}.get(
            who, "the line manager has"
        )
        self.manager = "your line manager's" if who == PARTICIPANT else "the line manager's"
