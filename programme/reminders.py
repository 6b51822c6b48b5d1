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
- `discussion_due`: a reflective account shared ten working days ago and its discussion not
  recorded (`rules.discussion_due`, the day the rules' reflections commitment names) → the
  participant's line manager. Once per sharing (shared again after "Ask for more" is new).
- `sponsor_meeting`: three weeks after selection (the Expression of Interest's decision) no
  sponsor meeting is recorded (cohorts running or recruiting, until the window ends) → the
  sponsor. Once per participant.
- `mid_programme_review`: at the end of week 12 of the window no mid-programme review is
  recorded (until the window ends) → the participant and their line manager. Once each.
- `clearances_due`: a placement's first planned half-day is within 14 days and the host's checks
  are not all recorded → the participant. Once per placement and set of missing checks.
- `follow_up`: the follow-up questionnaire opens (6 and 12 months after the workshop, for
  eight weeks; any cohort status) → the participant, when it opens and again two weeks later
  if not answered. Once each.
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

from evaluation import follow_ups
from i2i import rules
from i2i.emails import absolute_url, send_later
from i2i.models import Notification
from participants.models import CohortStatus, Participant, SponsorMeeting
from placements import clearances
from placements.models import OutcomesDecision, OutcomesStatus, Placement, PlacementStatus
from programme.progress import commitment_reports, with_progress
from reflections import reviews
from reflections.models import AccountStatus, ReflectiveAccount

# Learning outcomes wait this many working days for the line manager before a reminder.
OUTCOMES_WAITING_WORKING_DAYS = 5
# A reminder goes when the six-month window ends within this many days.
WINDOW_CLOSING_DAYS = 28
# The sponsor is reminded this many days after selection if no meeting is recorded.
SPONSOR_MEETING_DAYS = 21
# Briefing and workshop reminders go this many days ahead (or later, if a run was missed).
EVENT_NOTICE_DAYS = 7
# The follow-up questionnaire is asked again this many days after it opens, if not answered.
FOLLOW_UP_AGAIN_DAYS = 14
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
    "discussion_due": "Reflective account to discuss",
    "line_manager_or_sponsor_changed": "Your line manager or sponsor changed",
    "sponsor_selected": "Meet a newly selected participant",
    "sponsor_meeting": "Sponsor meeting not recorded",
    "mid_programme_review": "Mid-programme review due",
    "follow_up": "Follow-up questionnaire open",
    "clearances_due": "Checks before the first visit",
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
        *_discussions_due(today),
        *_sponsor_meetings_due(today),
        *_mid_programme_reviews_due(today),
        *_follow_ups_due(today),
        *_clearances_due(today),
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


def _sponsor_meetings_due(today: dt.date) -> Iterable[_Reminder]:
    """No sponsor meeting recorded three weeks after selection → the sponsor, once per
    participant (the leaflet: the sponsor "will meet with the Participant when they have been
    selected"). Selection is the day the Expression of Interest was decided; someone added
    without one (in the admin) was not selected here, and has only the home page's task.
    Recruiting cohorts too, since selection comes before the start; nothing after the window
    ends."""
    from django.db.models import Exists, F, OuterRef

    participants = (
        Participant.objects.with_people()
        .filter(
            cohort__status__in=[CohortStatus.RUNNING, CohortStatus.RECRUITING],
            user__is_active=True,
            sponsor__isnull=False,
            eoi__decided_at__isnull=False,
        )
        .filter(~Exists(SponsorMeeting.objects.filter(participant=OuterRef("pk"))))
        .annotate(selected_at=F("eoi__decided_at"))
        .order_by("pk")
    )
    for participant in participants:
        start = participant.cohort.programme_start
        selected_on = timezone.localdate(participant.selected_at)
        if today < selected_on + dt.timedelta(days=SPONSOR_MEETING_DAYS):
            continue
        if today > rules.window_end(start):
            continue
        yield _Reminder(
            recipient=participant.sponsor,
            kind="sponsor_meeting",
            key=f"participant:{participant.pk}:sponsor_meeting",
            subject=f"Please meet {participant.user}: no sponsor meeting recorded yet",
            url=absolute_url(reverse("sponsor_meeting", args=[participant.pk])),
            participant=participant,
            context={"selected_on": selected_on},
        )


def _mid_programme_reviews_due(today: dt.date) -> Iterable[_Reminder]:
    """No mid-programme review recorded by the end of week 12 (it is due by the end of week
    13) → the participant and their line manager, once each; nothing after the window ends."""
    participants = (
        Participant.objects.with_people()
        .filter(
            cohort__status=CohortStatus.RUNNING,
            user__is_active=True,
            cohort__programme_start__lte=today - dt.timedelta(weeks=reviews.REMINDER_WEEK),
            mid_programme_review__isnull=True,
        )
        .order_by("pk")
    )
    for participant in participants:
        start = participant.cohort.programme_start
        if today < reviews.reminder_day(start) or today > rules.window_end(start):
            continue
        due = reviews.review_due(start)
        url = absolute_url(reverse("mid_programme_review", args=[participant.pk]))
        for person in (participant.user, participant.line_manager):
            if person is None:
                continue
            is_participant = person.pk == participant.user_id
            yield _Reminder(
                recipient=person,
                kind="mid_programme_review",
                key=f"participant:{participant.pk}:mid_programme_review",
                subject=(
                    "Your I2I mid-programme review"
                    if is_participant
                    else f"{participant.user}'s I2I mid-programme review"
                )
                + f" is due by {_fmt(due)}",
                url=url,
                participant=participant,
                context={"is_participant": is_participant, "due": due},
            )


def _follow_ups_due(today: dt.date) -> Iterable[_Reminder]:
    """A follow-up questionnaire open (from 6 and 12 months after the workshop, for eight
    weeks) and not answered → the participant: once when it opens, and once two weeks later
    if still not answered. Whatever the cohort's status: it has closed by then."""
    earliest, latest = follow_ups.workshops_with_a_follow_up_open(today)
    participants = list(
        Participant.objects.select_related("user", "cohort")
        .filter(user__is_active=True, cohort__workshop_date__range=(earliest, latest))
        .order_by("pk")
    )
    for due in follow_ups.open_unanswered(participants, today):
        participant, window = due.participant, due.window
        again = today >= window.opens + dt.timedelta(days=FOLLOW_UP_AGAIN_DAYS)
        label = window.moment.label
        yield _Reminder(
            recipient=participant.user,
            kind="follow_up",
            key=f"participant:{participant.pk}:follow_up:{window.moment.value}:"
            f"{'again' if again else 'opened'}:{window.opens.isoformat()}",
            subject=(
                f"Reminder: your I2I {label} follow-up closes on {_fmt(window.closes)}"
                if again
                else f"Your I2I {label} follow-up questionnaire is open"
            ),
            url=absolute_url(reverse("follow_up", args=[participant.pk, window.moment.value])),
            participant=participant,
            context={"again": again, "label": label, "closes": window.closes},
        )


def _discussions_due(today: dt.date) -> Iterable[_Reminder]:
    """A reflective account shared and still not discussed on the tenth working day after its
    sharing → the line manager, once per sharing. The day is the rules' (the discussion is due
    then, and the account at risk the day after), so the email and the progress page agree."""
    # Ten working days are at least twelve calendar days (from a Sunday): no need to read
    # the accounts shared since.
    cutoff = today - dt.timedelta(days=12)
    accounts = (
        ReflectiveAccount.objects.select_related(
            "placement__organisation", "participant__user", "participant__line_manager"
        )
        .filter(
            status=AccountStatus.SHARED,
            shared_at__lt=timezone.make_aware(
                dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min)
            ),
            participant__cohort__status=CohortStatus.RUNNING,
            participant__user__is_active=True,
            participant__line_manager__isnull=False,
        )
        .order_by("shared_at", "pk")
    )
    for account in accounts:
        shared_on = timezone.localdate(account.shared_at)
        due = rules.discussion_due(shared_on)
        if today < due:
            continue
        participant = account.participant
        yield _Reminder(
            recipient=participant.line_manager,
            kind="discussion_due",
            key=f"account:{account.pk}:shared:{account.shared_at.isoformat()}",
            subject=f"Reflective account to discuss: {participant.user} at "
            f"{account.placement.organisation}",
            url=absolute_url(reverse("account_detail", args=[account.pk])),
            participant=participant,
            context={
                "placement": account.placement,
                "shared_on": shared_on,
                "due": due,
                "working_days": working_days_after(shared_on, today),
            },
        )


def _clearances_due(today: dt.date) -> Iterable[_Reminder]:
    """The first planned half-day of a placement is within 14 days and the host's checks are
    not all recorded (`placements.clearances.checks_due`) → the participant, who arranges the
    placement and records the checks (or asks the host person or their line manager to).
    Once per placement and set of missing checks."""
    for due in clearances.checks_due(today):
        placement = due.placement
        yield _Reminder(
            recipient=placement.participant.user,
            kind="clearances_due",
            key=f"placement:{placement.pk}:clearances:{','.join(due.missing)}",
            subject=f"Checks before your first half-day with {placement.organisation}",
            url=absolute_url(reverse("placement_detail", args=[placement.pk]) + "#checks"),
            participant=placement.participant,
            context={
                "placement": placement,
                "first_day": due.first_day,
                "missing": due.missing_labels,
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
                notification = Notification.objects.create(
                    recipient=reminder.recipient,
                    kind=reminder.kind,
                    key=reminder.key,
                    subject=subject[:250],
                    body=body,
                    url=reminder.url,
                    participant=reminder.participant,
                )
                send_later(
                    EmailMessage(subject=subject[:250], body=body, to=[reminder.recipient.email]),
                    notification_id=notification.pk,  # marked failed if it cannot be sent
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
