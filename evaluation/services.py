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
    cohort = participant.cohort
    end = cohort.workshop_date or cohort.programme_end
    return end - dt.timedelta(days=AFTER_OPENS_DAYS_BEFORE)


def before_closes(participant: Participant) -> dt.date:
    """The last day to answer at the start (never after the end questions open)."""
    start = participant.cohort.programme_start
    last = start + dt.timedelta(days=BEFORE_CLOSES_DAYS_AFTER_START)
    return min(last, after_opens(participant) - dt.timedelta(days=1))


def moment_open(participant: Participant, moment: str, today: dt.date) -> bool:
    if moment == Moment.AFTER:
        return today >= after_opens(participant)
    return today <= before_closes(participant)


def why_closed(participant: Participant, moment: str) -> str:
    if moment == Moment.AFTER:
        opens = date_format(after_opens(participant))
        return f"The end-of-programme questions open on {opens}, four weeks before the workshop."
    return (
        f"The start-of-programme questions closed on {date_format(before_closes(participant))}, "
        "four weeks into the programme: answering them now would not show where you started."
    )


def _check_range(item: SelfAssessmentItem, value) -> None:
    low, high = (1, 5) if item.kind == ItemKind.SCALE else (0, MAX_COUNT)
    if not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"Answer “{item.short_label}” with a number from {low} to {high}.")


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
            raise ValidationError("You have already answered these questions; answers are kept.")
        items = items_for(participant.cohort)
        missing = [item.short_label for item in items if item.pk not in values]
        if missing or set(values) - {item.pk for item in items}:
            raise ValidationError("Answer every question: " + ", ".join(missing) + ".")
        for item in items:
            _check_range(item, values[item.pk])
        assessment = SelfAssessment.objects.create(participant=participant, moment=moment)
        SelfAssessmentAnswer.objects.bulk_create(
            SelfAssessmentAnswer(assessment=assessment, item=item, value=values[item.pk])
            for item in items
        )
    return assessment


def self_assessment_status(participant: Participant, today: dt.date) -> list[dict]:
    """For the participant's progress page: each moment, whether answered, open, and when."""
    answered = dict(
        SelfAssessment.objects.filter(participant=participant).values_list("moment", "submitted_at")
    )
    return [
        {
            "moment": moment,
            "label": moment.label,
            "answered_at": answered.get(moment.value),
            "open": moment_open(participant, moment, today),
            "opens_on": after_opens(participant),
            "closed_on": before_closes(participant),
        }
        for moment in Moment
    ]
