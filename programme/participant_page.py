"""The top of the participant's page: where they stand, why, how long is left, and what to do
next, each step linked to the page where it is done.

Read from the rules' report (`i2i.rules.Report`) and the placements already fetched by
`programme.progress.with_progress`: no query of its own, so the page costs the same few
queries however many placements there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils.formats import date_format

from i2i import access, rules
from reflections import reviews

# Missed and at-risk commitments first, then the rest by when they are due.
_URGENCY = {rules.Status.MISSED: 0, rules.Status.AT_RISK: 1, rules.Status.ON_TRACK: 2}


@dataclass(frozen=True)
class Step:
    """One thing to do: the commitment it serves, by when, and where it is done."""

    commitment: rules.Commitment
    to_do: str
    due: dt.date | None = None
    url: str = ""
    link: str = ""

    @property
    def status(self) -> rules.Status:
        return self.commitment.status


@dataclass(frozen=True)
class Note:
    """A suggestion from the rules' guidance, with the placement it is about."""

    text: str
    url: str = ""
    link: str = ""


@dataclass(frozen=True)
class Review:
    """The mid-programme review as the page shows it: done on a day or due by one, for every
    reader (as on the dashboard); the link to it only for those who may open it, the
    participant and their line manager (`access.mid_programme_review_participants`)."""

    state: str
    done: bool = False
    url: str = ""
    link: str = ""


def with_review(participants: QuerySet, user) -> QuerySet:
    """The participants with the day their mid-programme review was held (None: not yet) and
    whether `user` may open it, in the participants' own query: no query of its own."""
    return participants.annotate(
        review_held_on=F("mid_programme_review__held_on"),
        may_open_review=Exists(
            access.mid_programme_review_participants(user).filter(pk=OuterRef("pk"))
        ),
    )


def mid_programme_review(participant, *, is_self: bool, today: dt.date) -> Review:
    """ "Done on 3 June 2027" or "Due by 31 May 2027", from a participant read `with_review`;
    the line manager is asked to record it, the participant to read it."""
    held_on = participant.review_held_on
    due = reviews.review_due(participant.cohort.programme_start)
    if held_on:
        state = f"Done on {date_format(held_on)}."
    elif today > due:
        state = f"Not recorded yet: it was due by {date_format(due)}."
    else:
        state = f"Due by {date_format(due)}."
    if not participant.may_open_review:
        return Review(state, bool(held_on))
    whose = "your" if is_self else f"{participant.user.get_short_name()}’s"
    if held_on or is_self:
        link = f"Read {whose} mid-programme review" if held_on else "Your mid-programme review"
    else:
        link = f"Record {whose} mid-programme review"
    return Review(
        state, bool(held_on), reverse("mid_programme_review", args=[participant.pk]), link
    )


def time_left(report: rules.Report) -> str:
    """ "12 weeks left: the programme ends on 3 June 2027." in words and a date."""
    end = date_format(report.window_end)
    if report.on > report.window_end:
        return f"The programme window closed on {end}."
    if report.on < report.window_start:
        return f"The programme starts on {date_format(report.window_start)} and ends on {end}."
    weeks = report.weeks_left
    if weeks == 0:
        return f"Less than a week left: the programme ends on {end}."
    return f"{weeks} week{'' if weeks == 1 else 's'} left: the programme ends on {end}."


def next_steps(
    report: rules.Report,
    participant,
    placements: list,
    *,
    is_self: bool,
    can_plan: bool,
    can_read_accounts: bool,
) -> list[Step]:
    """The commitments not yet met that say what to do, most urgent first, each with a link
    to where it is done for this reader (none where there is nothing for them to open)."""
    links = _Links(report, participant, placements, is_self, can_plan, can_read_accounts)
    steps = []
    for commitment in report.commitments:
        if commitment.status == rules.Status.MET or not commitment.to_do:
            continue
        url, link = links.for_commitment(commitment.code)
        steps.append(Step(commitment, commitment.to_do, commitment.due, url, link))
    steps.sort(key=lambda s: (_URGENCY[s.status], s.due or dt.date.max))
    return steps


def guidance(report: rules.Report, placements: list) -> list[Note]:
    """The report's suggestions, each linked to the placement it names."""
    notes = []
    for text in report.guidance:
        placement = next(
            (p for p in placements if p.organisation.name and p.organisation.name in text), None
        )
        if placement is None:
            notes.append(Note(text))
        else:
            notes.append(
                Note(
                    text,
                    reverse("placement_detail", args=[placement.pk]),
                    f"Placement with {placement.organisation.name}",
                )
            )
    return notes


class _Links:
    def __init__(self, report, participant, placements, is_self, can_plan, can_read_accounts):
        self.participant = participant
        self.placements = [p for p in placements if p.status != rules.PlacementStatus.WITHDRAWN]
        self.progress = {row.placement_id: row for row in report.placements}
        self.is_self = is_self
        self.can_plan = can_plan
        self.can_read_accounts = can_read_accounts

    def for_commitment(self, code: str) -> tuple[str, str]:
        method = getattr(self, f"_{code}", None)
        return method() if method else ("", "")

    def _plan(self) -> tuple[str, str]:
        if self.can_plan:
            url = reverse("placement_create", args=[self.participant.pk])
            return url, "Plan the next placement"
        return "", ""

    def _placement(self, placement, anchor: str, words: str) -> tuple[str, str]:
        url = reverse("placement_detail", args=[placement.pk])
        return f"{url}#{anchor}", f"{words} {placement.organisation.name}"

    def _placements(self) -> tuple[str, str]:
        return self._plan()

    def _half_days(self) -> tuple[str, str]:
        for placement in self.placements:
            row = self.progress.get(placement.pk)
            if (
                row is not None
                and row.counted
                and row.half_days_done < rules.Report.half_days_per_placement
            ):
                return self._placement(placement, "half-days-heading", "Half-days at")
        return self._plan()

    _window = _half_days

    def _outcomes_agreed(self) -> tuple[str, str]:
        for placement in self.placements:
            if placement.outcomes_status != rules.OutcomesStatus.APPROVED:
                return self._placement(placement, "outcomes-heading", "Learning outcomes for")
        return self._plan()

    def _reflections(self) -> tuple[str, str]:
        """The overdue account first, then the next one due: to it when it is started (the
        participant writes on, their line manager reads), else to where it is started."""
        due = [
            (row.reflection_due, placement)
            for placement in self.placements
            if (row := self.progress.get(placement.pk)) is not None and row.reflection_due
        ]
        if not due:
            return "", ""
        _, placement = min(due, key=lambda item: item[0])
        name = placement.organisation.name
        account = getattr(placement, "reflection_id", None)
        status = getattr(placement, "reflection_status", None)
        if account and self.is_self and status == "draft":
            return reverse("account_edit", args=[account]), (
                f"Continue writing your reflective account of {name}"
            )
        if account and self.can_read_accounts and (self.is_self or status != "draft"):
            return reverse("account_detail", args=[account]), f"Reflective account of {name}"
        if not account and self.is_self:
            return self._placement(placement, "account-heading", "Write your reflective account of")
        return "", ""

    def _improvement(self) -> tuple[str, str]:
        if getattr(self.participant, "improvement_title", None):
            return reverse("initiative_detail", args=[self.participant.pk]), (
                f"Improvement initiative: {self.participant.improvement_title}"
            )
        if self.can_plan:
            return reverse("initiative_create", args=[self.participant.pk]), (
                "Plan the improvement initiative"
            )
        return "", ""

    def _cohort(self) -> tuple[str, str]:
        url = reverse("cohort_detail", args=[self.participant.cohort.pk])
        return url, "Dates and places of the briefing and workshop"

    _briefing = _cohort
    _workshop = _cohort
