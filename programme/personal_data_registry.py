"""Where a person's data lives, and what becomes of it: the one registry that both the
download of a person's data (`programme.personal_data.personal_data`) and erasure
(`programme.personal_data.person_erase`) read.

Every field of every model that holds text, JSON, an address or a file is declared here:

- `Erase(to)`: the person's data or words; exported, and on erasure set to `to` (a value, a
  database expression, or a function of the `Person`). `Erase(delete_rows=...)` holdings
  delete their rows instead.
- `Pseudonymise()`: the names of people met on half-days, replaced by a key that is the same
  for everyone who met the same name, so the evaluation's count of people met survives.
- `Scrub()`: rows kept (the audit trail, other people's notifications, the admin's log) with
  the person's name and email addresses replaced.
- `Keep(why)`: about the person but kept, anonymised by the erasure of everything around it,
  because a count or a date depends on it (a status, a choice from a list, a score).
- `NotPersonal(why)`: holds nobody's data (an organisation, a cohort, a question).

A *holding* says which rows of a model belong to a person (`whose`: a lookup from the model
to the `User`, or a function of the `Person` giving a `Q`), how they nest in the download
(`parent`) and what each of their fields is. `tests/participants/test_personal_data_registry.py`
walks every model Django knows (allauth's, sessions and the admin's log included) and fails
when a field is declared nowhere, so a field added later cannot hold a person's words
unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Q, Value, When

from i2i.names import ERASED_EMAIL_DOMAIN, erased, erased_email  # noqa: F401  (re-exported)

ERASED_NAME = "Erased person"
ERASED_TEXT = "(erased)"


@dataclass(frozen=True)
class Person:
    """The person being erased or exported, with every name and address they are known by."""

    user: Any
    emails: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, user) -> Person:
        from allauth.account.models import EmailAddress

        addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        emails = {e.lower() for e in (user.email, *addresses) if e}
        # Once erased, they are known by nothing that could be found again.
        emails = {e for e in emails if not e.endswith("@" + ERASED_EMAIL_DOMAIN)}
        name = user.full_name.strip()
        names = {name} if name and name != ERASED_NAME else set()
        return cls(user=user, emails=frozenset(emails), names=frozenset(names))

    @property
    def erased_email(self) -> str:
        return erased_email(self.user.pk)


# Declarations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erase:
    """The person's data: downloaded, and replaced by `to` on erasure."""

    to: Any = ""
    why: str = ""
    export: bool = True
    # Private text: only the person (and, for accounts, their line manager) reads it; never
    # searched, filtered or ordered on in the admin.
    private: bool = False

    def value(self, person: Person):
        return self.to(person) if callable(self.to) else self.to


@dataclass(frozen=True)
class Pseudonymise:
    why: str
    export: bool = True
    private: bool = False


@dataclass(frozen=True)
class Scrub:
    why: str
    export: bool = True
    private: bool = False


@dataclass(frozen=True)
class Keep:
    why: str
    export: bool = True
    private: bool = False


@dataclass(frozen=True)
class NotPersonal:
    why: str


Declaration = Erase | Pseudonymise | Scrub | Keep


@dataclass(frozen=True)
class Holding:
    """Rows of one model that hold a person's data."""

    key: str  # in the download
    title: str  # its heading in the PDF
    model: str  # "app_label.ModelName"
    whose: str | Callable[[Person], Q] | None  # lookup to the User; None: handled in code
    fields: dict[str, Declaration]
    parent: tuple[str, str] | None = None  # (parent holding's key, this model's foreign key)
    many: bool = True
    # "update" (erase the fields), "delete" (the rows go), or the name of a step in
    # `programme.personal_data` that does what a plain update cannot.
    on_erase: str = "update"
    why: str = ""  # why the rows are deleted, or what the step does
    # Extra values downloaded with each row: key -> (label, dotted path from the row).
    context: dict[str, tuple[str, str]] = field(default_factory=dict)
    export: bool = True
    # Short rows shown as one table with a column per field, rather than a table per row.
    columns: bool = False
    # Labels in the PDF where the field's own name would not say it.
    labels: dict[str, str] = field(default_factory=dict)

    def q(self, person: Person) -> Q:
        if callable(self.whose):
            return self.whose(person)
        return Q(**{self.whose: person.user.pk})

    @property
    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)

    def exported(self) -> list[str]:
        return [name for name, d in self.fields.items() if getattr(d, "export", False)]


STATUS = "a status: the cohort's counts and the commitments are read from it"
WHEN = "a date: the commitments and the cohort's counts are read from it"
WHO = "who decided or did it: the decision stays, under their name (or 'Erased person')"
CHOICE = "a choice from a list, not words: counted in the cohort's figures"
TYPED = "words they typed"
ABOUT_THEM = "words others wrote about them"
HOST = "a host's contact details, given for this person's placement"
WRITTEN = "words they wrote on someone else's record"
EQUALITY = "an equality monitoring answer: read by nobody but them, counted only in fives"
SAFEGUARDING = (
    "a safeguarding record: kept as written, under the partnership's safeguarding retention"
)
ERASED_REQUIRED = Erase(ERASED_TEXT, TYPED)
ERASED_BLANK = Erase("", TYPED)
ERASED_COMMENT = Erase("", ABOUT_THEM)


def _nominated(person: Person) -> Q:
    """Their Expressions of Interest, including one they were nominated for by email and
    never claimed."""
    return Q(applicant=person.user.pk) | Q(applicant__isnull=True, nominee_email__in=person.emails)


def _eoi_events(person: Person) -> Q:
    return Q(eoi__applicant=person.user.pk) | Q(
        eoi__applicant__isnull=True, eoi__nominee_email__in=person.emails
    )


def _written_by(lookup: str, subject: str) -> Callable[[Person], Q]:
    """Rows they wrote on another person's record (their own are in their own sections)."""

    def q(person: Person) -> Q:
        return Q(**{lookup: person.user.pk}) & ~Q(**{subject: person.user.pk})

    return q


def _password(person: Person) -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(None)


HOLDINGS: list[Holding] = [
    Holding(
        "you",
        "You",
        "participants.User",
        "pk",
        {
            "email": Erase(lambda p: p.erased_email, "their address; the account stays"),
            "full_name": Erase(ERASED_NAME, "their name"),
            "password": Erase(
                _password,
                "a one-way hash of the password, of no use to anyone who reads it",
                export=False,
            ),
            "date_joined": Keep(WHEN),
            "last_login": Keep(WHEN),
            "is_active": Erase(False, "an erased person cannot sign in", export=False),
            "is_programme_manager": Erase(False, "an erased person holds no role"),
            "is_staff": Erase(False, "an erased person holds no role", export=False),
            "is_superuser": Erase(False, "an erased person holds no role", export=False),
        },
        many=False,
    ),
    Holding(
        "email_addresses",
        "Email addresses",
        "account.EmailAddress",
        "user",
        {"email": Erase(why=TYPED), "verified": Keep(STATUS), "primary": Keep(STATUS)},
        on_erase="delete",
        why="sign-in addresses: nothing counts them",
        columns=True,
    ),
    Holding(
        "email_confirmations",
        "Email confirmations",
        "account.EmailConfirmation",
        "email_address__user",
        {"key": Erase(why="a one-time key sent to their address", export=False)},
        on_erase="delete",
        why="one-time keys",
        export=False,
    ),
    Holding(
        "two_factor",
        "Two-factor authentication",
        "mfa.Authenticator",
        "user",
        {
            "type": Keep("which kind of authenticator"),
            "data": Erase(
                None, "the authenticator's secret and recovery codes: never shown", export=False
            ),
            "created_at": Keep(WHEN),
            "last_used_at": Keep(WHEN),
        },
        on_erase="delete",
        why="an erased person cannot sign in",
        columns=True,
    ),
    Holding(
        "single_sign_on",
        "Single sign-on",
        "socialaccount.SocialAccount",
        "user",
        {
            "provider": Keep("which organisation's sign-in service"),
            "uid": Erase(why="their identifier at their organisation's sign-in service"),
            "last_login": Keep(WHEN),
            "date_joined": Keep(WHEN),
            "extra_data": Erase(
                why="what their organisation's sign-in service said about them", export=False
            ),
        },
        on_erase="delete",
        why="an erased person cannot sign in",
        columns=True,
    ),
    Holding(
        "single_sign_on_tokens",
        "Single sign-on tokens",
        "socialaccount.SocialToken",
        "account__user",
        {
            "token": Erase(why="a key to their organisation's account: never stored", export=False),
            "token_secret": Erase(why="a key to their organisation's account", export=False),
            "expires_at": Keep(WHEN),
        },
        on_erase="delete",
        why="keys to their organisation's account (SOCIALACCOUNT_STORE_TOKENS is off)",
        export=False,
    ),
    Holding(
        "sessions",
        "Sessions",
        "sessions.Session",
        None,
        {
            "session_key": Erase(why="a signed-in browser", export=False),
            "session_data": Erase(why="a signed-in browser's state", export=False),
        },
        on_erase="end_sessions",
        why="every session signed in as them is ended",
        export=False,
    ),
    Holding(
        "participations",
        "Your cohorts",
        "participants.Participant",
        "user",
        {
            "cohort": Keep("which cohort: its counts"),
            "organisation": Keep("the employer: the cohort's counts and network"),
            "profession": ERASED_REQUIRED,
            "job_title": ERASED_REQUIRED,
            "line_manager": Keep(WHO),
            "sponsor": Keep(WHO),
            "briefing_attended": Keep("attendance: the briefing commitment"),
            "workshop_attended": Keep("attendance: the workshop commitment"),
            "show_email_to_peers": Keep("their choice: whether peers see their email"),
        },
    ),
    Holding(
        "expressions_of_interest",
        "Expressions of Interest",
        "participants.ExpressionOfInterest",
        _nominated,
        {
            "cohort": Keep("which cohort: the applications' counts"),
            "organisation": Keep("the employer: places are counted per employer"),
            # Kept set to the erased address: a database rule asks for an applicant or a
            # nominee's address on every Expression of Interest.
            "nominee_email": Erase(lambda p: p.erased_email, TYPED),
            "profession": ERASED_BLANK,
            "registration_body": ERASED_BLANK,
            "registration_number": ERASED_BLANK,
            "job_title": ERASED_BLANK,
            "band": ERASED_BLANK,
            "qualified_on": Erase(None, "a date they gave"),
            "performing_well": Erase(None, "an answer they gave"),
            "last_appraisal_on": Erase(None, "a date they gave"),
            "aiming_senior": Erase(None, "an answer they gave"),
            "senior_role": ERASED_BLANK,
            "why": ERASED_BLANK,
            "discussed_with_line_manager": Keep("a box ticked"),
            "line_manager_email": Erase("", "their line manager's address, which they typed"),
            "status": Keep(STATUS),
            "submitted_at": Keep(WHEN),
            "support": Keep(STATUS),
            "support_comment": ERASED_COMMENT,
            "support_by": Keep(WHO),
            "support_at": Keep(WHEN),
            "shortlisted": Keep(STATUS),
            "decision": Keep(STATUS),
            "decision_reason": ERASED_COMMENT,
            "decided_by": Keep(WHO),
            "decided_at": Keep(WHEN),
        },
    ),
    Holding(
        "events",
        "History",
        "participants.EOIEvent",
        _eoi_events,
        {"action": Keep(STATUS), "by": Keep(WHO), "at": Keep(WHEN), "comment": ERASED_COMMENT},
        parent=("expressions_of_interest", "eoi_id"),
        columns=True,
    ),
    Holding(
        "equality_monitoring",
        "Equality monitoring",
        "participants.EqualityMonitoring",
        _eoi_events,
        {
            name: Erase("", EQUALITY, private=True)
            for name in (
                "age_band",
                "sex",
                "gender_same_as_birth",
                "sexual_orientation",
                "ethnic_group",
                "religion",
                "disability",
                "pregnancy_maternity",
                "marriage_civil_partnership",
            )
        }
        | {"updated_at": Keep(WHEN)},
        parent=("expressions_of_interest", "eoi_id"),
        on_erase="delete",
        why="optional equality monitoring answers: only the applicant ever reads their own, and "
        "the counts of five or more they made are worked out afresh",
    ),
    Holding(
        "sponsor_meetings",
        "Meetings with your sponsor",
        "participants.SponsorMeeting",
        "participant__user",
        {"met_on": Keep(WHEN), "notes": ERASED_COMMENT, "recorded_by": Keep(WHO)},
        parent=("participations", "participant_id"),
    ),
    Holding(
        "shared_contacts",
        "Contacts your sponsor shared",
        "participants.SharedContact",
        "participant__user",
        {
            "organisation": Keep("the organisation"),
            "name": Erase(why=HOST),
            "role": Erase(why=HOST),
            "email": Erase(why=HOST),
            "phone": Erase(why=HOST),
            "note": Erase(why=ABOUT_THEM),
            "shared_by": Keep(WHO),
        },
        parent=("participations", "participant_id"),
        on_erase="delete",
        why="contacts shared for their placements: nothing counts them",
    ),
    Holding(
        "workshop_consent",
        "What you chose to share in the workshop pack",
        "participants.WorkshopConsent",
        "participant__user",
        {
            "include": Erase(False, "nothing of an erased person is shared"),
            "include_learning": Erase(False, "nothing of an erased person is shared"),
            "include_initiative": Erase(False, "nothing of an erased person is shared"),
            "include_ideas": Erase(False, "nothing of an erased person is shared"),
            "updated_at": Keep(WHEN),
        },
        parent=("participations", "participant_id"),
        many=False,
    ),
    Holding(
        "placements",
        "Placements",
        "placements.Placement",
        "participant__user",
        {
            "organisation": Keep("the host: the placements and network counts"),
            "contact_name": Erase(ERASED_TEXT, HOST),
            "contact_role": Erase("", HOST),
            "contact_email": Erase("", HOST),
            "contact_phone": Erase("", HOST),
            "relevance_services": ERASED_BLANK,
            "relevance_interfaces": ERASED_BLANK,
            "relevance_career": ERASED_BLANK,
            "status": Keep(STATUS),
            "outcomes_status": Keep(STATUS),
            "outcomes_first_approved_at": Keep(WHEN),
            "created_at": Keep(WHEN),
        },
        parent=("participations", "participant_id"),
    ),
    Holding(
        "learning_outcomes",
        "Learning outcomes",
        "placements.LearningOutcome",
        "placement__participant__user",
        {"text": ERASED_REQUIRED, "position": Keep("their order")},
        parent=("placements", "placement_id"),
        columns=True,
    ),
    Holding(
        "outcomes_decisions",
        "Learning outcomes: submissions and decisions",
        "placements.OutcomesDecision",
        "placement__participant__user",
        {
            "action": Keep(STATUS),
            "by": Keep(WHO),
            "at": Keep(WHEN),
            "comment": ERASED_COMMENT,
            "outcomes_snapshot": Erase([], "their learning outcomes as they stood"),
        },
        parent=("placements", "placement_id"),
    ),
    Holding(
        "half_days",
        "Half-days",
        "placements.HalfDay",
        "participant__user",
        {
            "date": Keep(WHEN),
            "session": Keep(CHOICE),
            "starts_at": Keep("a time: the calendar, and the overlap rule"),
            "ends_at": Keep("a time: the calendar, and the overlap rule"),
            "location": ERASED_BLANK,
            "person_met": Pseudonymise(
                "a host's name: replaced by a key shared by everyone who met the same "
                "name, so the evaluation's count of people met is unchanged"
            ),
            "level": Keep(CHOICE),
            "pathway_connection": ERASED_BLANK,
            "status": Keep(STATUS),
            "completed_at": Keep(WHEN),
            "confirmed_at": Keep(WHEN),
            "confirmed_by_name": Erase("", HOST),
        },
        parent=("placements", "placement_id"),
    ),
    # Checks before the first visit (issue #20): that a check was done stays (the first
    # half-day's rule read it); who confirmed it and the note go with the participant's records.
    Holding(
        "clearances",
        "Checks before the first visit",
        "placements.ClearanceRecord",
        "placement__participant__user",
        {
            "kind": Keep(CHOICE),
            "confirmed_by": Keep(WHO),
            "confirmed_by_name": Erase(ERASED_TEXT, "the name of who confirmed a check"),
            "confirmed_on": Keep(WHEN),
            "note": ERASED_BLANK,
            "recorded_at": Keep(WHEN),
        },
        parent=("placements", "placement_id"),
    ),
    # Feedback both ways (issue #20). The participant's on the host is their data: the comment
    # goes on erasure, the rating stays (a choice, counted in the report's figures by sector,
    # anonymous once everything around it is erased). The host person's on the participant is
    # about the participant: they download it, and it goes with their records; the host person
    # downloads what they wrote (below), and it goes if they are erased.
    Holding(
        "host_feedback",
        "Your feedback on your hosts",
        "placements.HostFeedback",
        "placement__participant__user",
        {
            "rating": Keep(CHOICE),
            "comment": ERASED_BLANK,
            "given_at": Keep(WHEN),
        },
        parent=("placements", "placement_id"),
        many=False,
    ),
    Holding(
        "feedback_from_host",
        "Feedback from your host",
        "placements.ParticipantFeedback",
        "placement__participant__user",
        {
            "comment": Erase(ERASED_TEXT, ABOUT_THEM),
            "by": Keep(WHO),
            "given_at": Keep(WHEN),
        },
        parent=("placements", "placement_id"),
        many=False,
    ),
    Holding(
        "reflective_account",
        "Reflective account",
        "reflections.ReflectiveAccount",
        "participant__user",
        {
            "framework": Keep(CHOICE),
            "status": Keep(STATUS),
            "answers": Erase({}, TYPED, private=True),
            "outcome_ratings": Erase({}, TYPED, private=True),
            "code_themes": Erase([], "their choices", private=True),
            "principles": Erase([], "their choices", private=True),
            "workshop_learning": Erase("", TYPED, private=True),
            "shared_version": Erase(None, "the copy their line manager reads", private=True),
            "shared_at": Keep(WHEN),
            "discussed_on": Keep(WHEN),
        },
        parent=("placements", "placement_id"),
        many=False,
    ),
    Holding(
        "events",
        "Sharing and discussion",
        "reflections.AccountEvent",
        "account__participant__user",
        {
            "action": Keep(STATUS),
            "by": Keep(WHO),
            "at": Keep(WHEN),
            "comment": Erase("", ABOUT_THEM, private=True),
            "discussed_on": Keep(WHEN),
        },
        parent=("reflective_account", "account_id"),
    ),
    Holding(
        "mid_programme_review",
        "Mid-programme review",
        "reflections.MidProgrammeReview",
        "participant__user",
        {
            "held_on": Keep(WHEN),
            # Private like a reflective account: the participant and their line manager only.
            "going_well": Erase(ERASED_TEXT, ABOUT_THEM, private=True),
            "help_needed": Erase("", ABOUT_THEM, private=True),
            "plan": Erase(ERASED_TEXT, ABOUT_THEM, private=True),
            "recorded_by": Keep(WHO),
        },
        parent=("participations", "participant_id"),
        many=False,
    ),
    Holding(
        "improvement_initiative",
        "Service improvement initiative",
        "improvements.ImprovementInitiative",
        "participant__user",
        {
            "title": ERASED_REQUIRED,
            "problem": ERASED_REQUIRED,
            "aim": ERASED_REQUIRED,
            "measures_summary": ERASED_REQUIRED,
            "change_ideas": ERASED_REQUIRED,
            "kind": Keep(CHOICE),
            "teams": ERASED_BLANK,
            "principles": Keep("their choices from the six principles: the report's counts"),
            "status": Keep(STATUS),
            # A stopped initiative must say why (a database rule): "(erased)" then.
            "stopped_reason": Erase(
                Case(When(status="stopped", then=Value(ERASED_TEXT)), default=Value("")), TYPED
            ),
            "progress_score": Keep("a score: the initiatives' figures"),
            "agreement": Keep(STATUS),
            "agreed_first_at": Keep(WHEN),
            "outcome_what_changed": ERASED_BLANK,
            "outcome_for_whom": ERASED_BLANK,
            "outcome_evidence": ERASED_BLANK,
            "outcome_learning": ERASED_BLANK,
            "outcome_sustain": ERASED_BLANK,
            "i2i_ideas": ERASED_BLANK,
            "co_production": ERASED_BLANK,
            "estimated_cost": Keep("an estimate: summed in the evaluation report"),
            "estimated_money_saved": Keep("an estimate: summed in the evaluation report"),
            "estimated_hours_saved": Keep("an estimate: summed in the evaluation report"),
            "estimate_notes": ERASED_BLANK,
            "reviewed_at": Keep(WHEN),
        },
        parent=("participations", "participant_id"),
        many=False,
    ),
    Holding(
        "decisions",
        "Agreement: submissions and decisions",
        "improvements.AgreementDecision",
        "initiative__participant__user",
        {"action": Keep(STATUS), "by": Keep(WHO), "at": Keep(WHEN), "comment": ERASED_COMMENT},
        parent=("improvement_initiative", "initiative_id"),
        columns=True,
    ),
    Holding(
        "pdsa_cycles",
        "PDSA cycles",
        "improvements.PDSACycle",
        "initiative__participant__user",
        {
            "number": Keep("its number"),
            "change": ERASED_REQUIRED,
            "prediction": ERASED_REQUIRED,
            "starts_on": Keep(WHEN),
            "do_notes": ERASED_BLANK,
            "study_notes": ERASED_BLANK,
            "act": Keep(CHOICE),
            "next_steps": ERASED_BLANK,
            "ends_on": Keep(WHEN),
        },
        parent=("improvement_initiative", "initiative_id"),
    ),
    Holding(
        "measures",
        "Measures",
        "improvements.Measure",
        "initiative__participant__user",
        {
            "name": ERASED_REQUIRED,
            "definition": ERASED_REQUIRED,
            "unit": ERASED_BLANK,
            "kind": Keep(CHOICE),
            "about_experience": Keep(CHOICE),
            "direction": Keep("the run chart's signals, counted in the evaluation"),
            "baseline": Keep("a number: the run chart's signals"),
            "target": Keep("a number: the run chart's signals"),
        },
        parent=("improvement_initiative", "initiative_id"),
    ),
    Holding(
        "data_points",
        "Data",
        "improvements.DataPoint",
        "measure__initiative__participant__user",
        {
            "date": Keep("the run chart's signals, counted in the evaluation"),
            "value": Keep("the run chart's signals, counted in the evaluation"),
            "note": ERASED_BLANK,
            "phase_label": ERASED_BLANK,  # the change, in their words; the phase stays
        },
        parent=("measures", "measure_id"),
        columns=True,
    ),
    Holding(
        "service_user_feedback",
        "Feedback from service users or patients",
        "improvements.ServiceUserFeedback",
        "initiative__participant__user",
        {
            "question": ERASED_REQUIRED,
            "how_many": Keep("a number: how many answered"),
            "summary": ERASED_REQUIRED,
            "collected_on": Keep(WHEN),
        },
        parent=("improvement_initiative", "initiative_id"),
    ),
    Holding(
        "team_members",
        "Your initiative's team",
        "improvements.TeamMember",
        "initiative__participant__user",
        {
            # Third parties' names, given for this person's initiative, as shared contacts.
            "name": Erase(ERASED_TEXT, "a team member's name, given for their initiative"),
            "role": Erase("", "a team member's role, given for their initiative"),
            "organisation": Keep("the organisation: a link in the cohort's network"),
            "position": Keep("their order"),
        },
        parent=("improvement_initiative", "initiative_id"),
        columns=True,
    ),
    Holding(
        "implementation_milestones",
        "Implementation plan",
        "improvements.ImplementationMilestone",
        "initiative__participant__user",
        {
            "title": ERASED_REQUIRED,
            "due_on": Keep(WHEN),
            "status": Keep(STATUS),
            "done_on": Keep(WHEN),
        },
        parent=("improvement_initiative", "initiative_id"),
        columns=True,
    ),
    Holding(
        "driver_diagram",
        "Driver diagram",
        "improvements.DriverNode",
        "initiative__participant__user",
        {
            "level": Keep("where the line stands: primary, secondary or change idea"),
            "text": Erase(why=TYPED),
        },
        parent=("improvement_initiative", "initiative_id"),
        on_erase="delete",
        why="the words they typed; no figure reads them, so the lines go",
        columns=True,
    ),
    Holding(
        "attachments",
        "Files that show the change",
        "improvements.Attachment",
        "initiative__participant__user",
        {
            "name": Erase(why="the file's name, as they gave it"),
            "description": Erase(why=TYPED),
            "content_type": Keep("what kind of file it was"),
            "size": Keep("the file's size"),
            "uploaded_at": Keep(WHEN),
            "file": Erase(why="a file they added", export=False),
        },
        parent=("improvement_initiative", "initiative_id"),
        on_erase="delete_attachments",
        why="the files they added are deleted from storage, with their rows",
        columns=True,
    ),
    Holding(
        "self_assessments",
        "Self-assessment",
        "evaluation.SelfAssessment",
        "participant__user",
        {"moment": Keep(CHOICE), "submitted_at": Keep(WHEN)},
        parent=("participations", "participant_id"),
    ),
    Holding(
        "answers",
        "Answers",
        "evaluation.SelfAssessmentAnswer",
        "assessment__participant__user",
        {"value": Keep("a score: the cohort's before and after figures", private=True)},
        parent=("self_assessments", "assessment_id"),
        context={"question": ("Question", "item.question")},
        columns=True,
    ),
    Holding(
        "follow_ups",
        "Follow-up questionnaire",
        "evaluation.FollowUp",
        "participant__user",
        {
            "moment": Keep(CHOICE),
            "role": Erase(ERASED_TEXT, TYPED, private=True),
            "band": Keep(CHOICE, private=True),
            "promoted": Keep(CHOICE),
            "same_employer": Keep(CHOICE),
            "contacts": Keep("a number: the cohort's follow-up figures", private=True),
            "learning_use": Erase("", TYPED, private=True),
            "submitted_at": Keep(WHEN),
        },
        parent=("participations", "participant_id"),
        labels={"learning_use": "How you use what you learned"},
    ),
    Holding(
        "notifications",
        "Emails sent to you",
        "i2i.Notification",
        "recipient",
        {
            "sent_at": Keep(WHEN),
            "kind": Keep("which reminder"),
            "key": Keep("names the event, so that a reminder is never sent twice", export=False),
            "subject": Erase(ERASED_TEXT, "an email to them"),
            "body": Erase("", "an email to them"),
            "url": Keep("a link to a page, by number"),
            "failed_at": Keep("when the mail server refused it"),
            "failure": Keep("why the mail server refused it"),
        },
    ),
    Holding(
        "announcements_received",
        "Announcements sent to you",
        "i2i.AnnouncementRecipient",
        "recipient",
        {"read_at": Keep("when they marked it read: the programme manager's count of readers")},
        context={
            "subject": ("Subject", "announcement.subject"),
            "sent_at": ("Sent", "announcement.sent_at"),
        },
        columns=True,
    ),
    Holding(
        "announcements_written",
        "Announcements you wrote",
        "i2i.Announcement",
        "sent_by",
        {
            "cohort": Keep("which cohort it went to"),
            "audience": Keep(CHOICE),
            "subject": Keep(
                "the programme's message to a cohort, kept for the people it was sent to"
            ),
            "body": Keep("the programme's message to a cohort, kept for the people it was sent to"),
            "sent_at": Keep(WHEN),
        },
    ),
    Holding(
        "notifications_about",
        "Emails to others about them",
        "i2i.Notification",
        None,
        {"subject": Scrub("another person's email: kept"), "body": Scrub("another person's email")},
        on_erase="scrub_notifications",
        why="emails to others (their line manager's reminders) keep their wording without "
        "the person's name or address",
        export=False,
    ),
    Holding(
        "activity",
        "Your sign-ins and actions",
        "i2i.AuditEvent",
        "actor",
        {
            "at": Keep(WHEN),
            "action": Keep("what was done: the audit trail"),
            "actor_label": Scrub("their address", export=False),
            "target": Scrub("what it was done to"),
            "detail": Scrub("the particulars"),
            "ip": Erase(None, "the address they signed in from"),
        },
        columns=True,
        labels={"at": "When", "target": "To what", "detail": "Particulars", "ip": "From"},
    ),
    Holding(
        "audit_about",
        "The audit trail",
        "i2i.AuditEvent",
        None,
        {
            "actor_label": Scrub("the audit trail keeps every event, without their name"),
            "target": Scrub("the audit trail keeps every event, without their name"),
            "detail": Scrub("comments on their records are erased with the records"),
        },
        on_erase="scrub_audit",
        why="every event is kept; their name and addresses are replaced, and comments on "
        "their records are erased",
        export=False,
    ),
    Holding(
        "admin_log",
        "The admin's log",
        "admin.LogEntry",
        None,
        {
            "object_repr": Scrub("names what was changed in the admin"),
            "change_message": Scrub("says what changed"),
        },
        on_erase="scrub_admin_log",
        why="the admin's log keeps every change, without their name",
        export=False,
    ),
    Holding(
        "files",
        "Files you made",
        "i2i.Job",
        "owner",
        {
            "title": Keep("what the file is"),
            "kind": Keep("what the file is"),
            "status": Keep(STATUS),
            "created_at": Keep(WHEN),
            "filename": Erase(why="a file holding their data", export=False),
            "file": Erase(why="a file holding their data", export=False),
            "params": Erase(why="what the file was made from", export=False),
            "message": Keep("the progress message", export=False),
        },
        on_erase="delete_files",
        why="every file that holds them is deleted (their own, the account PDFs and data "
        "exports of others that hold their words, and their cohorts' workshop packs and "
        "evaluation reports); the programme manager is told which, to make them again",
        columns=True,
    ),
    Holding(
        "file_parts",
        "Parts of files being made",
        "i2i.JobPart",
        "job__owner",
        {
            "spec": Erase(why="which people's sections a part holds", export=False),
            "pdf": Erase(why="a part of a file holding their data", export=False),
            "anchors": Erase(why="where each person's section is in the file", export=False),
            "status": Keep(STATUS, export=False),
            "laid_out_by": Keep("which worker laid the part out", export=False),
        },
        on_erase="delete",
        why="a part lives only while its file is made, and goes with its file (deleting a "
        "file, as above, deletes its parts)",
        export=False,
    ),
    # What they wrote on other people's records, as a line manager, sponsor or education lead.
    Holding(
        "outcomes_decisions_written",
        "Your comments on others' learning outcomes",
        "placements.OutcomesDecision",
        _written_by("by", "placement__participant__user"),
        {"action": Keep(STATUS), "at": Keep(WHEN), "comment": Erase("", WRITTEN)},
        columns=True,
    ),
    Holding(
        "account_events_written",
        "Your comments on others' reflective accounts",
        "reflections.AccountEvent",
        _written_by("by", "account__participant__user"),
        {"action": Keep(STATUS), "at": Keep(WHEN), "comment": Erase("", WRITTEN, private=True)},
        columns=True,
    ),
    Holding(
        "initiative_decisions_written",
        "Your comments on others' improvement initiatives",
        "improvements.AgreementDecision",
        _written_by("by", "initiative__participant__user"),
        {"action": Keep(STATUS), "at": Keep(WHEN), "comment": Erase("", WRITTEN)},
        columns=True,
    ),
    Holding(
        "eoi_events_written",
        "Your comments on others' Expressions of Interest",
        "participants.EOIEvent",
        _written_by("by", "eoi__applicant"),
        {"action": Keep(STATUS), "at": Keep(WHEN), "comment": Erase("", WRITTEN)},
        columns=True,
    ),
    Holding(
        "eoi_support_written",
        "Your support for others' Expressions of Interest",
        "participants.ExpressionOfInterest",
        _written_by("support_by", "applicant"),
        {
            "support": Keep(STATUS),
            "support_at": Keep(WHEN),
            "support_comment": Erase("", WRITTEN),
        },
        columns=True,
    ),
    Holding(
        "eoi_decisions_written",
        "Your reasons for selection decisions",
        "participants.ExpressionOfInterest",
        _written_by("decided_by", "applicant"),
        {
            "decision": Keep(STATUS),
            "decided_at": Keep(WHEN),
            "decision_reason": Erase("", WRITTEN),
        },
        columns=True,
    ),
    Holding(
        "participant_feedback_written",
        "Your feedback for visitors you hosted",
        "placements.ParticipantFeedback",
        _written_by("by", "placement__participant__user"),
        {"given_at": Keep(WHEN), "comment": Erase(ERASED_TEXT, WRITTEN)},
        columns=True,
    ),
    Holding(
        "sponsor_meetings_written",
        "Notes of meetings you held as a sponsor",
        "participants.SponsorMeeting",
        _written_by("recorded_by", "participant__user"),
        {"met_on": Keep(WHEN), "notes": Erase("", WRITTEN)},
        columns=True,
    ),
    Holding(
        "mid_programme_reviews_written",
        "Mid-programme reviews you recorded",
        "reflections.MidProgrammeReview",
        _written_by("recorded_by", "participant__user"),
        {
            "held_on": Keep(WHEN),
            "going_well": Erase(ERASED_TEXT, WRITTEN, private=True),
            "help_needed": Erase("", WRITTEN, private=True),
            "plan": Erase(ERASED_TEXT, WRITTEN, private=True),
        },
    ),
    # Concerns about placements (issue #20) are safeguarding records: kept as written when the
    # raiser or the participant is erased (their account becomes "Erased person"), because
    # the partnership may need them long after; what happened and who said it is the record.
    # The raiser downloads the concerns they raised; the participant's download leaves out
    # concerns about them (as `access.visible_concerns` does): the programme manager decides
    # what to disclose, as safeguarding practice asks.
    Holding(
        "concerns_raised",
        "Concerns you raised",
        "placements.Concern",
        "raised_by",
        {
            "kind": Keep(CHOICE),
            "description": Keep(SAFEGUARDING),
            "raised_as": Keep("their role in the placement when they raised it"),
            "raised_at": Keep(WHEN),
            "status": Keep(STATUS),
            "outcome": Keep(SAFEGUARDING, export=False),
        },
        columns=True,
    ),
    Holding(
        "concerns_about_you",
        "Concerns about your placements",
        "placements.Concern",
        "placement__participant__user",
        {
            "kind": Keep(CHOICE, export=False),
            "description": Keep(SAFEGUARDING, export=False),
            "outcome": Keep(SAFEGUARDING, export=False),
        },
        export=False,
    ),
    Holding(
        "concern_steps_written",
        "Steps you recorded on concerns",
        "placements.ConcernStep",
        "by",
        {
            "action": Keep(STATUS),
            "at": Keep(WHEN),
            "comment": Keep(SAFEGUARDING, export=False),
        },
        columns=True,
    ),
    Holding(
        "admin_changes",
        "Changes you made in the admin",
        "admin.LogEntry",
        "user",
        {
            "action_time": Keep(WHEN),
            "object_repr": Scrub("names what was changed"),
            "change_message": Scrub("says what changed"),
        },
        on_erase="scrub_admin_log",
        why="the changes they made stay, under 'Erased person'",
        columns=True,
    ),
]

# Fields that hold nobody's data.
NOT_PERSONAL: dict[str, dict[str, NotPersonal]] = {
    "admin.LogEntry": {"object_id": NotPersonal("a record's number")},
    "auth.Permission": {
        "name": NotPersonal("a permission"),
        "codename": NotPersonal("a permission"),
    },
    "auth.Group": {"name": NotPersonal("a group of permissions")},
    "socialaccount.SocialApp": {
        name: NotPersonal("a single sign-on provider's configuration")
        for name in ("provider", "provider_id", "name", "client_id", "secret", "key", "settings")
    },
    "contenttypes.ContentType": {
        "app_label": NotPersonal("a kind of record"),
        "model": NotPersonal("a kind of record"),
    },
    "participants.Organisation": {
        name: NotPersonal("an organisation, not a person")
        for name in (
            "name",
            "name_key",
            "sector",
            "town",
            "website",
            "ods_code",
            "cqc_location_id",
            "address",
            "postcode",
            "required_clearances",
        )
    },
    "placements.PlacementOffer": {
        name: NotPersonal("a host's offer: a service, its place and the roles a visitor meets")
        for name in ("title", "description", "location", "who_you_meet", "clearances")
    },
    "participants.Cohort": {
        name: NotPersonal("the cohort's arrangements")
        for name in ("name", "briefing_place", "workshop_place", "workshop_agenda", "status")
    },
    "evaluation.SelfAssessmentItem": {
        name: NotPersonal("the cohort's questions")
        for name in ("key", "kind", "question", "short_label", "scale_labels")
    },
}


def holdings_of(label: str) -> list[Holding]:
    return [h for h in HOLDINGS if h.model == label]


def declaration(label: str, name: str) -> Declaration | NotPersonal | None:
    """How the registry treats one field (its first declaration, if several holdings name it)."""
    for holding in holdings_of(label):
        if name in holding.fields:
            return holding.fields[name]
    return NOT_PERSONAL.get(label, {}).get(name)


def private_fields(label: str) -> set[str]:
    """Fields only the person (and for accounts their line manager) may read: never to be
    searched, filtered or ordered on where others could see the answer."""
    return {
        name
        for holding in holdings_of(label)
        for name, d in holding.fields.items()
        if getattr(d, "private", False)
    }


def private_field_labels() -> set[str]:
    """Every private field as "app.Model.field", for the admin to hide and never look up."""
    return {
        f"{holding.model}.{name}" for holding in HOLDINGS for name in private_fields(holding.model)
    }
