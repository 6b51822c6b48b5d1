"""The actions on a cohort's page: one primary action for the stage the cohort is at, and the
rest as a plain list ("Other actions"), each only for those whose role may take it.

The programme manager runs a cohort through its stages: plan it (dates, places), recruit
(Expressions of Interest), brief, run (the dashboard), hold the workshop (the pack, then the
register) and evaluate. The page leads with the one thing the stage asks for, and says why.
No query of its own: the roles come with the user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.formats import date_format

from i2i import access, rules
from participants.models import Cohort, CohortStatus

# The workshop pack is made in the weeks before the workshop, once consents are in.
PACK_WEEKS_BEFORE_WORKSHOP = 4
# The briefing's register is filled in on the day or soon after.
REGISTER_DAYS_AFTER_BRIEFING = 7


@dataclass(frozen=True)
class Action:
    """A link to where something about the cohort is done; `why` says why it leads now."""

    key: str
    label: str
    url: str
    why: str = ""


@dataclass(frozen=True)
class Milestone:
    """One row of the cohort's summary list: "First placement agreed by", "2 October 2026
    (week 4)"."""

    label: str
    when: str


def cohort_milestones(cohort: Cohort) -> list[Milestone]:
    """The cohort's milestones (its own weeks, or the programme's defaults), dated the way the
    rules date them (`rules.Milestones.day`), so that the page and the at-risk reasons name
    the same day. The learning outcomes' milestone has no date of its own: it is counted back
    from each placement's first half-day."""
    milestones, start = cohort.milestones, cohort.programme_start

    def dated(week: int) -> str:
        return f"{date_format(milestones.day(start, week))} (week {week})"

    weeks = milestones.outcomes_weeks_before
    before = (
        f"{weeks} week{'' if weeks == 1 else 's'} before each placement’s first half-day"
        if weeks
        else "Before each placement’s first half-day"
    )
    return [
        Milestone("First placement agreed by", dated(milestones.first_placement_week)),
        Milestone("Three placements arranged by", dated(milestones.three_placements_week)),
        Milestone("Learning outcomes agreed", before),
        Milestone(
            f"{rules.HALF_DAYS_BY_MILESTONE} half-days completed by",
            dated(milestones.half_days_week),
        ),
    ]


@dataclass(frozen=True)
class CohortActions:
    primary: Action | None
    others: list[Action]


def _available(user, cohort: Cohort) -> dict[str, Action]:
    """Every action the user's roles allow on this cohort, in the order they are listed."""
    pk = cohort.pk
    actions: list[Action] = []
    manages = access.can_manage_cohorts(user)
    if access.can_see_dashboard(user):
        actions.append(
            Action("dashboard", "Open the dashboard", reverse("cohort_dashboard", args=[pk]))
        )
    if access.can_review_eois(user) and cohort.status in (
        CohortStatus.PLANNING,
        CohortStatus.RECRUITING,
    ):
        actions.append(
            Action(
                "eois",
                "Review Expressions of Interest",
                f"{reverse('eoi_review')}?cohort={pk}",
            )
        )
    if access.can_make_workshop_pack(user):
        actions.append(
            Action("pack", "Make the workshop pack", reverse("workshop_pack", args=[pk]))
        )
    if access.can_see_evaluation(user):
        actions.append(
            Action(
                "evaluation", "Read the evaluation report", reverse("cohort_evaluation", args=[pk])
            )
        )
    if manages:
        actions += [
            Action(
                "register",
                "Fill in the briefing and workshop register",
                reverse("cohort_attendance", args=[pk]),
            ),
            Action(
                "places", "Set the places per organisation", reverse("cohort_places", args=[pk])
            ),
            Action(
                "questions",
                "Change the self-assessment questions",
                reverse("assessment_items", args=[pk]),
            ),
            Action("edit", "Change the cohort's details", reverse("cohort_edit", args=[pk])),
        ]
    return {action.key: action for action in actions}


def _lead(cohort: Cohort, today: dt.date) -> tuple[str, str] | None:
    """Which action the cohort's stage asks for on `today`, and why, in order of preference:
    the key of the first action the user can take is used."""
    status = cohort.status
    if status == CohortStatus.PLANNING:
        if not (cohort.eoi_opens and cohort.briefing_date and cohort.workshop_date):
            return "edit", "Some of the cohort's dates are still to be confirmed."
        return "places", (
            "Set how many places each organisation has before Expressions of Interest open "
            f"on {date_format(cohort.eoi_opens)}."
        )
    if status == CohortStatus.RECRUITING:
        closes = (
            f"Expressions of Interest close on {date_format(cohort.eoi_closes)}."
            if cohort.eoi_closes
            else "The cohort is recruiting."
        )
        return "eois", closes
    if status == CohortStatus.RUNNING:
        briefing, workshop = cohort.briefing_date, cohort.workshop_date
        if briefing and briefing <= today <= briefing + dt.timedelta(
            days=REGISTER_DAYS_AFTER_BRIEFING
        ):
            return "register", f"The briefing was on {date_format(briefing)}."
        if workshop and today > workshop:
            return "register", f"The workshop was on {date_format(workshop)}."
        if workshop and today >= workshop - dt.timedelta(weeks=PACK_WEEKS_BEFORE_WORKSHOP):
            return "pack", f"The workshop is on {date_format(workshop)}."
        return "dashboard", "The cohort is running: see who is on track and who is at risk."
    if status == CohortStatus.CLOSED:
        return "evaluation", "The cohort has finished."
    return None


def cohort_actions(user, cohort: Cohort, today: dt.date) -> CohortActions:
    """One primary action for the cohort's stage (if the user may take it), and the others.

    Someone who cannot take the stage's action (an education lead while the cohort runs,
    a sponsor) is led to the dashboard if they can see it."""
    available = _available(user, cohort)
    primary = None
    lead = _lead(cohort, today)
    if lead and lead[0] in available:
        primary = replace(available[lead[0]], why=lead[1])
    elif "dashboard" in available:
        primary = available["dashboard"]
    others = [a for a in available.values() if primary is None or a.key != primary.key]
    return CohortActions(primary=primary, others=others)
