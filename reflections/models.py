"""Reflective accounts: the leaflet's "Reflect", private to the participant and line manager."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from participants.models import Participant
from placements.models import Placement
from reflections.frameworks import DEFAULT, FRAMEWORKS, NMC_THEMES, OUTCOME_RATINGS


class AccountStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared with line manager"
    DISCUSSED = "discussed", "Discussed with line manager"


class ReflectiveAccount(models.Model):
    """One per placement. Its text is for the participant and their line manager only;
    everyone else sees its status, and the short `workshop_learning` the participant
    chooses to share."""

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
        return self.status in {AccountStatus.SHARED, AccountStatus.DISCUSSED}

    def answer(self, key: str) -> str:
        return (self.answers or {}).get(key, "")

    def current_answers(self) -> list[tuple]:
        """(prompt, text) for the chosen framework, in order."""
        return [(p, self.answer(p.key)) for p in self.framework_spec.prompts]

    def other_answers(self) -> list[tuple]:
        """Text written under another framework, kept so nothing is lost."""
        from reflections.frameworks import ALL_PROMPT_LABELS

        current = {p.key for p in self.framework_spec.prompts}
        return [
            (ALL_PROMPT_LABELS[key][0], ALL_PROMPT_LABELS[key][1], text)
            for key, text in (self.answers or {}).items()
            if key not in current and text and key in ALL_PROMPT_LABELS
        ]


class AccountEvent(models.Model):
    """The history of an account's sharing and discussion, with who and when."""

    class Action(models.TextChoices):
        SHARED = "shared", "Shared with line manager"
        DISCUSSED = "discussed", "Discussion recorded"
        MORE_ASKED = "more_asked", "Line manager asked for more"

    account = models.ForeignKey(ReflectiveAccount, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True, max_length=4000)
    discussed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by}"


def rated_outcomes(account: ReflectiveAccount) -> list[tuple]:
    """(outcome, rating label, comment) for frameworks that rate the learning outcomes."""
    if not account.framework_spec.rates_outcomes:
        return []
    labels = dict(OUTCOME_RATINGS)
    rows = []
    for outcome in account.placement.outcomes.all():
        saved = (account.outcome_ratings or {}).get(str(outcome.pk), {})
        rows.append(
            (outcome, labels.get(saved.get("rating", ""), "Not rated"), saved.get("comment", ""))
        )
    return rows


def code_theme_labels(account: ReflectiveAccount) -> list[str]:
    return [label for code, label in NMC_THEMES if code in (account.code_themes or [])]
