"""A fictional region for load tests and benchmarks (`manage.py generate --participants N`).

The pages' cost depends on the shape of the data (placements per participant, half-days,
accounts, measures), so a load test needs a region that looks like a real one: cohorts of
up to 250, three or four placements each with different hosts, learning outcomes approved
before the first half-day, half-days one a week inside the window, reflective accounts in
each framework's answer format, improvement initiatives with PDSA cycles and run-chart data,
and workshop consent so that a workshop pack has sections.

It writes with `bulk_create` in batches (1,000 participants in seconds on PostgreSQL) and
inside one transaction, so a failure leaves nothing behind. Every person is "Participant
0001"-style and every email address is at generate.example (reserved, never delivered);
every account gets the same password, hashed once, and a verified primary email address so
that it can sign in through allauth. A seed makes the region reproducible and tags its email
addresses, so a second run with the same seed is refused rather than duplicated, and a run
with another seed adds a second region beside the first (sharing the organisations).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from evaluation.items import DEFAULT_ITEMS
from evaluation.models import SelfAssessment, SelfAssessmentAnswer, SelfAssessmentItem
from i2i import rules
from improvements.models import (
    AgreementDecision,
    DataPoint,
    ImprovementInitiative,
    Measure,
    PDSACycle,
)
from participants.models import (
    Cohort,
    CohortPlaces,
    EducationLead,
    Organisation,
    Participant,
    Sector,
    SponsorMeeting,
    User,
    WorkshopConsent,
)
from placements.models import (
    TYPICAL_TIMES,
    ClearanceRecord,
    HalfDay,
    LearningOutcome,
    OutcomesDecision,
    Placement,
    PlacementOffer,
)
from reflections.frameworks import FRAMEWORKS, NMC_THEMES, OUTCOME_RATINGS, PRINCIPLES
from reflections.models import AccountEvent, ReflectiveAccount

DOMAIN = "generate.example"
DEFAULT_PASSWORD = "i2i-generate-2026"
DEFAULT_SEED = 2026
COHORT_SIZE = 250
BATCH = 2000
CURRENT_COHORT_WEEKS = 10  # the running cohort started this many weeks ago

# Invented towns: the organisations' names are fictional too.
TOWNS = (
    "Aldermere",
    "Brackenholt",
    "Corvington",
    "Dunmarsh",
    "Elverby",
    "Foxhallow",
    "Greywater",
    "Hollinsford",
    "Kestrelby",
    "Lindenmoor",
)
EMPLOYER_KINDS = (
    ("{town} Hospitals NHS Foundation Trust", Sector.ACUTE),
    ("{town} Council Adult Social Care", Sector.SOCIAL_CARE),
    ("{town} Community Health Services", Sector.COMMUNITY),
    ("{town} Mental Health NHS Trust", Sector.MENTAL_HEALTH),
    ("{town} Therapy and Rehabilitation Service", Sector.ALLIED_HEALTH),
)
HOST_KINDS = (
    ("{town} Lane Medical Practice", Sector.GP_PRACTICE),
    ("{town} House Care Home", Sector.CARE_SECTOR),
    ("{town} Neighbourhood Policing Team", Sector.POLICE),
    ("{town} Carers' Network (charity)", Sector.PVI),
    ("{town} District Council Housing Options", Sector.LOCAL_GOVERNMENT),
    ("{town} Homes Housing Association", Sector.HOUSING),
    ("HMP {town}", Sector.PRISONS),
    ("{town} Fire and Rescue Service", Sector.OTHER),
    ("{town} Urgent Treatment Centre", Sector.ACUTE),
    ("{town} Reablement Team", Sector.SOCIAL_CARE),
    ("{town} Hospice at Home", Sector.COMMUNITY),
    ("{town} Crisis Café", Sector.MENTAL_HEALTH),
)
EMPLOYERS = 20
HOSTS = 60
THEMES = (
    "Discharge and flow",
    "Living well at home",
    "Frailty",
    "Mental health crisis",
    "Carers",
    "Falls prevention",
)
PROFESSIONS = (
    ("Nursing", "Staff nurse (Band 5)"),
    ("Nursing", "Discharge coordinator (Band 6)"),
    ("Social work", "Senior social worker"),
    ("Occupational therapy", "Occupational therapist"),
    ("Physiotherapy", "Senior physiotherapist"),
    ("Mental health nursing", "Community psychiatric nurse"),
    ("Paramedic science", "Specialist paramedic"),
    ("Speech and language therapy", "Speech and language therapist"),
    ("Pharmacy", "Clinical pharmacist"),
    ("Podiatry", "Podiatrist"),
    ("Dietetics", "Dietitian"),
    ("Midwifery", "Community midwife"),
)
# (who, level): a role, never a name.
PEOPLE_MET = (
    ("Ward manager", "team_leader"),
    ("Duty social worker", "front_line"),
    ("Reablement support worker", "front_line"),
    ("Care coordinator", "team_leader"),
    ("Operations director", "senior_leader"),
    ("Reception and care navigation team", "front_line"),
    ("Practice nurse", "front_line"),
    ("Head of service", "senior_leader"),
    ("Housing officer", "front_line"),
    ("Volunteer coordinator", "other"),
    ("Safeguarding lead", "team_leader"),
    ("Night team", "front_line"),
)
CONTACT_ROLES = ("Team leader", "Service manager", "Practice manager", "Registered manager")
SITES = ("main site", "community hub", "head office", "day service", "duty office")
PATHWAY = (
    "Receives people discharged from our wards.",
    "Refers people to our service.",
    "Shares the care of people on our caseload.",
    "Supports the carers of people we see.",
    "Arranges housing for people leaving hospital.",
    "Sees people before they reach us.",
)
OUTCOMES = (
    "Understand how referrals from my service are received and prioritised at {host}.",
    "Learn what information {host} needs from us at the point of transfer.",
    "See how {host} involves families and carers in planning.",
    "Understand the pressures on {host}'s front-line staff at the start of the week.",
    "Find out who to call at {host} when a plan changes.",
    "Learn how {host} knows whether people are waiting too long.",
)
RELEVANCE = (
    "Many of the people I see are referred on to them.",
    "We share patients but rarely speak directly.",
    "I am aiming for a team leader role on this pathway.",
    "Their decisions shape how soon people leave our service.",
)
# Sentences by kind of prompt; {host} and {role} are filled in.
SENTENCES = {
    "describe": (
        "I spent the half-days with the {role} at {host}, on visits and in their team meeting.",
        "At {host} I sat in on the morning huddle and followed two referrals through.",
        "I shadowed the {role} at {host} and joined a case discussion.",
        "The team at {host} showed me how they plan the first week of support.",
    ),
    "learn": (
        "I learnt how much of their triage depends on the first phone call.",
        "Their staff chase the same missing facts we do, from the other end.",
        "I now understand why referrals sent on a Friday afternoon wait until Tuesday.",
        "The {role} explained what a good handover looks like from their side.",
    ),
    "feel": (
        "I felt like a visitor at first and then part of the team.",
        "I was surprised by how stretched the service is.",
        "It was uncomfortable to hear how our letters are read, and useful.",
    ),
    "system": (
        "Delays often start with missing information at transfer, not with capacity.",
        "People move between four organisations in a week and repeat their story each time.",
        "Nobody owns the gap between the ward and the first home visit.",
    ),
    "next": (
        "Next I want to see how community teams plan the first week at home.",
        "I want to learn how the voluntary sector picks people up after discharge.",
        "I will ask my next host how they decide who is urgent.",
    ),
    "idea": (
        "A one-page transfer summary agreed by both teams.",
        "A shared phone slot each morning for questions about new referrals.",
        "Moving our weekly meeting so their duty worker can join.",
    ),
}
PROMPT_KINDS = {
    "what_happened": "describe",
    "professional_learning": "learn",
    "personal_learning": "feel",
    "pathway_understanding": "system",
    "learn_next": "next",
    "improvement_ideas": "idea",
    "description": "describe",
    "feelings": "feel",
    "evaluation": "learn",
    "analysis": "system",
    "conclusion": "learn",
    "action_plan": "next",
    "what": "describe",
    "so_what": "learn",
    "now_what": "next",
    "nmc_nature": "describe",
    "nmc_learning": "learn",
    "nmc_change": "idea",
    "nmc_code": "system",
}
FRAMEWORK_WEIGHTS = (("i2i", 60), ("gibbs", 15), ("driscoll", 10), ("nmc", 15))
WORKSHOP_LEARNING = (
    "Small changes to what we send at transfer save a day for the receiving team.",
    "Ten minutes on the phone with the duty worker prevents a week of letters.",
    "The people we refer on repeat their story to every service; one shared summary helps.",
    "Our busiest day is their quietest: moving one meeting made handovers easier.",
)
# (title, problem, aim, measures, change ideas, kind, measure, unit, direction, baseline, target)
INITIATIVES = (
    (
        "A one-page transfer summary",
        "Referrals arrive without the facts the receiving team needs, so they phone to chase.",
        "Reduce the days from referral to first home visit from 9 to 5 within 12 weeks.",
        "Days from referral received to first home visit, each week.",
        "A one-page summary agreed by both teams, sent with every referral.",
        "forms",
        "Days from referral to first visit",
        "days",
        "lower",
        9,
        5,
    ),
    (
        "A shared morning phone slot",
        "Questions about new referrals go back and forth by email for days.",
        "Halve the emails chasing referral details within three months.",
        "Emails chasing referral details, each week.",
        "A fifteen-minute phone slot each weekday morning, staffed by both teams.",
        "communication",
        "Emails chasing referral details",
        "emails",
        "lower",
        40,
        20,
    ),
    (
        "Moving the weekly discharge meeting",
        "The community duty worker cannot join the Monday meeting, so plans change later.",
        "Have the community team at 80% of weekly discharge meetings by the spring.",
        "Meetings with the community team present, as a percentage of the month's meetings.",
        "Move the meeting to Wednesday lunchtime; send the list the day before.",
        "meeting_time",
        "Meetings attended by the community team",
        "%",
        "higher",
        25,
        80,
    ),
    (
        "A guide to the pathway for families",
        "Families do not know who to call after discharge and ring the ward.",
        "Reduce calls from families to the ward after discharge by a third.",
        "Calls from families to the ward about discharged patients, each week.",
        "A one-page guide with the numbers to call, given at discharge.",
        "guide",
        "Calls from families after discharge",
        "calls",
        "lower",
        30,
        20,
    ),
    (
        "One assessment instead of two",
        "People are assessed by two teams within a week, asking the same questions.",
        "Stop duplicate assessments for 90% of shared referrals by the summer.",
        "Shared referrals with a single assessment, as a percentage, each week.",
        "The second team reads and adds to the first team's assessment.",
        "duplication",
        "Shared referrals with one assessment",
        "%",
        "higher",
        10,
        90,
    ),
)
STOPPED_REASONS = (
    "The service was reorganised and the other team moved.",
    "A regional form replaced ours before we could test it.",
)
AGENDA = (
    "10:00 Welcome",
    "10:15 What we learnt on placement",
    "11:30 Improvement initiatives",
    "13:00 Lunch",
    "13:45 Ideas for improving I2I",
    "15:00 Close",
)


class GenerateRefused(Exception):
    """The database is not one to add a generated region to (the message says why)."""


@dataclass
class Summary:
    """What a run made, for the command to print and the load test to find its logins."""

    seed: int
    database: str
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    programme_manager: str = ""
    sample_participant: str = ""
    sample_line_manager: str = ""


def tag_for(seed: int) -> str:
    return f"s{seed}"


def generated_email(local: str, seed: int) -> str:
    return f"{local}.{tag_for(seed)}@{DOMAIN}"


def check_database(*, seed: int, force: bool = False) -> None:
    """Refuse to duplicate a seed's region, or to mix invented people with real ones: generated
    participants would appear on real dashboards and in real reminders."""
    suffix = f".{tag_for(seed)}@{DOMAIN}"
    existing = User.objects.filter(email__endswith=suffix).count()
    if existing:
        raise GenerateRefused(
            f"This database already holds a region generated with seed {seed} ({existing} "
            f"accounts ending {suffix}). Use another --seed to add a second region, or start "
            "from an empty database."
        )
    real = User.objects.exclude(email__iendswith=".example").count()
    if real and not force:
        raise GenerateRefused(
            f"This database has {real} account(s) outside the reserved .example domains, so it "
            "looks like it holds real people's records; generated participants would appear "
            "on their dashboards and reminders. Use an empty or demo database, or pass --force "
            "if this database is meant for it."
        )


def generate(
    *,
    participants: int,
    seed: int = DEFAULT_SEED,
    password: str = DEFAULT_PASSWORD,
    cohort_size: int = COHORT_SIZE,
    force: bool = False,
) -> Summary:
    """Add a fictional region of `participants` participants; returns what it made."""
    if participants < 1:
        raise GenerateRefused("Ask for at least one participant.")
    if cohort_size < 1:
        raise GenerateRefused("A cohort needs room for at least one participant.")
    began = time.perf_counter()
    check_database(seed=seed, force=force)
    builder = _Builder(seed=seed, password=password)
    with transaction.atomic(), _dated(*_DATED_MODELS):
        builder.build(participants, cohort_size)
    if connection.vendor == "postgresql":
        # As autovacuum would soon after a bulk load: plans otherwise assume empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    summary = builder.summary
    summary.seconds = time.perf_counter() - began
    return summary


# Models whose auto_now/auto_now_add timestamps are set to the simulated dates instead.
_DATED_MODELS = (
    Placement,
    OutcomesDecision,
    ReflectiveAccount,
    AccountEvent,
    ImprovementInitiative,
    AgreementDecision,
    SponsorMeeting,
    WorkshopConsent,
)


_LABELS = {
    "cohortplaces": "cohort places",
    "improvementinitiative_placements": "initiatives' placements",
    "improvementinitiative_organisations": "initiatives' organisations",
}


@contextmanager
def _dated(*models):
    """Let bulk_create keep the dates given for `auto_now`/`auto_now_add` fields, so that
    histories (and the reminders that read them) show when things happened, not when the
    region was generated. Safe only in a process doing nothing else, as a command is."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class _Day:
    date: dt.date
    session: str
    status: str = "planned"


@dataclass
class _Plan:
    """One placement as planned, before and after it is saved."""

    person: _Person
    index: int
    host: Organisation
    approved: dt.date
    days: list[_Day]
    withdrawn: bool = False
    reopened: bool = False
    placement: Placement | None = None
    outcomes: list[LearningOutcome] = field(default_factory=list)

    @property
    def completed(self) -> list[_Day]:
        return [d for d in self.days if d.status == "completed"]


@dataclass
class _Person:
    number: int
    cohort: Cohort
    current: bool
    employer: Organisation
    user: User | None = None
    line_manager: User | None = None
    participant: Participant | None = None
    plans: list[_Plan] = field(default_factory=list)


class _Builder:
    def __init__(self, *, seed: int, password: str):
        self.seed = seed
        self.rng = random.Random(seed)
        self.password = make_password(password)  # hashed once: hashing is deliberately slow
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.summary = Summary(seed=seed, database=str(connection.settings_dict["NAME"]))
        self.new_users: list[User] = []

    # Helpers ---------------------------------------------------------------------------

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        """A moment on `day`, never later than now."""
        moment = timezone.make_aware(
            dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60)))
        )
        return min(moment, self.now - dt.timedelta(minutes=1))

    def past(self, day: dt.date) -> dt.date:
        return min(day, self.today)

    def reviewed_at(self, agreed: dt.date) -> dt.datetime:
        """The line manager's review of an implemented initiative, ten weeks after agreement
        (issue #21). Draws no random number, so the rest of a region is as it was."""
        day = self.past(agreed + dt.timedelta(weeks=10))
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(16)))
        return min(moment, self.now - dt.timedelta(minutes=1))

    def text(self, kind: str, host: str, count: int = 2) -> str:
        role = self.rng.choice(PEOPLE_MET)[0].lower()
        chosen = self.rng.sample(SENTENCES[kind], k=min(count, len(SENTENCES[kind])))
        return " ".join(s.format(host=host, role=role) for s in chosen)

    def save(self, model, objects: list) -> list:
        saved = model.objects.bulk_create(objects, batch_size=BATCH)
        label = _LABELS.get(model._meta.model_name, str(model._meta.verbose_name_plural))
        self.summary.counts[label] += len(saved)
        return saved

    def user(self, local: str, full_name: str, **extra) -> User:
        user = User(
            email=generated_email(local, self.seed),
            full_name=full_name,
            password=self.password,
            date_joined=self.now,
            **extra,
        )
        self.new_users.append(user)
        return user

    def flush_users(self) -> None:
        """Save the users made so far, each with a verified primary address for allauth."""
        users, self.new_users = self.new_users, []
        users = self.save(User, users)
        self.save(
            EmailAddress,
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        )

    # The region --------------------------------------------------------------------------

    def build(self, n: int, cohort_size: int) -> None:
        employers, hosts = self.directory()
        self.host_offers(hosts)
        pm = self.user("programme.manager", "Programme Manager", is_programme_manager=True)
        self.flush_users()
        self.summary.programme_manager = pm.email
        cohorts = self.cohorts(n, cohort_size)
        people = self.people(n, cohort_size, cohorts, employers)
        self.participants(people, cohorts, employers)
        for person in people:
            self.plan_placements(person, hosts + employers)
        self.placements(people)
        self.accounts(people)
        self.initiatives(people)
        self.consents(people)
        self.self_assessments(people, cohorts)

    def directory(self) -> tuple[list[Organisation], list[Organisation]]:
        """Twenty partner employers and sixty hosts across the sectors; reused if a previous
        run made them, so that two regions share one directory."""
        wanted = []
        for i in range(EMPLOYERS):
            template, sector = EMPLOYER_KINDS[i % len(EMPLOYER_KINDS)]
            wanted.append((template.format(town=TOWNS[i // 2]), sector, True, TOWNS[i // 2]))
        for i in range(HOSTS):
            template, sector = HOST_KINDS[i % len(HOST_KINDS)]
            town = TOWNS[(i % len(HOST_KINDS) + 2 * (i // len(HOST_KINDS))) % len(TOWNS)]
            wanted.append((template.format(town=town), sector, False, town))
        existing = {
            o.name.lower(): o
            for o in Organisation.objects.annotate(lname=Lower("name")).filter(
                lname__in=[w[0].lower() for w in wanted]
            )
        }
        missing = [
            Organisation(name=name, sector=sector, is_partner=partner, town=town)
            for name, sector, partner, town in wanted
            if name.lower() not in existing
        ]
        for org in self.save(Organisation, missing):
            existing[org.name.lower()] = org
        orgs = [existing[w[0].lower()] for w in wanted]
        employers, hosts = orgs[:EMPLOYERS], orgs[EMPLOYERS:]
        # A sponsor and an education lead for each employer that has none yet.
        unsponsored = [o for o in employers if o.sponsor_id is None]
        sponsors = [
            self.user(f"sponsor{i + 1:02d}", f"Sponsor {i + 1:02d}")
            for i, _ in enumerate(unsponsored)
        ]
        led = set(EducationLead.objects.values_list("organisation_id", flat=True))
        unled = [o for o in employers if o.pk not in led]
        leads = [
            self.user(f"education.lead{i + 1:02d}", f"Education Lead {i + 1:02d}")
            for i, _ in enumerate(unled)
        ]
        self.flush_users()
        for org, sponsor in zip(unsponsored, sponsors, strict=True):
            org.sponsor = sponsor
        Organisation.objects.bulk_update(unsponsored, ["sponsor"])
        self.save(
            EducationLead,
            [EducationLead(user=u, organisation=o) for u, o in zip(leads, unled, strict=True)],
        )
        return employers, hosts

    def host_offers(self, hosts: list[Organisation]) -> None:
        """One published offer for each host without one (issue #20), with room for every
        generated visitor (bulk-created half-days skip the capacity rule); every third host
        needs a DBS check, recorded on its placements before their first half-day."""
        offered = set(PlacementOffer.objects.values_list("organisation_id", flat=True))
        self.save(
            PlacementOffer,
            [
                PlacementOffer(
                    organisation=host,
                    title=f"A day with {host.name}",
                    description="Shadow the team and follow one person's journey through it.",
                    location=f"{host.name}, main site",
                    who_you_meet="Team leader, front-line staff",
                    visitors_per_month=50,
                )
                for host in hosts
                if host.pk not in offered
            ],
        )
        self.offer_by_host = dict(
            PlacementOffer.objects.filter(organisation__in=hosts).values_list(
                "organisation_id", "pk"
            )
        )
        checked = [host for i, host in enumerate(hosts) if i % 3 == 0]
        for host in checked:
            host.required_clearances = ["dbs"]
        Organisation.objects.bulk_update(checked, ["required_clearances"])

    def cohorts(self, n: int, size: int) -> list[Cohort]:
        """Cohorts of at most `size`, two a year: the newest started ten weeks ago and is
        running; the others' workshops are over (closed). At least two, so there is a past."""
        count = max(math.ceil(n / size), 2 if n > 1 else 1)
        current_start = _monday(self.today) - dt.timedelta(weeks=CURRENT_COHORT_WEEKS)
        cohorts = []
        for c in range(count):
            back = count - 1 - c
            start = _monday(rules.add_months(current_start, -6 * back))
            end = rules.window_end(start)
            workshop = end + dt.timedelta(days=14)
            town = TOWNS[c % len(TOWNS)]
            cohorts.append(
                Cohort(
                    name=f"Cohort {c + 1} – {THEMES[c % len(THEMES)]} ({tag_for(self.seed)})",
                    programme_start=start,
                    briefing_date=start - dt.timedelta(days=14),
                    briefing_time=dt.time(9, 30),
                    briefing_place=f"{town} Education Centre",
                    workshop_date=workshop,
                    workshop_time=dt.time(13, 0),
                    workshop_place=f"{town} Conference Suite",
                    workshop_agenda="\n".join(AGENDA),
                    eoi_opens=rules.add_months(start, -3),
                    eoi_closes=rules.add_months(start, -2),
                    status="running" if back == 0 or workshop >= self.today else "closed",
                )
            )
        return self.save(Cohort, cohorts)

    def people(self, n, size, cohorts, employers) -> list[_Person]:
        """Participants spread over the cohorts (the newest gets the remainder), each with an
        employer; line managers manage three to eight people of their own organisation."""
        counts = [n // len(cohorts)] * len(cohorts)
        for i in range(n - sum(counts)):
            counts[-1 - i % len(cohorts)] += 1
        people = []
        for cohort, count in zip(cohorts, counts, strict=True):
            for _ in range(count):
                number = len(people) + 1
                people.append(
                    _Person(
                        number=number,
                        cohort=cohort,
                        current=cohort is cohorts[-1],
                        employer=self.rng.choice(employers),
                    )
                )
        width = max(4, len(str(n)))
        for person in people:
            person.user = self.user(
                f"participant{person.number:0{width}d}", f"Participant {person.number:0{width}d}"
            )
        managers = 0
        for employer in employers:
            staff = [p for p in people if p.employer is employer]
            self.rng.shuffle(staff)
            while staff:
                size = self.rng.randint(3, 8)
                group, staff = staff[:size], staff[size:]
                managers += 1
                manager = self.user(f"line.manager{managers:03d}", f"Line Manager {managers:03d}")
                for person in group:
                    person.line_manager = manager
        self.flush_users()
        return people

    def participants(self, people, cohorts, employers) -> None:
        rows = []
        for person in people:
            profession, job_title = self.rng.choice(PROFESSIONS)
            briefing = self.rng.random()
            workshop_over = person.cohort.workshop_date < self.today
            workshop = self.rng.random()
            rows.append(
                Participant(
                    user=person.user,
                    cohort=person.cohort,
                    organisation=person.employer,
                    profession=profession,
                    job_title=job_title,
                    line_manager=person.line_manager,
                    sponsor_id=person.employer.sponsor_id,
                    briefing_attended=True
                    if briefing < 0.95
                    else (False if briefing < 0.98 else None),
                    workshop_attended=(
                        (True if workshop < 0.9 else (False if workshop < 0.97 else None))
                        if workshop_over
                        else None
                    ),
                )
            )
        for person, participant in zip(people, self.save(Participant, rows), strict=True):
            person.participant = participant
        places = Counter((p.cohort.pk, p.employer.pk) for p in people)
        self.save(
            CohortPlaces,
            [
                CohortPlaces(cohort_id=c, organisation_id=o, places=count)
                for (c, o), count in places.items()
            ],
        )
        meetings = []
        for person in people:
            if person.employer.sponsor_id and self.rng.random() < 0.7:
                met = person.cohort.programme_start - dt.timedelta(days=self.rng.randint(0, 21))
                meetings.append(
                    SponsorMeeting(
                        participant=person.participant,
                        met_on=met,
                        notes="Why we take part, and contacts for placements on the pathway.",
                        recorded_by_id=person.employer.sponsor_id,
                        created_at=self.at(met, 16),
                    )
                )
        self.save(SponsorMeeting, meetings)
        self.summary.sample_participant = people[-1].user.email
        self.summary.sample_line_manager = people[-1].line_manager.email

    def plan_placements(self, person: _Person, organisations: list[Organisation]) -> None:
        """Three placements (a quarter of people arrange a fourth) with different hosts, none
        their employer; each five weeks apart, with a half-day a week (the rules' sensible
        pace), four of them, or five with one cancelled; outcomes approved 3-12 days before
        the first. Past cohorts completed nearly everything; the running one is in week 10."""
        rng = self.rng
        start = person.cohort.programme_start
        first_monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
        count = 4 if rng.random() < 0.25 else 3
        hosts = rng.sample([o for o in organisations if o.pk != person.employer.pk], k=count)
        behind = not person.current and rng.random() < 0.08
        withdraw = 1 if count == 4 and rng.random() < 0.25 else None
        for k, host in enumerate(hosts):
            total = 5 if rng.random() < 0.2 else 4
            cancelled = rng.randrange(total) if total == 5 else None
            days = []
            for j in range(total):
                monday = first_monday + dt.timedelta(weeks=1 + 5 * k + j)
                day = monday + dt.timedelta(days=rng.randrange(5))
                days.append(_Day(date=day, session=rng.choice(("am", "pm"))))
            approved = days[0].date - dt.timedelta(days=rng.randint(3, 12))
            approved = min(approved, self.today - dt.timedelta(days=rng.randint(1, 7)))
            plan = _Plan(person=person, index=k, host=host, approved=approved, days=days)
            active = 0
            for j, day in enumerate(days):
                if j == cancelled:
                    day.status = "cancelled"
                    continue
                active += 1
                if k == withdraw and active > 1 + (person.number % 2):
                    day.status = "cancelled"
                elif day.date >= self.today:
                    day.status = "planned"
                elif behind and k == count - 1 and active > 1 + rng.randrange(3):
                    day.status = "planned"  # fell behind: never marked as done
                elif person.current and rng.random() < 0.05:
                    day.status = "planned"  # happened, not marked yet
                else:
                    day.status = "completed"
            plan.withdrawn = k == withdraw
            plan.reopened = (
                person.current
                and not plan.withdrawn
                and not plan.completed
                and days[0].date > self.today
                and rng.random() < 0.25
            )
            person.plans.append(plan)

    def placements(self, people) -> None:
        rng = self.rng
        plans = [plan for person in people for plan in person.plans]
        rows = []
        for i, plan in enumerate(plans):
            done = len(plan.completed)
            if plan.withdrawn:
                status = "withdrawn"
            elif done >= rules.HALF_DAYS_PER_PLACEMENT:
                status = "complete"
            else:
                status = "in_progress" if done else "agreed"
            planned_on = plan.approved - dt.timedelta(days=rng.randint(5, 20))
            rows.append(
                Placement(
                    participant=plan.person.participant,
                    organisation=plan.host,
                    offer_id=self.offer_by_host.get(plan.host.pk),
                    contact_name=f"Host Contact {i + 1:05d}",
                    contact_role=rng.choice(CONTACT_ROLES),
                    contact_email=generated_email(f"host.contact{i + 1:05d}", self.seed),
                    relevance_services=rng.choice(RELEVANCE),
                    relevance_interfaces=rng.choice(RELEVANCE),
                    relevance_career=RELEVANCE[2],
                    status=status,
                    outcomes_status="submitted" if plan.reopened else "approved",
                    outcomes_first_approved_at=self.at(plan.approved, 11),
                    created_at=self.at(planned_on, 9),
                    updated_at=self.at(plan.days[-1].date, 18),
                )
            )
        for plan, placement in zip(plans, self.save(Placement, rows), strict=True):
            plan.placement = placement
        outcomes = []
        for plan in plans:
            texts = rng.sample(OUTCOMES, k=rng.randint(2, 3))
            plan.outcomes = [
                LearningOutcome(placement=plan.placement, text=t.format(host=plan.host), position=j)
                for j, t in enumerate(texts)
            ]
            outcomes.extend(plan.outcomes)
        self.save(LearningOutcome, outcomes)
        decisions = []
        for plan in plans:
            person, snapshot = plan.person, [o.text for o in plan.outcomes]
            submitted = plan.approved - dt.timedelta(days=rng.randint(1, 6))
            steps = [
                ("submitted", person.user, submitted),
                ("approved", person.line_manager, plan.approved),
            ]
            if plan.reopened:
                changed = self.past(plan.approved + dt.timedelta(days=rng.randint(1, 10)))
                steps += [("reopened", person.user, changed), ("submitted", person.user, changed)]
            decisions.extend(
                OutcomesDecision(
                    placement=plan.placement,
                    action=action,
                    by=by,
                    at=self.at(day, 12 + n),
                    comment="Agreed: specific and realistic for four half-days."
                    if action == "approved"
                    else "",
                    outcomes_snapshot=snapshot,
                )
                for n, (action, by, day) in enumerate(steps)
            )
        self.save(OutcomesDecision, decisions)
        half_days = []
        for plan in plans:
            same_person = rng.random() < 0.1  # for the rules' variety guidance
            met = rng.sample(PEOPLE_MET, k=len(plan.days))
            for j, day in enumerate(plan.days):
                who, level = met[0] if same_person else met[j]
                completed_at = self.at(day.date, 17) if day.status == "completed" else None
                confirmed = completed_at and rng.random() < 0.6
                confirmed_on = day.date + dt.timedelta(days=rng.randint(1, 6))
                half_days.append(
                    HalfDay(
                        placement=plan.placement,
                        participant=plan.person.participant,
                        date=day.date,
                        session=day.session,
                        starts_at=TYPICAL_TIMES[day.session][0],  # bulk_create skips save()
                        ends_at=TYPICAL_TIMES[day.session][1],
                        location=f"{plan.host.name}, {rng.choice(SITES)}",
                        person_met=who,
                        level=level,
                        pathway_connection=rng.choice(PATHWAY),
                        status=day.status,
                        completed_at=completed_at,
                        confirmation_sent_at=completed_at,
                        confirmed_at=self.at(confirmed_on, 10)
                        if confirmed and confirmed_on <= self.today
                        else None,
                        confirmed_by_name=plan.placement.contact_name
                        if confirmed and confirmed_on <= self.today
                        else "",
                    )
                )
        self.save(HalfDay, half_days)
        self.save(
            ClearanceRecord,
            [
                ClearanceRecord(
                    placement=plan.placement,
                    kind=kind,
                    confirmed_by_name=plan.placement.contact_name,
                    confirmed_on=plan.approved,
                    note="Certificate seen.",
                )
                for plan in plans
                for kind in plan.host.required_clearances or []
            ],
        )

    def accounts(self, people) -> None:
        """A reflective account on most placements with a completed half-day: past cohorts'
        mostly discussed, the running cohort's a mix; answers under the framework's prompts."""
        rng = self.rng
        rows, events = [], []
        for person in people:
            for plan in person.plans:
                done = plan.completed
                if plan.withdrawn or not done:
                    continue
                complete = len(done) >= rules.HALF_DAYS_PER_PLACEMENT
                finished = done[-1].date
                r = rng.random()
                if not person.current and complete:
                    status = "discussed" if r < 0.6 else "shared" if r < 0.88 else "draft"
                    status = None if r > 0.97 else status
                elif complete and finished <= self.today - dt.timedelta(days=14):
                    status = ["discussed", "shared", "draft", None][min(3, int(r / 0.3))]
                elif complete:
                    status = "shared" if r < 0.3 else "draft" if r < 0.8 else None
                else:
                    status = "draft" if r < 0.5 else None
                if status is None:
                    continue
                shared = self.past(finished + dt.timedelta(days=rng.randint(2, 12)))
                discussed = self.past(shared + dt.timedelta(days=rng.randint(1, 14)))
                framework = rng.choices(
                    [f for f, _ in FRAMEWORK_WEIGHTS], [w for _, w in FRAMEWORK_WEIGHTS]
                )[0]
                spec = FRAMEWORKS[framework]
                prompts = spec.prompts
                if status == "draft":
                    prompts = prompts[: rng.randint(1, len(prompts))]
                host = plan.host.name
                answers = {p.key: self.text(PROMPT_KINDS[p.key], host) for p in prompts}
                account = ReflectiveAccount(
                    placement=plan.placement,
                    participant=person.participant,
                    framework=framework,
                    answers=answers,
                    outcome_ratings={
                        str(o.pk): {
                            "rating": rng.choice(OUTCOME_RATINGS)[0],
                            "comment": "Seen on the second and third half-days.",
                        }
                        for o in plan.outcomes
                    }
                    if spec.rates_outcomes and status != "draft"
                    else {},
                    code_themes=[c for c, _ in rng.sample(NMC_THEMES, k=rng.randint(1, 3))]
                    if spec.asks_code_themes
                    else [],
                    principles=[c for c, _ in rng.sample(PRINCIPLES, k=rng.randint(1, 3))],
                    workshop_learning=rng.choice(WORKSHOP_LEARNING)
                    if status != "draft" and rng.random() < 0.85
                    else "",
                    status=status,
                    shared_at=self.at(shared, 15) if status != "draft" else None,
                    discussed_on=discussed if status == "discussed" else None,
                    created_at=self.at(done[0].date + dt.timedelta(days=1), 19),
                    updated_at=self.at(shared if status != "draft" else finished, 20),
                )
                rows.append(account)
                if status != "draft":
                    events.append((account, "shared", person.user, shared, None))
                if status == "discussed":
                    events.append((account, "discussed", person.line_manager, discussed, discussed))
        self.save(ReflectiveAccount, rows)
        self.save(
            AccountEvent,
            [
                AccountEvent(
                    account=account,
                    action=action,
                    by=by,
                    at=self.at(day, 16),
                    discussed_on=on,
                    comment="Useful; bring the idea to the team meeting." if on else "",
                )
                for account, action, by, day, on in events
            ],
        )

    def initiatives(self, people) -> None:
        """About half of participants have an initiative: past cohorts' mostly agreed and
        tested, the running cohort's mostly still being planned or agreed."""
        rng = self.rng
        chosen = [p for p in people if rng.random() < 0.5]
        rows, plans = [], []
        for person in chosen:
            idea = rng.choice(INITIATIVES)
            start = person.cohort.programme_start
            created = self.past(start + dt.timedelta(weeks=rng.randint(4, 8)))
            r = rng.random()
            if not person.current:
                agreement = "agreed" if r < 0.85 else "submitted" if r < 0.92 else "draft"
            else:
                agreement = ["agreed", "submitted", "returned", "draft"][
                    0 if r < 0.3 else 1 if r < 0.55 else 2 if r < 0.6 else 3
                ]
            agreed = self.past(created + dt.timedelta(days=rng.randint(7, 28)))
            if agreement == "agreed":
                options = (
                    ["testing", "implemented", "sustained", "stopped", "agreed"]
                    if not person.current
                    else ["agreed", "testing"]
                )
                weights = [20, 30, 35, 10, 5] if not person.current else [40, 60]
                status = rng.choices(options, weights)[0]
            else:
                status = "idea"
            outcome = status in {"implemented", "sustained"}
            rows.append(
                ImprovementInitiative(
                    participant=person.participant,
                    title=idea[0],
                    problem=idea[1],
                    aim=idea[2],
                    measures_summary=idea[3],
                    change_ideas=idea[4],
                    kind=idea[5],
                    teams=f"{person.employer.name}; {person.plans[0].host.name}",
                    status=status,
                    stopped_reason=rng.choice(STOPPED_REASONS) if status == "stopped" else "",
                    progress_score=Decimal("3.5") if outcome and rng.random() < 0.3 else None,
                    agreement=agreement,
                    agreed_first_at=self.at(agreed, 14) if agreement == "agreed" else None,
                    reviewed_at=None if person.current or not outcome else self.reviewed_at(agreed),
                    outcome_what_changed=f"{idea[4]} Now in use by both teams." if outcome else "",
                    outcome_for_whom="People moving between our services, and their families."
                    if outcome
                    else "",
                    outcome_evidence="The run chart shows a shift after the change."
                    if outcome
                    else "",
                    outcome_learning="Agreeing the change together mattered more than its design."
                    if outcome
                    else "",
                    outcome_sustain="It is part of both teams' induction." if outcome else "",
                    i2i_ideas="Let participants meet their hosts at the briefing."
                    if not person.current and rng.random() < 0.7
                    else "",
                    created_at=self.at(created, 10),
                    updated_at=self.at(agreed, 15),
                )
            )
            plans.append((person, idea, agreed, created))
        rows = self.save(ImprovementInitiative, rows)
        links_p, links_o, decisions, cycles, measures, series = [], [], [], [], [], []
        through_p = ImprovementInitiative.placements.through
        through_o = ImprovementInitiative.organisations.through
        for initiative, (person, idea, agreed, created) in zip(rows, plans, strict=True):
            sources = [p for p in person.plans if not p.withdrawn][: rng.randint(1, 2)]
            for plan in sources:
                links_p.append(
                    through_p(improvementinitiative=initiative, placement=plan.placement)
                )
                links_o.append(through_o(improvementinitiative=initiative, organisation=plan.host))
            steps = []
            if initiative.agreement != "draft":
                submitted = max(created, agreed - dt.timedelta(days=rng.randint(1, 6)))
                steps.append(("submitted", person.user, submitted, ""))
            if initiative.agreement == "returned":
                steps.append(("returned", person.line_manager, agreed, "Make the aim numeric."))
            if initiative.agreement == "agreed":
                steps.append(("agreed", person.line_manager, agreed, "Agreed: a good first test."))
            decisions.extend(
                AgreementDecision(
                    initiative=initiative, action=a, by=by, at=self.at(day, 11 + n), comment=c
                )
                for n, (a, by, day, c) in enumerate(steps)
            )
            if initiative.reviewed_at:  # implemented and reviewed (issue #21)
                decisions += [
                    AgreementDecision(
                        initiative=initiative,
                        action="review_asked",
                        by=person.user,
                        at=initiative.reviewed_at - dt.timedelta(days=3),
                    ),
                    AgreementDecision(
                        initiative=initiative,
                        action="reviewed",
                        by=person.line_manager,
                        at=initiative.reviewed_at,
                        comment="Implemented and reviewed: well done.",
                    ),
                ]
            if initiative.agreement != "agreed":
                continue
            first_change = None
            if initiative.status != "agreed":
                for number in range(1, (1 if initiative.status == "stopped" else 3) + 1):
                    starts = agreed + dt.timedelta(days=7 + 21 * (number - 1))
                    if starts > self.today or (number > 1 and rng.random() < 0.3):
                        break
                    first_change = first_change or starts
                    ends = starts + dt.timedelta(days=rng.randint(14, 20))
                    over = ends <= self.today
                    cycles.append(
                        PDSACycle(
                            initiative=initiative,
                            number=number,
                            change=f"{idea[4]} (test {number}, with one team)",
                            prediction="Fewer calls chasing information within a fortnight.",
                            starts_on=starts,
                            do_notes="Used for most referrals; two were missed." if over else "",
                            study_notes="The measure moved towards the target." if over else "",
                            act=rng.choice(("adopt", "adapt", "abandon")) if over else "",
                            next_steps="Extend to the second team." if over else "",
                            ends_on=ends if over else None,
                        )
                    )
            for m in range(1 if rng.random() < 0.7 else 2):
                measure = Measure(
                    initiative=initiative,
                    name=idea[6] if m == 0 else f"{idea[6]} (second team)",
                    definition=idea[3],
                    unit=idea[7],
                    direction=idea[8],
                    baseline=Decimal(idea[9]),
                    target=Decimal(idea[10]),
                )
                measures.append(measure)
                series.append((measure, agreed, first_change, idea))
        self.save(through_p, links_p)
        self.save(through_o, links_o)
        self.save(AgreementDecision, decisions)
        self.save(PDSACycle, cycles)
        self.save(Measure, measures)
        points = []
        for measure, agreed, first_change, idea in series:
            baseline, target = idea[9], idea[10]
            first = agreed - dt.timedelta(weeks=6)
            marked = False  # the first point after the change starts a new phase
            for week in range(rng.randint(12, 24)):
                day = first + dt.timedelta(weeks=week)
                if day > self.today:
                    break
                after = first_change is not None and day >= first_change
                level = (baseline + 2 * target) / 3 if after else baseline
                noise = abs(baseline - target) * 0.15
                value = max(0.0, round(level + rng.uniform(-noise, noise), 1))
                starts = after and not marked
                marked = marked or starts
                points.append(
                    DataPoint(
                        measure=measure,
                        date=day,
                        value=Decimal(str(value)),
                        starts_phase=starts,
                        phase_label="The first change tested" if starts else "",
                    )
                )
        self.save(DataPoint, points)

    def consents(self, people) -> None:
        """About 45% consent to a section in their cohort's workshop pack; some say no."""
        rng = self.rng
        rows = []
        for person in people:
            r = rng.random()
            if r >= 0.55:
                continue
            rows.append(
                WorkshopConsent(
                    participant=person.participant,
                    include=r < 0.45,
                    include_learning=rng.random() < 0.9,
                    include_initiative=rng.random() < 0.85,
                    include_ideas=rng.random() < 0.8,
                    updated_at=self.at(
                        self.past(person.cohort.programme_start + dt.timedelta(weeks=20)), 12
                    ),
                )
            )
        self.save(WorkshopConsent, rows)

    def self_assessments(self, people, cohorts) -> None:
        """The leaflet's questions for each cohort; about 90% answered at the start, and in
        the finished cohorts about 80% again at the end, mostly a little further along."""

        items = defaultdict(list)
        made = self.save(
            SelfAssessmentItem,
            [
                SelfAssessmentItem(cohort=cohort, position=position, **item)
                for cohort in cohorts
                for position, item in enumerate(DEFAULT_ITEMS, start=1)
            ],
        )
        for item in made:
            items[item.cohort_id].append(item)
        rng = self.rng
        starts, ends = {}, {}
        for person in people:
            if rng.random() >= 0.9:
                continue
            start = {
                item.key: rng.randint(0, 8)
                if item.kind == "count"
                else rng.choice((1, 2, 2, 3, 3, 4))
                for item in items[person.cohort.pk]
            }
            starts[person.participant.pk] = start
            if not person.current and rng.random() < 0.8:
                ends[person.participant.pk] = {
                    key: value + rng.randint(0, 8)
                    if key == "contacts"
                    else max(1, min(5, value + rng.choice((-1, 0, 1, 1, 1, 2))))
                    for key, value in start.items()
                }
        assessments = self.save(
            SelfAssessment,
            [SelfAssessment(participant_id=pk, moment="before") for pk in starts]
            + [SelfAssessment(participant_id=pk, moment="after") for pk in ends],
        )
        cohort_of = {person.participant.pk: person.cohort.pk for person in people}
        self.save(
            SelfAssessmentAnswer,
            [
                SelfAssessmentAnswer(
                    assessment=assessment,
                    item=item,
                    value=(starts if assessment.moment == "before" else ends)[
                        assessment.participant_id
                    ][item.key],
                )
                for assessment in assessments
                for item in items[cohort_of[assessment.participant_id]]
            ],
        )
