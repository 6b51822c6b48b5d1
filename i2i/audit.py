"""The audit trail: `record(action, target=..., **detail)` from anywhere, with the person and
the address taken from the request being served."""

from __future__ import annotations

import contextvars

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

_request: contextvars.ContextVar = contextvars.ContextVar("i2i_request", default=None)


class AuditContextMiddleware:
    """Remembers the request so that audit records say who and from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind the TLS proxy the first X-Forwarded-For address is the client's.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")
    return address or None


def record(action: str, *, target: object = "", actor=None, **detail) -> None:
    from i2i.models import AuditEvent

    request = _request.get()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    AuditEvent.objects.create(
        actor=actor,
        actor_label=getattr(actor, "email", "") or detail.pop("actor_label", ""),
        action=action,
        target=str(target)[:300],
        detail=detail,
        ip=_client_ip(request),
    )


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    record("sign_in", actor=user, target=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record("sign_out", actor=user, target=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only the email typed: never the password.
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    record("sign_in_failed", target=email, actor_label=email)


def connect_decision_signals() -> None:
    """Decisions already have their own histories; the audit trail collects them in one
    place for the programme manager."""
    from improvements.models import AgreementDecision
    from participants.models import EducationLead, EOIEvent, User
    from placements.models import OutcomesDecision
    from reflections.models import AccountEvent

    def mirror(label):
        def handler(sender, instance, created, **kwargs):
            if created:
                record(
                    f"{label}_{instance.action}",
                    actor=instance.by,
                    target=getattr(instance, "placement", None)
                    or getattr(instance, "initiative", None)
                    or getattr(instance, "account", None)
                    or getattr(instance, "eoi", None),
                    comment=getattr(instance, "comment", "")[:500],
                )

        return handler

    for model, label in (
        (OutcomesDecision, "outcomes"),
        (AgreementDecision, "initiative"),
        (AccountEvent, "reflective_account"),
        (EOIEvent, "eoi"),
    ):
        post_save.connect(mirror(label), sender=model, weak=False, dispatch_uid=f"audit-{label}")

    def lead_added(sender, instance, created, **kwargs):
        if created:
            record("role_education_lead_added", target=instance)

    def lead_removed(sender, instance, **kwargs):
        record("role_education_lead_removed", target=instance)

    def programme_manager_changed(sender, instance, **kwargs):
        if not instance.pk:
            return
        before = (
            User.objects.filter(pk=instance.pk)
            .values_list("is_programme_manager", flat=True)
            .first()
        )
        if before is not None and before != instance.is_programme_manager:
            record(
                "role_programme_manager_"
                + ("granted" if instance.is_programme_manager else "removed"),
                target=instance,
            )

    post_save.connect(lead_added, sender=EducationLead, weak=False, dispatch_uid="audit-lead+")
    post_delete.connect(lead_removed, sender=EducationLead, weak=False, dispatch_uid="audit-lead-")
    pre_save.connect(programme_manager_changed, sender=User, weak=False, dispatch_uid="audit-pm")
