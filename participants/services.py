"""Changes to the organisation directory that have a side effect beyond one form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from participants.models import EducationLead, Organisation, Participant, User


@transaction.atomic
def organisation_confirm(*, organisation: Organisation, by: User) -> Organisation:
    """The programme manager checks a proposed organisation and adds it to the directory."""
    organisation.is_confirmed = True
    organisation.save(update_fields=["is_confirmed"])
    return organisation


@transaction.atomic
def organisation_merge(*, duplicate: Organisation, into: Organisation, by: User) -> Organisation:
    """Fold a duplicate (usually one a participant proposed) into the directory's entry:
    its placements, employees and education leads move across, then it is deleted."""
    from placements.models import Placement

    if duplicate.pk == into.pk:
        raise ValidationError({"into": "Choose a different organisation to merge into."})
    Placement.objects.filter(organisation=duplicate).update(organisation=into)
    Participant.objects.filter(organisation=duplicate).update(organisation=into)
    for lead in EducationLead.objects.filter(organisation=duplicate):
        EducationLead.objects.get_or_create(user_id=lead.user_id, organisation=into)
    duplicate.delete()
    return into
