"""Decisions already have their own histories (outcomes, initiatives, reflective accounts,
expressions of interest), and roles change in the admin; the audit trail collects them all in
one place for the programme manager. The kernel's `i2i.audit` records; this module, above the
apps, knows which of their models to listen to."""

from django.db.models.signals import post_delete, post_save, pre_save

from i2i.audit import record
from improvements.models import AgreementDecision
from participants.models import EducationLead, EOIEvent, User
from placements.models import OutcomesDecision
from reflections.models import AccountEvent


def connect() -> None:
    """Called once, when Django starts (`ProgrammeConfig.ready`)."""

    def mirror(label):
        def handler(sender, instance, created, **kwargs):
            if created:
                target = (
                    getattr(instance, "placement", None)
                    or getattr(instance, "initiative", None)
                    or getattr(instance, "account", None)
                    or getattr(instance, "eoi", None)
                )
                # Whose record it is, so that erasing them finds the event (and the
                # comment in it) however the target's name is written.
                whose = (
                    {"applicant": target.applicant_id}
                    if label == "eoi"
                    else {"participant": target.participant_id}
                )
                record(
                    f"{label}_{instance.action}",
                    actor=instance.by,
                    target=target,
                    comment=getattr(instance, "comment", "")[:500],
                    **whose,
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
