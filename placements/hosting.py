"""The host person's side of a placement (issue #20): who answers for a host organisation,
what they see of its visits, and their answers to each half-day.

A host person signs in with an emailed code (allauth's login by code: no password to
forget) and sees their organisation's visits: the visitor's name, job title and profession,
the half-day and the learning outcomes their line manager approved. Never a reflective
account, nor anything else of the participant's: `i2i.access.hosted_half_days` scopes them.

Their answers (confirm, decline with a reason, propose another date or half of the day)
are audited; a confirmation sets the same `confirmed_at` as the emailed link, and a decline
or a proposal is an audit event shown on the participant's placement page. Nothing here
cancels or moves the participant's booking: the participant decides what to do with an
answer, as they make their own arrangements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from i2i import access, audit, rules
from i2i.emails import absolute_url, send_templated
from i2i.models import AuditEvent
from participants.models import HostPerson, Organisation, User
from placements.models import (
    HalfDay,
    HalfDayStatus,
    OutcomesDecision,
    OutcomesStatus,
    Placement,
    PlacementStatus,
    Session,
)

CONFIRMED = "host_half_day_confirmed"
DECLINED = "host_half_day_declined"
PROPOSED = "host_half_day_proposed"
# The answers a host gives about a half-day, as audit actions (`i2i.audit.MIRRORED` erases
# their comments with the participant's records).
ANSWERS = (CONFIRMED, DECLINED, PROPOSED)


# What the host sees --------------------------------------------------------------------


@dataclass
class HostAnswer:
    """A host's answer to one half-day as booked: read from the audit trail."""

    action: str
    by: str
    at: dt.datetime
    half_day_id: int
    date: dt.date
    session: str
    comment: str = ""
    proposed_date: dt.date | None = None
    proposed_session: str = ""

    @property
    def declined(self) -> bool:
        return self.action == DECLINED

    @property
    def proposed(self) -> bool:
        return self.action == PROPOSED

    @property
    def session_words(self) -> str:
        return Session(self.session).label.lower() if self.session in Session.values else ""

    @property
    def proposed_session_words(self) -> str:
        return Session(self.proposed_session).label.lower() if self.proposed_session else ""


@dataclass
class Visit:
    """One half-day as its host sees it."""

    half_day: HalfDay
    outcomes: list[str] = field(default_factory=list)
    answer: HostAnswer | None = None


def _answer(event: AuditEvent) -> HostAnswer | None:
    detail = event.detail if isinstance(event.detail, dict) else {}
    try:
        return HostAnswer(
            action=event.action,
            by=detail.get("by_name", "") or event.actor_label,
            at=event.at,
            half_day_id=int(detail["half_day"]),
            date=dt.date.fromisoformat(detail["date"]),
            session=detail.get("session", ""),
            comment=detail.get("comment", ""),
            proposed_date=(
                dt.date.fromisoformat(detail["proposed_date"])
                if detail.get("proposed_date")
                else None
            ),
            proposed_session=detail.get("proposed_session", ""),
        )
    except (KeyError, TypeError, ValueError):
        return None  # an event scrubbed or written by hand: nothing to show


def current_answers(half_days) -> dict[int, HostAnswer]:
    """Each half-day's latest answer from its host, if it is about the half-day as booked now
    (the same date and half of the day): an answer about a date since changed is history.
    One query, however many half-days."""
    booked = {h.pk: (h.date, h.session) for h in half_days}
    if not booked:
        return {}
    events = AuditEvent.objects.filter(
        action__in=ANSWERS, detail__half_day__in=list(booked)
    ).order_by("at", "id")
    answers: dict[int, HostAnswer] = {}
    for event in events:
        answer = _answer(event)
        if answer and booked.get(answer.half_day_id) == (answer.date, answer.session):
            answers[answer.half_day_id] = answer
    return answers


def _approved_outcomes(placement: Placement) -> list[str]:
    """The learning outcomes as the line manager approved them: as they stand when approved,
    or as they stood at the last approval while a change waits for the line manager."""
    if placement.outcomes_status == OutcomesStatus.APPROVED:
        return [outcome.text for outcome in placement.outcomes.all()]
    approvals = getattr(placement, "approvals", [])
    return list(approvals[0].outcomes_snapshot) if approvals else []


def _half_days_at(user, organisation: Organisation):
    return (
        access.hosted_half_days(user)
        .filter(placement__organisation=organisation)
        .select_related("placement")
        .prefetch_related(
            "placement__outcomes",
            Prefetch(
                "placement__decisions",
                queryset=OutcomesDecision.objects.filter(
                    action=OutcomesDecision.Action.APPROVED
                ).order_by("-at", "-id"),
                to_attr="approvals",
            ),
        )
    )


def _visits(half_days) -> list[Visit]:
    half_days = list(half_days)
    answers = current_answers(half_days)
    return [
        Visit(
            half_day=h,
            outcomes=_approved_outcomes(h.placement),
            answer=answers.get(h.pk),
        )
        for h in half_days
    ]


def upcoming_visits(user, organisation: Organisation, today: dt.date) -> list[Visit]:
    """The half-days booked from today on, soonest first, with the host's answer to each."""
    return _visits(
        _half_days_at(user, organisation)
        .filter(status=HalfDayStatus.PLANNED, date__gte=today)
        .order_by("date", "session", "pk")
    )


# The host is asked to confirm the visits of the last few weeks on their visits page; older
# ones are on the page of every past visit, still to be confirmed there.
CONFIRM_WITHIN = dt.timedelta(weeks=6)


def _past(user, organisation: Organisation, today: dt.date):
    """Half-days before today, and any recorded as having taken place (today's, once the
    visitor records it), latest first; never cancelled ones."""
    return (
        _half_days_at(user, organisation)
        .exclude(status=HalfDayStatus.CANCELLED)
        .filter(Q(date__lt=today) | Q(status=HalfDayStatus.COMPLETED))
        .order_by("-date", "-session", "-pk")
    )


def past_visits(user, organisation: Organisation, today: dt.date):
    """Every past visit, latest first: a queryset, for the page to show a page at a time
    (`visits_of`)."""
    return _past(user, organisation, today)


def visits_to_confirm(user, organisation: Organisation, today: dt.date) -> list[Visit]:
    """The past visits of the last `CONFIRM_WITHIN` the host has not confirmed, latest first:
    those the visitor recorded, and those booked that the host neither declined nor moved."""
    half_days = _past(user, organisation, today).filter(
        confirmed_at=None, date__gte=today - CONFIRM_WITHIN
    )
    return [
        v
        for v in _visits(half_days)
        if v.half_day.status == HalfDayStatus.COMPLETED or v.answer is None
    ]


def visits_of(half_days) -> list[Visit]:
    """The visits of a page of half-days (with the host's answers), in a fixed number of
    queries."""
    return _visits(half_days)


@dataclass
class HostedOrganisation:
    """An organisation the user hosts for, with its visits to come and how many of them wait
    for the host's answer (neither confirmed, declined nor given another time)."""

    organisation: Organisation
    upcoming: int = 0
    to_answer: int = 0


def hosted_summary(user, today: dt.date) -> list[HostedOrganisation]:
    """For the home page and its tasks: three queries, however many visits."""
    rows = {
        org.pk: HostedOrganisation(org)
        for org in access.hosted_organisations(user).order_by("name")
    }
    half_days = list(
        access.hosted_half_days(user).filter(status=HalfDayStatus.PLANNED, date__gte=today)
    )
    answers = current_answers(half_days)
    for h in half_days:
        row = rows.get(h.placement.organisation_id)
        if row is None:
            continue
        row.upcoming += 1
        if h.confirmed_at is None and h.pk not in answers:
            row.to_answer += 1
    return list(rows.values())


def host_answers_for(placement: Placement) -> list[HostAnswer]:
    """What the participant reads on their placement page: each planned half-day's decline or
    proposal from the host, about the half-day as it is booked now."""
    planned = [h for h in placement.half_days.all() if h.status == HalfDayStatus.PLANNED]
    answers = current_answers(planned)
    return [
        answers[h.pk]
        for h in planned
        if h.pk in answers and answers[h.pk].action in (DECLINED, PROPOSED)
    ]


# The host's answers ---------------------------------------------------------------------


def _locked(half_day: HalfDay, by: User) -> HalfDay:
    if not access.can_answer_as_host(by, half_day):
        raise PermissionDenied("Only the host organisation's host person answers for it.")
    return (
        HalfDay.objects.select_for_update(of=("self",))
        .select_related("placement__organisation", "participant__user", "participant__cohort")
        .get(pk=half_day.pk)
    )


def _name(by: User) -> str:
    return (by.full_name or by.email)[:150]


def _record(action: str, half_day: HalfDay, by: User, **detail) -> None:
    audit.record(
        action,
        actor=by,
        target=half_day,
        participant=half_day.participant_id,
        placement=half_day.placement_id,
        half_day=half_day.pk,
        date=half_day.date.isoformat(),
        session=half_day.session,
        by_name=_name(by),
        **detail,
    )


def _tell_participant(half_day: HalfDay, *, subject: str, context: dict) -> None:
    placement = half_day.placement
    participant = half_day.participant
    if not participant.user.is_active:
        return
    send_templated(
        to=[participant.user.email],
        subject=subject,
        template="host_answer",
        context={
            "participant": participant,
            "organisation": placement.organisation,
            "half_day": half_day,
            "session": half_day.get_session_display().lower(),
            "url": absolute_url(reverse("placement_detail", args=[placement.pk])),
            **context,
        },
    )


def _refuse_unless_open(half_day: HalfDay, what: str) -> None:
    if half_day.status == HalfDayStatus.CANCELLED:
        raise ValidationError(
            f"{half_day.participant.user} cancelled this half-day, so there is nothing to {what}."
        )
    if half_day.placement.status == PlacementStatus.WITHDRAWN:
        raise ValidationError(
            f"{half_day.participant.user} withdrew from this placement, so there is nothing "
            f"to {what}."
        )


@transaction.atomic
def half_day_host_confirm(*, half_day: HalfDay, by: User) -> HalfDay:
    """The host person confirms the half-day: before it, that they expect the visitor; after
    it, that it took place. The same confirmation as the emailed link
    (`services.half_day_confirm`), by the name of the person signed in. Confirming twice
    changes nothing."""
    half_day = _locked(half_day, by)
    _refuse_unless_open(half_day, "confirm")
    if half_day.confirmed_at is not None:
        return half_day
    half_day.confirmed_at = timezone.now()
    half_day.confirmed_by_name = _name(by)
    half_day.save(update_fields=["confirmed_at", "confirmed_by_name"])
    _record(CONFIRMED, half_day, by)
    _tell_participant(
        half_day,
        subject=f"{half_day.placement.organisation} confirmed your half-day on "
        f"{date_format(half_day.date)}",
        context={"confirmed": True, "by": _name(by)},
    )
    return half_day


def _unconfirm(half_day: HalfDay) -> None:
    """A host who cannot host the half-day as booked withdraws any confirmation they gave."""
    if half_day.confirmed_at is not None:
        half_day.confirmed_at = None
        half_day.confirmed_by_name = ""
        half_day.save(update_fields=["confirmed_at", "confirmed_by_name"])


def _refuse_unless_planned(half_day: HalfDay, what: str) -> None:
    _refuse_unless_open(half_day, what)
    if half_day.status == HalfDayStatus.COMPLETED:
        raise ValidationError(
            f"{half_day.participant.user} recorded this half-day as having taken place. If it "
            "did not, contact the programme manager."
        )


@transaction.atomic
def half_day_host_decline(*, half_day: HalfDay, by: User, reason: str) -> HalfDay:
    """The host cannot host the half-day as booked. The booking stays: the participant reads
    the reason on their placement page and in an email, and rearranges or cancels it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Enter why you cannot host this half-day, so the visitor can plan again"}
        )
    half_day = _locked(half_day, by)
    _refuse_unless_planned(half_day, "decline")
    _unconfirm(half_day)
    _record(DECLINED, half_day, by, comment=reason)
    _tell_participant(
        half_day,
        subject=f"{half_day.placement.organisation} cannot host your half-day on "
        f"{date_format(half_day.date)}",
        context={"declined": True, "by": _name(by), "comment": reason},
    )
    return half_day


@transaction.atomic
def half_day_host_propose(
    *,
    half_day: HalfDay,
    by: User,
    date: dt.date,
    session: str,
    message: str = "",
    today: dt.date | None = None,
) -> HalfDay:
    """The host proposes another date or half of the day. The participant is told and moves
    the half-day themselves if it suits them (the I2I commitment that half-days fall within
    their six-month window still holds, so the proposal must too)."""
    today = today or timezone.localdate()
    half_day = _locked(half_day, by)
    _refuse_unless_planned(half_day, "change")
    start = half_day.participant.cohort.programme_start
    errors = {}
    if rules.window_end(start) < today:
        errors["date"] = (
            "The visitor's six-month window ended on "
            f"{date_format(rules.window_end(start))}, so no other date can be proposed: "
            "decline the half-day instead, saying why"
        )
    elif date < today:
        errors["date"] = f"Enter today ({date_format(today)}) or a later date"
    elif not rules.in_window(date, start):
        errors["date"] = (
            "The I2I commitment is that every half-day falls within the visitor's six-month "
            f"window: enter a date from {date_format(max(start, today))} to "
            f"{date_format(rules.window_end(start))}"
        )
    elif (date, session) == (half_day.date, half_day.session):
        errors["date"] = "Enter a different date, or choose the other half of the day"
    if errors:
        raise ValidationError(errors)
    message = (message or "").strip()
    _unconfirm(half_day)
    _record(
        PROPOSED,
        half_day,
        by,
        comment=message,
        proposed_date=date.isoformat(),
        proposed_session=session,
    )
    _tell_participant(
        half_day,
        subject=f"{half_day.placement.organisation} proposes another time for your half-day "
        f"on {date_format(half_day.date)}",
        context={
            "proposed": True,
            "by": _name(by),
            "comment": message,
            "proposed_date": date,
            "proposed_session": Session(session).label.lower(),
        },
    )
    return half_day


# Who answers for a host organisation ------------------------------------------------------


@transaction.atomic
def host_person_add(
    *, organisation: Organisation, email: str, full_name: str, by: User
) -> HostPerson:
    """The programme manager names a host person for an organisation. Someone new gets an
    account with no password (they sign in with an emailed code) and an email saying how;
    someone who already has an account keeps it, and their roles."""
    if not access.can_manage_host_people(by):
        raise PermissionDenied("Only the programme manager says who answers for a host.")
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not user.is_active:
        raise ValidationError(
            {"email": "This person's account is closed: enter another email address"}
        )
    if user is None:
        user = User(email=email, full_name=full_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        # Verified when they first sign in with a code sent to it.
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    elif not user.full_name and full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    if HostPerson.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"email": f"{user} is already a host person for {organisation}"})
    try:
        with transaction.atomic():
            host = HostPerson.objects.create(user=user, organisation=organisation, added_by=by)
    except IntegrityError:  # added at the same moment from another page
        raise ValidationError(
            {"email": f"{user} is already a host person for {organisation}"}
        ) from None
    audit.record(
        "host_person_added",
        actor=by,
        target=host,
        organisation_id=organisation.pk,
        user_id=user.pk,
    )
    send_templated(
        to=[user.email],
        subject=f"You can now see I2I visits to {organisation}",
        template="host_invitation",
        context={
            "user": user,
            "organisation": organisation,
            "has_password": user.has_usable_password(),
            "code_url": absolute_url(reverse("account_request_login_code")),
            "login_url": absolute_url(reverse("account_login")),
        },
    )
    return host


@transaction.atomic
def host_person_remove(*, host_person: HostPerson, by: User) -> None:
    """The person no longer answers for the organisation; their account and any other role
    they hold stay."""
    if not access.can_manage_host_people(by):
        raise PermissionDenied("Only the programme manager says who answers for a host.")
    audit.record(
        "host_person_removed",
        actor=by,
        target=host_person,
        organisation_id=host_person.organisation_id,
        user_id=host_person.user_id,
    )
    host_person.delete()
