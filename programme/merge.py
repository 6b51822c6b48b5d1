"""Merging a duplicate organisation into the directory's entry: every app's rows that
point at it move across, so it spans the apps and lives above them."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import Collector

from i2i import audit
from participants.models import Organisation, User

logger = logging.getLogger(__name__)

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
    "placements.PlacementOffer.organisation": ("placement offers", _move),
    "participants.HostPerson.organisation": ("host people", _move_once_per("user")),
    "improvements.TeamMember.organisation": ("improvement team members", _move),
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
    # The registers' keys and the checks visitors need are kept from either.
    codes = {"ods_code": duplicate.ods_code, "cqc_location_id": duplicate.cqc_location_id}
    for field, code in codes.items():
        if code and not getattr(into, field):
            setattr(duplicate, field, "")
            duplicate.save(update_fields=[field])
            setattr(into, field, code)
    into.address = into.address or duplicate.address
    into.postcode = into.postcode or duplicate.postcode
    into.required_clearances = sorted({*into.required_clearances, *duplicate.required_clearances})
    into.save(
        update_fields=[
            "sponsor",
            "town",
            "website",
            "is_partner",
            *codes,
            "address",
            "postcode",
            "required_clearances",
        ]
    )
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
