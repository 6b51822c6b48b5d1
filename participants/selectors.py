"""Reads that several pages share: what each role sees of people and cohorts."""

from __future__ import annotations

from dataclasses import dataclass, field

from i2i.access import roles_for, visible_participants
from participants.models import Cohort, Organisation, Participant


@dataclass
class HomeSections:
    """What the home page shows, one section per role the user holds."""

    my_participations: list[Participant] = field(default_factory=list)
    managed: list[Participant] = field(default_factory=list)
    sponsored: list[Participant] = field(default_factory=list)
    led_organisations: list[Organisation] = field(default_factory=list)
    organisation_participants: list[Participant] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)


def home_sections(user) -> HomeSections:
    """One query per role held, however many participants there are."""
    roles = roles_for(user)
    sections = HomeSections()
    scoped = visible_participants(user).order_by("cohort__name", "user__full_name")
    if roles.participant:
        sections.my_participations = list(scoped.filter(user=user))
    if roles.line_manager:
        sections.managed = list(scoped.filter(line_manager=user))
    if roles.sponsor:
        sections.sponsored = list(scoped.filter(sponsor=user))
    if roles.education_lead:
        sections.led_organisations = list(
            Organisation.objects.filter(education_leads__user=user).order_by("name")
        )
        sections.organisation_participants = list(
            scoped.filter(organisation__education_leads__user=user).order_by(
                "organisation__name", "cohort__name", "user__full_name"
            )
        )
    if roles.programme_manager:
        sections.cohorts = list(Cohort.objects.with_counts())
    return sections
