"""Who may see and do what.

Every view gets its objects through a scoped queryset here, so that an object
outside the user's scope is a 404 (`get_object_or_404(visible_x(user), pk=pk)`),
and checks actions with a predicate here, so that a forbidden action is a 403.

Scopes, from the leaflet's roles:
- a participant sees their own records;
- a line manager and a sponsor see the participants they support;
- an education lead sees their organisation's participants;
- the programme manager sees the whole partnership.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from i2i.models import Announcement, AnnouncementRecipient, Job
from i2i.names import erased
from improvements.models import ImprovementInitiative
from participants.models import (
    Cohort,
    CohortStatus,
    EducationLead,
    ExpressionOfInterest,
    HostPerson,
    Organisation,
    Participant,
    User,
)
from placements.models import Concern, HalfDay, Placement, PlacementOffer, PlacementStatus
from reflections.models import AccountStatus, ReflectiveAccount


@dataclass(frozen=True)
class Roles:
    participant: bool = False
    line_manager: bool = False
    sponsor: bool = False
    education_lead: bool = False
    programme_manager: bool = False
    # The named person at a host organisation (issue #20): sees their organisation's visits.
    host: bool = False

    @property
    def sees_cohorts(self) -> bool:
        """Everyone with a part in a cohort; a host person only receives visits, so the
        "Cohorts" link would lead them to an empty list."""
        return any(
            (
                self.participant,
                self.line_manager,
                self.sponsor,
                self.education_lead,
                self.programme_manager,
            )
        )

    @property
    def any(self) -> bool:
        return self.sees_cohorts or self.host


NO_ROLES = Roles()


def roles_for(user) -> Roles:
    """The roles a user holds, in one query, remembered on the user for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_i2i_roles", None)
    if cached is not None:
        return cached
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            r_participant=Exists(Participant.objects.filter(user=OuterRef("pk"))),
            r_line_manager=Exists(Participant.objects.filter(line_manager=OuterRef("pk"))),
            r_sponsor=Exists(Participant.objects.filter(sponsor=OuterRef("pk"))),
            r_education_lead=Exists(EducationLead.objects.filter(user=OuterRef("pk"))),
            r_host=Exists(HostPerson.objects.filter(user=OuterRef("pk"))),
            # For the navigation (`can_see_expressions_of_interest`), in the same query.
            r_running=Exists(
                Participant.objects.filter(user=OuterRef("pk"), cohort__status=CohortStatus.RUNNING)
            ),
            r_asked_to_support=Exists(
                ExpressionOfInterest.objects.filter(
                    line_manager_email__iexact=OuterRef("email"),
                    status=ExpressionOfInterest.Status.SUBMITTED,
                    support=ExpressionOfInterest.Support.PENDING,
                )
                .exclude(line_manager_email="")
                .filter(Q(applicant__isnull=True) | ~Q(applicant=OuterRef("pk")))
            ),
        )
        .values(
            "r_participant",
            "r_line_manager",
            "r_sponsor",
            "r_education_lead",
            "r_host",
            "r_running",
            "r_asked_to_support",
        )
        .first()
    ) or {}
    roles = Roles(
        participant=row.get("r_participant", False),
        line_manager=row.get("r_line_manager", False),
        sponsor=row.get("r_sponsor", False),
        education_lead=row.get("r_education_lead", False),
        programme_manager=is_programme_manager(user),
        host=row.get("r_host", False),
    )
    user._i2i_roles = roles
    user._i2i_nav_facts = _NavFacts(
        in_running_programme=row.get("r_running", False),
        asked_to_support=row.get("r_asked_to_support", False),
    )
    return roles


@dataclass(frozen=True)
class _NavFacts:
    """What the navigation needs beyond the roles, read with them (`roles_for`)."""

    in_running_programme: bool = False
    asked_to_support: bool = False


def _nav_facts(user) -> _NavFacts:
    roles_for(user)
    facts = getattr(user, "_i2i_nav_facts", None)
    if facts is None:  # roles remembered some other way: read the facts on their own
        del user._i2i_roles
        roles_for(user)
        facts = user._i2i_nav_facts
    return facts


def is_programme_manager(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_programme_manager or user.is_superuser)
    )


def led_organisation_ids(user):
    """Organisations whose education lead this user is (a subquery, not a list)."""
    return EducationLead.objects.filter(user=user).values("organisation_id")


def hosted_organisation_ids(user):
    """Organisations this user is the host person of (a subquery, not a list)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return HostPerson.objects.none().values("organisation_id")
    return HostPerson.objects.filter(user=user).values("organisation_id")


def is_host_of(user, organisation) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and HostPerson.objects.filter(user=user, organisation=organisation).exists()
    )


# Scoped querysets ------------------------------------------------------------


def visible_participants(user) -> QuerySet[Participant]:
    qs = Participant.objects.with_people()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if is_programme_manager(user):
        return qs
    return qs.filter(
        Q(user=user)
        | Q(line_manager=user)
        | Q(sponsor=user)
        | Q(organisation_id__in=led_organisation_ids(user))
    )


def visible_cohorts(user) -> QuerySet[Cohort]:
    """Cohorts the user takes part in or supports someone in; all of them for the programme
    manager."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Cohort.objects.none()
    if is_programme_manager(user):
        return Cohort.objects.all()
    return Cohort.objects.filter(pk__in=visible_participants(user).order_by().values("cohort_id"))


def visible_organisations(user) -> QuerySet[Organisation]:
    """The organisation directory: every signed-in user may look up active, confirmed
    organisations, because participants find their own placements; a participant also sees
    the ones they proposed; the programme manager sees them all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    if is_programme_manager(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(is_active=True).filter(
        Q(is_confirmed=True) | Q(proposed_by=user)
    )


def visible_placements(user):
    """Placements of the participants the user may see."""
    participants = visible_participants(user).order_by().values("pk")
    return Placement.objects.with_related().filter(participant__in=participants)


def hosted_placements(user):
    """Placements at the organisations the user hosts for: the host's view of a visit (the
    visitor's name, role and learning outcomes; never a reflective account). Withdrawn ones
    are not the host's business, nor, to a participant named host person where they visit,
    their own visits (they do not answer for them)."""
    return (
        Placement.objects.with_related()
        .filter(organisation_id__in=hosted_organisation_ids(user))
        .exclude(status=PlacementStatus.WITHDRAWN)
        .exclude(participant__user_id=getattr(user, "pk", None))
    )


def hosted_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose visits the user answers for as their host person."""
    return Organisation.objects.filter(pk__in=hosted_organisation_ids(user))


def hosted_half_days(user):
    """Half-days at the organisations the user hosts for, of placements still going ahead: what
    a host person confirms, declines or proposes another time for."""
    return HalfDay.objects.select_related(
        "placement__organisation", "participant__user", "participant__cohort"
    ).filter(
        placement__in=hosted_placements(user).order_by().values("pk"),
    )


def can_host(user) -> bool:
    """The host's pages are for host people: everyone else gets a 403 there (and a 404 for an
    organisation or half-day, which `hosted_organisations` and `hosted_half_days` scope)."""
    return roles_for(user).host


def hosts_for_someone_else(user, organisation_id, participant) -> bool:
    """A host person of the organisation who is not the visitor: a participant named as host
    person where they visit does not confirm their own half-days or give themselves
    feedback (as a contact address that reaches them is refused)."""
    return participant.user_id != user.pk and is_host_of(user, organisation_id)


def can_answer_as_host(user, half_day) -> bool:
    """Only a host person of the half-day's host organisation confirms or declines it, or
    proposes another time: the participant's own supporters do not answer for the host."""
    return hosts_for_someone_else(user, half_day.placement.organisation_id, half_day.participant)


def can_manage_host_people(user) -> bool:
    """The programme manager says who answers for a host organisation."""
    return is_programme_manager(user)


def visible_half_days(user):
    participants = visible_participants(user).order_by().values("pk")
    return HalfDay.objects.select_related(
        "placement__organisation", "participant__user", "participant__cohort"
    ).filter(participant__in=participants)


def readable_accounts(user):
    """Reflective accounts the user may open: their own, and their reports'. Nobody else,
    not even the programme manager, opens one (they see its status on the placement).
    What of it each reads is `account_text_for`: a line manager never reads a draft."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ReflectiveAccount.objects.none()
    return ReflectiveAccount.objects.select_related(
        "placement__organisation", "participant__user", "participant__line_manager"
    ).filter(Q(participant__user=user) | Q(participant__line_manager=user))


def visible_initiatives(user):
    """Improvement initiatives are meant to be shared: everyone who may see the participant
    may see their initiative."""
    participants = visible_participants(user).order_by().values("pk")
    return ImprovementInitiative.objects.select_related(
        "participant__user", "participant__line_manager", "participant__cohort"
    ).filter(participant__in=participants)


def can_lead_initiative(user, participant) -> bool:
    return is_the_participant(user, participant)


def can_agree_initiative(user, initiative) -> bool:
    """The participant's line manager agrees the initiative, as they approve the outcomes."""
    return is_the_line_manager(user, initiative.participant)


def visible_eois(user):
    """Expressions of Interest: the applicant's own (or a nominee's, by email), the line
    manager named on it (to confirm support), the education lead of the applicant's
    organisation, and the programme manager."""
    qs = ExpressionOfInterest.objects.select_related("cohort", "organisation", "applicant")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if is_programme_manager(user):
        return qs
    return qs.filter(
        Q(applicant=user)
        | Q(applicant__isnull=True, nominee_email__iexact=user.email)
        | Q(status="submitted", line_manager_email__iexact=user.email)
        | Q(organisation_id__in=led_organisation_ids(user))
    )


def is_eoi_applicant(user, eoi) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if eoi.applicant_id is not None:
        return eoi.applicant_id == user.pk
    return bool(eoi.nominee_email) and eoi.nominee_email.lower() == user.email.lower()


def can_answer_equality_monitoring(user, eoi) -> bool:
    """Only the applicant, once they have submitted, answers their own equality monitoring.
    Nobody reads one person's answers on any page, the programme manager included: they are
    counted, five or more to a figure (`participants.equality`)."""
    return (
        eoi.applicant_id is not None
        and eoi.applicant_id == getattr(user, "pk", None)
        and eoi.status == eoi.Status.SUBMITTED
    )


def is_eoi_line_manager(user, eoi) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and eoi.line_manager_email
        and eoi.line_manager_email.lower() == user.email.lower()
        and eoi.applicant_id != user.pk
    )


def can_see_expressions_of_interest(user) -> bool:
    """Whether the navigation offers Expressions of Interest: to those who can act on one.
    The programme manager and education leads review them; a line manager asked to support
    one confirms it; anyone else may apply (any member of staff may: `recruiting_cohorts`),
    unless they are already in a running programme, where there is nothing to apply for.
    The page itself stays open to all (`visible_eois` scopes it): this only decides the
    menu. No query of its own: the facts come with the roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = roles_for(user)
    if roles.programme_manager or roles.education_lead:
        return True
    facts = _nav_facts(user)
    return facts.asked_to_support or not facts.in_running_programme


def can_review_eois(user) -> bool:
    """Education leads review their organisation's Expressions of Interest (list and CSV);
    the programme manager reviews every organisation's."""
    return is_programme_manager(user) or roles_for(user).education_lead


def reviewable_eois(user):
    """The Expressions of Interest on the review list: those of the organisations the user
    leads, or every one for the programme manager."""
    if is_programme_manager(user):
        return visible_eois(user)
    return visible_eois(user).filter(organisation_id__in=led_organisation_ids(user))


def nominating_organisations(user):
    """Organisations whose staff the user may nominate: the ones they lead as education lead,
    or every partner for the programme manager."""
    if is_programme_manager(user):
        return Organisation.objects.filter(is_partner=True)
    return Organisation.objects.filter(pk__in=led_organisation_ids(user))


def can_select_for(user, organisation) -> bool:
    """Selection belongs to the organisation's education lead (and the programme manager)."""
    if is_programme_manager(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and EducationLead.objects.filter(user=user, organisation=organisation).exists()
    )


def is_the_sponsor(user, participant) -> bool:
    return bool(getattr(user, "is_authenticated", False) and participant.sponsor_id == user.pk)


def can_meet_as_sponsor(user, participant) -> bool:
    """The sponsor records their meetings with the participant they sponsor."""
    return is_the_sponsor(user, participant)


def can_share_contacts(user, participant) -> bool:
    """The sponsor shares contacts for possible placements with the participant they sponsor."""
    return is_the_sponsor(user, participant)


def recruiting_cohorts(user):
    """Cohorts taking Expressions of Interest: any signed-in member of staff may apply."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Cohort.objects.none()
    return Cohort.objects.filter(status=CohortStatus.RECRUITING)


def erasable_people(user):
    """People the user may erase: anyone active, for the programme manager; nobody else."""
    if not can_erase(user):
        return User.objects.none()
    return User.objects.filter(is_active=True).exclude(pk=user.pk)


def erased_people(user):
    """People already erased, whose erasure the programme manager may look back on."""
    if not can_erase(user):
        return User.objects.none()
    return User.objects.filter(erased(), is_active=False)


def visible_jobs(user):
    """A background job's file is for the person who asked for it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Job.objects.none()
    if is_programme_manager(user):
        # Workshop packs and evaluation reports belong to the programme, not to whoever
        # pressed the button.
        return Job.objects.filter(
            Q(owner=user) | Q(kind__in=["workshop_pack", "evaluation_report"])
        )
    return Job.objects.filter(owner=user)


def peer_cohorts(user) -> QuerySet[Cohort]:
    """Cohorts whose peers page the user may open: the ones they take part in (the briefing is
    where participants get to know their peers); every cohort for the programme manager.
    Line managers, sponsors and education leads have their own pages about their people."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Cohort.objects.none()
    if is_programme_manager(user):
        return Cohort.objects.all()
    return Cohort.objects.filter(participants__user=user)


def peers_open(user, cohort, today) -> bool:
    """Participants see their peers from the day of the briefing, where they first meet; the
    programme manager at any time."""
    if is_programme_manager(user):
        return True
    return cohort.briefing_date is not None and today >= cohort.briefing_date


def visible_peers(user, cohort, today) -> QuerySet[Participant]:
    """The cohort's participants as their peers see them (the page shows name, role,
    profession and employer, and the email only where its owner chose to show it), or none
    before the page opens. People who can no longer sign in (erased, stopped) are left out."""
    if not peers_open(user, cohort, today):
        return Participant.objects.none()
    return (
        Participant.objects.filter(cohort=cohort, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )


def can_choose_email_shown(user, participant) -> bool:
    """Each participant decides for themselves whether their peers see their email."""
    return is_the_participant(user, participant)


def received_announcements(user) -> QuerySet[AnnouncementRecipient]:
    """The announcements sent to the user (one row each, with its read state)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AnnouncementRecipient.objects.none()
    return AnnouncementRecipient.objects.filter(recipient=user).select_related(
        "announcement__cohort", "announcement__sent_by"
    )


def visible_announcements(user) -> QuerySet[Announcement]:
    """Announcements the user may open: those sent to them; every one for the programme
    manager, who writes them."""
    qs = Announcement.objects.select_related("cohort", "sent_by")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if is_programme_manager(user):
        return qs
    return qs.filter(
        pk__in=AnnouncementRecipient.objects.filter(recipient=user).values("announcement_id")
    )


def can_write_announcements(user) -> bool:
    """The programme manager writes to a cohort's participants, line managers or sponsors."""
    return is_programme_manager(user)


# Predicates for actions ------------------------------------------------------


def can_manage_organisations(user) -> bool:
    return is_programme_manager(user)


def can_manage_cohorts(user) -> bool:
    return is_programme_manager(user)


def is_the_participant(user, participant) -> bool:
    """Participants arrange, write and log their own records: nobody does it for them."""
    return bool(getattr(user, "is_authenticated", False) and participant.user_id == user.pk)


def is_the_line_manager(user, participant) -> bool:
    """The participant's line manager, who approves, agrees and discusses; never the
    participant themselves, should they be recorded as their own line manager."""
    return bool(
        getattr(user, "is_authenticated", False)
        and participant.line_manager_id == user.pk
        and participant.user_id != user.pk
    )


def can_answer_self_assessment(user, participant) -> bool:
    """Only the participant answers, and only they read their answers: the programme
    manager sees the cohort's figures, never one person's."""
    return is_the_participant(user, participant)


def can_see_evaluation(user) -> bool:
    return is_programme_manager(user)


def can_plan_placements(user, participant) -> bool:
    """Participants make their own arrangements: the leaflet makes it their responsibility."""
    return is_the_participant(user, participant)


def can_edit_placement(user, placement) -> bool:
    return (
        is_the_participant(user, placement.participant)
        and placement.status != PlacementStatus.WITHDRAWN
    )


def can_give_host_feedback(user, placement) -> bool:
    """Feedback both ways (issue #20): the participant on their host, once the placement
    is complete."""
    return (
        is_the_participant(user, placement.participant)
        and placement.status == PlacementStatus.COMPLETE
    )


def can_give_participant_feedback(user, placement) -> bool:
    """A host person of the placement's organisation on the visitor, once it is complete."""
    return placement.status == PlacementStatus.COMPLETE and hosts_for_someone_else(
        user, placement.organisation_id, placement.participant
    )


def can_read_host_feedback(user) -> bool:
    """Host feedback by host and in aggregate: the programme manager."""
    return is_programme_manager(user)


def can_decide_outcomes(user, placement) -> bool:
    """Only the participant's line manager approves or returns learning outcomes."""
    return is_the_line_manager(user, placement.participant)


def can_read_accounts_of(user, participant) -> bool:
    """The same rule as `readable_accounts`, for one participant."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.pk in {participant.user_id, participant.line_manager_id}
    )


def reads_live_account(user, account) -> bool:
    """The live text, draft included, is the participant's alone: autosave keeps what
    they are halfway through writing, and they share it when it is ready."""
    return is_the_participant(user, account.participant)


def reads_shared_account(user, account) -> bool:
    """The participant's line manager reads what was shared with them, and only that."""
    return is_the_line_manager(user, account.participant)


def account_text_for(user, account):
    """The version of the account's text the user reads, or None for the status only: the
    participant reads the text as it stands; the line manager reads the version last shared
    with them (kept while the participant adds to it after "Ask for more"), and nothing
    before the first share; nobody else reads any."""
    if reads_live_account(user, account):
        return account.live_text()
    if reads_shared_account(user, account):
        return account.shared_text()
    return None


def can_write_account(user, account) -> bool:
    return is_the_participant(user, account.participant) and account.status == AccountStatus.DRAFT


def can_discuss_account(user, account) -> bool:
    return is_the_line_manager(user, account.participant) and account.status == AccountStatus.SHARED


def mid_programme_review_participants(user) -> QuerySet[Participant]:
    """Participants whose mid-programme review page the user may open: their own, and their
    reports'. Like a reflective account, the review's words are for the participant and their
    line manager only: everyone else (the programme manager too, who sees on the dashboard
    whether it was held) gets a 404."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Participant.objects.none()
    return Participant.objects.with_people().filter(Q(user=user) | Q(line_manager=user))


def follow_up_participants(user) -> QuerySet[Participant]:
    """Participations whose follow-up questionnaire (6 and 12 months after the workshop) the
    user may open: only their own. Everyone else, the programme manager too, gets a 404: the
    programme manager sees the cohort's figures in the evaluation report, never one person's."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Participant.objects.none()
    return Participant.objects.with_people().filter(user=user)


def can_record_mid_programme_review(user, participant) -> bool:
    """The line manager records the review they held with the participant."""
    return is_the_line_manager(user, participant)


def can_download_calendar(user, participant) -> bool:
    return is_the_participant(user, participant)


def can_review_organisations(user) -> bool:
    """Confirming and merging proposed organisations is the programme manager's job."""
    return is_programme_manager(user)


def can_see_dashboard(user) -> bool:
    """The programme manager runs the programme from it; education leads and sponsors see
    their own people on it (the scoped querysets decide which)."""
    roles = roles_for(user)
    return roles.programme_manager or roles.education_lead or roles.sponsor


def can_make_workshop_pack(user) -> bool:
    """The programme manager makes the cohort's workshop pack from what participants allow."""
    return is_programme_manager(user)


def can_read_audit(user) -> bool:
    """The audit trail says who read and changed whose records: the programme manager's."""
    return is_programme_manager(user)


def can_see_notifications_sent(user) -> bool:
    """Every email sent, to anyone: the programme manager's, to answer "did they get it?"."""
    return is_programme_manager(user)


def can_erase(user) -> bool:
    """Erasing a person's records is the programme manager's (never their own: see
    `erasable_people`)."""
    return is_programme_manager(user)


def can_use_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_staff or is_programme_manager(user))
    )


# Concerns about a placement (issue #20) -------------------------------------------------


def concern_placements(user):
    """Placements the user may raise a concern about, found before the predicate: those they
    see (participant, line manager, sponsor, education lead, programme manager) and, for a
    host person, the visits to their organisation. Anything else is a 404."""
    participants = visible_participants(user).order_by().values("pk")
    return Placement.objects.with_related().filter(
        Q(participant__in=participants)
        | (
            Q(organisation_id__in=hosted_organisation_ids(user))
            & ~Q(status=PlacementStatus.WITHDRAWN)
        )
    )


def can_raise_concern(user, placement) -> bool:
    """Anyone involved in the placement: the participant, their line manager and sponsor,
    a host person of the organisation, and the programme manager. An education lead sees
    the placement but is not involved in it (a 403)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    participant = placement.participant
    return (
        is_programme_manager(user)
        or user.pk in (participant.user_id, participant.line_manager_id, participant.sponsor_id)
        or is_host_of(user, placement.organisation_id)
    )


def visible_concerns(user) -> QuerySet[Concern]:
    """Concerns the user may open. The programme manager handles every one; the line manager
    sees concerns about their reports' placements; whoever raised one sees it. The
    participant does not see concerns about themselves unless they raised them: safeguarding
    practice is that the person a concern is about is told by the programme manager, when and
    as the handling allows, not automatically (docs/architecture.md, "Concerns")."""
    concerns = Concern.objects.select_related(
        "placement__organisation", "placement__participant__user", "raised_by"
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return concerns.none()
    if is_programme_manager(user):
        return concerns
    return concerns.filter(
        Q(raised_by=user)
        | (Q(placement__participant__line_manager=user) & ~Q(placement__participant__user=user))
    )


def can_handle_concern(user, concern) -> bool:
    """Actions, closing and reopening are the programme manager's."""
    return is_programme_manager(user)


def can_import_registers(user) -> bool:
    """The organisation directory is the programme manager's (`can_manage_organisations`)."""
    return is_programme_manager(user)


# Offers and clearances (issue #20) -------------------------------------------------------


def can_publish_offers_for(user, organisation) -> bool:
    """A host's offers are its host person's to publish, or the programme manager's on its
    behalf."""
    return is_programme_manager(user) or is_host_of(user, organisation)


def can_manage_offers(user) -> bool:
    """The "Offers" page: the programme manager's, and each host person's."""
    roles = roles_for(user)
    return roles.programme_manager or roles.host


def manageable_offers(user) -> QuerySet[PlacementOffer]:
    """Offers the user may change: every one for the programme manager; a host person's
    organisations' for them; none for anyone else."""
    offers = PlacementOffer.objects.select_related("organisation")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return offers.none()
    if is_programme_manager(user):
        return offers
    return offers.filter(organisation_id__in=hosted_organisation_ids(user))


def can_see_placement_spread(user) -> bool:
    """How placements spread across hosts and sectors: the programme manager's."""
    return is_programme_manager(user)


def clearance_placements(user):
    """Placements whose checks before the first visit the user may see: those in their scope
    (`visible_placements`) and, for a host person, their organisation's (`hosted_placements`)."""
    visible = visible_participants(user).order_by().values("pk")
    hosted = Q(organisation_id__in=hosted_organisation_ids(user)) & ~Q(
        status=PlacementStatus.WITHDRAWN
    )
    return Placement.objects.with_related().filter(Q(participant__in=visible) | hosted)


def can_record_clearance(user, placement) -> bool:
    """Who records that a check before the first visit was done: the participant (they
    arrange the placement), their line manager (the employer holds the DBS check and the
    training record), the host person of the host organisation (the host issues badges,
    contracts and the induction) and the programme manager. Not the sponsor or the education
    lead: they support, they do not arrange. Not on a withdrawn placement."""
    if placement.status == PlacementStatus.WITHDRAWN:
        return False
    participant = placement.participant
    return (
        is_the_participant(user, participant)
        or is_the_line_manager(user, participant)
        or is_programme_manager(user)
        or is_host_of(user, placement.organisation)
    )
