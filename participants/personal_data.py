"""A person's data: everything held about them (to download), and erasure (to forget them
while keeping the cohort's counts)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from i2i import access, audit, rules
from participants.models import (
    Cohort,
    ExpressionOfInterest,
    Participant,
    SharedContact,
    SponsorMeeting,
    User,
)

ERASED_NAME = "Erased person"


def _date(value):
    return value.isoformat() if value else None


def personal_data(user: User) -> dict:
    """Everything the product holds about one person, as plain data (JSON-ready)."""
    from evaluation.models import SelfAssessment
    from i2i.models import Notification
    from improvements.models import ImprovementInitiative
    from placements.models import Placement
    from reflections.models import ReflectiveAccount

    participations = Participant.objects.filter(user=user).select_related(
        "cohort", "organisation", "line_manager", "sponsor"
    )
    data = {
        "generated": timezone.now().isoformat(),
        "you": {
            "email": user.email,
            "full_name": user.full_name,
            "joined": user.date_joined.isoformat(),
            "roles": [name for name, held in vars(access.roles_for(user)).items() if held],
        },
        "participations": [],
        "expressions_of_interest": [
            {
                "cohort": e.cohort.name,
                "organisation": e.organisation.name,
                "status": e.status,
                "answers": {
                    field: getattr(e, field)
                    if not isinstance(getattr(e, field), dt.date)
                    else _date(getattr(e, field))
                    for field in (
                        "profession",
                        "registration_body",
                        "registration_number",
                        "job_title",
                        "band",
                        "qualified_on",
                        "performing_well",
                        "last_appraisal_on",
                        "aiming_senior",
                        "senior_role",
                        "why",
                        "line_manager_email",
                    )
                },
                "support": e.support,
                "decision": e.decision,
                "decision_reason": e.decision_reason,
            }
            for e in ExpressionOfInterest.objects.filter(applicant=user).select_related(
                "cohort", "organisation"
            )
        ],
        "notifications": [
            {"sent": n.sent_at.isoformat(), "subject": n.subject}
            for n in Notification.objects.filter(recipient=user)
        ],
    }
    for p in participations:
        placements = Placement.objects.filter(participant=p).select_related("organisation")
        accounts = {a.placement_id: a for a in ReflectiveAccount.objects.filter(participant=p)}
        initiative = ImprovementInitiative.objects.filter(participant=p).first()
        data["participations"].append(
            {
                "cohort": p.cohort.name,
                "organisation": p.organisation.name,
                "profession": p.profession,
                "job_title": p.job_title,
                "line_manager": str(p.line_manager) if p.line_manager else None,
                "sponsor": str(p.sponsor) if p.sponsor else None,
                "placements": [
                    {
                        "organisation": pl.organisation.name,
                        "status": pl.status,
                        "learning_outcomes": list(pl.outcomes.values_list("text", flat=True)),
                        "half_days": [
                            {"date": _date(h.date), "session": h.session, "status": h.status}
                            for h in pl.half_days.all()
                        ],
                        "reflective_account": {
                            "framework": accounts[pl.pk].framework,
                            "status": accounts[pl.pk].status,
                            "answers": accounts[pl.pk].answers,
                            "outcome_ratings": accounts[pl.pk].outcome_ratings,
                            "workshop_learning": accounts[pl.pk].workshop_learning,
                            # What their line manager reads: the account as last shared.
                            "shared_version": accounts[pl.pk].shared_version,
                        }
                        if pl.pk in accounts
                        else None,
                    }
                    for pl in placements
                ],
                "improvement_initiative": {
                    "title": initiative.title,
                    "aim": initiative.aim,
                    "status": initiative.status,
                    "i2i_ideas": initiative.i2i_ideas,
                }
                if initiative
                else None,
                "sponsor_meetings": [
                    {"date": _date(m.met_on), "notes": m.notes}
                    for m in SponsorMeeting.objects.filter(participant=p)
                ],
                "self_assessment": [
                    {
                        "moment": a.moment,
                        "answered": a.submitted_at.isoformat(),
                        "answers": {
                            answer.item.question: answer.value for answer in a.answers.all()
                        },
                    }
                    for a in SelfAssessment.objects.filter(participant=p).prefetch_related(
                        "answers__item"
                    )
                ],
            }
        )
    return data


ERASED_PERSON = "(erased person {number})"


def _erase_people_met(half_days) -> None:
    """Number the people met instead of naming them, one number per name and participant,
    so that the evaluation's count of different people met stays true once the names go."""
    numbers: dict[int, dict[str, int]] = {}
    erased = []
    for half_day in half_days.only("pk", "participant_id", "person_met").order_by("date", "pk"):
        name = half_day.person_met.strip().casefold()
        if name.startswith("(erased"):
            continue  # erased before: keeps its number
        if name:
            names = numbers.setdefault(half_day.participant_id, {})
            half_day.person_met = ERASED_PERSON.format(
                number=names.setdefault(name, len(names) + 1)
            )
            erased.append(half_day)
        elif half_day.person_met:  # spaces only: no one
            half_day.person_met = ""
            erased.append(half_day)
    half_days.model.objects.bulk_update(erased, ["person_met"], batch_size=500)
    half_days.update(location="", pathway_connection="")


@transaction.atomic
def person_erase(*, user: User, by: User) -> User:
    """Anonymise a person: their name, email, sign-in and everything they wrote go; the
    records that make up the cohort's counts (placements, half-days, decisions) stay."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from i2i.models import Notification
    from improvements.models import ImprovementInitiative
    from placements.models import HalfDay, LearningOutcome, Placement
    from reflections.models import ReflectiveAccount

    if not access.is_programme_manager(by):
        raise PermissionDenied("Only the programme manager erases a person.")
    if user.pk == by.pk:
        raise PermissionDenied("Ask another programme manager to erase your own account.")
    label = user.email
    participants = Participant.objects.filter(user=user)
    ReflectiveAccount.objects.filter(participant__in=participants).update(
        answers={}, outcome_ratings={}, workshop_learning="", shared_version=None
    )
    LearningOutcome.objects.filter(placement__participant__in=participants).update(text="(erased)")
    Placement.objects.filter(participant__in=participants).update(
        contact_name="(erased)",
        contact_email="",
        contact_phone="",
        relevance_services="",
        relevance_interfaces="",
        relevance_career="",
    )
    _erase_people_met(HalfDay.objects.filter(participant__in=participants))
    ImprovementInitiative.objects.filter(participant__in=participants).update(
        problem="(erased)",
        outcome_learning="",
        i2i_ideas="",
        stopped_reason="",
    )
    SponsorMeeting.objects.filter(participant__in=participants).update(notes="")
    SharedContact.objects.filter(participant__in=participants).delete()
    ExpressionOfInterest.objects.filter(applicant=user).update(
        registration_number="",
        why="",
        senior_role="",
        line_manager_email="",
        support_comment="",
        nominee_email="",
    )
    Notification.objects.filter(recipient=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ERASED_NAME
    user.password = make_password(None)
    user.is_active = False
    user.is_programme_manager = False
    user.save()
    audit.record("erasure", target=f"user {user.pk}", actor=by, was=label[:3] + "…")
    return user


def expired_people(today: dt.date | None = None, years: int | None = None):
    """People whose every cohort ended more than the retention period ago, and who hold no
    role in a later cohort."""
    from django.conf import settings

    today = today or timezone.localdate()
    years = years if years is not None else settings.RETENTION_YEARS
    cutoff = rules.add_months(today, -12 * years)
    # A cohort has ended when its window has; the window is six months from its start.
    ended_starts_before = rules.add_months(cutoff, -rules.WINDOW_MONTHS)
    recent = Cohort.objects.filter(programme_start__gte=ended_starts_before)
    return (
        User.objects.filter(participations__isnull=False, is_active=True)
        .exclude(participations__cohort__in=recent)
        .exclude(is_programme_manager=True)
        .distinct()
    )
