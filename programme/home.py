"""Reads that several pages share: what each role sees of people and cohorts."""

from __future__ import annotations

from dataclasses import dataclass, field

from i2i.access import roles_for, visible_participants
from participants.models import Cohort, ExpressionOfInterest, Organisation, Participant
from placements.models import Placement
from programme.progress import commitment_reports, with_progress
from reflections.models import ReflectiveAccount


@dataclass
class HomeSections:
    """What the home page shows, one section per role the user holds."""

    my_participations: list[Participant] = field(default_factory=list)
    managed: list[Participant] = field(default_factory=list)
    sponsored: list[Participant] = field(default_factory=list)
    led_organisations: list[Organisation] = field(default_factory=list)
    organisation_participants: list[Participant] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    outcomes_waiting: int = 0
    eois_to_support: int = 0
    eois_to_review: int = 0
    accounts_waiting: list = field(default_factory=list)
    proposed_organisations: int = 0


def _with_reports(participants) -> list[Participant]:
    """Attach each participant's commitments report (`p.report`), in a fixed number of queries."""

    rows = list(with_progress(participants))
    reports = commitment_reports(rows)
    for row in rows:
        row.report = reports[row.pk]
    return rows


def home_sections(user) -> HomeSections:
    """One query per role held, however many participants there are."""
    roles = roles_for(user)
    sections = HomeSections()
    scoped = visible_participants(user).order_by("cohort__name", "user__full_name")
    if roles.participant:
        sections.my_participations = _with_reports(scoped.filter(user=user))
    if roles.line_manager:
        sections.managed = _with_reports(scoped.filter(line_manager=user))

        sections.outcomes_waiting = Placement.objects.awaiting_approval_by(user).count()
        sections.accounts_waiting = list(
            ReflectiveAccount.objects.filter(participant__line_manager=user, status="shared")
            .exclude(participant__user=user)
            .select_related("participant__user", "placement__organisation")
            .only(
                "pk",
                "participant__user__full_name",
                "participant__user__email",
                "placement__organisation__name",
            )
        )
    if roles.sponsor:
        sections.sponsored = _with_reports(scoped.filter(sponsor=user))
    if roles.education_lead:
        sections.led_organisations = list(
            Organisation.objects.filter(education_leads__user=user).order_by("name")
        )
        sections.organisation_participants = _with_reports(
            scoped.filter(organisation__education_leads__user=user).order_by(
                "organisation__name", "cohort__name", "user__full_name"
            )
        )

    sections.eois_to_support = (
        ExpressionOfInterest.objects.filter(
            line_manager_email__iexact=user.email, status="submitted", support="pending"
        )
        .exclude(applicant=user)
        .count()
    )
    if roles.education_lead:
        sections.eois_to_review = ExpressionOfInterest.objects.filter(
            organisation__education_leads__user=user, status="submitted", decision=""
        ).count()
    if roles.programme_manager:
        sections.cohorts = list(Cohort.objects.with_counts())
        sections.proposed_organisations = Organisation.objects.filter(is_confirmed=False).count()
    return sections
