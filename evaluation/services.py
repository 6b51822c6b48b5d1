"""Changes to the self-assessment: the questions (programme manager) and the answers
(participant). Both lock the cohort row, so a question cannot be reworded at the moment
the first answer arrives."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format

from evaluation.items import DEFAULT_ITEMS, MAX_COUNT
from evaluation.models import (
    ItemKind,
    Moment,
    SelfAssessment,
    SelfAssessmentAnswer,
    SelfAssessmentItem,
)
from participants.models import Cohort, Participant

# The start questionnaire is for the briefing: it closes four weeks into the programme,
# before most placements, so that it shows where people started. The end one opens four
# weeks before the workshop (or, with no workshop date, before the window ends).
BEFORE_CLOSES_DAYS_AFTER_START = 28
AFTER_OPENS_DAYS_BEFORE = 28

FROZEN = (
    "The questions are fixed now that participants have started answering: a before and "
    "after comparison is only fair when both answered the same questions."
)


def items_for(cohort: Cohort) -> list[SelfAssessmentItem]:
    """The cohort's questions, starting it with the leaflet's ones the first time."""
    return items_for_cohorts([cohort])[cohort.pk]


def items_for_cohorts(cohorts: list[Cohort]) -> dict[int, list[SelfAssessmentItem]]:
    """Each cohort's questions, in at most three queries however many cohorts: cohorts
    without questions yet start with the leaflet's."""
    ids = [cohort.pk for cohort in cohorts]

    def read():
        found = {pk: [] for pk in ids}
        for item in SelfAssessmentItem.objects.filter(cohort__in=ids):
            found[item.cohort_id].append(item)
        return found

    found = read()
    missing = [pk for pk, items in found.items() if not items]
    if missing:
        SelfAssessmentItem.objects.bulk_create(
            [
                SelfAssessmentItem(cohort_id=pk, position=position, **item)
                for pk in missing
                for position, item in enumerate(DEFAULT_ITEMS, start=1)
            ],
            ignore_conflicts=True,
        )
        found = read()
    return found


def items_frozen(cohort: Cohort) -> bool:
    return SelfAssessmentAnswer.objects.filter(item__cohort=cohort).exists()


def update_items(cohort: Cohort, items: list[SelfAssessmentItem]) -> None:
    """Save reworded questions, unless anyone has answered (then nothing is saved)."""
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        if items_frozen(cohort):
            raise ValidationError(FROZEN)
        for item in items:
            if item.cohort_id != cohort.pk:
                raise ValidationError("That question belongs to another cohort.")
            item.save(update_fields=["question", "short_label", "scale_labels"])


def after_opens(participant: Participant) -> dt.date:
    return cohort_after_opens(participant.cohort)


def before_closes(participant: Participant) -> dt.date:
    return cohort_before_closes(participant.cohort)


def cohort_after_opens(cohort: Cohort) -> dt.date:
    end = cohort.workshop_date or cohort.programme_end
    return end - dt.timedelta(days=AFTER_OPENS_DAYS_BEFORE)


def cohort_before_closes(cohort: Cohort) -> dt.date:
    """The last day to answer at the start (never after the end questions open)."""
    last = cohort.programme_start + dt.timedelta(days=BEFORE_CLOSES_DAYS_AFTER_START)
    return min(last, cohort_after_opens(cohort) - dt.timedelta(days=1))


def moment_open(participant: Participant, moment: str, today: dt.date) -> bool:
    return cohort_moment_open(participant.cohort, moment, today)


def cohort_moment_open(cohort: Cohort, moment: str, today: dt.date) -> bool:
    if moment == Moment.AFTER:
        return today >= cohort_after_opens(cohort)
    return today <= cohort_before_closes(cohort)


def moment_state(cohort: Cohort, moment: str, answered: bool, today: dt.date) -> str:
    """answered, open, not_yet_open (the end one, before it opens) or closed (the start
    one, never answered): the same for every participant of the cohort."""
    if answered:
        return "answered"
    if cohort_moment_open(cohort, moment, today):
        return "open"
    return "not_yet_open" if moment == Moment.AFTER else "closed"


def why_closed(participant: Participant, moment: str) -> str:
    if moment == Moment.AFTER:
        opens = date_format(after_opens(participant))
        return f"The end-of-programme questions open on {opens}, four weeks before the workshop."
    return (
        f"The start-of-programme questions closed on {date_format(before_closes(participant))}, "
        "four weeks into the programme: answering them now would not show where you started."
    )


class AlreadyAnswered(ValidationError):
    """Answers are given once per moment: a second submission (another tab, a second tap)
    is refused rather than merged, and the page shows the answers that were kept."""


def _check_range(item: SelfAssessmentItem, value) -> None:
    # The participant sees the question, never its short label.
    low, high = (1, 5) if item.kind == ItemKind.SCALE else (0, MAX_COUNT)
    if not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"Answer “{item.question}” with a number from {low} to {high}.")


def submit_self_assessment(
    participant: Participant, moment: str, values: dict[int, int], today: dt.date
) -> SelfAssessment:
    """Record a participant's answers at one moment, once. `values` maps question id to
    answer, and must answer every question of their cohort."""
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=participant.cohort_id)
        if not moment_open(participant, moment, today):
            raise ValidationError(why_closed(participant, moment))
        if SelfAssessment.objects.filter(participant=participant, moment=moment).exists():
            raise AlreadyAnswered("You have already answered these questions; answers are kept.")
        items = items_for(participant.cohort)
        missing = [f"“{item.question}”" for item in items if item.pk not in values]
        if missing or set(values) - {item.pk for item in items}:
            not_answered = f" Not answered: {', '.join(missing)}." if missing else ""
            raise ValidationError(f"Answer every question.{not_answered}")
        for item in items:
            _check_range(item, values[item.pk])
        assessment = SelfAssessment.objects.create(participant=participant, moment=moment)
        SelfAssessmentAnswer.objects.bulk_create(
            SelfAssessmentAnswer(assessment=assessment, item=item, value=values[item.pk])
            for item in items
        )
    return assessment


def answers_given(participant: Participant, moment: str) -> SelfAssessment | None:
    """The participant's answers at one moment with their questions, if they answered."""
    return (
        SelfAssessment.objects.filter(participant=participant, moment=moment)
        .prefetch_related("answers__item")
        .first()
    )


def moment_status(
    participant: Participant, moment: str, today: dt.date, answered_at: dt.datetime | None = None
) -> dict:
    """Where one questionnaire stands for the participant today. The start one can never be
    answered once it closes, so its last day is shown while it is open; the end one says
    when it opens."""
    moment = Moment(moment)
    is_open = moment_open(participant, moment, today)
    state = moment_state(participant.cohort, moment, bool(answered_at), today)
    return {
        "moment": moment,
        "label": moment.label,
        "state": state,
        "answered_at": answered_at,
        "open": is_open,
        "answer_by": before_closes(participant) if moment == Moment.BEFORE else None,
        "opens_on": after_opens(participant) if moment == Moment.AFTER else None,
    }


def self_assessment_status(participant: Participant, today: dt.date) -> list[dict]:
    """For the participant's progress page: each moment's `moment_status`, in one query."""
    answered = dict(
        SelfAssessment.objects.filter(participant=participant).values_list("moment", "submitted_at")
    )
    return [
        moment_status(participant, moment, today, answered.get(moment.value)) for moment in Moment
    ]
