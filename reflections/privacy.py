"""A gentle check that a reflective account does not identify a service user or patient.

It warns and never blocks: the participant decides. Patterns are deliberately narrow to
avoid crying wolf on ordinary dates and numbers.
"""

from __future__ import annotations

import re

NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
DATE_OF_BIRTH = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\b[:\s]*\d{1,2}[/.\- ]\d{1,2}[/.\- ]\d{2,4}"
    r"|\b\d{1,2}/\d{1,2}/(?:19\d{2}|20(?:0\d|1[0-5]))\b",
    re.IGNORECASE,
)
UK_PHONE = re.compile(
    r"(?<!\d)(?:\+44\s?|0)(?:7\d{3}|1\d{3}|2\d|3\d{2}|8\d{2})[\s-]?\d{3}[\s-]?\d{3,4}(?!\d)"
)


def _valid_nhs_number(digits: str) -> bool:
    """The NHS number's modulus 11 check digit, so that any ten digits do not trip it."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def identifying_details(text: str) -> list[str]:
    """What in the text looks like it could identify someone, in words a person understands."""
    found = []
    if any(_valid_nhs_number("".join(m.groups())) for m in NHS_NUMBER.finditer(text or "")):
        found.append("an NHS number")
    if DATE_OF_BIRTH.search(text or ""):
        found.append("a date of birth")
    if UK_PHONE.search(text or ""):
        found.append("a phone number")
    return found
