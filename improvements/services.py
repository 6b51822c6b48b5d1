"""Changes to improvement initiatives, their PDSA cycles, measures and data."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from i2i import access, dates
from i2i.emails import absolute_url, send_templated
from improvements.models import (
    AgreementDecision,
    AgreementStatus,
    DataPoint,
    ImprovementInitiative,
    InitiativeStatus,
    Measure,
    PDSACycle,
)
from participants.models import Participant, User
from reflections.frameworks import PRINCIPLE_CODES

# The parts of the initiative the line manager agrees to; changing one after agreement
# sends the initiative back to them.
AGREED_FIELDS = ("title", "problem", "aim", "measures_summary", "change_ideas", "kind")


def _check_owner(initiative_or_participant, by: User) -> None:
    participant = getattr(initiative_or_participant, "participant", initiative_or_participant)
    if not access.can_lead_initiative(by, participant):
        raise PermissionDenied("Participants lead their own improvement initiative.")


def _known_principles(fields: dict) -> dict:
    """Only the six principles' codes, once each and in their order, whichever way the
    choice arrives (form, admin, script)."""
    if "principles" in fields:
        chosen = set(fields["principles"] or ())
        fields = {**fields, "principles": [c for c in PRINCIPLE_CODES if c in chosen]}
    return fields


def _set_relations(initiative, placements, organisations) -> None:
    if placements is not None:
        initiative.placements.set(
            [p for p in placements if p.participant_id == initiative.participant_id]
        )
    if organisations is not None:
        initiative.organisations.set(organisations)


@transaction.atomic
def initiative_create(
    *, participant: Participant, by: User, placements=None, organisations=None, **fields
) -> ImprovementInitiative:
    _check_owner(participant, by)
    fields = _known_principles(fields)
    if ImprovementInitiative.objects.filter(participant=participant).exists():
        raise ValidationError("You already have an improvement initiative; change that one.")
    initiative = ImprovementInitiative(participant=participant, **fields)
    initiative.full_clean()
    initiative.save()
    _set_relations(initiative, placements, organisations)
    return initiative


@transaction.atomic
def initiative_update(
    *,
    initiative: ImprovementInitiative,
    by: User,
    placements=None,
    organisations=None,
    submit: bool = False,
    **fields,
) -> ImprovementInitiative:
    """Change the plan, and send it to the line manager when `submit` ("Save and send").
    Changing what the line manager agreed sends it back to them either way: one request to
    them, however the change was saved."""
    _check_owner(initiative, by)
    initiative = _locked(initiative)  # the line manager may have decided since the page loaded
    fields = _known_principles(fields)
    changed = [f for f in AGREED_FIELDS if f in fields and fields[f] != getattr(initiative, f)]
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.full_clean()
    initiative.save(update_fields=[*fields, "updated_at"])
    _set_relations(initiative, placements, organisations)
    if changed and initiative.agreement == AgreementStatus.AGREED:
        AgreementDecision.objects.create(
            initiative=initiative, action=AgreementDecision.Action.REOPENED, by=by
        )
        submit = True
    if submit:
        _submit(initiative, by)
    return initiative


@transaction.atomic
def initiative_submit(*, initiative: ImprovementInitiative, by: User) -> ImprovementInitiative:
    """Ask the line manager to agree the initiative."""
    _check_owner(initiative, by)
    return _submit(_locked(initiative), by)


def _submit(initiative: ImprovementInitiative, by: User) -> ImprovementInitiative:
    """Once: an initiative already waiting for the line manager (a double click, a second
    tab) is left as it is, with no second email. `initiative` is locked by the caller."""
    if initiative.agreement == AgreementStatus.SUBMITTED:
        return initiative
    manager = initiative.participant.line_manager
    if manager is None:
        raise ValidationError(
            "You have no line manager recorded yet; ask the programme manager to add them."
        )
    initiative.agreement = AgreementStatus.SUBMITTED
    initiative.save(update_fields=["agreement", "updated_at"])
    AgreementDecision.objects.create(
        initiative=initiative, action=AgreementDecision.Action.SUBMITTED, by=by
    )
    send_templated(
        to=[manager.email],
        subject=f"Improvement initiative to agree: {initiative.participant.user}",
        template="initiative_submitted",
        context={"initiative": initiative, "manager": manager, "url": _url(initiative)},
    )
    return initiative


def _url(initiative) -> str:
    return absolute_url(reverse("initiative_detail", args=[initiative.participant_id]))


def _decide(initiative, by: User, action: str, comment: str) -> ImprovementInitiative:
    participant = initiative.participant
    if not access.can_agree_initiative(by, initiative):
        raise PermissionDenied("Only the participant's line manager agrees the initiative.")
    if initiative.agreement != AgreementStatus.SUBMITTED:
        raise ValidationError(
            "This initiative is not waiting for your agreement; it may have been changed or "
            "decided already. Reload the page to see the latest."
        )
    initiative.agreement = action
    fields = ["agreement", "updated_at"]
    if action == AgreementStatus.AGREED:
        if initiative.agreed_first_at is None:
            initiative.agreed_first_at = timezone.now()
            fields.append("agreed_first_at")
        if initiative.status == InitiativeStatus.IDEA:
            initiative.status = InitiativeStatus.AGREED
            fields.append("status")
    initiative.save(update_fields=fields)
    AgreementDecision.objects.create(initiative=initiative, action=action, by=by, comment=comment)
    # The participant acts next (tests the change, or changes the plan); the line manager
    # made the decision and needs no email about it.
    send_templated(
        to=[participant.user.email],
        subject=f"Improvement initiative {'agreed' if action == 'agreed' else 'returned'}: "
        f"{participant.user}",
        template="initiative_decided",
        context={
            "initiative": initiative,
            "agreed": action == AgreementStatus.AGREED,
            "comment": comment,
            "by": by,
            "url": _url(initiative),
        },
    )
    return initiative


def _locked(initiative) -> ImprovementInitiative:
    return (
        ImprovementInitiative.objects.select_for_update(of=("self",))
        .select_related("participant__user", "participant__line_manager")
        .get(pk=initiative.pk)
    )


@transaction.atomic
def initiative_agree(
    *, initiative: ImprovementInitiative, by: User, comment: str = ""
) -> ImprovementInitiative:
    """The line manager agrees the plan: the `improvement` commitment is on track; it is met
    when the initiative is implemented and reviewed (`improvements.review`)."""
    return _decide(_locked(initiative), by, AgreementStatus.AGREED, comment.strip())


@transaction.atomic
def initiative_return(
    *, initiative: ImprovementInitiative, by: User, comment: str
) -> ImprovementInitiative:
    if not (comment or "").strip():
        raise ValidationError({"comment": "Say what to change, so the participant can act on it."})
    return _decide(_locked(initiative), by, AgreementStatus.RETURNED, comment.strip())


PARTICIPANT_STATUSES = {
    InitiativeStatus.TESTING,
    InitiativeStatus.IMPLEMENTED,
    InitiativeStatus.SUSTAINED,
    InitiativeStatus.STOPPED,
}


@transaction.atomic
def initiative_progress(
    *,
    initiative: ImprovementInitiative,
    by: User,
    status: str,
    stopped_reason: str = "",
    progress_score: Decimal | None = None,
) -> ImprovementInitiative:
    """Move the initiative on. Testing and beyond need the line manager's agreement first."""
    _check_owner(initiative, by)
    initiative = _locked(initiative)
    if status != initiative.status:
        if status not in PARTICIPANT_STATUSES:
            raise ValidationError(
                {"status": "The initiative becomes “agreed” when your line manager agrees it."}
            )
        if status != InitiativeStatus.STOPPED and not initiative.is_agreed:
            raise ValidationError(
                {
                    "status": "The I2I commitment is an initiative agreed with your line "
                    "manager: ask them to agree it before you start testing changes."
                }
            )
        if initiative.reviewed_at is not None and status in {
            InitiativeStatus.IDEA,
            InitiativeStatus.AGREED,
            InitiativeStatus.TESTING,
        }:
            # The status and the stage reached agree: reviewed is implemented at least.
            raise ValidationError(
                {
                    "status": "Your line manager has confirmed the initiative implemented: "
                    "choose implemented, sustained or stopped"
                }
            )
    if status == InitiativeStatus.STOPPED and not (stopped_reason or "").strip():
        raise ValidationError({"stopped_reason": "Say why the initiative stopped."})
    initiative.status = status
    initiative.stopped_reason = (stopped_reason or "").strip()
    initiative.progress_score = progress_score
    initiative.full_clean()
    initiative.save(update_fields=["status", "stopped_reason", "progress_score", "updated_at"])
    return initiative


@transaction.atomic
def initiative_outcome(*, initiative: ImprovementInitiative, by: User, **fields):
    _check_owner(initiative, by)
    initiative = _locked(initiative)
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.full_clean()
    initiative.save(update_fields=[*fields, "updated_at"])
    return initiative


@transaction.atomic
def pdsa_save(
    *, initiative: ImprovementInitiative, by: User, cycle: PDSACycle | None = None, **fields
) -> PDSACycle:
    """Record a PDSA cycle; new cycles are numbered in order."""
    _check_owner(initiative, by)
    if cycle is None:
        last = initiative.cycles.order_by("-number").values_list("number", flat=True).first()
        cycle = PDSACycle(initiative=initiative, number=(last or 0) + 1)
    for name, value in fields.items():
        setattr(cycle, name, value)
    first, last = _programme_years(initiative)
    errors = {
        name: f"Enter the {label} {dates.between(first, last)}, within a year of the programme."
        for name, label in (("starts_on", "start date"), ("ends_on", "end date"))
        if dates.outside(getattr(cycle, name), first, last)
    }
    if cycle.ends_on and cycle.starts_on and cycle.ends_on < cycle.starts_on:
        # The database's constraint says so too, but next to no field.
        errors.setdefault("ends_on", ENDS_BEFORE_IT_STARTS)
    if errors:
        raise ValidationError(errors)
    cycle.full_clean()
    cycle.save()
    return cycle


FUTURE_DATE = "The date must be today or in the past"
ENDS_BEFORE_IT_STARTS = "The end date must be the same as or after the start date"


def _programme_years(initiative: ImprovementInitiative) -> tuple[dt.date, dt.date]:
    """The days a cycle or a data point may fall on (`i2i.dates.programme_years`)."""
    return dates.programme_years(initiative.participant.cohort.programme_start)


@transaction.atomic
def measure_save(
    *, initiative: ImprovementInitiative, by: User, measure: Measure | None = None, **fields
) -> Measure:
    _check_owner(initiative, by)
    measure = measure or Measure(initiative=initiative)
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.full_clean()
    measure.save()
    return measure


def _check_measure_owner(measure: Measure, by: User) -> None:
    _check_owner(measure.initiative, by)


@transaction.atomic
def data_point_add(
    *,
    measure: Measure,
    by: User,
    date: dt.date,
    value: Decimal,
    note: str = "",
    starts_phase: bool = False,
    phase_label: str = "",
):
    _check_measure_owner(measure, by)
    first, last = _programme_years(measure.initiative)
    if dates.outside(date, first, last):
        raise ValidationError(
            {"date": f"Enter a date {dates.between(first, last)}, within a year of the programme."}
        )
    if date > timezone.localdate():
        # A reading not taken yet would count as data after the change, and in the readings.
        raise ValidationError({"date": FUTURE_DATE})
    existing = measure.points.filter(date=date).first()
    if existing:
        raise ValidationError(
            {
                "date": f"{date_format(date)} already has a value ({_number(existing.value)}); "
                "delete it first or choose another date."
            }
        )
    point = DataPoint(
        measure=measure,
        date=date,
        value=value,
        note=note,
        starts_phase=starts_phase,
        phase_label=phase_label.strip() if starts_phase else "",
    )
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def data_point_change_mark(
    *, point: DataPoint, by: User, starts_phase: bool, phase_label: str = ""
) -> DataPoint:
    """Mark (or unmark) the first point after a change: Making Data Count recalculates
    the limits from it (`improvements.spc`), so the baseline is judged on its own."""
    _check_measure_owner(point.measure, by)
    label = " ".join(phase_label.split()) if starts_phase else ""
    if starts_phase and not label:
        raise ValidationError({"phase_label": "Enter the change that starts at this point"})
    point.starts_phase = starts_phase
    point.phase_label = label
    point.full_clean()
    point.save(update_fields=["starts_phase", "phase_label"])
    return point


@transaction.atomic
def data_point_delete(*, point: DataPoint, by: User) -> None:
    _check_measure_owner(point.measure, by)
    point.delete()


# Pasting a spreadsheet column ------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d.%m.%Y")


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


MAX_VALUE = Decimal("999999999")

# What is left once the sign and any thousands separators are taken off: "12", "12.5", ".5".
_NUMBER = re.compile(r"\d+\.?\d*|\.\d+")


class _Unclear(ValueError):
    """A value that reads two ways: the row is named and the person asked which they meant."""


class _TooLarge(ValueError):
    """A value beyond what a data point holds."""


def _grouped(text: str, mark: str) -> bool:
    """Digits in threes, "1,250,000" or "1.250": the mark separates thousands."""
    return re.fullmatch(rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+", text) is not None


def _read_number(text: str, separator: str) -> Decimal | None:
    """The number in a cell, reading a decimal comma and thousands separators only where
    they cannot be misread: "12,5" and "1.250,75" are read; "1,250" (1250, or 1.25 with a
    decimal comma?) raises `_Unclear`, as does "1.250" in a row separated by semicolons
    (the spreadsheets that write those write a decimal comma); anything else that is not a
    number is None."""
    sign, body = "", text
    if body[:1] in "+-":
        sign, body = body[0], body[1:]
    if "," in body and "." in body:
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _, fraction = body.rpartition(decimal_mark)
        if not (_grouped(whole, group_mark) and fraction.isdigit()):
            return None
        body = f"{whole.replace(group_mark, '')}.{fraction}"
    elif body.count(",") > 1 or body.count(".") > 1:
        mark = "," if "," in body else "."
        if not _grouped(body, mark):
            return None
        body = body.replace(mark, "")
    elif "," in body:
        whole, fraction = body.split(",")
        if len(fraction) == 3 and whole.isdigit() and whole != "0":
            raise _Unclear(f"{sign}{whole}{fraction}", f"{sign}{whole}.{fraction}")
        body = f"{whole}.{fraction}"
    elif separator == ";" and re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", body):
        whole, fraction = body.split(".")
        raise _Unclear(f"{sign}{whole}{fraction}", f"{sign}{whole}.{fraction}")
    if not _NUMBER.fullmatch(body):
        return None
    return Decimal(f"{sign}{body}")


def _parse_value(text: str, separator: str = "\t") -> Decimal | None:
    """A number as a spreadsheet shows it ("12.5", "12,5", "1,250.75", "1.250,75", "85%",
    "£4"), kept to 3 decimal places; None if it is not a number. Raises `_Unclear` for a
    number that reads two ways and `_TooLarge` for one beyond what a data point holds."""
    cleaned = text.strip().rstrip("%").replace("£", "").strip()
    value = _read_number(cleaned, separator)
    if value is None:
        return None
    if abs(value) > MAX_VALUE:
        raise _TooLarge(cleaned)
    return value.quantize(Decimal("0.001"))


def _split(line: str) -> tuple[list[str], str]:
    """The cells of a row and what separated them: a tab, a semicolon or a comma (read as
    CSV, so that a quoted "1,250.75" stays one cell), or two or more spaces."""
    if "\t" in line:
        return [cell.strip() for cell in line.split("\t")], "\t"
    for separator in (";", ","):
        if separator in line:
            cells = next(csv.reader([line], delimiter=separator))
            return [cell.strip() for cell in cells], separator
    stripped = line.strip()
    if re.search(r"\s{2,}", stripped):
        return re.split(r"\s{2,}", stripped), "  "
    return [line], ""


def parse_pasted(
    text: str,
    existing: dict[dt.date, Decimal],
    within: tuple[dt.date, dt.date] = (dt.date.min, dt.date.max),
    today: dt.date | None = None,
) -> list[tuple[dt.date, Decimal]]:
    """Two columns pasted from a spreadsheet: a date (`within` the programme's years, and not
    after `today`) and a value, one row a line. Every bad row is reported by its line
    number; nothing is returned unless all are good."""
    rows: list[tuple[dt.date, Decimal]] = []
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    lines = (text or "").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        cells, separator = _split(line)
        cells = [c for c in cells if c != ""]
        if len(cells) < 2:
            errors.append(f"Line {number}: needs two columns, a date and a value.")
            continue
        if (
            separator == ","
            and len(cells) > 2
            and re.fullmatch(r"[+-]?\d+", cells[1])
            and re.match(r"\d", cells[2])
        ):
            # "3/3/2027,1,250": one value with a comma, or a value and a third column?
            errors.append(
                f"Line {number}: “{cells[1]},{cells[2][:20]}” is unclear in a row separated "
                "by commas; write the number without the comma, or with a decimal point, "
                "or separate the columns with a tab."
            )
            continue
        date = _parse_date(cells[0])
        try:
            value = _parse_value(cells[1], separator)
        except _Unclear as unclear:
            one, other = (_number(Decimal(v)) for v in unclear.args)
            errors.append(
                f"Line {number}: “{cells[1][:40]}” could be {one} or {other}; "
                f"write {one} or {other}, whichever you mean."
            )
            continue
        except _TooLarge as too_large:
            errors.append(
                f"Line {number}: {str(too_large)[:40]} is too large; the largest value is "
                f"{MAX_VALUE:,}."
            )
            continue
        if date is None and value is None and not rows and not errors:
            continue  # a header row, such as "Date, Days to first visit"
        if date is None:
            errors.append(
                f"Line {number}: “{cells[0][:40]}” is not a date; write it as 3/3/2027 "
                "or 2027-03-03."
            )
            continue
        if value is None:
            errors.append(f"Line {number}: “{cells[1][:40]}” is not a number.")
            continue
        if dates.outside(date, *within):
            errors.append(
                f"Line {number}: {date_format(date)} is not {dates.between(*within)}, within "
                "a year of the programme; check the year."
            )
            continue
        if today is not None and date > today:
            errors.append(
                f"Line {number}: {date_format(date)} is after today; "
                f"{FUTURE_DATE[:1].lower()}{FUTURE_DATE[1:]}."
            )
            continue
        if date in seen:
            errors.append(
                f"Line {number}: {date_format(date)} is also on line {seen[date]}; "
                "give each date one value."
            )
            continue
        if date in existing:
            errors.append(
                f"Line {number}: {date_format(date)} already has a value "
                f"({_number(existing[date])}); delete it from the table first."
            )
            continue
        seen[date] = number
        rows.append((date, value))
    if errors:
        raise ValidationError({"data": errors})
    if not rows:
        raise ValidationError({"data": "Paste at least one row: a date and a value."})
    return rows


@transaction.atomic
def data_points_paste(*, measure: Measure, by: User, text: str) -> list[DataPoint]:
    """All rows or none: a bad row means nothing is saved, so the paste can be fixed and
    tried again."""
    _check_measure_owner(measure, by)
    existing = dict(measure.points.values_list("date", "value"))
    rows = parse_pasted(
        text, existing, _programme_years(measure.initiative), today=timezone.localdate()
    )
    points = [DataPoint(measure=measure, date=date, value=value) for date, value in rows]
    for point in points:
        point.full_clean(exclude=["measure"])
    return DataPoint.objects.bulk_create(points)
