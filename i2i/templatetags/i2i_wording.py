"""Wording for a second reader. The rules (`i2i.rules`) write each commitment to the
participant ("Agree a service improvement initiative with your line manager"); the at-risk
reminder sends the same facts to their line manager, who must read them about someone else."""

import re

from django import template

register = template.Library()

# In this order: "with your line manager" before "your line manager" before "your".
_TO_LINE_MANAGER = (
    (re.compile(r"\byour line manager\b"), "you"),
    (re.compile(r"\bYour\b"), "Their"),
    (re.compile(r"\byour\b"), "their"),
)


@register.filter
def to_line_manager(text: str) -> str:
    """The participant's commitment text as their line manager reads it: "shared with your
    line manager" → "shared with you", "your employer" → "their employer"."""
    for pattern, replacement in _TO_LINE_MANAGER:
        text = pattern.sub(replacement, text)
    return text
