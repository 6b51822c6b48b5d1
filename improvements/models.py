"""The service improvement initiative: the leaflet's "Act", in the Model for Improvement."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from i2i.models import History
from participants.models import Organisation, Participant, User
from placements.models import Placement


class ChangeKind(models.TextChoices):
    """The leaflet's examples of a modest improvement."""

    COMMUNICATION = "communication", "Communication between teams"
    MEETING_TIME = "meeting_time", "Timing of a regular meeting"
    FORMS = "forms", "Updating key forms"
    GUIDE = "guide", "A guide for service users or patients to the pathway"
    DUPLICATION = "duplication", "Removing duplication"
    OTHER = "other", "Other"


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    AGREED = "agreed", "Agreed with line manager"
    TESTING = "testing", "Testing changes"
    IMPLEMENTED = "implemented", "Implemented"
    SUSTAINED = "sustained", "Sustained"
    STOPPED = "stopped", "Stopped"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for line manager"
    AGREED = "agreed", "Agreed"
    RETURNED = "returned", "Returned with comments"


# The IHI Improvement Project Progress Scale.
PROGRESS_SCALE = [
    (Decimal("1.0"), "1.0 Forming team"),
    (Decimal("1.5"), "1.5 Planning for the project has begun"),
    (Decimal("2.0"), "2.0 Activity, but no changes"),
    (Decimal("2.5"), "2.5 Changes tested, but no improvement"),
    (Decimal("3.0"), "3.0 Modest improvement"),
    (Decimal("3.5"), "3.5 Improvement"),
    (Decimal("4.0"), "4.0 Significant improvement"),
    (Decimal("4.5"), "4.5 Sustainable improvement"),
    (Decimal("5.0"), "5.0 Outstanding sustainable results"),
]


class ImprovementInitiative(models.Model):
    """One per participant: a modest change that helps organisations work together and
    improves the service user's or patient's experience of the pathway."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="improvement"
    )
    title = models.CharField(max_length=200)
    problem = models.TextField(
        "the problem or opportunity",
        help_text="What you saw on your placements.",
        max_length=5000,
    )
    placements = models.ManyToManyField(
        Placement, blank=True, related_name="+", verbose_name="placements it came from"
    )
    aim = models.TextField(
        "what are we trying to accomplish?",
        help_text="An aim that is specific, time-bound and numeric where possible: for "
        "example, “reduce the days from referral to first visit from 9 to 5 by June”.",
        max_length=5000,
    )
    measures_summary = models.TextField(
        "how will we know that a change is an improvement?",
        help_text="The measures you will track; add their data below.",
        max_length=5000,
    )
    change_ideas = models.TextField(
        "what changes can we make that will result in improvement?", max_length=5000
    )
    kind = models.CharField("kind of change", max_length=20, choices=ChangeKind.choices)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name="organisations involved"
    )
    teams = models.CharField("teams involved", max_length=300, blank=True)
    # Codes from `reflections.frameworks.PRINCIPLES`: the principles of workforce
    # integration the initiative shows, counted in the evaluation report and workshop pack.
    principles = models.JSONField(
        "principles of workforce integration it shows", default=list, blank=True
    )
    status = models.CharField(
        max_length=12, choices=InitiativeStatus.choices, default=InitiativeStatus.IDEA
    )
    stopped_reason = models.TextField("why it stopped", blank=True, max_length=4000)
    progress_score = models.DecimalField(
        "progress score",
        max_digits=2,
        decimal_places=1,
        choices=PROGRESS_SCALE,
        null=True,
        blank=True,
        help_text="On the IHI progress scale; leave blank to use the suggested score.",
    )
    agreement = models.CharField(
        "line manager's agreement",
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
    )
    agreed_first_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome_what_changed = models.TextField("what changed", blank=True, max_length=5000)
    outcome_for_whom = models.TextField("for whom", blank=True, max_length=5000)
    outcome_evidence = models.TextField("the evidence", blank=True, max_length=5000)
    outcome_learning = models.TextField("what you learnt", blank=True, max_length=5000)
    outcome_sustain = models.TextField("how it will be sustained", blank=True, max_length=5000)
    # Co-production (the principles ask that people with care and support needs are involved).
    co_production = models.TextField(
        "who with lived experience was involved, and how",
        blank=True,
        help_text="For example: two carers helped rewrite the leaflet and tested it.",
        max_length=4000,
    )
    # The implementation plan's estimates: the demonstrator evaluation asks for both.
    estimated_cost = models.DecimalField(
        "estimated cost (£)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    estimated_money_saved = models.DecimalField(
        "estimated money saved a year (£)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    estimated_hours_saved = models.DecimalField(
        "estimated staff hours saved a month",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
    )
    estimate_notes = models.TextField("how you estimated", blank=True, max_length=2000)
    # The line manager's confirmation at the end: the commitment is met on implementation
    # reviewed, not on a plan agreed (issue #21).
    reviewed_at = models.DateTimeField(
        "implemented and reviewed on", null=True, blank=True, editable=False
    )
    i2i_ideas = models.TextField(
        "your ideas for improving I2I",
        blank=True,
        help_text="For the closing workshop: what would make the programme better next time?",
        max_length=5000,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="stopped") | ~models.Q(stopped_reason=""),
                name="initiative_stopped_says_why",
                violation_error_message="Say why the initiative stopped.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_agreed(self) -> bool:
        return self.agreed_first_at is not None


class AgreementDecision(History):
    """Every submission of the initiative and the line manager's decisions, with who and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for agreement"
        AGREED = "agreed", "Agreed"
        RETURNED = "returned", "Returned with comments"
        REOPENED = "reopened", "Changed after agreement"
        REVIEW_ASKED = "review_asked", "Asked for the review of implementation"
        REVIEWED = "reviewed", "Implemented and reviewed"
        REVIEW_RETURNED = "not_reviewed", "Review returned with comments"

    initiative = models.ForeignKey(
        ImprovementInitiative, on_delete=models.CASCADE, related_name="decisions"
    )
    action = models.CharField(max_length=12, choices=Action.choices)


class PDSACycle(models.Model):
    """Plan, Do, Study, Act: one small test of change."""

    class Act(models.TextChoices):
        ADOPT = "adopt", "Adopt"
        ADAPT = "adapt", "Adapt"
        ABANDON = "abandon", "Abandon"

    initiative = models.ForeignKey(
        ImprovementInitiative, on_delete=models.CASCADE, related_name="cycles"
    )
    number = models.PositiveSmallIntegerField(editable=False)
    change = models.TextField("plan: the change to test", max_length=5000)
    prediction = models.TextField("plan: what you predict will happen", max_length=5000)
    starts_on = models.DateField("start date")
    do_notes = models.TextField("do: what happened", blank=True, max_length=5000)
    study_notes = models.TextField(
        "study: what the data showed against the prediction", blank=True, max_length=5000
    )
    act = models.CharField("act", max_length=8, choices=Act.choices, blank=True)
    next_steps = models.TextField("act: what next", blank=True, max_length=5000)
    ends_on = models.DateField("end date", null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "number"], name="pdsa_number_once"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="pdsa_ends_after_it_starts",
                violation_error_message="A cycle ends on or after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"PDSA cycle {self.number}"


class MeasureKind(models.TextChoices):
    OUTCOME = "outcome", "Outcome: what changes for service users or patients"
    PROCESS = "process", "Process: whether the change is done as planned"
    BALANCING = "balancing", "Balancing: what might get worse elsewhere"


class Measure(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    kind = models.CharField(
        "kind of measure", max_length=10, choices=MeasureKind.choices, default=MeasureKind.OUTCOME
    )
    about_experience = models.BooleanField(
        "it measures service users' or patients' experience", default=False
    )

    initiative = models.ForeignKey(
        ImprovementInitiative, on_delete=models.CASCADE, related_name="measures"
    )
    name = models.CharField(max_length=150)
    definition = models.TextField(
        help_text="Exactly what is counted, and how often: for example, “days from referral "
        "received to first home visit, for each referral”.",
        max_length=2000,
    )
    unit = models.CharField(max_length=40, blank=True, help_text="For example: days, %, calls.")
    direction = models.CharField(max_length=6, choices=Direction.choices)
    baseline = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def higher_is_better(self) -> bool:
        return self.direction == self.Direction.HIGHER


class DataPoint(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    date = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=3)
    note = models.CharField(max_length=200, blank=True)
    # A change was made from this point: Making Data Count recalculates the limits here
    # (one phase per change, as NHSRplotthedots' `rebase`).
    starts_phase = models.BooleanField(
        "a change starts here: recalculate the limits from this point", default=False
    )
    phase_label = models.CharField("the change", max_length=100, blank=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "date"], name="data_point_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.value}"


class ServiceUserFeedback(models.Model):
    """Feedback collected from service users or patients about the change."""

    initiative = models.ForeignKey(
        ImprovementInitiative, on_delete=models.CASCADE, related_name="service_user_feedback"
    )
    question = models.TextField("what was asked", max_length=2000)
    how_many = models.PositiveIntegerField("how many people answered")
    summary = models.TextField("what they said", max_length=4000)
    collected_on = models.DateField("when", null=True, blank=True)

    class Meta:
        ordering = ["collected_on", "id"]

    def __str__(self) -> str:
        return self.question[:80]


class TeamMember(models.Model):
    """Someone on the initiative's team; their organisation links it to the participant's in
    the network."""

    initiative = models.ForeignKey(
        ImprovementInitiative, on_delete=models.CASCADE, related_name="team"
    )
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class DriverNode(models.Model):
    """One line of the driver diagram: aim (the initiative's) → primary drivers → secondary
    drivers → change ideas."""

    class Level(models.TextChoices):
        PRIMARY = "primary", "Primary driver"
        SECONDARY = "secondary", "Secondary driver"
        CHANGE_IDEA = "change_idea", "Change idea"

    initiative = models.ForeignKey(
        ImprovementInitiative, on_delete=models.CASCADE, related_name="drivers"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.CharField(max_length=12, choices=Level.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ImplementationMilestone(models.Model):
    """A step of the implementation plan, with its date and status."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DELAYED = "delayed", "Delayed"

    initiative = models.ForeignKey(
        ImprovementInitiative, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("step", max_length=200)
    due_on = models.DateField("by when")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField("done on", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


def attachment_path(attachment: Attachment, filename: str) -> str:
    """A random name: the stored file never carries what the uploader called it."""
    import uuid

    return f"initiatives/{attachment.initiative_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file that shows the change (a new form, a leaflet, a photo of a board)."""

    initiative = models.ForeignKey(
        ImprovementInitiative, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField("file name", max_length=200)
    description = models.CharField("what it shows", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
