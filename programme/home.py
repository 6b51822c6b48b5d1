"""Reads that several pages share: what each role sees of people and cohorts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from i2i.access import roles_for, visible_participants
from participants.models import Cohort, Organisation, Participant
from placements import hosting
from programme import tasks as next_steps
from programme.announcements import AUDIENCE_WORDS, unread_announcements
from programme.progress import commitment_reports, with_progress


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
    outcomes: list = field(default_factory=list)  # the sets waiting, oldest first
    eois_to_support: int = 0
    accounts_waiting: list = field(default_factory=list)
    proposed_organisations: int = 0
    # What to do next, most urgent first (`programme.tasks`).
    tasks: list[next_steps.Task] = field(default_factory=list)
    # Announcements sent to them and not yet marked read, shown first (`programme.announcements`).
    announcements: list = field(default_factory=list)
    receives_announcements: bool = False
    # The organisations a host person answers for, with their visits (`placements.hosting`).
    hosted: list = field(default_factory=list)


def _with_reports(participants) -> list[Participant]:
    """Attach each participant's commitments report (`p.report`), in a fixed number of queries."""

    rows = list(with_progress(participants))
    reports = commitment_reports(rows)
    for row in rows:
        row.report = reports[row.pk]
    return rows


def home_sections(user) -> HomeSections:
    """A fixed number of queries per role held, however many participants there are."""
    roles = roles_for(user)
    sections = HomeSections()
    scoped = visible_participants(user).order_by("cohort__name", "user__full_name")
    # Announcements go to participants, line managers and sponsors: one query for them only.
    sections.receives_announcements = roles.participant or roles.line_manager or roles.sponsor
    if sections.receives_announcements:
        sections.announcements = unread_announcements(user)
        for row in sections.announcements:
            row.audience_words = AUDIENCE_WORDS[row.announcement.audience]
    if roles.participant:
        sections.my_participations = _with_reports(scoped.filter(user=user))
    if roles.line_manager:
        sections.managed = _with_reports(scoped.filter(line_manager=user))

        sections.outcomes = next_steps.outcomes_waiting(user)
        sections.outcomes_waiting = len(sections.outcomes)
        sections.accounts_waiting = next_steps.shared_accounts(user)
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

    if roles.host:
        sections.hosted = hosting.hosted_summary(user, timezone.localdate())
    sections.eois_to_support = next_steps.eois_to_support(user)
    if roles.programme_manager:
        sections.cohorts = list(Cohort.objects.with_counts())
        sections.proposed_organisations = Organisation.objects.filter(is_confirmed=False).count()
    # Built from what was read above, so the page reads each thing once.
    sections.tasks = next_steps.home_tasks(user, sections)
    return sections
