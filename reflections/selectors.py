"""Reads that carry reflective learning forward into the next steps of the programme.

They read the live text, drafts included, so they belong on the participant's own pages only
(their learning outcomes form, their improvement initiative form); a line manager reads an
account only through `access.account_text_for`."""

from __future__ import annotations

from reflections.frameworks import FRAMEWORKS
from reflections.models import ReflectiveAccount


def next_learning(participant, exclude_placement=None) -> list[tuple[str, str]]:
    """(organisation, text) of "what I want to learn next" from the participant's accounts,
    shown beside the learning outcomes of their next placement."""
    accounts = ReflectiveAccount.objects.filter(participant=participant).select_related(
        "placement__organisation"
    )
    if exclude_placement is not None:
        accounts = accounts.exclude(placement=exclude_placement)
    rows = []
    for account in accounts:
        key = FRAMEWORKS[account.framework].next_learning_key
        text = account.answer(key).strip() if key else ""
        if text:
            rows.append((account.placement.organisation.name, text))
    return rows


def improvement_ideas(participant) -> list[tuple[str, str]]:
    """(organisation, text) of the ideas for the improvement initiative in every account."""
    rows = []
    for account in ReflectiveAccount.objects.filter(participant=participant).select_related(
        "placement__organisation"
    ):
        key = FRAMEWORKS[account.framework].ideas_key
        text = account.answer(key).strip() if key else ""
        if text:
            rows.append((account.placement.organisation.name, text))
    return rows
