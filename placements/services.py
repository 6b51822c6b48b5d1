"""Changes to placements, learning outcomes and half-days.

Each service re-checks the programme's rules (`i2i.rules`), so that a commitment
holds whichever way data arrives; a refusal is a ValidationError whose message
names the commitment it protects.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from i2i import access, rules
from i2i.emails import absolute_url, send_templated
from i2i.templatetags.i2i_formats import clock_text
from participants.models import Organisation, Participant, User
from placements import clearances, offers
from placements.models import (
    HalfDay,
    HalfDayStatus,
    HostFeedback,
    LearningOutcome,
    OutcomesDecision,
    OutcomesStatus,
    ParticipantFeedback,
    Placement,
    PlacementStatus,
)

HOST_CONFIRMATION_MAX_AGE = dt.timedelta(days=30)
# What the host confirms about a half-day: a change to any of them withdraws the confirmation.
HOST_CONFIRMS = ("date", "session", "starts_at", "ends_at", "location", "person_met")
_CONFIRMATION_SALT = "placements.half_day_confirmation"


# Placements --------------------------------------------------------------------


@transaction.atomic
def placement_plan(*, participant: Participant, by: User, **fields) -> Placement:
    """A participant arranges a placement with a host organisation."""
    if not access.can_plan_placements(by, participant):
        raise PermissionDenied("Participants arrange their own placements.")
    placement = Placement(participant=participant, **fields)
    _check_host(placement)
    placement.full_clean()
    placement.save()
    return placement


@transaction.atomic
def placement_update(*, placement: Placement, by: User, **fields) -> Placement:
    if not access.is_the_participant(by, placement.participant):
        raise PermissionDenied("Participants change their own placements.")
    for name, value in fields.items():
        setattr(placement, name, value)
    _check_host_kept(placement)
    _check_host(placement)
    placement.full_clean()
    # Only what the participant changed: the line manager may have decided on the outcomes
    # since this page was loaded.
    placement.save(update_fields=[*fields, "updated_at"])
    return placement


def _check_host_kept(placement: Placement) -> None:
    """Half-days, checks and feedback belong to the host they were with: once there are any,
    a new host is a new placement, or the new host's person would see and confirm the old
    host's visits and read its feedback."""
    before = (
        Placement.objects.filter(pk=placement.pk)
        .select_related("organisation")
        .only("organisation__name")
        .get()
    )
    if before.organisation_id == placement.organisation_id:
        return
    if (
        placement.half_days.exclude(status=HalfDayStatus.CANCELLED).exists()
        or placement.clearances.exists()
        or HostFeedback.objects.filter(placement=placement).exists()
        or ParticipantFeedback.objects.filter(placement=placement).exists()
    ):
        raise ValidationError(
            {
                "organisation": f"Half-days or checks with {before.organisation} are recorded "
                "on this placement, so its host cannot change: keep "
                f"{before.organisation} here, and plan a new placement with the other "
                "organisation."
            }
        )


def _check_host(placement: Placement) -> None:
    if placement.organisation_id == placement.participant.organisation_id:
        raise ValidationError(
            {
                "organisation": "Choose an organisation other than your employer: the I2I "
                "commitment is three placements with different organisations from your own."
            }
        )
    offers.check_offer(placement)
    if _is_own_address(placement.participant.user, placement.contact_email):
        raise ValidationError(
            {
                "contact_email": "Enter the email address of the person you will meet at the "
                "host organisation, not one of your own: they are asked to confirm that each "
                "half-day took place."
            }
        )


def _mailbox(address: str) -> str:
    """An address as the mailbox it reaches: any case, and without a "+tag" (a sub-address
    delivers to the same mailbox)."""
    local, _, domain = (address or "").strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else domain


def _is_own_address(user: User, address: str) -> bool:
    """Whether an address reaches the person themselves: their sign-in address or any other
    address on their account (confirmed or not)."""
    if not address:
        return False
    own = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    return _mailbox(address) in {_mailbox(a) for a in own if a}


@transaction.atomic
def placement_withdraw(*, placement: Placement, by: User) -> Placement:
    """Withdrawn placements stay on record but no longer count towards the commitments."""
    if not access.is_the_participant(by, placement.participant):
        raise PermissionDenied("Participants withdraw their own placements.")
    placement.status = PlacementStatus.WITHDRAWN
    placement.save(update_fields=["status", "updated_at"])
    placement.half_days.filter(status=HalfDayStatus.PLANNED).update(status=HalfDayStatus.CANCELLED)
    return placement


# Learning outcomes ----------------------------------------------------------------


def _snapshot(placement: Placement) -> list[str]:
    return list(placement.outcomes.values_list("text", flat=True))


def _record(
    placement: Placement,
    action: str,
    by: User,
    comment: str = "",
    outcomes: list[str] | None = None,
) -> OutcomesDecision:
    """Record a step with the outcomes as they stand (`outcomes` when the caller has them)."""
    return OutcomesDecision.objects.create(
        placement=placement,
        action=action,
        by=by,
        comment=comment,
        outcomes_snapshot=_snapshot(placement) if outcomes is None else outcomes,
    )


@transaction.atomic
def outcomes_save(*, placement: Placement, by: User, texts: list[str]) -> Placement:
    """Replace the placement's learning outcomes. Changing approved outcomes sends them
    back to the line manager: the commitment is that they agreed what is being learned."""
    if not access.is_the_participant(by, placement.participant):
        raise PermissionDenied("Participants write their own learning outcomes.")
    if placement.status == PlacementStatus.WITHDRAWN:
        raise ValidationError("This placement was withdrawn; its outcomes can no longer change.")
    texts = [t.strip() for t in texts if t and t.strip()]
    if texts == _snapshot(placement):
        return placement
    placement.outcomes.all().delete()
    LearningOutcome.objects.bulk_create(
        LearningOutcome(placement=placement, text=text, position=i) for i, text in enumerate(texts)
    )
    if placement.outcomes_status == OutcomesStatus.APPROVED:
        _record(placement, OutcomesDecision.Action.REOPENED, by, outcomes=texts)
        if texts:
            return _submit(placement, by, texts)
        placement.outcomes_status = OutcomesStatus.DRAFT
        placement.save(update_fields=["outcomes_status", "updated_at"])
    return placement


@transaction.atomic
def outcomes_submit(*, placement: Placement, by: User) -> Placement:
    """Send the learning outcomes to the line manager for approval."""
    if not access.is_the_participant(by, placement.participant):
        raise PermissionDenied("Participants submit their own learning outcomes.")
    return _submit(placement, by, _snapshot(placement))


def _submit(placement: Placement, by: User, outcomes: list[str]) -> Placement:
    if not outcomes:
        raise ValidationError("Write at least one learning outcome before sending them.")
    if placement.participant.line_manager_id is None:
        raise ValidationError(
            "You have no line manager recorded yet; ask the programme manager to add them."
        )
    placement.outcomes_status = OutcomesStatus.SUBMITTED
    placement.save(update_fields=["outcomes_status", "updated_at"])
    _record(placement, OutcomesDecision.Action.SUBMITTED, by, outcomes=outcomes)
    manager = placement.participant.line_manager
    send_templated(
        to=[manager.email],
        subject=f"Learning outcomes to approve: {placement.participant.user}",
        template="outcomes_submitted",
        context={
            "placement": placement,
            "manager": manager,
            "url": absolute_url(reverse("placement_detail", args=[placement.pk])),
        },
    )
    return placement


def _decide(placement: Placement, by: User, action: str, comment: str) -> Placement:
    if not access.can_decide_outcomes(by, placement):
        raise PermissionDenied("Only the participant's line manager decides on their outcomes.")
    if placement.outcomes_status != OutcomesStatus.SUBMITTED:
        raise ValidationError(
            "These learning outcomes are not waiting for a decision; they may have been "
            "changed or decided already. Reload the page to see the latest."
        )
    placement.outcomes_status = action
    fields = ["outcomes_status", "updated_at"]
    if action == OutcomesStatus.APPROVED and placement.outcomes_first_approved_at is None:
        placement.outcomes_first_approved_at = timezone.now()
        fields.append("outcomes_first_approved_at")
    placement.save(update_fields=fields)
    _record(placement, action, by, comment)
    participant = placement.participant
    # The participant acts next (logs half-days, or changes the outcomes); the line manager
    # made the decision and needs no email about it.
    send_templated(
        to=[participant.user.email],
        subject=f"Learning outcomes {'approved' if action == 'approved' else 'returned'}: "
        f"{participant.user} at {placement.organisation}",
        template="outcomes_decided",
        context={
            "placement": placement,
            "approved": action == OutcomesStatus.APPROVED,
            "comment": comment,
            "by": by,
            "url": absolute_url(reverse("placement_detail", args=[placement.pk])),
        },
    )
    return placement


@transaction.atomic
def outcomes_approve(*, placement: Placement, by: User, comment: str = "") -> Placement:
    """The line manager agrees the learning outcomes: the placement may start."""
    placement = (
        Placement.objects.select_for_update(of=("self",)).with_related().get(pk=placement.pk)
    )
    return _decide(placement, by, OutcomesStatus.APPROVED, comment.strip())


@transaction.atomic
def outcomes_return(*, placement: Placement, by: User, comment: str) -> Placement:
    """The line manager returns the outcomes with what to change."""
    if not comment or not comment.strip():
        raise ValidationError({"comment": "Say what to change, so the participant can act on it."})
    placement = (
        Placement.objects.select_for_update(of=("self",)).with_related().get(pk=placement.pk)
    )
    return _decide(placement, by, OutcomesStatus.RETURNED, comment.strip())


# Half-days ----------------------------------------------------------------------------


def _window_message(participant: Participant) -> str:
    start = participant.cohort.programme_start
    return (
        "The I2I commitment is that every half-day falls within your six-month window: "
        f"enter a date from {date_format(start)} to {date_format(rules.window_end(start))}."
    )


def _check_outcomes_agreed(placement: Placement) -> None:
    """A new half-day needs the placement's learning outcomes as they stand now approved:
    outcomes changed or returned after approval wait for the line manager again."""
    if placement.outcomes_first_approved_at is None:
        raise ValidationError(
            "The I2I commitment is that learning outcomes are agreed with your line manager "
            "before a placement starts: get this placement's learning outcomes approved "
            "before you log a half-day."
        )
    if placement.outcomes_status != OutcomesStatus.APPROVED:
        raise ValidationError(
            "The I2I commitment is that learning outcomes are agreed with your line manager "
            "before a placement starts: this placement's outcomes changed after they were "
            f"approved and are now “{placement.get_outcomes_status_display().lower()}”. Log "
            "a new half-day once your line manager approves them again."
        )


def _check_half_day(half_day: HalfDay, today: dt.date) -> None:
    placement = half_day.placement
    participant = placement.participant
    errors: dict[str, str] = {}
    if placement.status == PlacementStatus.WITHDRAWN:
        raise ValidationError("This placement was withdrawn, so no half-days can be added to it.")
    if half_day.pk is None:
        _check_outcomes_agreed(placement)
    if half_day.date:
        if not rules.in_window(half_day.date, participant.cohort.programme_start):
            errors["date"] = _window_message(participant)
        elif half_day.status == HalfDayStatus.COMPLETED and half_day.date > today:
            errors["date"] = (
                f"A half-day cannot be completed before it happens: enter today "
                f"({date_format(today)}) or an earlier date, or save it as planned."
            )
        else:
            approved_on = timezone.localdate(placement.outcomes_first_approved_at)
            if half_day.date < approved_on:
                errors["date"] = (
                    "The I2I commitment is that learning outcomes are agreed before a "
                    f"placement starts: they were approved on {date_format(approved_on)}, so "
                    "enter that date or a later one."
                )
    _check_times(half_day, errors)
    clash = (
        HalfDay.objects.filter(
            participant=participant, date=half_day.date, session=half_day.session
        )
        .exclude(status=HalfDayStatus.CANCELLED)
        .exclude(pk=half_day.pk)
        .select_related("placement__organisation")
        .first()
    )
    if clash and half_day.status != HalfDayStatus.CANCELLED and "starts_at" not in errors:
        errors["session"] = (
            f"You already have a half-day at {clash.placement.organisation} then: "
            "choose another date or the other half of the day."
        )
    if errors:
        raise ValidationError(errors)


def _check_times(half_day: HalfDay, errors: dict[str, str]) -> None:
    """Times left blank are the session's typical times; a half-day ends after it starts,
    and one participant is in one place at a time (on PostgreSQL the database refuses an
    overlap too: `half_day_times_do_not_overlap`)."""
    half_day.fill_typical_times()
    if not (half_day.starts_at and half_day.ends_at and half_day.date):
        return
    if half_day.ends_at <= half_day.starts_at:
        errors["ends_at"] = end_time_message(half_day.starts_at)
    elif half_day.status != HalfDayStatus.CANCELLED and (other := _overlapping(half_day)):
        errors["starts_at"] = _overlap_message(other)


def end_time_message(starts_at: dt.time) -> str:
    return f"Enter an end time later than the start time ({clock_text(starts_at)})."


def _overlapping(half_day: HalfDay) -> HalfDay | None:
    """Another half-day of the participant, not cancelled, whose times overlap these: one
    ending at 12:30 and another starting at 12:30 do not."""
    return (
        HalfDay.objects.filter(
            participant_id=half_day.participant_id,
            date=half_day.date,
            starts_at__lt=half_day.ends_at,
            ends_at__gt=half_day.starts_at,
        )
        .exclude(status=HalfDayStatus.CANCELLED)
        .exclude(pk=half_day.pk)
        .select_related("placement__organisation")
        .order_by("starts_at")
        .first()
    )


def _overlap_message(other: HalfDay) -> str:
    return (
        f"You already have a half-day from {clock_text(other.starts_at)} to "
        f"{clock_text(other.ends_at)} on {date_format(other.date)} with "
        f"{other.placement.organisation}: choose times that do not overlap it."
    )


def _save_half_day(half_day: HalfDay, today: dt.date) -> HalfDay:
    _check_half_day(half_day, today)
    _check_host_needs(half_day, today)
    half_day.full_clean(exclude=["participant", "placement"])
    try:
        with transaction.atomic():
            half_day.save()
    except IntegrityError:
        # Two requests raced past the check; the database constraint is the last word. The
        # other half-day is committed by now (PostgreSQL waited for it), so name it.
        other = _overlapping(half_day)
        if other is not None:
            raise ValidationError({"starts_at": _overlap_message(other)}) from None
        raise ValidationError({"session": "You already have a half-day booked then."}) from None
    _refresh_placement_status(half_day.placement)
    return half_day


def _check_host_needs(half_day: HalfDay, today: dt.date) -> None:
    """The host's checks before the first visit, then its room that month (issue #20:
    `placements.clearances`, `placements.offers`)."""
    clearances.check_first_half_day(half_day)
    start = half_day.placement.participant.cohort.programme_start
    offers.check_capacity(half_day, last_day=rules.window_end(start), today=today)


def _refresh_placement_status(placement: Placement) -> None:
    """A placement is in progress from its first completed half-day and complete at four."""
    if placement.status == PlacementStatus.WITHDRAWN:
        return
    done = placement.half_days.filter(status=HalfDayStatus.COMPLETED).count()
    if done >= rules.HALF_DAYS_PER_PLACEMENT:
        status = PlacementStatus.COMPLETE
    elif done:
        status = PlacementStatus.IN_PROGRESS
    elif placement.status in {PlacementStatus.IN_PROGRESS, PlacementStatus.COMPLETE}:
        status = PlacementStatus.AGREED
    else:
        return
    if status != placement.status:
        placement.status = status
        placement.save(update_fields=["status", "updated_at"])


@transaction.atomic
def half_day_log(
    *, placement: Placement, by: User, today: dt.date | None = None, **fields
) -> HalfDay:
    """Log a planned or completed half-day with the host organisation."""
    if not access.is_the_participant(by, placement.participant):
        raise PermissionDenied("Participants log their own half-days.")
    today = today or timezone.localdate()
    half_day = HalfDay(placement=placement, participant=placement.participant, **fields)
    _save_half_day(half_day, today)
    if half_day.status == HalfDayStatus.COMPLETED:
        _after_completion(half_day)
    return half_day


@transaction.atomic
def half_day_update(
    *, half_day: HalfDay, by: User, today: dt.date | None = None, **fields
) -> HalfDay:
    if not access.is_the_participant(by, half_day.participant):
        raise PermissionDenied("Participants change their own half-days.")
    # As stored, not as passed: a model form has already set its values on the instance.
    stored = HalfDay.objects.select_for_update().get(pk=half_day.pk)
    was_completed = stored.status == HalfDayStatus.COMPLETED
    before = [getattr(stored, name) for name in HOST_CONFIRMS]
    # The host may have confirmed since the page was loaded: keep what is stored.
    for name in ("completed_at", "confirmation_sent_at", "confirmed_at", "confirmed_by_name"):
        setattr(half_day, name, getattr(stored, name))
    for name, value in fields.items():
        setattr(half_day, name, value)
    _save_half_day(half_day, today or timezone.localdate())
    if half_day.status == HalfDayStatus.COMPLETED and not was_completed:
        _after_completion(half_day)
    elif was_completed and half_day.status != HalfDayStatus.COMPLETED:
        _withdraw_confirmation(half_day, ask_again=False)
    elif was_completed and before != [getattr(half_day, name) for name in HOST_CONFIRMS]:
        _withdraw_confirmation(half_day, ask_again=True)
    elif stored.confirmed_at and before != [getattr(half_day, name) for name in HOST_CONFIRMS]:
        # The host person confirmed the booking as it was (placements/hosting.py).
        _withdraw_confirmation(half_day, ask_again=False)
    return half_day


@transaction.atomic
def half_day_complete(*, half_day: HalfDay, by: User, today: dt.date | None = None) -> HalfDay:
    """Mark a planned half-day as having taken place."""
    return half_day_update(half_day=half_day, by=by, today=today, status=HalfDayStatus.COMPLETED)


@transaction.atomic
def half_day_cancel(*, half_day: HalfDay, by: User) -> HalfDay:
    if not access.is_the_participant(by, half_day.participant):
        raise PermissionDenied("Participants cancel their own half-days.")
    was_completed = half_day.status == HalfDayStatus.COMPLETED
    half_day.status = HalfDayStatus.CANCELLED
    half_day.save(update_fields=["status"])
    if was_completed:
        _withdraw_confirmation(half_day, ask_again=False)
    _refresh_placement_status(half_day.placement)
    return half_day


def _after_completion(half_day: HalfDay) -> None:
    half_day.completed_at = timezone.now()
    # A host person's confirmation before the day (placements/hosting.py) said they expected
    # the visitor, not that the visit took place: that is asked now.
    half_day.confirmed_at = None
    half_day.confirmed_by_name = ""
    half_day.save(
        update_fields=["completed_at", "confirmed_at", "confirmed_by_name", *_ask_host(half_day)]
    )


def _withdraw_confirmation(half_day: HalfDay, *, ask_again: bool) -> None:
    """The host confirmed a date, a half of the day, a place and a person; once the
    participant changes one of them, or the half-day no longer stands as completed, that
    confirmation is of something else and goes. Any link already sent stops working, and
    the host is asked about the half-day as it now stands."""
    half_day.confirmed_at = None
    half_day.confirmed_by_name = ""
    half_day.confirmation_sent_at = None
    asked = _ask_host(half_day) if ask_again else []
    half_day.save(
        update_fields=["confirmed_at", "confirmed_by_name", "confirmation_sent_at", *asked]
    )


def _ask_host(half_day: HalfDay) -> list[str]:
    """Email the host the signed link, unless the address is the participant's own; returns
    the fields changed, for the caller to save. The address is one the participant typed,
    so the email says nothing they wrote except their name
    (templates/emails/half_day_confirmation.txt)."""
    placement = half_day.placement
    user = placement.participant.user
    if not placement.contact_email or _is_own_address(user, placement.contact_email):
        return []
    half_day.confirmation_sent_at = timezone.now()
    send_templated(
        to=[placement.contact_email],
        subject=f"Please confirm {user}'s I2I half-day",
        template="half_day_confirmation",
        context={
            "participant_name": str(user),
            "date": half_day.date,
            "session": half_day.get_session_display().lower(),
            "times": half_day.times,
            "url": absolute_url(reverse("half_day_confirm", args=[confirmation_token(half_day)])),
            "days": HOST_CONFIRMATION_MAX_AGE.days,
        },
    )
    return ["confirmation_sent_at"]


# Host confirmation ----------------------------------------------------------------------


def _stamps(half_day: HalfDay) -> str:
    """What a link is tied to: this completion and this request to the host."""
    return "|".join(
        moment.isoformat() if moment else ""
        for moment in (half_day.completed_at, half_day.confirmation_sent_at)
    )


def confirmation_token(half_day: HalfDay) -> str:
    """A signed link for the host: no account needed, expires after 30 days, and tied to
    this completion and this request, so that a link from an earlier completion, or sent
    before the participant changed the half-day, no longer works."""
    return signing.dumps(
        {"h": half_day.pk, "c": _stamps(half_day)}, salt=_CONFIRMATION_SALT, compress=True
    )


class ConfirmationLinkError(Exception):
    """The link is expired, tampered with, or no longer matches the half-day."""


def half_day_from_token(token: str) -> HalfDay:
    try:
        data = signing.loads(
            token,
            salt=_CONFIRMATION_SALT,
            max_age=HOST_CONFIRMATION_MAX_AGE.total_seconds(),
        )
    except signing.SignatureExpired:
        raise ConfirmationLinkError(
            f"This link has expired: confirmation links last {HOST_CONFIRMATION_MAX_AGE.days} days."
        ) from None
    except signing.BadSignature:
        raise ConfirmationLinkError(
            "This link is not valid. Check it was copied in full."
        ) from None
    half_day = (
        HalfDay.objects.select_related("placement__organisation", "participant__user")
        .filter(pk=data.get("h"))
        .first()
    )
    stamp = _stamps(half_day) if half_day else ""
    if half_day is None or half_day.status != HalfDayStatus.COMPLETED or stamp != data.get("c"):
        raise ConfirmationLinkError("This half-day has changed since the link was sent.")
    return half_day


@transaction.atomic
def half_day_confirm(*, token: str, name: str) -> HalfDay:
    """The host confirms that the half-day took place. Evidence, not a condition of the rules;
    each link works once."""
    linked = half_day_from_token(token)
    half_day = HalfDay.objects.select_for_update().get(pk=linked.pk)
    if half_day.status != HalfDayStatus.COMPLETED or _stamps(half_day) != _stamps(linked):
        # Changed between reading the link and locking the row.
        raise ConfirmationLinkError("This half-day has changed since the link was sent.")
    if half_day.confirmed_at is not None:
        raise ConfirmationLinkError("This half-day has already been confirmed. Thank you.")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter your name, so the participant knows who confirmed."})
    half_day.confirmed_at = timezone.now()
    half_day.confirmed_by_name = name[:150]
    half_day.save(update_fields=["confirmed_at", "confirmed_by_name"])
    return half_day


# Organisations proposed by participants -----------------------------------------------


@transaction.atomic
def organisation_propose(*, name: str, sector: str, town: str, by: User) -> Organisation:
    """A participant proposes a host that is not in the directory. If it is there after all
    (by name, ignoring case and spaces), that one is used."""
    existing = Organisation.objects.named(name).first()
    if existing:
        return existing
    organisation = Organisation(
        name=name, sector=sector, town=town, is_partner=False, is_confirmed=False, proposed_by=by
    )
    organisation.full_clean()
    organisation.save()
    return organisation
