"""Writing, sharing and discussing reflective accounts (the leaflet's "Reflect")."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from i2i import access
from i2i.emails import absolute_url, send_templated
from participants.models import User
from placements.models import HalfDayStatus, Placement, PlacementStatus
from reflections.frameworks import FRAMEWORKS, NMC_THEMES, OUTCOME_RATINGS, PRINCIPLES
from reflections.models import AccountEvent, AccountStatus, ReflectiveAccount
from reflections.privacy import identifying_details

MAX_ANSWER_LENGTH = 20_000


@transaction.atomic
def account_start(*, placement: Placement, by: User) -> ReflectiveAccount:
    """Start (or reopen) the placement's account, once it has a completed half-day."""
    if not access.is_the_participant(by, placement.participant):
        raise PermissionDenied("Participants write their own reflective accounts.")
    existing = ReflectiveAccount.objects.filter(placement=placement).first()
    if existing:
        return existing
    if placement.status == PlacementStatus.WITHDRAWN:
        raise ValidationError("This placement was withdrawn.")
    if not placement.half_days.filter(status=HalfDayStatus.COMPLETED).exists():
        raise ValidationError(
            "Write your reflective account once you have completed at least one half-day "
            "of this placement."
        )
    try:
        with transaction.atomic():
            return ReflectiveAccount.objects.create(
                placement=placement, participant=placement.participant
            )
    except IntegrityError:
        # Started twice at once (two tabs, a double tap): the one account is the answer.
        return ReflectiveAccount.objects.get(placement=placement)


def _clean_answers(framework_code: str, answers: dict[str, str]) -> dict[str, str]:
    framework = FRAMEWORKS.get(framework_code)
    if framework is None:
        raise ValidationError({"framework": "Choose one of the frameworks listed."})
    known = {p.key for f in FRAMEWORKS.values() for p in f.prompts}
    cleaned = {}
    for key, text in answers.items():
        if key not in known:
            continue
        if len(text) > MAX_ANSWER_LENGTH:
            raise ValidationError(
                {f"answer_{key}": f"Keep each answer under {MAX_ANSWER_LENGTH:,} characters."}
            )
        cleaned[key] = text
    return cleaned


@transaction.atomic
def account_save(
    *,
    account: ReflectiveAccount,
    by: User,
    framework: str | None = None,
    answers: dict[str, str] | None = None,
    outcome_ratings: dict[str, dict] | None = None,
    code_themes: list[str] | None = None,
    principles: list[str] | None = None,
    workshop_learning: str | None = None,
) -> tuple[ReflectiveAccount, list[str]]:
    """Save a draft. Answers are merged, never dropped, so switching framework keeps what was
    written. Returns the account and any warnings (text that may identify someone)."""
    account = ReflectiveAccount.objects.select_for_update().get(pk=account.pk)
    if not access.is_the_participant(by, account.participant):
        raise PermissionDenied("Participants write their own reflective accounts.")
    if account.status != AccountStatus.DRAFT:
        raise ValidationError(
            "This account has been shared with your line manager, so it cannot change now. "
            "They can ask you for more, which reopens it."
        )
    framework = framework or account.framework
    merged = dict(account.answers or {})
    merged.update(_clean_answers(framework, answers or {}))
    account.framework = framework
    account.answers = merged
    if outcome_ratings is not None:
        allowed = {code for code, _ in OUTCOME_RATINGS}
        outcome_ids = {str(pk) for pk in account.placement.outcomes.values_list("pk", flat=True)}
        account.outcome_ratings = {
            key: {"rating": value.get("rating", ""), "comment": value.get("comment", "")[:2000]}
            for key, value in outcome_ratings.items()
            if key in outcome_ids and value.get("rating", "") in allowed | {""}
        }
    if code_themes is not None:
        account.code_themes = [t for t in code_themes if t in dict(NMC_THEMES)]
    if principles is not None:
        account.principles = [p for p in principles if p in dict(PRINCIPLES)]
    if workshop_learning is not None:
        account.workshop_learning = workshop_learning[:1500]
    account.save()
    return account, warnings_for(account)


def warnings_for(account: ReflectiveAccount) -> list[str]:
    text = "\n".join(
        [*(account.answers or {}).values(), account.workshop_learning]
        + [r.get("comment", "") for r in (account.outcome_ratings or {}).values()]
    )
    found = identifying_details(text)
    if not found:
        return []
    return [
        f"Your text contains what looks like {' and '.join(found)}. Reflective accounts must "
        "not identify service users or patients: please check and remove it."
    ]


def _notify(account: ReflectiveAccount, subject: str, template: str, to: list[str], **context):
    """Email about a step in the account's life, to the person who acts next, with a link to
    the account. Never its text nor the line manager's comments: an account is readable only
    by the participant and their line manager, and email is forwarded, kept and read on
    shared screens, so the email says there is a comment and the page shows it."""
    send_templated(
        to=to,
        subject=subject,
        template=template,
        context={
            "account": account,
            "url": absolute_url(reverse("account_detail", args=[account.pk])),
            **context,
        },
    )


@transaction.atomic
def account_share(*, account: ReflectiveAccount, by: User) -> ReflectiveAccount:
    """Share the account with the line manager, to read and discuss: what they read is a
    copy of the account as it is now (`shared_version`), replacing any copy shared before."""
    account = ReflectiveAccount.objects.select_for_update().get(pk=account.pk)
    if not access.is_the_participant(by, account.participant):
        raise PermissionDenied("Participants share their own reflective accounts.")
    if account.status != AccountStatus.DRAFT:
        raise ValidationError("This account is already shared with your line manager.")
    if not any((text or "").strip() for text in (account.answers or {}).values()):
        raise ValidationError("Write your reflective account before you share it.")
    manager = account.participant.line_manager
    if manager is None:
        raise ValidationError(
            "You have no line manager recorded yet; ask the programme manager to add them."
        )
    account.status = AccountStatus.SHARED
    account.shared_at = timezone.now()
    # The line manager reads this copy, never the live fields: after "Ask for more" the
    # participant writes in the live fields while the line manager keeps what they read.
    account.shared_version = account.snapshot()
    account.save(update_fields=["status", "shared_at", "shared_version", "updated_at"])
    AccountEvent.objects.create(account=account, action=AccountEvent.Action.SHARED, by=by)
    _notify(
        account,
        f"Reflective account to read: {account.participant.user}",
        "account_shared",
        [manager.email],
        manager=manager,
    )
    return account


def _check_line_manager(account: ReflectiveAccount, by: User) -> None:
    if not access.is_the_line_manager(by, account.participant):
        raise PermissionDenied("Only the participant's line manager discusses their account.")
    if account.status != AccountStatus.SHARED:
        raise ValidationError("This account is not waiting for a discussion.")


@transaction.atomic
def account_discuss(
    *, account: ReflectiveAccount, by: User, discussed_on: dt.date, comment: str = ""
) -> ReflectiveAccount:
    """The line manager records that they discussed the account with the participant."""
    account = ReflectiveAccount.objects.select_for_update().get(pk=account.pk)
    _check_line_manager(account, by)
    if discussed_on > timezone.localdate():
        raise ValidationError(
            {"discussed_on": "Enter the date you discussed it: today or earlier."}
        )
    if account.shared_at and discussed_on < timezone.localdate(account.shared_at):
        raise ValidationError(
            {"discussed_on": "Enter a date on or after the account was shared with you."}
        )
    account.status = AccountStatus.DISCUSSED
    account.discussed_on = discussed_on
    account.save(update_fields=["status", "discussed_on", "updated_at"])
    AccountEvent.objects.create(
        account=account,
        action=AccountEvent.Action.DISCUSSED,
        by=by,
        comment=comment.strip(),
        discussed_on=discussed_on,
    )
    _notify(
        account,
        f"Reflective account discussed: {account.placement.organisation}",
        "account_discussed",
        [account.participant.user.email],
        by=by,
        has_comment=bool(comment.strip()),
        discussed_on=discussed_on,
    )
    return account


@transaction.atomic
def account_ask_more(*, account: ReflectiveAccount, by: User, comment: str) -> ReflectiveAccount:
    """The line manager asks for more; the account reopens for the participant. The copy
    shared before stays: the line manager goes on reading what they read, not the draft
    the participant now adds to, until it is shared again."""
    if not (comment or "").strip():
        raise ValidationError({"comment": "Say what more you would like the participant to add."})
    account = ReflectiveAccount.objects.select_for_update().get(pk=account.pk)
    _check_line_manager(account, by)
    account.status = AccountStatus.DRAFT
    account.save(update_fields=["status", "updated_at"])
    AccountEvent.objects.create(
        account=account, action=AccountEvent.Action.MORE_ASKED, by=by, comment=comment.strip()
    )
    _notify(
        account,
        f"Your line manager asked for more: {account.placement.organisation}",
        "account_more_asked",
        [account.participant.user.email],
        by=by,
    )
    return account
