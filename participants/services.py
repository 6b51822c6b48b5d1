"""Changes to the organisation directory that have a side effect beyond one form."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from i2i import access, audit
from i2i.emails import absolute_url, send_templated
from i2i.models import Notification
from participants.models import Cohort, Organisation, Participant, User

logger = logging.getLogger(__name__)


@transaction.atomic
def organisation_confirm(*, organisation: Organisation, by: User) -> Organisation:
    """The programme manager checks a proposed organisation and adds it to the directory."""
    organisation.is_confirmed = True
    organisation.save(update_fields=["is_confirmed"])
    return organisation


# Merging --------------------------------------------------------------------------------
#
# Each handler re-points the rows of one foreign key from the duplicate to the kept
# organisation and returns how many of the duplicate's rows it dealt with.


def _move(model, field: str, duplicate: Organisation, into: Organisation) -> int:
    return model._base_manager.filter(**{field: duplicate}).update(**{field: into})


def _move_once_per(other: str) -> Callable[..., int]:
    """For rows unique together with another column (an education lead's user, an
    initiative in the many-to-many table): a row the kept organisation already has is the
    same fact, so the duplicate's copy is dropped rather than doubled."""

    def handler(model, field: str, duplicate: Organisation, into: Organisation) -> int:
        manager = model._base_manager
        kept = manager.filter(**{field: into}).values(other)
        # Fetched with what they point at, because deleting an education lead is audited
        # with its user and organisation; the collector then reads no row twice.
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        dropped = list(
            manager.filter(**{field: duplicate, f"{other}__in": kept}).select_related(*relations)
        )
        if dropped:
            collector = Collector(using=router.db_for_write(model), origin=duplicate)
            collector.collect(dropped)
            collector.delete()
        return len(dropped) + _move(model, field, duplicate, into)

    return handler


def _add_places(model, field: str, duplicate: Organisation, into: Organisation) -> int:
    """Places on a cohort where both have some add up (one row per cohort and organisation),
    so that everyone either organisation already selected still fits. The rows are locked,
    as recruitment locks them while deciding."""
    theirs = {
        p.cohort_id: p for p in model.objects.select_for_update().filter(**{field: duplicate})
    }
    ours = list(
        model.objects.select_for_update().filter(**{field: into, "cohort_id__in": list(theirs)})
    )
    for row in ours:
        row.places += theirs[row.cohort_id].places
    model.objects.bulk_update(ours, ["places"])
    model.objects.filter(pk__in=[theirs[row.cohort_id].pk for row in ours]).delete()
    _move(model, field, duplicate, into)
    return len(theirs)


# Every foreign key to Organisation ("app.Model.field"), what the audit calls its rows, and
# how a merge moves them. tests/participants/test_organisation_merge.py compares this with
# Organisation._meta and fails, naming it, on a relation added without a line here.
MERGE_RELATIONS: dict[str, tuple[str, Callable[..., int]]] = {
    "participants.Participant.organisation": ("participants", _move),
    "participants.EducationLead.organisation": ("education leads", _move_once_per("user")),
    "participants.CohortPlaces.organisation": ("cohort places", _add_places),
    "participants.ExpressionOfInterest.organisation": ("Expressions of Interest", _move),
    "participants.SharedContact.organisation": ("shared contacts", _move),
    "placements.Placement.organisation": ("placements", _move),
    "improvements.ImprovementInitiative_organisations.organisation": (
        "improvement initiatives",
        _move_once_per("improvementinitiative"),
    ),
}

# The organisation's own relations: the kept organisation keeps its own, and takes the
# duplicate's sponsor only if it has none (the sponsor meets the participants who move).
MERGE_KEEPS = {
    "participants.Organisation.proposed_by": "the kept organisation's",
    "participants.Organisation.sponsor": "the kept organisation's, else the duplicate's",
}


@transaction.atomic
def organisation_merge(*, duplicate: Organisation, into: Organisation, by: User) -> Organisation:
    """Fold a duplicate (usually one a participant proposed) into the directory's entry, so
    that placements with either count as one organisation towards the three. Everything that
    pointed at the duplicate moves across (MERGE_RELATIONS), then it is deleted; the audit
    trail records how many rows of each kind moved."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": "Choose a different organisation to merge into."})
    # Locked, so that two merges of one duplicate (two tabs) run one after the other, and
    # the second finds it gone.
    locked = {
        o.pk: o
        for o in Organisation.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])
    }
    for organisation, field in ((duplicate, "organisation"), (into, "into")):
        if organisation.pk not in locked:
            raise ValidationError(
                {
                    field: f"“{organisation.name}” is no longer in the directory: it may have "
                    "been merged already."
                }
            )
    duplicate, into = locked[duplicate.pk], locked[into.pk]

    moved = {}
    for label, (what, handler) in MERGE_RELATIONS.items():
        model_label, field = label.rsplit(".", 1)
        moved[what] = handler(apps.get_model(model_label), field, duplicate, into)

    into.sponsor_id = into.sponsor_id or duplicate.sponsor_id
    into.town = into.town or duplicate.town
    into.website = into.website or duplicate.website
    into.is_partner = into.is_partner or duplicate.is_partner
    into.save(update_fields=["sponsor", "town", "website", "is_partner"])
    duplicate_name, duplicate_pk = duplicate.name, duplicate.pk
    _refuse_if_still_used(duplicate)
    duplicate.delete()
    audit.record(
        "organisation_merged",
        actor=by,
        target=f"“{duplicate_name}” into {into.name}",
        duplicate_id=duplicate_pk,
        into_id=into.pk,
        moved={what: count for what, count in moved.items() if count},
    )
    return into


def _refuse_if_still_used(organisation: Organisation) -> None:
    """Deleting must take nothing with it: a relation added to the models but not to
    MERGE_RELATIONS would otherwise be lost (cascade) or fail (protect). The whole merge
    is then undone and the programme manager told; the log says what to add."""
    for field in organisation._meta.get_fields(include_hidden=True):
        if not isinstance(field, models.ForeignObjectRel) or field.many_to_many:
            continue  # a many-to-many's table has a foreign key of its own, checked here
        fk = field.field
        if fk.model._base_manager.filter(**{fk.attname: organisation.pk}).exists():
            logger.error("organisation_merge cannot move %s: add it to MERGE_RELATIONS", fk)
            raise ValidationError(
                f"“{organisation.name}” still has records the merge cannot move yet, so nothing "
                "was changed. Ask for help: the error log names them."
            )


# Changes the programme manager makes in the admin ---------------------------------------
#
# The admin edits only records with no service of their own elsewhere (people's names and
# roles, organisation details, cohort dates, who supports a participant); each edit comes
# through one of these, which refuse what the programme does not allow and write the audit
# trail. Places and attendance go through `recruitment.places_set` and
# `recruitment.attendance_record`, as on the product's pages.

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
