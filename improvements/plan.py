"""The initiative's people and its implementation plan (issue #21): feedback collected from
service users, the team (whose organisations link the participant's to theirs in the
network), the plan's milestones and its estimates of cost and of time or money saved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from i2i import dates
from improvements.models import (
    ImplementationMilestone,
    ImprovementInitiative,
    MeasureKind,
    ServiceUserFeedback,
    TeamMember,
)
from improvements.services import _check_owner, _locked, _programme_years
from participants.models import User

ESTIMATE_FIELDS = (
    "estimated_cost",
    "estimated_money_saved",
    "estimated_hours_saved",
    "estimate_notes",
)


def _check_day(initiative, errors: dict, name: str, label: str, day) -> None:
    first, last = _programme_years(initiative)
    if dates.outside(day, first, last):
        errors[name] = (
            f"Enter {label} {dates.between(first, last)}, within a year of the programme."
        )


@transaction.atomic
def feedback_add(*, initiative: ImprovementInitiative, by: User, **fields) -> ServiceUserFeedback:
    """Record what service users or patients said about the change: the leaflet's aim is
    their experience of the pathway."""
    _check_owner(initiative, by)
    feedback = ServiceUserFeedback(initiative=initiative, **fields)
    errors: dict = {}
    _check_day(
        initiative, errors, "collected_on", "the day it was collected", feedback.collected_on
    )
    if errors:
        raise ValidationError(errors)
    feedback.full_clean()
    feedback.save()
    return feedback


@transaction.atomic
def feedback_remove(*, feedback: ServiceUserFeedback, by: User) -> None:
    _check_owner(feedback.initiative, by)
    feedback.delete()


@transaction.atomic
def team_member_add(*, initiative: ImprovementInitiative, by: User, **fields) -> TeamMember:
    """Someone on the initiative's team, by name, role and organisation: a third party's
    name, erased with the participant's data (programme/personal_data_registry.py)."""
    _check_owner(initiative, by)
    initiative = _locked(initiative)  # the next position, once
    last = initiative.team.aggregate(last=Max("position"))["last"]
    member = TeamMember(initiative=initiative, position=(last or 0) + 1, **fields)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember, by: User) -> None:
    _check_owner(member.initiative, by)
    member.delete()


@transaction.atomic
def milestone_save(
    *,
    initiative: ImprovementInitiative,
    by: User,
    milestone: ImplementationMilestone | None = None,
    **fields,
) -> ImplementationMilestone:
    """A step of the implementation plan. Done needs the day it was done, and a day done
    says it is done, so the plan never reads two ways."""
    _check_owner(initiative, by)
    milestone = milestone or ImplementationMilestone(initiative=initiative)
    for name, value in fields.items():
        setattr(milestone, name, value)
    if milestone.done_on is not None:
        milestone.status = ImplementationMilestone.Status.DONE
    errors: dict = {}
    _check_day(initiative, errors, "due_on", "the day it is due", milestone.due_on)
    _check_day(initiative, errors, "done_on", "the day it was done", milestone.done_on)
    if milestone.status == ImplementationMilestone.Status.DONE and milestone.done_on is None:
        errors.setdefault("done_on", "Enter the day it was done.")
    if errors:
        raise ValidationError(errors)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_remove(*, milestone: ImplementationMilestone, by: User) -> None:
    _check_owner(milestone.initiative, by)
    milestone.delete()


@transaction.atomic
def estimates_save(
    *, initiative: ImprovementInitiative, by: User, **fields
) -> ImprovementInitiative:
    """The estimates the demonstrator evaluation asks for: cost, and money or time saved."""
    _check_owner(initiative, by)
    initiative = _locked(initiative)
    fields = {name: value for name, value in fields.items() if name in ESTIMATE_FIELDS}
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.full_clean()
    initiative.save(update_fields=[*fields, "updated_at"])
    return initiative


# Reads for the initiative page -----------------------------------------------------------------


def plan_context(initiative: ImprovementInitiative) -> dict:
    """The page's people and plan, in four queries however many rows."""
    return {
        "team": list(initiative.team.select_related("organisation")),
        "feedback": list(initiative.service_user_feedback.all()),
        "milestones": list(initiative.milestones.all()),
        # The leaflet's aim is the service user's or patient's experience: the page asks for
        # an outcome measure of it until there is one.
        "experience_measure": initiative.measures.filter(
            kind=MeasureKind.OUTCOME, about_experience=True
        ).exists(),
    }
