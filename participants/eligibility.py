"""The leaflet's "Who can participate?" criteria, judged from an Expression of Interest.

Each criterion is met, doubtful (the education lead should look) or not met, with the
reason in words. Pure functions over plain values, so they are quick to test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from i2i.rules import add_months

MET, DOUBTFUL, NOT_MET = "met", "doubtful", "not_met"
LABELS = {MET: "Met", DOUBTFUL: "Doubtful", NOT_MET: "Not met"}
# An appraisal older than this is doubtful evidence of current performance.
APPRAISAL_MONTHS = 15
MIN_WHY_LENGTH = 80


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    status: str
    reason: str

    @property
    def label(self) -> str:
        return LABELS[self.status]


def _fmt(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def judge(eoi, today: dt.date) -> list[Criterion]:
    """The summary the education lead reads beside each Expression of Interest."""
    return [
        _qualified(eoi),
        _year_in_role(eoi, today),
        _performing(eoi, today),
        _aiming(eoi),
        _enthusiasm(eoi),
        _support(eoi),
    ]


def _qualified(eoi) -> Criterion:
    title = "Professionally qualified"
    if eoi.registration_body and eoi.registration_number:
        return Criterion(
            "qualified",
            title,
            MET,
            f"Registered with {eoi.registration_body} ({eoi.registration_number}).",
        )
    return Criterion(
        "qualified", title, DOUBTFUL, "No professional registration body and number given."
    )


def _year_in_role(eoi, today: dt.date) -> Criterion:
    title = "At least a year in role since qualifying"
    if eoi.qualified_on is None:
        return Criterion("year_in_role", title, DOUBTFUL, "The date of qualification is missing.")
    if eoi.qualified_on > today:
        return Criterion(
            "year_in_role",
            title,
            NOT_MET,
            f"The date of qualification, {_fmt(eoi.qualified_on)}, is in the future.",
        )
    anniversary = add_months(eoi.qualified_on, 12)
    if anniversary <= today:
        return Criterion("year_in_role", title, MET, f"Qualified on {_fmt(eoi.qualified_on)}.")
    return Criterion(
        "year_in_role",
        title,
        NOT_MET,
        f"Qualified on {_fmt(eoi.qualified_on)}: less than a year ago (a year on "
        f"{_fmt(anniversary)}).",
    )


def _performing(eoi, today: dt.date) -> Criterion:
    title = "Performing well, as evidenced by appraisal"
    if eoi.performing_well is False:
        return Criterion(
            "performing", title, NOT_MET, "Not rated good or better at the last appraisal."
        )
    if eoi.performing_well is None or eoi.last_appraisal_on is None:
        return Criterion(
            "performing", title, DOUBTFUL, "The last appraisal's outcome or date is missing."
        )
    if eoi.last_appraisal_on > today:
        return Criterion(
            "performing",
            title,
            DOUBTFUL,
            f"The date of the last appraisal, {_fmt(eoi.last_appraisal_on)}, is in the future.",
        )
    if add_months(eoi.last_appraisal_on, APPRAISAL_MONTHS) < today:
        return Criterion(
            "performing",
            title,
            DOUBTFUL,
            f"The last appraisal was on {_fmt(eoi.last_appraisal_on)}, more than "
            f"{APPRAISAL_MONTHS} months ago.",
        )
    return Criterion(
        "performing",
        title,
        MET,
        f"Rated good or better at the appraisal on {_fmt(eoi.last_appraisal_on)}.",
    )


def _aiming(eoi) -> Criterion:
    title = "Aiming for a more senior role within about 12 months"
    if eoi.aiming_senior is False:
        return Criterion("aiming", title, NOT_MET, "Not aiming for a more senior role.")
    if eoi.aiming_senior is None:
        return Criterion("aiming", title, DOUBTFUL, "Not answered.")
    if not eoi.senior_role.strip():
        return Criterion("aiming", title, DOUBTFUL, "Aiming higher, but the role is not named.")
    return Criterion("aiming", title, MET, f"Aiming for: {eoi.senior_role.strip()}.")


def _enthusiasm(eoi) -> Criterion:
    title = "Genuine enthusiasm for taking part"
    words = len(eoi.why.split())
    if len(eoi.why.strip()) >= MIN_WHY_LENGTH:
        return Criterion("enthusiasm", title, MET, f"A {words}-word answer to “why take part”.")
    if not eoi.why.strip():
        return Criterion("enthusiasm", title, DOUBTFUL, "“Why take part” is not answered.")
    return Criterion(
        "enthusiasm", title, DOUBTFUL, f"A short answer to “why take part” ({words} words)."
    )


def _support(eoi) -> Criterion:
    title = "Supported by their line manager"
    if eoi.support == "confirmed":
        return Criterion("support", title, MET, "The line manager confirmed their support.")
    if eoi.support == "declined":
        comment = f": “{eoi.support_comment}”" if eoi.support_comment else "."
        return Criterion("support", title, NOT_MET, f"The line manager declined{comment}")
    if not eoi.discussed_with_line_manager:
        return Criterion(
            "support",
            title,
            DOUBTFUL,
            "They have not confirmed discussing it with their line manager.",
        )
    return Criterion("support", title, DOUBTFUL, "Waiting for the line manager to confirm support.")
