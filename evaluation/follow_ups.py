"""The follow-up questionnaire, 6 and 12 months after the cohort's workshop: role and band,
promotion, staying with the employer, the people met on placements still in touch, and how
the learning is used. Each opens on the day 6 (or 12) months after the workshop
(`rules.add_months`) and stays open eight weeks; a cohort without a workshop date has none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format

from evaluation.models import FollowUp, FollowUpMoment
from i2i import rules
from participants.models import Cohort, Participant

OPEN_WEEKS = 8


@dataclass(frozen=True)
class Window:
    """When one follow-up can be answered: `opens` to `closes`, both days included."""

    moment: FollowUpMoment
    opens: dt.date
    closes: dt.date

    def state(self, today: dt.date) -> str:
        if today < self.opens:
            return "not_yet_open"
        return "open" if today <= self.closes else "closed"


def window(cohort: Cohort, moment: str) -> Window | None:
    """The days one follow-up is open for a cohort's participants, or None without a
    workshop date."""
    if cohort.workshop_date is None:
        return None
    moment = FollowUpMoment(moment)
    opens = rules.add_months(cohort.workshop_date, moment.months)
    return Window(moment, opens, opens + dt.timedelta(weeks=OPEN_WEEKS, days=-1))


def why_closed(cohort: Cohort, moment: str, today: dt.date) -> str:
    found = window(cohort, moment)
    label = FollowUpMoment(moment).label
    if found is None:
        return (
            f"The {label} follow-up opens {label} after the workshop, and the workshop has no "
            "date yet."
        )
    if found.state(today) == "not_yet_open":
        return (
            f"The {label} follow-up opens on {date_format(found.opens)}, {label} after the "
            f"workshop, and stays open until {date_format(found.closes)}."
        )
    return (
        f"The {label} follow-up closed on {date_format(found.closes)}, eight weeks after it opened."
    )


class AlreadyAnswered(ValidationError):
    """Answered once per moment: a second submission is refused, and the answers kept shown."""


def follow_up_submit(
    *, participant: Participant, moment: str, answers: dict, today: dt.date
) -> FollowUp:
    """Record a participant's follow-up answers at one moment, once, while it is open."""
    found = window(participant.cohort, moment)
    if found is None or found.state(today) != "open":
        raise ValidationError(why_closed(participant.cohort, moment, today))
    follow_up = FollowUp(participant=participant, moment=moment, **answers)
    try:
        with transaction.atomic():
            if FollowUp.objects.filter(participant=participant, moment=moment).exists():
                raise AlreadyAnswered("You have already answered these questions.")
            follow_up.full_clean(validate_unique=False, validate_constraints=False)
            follow_up.save()
    except IntegrityError as error:  # another tab won the race
        raise AlreadyAnswered("You have already answered these questions.") from error
    return follow_up


def answers_given(participant: Participant, moment: str) -> FollowUp | None:
    return FollowUp.objects.filter(participant=participant, moment=moment).first()


@dataclass(frozen=True)
class Due:
    """A follow-up open today and not answered, for the home page's task and the reminders."""

    participant: Participant
    window: Window


def open_unanswered(participants: list[Participant], today: dt.date) -> list[Due]:
    """Each follow-up open `today` that the participant has not answered, in one query."""
    ids = [p.pk for p in participants if p.cohort.workshop_date]
    if not ids:
        return []
    answered = set(
        FollowUp.objects.filter(participant__in=ids).values_list("participant_id", "moment")
    )
    found = []
    for participant in participants:
        for moment in FollowUpMoment:
            open_window = window(participant.cohort, moment)
            if open_window is None or open_window.state(today) != "open":
                continue
            if (participant.pk, moment.value) not in answered:
                found.append(Due(participant, open_window))
    return found


def workshops_with_a_follow_up_open(today: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest workshop days whose 6- or 12-month follow-up may be open."""
    earliest = rules.add_months(today - dt.timedelta(weeks=OPEN_WEEKS), -12)
    return earliest - dt.timedelta(days=3), rules.add_months(today, -6) + dt.timedelta(days=3)
