"""Placements, their learning outcomes and half-days: the leaflet's "Plan" and "Do"."""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Q

from i2i import rules
from i2i.models import History
from i2i.templatetags.i2i_formats import clock_text
from participants.models import Organisation, Participant, User, validate_clearances


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


class ClearanceKind(models.TextChoices):
    DBS = rules.Clearance.DBS, rules.CLEARANCE_LABELS[rules.Clearance.DBS]
    HONORARY_CONTRACT = (
        rules.Clearance.HONORARY_CONTRACT,
        rules.CLEARANCE_LABELS[rules.Clearance.HONORARY_CONTRACT],
    )
    INFORMATION_GOVERNANCE = (
        rules.Clearance.INFORMATION_GOVERNANCE,
        rules.CLEARANCE_LABELS[rules.Clearance.INFORMATION_GOVERNANCE],
    )
    ID_BADGE = rules.Clearance.ID_BADGE, rules.CLEARANCE_LABELS[rules.Clearance.ID_BADGE]
    LOCAL_INDUCTION = (
        rules.Clearance.LOCAL_INDUCTION,
        rules.CLEARANCE_LABELS[rules.Clearance.LOCAL_INDUCTION],
    )
    OTHER = rules.Clearance.OTHER, rules.CLEARANCE_LABELS[rules.Clearance.OTHER]


class PlacementOffer(models.Model):
    """What a host organisation offers a visitor, and how many visitors a month it can take.
    Participants browse offers when planning a placement; they may still propose their own."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="placement_offers"
    )
    title = models.CharField(max_length=200)
    description = models.TextField("what a visitor can see and do", max_length=4000)
    location = models.CharField("where", max_length=200, blank=True)
    who_you_meet = models.CharField("who they meet", max_length=300, blank=True)
    # Codes from `i2i.rules.Clearance`, on top of the host's own `required_clearances`.
    clearances = models.JSONField(
        "checks a visitor needs", default=list, blank=True, validators=[validate_clearances]
    )
    visitors_per_month = models.PositiveSmallIntegerField(
        "visitors a month",
        default=2,
        help_text="How many visitors can start half-days with you in one calendar month.",
    )
    is_published = models.BooleanField(
        "published", default=True, help_text="Shown to participants planning a placement."
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visitors_per_month__gte=1),
                name="offer_takes_a_visitor",
                violation_error_message="An offer takes at least one visitor a month.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


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
    offer = models.ForeignKey(
        PlacementOffer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        help_text="The host's offer this placement takes up, if any.",
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


# The typical times of each half of the day: the half-day form fills them from the session
# chosen, a half-day saved without times takes them, and migration 0004 gave them to the
# half-days logged before times were recorded.
TYPICAL_TIMES = {
    Session.MORNING: (dt.time(9, 0), dt.time(12, 30)),
    Session.AFTERNOON: (dt.time(13, 30), dt.time(17, 0)),
}


class TimesOnTheDay(Func):
    """The half-day as a PostgreSQL range of timestamps, [start, end): its date plus each time.
    An end at 12:30 and a start at 12:30 do not overlap."""

    template = "tsrange((%(date)s + %(starts)s), (%(date)s + %(ends)s), '[)')"
    output_field = models.DateTimeField()

    def __init__(self, **extra):
        super().__init__(F("date"), F("starts_at"), F("ends_at"), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        (date, date_params), (starts, starts_params), (ends, ends_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        sql = self.template % {"date": date, "starts": starts, "ends": ends}
        return sql, (*date_params, *starts_params, *date_params, *ends_params)


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL, nothing on other databases: `make run` uses
    SQLite, which has none, so there the service alone refuses (`_check_half_day`)."""

    @staticmethod
    def _on_postgresql(connection) -> bool:
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        if self._on_postgresql(schema_editor.connection):
            return super().constraint_sql(model, schema_editor)
        return None

    def create_sql(self, model, schema_editor):
        if self._on_postgresql(schema_editor.connection):
            return super().create_sql(model, schema_editor)
        return None

    def remove_sql(self, model, schema_editor):
        if self._on_postgresql(schema_editor.connection):
            return super().remove_sql(model, schema_editor)
        return None

    def validate(self, model, instance, exclude=None, using="default"):
        """The service checks overlaps itself, with the message the participant reads; the
        constraint is the database's last word when two requests race."""
        return


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
    # Times, not halves (issue #20): the session fills typical times (`TYPICAL_TIMES`); two
    # half-days of one participant may not overlap (`half_day_times_do_not_overlap`).
    starts_at = models.TimeField("start time")
    ends_at = models.TimeField("end time")
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
        ordering = ["date", "starts_at"]
        constraints = [
            # A day has two halves and the commitment counts half-days: two in one morning
            # would count twice. The times (below) refuse any overlap besides.
            models.UniqueConstraint(
                fields=["participant", "date", "session"],
                condition=~Q(status="cancelled"),
                name="half_day_one_place_at_a_time",
                violation_error_message="You already have a half-day booked then.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="half_day_ends_after_it_starts",
                violation_error_message="Enter an end time later than the start time.",
            ),
            # btree_gist (migration 0004) lets a GiST index compare the participant with =.
            PostgresExclusionConstraint(
                name="half_day_times_do_not_overlap",
                expressions=[
                    ("participant", RangeOperators.EQUAL),
                    (TimesOnTheDay(), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status="cancelled"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_session_display().lower()}"

    def save(self, *args, **kwargs):
        self.fill_typical_times()
        super().save(*args, **kwargs)

    def fill_typical_times(self) -> None:
        """Times left blank are the session's typical times."""
        typical = TYPICAL_TIMES.get(self.session)
        if typical:
            self.starts_at = self.starts_at or typical[0]
            self.ends_at = self.ends_at or typical[1]

    @property
    def times(self) -> str:
        """How every page and email shows a half-day's times: "9:00am to 12:30pm"."""
        if not (self.starts_at and self.ends_at):
            return ""
        return f"{clock_text(self.starts_at)} to {clock_text(self.ends_at)}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ClearanceRecord(models.Model):
    """One check done for one placement: who confirmed it and when. The first half-day waits
    until every check the host and the offer need is recorded."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="clearances")
    kind = models.CharField("check", max_length=32, choices=ClearanceKind.choices)
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by_name = models.CharField("confirmed by", max_length=150)
    confirmed_on = models.DateField("confirmed on")
    note = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placement", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind"], name="clearance_once_per_placement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.placement}"


class HostFeedback(models.Model):
    """The participant's short account of the host after a completed placement: optional,
    read by the programme manager by host and in aggregate."""

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="host_feedback"
    )
    rating = models.PositiveSmallIntegerField(
        "how was the placement overall?",
        null=True,
        blank=True,
        choices=[
            (5, "Very good"),
            (4, "Good"),
            (3, "Neither good nor poor"),
            (2, "Poor"),
            (1, "Very poor"),
        ],
    )
    comment = models.TextField(
        "what went well, and what could be better", blank=True, max_length=2000
    )
    given_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Feedback on {self.placement.organisation}"


class ParticipantFeedback(models.Model):
    """The host person's short feedback to the participant after the placement; the
    participant sees it."""

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="participant_feedback"
    )
    comment = models.TextField("feedback for the visitor", max_length=2000)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    given_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Feedback for {self.placement.participant}"


class Concern(models.Model):
    """A cause for concern about a placement, raised by anyone involved and handled by the
    programme manager; every step is kept in `ConcernStep`."""

    class Kind(models.TextChoices):
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        CONDUCT = "conduct", "Conduct"
        SAFEGUARDING = "safeguarding", "Safeguarding"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="concerns")
    kind = models.CharField("what it is about", max_length=16, choices=Kind.choices)
    description = models.TextField("what happened", max_length=4000)
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_as = models.CharField("raised as", max_length=20)
    raised_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome = models.TextField("how it was resolved", blank=True, max_length=4000)

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} concern about {self.placement}"


class ConcernStep(History):
    """Raised, an action taken, closed, reopened: the concern's history."""

    class Action(models.TextChoices):
        RAISED = "raised", "Raised"
        ACTION = "action", "Action recorded"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=12, choices=Action.choices)
