"""Programme-wide records: background jobs whose progress people watch, the audit trail,
the notifications sent, and the shape every history of a decision shares."""

import uuid

from django.conf import settings
from django.db import models


class History(models.Model):
    """One step in the history of a record: who did what, when, and what they said. The
    programme's decisions (an Expression of Interest's selection, outcomes, an initiative's
    agreement, a reflective account's discussion) never change silently, so each keeps its
    steps in a history of this shape. A history adds the foreign key to what it is the
    history of and its own `action`, with the choices that record's steps may take."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True, max_length=4000)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by}"


class Job(models.Model):
    """Slow work (PDFs) done by Celery: the page polls this row and offers the file at the end."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=50)
    params = models.JSONField(default=dict)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a worker claims the job, then every few seconds while it runs (a timer in
    # `jobs.job_run`): a running job whose heartbeat is stale lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When its message was last handed to the broker (empty: publishing failed), so the
    # sweeper re-sends only messages that were lost, not every waiting job on each tick.
    queued_at = models.DateTimeField(null=True, blank=True)
    # How many times a worker took the job over from one that was lost; each run knows its
    # own number, so a run that was taken over cannot finish the job a second time.
    restarts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class JobPart(models.Model):
    """One part of a long PDF (a few participants' sections, say), laid out by whichever
    worker claims it first, kept until the job puts the parts together."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        RUNNING = "running", "Being laid out"
        DONE = "done", "Laid out"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveSmallIntegerField()
    # What the part holds, as the job's kind plans it (JSON: it travels in the message).
    spec = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # Beats while a worker lays the part out, as a job's does: a stale one lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Each claim's number, so a worker that was taken over cannot store its part.
    attempts = models.PositiveSmallIntegerField(default=0)
    pdf = models.BinaryField(default=bytes)
    pages = models.PositiveIntegerField(default=0)
    # The page (from 0) each element id is on, for the contents page.
    anchors = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    # Which worker process laid it out (host:pid), to see how a pack was shared out.
    laid_out_by = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="job_part_once"),
        ]

    def __str__(self) -> str:
        return f"Part {self.index + 1} of {self.job}"


class Notification(models.Model):
    """An email the product sent, kept so that each reminder goes once per event and people
    can see what was sent to them (and the programme manager, to whom)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    # Names the event, so that running the schedule twice sends nothing twice.
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    # Set when the mail server refused the message after every retry, so the programme
    # manager can see who was not told.
    failed_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="notification_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient}"


class AuditEvent(models.Model):
    """Who did what, to what, when and from where: sign-ins, decisions, role changes,
    exports and erasures. Written by the application and never changed by it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["action", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}"


class Announcement(models.Model):
    """A message from the programme manager to one cohort's participants, or to their line
    managers, or to their sponsors: emailed to each, and shown on each recipient's home page
    until they mark it read (`AnnouncementRecipient`)."""

    class Audience(models.TextChoices):
        PARTICIPANTS = "participants", "Participants"
        LINE_MANAGERS = "line_managers", "Line managers"
        SPONSORS = "sponsors", "Sponsors"

    cohort = models.ForeignKey(
        "participants.Cohort", on_delete=models.CASCADE, related_name="announcements"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    subject = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class AnnouncementRecipient(models.Model):
    """One person an announcement was sent to, and when they marked it read."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="recipients"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcements_received"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-announcement__sent_at", "-announcement_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "recipient"], name="announcement_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement} to {self.recipient}"
