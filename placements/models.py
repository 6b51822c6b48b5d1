"""Placements, their learning outcomes and half-days: the leaflet's "Plan" and "Do"."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from i2i import rules
from i2i.models import History
from participants.models import Organisation, Participant


class PlacementStatus(models.TextChoices):
    PLANNED = rules.PlacementStatus.PLANNED, "Planned"
    AGREED = rules.PlacementStatus.AGREED, "Agreed with the host"
    IN_PROGRESS = rules.PlacementStatus.IN_PROGRESS, "In progress"
    COMPLETE = rules.PlacementStatus.COMPLETE, "Complete"
    WITHDRAWN = rules.PlacementStatus.WITHDRAWN, "Withdrawn"


class OutcomesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for line manager"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned with comments"


class PlacementQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related(
            "organisation",
            "participant__user",
            "participant__cohort",
            "participant__organisation",
            "participant__line_manager",
        )

    def awaiting_approval_by(self, user):
        return self.filter(
            participant__line_manager=user, outcomes_status=OutcomesStatus.SUBMITTED
        ).exclude(status=PlacementStatus.WITHDRAWN)


class Placement(models.Model):
    """One placement with a host organisation: four half-days, with agreed learning outcomes."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="placements"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hosted_placements",
        verbose_name="host organisation",
    )
    contact_name = models.CharField("name of the person to meet", max_length=150)
    contact_role = models.CharField("their role", max_length=150, blank=True)
    contact_email = models.EmailField("their email", blank=True)
    contact_phone = models.CharField("their phone", max_length=40, blank=True)
    relevance_services = models.TextField(
        "how it links to the services you deliver",
        blank=True,
        help_text="The services you deliver as a qualified professional.",
        max_length=4000,
    )
    relevance_interfaces = models.TextField(
        "how it links to the interfaces you already have",
        blank=True,
        help_text="Where your service users arrive from or go next.",
        max_length=4000,
    )
    relevance_career = models.TextField(
        "how it links to your career plans",
        blank=True,
        help_text="Your current role or agreed next career step.",
        max_length=4000,
    )
    status = models.CharField(
        max_length=16, choices=PlacementStatus.choices, default=PlacementStatus.PLANNED
    )
    outcomes_status = models.CharField(
        "learning outcomes", max_length=16, choices=OutcomesStatus.choices, default="draft"
    )
    outcomes_first_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.participant.user} at {self.organisation}"

    @property
    def outcomes_approved(self) -> bool:
        return self.outcomes_status == OutcomesStatus.APPROVED

    @property
    def outcomes_editable(self) -> bool:
        return self.status != PlacementStatus.WITHDRAWN


class LearningOutcome(models.Model):
    """What the participant wants to learn on a placement, agreed with their line manager."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField("learning outcome", max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class OutcomesDecision(History):
    """The audit trail of learning outcomes: every submission and decision, by whom and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned with comments"
        REOPENED = "reopened", "Changed after approval"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=16, choices=Action.choices)
    # The outcomes as they stood, so that a later edit cannot rewrite what was approved.
    outcomes_snapshot = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by} on {self.at:%Y-%m-%d}"


class Session(models.TextChoices):
    MORNING = "am", "Morning"
    AFTERNOON = "pm", "Afternoon"


class Level(models.TextChoices):
    FRONT_LINE = "front_line", "Front line"
    TEAM_LEADER = "team_leader", "Team leader or manager"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    OTHER = "other", "Other"


class HalfDayStatus(models.TextChoices):
    PLANNED = rules.HalfDayStatus.PLANNED, "Planned"
    COMPLETED = rules.HalfDayStatus.COMPLETED, "Completed"
    CANCELLED = rules.HalfDayStatus.CANCELLED, "Cancelled"


class HalfDay(models.Model):
    """A morning or afternoon with the host organisation: four make a placement."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="half_days")
    # Kept here as well as on the placement so that the database can refuse two places at once.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="half_days", editable=False
    )
    date = models.DateField()
    session = models.CharField(max_length=2, choices=Session.choices)
    location = models.CharField(max_length=200, blank=True)
    person_met = models.CharField(
        "who you met", max_length=150, help_text="A person, team or group."
    )
    level = models.CharField("their level", max_length=16, choices=Level.choices)
    pathway_connection = models.CharField(
        "their connection to the care pathway",
        max_length=300,
        blank=True,
        help_text="For example: receives patients from your ward on discharge.",
    )
    status = models.CharField(
        max_length=16, choices=HalfDayStatus.choices, default=HalfDayStatus.PLANNED
    )
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_by_name = models.CharField(max_length=150, blank=True, editable=False)

    class Meta:
        ordering = ["date", "session"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "date", "session"],
                condition=~Q(status="cancelled"),
                name="half_day_one_place_at_a_time",
                violation_error_message="You already have a half-day booked then.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_session_display().lower()}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
