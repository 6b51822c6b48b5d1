"""Recruitment services: places, Expressions of Interest, line-manager support, selection,
onboarding, the sponsor meeting and attendance (the leaflet's "Who can participate?",
"How does an individual apply?" and the start of "Plan" and "Share")."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from i2i import access, audit, dates
from i2i.emails import absolute_url, send_later, send_templated
from i2i.models import Notification
from participants.models import (
    Cohort,
    CohortPlaces,
    CohortStatus,
    EOIEvent,
    ExpressionOfInterest,
    Organisation,
    Participant,
    SharedContact,
    SponsorMeeting,
    User,
)

EOI = ExpressionOfInterest
# The notification kind of the sponsor's email on selection (`_tell_sponsor`).
SPONSOR_SELECTED = "sponsor_selected"
# What a submitted Expression of Interest must answer.
REQUIRED = {
    "profession": "Enter your profession",
    "job_title": "Enter your job title",
    "qualified_on": "Enter the date you qualified",
    "performing_well": "Answer the question about your last appraisal",
    "last_appraisal_on": "Enter the date of your last appraisal",
    "aiming_senior": "Answer the question about a more senior role",
    "why": "Say why you want to take part",
    "line_manager_email": "Enter your line manager's email",
}


def window_message(cohort: Cohort) -> str | None:
    """Why no Expression of Interest can be submitted now, or None if it can."""
    today = timezone.localdate()
    if cohort.status != CohortStatus.RECRUITING:
        return f"{cohort.name} is not recruiting, so it is not taking Expressions of Interest."
    if cohort.eoi_opens and today < cohort.eoi_opens:
        return f"Expressions of Interest for {cohort.name} open on {date_format(cohort.eoi_opens)}."
    if cohort.eoi_closes and today > cohort.eoi_closes:
        return (
            f"Expressions of Interest for {cohort.name} closed on "
            f"{date_format(cohort.eoi_closes)}, so no new ones can be submitted."
        )
    return None


@transaction.atomic
def places_set(*, cohort: Cohort, by: User, places: dict[int, int]) -> None:
    """The programme manager sets each partner organisation's places on a cohort: one
    insert-or-update for all of them (the unique cohort + organisation constraint). Audited,
    from the places page and the admin alike: places decide who can be selected."""
    if not access.is_programme_manager(by):
        raise PermissionDenied("Only the programme manager sets places.")
    CohortPlaces.objects.bulk_create(
        [
            CohortPlaces(cohort=cohort, organisation_id=organisation_id, places=count)
            for organisation_id, count in places.items()
        ],
        update_conflicts=True,
        unique_fields=["cohort", "organisation"],
        update_fields=["places"],
    )
    audit.record(
        "places_set",
        actor=by,
        target=cohort,
        cohort_id=cohort.pk,
        places={str(organisation_id): count for organisation_id, count in places.items()},
    )


def _event(eoi, action, by, comment=""):
    EOIEvent.objects.create(eoi=eoi, action=action, by=by, comment=comment)


@transaction.atomic
def eoi_start(*, cohort: Cohort, organisation: Organisation, by: User) -> EOI:
    """Start a draft; one per person per cohort."""
    problem = window_message(cohort)
    if problem:
        raise ValidationError(problem)
    if not organisation.is_partner:
        raise ValidationError(
            {"organisation": "Choose your employer from the partnership's partner organisations."}
        )
    existing = EOI.objects.filter(cohort=cohort, applicant=by).first()
    if existing:
        raise ValidationError(
            "You already have an Expression of Interest for this cohort: carry on with that one."
        )
    return EOI.objects.create(
        cohort=cohort, organisation=organisation, applicant=by, line_manager_email=""
    )


def _check_applicant(eoi: EOI, by: User) -> None:
    if not access.is_eoi_applicant(by, eoi):
        raise PermissionDenied("Only the applicant completes their Expression of Interest.")


@transaction.atomic
def eoi_save(*, eoi: EOI, by: User, **fields) -> EOI:
    """Save a draft, whatever is filled in; nothing typed is lost."""
    _check_applicant(eoi, by)
    eoi = EOI.objects.select_for_update().get(pk=eoi.pk)
    if eoi.status != EOI.Status.DRAFT:
        raise ValidationError("This Expression of Interest is submitted and can no longer change.")
    if eoi.applicant_id is None:
        eoi.applicant = by  # a nominee completing the form claims it
    for name, value in fields.items():
        setattr(eoi, name, value)
    if eoi.line_manager_email and eoi.line_manager_email.lower() == by.email.lower():
        raise ValidationError({"line_manager_email": "Enter your line manager's email, not yours."})
    _check_past_dates(eoi)
    eoi.full_clean()
    eoi.save()
    return eoi


def _check_past_dates(eoi: EOI) -> None:
    """An appraisal and a qualification are in the past (the eligibility judgement reads
    them as evidence), and not so far back that the year must be a slip."""
    today = timezone.localdate()
    errors = {}
    for field, years, what in (
        ("qualified_on", dates.CAREER_YEARS, "the date you qualified"),
        ("last_appraisal_on", dates.APPRAISAL_YEARS, "the date of your last appraisal"),
    ):
        first = dates.years_back(today, years)
        if dates.outside(getattr(eoi, field), first, today):
            errors[field] = f"Enter {what} {dates.between(first, today, today=today)}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def eoi_submit(*, eoi: EOI, by: User) -> EOI:
    """Submit to the education lead, and ask the line manager to confirm support."""
    _check_applicant(eoi, by)
    eoi = EOI.objects.select_for_update().select_related("cohort").get(pk=eoi.pk)
    problem = window_message(eoi.cohort)
    if problem:
        raise ValidationError(problem)
    if eoi.status != EOI.Status.DRAFT:
        raise ValidationError("This Expression of Interest is already submitted.")
    missing = {
        field: message for field, message in REQUIRED.items() if getattr(eoi, field) in (None, "")
    }
    if eoi.aiming_senior and not eoi.senior_role.strip():
        missing["senior_role"] = "Say which more senior role you are aiming for"
    if not eoi.discussed_with_line_manager:
        missing["discussed_with_line_manager"] = (
            "Talk to your line manager before you submit: the leaflet asks you to have a "
            "detailed discussion with them first"
        )
    if missing:
        raise ValidationError(missing)
    eoi.status = EOI.Status.SUBMITTED
    eoi.submitted_at = timezone.now()
    eoi.support = EOI.Support.PENDING
    eoi.save(update_fields=["status", "submitted_at", "support", "updated_at"])
    _event(eoi, EOIEvent.Action.SUBMITTED, by)
    send_templated(
        to=[eoi.line_manager_email],
        subject=f"Please confirm your support: {eoi.applicant}'s I2I Expression of Interest",
        template="eoi_support_requested",
        context={"eoi": eoi, "url": absolute_url(reverse("eoi_support", args=[eoi.pk]))},
    )
    return eoi


def support_closed_message(eoi: EOI) -> str | None:
    """Why the line manager can no longer give or change support, or None if they can. The
    education lead decides on the support as it stands; changing it afterwards would leave a
    participant selected without their line manager's support (the leaflet asks for it
    first), so a change of mind goes to the education lead, who can change the decision."""
    if eoi.decision == EOI.Decision.UNDECIDED:
        return None
    lead = eoi.decided_by
    contact = f"{lead} ({lead.email})" if lead else f"{eoi.organisation}'s education lead"
    who = f"The education lead, {lead}," if lead else "The education lead"
    return (
        f"{who} has already decided on this Expression of Interest, so your support can no "
        f"longer be changed here. If your support has changed, contact {contact}."
    )


@transaction.atomic
def eoi_support(*, eoi: EOI, by: User, supported: bool, comment: str = "") -> EOI:
    """The line manager confirms or declines their support, until the education lead decides."""
    eoi = (
        EOI.objects.select_for_update(of=("self",))
        .select_related("decided_by", "organisation")
        .get(pk=eoi.pk)
    )
    if not access.is_eoi_line_manager(by, eoi):
        raise PermissionDenied("Only the line manager named on the form can confirm support.")
    if eoi.status != EOI.Status.SUBMITTED:
        raise ValidationError("This Expression of Interest has not been submitted yet.")
    closed = support_closed_message(eoi)
    if closed:
        raise ValidationError(closed)
    if not supported and not comment.strip():
        raise ValidationError({"comment": "Say why you cannot support it, for the applicant."})
    eoi.support = EOI.Support.CONFIRMED if supported else EOI.Support.DECLINED
    eoi.support_comment = comment.strip()
    eoi.support_by = by
    eoi.support_at = timezone.now()
    eoi.save(update_fields=["support", "support_comment", "support_by", "support_at", "updated_at"])
    action = EOIEvent.Action.SUPPORT_CONFIRMED if supported else EOIEvent.Action.SUPPORT_DECLINED
    _event(eoi, action, by, comment.strip())
    return eoi


@transaction.atomic
def eoi_nominate(
    *, cohort: Cohort, organisation: Organisation, by: User, email: str, note: str = ""
) -> EOI:
    """Some organisations nominate instead of inviting Expressions of Interest: the nominee
    then completes the same form."""
    if not access.can_select_for(by, organisation):
        raise PermissionDenied("Only the organisation's education lead nominates its staff.")
    email = email.strip().lower()
    applicant = User.objects.filter(email__iexact=email).first()
    duplicate = (
        EOI.objects.filter(cohort=cohort).filter(applicant=applicant)
        if applicant
        else EOI.objects.filter(cohort=cohort, nominee_email__iexact=email)
    )
    if duplicate.exists():
        raise ValidationError(
            {"email": "They already have an Expression of Interest for this cohort."}
        )
    eoi = EOI.objects.create(
        cohort=cohort,
        organisation=organisation,
        applicant=applicant,
        nominee_email="" if applicant else email,
        nominated_by=by,
    )
    _event(eoi, EOIEvent.Action.NOMINATED, by, note)
    send_templated(
        to=[email],
        subject=f"You have been nominated for I2I: {cohort.name}",
        template="eoi_nominated",
        context={"eoi": eoi, "by": by, "note": note, "url": absolute_url(reverse("eoi_list"))},
    )
    return eoi


def _check_selector(eoi: EOI, by: User) -> None:
    if not access.can_select_for(by, eoi.organisation):
        raise PermissionDenied("Only the organisation's education lead decides on its applicants.")


@transaction.atomic
def eoi_shortlist(*, eoi: EOI, by: User, shortlisted: bool) -> EOI:
    _check_selector(eoi, by)
    eoi.shortlisted = shortlisted
    eoi.save(update_fields=["shortlisted", "updated_at"])
    _event(eoi, EOIEvent.Action.SHORTLISTED if shortlisted else EOIEvent.Action.UNSHORTLISTED, by)
    return eoi


def places_left(cohort: Cohort, organisation: Organisation) -> tuple[int, int]:
    """(places, selected so far) for one organisation on one cohort."""
    places = (
        CohortPlaces.objects.filter(cohort=cohort, organisation=organisation)
        .values_list("places", flat=True)
        .first()
        or 0
    )
    selected = EOI.objects.filter(
        cohort=cohort, organisation=organisation, decision=EOI.Decision.SELECTED
    ).count()
    return places, selected


@transaction.atomic
def eoi_decide(*, eoi: EOI, by: User, decision: str, reason: str) -> EOI:
    """Selected or not selected, with a reason, within the organisation's places. Selecting
    creates the participant; a changed decision keeps its history."""
    _check_selector(eoi, by)
    # Lock the organisation's places so that two leads cannot both take the last place.
    list(
        CohortPlaces.objects.select_for_update().filter(
            cohort=eoi.cohort, organisation=eoi.organisation
        )
    )
    eoi = EOI.objects.select_for_update().select_related("cohort", "organisation").get(pk=eoi.pk)
    if decision not in {EOI.Decision.SELECTED, EOI.Decision.NOT_SELECTED}:
        raise ValidationError({"decision": "Choose selected or not selected."})
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": "Give the reason for the decision; the applicant sees it."}
        )
    if eoi.status != EOI.Status.SUBMITTED:
        raise ValidationError("Only a submitted Expression of Interest can be decided.")
    if decision == eoi.decision:
        raise ValidationError({"decision": "That is already the decision."})
    if decision == EOI.Decision.SELECTED:
        places, selected = places_left(eoi.cohort, eoi.organisation)
        if selected >= places:
            raise ValidationError(
                {
                    "decision": f"{eoi.organisation} has {places} place"
                    f"{'' if places == 1 else 's'} on {eoi.cohort.name} and "
                    f"{selected} {'is' if selected == 1 else 'are'} already selected. Ask the "
                    "programme manager for another place, or change an earlier decision."
                }
            )
        if eoi.support != EOI.Support.CONFIRMED:
            raise ValidationError(
                {
                    "decision": "Their line manager has not confirmed support yet; the leaflet "
                    "asks for it before selection."
                }
            )
        eoi.participant = _onboard(eoi)
        _tell_sponsor(eoi.participant)
    else:
        _offboard(eoi)
    eoi.decision = decision
    eoi.decision_reason = reason.strip()
    eoi.decided_by = by
    eoi.decided_at = timezone.now()
    eoi.save()
    action = EOIEvent.Action.SELECTED if decision == "selected" else EOIEvent.Action.NOT_SELECTED
    _event(eoi, action, by, reason.strip())
    send_templated(
        to=[eoi.applicant.email],
        subject=f"Your I2I Expression of Interest: {eoi.cohort.name}",
        template="eoi_decided",
        context={"eoi": eoi, "selected": decision == "selected", "url": absolute_url("/")},
    )
    return eoi


def _onboard(eoi: EOI) -> Participant:
    """The selected applicant joins the cohort with their line manager and the organisation's
    sponsor; their commitments run from the cohort's start date."""
    sponsor = eoi.organisation.sponsor
    if sponsor is None:
        raise ValidationError(
            {
                "decision": f"{eoi.organisation} has no sponsor named yet; ask the programme "
                "manager to add one, then select again."
            }
        )
    manager = User.objects.filter(email__iexact=eoi.line_manager_email).first()
    participant = Participant(
        user=eoi.applicant,
        cohort=eoi.cohort,
        organisation=eoi.organisation,
        profession=eoi.profession,
        job_title=eoi.job_title,
        line_manager=manager,
        sponsor=sponsor if sponsor.pk != eoi.applicant_id else None,
    )
    participant.full_clean()
    participant.save()
    return participant


def _tell_sponsor(participant: Participant) -> None:
    """The leaflet: the sponsor "will meet with the Participant when they have been selected".
    They are emailed once per participant (kept as a notification, like the reminders); their
    home page asks them to meet, and `programme.reminders` reminds them after three weeks."""
    sponsor = participant.sponsor
    if sponsor is None or not sponsor.is_active:
        return
    url = absolute_url(reverse("sponsor_meeting", args=[participant.pk]))
    subject = (
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Please meet {participant.user}, newly selected "
        f"for I2I from {participant.organisation}"
    )[:250]
    body = render_to_string(
        "emails/sponsor_selected.txt",
        {"recipient": sponsor, "participant": participant, "url": url},
    )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=sponsor,
                kind=SPONSOR_SELECTED,
                key=f"participant:{participant.pk}:selected",
                subject=subject,
                body=body,
                url=url,
                participant=participant,
            )
    except IntegrityError:
        return  # already told about this participant
    send_later(
        EmailMessage(subject=subject, body=body, to=[sponsor.email]),
        notification_id=notification.pk,  # marked failed if it cannot be sent
    )


def _offboard(eoi: EOI) -> None:
    participant = eoi.participant
    if participant is None:
        return
    if participant.placements.exists():
        raise ValidationError(
            {
                "decision": "They have started planning placements, so they cannot be unselected "
                "here; ask the programme manager."
            }
        )
    eoi.participant = None
    participant.delete()


@transaction.atomic
def sponsor_meeting_record(
    *, participant: Participant, by: User, met_on: dt.date, notes: str = ""
) -> SponsorMeeting:
    if not access.can_meet_as_sponsor(by, participant):
        raise PermissionDenied("The participant's sponsor records the meeting.")
    today = timezone.localdate()
    first, last = dates.programme_years(participant.cohort.programme_start)
    last = min(last, today)
    if dates.outside(met_on, first, last):
        raise ValidationError(
            {"met_on": f"Enter the date you met, {dates.between(first, last, today=today)}."}
        )
    meeting = SponsorMeeting(participant=participant, met_on=met_on, notes=notes, recorded_by=by)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def contact_share(*, participant: Participant, by: User, **fields) -> SharedContact:
    """The sponsor shares a contact for a possible placement; the participant sees it when
    planning one."""
    if not access.can_share_contacts(by, participant):
        raise PermissionDenied("The participant's sponsor shares contacts.")
    contact = SharedContact(participant=participant, shared_by=by, **fields)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def attendance_record(
    *, cohort: Cohort, by: User, register: dict[int, tuple[bool | None, bool | None]]
) -> int:
    """The briefing and workshop register; the rules' `briefing` and `workshop` read it.
    Audited, from the register page and the admin alike: attendance decides two commitments."""
    if not access.is_programme_manager(by):
        raise PermissionDenied("Only the programme manager keeps the register.")
    # participant id -> [briefing, workshop] as now recorded, for the audit trail
    recorded = {}
    for participant in Participant.objects.filter(cohort=cohort, pk__in=register):
        briefing, workshop = register[participant.pk]
        if (participant.briefing_attended, participant.workshop_attended) != (briefing, workshop):
            participant.briefing_attended, participant.workshop_attended = briefing, workshop
            participant.save(update_fields=["briefing_attended", "workshop_attended"])
            recorded[str(participant.pk)] = [briefing, workshop]
    if recorded:
        audit.record("attendance_recorded", actor=by, target=cohort, attendance=recorded)
    return len(recorded)
