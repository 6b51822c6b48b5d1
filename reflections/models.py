"""Reflective accounts: the leaflet's "Reflect", private to the participant and line manager."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.dateparse import parse_datetime

from i2i.models import History
from participants.models import Participant
from placements.models import Placement
from reflections.frameworks import (
    ALL_PROMPT_LABELS,
    DEFAULT,
    FRAMEWORKS,
    NMC_THEMES,
    OUTCOME_RATINGS,
    Framework,
    Prompt,
    principle_labels,
)


class AccountStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared with line manager"
    DISCUSSED = "discussed", "Discussed with line manager"


# Shared with the line manager: what the commitment counts, and what they may read.
SHARED_STATUSES = frozenset({AccountStatus.SHARED, AccountStatus.DISCUSSED})


class ReflectiveAccount(models.Model):
    """One per placement. The live fields (`answers`, `outcome_ratings`, `code_themes`,
    `principles`, `workshop_learning`) are the participant's own, draft or not; the line
    manager reads `shared_version`, the copy taken when the participant last shared, so a
    half-written draft (or one reopened by "Ask for more") is never in front of them.
    Everyone else sees the status, and the short `workshop_learning` the participant
    chooses to put in the workshop pack."""

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="reflective_account"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="reflective_accounts", editable=False
    )
    framework = models.CharField(
        max_length=20,
        choices=[(f.code, f.name) for f in FRAMEWORKS.values()],
        default=DEFAULT,
    )
    # Prompt key -> text, for every framework ever used on this account.
    answers = models.JSONField(default=dict, blank=True)
    # Learning outcome id -> {"rating": "met"|"partly"|"not_yet", "comment": "..."}.
    outcome_ratings = models.JSONField(default=dict, blank=True)
    code_themes = models.JSONField(default=list, blank=True)
    principles = models.JSONField(default=list, blank=True)
    workshop_learning = models.TextField(
        "learning I will share at the workshop",
        blank=True,
        max_length=1500,
        help_text="A short paragraph for the workshop pack: the only part of your account "
        "anyone other than your line manager reads.",
    )
    status = models.CharField(
        max_length=12, choices=AccountStatus.choices, default=AccountStatus.DRAFT
    )
    # What the line manager reads: the account as it was last shared (`snapshot()`), kept
    # while the participant adds to it after "Ask for more", replaced when shared again.
    shared_version = models.JSONField(null=True, blank=True, editable=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    discussed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Reflective account: {self.placement}"

    @property
    def framework_spec(self):
        return FRAMEWORKS.get(self.framework, FRAMEWORKS[DEFAULT])

    @property
    def is_shared(self) -> bool:
        return self.status in SHARED_STATUSES

    def answer(self, key: str) -> str:
        return (self.answers or {}).get(key, "")

    def current_answers(self) -> list[tuple]:
        """(prompt, text) for the chosen framework, in order."""
        return [(p, self.answer(p.key)) for p in self.framework_spec.prompts]

    def snapshot(self) -> dict:
        """The account as the line manager is shown it, as plain data: the chosen
        framework's answers only (text kept under another framework was never shown to
        them), and each rated learning outcome with its text as it stood."""
        framework = self.framework_spec
        return {
            "framework": framework.code,
            "answers": {key: text for key, text in self.answers.items() if framework.prompt(key)}
            if self.answers
            else {},
            "outcome_ratings": [
                {"outcome_id": outcome.pk, "outcome": outcome.text, **rating}
                for outcome, rating in self._outcome_ratings(framework)
            ],
            "code_themes": list(self.code_themes or []) if framework.asks_code_themes else [],
            "principles": list(self.principles or []),
            "workshop_learning": self.workshop_learning,
            "shared_at": self.shared_at.isoformat() if self.shared_at else None,
        }

    def _outcome_ratings(self, framework: Framework):
        if not framework.rates_outcomes:
            return []
        saved = self.outcome_ratings or {}
        return [
            (
                outcome,
                {
                    "rating": saved.get(str(outcome.pk), {}).get("rating", ""),
                    "comment": saved.get(str(outcome.pk), {}).get("comment", ""),
                },
            )
            for outcome in self.placement.outcomes.all()
        ]

    def live_text(self) -> AccountText:
        """The text as it stands: the participant's to read, whatever the status."""
        return AccountText.from_snapshot(self.snapshot())

    def shared_text(self) -> AccountText | None:
        """The text as last shared, or None if it never was.

        Accounts made shared without the service (the demo, generated data, accounts
        shared before `shared_version` existed and not backfilled) have no copy; while
        such an account is shared or discussed its live text is what was shared, because
        the participant cannot change a shared account."""
        if self.shared_version is not None:
            return AccountText.from_snapshot(self.shared_version, being_added_to=not self.is_shared)
        if self.is_shared:
            return AccountText.from_snapshot(self.snapshot())
        return None

    def other_answers(self) -> list[tuple]:
        """Text written under another framework, kept so nothing is lost."""

        current = {p.key for p in self.framework_spec.prompts}
        return [
            (ALL_PROMPT_LABELS[key][0], ALL_PROMPT_LABELS[key][1], text)
            for key, text in (self.answers or {}).items()
            if key not in current and text and key in ALL_PROMPT_LABELS
        ]


class AccountEvent(History):
    """The history of an account's sharing and discussion, with who and when."""

    class Action(models.TextChoices):
        SHARED = "shared", "Shared with line manager"
        DISCUSSED = "discussed", "Discussion recorded"
        MORE_ASKED = "more_asked", "Line manager asked for more"

    account = models.ForeignKey(ReflectiveAccount, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    discussed_on = models.DateField(null=True, blank=True)


@dataclass(frozen=True)
class AccountText:
    """One version of an account's text, ready for the page and the PDF: the live text
    (the participant's) or the version last shared (the line manager's). Both are read
    from the same plain data (`ReflectiveAccount.snapshot()`), so they cannot differ in
    layout, only in what they hold."""

    framework: Framework
    answers: list[tuple[Prompt, str]]
    # (outcome text, rating label, comment), for frameworks that rate the outcomes.
    outcomes: list[tuple[str, str, str]]
    # (code, label, chosen) for every theme of the Code, for frameworks that ask for them.
    themes: list[tuple[str, str, bool]]
    workshop_learning: str
    shared_at: dt.datetime | None
    # The version shared before "Ask for more", while the participant adds to the draft.
    being_added_to: bool = False
    # The labels of the principles of workforce integration chosen, in their order.
    principles: tuple[str, ...] = ()

    @classmethod
    def from_snapshot(cls, data: dict, *, being_added_to: bool = False) -> AccountText:
        framework = FRAMEWORKS.get(data.get("framework"), FRAMEWORKS[DEFAULT])
        answers = data.get("answers") or {}
        ratings = dict(OUTCOME_RATINGS)
        chosen = set(data.get("code_themes") or [])
        shared_at = data.get("shared_at")
        return cls(
            framework=framework,
            answers=[(p, answers.get(p.key, "")) for p in framework.prompts],
            outcomes=[
                (
                    row.get("outcome", ""),
                    ratings.get(row.get("rating", ""), "Not rated"),
                    row.get("comment", ""),
                )
                for row in data.get("outcome_ratings") or []
            ],
            themes=[(code, label, code in chosen) for code, label in NMC_THEMES]
            if framework.asks_code_themes
            else [],
            workshop_learning=data.get("workshop_learning") or "",
            shared_at=parse_datetime(shared_at) if shared_at else None,
            being_added_to=being_added_to,
            principles=tuple(principle_labels(data.get("principles"))),
        )

    @property
    def code_themes(self) -> list[str]:
        return [label for _, label, chosen in self.themes if chosen]


class MidProgrammeReview(models.Model):
    """Around the half-way point the participant and their line manager hold a short review:
    what is going well, what help is needed, and the plan to the end of the six months. The
    line manager records it (`reflections.reviews`); like a reflective account, its words are
    for the two of them, and everyone else sees only whether it was held."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="mid_programme_review"
    )
    held_on = models.DateField("date the review was held")
    going_well = models.TextField("what is going well", max_length=4000)
    help_needed = models.TextField("what help is needed", blank=True, max_length=4000)
    plan = models.TextField("the plan to the end of the programme", max_length=4000)
    recorded_by = models.ForeignKey("participants.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mid-programme review"

    def __str__(self) -> str:
        return f"Mid-programme review: {self.participant}"
