"""The audit trail: `record(action, target=..., **detail)` from anywhere, with the person and
the address taken from the request being served."""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.dispatch import receiver

from i2i.models import AuditEvent
from i2i.proxies import client_ip

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


def record(action: str, *, target: object = "", actor=None, **detail) -> None:

    request = _request.get()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    AuditEvent.objects.create(
        actor=actor,
        actor_label=getattr(actor, "email", "") or detail.pop("actor_label", ""),
        action=action,
        target=str(target)[:300],
        detail=detail,
        ip=client_ip(request),
    )


# Erasure ----------------------------------------------------------------------------------

# Events that mirror a decision's history: their "comment" is erased with the record's.
# A host person's answer about a half-day (placements/hosting.py) is its own record, read
# from here; its comment goes with the participant's records too.
MIRRORED = ("outcomes_", "initiative_", "reflective_account_", "eoi_", "host_half_day_")


@dataclass(frozen=True)
class Scrubber:
    """Replaces a person's names and email addresses in text (any case, whole words only,
    so erasing "Ann Lee" leaves "Ann Leeming" alone)."""

    names: Iterable[str] = ()
    emails: Iterable[str] = ()
    name_to: str = ""
    email_to: str = ""
    _patterns: list = field(default_factory=list, init=False, compare=False)

    def __post_init__(self):
        # Longest first, so a full name goes before a shorter name inside it.
        for found, to in sorted(
            [(e, self.email_to) for e in self.emails if e]
            + [(n, self.name_to) for n in self.names if n.strip()],
            key=lambda pair: -len(pair[0]),
        ):
            pattern = re.compile(rf"(?<![\w.@-]){re.escape(found)}(?![\w@-])", re.IGNORECASE)
            self._patterns.append((found, pattern, to))

    def text(self, value: str) -> str:
        for _, pattern, to in self._patterns:
            value = pattern.sub(lambda _match, to=to: to, value)
        return value

    def json(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.json(v) for k, v in value.items()}
        return value

    def q(self, field_name: str) -> Q:
        """Rows whose field may hold the person (the database narrows; `text` decides)."""
        q = Q(pk__in=[])
        for found, _, _ in self._patterns:
            q |= Q(**{f"{field_name}__icontains": found})
        return q


def scrub_person(
    *,
    user,
    scrubber: Scrubber,
    participant_ids: Iterable[int] = (),
    initiative_titles: Iterable[str] = (),
) -> int:
    """Keep every event, without the person: their name and addresses are replaced in who
    did it, what to and the particulars; the comments on their records (and those they
    wrote) are erased with the records. Events are found by who did them, by whose record
    they are about (`participant`, `applicant`), by the initiative's title for events
    recorded before those were kept, and by the name or address anywhere in them. Two
    queries, and one more per 500 events changed."""

    participant_ids, initiative_titles = list(participant_ids), list(initiative_titles)
    about = (
        Q(actor=user)
        | Q(detail__participant__in=participant_ids)
        | Q(detail__applicant=user.pk)
        | Q(action__startswith="initiative_", target__in=initiative_titles)
        | scrubber.q("actor_label")
        | scrubber.q("target")
        | scrubber.q("detail_text")
    )
    events = AuditEvent.objects.annotate(detail_text=Cast("detail", TextField())).filter(about)
    changed = []
    for event in events:
        event.actor_label = scrubber.text(event.actor_label)
        event.target = scrubber.text(event.target)
        if event.action.startswith("initiative_") and event.target in initiative_titles:
            event.target = "(erased)"
        event.detail = scrubber.json(event.detail)
        if (
            event.action.startswith(MIRRORED)
            and isinstance(event.detail, dict)
            and event.detail.get("comment")
        ):
            event.detail["comment"] = ""
        changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["actor_label", "target", "detail"], batch_size=500)
    return len(changed)


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
