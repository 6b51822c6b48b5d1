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


class FollowUpMoment(models.TextChoices):
    """After the workshop: does the programme outlast the six months? (The leaflet's
    "sustainable long-term professional networks"; the criteria's career progression.)"""

    SIX_MONTHS = "6-months", "6 months"
    TWELVE_MONTHS = "12-months", "12 months"

    @property
    def months(self) -> int:
        return 6 if self == FollowUpMoment.SIX_MONTHS else 12


class Band(models.TextChoices):
    BAND_2 = "band_2", "Agenda for Change band 2"
    BAND_3 = "band_3", "Agenda for Change band 3"
    BAND_4 = "band_4", "Agenda for Change band 4"
    BAND_5 = "band_5", "Agenda for Change band 5"
    BAND_6 = "band_6", "Agenda for Change band 6"
    BAND_7 = "band_7", "Agenda for Change band 7"
    BAND_8A = "band_8a", "Agenda for Change band 8a"
    BAND_8B = "band_8b", "Agenda for Change band 8b"
    BAND_8C = "band_8c", "Agenda for Change band 8c"
    BAND_8D = "band_8d", "Agenda for Change band 8d"
    BAND_9 = "band_9", "Agenda for Change band 9"
    SOCIAL_CARE = "social_care", "Social care (not on Agenda for Change)"
    OTHER = "other", "Other"
    PREFER_NOT = "prefer_not_to_say", "Prefer not to say"


# People met on placements one can still be in touch with, at most (the form's limit).
MAX_CONTACTS = 50


class FollowUp(models.Model):
    """One participant's answers 6 or 12 months after the workshop; submitted once, then kept
    as they were, so that 6 and 12 months can be compared person by person."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="follow_ups"
    )
    moment = models.CharField(max_length=10, choices=FollowUpMoment.choices)
    role = models.CharField("your role now", max_length=120)
    band = models.CharField("your band now", max_length=20, choices=Band.choices)
    promoted = models.BooleanField("promoted or in a new role since the programme")
    same_employer = models.BooleanField("still with the same employer")
    contacts = models.PositiveSmallIntegerField("people met on placements still in touch with")
    learning_use = models.TextField("how you use what you learned", blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "moment"],
                name="follow_up_once_per_moment",
                violation_error_message="You have already answered at this point.",
            ),
            models.CheckConstraint(
                condition=models.Q(contacts__lte=MAX_CONTACTS), name="follow_up_contacts_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – follow-up at {self.get_moment_display()}"
