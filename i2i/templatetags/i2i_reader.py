"""Words that address the reader. The rules and the reflective frameworks write to the
participant ("Your professional learning", "shared with your line manager"); their line
manager, sponsor and the programme manager read the same pages about someone else, so a
page says "Riley's professional learning" to them and "Your professional learning" to Riley.
"""

from __future__ import annotations

import re

from django import template

from i2i.templatetags.i2i_wording import to_line_manager

register = template.Library()

SELF, LINE_MANAGER, OTHER = "self", "line_manager", "other"

_TO_THIRD_PERSON = (
    (re.compile(r"\byourself\b"), "themselves"),
    (re.compile(r"\bYour\b"), "Their"),
    (re.compile(r"\byour\b"), "their"),
    (re.compile(r"\bYou\b"), "They"),
    (re.compile(r"\byou\b"), "they"),
)


def reader_of_participant(user, participant) -> str:
    """ "self" for the participant, "line_manager" for their line manager, else "other"."""
    if participant is None or user is None or not getattr(user, "is_authenticated", False):
        return OTHER
    if participant.user_id == user.pk:
        return SELF
    if participant.line_manager_id == user.pk:
        return LINE_MANAGER
    return OTHER


def possessive(name: str) -> str:
    """Riley’s, James’s (the GOV.UK style), with the typographic apostrophe the pages use."""
    return f"{name}’s"


def third_person(text: str) -> str:
    for pattern, replacement in _TO_THIRD_PERSON:
        text = pattern.sub(replacement, text)
    return text


@register.simple_tag(takes_context=True)
def reader_of(context, participant) -> str:
    """`{% reader_of p as reader %}`: who is reading about this participant."""
    return reader_of_participant(context.get("user"), participant)


@register.filter
def for_reader(text: str, reader: str) -> str:
    """A sentence from the rules, as this reader reads it: unchanged for the participant,
    "shared with you" for their line manager, "their employer" for everyone else."""
    text = str(text)
    if reader == SELF:
        return text
    if reader == LINE_MANAGER:
        return to_line_manager(text)
    return third_person(text)


@register.filter
def addressed(label: str, name: str) -> str:
    """A heading written to the participant, for someone else reading about them (`name`,
    or "" for the participant themselves): "Your professional learning" becomes "Riley's
    professional learning", "What did you learn from it?" becomes "What did they learn from
    it?"."""
    label = str(label)
    if not name:
        return label
    if label.startswith("Your "):
        label = f"{possessive(name)} {label[len('Your ') :]}"
    return third_person(label)


@register.simple_tag(takes_context=True)
def name_for_reader(context, participant) -> str:
    """`{% name_for_reader p as name %}`: "" when the participant reads (the page says
    "Your"), else their first name, for `addressed` and "Riley's reflective account"."""
    if reader_of_participant(context.get("user"), participant) == SELF:
        return ""
    return participant.user.get_short_name()
