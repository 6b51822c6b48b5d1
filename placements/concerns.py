"""A route for concerns about a placement (issue #20): anyone involved raises one, the
programme manager hears at once (an email and a home task), records what they did, closes it
with an outcome and may reopen it. Every step is a `ConcernStep` and an audit event.

Emails say that a concern was raised and link to it; they never carry its words, which stay
behind the sign-in (a safeguarding concern may name people and circumstances)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from i2i import access, audit
from i2i.emails import absolute_url, send_later
from i2i.models import Notification
from participants.models import User
from placements.models import Concern, ConcernStep, Placement

CONCERN_RAISED = "concern_raised"


def raised_as(user, placement: Placement) -> str:
    """How the raiser is involved, in words, kept with the concern (a role can change later)."""
    participant = placement.participant
    if user.pk == participant.user_id:
        return "participant"
    if user.pk == participant.line_manager_id:
        return "line manager"
    if user.pk == participant.sponsor_id:
        return "sponsor"
    if access.is_programme_manager(user):
        return "programme manager"
    return "host"


@transaction.atomic
def concern_raise(*, placement: Placement, by: User, kind: str, description: str) -> Concern:
    """Raise a concern. The programme manager (every active one) and the participant's line
    manager are emailed after commit; the programme manager's home page lists it until it is
    closed."""
    if not access.can_raise_concern(by, placement):
        raise PermissionDenied("Only people involved in the placement raise a concern about it.")
    concern = Concern(
        placement=placement,
        kind=kind,
        description=description.strip(),
        raised_by=by,
        raised_as=raised_as(by, placement),
    )
    concern.full_clean()
    concern.save()
    _step(concern, by, ConcernStep.Action.RAISED, "")
    _tell(concern)
    return concern


@transaction.atomic
def concern_act(*, concern: Concern, by: User, comment: str) -> Concern:
    """Record what the programme manager did (a call, a referral, a meeting)."""
    _may_handle(by, concern)
    if not comment.strip():
        raise ValidationError({"comment": "Enter what you did"})
    _step(concern, by, ConcernStep.Action.ACTION, comment)
    return concern


@transaction.atomic
def concern_close(*, concern: Concern, by: User, outcome: str) -> Concern:
    """Close the concern with how it was resolved; its home task goes."""
    _may_handle(by, concern)
    if concern.status == Concern.Status.CLOSED:
        raise ValidationError({"outcome": "This concern is already closed"})
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter how the concern was resolved"})
    concern.status = Concern.Status.CLOSED
    concern.closed_at = timezone.now()
    concern.outcome = outcome.strip()
    concern.full_clean()
    concern.save(update_fields=["status", "closed_at", "outcome"])
    _step(concern, by, ConcernStep.Action.CLOSED, concern.outcome)
    return concern


@transaction.atomic
def concern_reopen(*, concern: Concern, by: User, comment: str) -> Concern:
    """Open a closed concern again, saying why; the outcome stays in its history."""
    _may_handle(by, concern)
    if concern.status != Concern.Status.CLOSED:
        raise ValidationError({"comment": "This concern is already open"})
    if not comment.strip():
        raise ValidationError({"comment": "Enter why you are reopening it"})
    concern.status = Concern.Status.OPEN
    concern.closed_at = None
    concern.save(update_fields=["status", "closed_at"])
    _step(concern, by, ConcernStep.Action.REOPENED, comment)
    return concern


def _may_handle(user, concern: Concern) -> None:
    """Refused unless the programme manager; the concern's status read again under a lock,
    so that two people closing it at once close it once."""
    if not access.can_handle_concern(user, concern):
        raise PermissionDenied("Only the programme manager handles a concern.")
    current = (
        Concern.objects.select_for_update()
        .filter(pk=concern.pk)
        .values("status", "closed_at", "outcome")
        .get()
    )
    for name, value in current.items():
        setattr(concern, name, value)


def _step(concern: Concern, by: User, action: str, comment: str) -> ConcernStep:
    step = ConcernStep(concern=concern, by=by, action=action, comment=comment.strip())
    step.full_clean()
    step.save()
    # The audit names the step, never its words: those stay on the concern's own page.
    audit.record(
        f"concern_{action}",
        actor=by,
        target=concern,
        concern=concern.pk,
        kind=concern.kind,
        step=step.pk,
        participant=concern.placement.participant_id,
    )
    return step


def _tell(concern: Concern) -> None:
    """Email every active programme manager and the participant's line manager (not the one
    who raised it), once each (a Notification keyed by the concern)."""
    participant = concern.placement.participant
    recipients = {
        user.pk: user
        for user in User.objects.filter(is_active=True, is_programme_manager=True).order_by("pk")
    }
    manager = participant.line_manager
    if manager is not None and manager.is_active and manager.pk != participant.user_id:
        recipients.setdefault(manager.pk, manager)
    recipients.pop(concern.raised_by_id, None)
    url = absolute_url(reverse("concern_detail", args=[concern.pk]))
    subject = (
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}A concern was raised about a placement with "
        f"{concern.placement.organisation}"
    )[:250]
    for recipient in recipients.values():
        body = render_to_string(
            "emails/concern_raised.txt",
            {
                "recipient": recipient,
                "concern": concern,
                "url": url,
                "safeguarding_contact": settings.SAFEGUARDING_CONTACT,
            },
        )
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=CONCERN_RAISED,
                    key=f"concern:{concern.pk}:raised",
                    subject=subject,
                    body=body,
                    url=url,
                )
        except IntegrityError:
            continue  # already told
        send_later(
            EmailMessage(subject=subject, body=body, to=[recipient.email]),
            notification_id=notification.pk,
        )
