"""Changes to the organisation directory that have a side effect beyond one form."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from i2i import access, audit
from i2i.emails import absolute_url, send_templated
from i2i.models import Notification
from i2i.names import has_control_characters
from participants.models import Cohort, Organisation, Participant, User

logger = logging.getLogger(__name__)


@transaction.atomic
def organisation_confirm(*, organisation: Organisation, by: User) -> Organisation:
    """The programme manager checks a proposed organisation and adds it to the directory."""
    organisation.is_confirmed = True
    organisation.save(update_fields=["is_confirmed"])
    return organisation


# Changes the programme manager makes in the admin ---------------------------------------
#
# The admin edits only records with no service of their own elsewhere (people's names and
# roles, organisation details, cohort dates, who supports a participant); each edit comes
# through one of these, which refuse what the programme does not allow and write the audit
# trail. Places and attendance go through `recruitment.places_set` and
# `recruitment.attendance_record`, as on the product's pages.


def refuse_control_characters(instance, **labels: str) -> None:
    """A name is one line of written characters (`i2i.forms.OneLineValidator` says so next
    to the box on the product's pages); this holds it whichever way the change arrives (the
    admin, a command). `labels` names each field as the message says it."""
    errors = {
        field: f"Enter {label} without tabs, line breaks or hidden characters"
        for field, label in labels.items()
        if has_control_characters(getattr(instance, field))
    }
    if errors:
        raise ValidationError(errors)


# What the programme manager may change about a person: the rest (their email, technical
# access) is the person's own or a superuser's; passwords are set only by their owner.
PERSON_FIELDS = ("full_name", "is_programme_manager", "is_active")
TECHNICAL_FIELDS = ("is_staff", "is_superuser")


@transaction.atomic
def person_save(*, person: User, by: User) -> User:
    """Save what the admin changed about a person. Superusers and technical staff are
    changed only by a superuser (otherwise the programme manager could take over an account
    with more powers than their own); nobody changes someone's email here, because it is how
    they sign in and reset their password (allauth's email page is theirs)."""
    stored = User.objects.select_for_update().get(pk=person.pk)
    if (stored.is_superuser or stored.is_staff) and not by.is_superuser:
        raise PermissionDenied("Only a superuser changes superusers and technical staff.")
    allowed = PERSON_FIELDS + (TECHNICAL_FIELDS if by.is_superuser else ())
    fields = [
        f
        for f in ("email", *PERSON_FIELDS, *TECHNICAL_FIELDS)
        if getattr(stored, f) != getattr(person, f)
    ]
    if "email" in fields:
        raise ValidationError(
            {"email": "People change their own email address, from their account's email page."}
        )
    if set(fields) - set(allowed):
        raise PermissionDenied("Only a superuser gives technical access.")
    refuse_control_characters(person, full_name="the full name")
    person.full_clean()
    if fields:
        person.save(update_fields=fields)
        audit.record("person_changed", actor=by, target=person, fields=fields)
    return person


def refuse_self_as_supporter(
    *, by: User, changes: dict[str, tuple[int | None, int | None]]
) -> None:
    """Nobody makes themselves someone's line manager or sponsor (`changes` maps the field to
    its (stored, new) person ids). The line manager reads the participant's shared
    reflective accounts and decides their outcomes, and the sponsor meets them and shares
    contacts: naming oneself would open a person's private records to oneself. Someone who
    already holds the role keeps it."""
    labels = {"line_manager": "line manager", "sponsor": "sponsor"}
    errors = {
        field: f"Choose someone else as {labels[field]}: you cannot name yourself. "
        "Ask another programme manager if you really are the one."
        for field, (stored, new) in changes.items()
        if new is not None and new == by.pk and stored != by.pk
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def participant_supporters_change(
    *, participant: Participant, by: User, line_manager: User | None, sponsor: User | None
) -> Participant:
    """Change who supports a participant. Each change is audited, and the participant is
    told by email (kept in their notifications): a new line manager reads every reflective
    account they have shared, so they must know who that is."""
    if not access.is_programme_manager(by):
        raise PermissionDenied("Only the programme manager changes who supports a participant.")
    stored = (
        Participant.objects.select_for_update(of=("self",)).with_people().get(pk=participant.pk)
    )
    new = {"line_manager": line_manager, "sponsor": sponsor}
    changes = {
        field: (getattr(stored, field), person)
        for field, person in new.items()
        if getattr(stored, f"{field}_id") != getattr(person, "pk", None)
    }
    refuse_self_as_supporter(
        by=by,
        changes={
            f: (getattr(was, "pk", None), getattr(now, "pk", None))
            for f, (was, now) in changes.items()
        },
    )
    if not changes:
        return stored
    for field, (_, person) in changes.items():
        setattr(stored, field, person)
    stored.full_clean()
    stored.save(update_fields=list(changes))
    for field, (was, now) in changes.items():
        audit.record(
            f"participant_{field}_changed",
            actor=by,
            target=stored,
            participant_id=stored.pk,
            from_id=getattr(was, "pk", None),
            to_id=getattr(now, "pk", None),
        )
    _tell_participant_of_supporters(stored, changes)
    return stored


def _tell_participant_of_supporters(participant: Participant, changes: dict) -> None:
    """An email, kept in their notifications (someone signed out for good is not written to)."""
    recipient = participant.user
    if not recipient.is_active:
        return
    roles = {"line_manager": "line manager", "sponsor": "sponsor"}
    context = {
        "recipient": recipient,
        "participant": participant,
        "changes": [
            {"role": roles[field], "was": was, "to": now} for field, (was, now) in changes.items()
        ],
        "line_manager_changed": "line_manager" in changes,
        "line_manager": participant.line_manager,
        "old_line_manager": changes.get("line_manager", (None, None))[0],
        "url": absolute_url(reverse("participant_detail", args=[participant.pk])),
    }
    subject = (
        "Your line manager and sponsor for I2I have changed"
        if len(changes) == 2
        else f"Your {roles[next(iter(changes))]} for I2I has changed"
    )
    Notification.objects.create(
        recipient=recipient,
        kind="line_manager_or_sponsor_changed",
        key=f"participant:{participant.pk}:supporters:{timezone.now().isoformat()}",
        subject=subject,
        body=render_to_string("emails/supporters_changed.txt", context),
        url=context["url"],
        participant=participant,
    )
    send_templated(
        to=[recipient.email], subject=subject, template="supporters_changed", context=context
    )


@transaction.atomic
def participant_details_change(
    *, participant: Participant, by: User, profession: str, job_title: str
) -> Participant:
    """Correct a participant's profession or job title (the dashboard and the workshop pack
    print them); audited like every change the programme manager makes for someone."""
    if not access.is_programme_manager(by):
        raise PermissionDenied("Only the programme manager corrects a participant's details.")
    stored = Participant.objects.select_for_update().get(pk=participant.pk)
    new = {"profession": profession, "job_title": job_title}
    fields = [f for f, value in new.items() if getattr(stored, f) != value]
    if fields:
        for field in fields:
            setattr(stored, field, new[field])
        stored.full_clean()
        stored.save(update_fields=fields)
        audit.record("participant_details_changed", actor=by, target=stored, fields=fields)
    return stored


def _changed_fields(stored, changed) -> list[str]:
    return [
        f.name
        for f in type(changed)._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and getattr(stored, f.attname) != getattr(changed, f.attname)
    ]


def _audit_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def cohort_save(*, cohort: Cohort, by: User) -> Cohort:
    """Save a new or changed cohort (its dates, times, venues, status): the window, the
    reminders and the self-assessment windows all run from these dates, so the model's
    checks run again, and the change is audited with what each date, time and status was
    and became (the agenda's text only by name)."""
    if not access.can_manage_cohorts(by):
        raise PermissionDenied("Only the programme manager sets up cohorts.")
    stored = Cohort.objects.select_for_update().filter(pk=cohort.pk).first() if cohort.pk else None
    cohort.full_clean()
    if stored is None:
        cohort.save()
        audit.record("cohort_added", actor=by, target=cohort, cohort_id=cohort.pk)
        return cohort
    fields = _changed_fields(stored, cohort)
    if fields:
        cohort.save(update_fields=fields)
        audit.record(
            "cohort_changed",
            actor=by,
            target=cohort,
            cohort_id=cohort.pk,
            fields=fields,
            changes={
                f: [_audit_value(getattr(stored, f)), _audit_value(getattr(cohort, f))]
                for f in fields
                if not isinstance(Cohort._meta.get_field(f), models.TextField)
            },
        )
    return cohort


@transaction.atomic
def cohort_delete(*, cohort: Cohort, by: User) -> None:
    """Delete a cohort set up by mistake. Its participants and Expressions of Interest
    protect it (the admin names them), so only a cohort nobody has joined or applied to
    goes, with its places and questions; the audit trail keeps its name."""
    if not access.can_manage_cohorts(by):
        raise PermissionDenied("Only the programme manager sets up cohorts.")
    name, pk = cohort.name, cohort.pk
    cohort.delete()
    audit.record("cohort_deleted", actor=by, target=name, cohort_id=pk)


@transaction.atomic
def organisation_save(*, organisation: Organisation, by: User) -> Organisation:
    """Save a new or changed organisation's details. Its sponsor becomes the sponsor of
    everyone it selects, so nobody names themselves (`refuse_self_as_supporter`)."""
    if not access.can_manage_organisations(by):
        raise PermissionDenied("Only the programme manager changes the organisation directory.")
    stored = (
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if organisation.pk
        else None
    )
    refuse_self_as_supporter(
        by=by,
        changes={"sponsor": (getattr(stored, "sponsor_id", None), organisation.sponsor_id)},
    )
    refuse_control_characters(organisation, name="the name", town="the town")
    organisation.full_clean()
    if stored is None:
        organisation.save()
        audit.record(
            "organisation_added", actor=by, target=organisation, organisation_id=organisation.pk
        )
        return organisation
    fields = _changed_fields(stored, organisation)
    if fields:
        organisation.save(update_fields=fields)
        audit.record(
            "organisation_changed",
            actor=by,
            target=organisation,
            organisation_id=organisation.pk,
            fields=fields,
        )
    return organisation


@transaction.atomic
def participant_email_to_peers_set(
    *, participant: Participant, show: bool, by: User
) -> Participant:
    """The participant chooses whether the others in their cohort see their email address on
    the peers page, so they can keep in touch after the briefing (the leaflet's "sustainable
    long-term professional networks"). Their own choice only; audited, since it changes who
    sees their address."""
    if not access.can_choose_email_shown(by, participant):
        raise PermissionDenied("Each participant chooses whether their peers see their email.")
    if participant.show_email_to_peers != show:
        participant.show_email_to_peers = show
        participant.save(update_fields=["show_email_to_peers"])
        audit.record(
            "peers_email_shown" if show else "peers_email_hidden",
            actor=by,
            target=participant,
            participant=participant.pk,
        )
    return participant
