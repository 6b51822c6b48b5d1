"""Announcements: the programme manager writes to one cohort's participants, or to their line
managers, or to their sponsors. Each recipient gets their own email (queued through Celery)
and sees the announcement at the top of their home page until they mark it read; the
programme manager sees how many have read each."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from i2i import access, audit
from i2i.emails import absolute_url, send_later
from i2i.models import Announcement, AnnouncementRecipient, Notification
from participants.models import Cohort, Participant, User

# Who each audience is, as a lookup from a participant of the cohort to the person.
_AUDIENCE_LOOKUP = {
    Announcement.Audience.PARTICIPANTS: "user",
    Announcement.Audience.LINE_MANAGERS: "line_manager",
    Announcement.Audience.SPONSORS: "sponsor",
}
# The audience's words inside a sentence: "sent to the line managers of Cohort A".
AUDIENCE_WORDS = {
    Announcement.Audience.PARTICIPANTS: "participants",
    Announcement.Audience.LINE_MANAGERS: "participants' line managers",
    Announcement.Audience.SPONSORS: "participants' sponsors",
}


def announcement_audience(*, cohort: Cohort, audience: str) -> QuerySet[User]:
    """The people an announcement to `audience` of `cohort` reaches: each once, however many
    of the cohort's participants they support, and only those who can sign in."""
    lookup = _AUDIENCE_LOOKUP[audience]
    people = Participant.objects.filter(cohort=cohort).values(lookup)
    return User.objects.filter(pk__in=people, is_active=True).order_by("full_name", "email")


@transaction.atomic
def announcement_send(
    *, cohort: Cohort, audience: str, subject: str, body: str, by: User
) -> Announcement:
    """Send an announcement: a read state for each recipient, a Notification and an email each
    (after commit, through Celery: `i2i.emails.send_later`), and an audit event. The number of
    queries does not grow with the recipients (the emails are queued, one task each)."""
    if not access.can_write_announcements(by):
        raise PermissionDenied("Only the programme manager writes announcements.")
    announcement = Announcement(
        cohort=cohort, audience=audience, subject=subject, body=body, sent_by=by
    )
    announcement.full_clean()
    # A TextField's max_length is the form's; the service holds it whichever way text arrives.
    limit = Announcement._meta.get_field("body").max_length
    if len(body) > limit:
        raise ValidationError({"body": f"Enter the message in {limit:,} characters or fewer"})
    recipients = list(announcement_audience(cohort=cohort, audience=audience))
    if not recipients:
        raise ValidationError(
            {
                "audience": f"Choose another group: {cohort.name} has no "
                f"{AUDIENCE_WORDS[audience]} to send to yet"
            }
        )
    announcement.save()
    AnnouncementRecipient.objects.bulk_create(
        [AnnouncementRecipient(announcement=announcement, recipient=r) for r in recipients]
    )
    path = reverse("announcement_detail", args=[announcement.pk])
    email_subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"[:250]
    email_body = render_to_string(
        "emails/announcement.txt",
        {
            "announcement": announcement,
            "audience": AUDIENCE_WORDS[audience],
            "url": absolute_url(path),
        },
    )
    # Kept with the other emails sent, so each person (and the programme manager) can see it
    # went, and a refusal by the mail server is marked on it (`i2i.emails.record_failure`).
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=r,
                kind="announcement",
                key=f"announcement:{announcement.pk}",
                subject=email_subject,
                body=email_body,
                url=path,
            )
            for r in recipients
        ]
    )
    for recipient in recipients:
        send_later(EmailMessage(subject=email_subject, body=email_body, to=[recipient.email]))
    audit.record(
        "announcement_sent",
        actor=by,
        target=announcement,
        announcement_id=announcement.pk,
        cohort_id=cohort.pk,
        audience=audience,
        recipients=len(recipients),
    )
    return announcement


def announcement_mark_read(*, announcement: Announcement, by: User) -> AnnouncementRecipient:
    """The recipient has read it: it leaves their home page and stays on their list. A second
    time changes nothing (the first reading is kept)."""
    row = access.received_announcements(by).filter(announcement=announcement).first()
    if row is None:
        raise PermissionDenied("Only the people it was sent to mark an announcement read.")
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    return row


def unread_announcements(user) -> list[AnnouncementRecipient]:
    """What the home page shows at the top, oldest first (one query)."""
    return list(
        access.received_announcements(user)
        .filter(read_at__isnull=True)
        .order_by("announcement__sent_at", "announcement_id")
    )


def announcements_sent() -> QuerySet[Announcement]:
    """Every announcement with how many it went to and how many have read it (one query)."""
    return (
        Announcement.objects.select_related("cohort", "sent_by")
        .annotate(
            recipient_count=Count("recipients"),
            read_count=Count("recipients", filter=Q(recipients__read_at__isnull=False)),
        )
        # Meta.ordering is not applied to a grouped query: newest first, said again.
        .order_by("-sent_at", "-id")
    )
