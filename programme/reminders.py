"""The daily reminders: each goes to the person who must act, with a link to where they act,
and at most once per event.

`send_due_reminders` is run by Celery beat each weekday morning (`send_reminders`, below).
Every reminder names its event in `Notification.key`; the row is created first (the database's
unique (recipient, kind, key) constraint decides a race) and the email is queued only when the
row is new. So a missed run is caught up by the next one, and a repeated run sends nothing twice.

The reminders, and who gets them (participants of *running* cohorts unless said otherwise):

- `outcomes_waiting`: learning outcomes submitted more than five working days ago and still
  waiting → the participant's line manager. Once per submission.
- `reflection_overdue`: the rules find a placement's reflective account overdue (its fourth
  half-day in the window more than 14 days ago, none shared) → the participant. Once per
  placement and due day.
- `at_risk`: the rules' overall status is at risk or missed → the participant and their line
  manager. Once per set of at-risk commitments, so a new risk is news and the same one is not
  re-sent.
- `window_closing`: the six-month window ends within four weeks with commitments still open
  → the participant. Once per participant and window.
- `briefing` / `workshop`: the event is within the next seven days (cohorts running or
  recruiting) → each participant of the cohort. Once per cohort and event date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from i2i import rules
from i2i.emails import absolute_url, send_later
from i2i.models import Notification
from participants.models import CohortStatus, Participant
from placements.models import OutcomesDecision, OutcomesStatus, Placement, PlacementStatus
from programme.progress import commitment_reports, with_progress

# Learning outcomes wait this many working days for the line manager before a reminder.
OUTCOMES_WAITING_WORKING_DAYS = 5
# A reminder goes when the six-month window ends within this many days.
WINDOW_CLOSING_DAYS = 28
# Briefing and workshop reminders go this many days ahead (or later, if a run was missed).
EVENT_NOTICE_DAYS = 7
# The commitments a participant completes during the window (briefing and workshop attendance
# is recorded by the programme manager, and has its own reminder).
WINDOW_CODES = (
    "placements",
    "half_days",
    "window",
    "outcomes_agreed",
    "reflections",
    "improvement",
)

KIND_LABELS = {
    "outcomes_waiting": "Learning outcomes waiting",
    "reflection_overdue": "Reflective account overdue",
    "at_risk": "Commitments at risk",
    "window_closing": "Window closing",
    "briefing": "Briefing reminder",
    "workshop": "Workshop reminder",
    "line_manager_or_sponsor_changed": "Your line manager or sponsor changed",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


@dataclass
class _Reminder:
    """One email to one person, not yet known to be new."""

    recipient: object
    kind: str
    key: str
    subject: str
    url: str
    participant: Participant | None
    context: dict = field(default_factory=dict)


def working_days_after(start: dt.date, end: dt.date) -> int:
    """Mondays to Fridays after `start`, up to and including `end`.

    Bank holidays are not known to the product and count as working days, so a reminder may go
    a day early around a bank holiday; the line manager is reminded, not penalised.
    """
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


def send_due_reminders(today: dt.date | None = None) -> int:
    """Create and send every reminder due on `today`; returns how many were sent.

    Running it again the same day (or any later day) sends nothing already sent."""

    today = today or timezone.localdate()
    running = list(
        # An erased person (no sign-in any more) is nobody to remind, nor to remind others of.
        with_progress(
            Participant.objects.with_people().filter(
                cohort__status=CohortStatus.RUNNING, user__is_active=True
            )
        )
    )
    reports = commitment_reports(running, on=today)
    reminders = [
        *_outcomes_waiting(today),
        *_reflections_overdue(running, reports),
        *_at_risk(running, reports),
        *_window_closing(running, reports, today),
        *_cohort_events(today),
    ]
    return _send_new(reminders)


# Each reminder ---------------------------------------------------------------


def _outcomes_waiting(today: dt.date) -> Iterable[_Reminder]:
    """Submitted outcomes still waiting more than five working days after the latest
    submission → the line manager, once per submission (a re-submission is a new event)."""
    from django.db.models import OuterRef, Subquery

    latest = OutcomesDecision.objects.filter(
        placement=OuterRef("pk"), action=OutcomesDecision.Action.SUBMITTED
    ).order_by("-at", "-id")
    placements = (
        Placement.objects.with_related()
        .filter(
            outcomes_status=OutcomesStatus.SUBMITTED,
            participant__cohort__status=CohortStatus.RUNNING,
            participant__user__is_active=True,
            participant__line_manager__isnull=False,
        )
        .exclude(status=PlacementStatus.WITHDRAWN)
        .annotate(
            submission_id=Subquery(latest.values("pk")[:1]),
            submitted_at=Subquery(latest.values("at")[:1]),
        )
        .filter(submission_id__isnull=False)
    )
    for placement in placements:
        submitted_on = timezone.localdate(placement.submitted_at)
        waited = working_days_after(submitted_on, today)
        if waited <= OUTCOMES_WAITING_WORKING_DAYS:
            continue
        participant = placement.participant
        manager = participant.line_manager
        yield _Reminder(
            recipient=manager,
            kind="outcomes_waiting",
            key=f"placement:{placement.pk}:submitted:{placement.submission_id}",
            subject=f"Learning outcomes still waiting for you: {participant.user} "
            f"at {placement.organisation}",
            url=absolute_url(reverse("placement_detail", args=[placement.pk])),
            participant=participant,
            context={
                "placement": placement,
                "submitted_on": submitted_on,
                "working_days": waited,
            },
        )


def _reflections_overdue(
    participants: list[Participant], reports: dict[int, rules.Report]
) -> Iterable[_Reminder]:
    """A placement whose reflective account the rules find overdue (none shared more than 14
    days after its fourth counted half-day) → the participant, once per placement and due
    day. The rules decide, so the reminder and the progress page always agree."""
    for participant in participants:
        placements = {p.pk: p for p in participant.placements.all()}
        for progress in reports[participant.pk].placements:
            if not progress.reflection_overdue:
                continue
            placement = placements[progress.placement_id]
            due = progress.reflection_due
            yield _Reminder(
                recipient=participant.user,
                kind="reflection_overdue",
                key=f"placement:{placement.pk}:reflection_due:{due.isoformat()}",
                subject=f"Your reflective account of {placement.organisation} is overdue",
                url=absolute_url(reverse("placement_detail", args=[placement.pk])),
                participant=participant,
                context={
                    "placement": placement,
                    "completed_on": progress.completed_on,
                    "due": due,
                },
            )


def at_risk_codes(report: rules.Report) -> list[str]:
    return [
        c.code
        for c in report.commitments
        if c.status in {rules.Status.AT_RISK, rules.Status.MISSED}
    ]


def _at_risk(participants: list[Participant], reports: dict) -> Iterable[_Reminder]:
    """At risk by the rules → the participant and their line manager, once per set of
    at-risk commitments."""
    for participant in participants:
        report = reports[participant.pk]
        if not report.at_risk:
            continue
        codes = at_risk_codes(report)
        commitments = [c for c in report.commitments if c.code in codes]
        url = absolute_url(reverse("participant_detail", args=[participant.pk]))
        key = f"participant:{participant.pk}:at_risk:{','.join(sorted(codes))}"
        for person in (participant.user, participant.line_manager):
            if person is None:
                continue
            yield _Reminder(
                recipient=person,
                kind="at_risk",
                key=key,
                subject=f"I2I commitments at risk: {participant.user}",
                url=url,
                participant=participant,
                context={
                    "is_participant": person.pk == participant.user_id,
                    "commitments": commitments,
                    "report": report,
                },
            )


def _window_closing(participants: list[Participant], reports: dict, today: dt.date):
    """The window ends within four weeks (and has not ended) with commitments open → the
    participant, once per window."""
    for participant in participants:
        report = reports[participant.pk]
        days_left = (report.window_end - today).days
        if not 0 <= days_left <= WINDOW_CLOSING_DAYS:
            continue
        open_ = [
            c for c in report.commitments if c.code in WINDOW_CODES and c.status != rules.Status.MET
        ]
        if not open_:
            continue
        yield _Reminder(
            recipient=participant.user,
            kind="window_closing",
            key=f"participant:{participant.pk}:window_closing:{report.window_end.isoformat()}",
            subject=f"Your I2I window closes on {_fmt(report.window_end)}",
            url=absolute_url(reverse("participant_detail", args=[participant.pk])),
            participant=participant,
            context={"commitments": open_, "report": report},
        )


def _cohort_events(today: dt.date) -> Iterable[_Reminder]:
    """A briefing or workshop in the next seven days → each participant of the cohort (running
    or recruiting), once per event date. A missed run is caught up until the day before."""
    from django.db.models import Q

    soon = today + dt.timedelta(days=EVENT_NOTICE_DAYS)
    participants = (
        Participant.objects.select_related("user", "cohort")
        .filter(
            cohort__status__in=[CohortStatus.RUNNING, CohortStatus.RECRUITING], user__is_active=True
        )
        .filter(
            Q(cohort__briefing_date__gt=today, cohort__briefing_date__lte=soon)
            | Q(cohort__workshop_date__gt=today, cohort__workshop_date__lte=soon)
        )
        .order_by("cohort_id", "pk")
    )
    for participant in participants:
        cohort = participant.cohort
        for kind in ("briefing", "workshop"):
            day = getattr(cohort, f"{kind}_date")
            if day is None or not today < day <= soon:
                continue
            yield _Reminder(
                recipient=participant.user,
                kind=kind,
                key=f"cohort:{cohort.pk}:{kind}:{day.isoformat()}",
                subject=f"The I2I {kind} is on {_fmt(day)}",
                url=absolute_url(reverse("cohort_detail", args=[cohort.pk])),
                participant=participant,
                context={
                    "cohort": cohort,
                    "day": day,
                    "time": getattr(cohort, f"{kind}_time"),
                    "place": getattr(cohort, f"{kind}_place"),
                    "days_left": (day - today).days,
                },
            )


# Sending, once ---------------------------------------------------------------


def _fmt(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _send_new(reminders: list[_Reminder]) -> int:
    """Skip the reminders already sent (one query per kind), then insert each new one's row
    and queue its email in the same transaction: no query per reminder beyond its own row.
    The unique constraint settles a race between two runs (the loser's insert fails, its
    savepoint is rolled back and nothing is sent)."""
    reminders = [r for r in reminders if r.recipient is not None and r.recipient.is_active]
    sent_before: set[tuple[int, str, str]] = set()
    for kind in sorted({r.kind for r in reminders}):
        keys = {r.key for r in reminders if r.kind == kind}
        sent_before |= set(
            Notification.objects.filter(kind=kind, key__in=keys).values_list(
                "recipient_id", "kind", "key"
            )
        )
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    sent = 0
    for reminder in reminders:
        if (reminder.recipient.pk, reminder.kind, reminder.key) in sent_before:
            continue
        body = render_to_string(
            f"emails/reminder_{reminder.kind}.txt",
            {
                **reminder.context,
                "recipient": reminder.recipient,
                "participant": reminder.participant,
                "url": reminder.url,
            },
        )
        subject = f"{prefix}{reminder.subject}"
        sent_before.add((reminder.recipient.pk, reminder.kind, reminder.key))
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=reminder.recipient,
                    kind=reminder.kind,
                    key=reminder.key,
                    subject=subject[:250],
                    body=body,
                    url=reminder.url,
                    participant=reminder.participant,
                )
                send_later(
                    EmailMessage(subject=subject[:250], body=body, to=[reminder.recipient.email])
                )
        except IntegrityError:
            continue  # another run sent it between our read and our insert
        sent += 1
    return sent


# The name queued messages and the beat schedule carry (see `i2i.emails.send_email`).
@shared_task(name="i2i.tasks.send_reminders")
def send_reminders() -> int:
    """Celery beat's daily run."""
    return send_due_reminders()
