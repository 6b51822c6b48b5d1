"""A participant who typed a marker into every field they can fill, with a marker in every
field others wrote about them: what the download must hold and erasure must remove.

`mark(world, client)` returns the markers, each with the field it was put in
("app_label.Model.field"), so a test can say which field lost or kept one."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from evaluation import services as evaluation_services
from evaluation.models import FollowUp
from i2i.models import Notification
from improvements.models import (
    AgreementDecision,
    ImplementationMilestone,
    PDSACycle,
    ServiceUserFeedback,
    TeamMember,
)
from participants.models import (
    EOIEvent,
    ExpressionOfInterest,
    SharedContact,
    SponsorMeeting,
    WorkshopConsent,
)
from placements.models import OutcomesDecision
from reflections.models import AccountEvent, MidProgrammeReview
from tests.factories import (
    PASSWORD,
    ApprovedPlacementFactory,
    DataPointFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    MeasureFactory,
    OrganisationFactory,
    ReflectiveAccountFactory,
)

SIGN_IN_ADDRESS = "10.9.8.7"


@dataclass
class Marked:
    participant: object
    name: str  # as they were before any erasure
    email_address: str
    # marker -> "app_label.Model.field" it was put in
    placed: dict[str, str] = field(default_factory=dict)
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __call__(self, where: str) -> str:
        marker = f"zq{next(self._numbers):03d}x"
        self.placed[marker] = where
        return marker

    def email(self, where: str) -> str:
        return f"{self(where)}@host.example"

    def fields(self) -> set[str]:
        return set(self.placed.values())

    def found_in(self, text: str) -> set[str]:
        """The markers in `text` (spaces and line breaks ignored, as a PDF wraps them)."""
        flat = re.sub(r"\s+", "", text).casefold()
        return {marker for marker in self.placed if marker in flat}

    def person_in(self, text: str) -> list[str]:
        """The participant's name or email address, wherever they are still in `text`."""
        found = []
        for value in (self.name, self.email_address):
            pattern = rf"(?<![\w.]){re.escape(value.casefold())}(?![\w])"
            if re.search(pattern, text.casefold()):
                found.append(value)
        return found


def mark(world, client) -> Marked:
    """Everything Pat (world.participant) and the people around them can write, marked."""
    p = world.participant
    user = p.user
    lm, sponsor, lead = world.line_manager, world.sponsor, world.education_lead
    m = Marked(participant=p, name=user.full_name, email_address=user.email)
    start = p.cohort.programme_start
    host = OrganisationFactory(name="Marsh Lane Practice")

    p.profession = m("participants.Participant.profession")
    p.job_title = m("participants.Participant.job_title")
    p.save()
    # Their link to their organisation's sign-in service, with what it said about them.
    SocialAccount.objects.create(
        user=user,
        provider="entra",
        uid=m("socialaccount.SocialAccount.uid"),
        extra_data={"id_token": {"name": user.full_name, "email": user.email}},
    )

    eoi = ExpressionOfInterest.objects.create(
        cohort=p.cohort,
        applicant=user,
        organisation=p.organisation,
        nominee_email=m.email("participants.ExpressionOfInterest.nominee_email"),
        profession=m("participants.ExpressionOfInterest.profession"),
        registration_body=m("participants.ExpressionOfInterest.registration_body"),
        registration_number=m("participants.ExpressionOfInterest.registration_number"),
        job_title=m("participants.ExpressionOfInterest.job_title"),
        band=m("participants.ExpressionOfInterest.band"),
        qualified_on=dt.date(2019, 7, 1),
        performing_well=True,
        last_appraisal_on=dt.date(2026, 11, 3),
        aiming_senior=True,
        senior_role=m("participants.ExpressionOfInterest.senior_role"),
        why=m("participants.ExpressionOfInterest.why"),
        discussed_with_line_manager=True,
        line_manager_email=m.email("participants.ExpressionOfInterest.line_manager_email"),
        status="submitted",
        support="confirmed",
        support_comment=m("participants.ExpressionOfInterest.support_comment"),
        support_by=lm,
        decision="selected",
        decision_reason=m("participants.ExpressionOfInterest.decision_reason"),
        decided_by=lead,
        participant=p,
    )
    EOIEvent.objects.create(
        eoi=eoi,
        action="support_confirmed",
        by=lm,
        comment=m("participants.EOIEvent.comment"),
    )
    SponsorMeeting.objects.create(
        participant=p,
        met_on=start,
        notes=m("participants.SponsorMeeting.notes"),
        recorded_by=sponsor,
    )
    SharedContact.objects.create(
        participant=p,
        organisation=host,
        name=m("participants.SharedContact.name"),
        role=m("participants.SharedContact.role"),
        email=m.email("participants.SharedContact.email"),
        phone=m("participants.SharedContact.phone"),
        note=m("participants.SharedContact.note"),
        shared_by=sponsor,
    )
    WorkshopConsent.objects.create(participant=p, include=True)
    MidProgrammeReview.objects.create(
        participant=p,
        held_on=start,
        going_well=m("reflections.MidProgrammeReview.going_well"),
        help_needed=m("reflections.MidProgrammeReview.help_needed"),
        plan=m("reflections.MidProgrammeReview.plan"),
        recorded_by=lm,
    )

    placement = ApprovedPlacementFactory(
        participant=p,
        organisation=host,
        contact_name=m("placements.Placement.contact_name"),
        contact_role=m("placements.Placement.contact_role"),
        contact_email=m.email("placements.Placement.contact_email"),
        contact_phone=m("placements.Placement.contact_phone"),
        relevance_services=m("placements.Placement.relevance_services"),
        relevance_interfaces=m("placements.Placement.relevance_interfaces"),
        relevance_career=m("placements.Placement.relevance_career"),
        outcome__text=m("placements.LearningOutcome.text"),
    )
    outcome = placement.outcomes.get()
    OutcomesDecision.objects.create(
        placement=placement,
        action="approved",
        by=lm,
        comment=m("placements.OutcomesDecision.comment"),
        outcomes_snapshot=[m("placements.OutcomesDecision.outcomes_snapshot")],
    )
    HalfDayFactory(
        placement=placement,
        date=start + dt.timedelta(days=7),
        location=m("placements.HalfDay.location"),
        person_met=m("placements.HalfDay.person_met"),
        pathway_connection=m("placements.HalfDay.pathway_connection"),
        confirmed_by_name=m("placements.HalfDay.confirmed_by_name"),
    )
    account = ReflectiveAccountFactory(
        placement=placement,
        answers={
            "what_happened": m("reflections.ReflectiveAccount.answers"),
            "learn_next": m("reflections.ReflectiveAccount.answers"),
        },
        outcome_ratings={
            str(outcome.pk): {
                "rating": "met",
                "comment": m("reflections.ReflectiveAccount.outcome_ratings"),
            }
        },
        # Chosen from lists on the form; a marker shows the stored list goes where it should.
        code_themes=["prioritise_people", m("reflections.ReflectiveAccount.code_themes")],
        principles=["outcomes", m("reflections.ReflectiveAccount.principles")],
        workshop_learning=m("reflections.ReflectiveAccount.workshop_learning"),
        status="shared",
        shared_version={
            "framework": "i2i",
            "answers": {"what_happened": m("reflections.ReflectiveAccount.shared_version")},
            "outcome_ratings": [],
            "code_themes": [],
            "principles": [],
            "workshop_learning": "",
            "shared_at": None,
        },
    )
    AccountEvent.objects.create(account=account, action="shared", by=user)
    AccountEvent.objects.create(
        account=account,
        action="more_asked",
        by=lm,
        comment=m("reflections.AccountEvent.comment"),
    )

    initiative = ImprovementInitiativeFactory(
        participant=p,
        **{
            name: m(f"improvements.ImprovementInitiative.{name}")
            for name in (
                "title",
                "problem",
                "aim",
                "measures_summary",
                "change_ideas",
                "teams",
                "stopped_reason",
                "outcome_what_changed",
                "outcome_for_whom",
                "outcome_evidence",
                "outcome_learning",
                "outcome_sustain",
                "i2i_ideas",
                "co_production",
                "estimate_notes",
            )
        },
    )
    AgreementDecision.objects.create(
        initiative=initiative,
        action="returned",
        by=lm,
        comment=m("improvements.AgreementDecision.comment"),
    )
    PDSACycle.objects.create(
        initiative=initiative,
        number=1,
        starts_on=start,
        act="adopt",
        **{
            name: m(f"improvements.PDSACycle.{name}")
            for name in ("change", "prediction", "do_notes", "study_notes", "next_steps")
        },
    )
    measure = MeasureFactory(
        initiative=initiative,
        name=m("improvements.Measure.name"),
        definition=m("improvements.Measure.definition"),
        unit=m("improvements.Measure.unit"),
    )
    DataPointFactory(
        measure=measure,
        date=start,
        note=m("improvements.DataPoint.note"),
        phase_label=m("improvements.DataPoint.phase_label"),
    )
    # Issue #21's driver diagram and attachment; #20's checks and feedback both ways.
    from django.core.files.base import ContentFile

    from improvements.models import Attachment, DriverNode
    from placements.models import ClearanceRecord, HostFeedback, ParticipantFeedback

    DriverNode.objects.create(
        initiative=initiative, level="primary", text=m("improvements.DriverNode.text")
    )
    attachment = Attachment(
        initiative=initiative,
        name=m("improvements.Attachment.name") + ".pdf",
        description=m("improvements.Attachment.description"),
        content_type="application/pdf",
        size=8,
    )
    attachment.file.save("leaflet.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    ClearanceRecord.objects.create(
        placement=placement,
        kind="dbs",
        confirmed_by_name=m("placements.ClearanceRecord.confirmed_by_name"),
        confirmed_on=start,
        note=m("placements.ClearanceRecord.note"),
    )
    HostFeedback.objects.create(
        placement=placement, rating=4, comment=m("placements.HostFeedback.comment")
    )
    ParticipantFeedback.objects.create(
        placement=placement, comment=m("placements.ParticipantFeedback.comment")
    )
    ServiceUserFeedback.objects.create(
        initiative=initiative,
        question=m("improvements.ServiceUserFeedback.question"),
        how_many=4,
        summary=m("improvements.ServiceUserFeedback.summary"),
    )
    TeamMember.objects.create(
        initiative=initiative,
        name=m("improvements.TeamMember.name"),
        role=m("improvements.TeamMember.role"),
    )
    ImplementationMilestone.objects.create(
        initiative=initiative, title=m("improvements.ImplementationMilestone.title"), due_on=start
    )

    values = {item.pk: 3 for item in evaluation_services.items_for(p.cohort)}
    evaluation_services.submit_self_assessment(p, "before", values, start)
    FollowUp.objects.create(
        participant=p,
        moment="6-months",
        role=m("evaluation.FollowUp.role"),
        band="band_7",
        promoted=True,
        same_employer=True,
        contacts=4,
        learning_use=m("evaluation.FollowUp.learning_use"),
    )

    Notification.objects.create(
        recipient=user,
        participant=p,
        kind="at_risk",
        key=f"participant:{p.pk}:at_risk:pace",
        subject=m("i2i.Notification.subject"),
        body=m("i2i.Notification.body"),
        url=reverse("participant_detail", args=[p.pk]),
    )
    # Their line manager's reminder names them: it stays, without the name.
    Notification.objects.create(
        recipient=lm,
        participant=p,
        kind="outcomes_waiting",
        key=f"placement:{placement.pk}:submitted:1",
        subject=f"{user.full_name}'s learning outcomes are waiting",
        body=f"{user.full_name} ({user.email}) submitted learning outcomes.",
    )
    LogEntry.objects.create(
        user=world.programme_manager,
        content_type=ContentType.objects.get_for_model(type(p)),
        object_id=str(p.pk),
        object_repr=str(p),
        action_flag=CHANGE,
        change_message="[]",
    )
    # A failed sign-in with their address, then a sign-in that leaves a session open.
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR=SIGN_IN_ADDRESS,
    )
    # Their optional equality monitoring answers: a marker in each (stored as it is, so that
    # the download and erasure can be seen to reach every one).
    from participants.equality import FIELDS as EQUALITY_FIELDS
    from participants.models import EqualityMonitoring

    EqualityMonitoring.objects.create(
        eoi=eoi, **{name: m(f"participants.EqualityMonitoring.{name}") for name in EQUALITY_FIELDS}
    )
    return m
