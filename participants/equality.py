"""Optional equality monitoring on the Expression of Interest (issue 19, item 8).

An applicant may answer, after submitting, the usual protected characteristics, each with
"Prefer not to say". The answers sit in their own table (`EqualityMonitoring`), which no page
reads row by row: not the Expression of Interest, the selection pages, the CSV or the admin.
The programme manager sees them only here, counted at three stages (applied, selected,
completed) with every figure under five shown as "Fewer than 5", so that nobody can be
recognised from a small count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from i2i import access
from participants.models import EqualityMonitoring, ExpressionOfInterest, User

EOI = ExpressionOfInterest
# Below this many people a figure is not shown.
MIN_COUNT = 5
NOT_ANSWERED = "Not answered"
FEWER = f"Fewer than {MIN_COUNT}"

# (field, heading in the report), in the order the applicant answers them.
CHARACTERISTICS = [
    ("age_band", "Age"),
    ("sex", "Sex"),
    ("gender_same_as_birth", "Gender identity the same as sex registered at birth"),
    ("sexual_orientation", "Sexual orientation"),
    ("ethnic_group", "Ethnic group"),
    ("religion", "Religion or belief"),
    ("disability", "Disability"),
    ("pregnancy_maternity", "Pregnancy and maternity"),
    ("marriage_civil_partnership", "Marriage and civil partnership"),
]
FIELDS = [name for name, _ in CHARACTERISTICS]


@transaction.atomic
def equality_monitoring_save(*, eoi: EOI, by: User, **answers: str) -> EqualityMonitoring | None:
    """Store the applicant's own answers, apart from their Expression of Interest. Every
    answer may be left out; only the applicant, after submitting, may give them. With none
    given, nothing is kept (and answers given before are removed): they are not answered."""
    if not access.can_answer_equality_monitoring(by, eoi):
        raise ValidationError("Only the applicant answers their equality monitoring questions.")
    unknown = set(answers) - set(FIELDS)
    if unknown:
        raise ValidationError(f"Not an equality monitoring question: {', '.join(sorted(unknown))}")
    if not any(answers.get(name) for name in FIELDS):
        EqualityMonitoring.objects.filter(eoi=eoi).delete()
        return None
    monitoring = EqualityMonitoring.objects.filter(eoi=eoi).first() or EqualityMonitoring(eoi=eoi)
    for name in FIELDS:
        setattr(monitoring, name, answers.get(name) or "")
    monitoring.full_clean()
    monitoring.save()
    return monitoring


# The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    count: int
    # Hidden although 5 or more, so that a column's one small figure cannot be worked out
    # by subtraction from the others and the number who applied (`_protect`).
    withheld: bool = False

    @property
    def shown(self) -> bool:
        return self.count >= MIN_COUNT and not self.withheld

    def __str__(self) -> str:
        return str(self.count) if self.shown else FEWER


@dataclass(frozen=True)
class Row:
    answer: str
    applied: Cell
    selected: Cell
    completed: Cell


@dataclass(frozen=True)
class Characteristic:
    title: str
    rows: list[Row]


def _choices(name: str) -> list[tuple[str, str]]:
    return list(EqualityMonitoring._meta.get_field(name).choices)


def _key(name: str, value: str) -> str:
    return f"{name}__{value or 'not_answered'}"


def _count_answers(eois) -> dict[str, int]:
    """One query: every answer to every question, counted over `eois`. An applicant who
    skipped the step, or left a question blank, is "Not answered"."""
    aggregates = {}
    for name in FIELDS:
        for value, _ in _choices(name):
            aggregates[_key(name, value)] = Count(
                "pk", filter=Q(**{f"equality_monitoring__{name}": value})
            )
        aggregates[_key(name, "")] = Count(
            "pk",
            filter=Q(equality_monitoring__isnull=True) | Q(**{f"equality_monitoring__{name}": ""}),
        )
    return eois.order_by().aggregate(**aggregates)


def _protect(counts: list[int]) -> list[Cell]:
    """One stage's figures for one question. A column with a single figure under 5 would give
    it away (the total is known elsewhere), so the next-smallest is hidden with it."""
    cells = [Cell(count) for count in counts]
    if sum(1 for cell in cells if not cell.shown) == 1:
        smallest = min((c for c in cells if c.shown), key=lambda c: c.count, default=None)
        if smallest is not None:
            index = cells.index(smallest)
            cells[index] = Cell(smallest.count, withheld=True)
    return cells


def equality_report(cohort_ids: Iterable[int], completed_participant_ids: Iterable[int]):
    """Applied → selected → completed for each characteristic and answer, across the cohorts
    given, in three queries. Applied: a submitted Expression of Interest; selected: selected
    by the education lead; completed: its participant has met every commitment (the rules'
    report, worked out by the caller)."""
    submitted = EOI.objects.filter(cohort__in=list(cohort_ids), status=EOI.Status.SUBMITTED)
    applied = _count_answers(submitted)
    selected_eois = submitted.filter(decision=EOI.Decision.SELECTED)
    selected = _count_answers(selected_eois)
    completed = _count_answers(
        selected_eois.filter(participant__in=list(completed_participant_ids))
    )
    report = []
    for name, title in CHARACTERISTICS:
        answers = [*_choices(name), ("", NOT_ANSWERED)]
        columns = [
            _protect([stage[_key(name, value)] for value, _ in answers])
            for stage in (applied, selected, completed)
        ]
        rows = [Row(label, *cells) for (_, label), *cells in zip(answers, *columns, strict=True)]
        report.append(Characteristic(title, rows))
    return report
