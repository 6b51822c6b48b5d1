"""The mid-programme review: around the half-way point of the six months the participant and
their line manager talk about what is going well, what help is needed and the plan to the end,
and the line manager records it (issue 19: the line manager's touchpoint between the
placements' learning outcomes and the workshop)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from i2i import access, dates, rules
from participants.models import Participant, User
from reflections.models import MidProgrammeReview

# Half-way through the 26 weeks of the window: the review is due by the end of week 13, and
# both people are reminded at the end of week 12 if it is not recorded by then.
DUE_WEEK = 13
REMINDER_WEEK = 12
MAX_TEXT_LENGTH = 4000


def review_due(programme_start: dt.date) -> dt.date:
    """The day the review is due: the end of week 13 of the window."""
    return programme_start + dt.timedelta(weeks=DUE_WEEK)


def reminder_day(programme_start: dt.date) -> dt.date:
    """The day both people are reminded, if it is not recorded: a week before it is due."""
    return programme_start + dt.timedelta(weeks=REMINDER_WEEK)


def review_window(participant: Participant, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days a review may have been held on: from the programme's start to today (or the
    window's end, if sooner)."""
    start = participant.cohort.programme_start
    return start, min(today, rules.window_end(start))


@transaction.atomic
def mid_programme_review_record(
    *,
    participant: Participant,
    by: User,
    held_on: dt.date,
    going_well: str,
    plan: str,
    help_needed: str = "",
) -> MidProgrammeReview:
    """The line manager records the review they held with the participant, once."""
    if not access.can_record_mid_programme_review(by, participant):
        raise PermissionDenied("The participant's line manager records the mid-programme review.")
    today = timezone.localdate()
    first, last = review_window(participant, today)
    if today < first:
        raise ValidationError(
            {
                "held_on": f"The programme starts on {date_format(first)}: hold the review "
                "half-way through it."
            }
        )
    if held_on is None or dates.outside(held_on, first, last):
        between = dates.between(first, last, today=today)
        raise ValidationError({"held_on": f"Enter the date you held the review, {between}."})
    review = MidProgrammeReview(
        participant=participant,
        held_on=held_on,
        going_well=(going_well or "").strip(),
        help_needed=(help_needed or "").strip(),
        plan=(plan or "").strip(),
        recorded_by=by,
    )
    review.full_clean(exclude=["participant"])
    if MidProgrammeReview.objects.filter(participant=participant).exists():
        raise ValidationError("The mid-programme review is already recorded.")
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:
        # Recorded twice at once (a double tap): the first one stands.
        raise ValidationError("The mid-programme review is already recorded.") from error
    return review
