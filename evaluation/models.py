"""Did the programme work? The participants' self-assessment before and after.

The questions are rows (`SelfAssessmentItem`), one set per cohort, so the programme
manager can word them for a cohort before it starts; once anyone has answered, they are
frozen, because a before/after comparison is only honest when both moments answered the
same question.
"""

from __future__ import annotations

from django.db import models

from participants.models import Cohort, Participant


class ItemKind(models.TextChoices):
    SCALE = "scale", "A scale from 1 to 5"
    COUNT = "count", "A number"


class Moment(models.TextChoices):
    """When a participant answers: at the briefing, and again at the workshop."""

    BEFORE = "before", "At the start"
    AFTER = "after", "At the end"


class SelfAssessmentItem(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assessment_items")
    # Stable across cohorts, so the partnership can compare the same question cohort by cohort.
    key = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=ItemKind.choices, default=ItemKind.SCALE)
    question = models.CharField(max_length=300)
    short_label = models.CharField(
        "short label", max_length=60, help_text="For charts and tables, e.g. “Communication”."
    )
    # The five labelled points of a scale item, lowest first; empty for a count.
    scale_labels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["cohort", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "key"], name="assessment_item_key_once")
        ]

    def __str__(self) -> str:
        return self.short_label

    @property
    def points(self) -> list[tuple[int, str]]:
        return list(enumerate(self.scale_labels, start=1))


class SelfAssessment(models.Model):
    """One participant's answers at one moment; submitted once, then kept as they were."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="self_assessments"
    )
    moment = models.CharField(max_length=8, choices=Moment.choices)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "moment"],
                name="self_assessment_once_per_moment",
                violation_error_message="You have already answered at this point.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.get_moment_display().lower()}"


class SelfAssessmentAnswer(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    # PROTECT: an answered question cannot be deleted from under its answers.
    item = models.ForeignKey(SelfAssessmentItem, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item"),
            # The widest range any question allows (a count up to 200); a scale is 1–5,
            # checked by the service.
            models.CheckConstraint(condition=models.Q(value__lte=200), name="answer_within_range"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"
