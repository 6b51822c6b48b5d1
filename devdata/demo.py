"""A believable, fictional partnership for trying the product and for demos.

Every name, organisation, town and email address here is invented; email
addresses use the reserved .example domain so that nothing is ever delivered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Count, Max, Q
from django.test import override_settings
from django.utils import timezone

from evaluation import follow_ups
from evaluation import services as evaluation
from evaluation.models import FollowUp, SelfAssessment
from i2i import rules
from i2i.models import Announcement, AnnouncementRecipient
from improvements import drivers as improvement_drivers
from improvements import review as implementation_review
from improvements import services as improvement_services
from improvements.models import DriverNode, ImprovementInitiative
from participants import recruitment
from participants.models import (
    Cohort,
    CohortPlaces,
    CohortStatus,
    EducationLead,
    ExpressionOfInterest,
    HostPerson,
    Organisation,
    Participant,
    Sector,
    SponsorMeeting,
    User,
)
from placements import clearances as placement_clearances
from placements import concerns as placement_concerns
from placements import feedback as placement_feedback
from placements import hosting
from placements import offers as placement_offers
from placements import services as placement_services
from placements.models import (
    Concern,
    HalfDay,
    HostFeedback,
    ParticipantFeedback,
    Placement,
    PlacementOffer,
)
from reflections import reviews
from reflections import services as reflection_services
from reflections.models import AccountStatus, ReflectiveAccount

DEMO_PASSWORD = "i2i-demo-2026"

ORGANISATIONS = [
    ("Eastmere University Hospitals NHS Foundation Trust", Sector.ACUTE, True, "Eastmere"),
    ("Eastmere County Council Adult Social Care", Sector.SOCIAL_CARE, True, "Eastmere"),
    ("Fenbridge Community Health Services", Sector.COMMUNITY, True, "Fenbridge"),
    ("Larkhaven Mental Health Partnership NHS Trust", Sector.MENTAL_HEALTH, True, "Larkhaven"),
    ("Eastmere Therapy and Rehabilitation Service", Sector.ALLIED_HEALTH, True, "Eastmere"),
    ("Riverside Lane Medical Practice", Sector.GP_PRACTICE, False, "Fenbridge"),
    ("Willowbank Nursing Home", Sector.CARE_SECTOR, False, "Larkhaven"),
    ("Eastmere Constabulary", Sector.POLICE, False, "Eastmere"),
    ("Saltmarsh Housing Association", Sector.HOUSING, False, "Saltmarsh Bay"),
    ("Fenbridge District Council", Sector.LOCAL_GOVERNMENT, False, "Fenbridge"),
    ("HMP Marshgate", Sector.PRISONS, False, "Marshgate"),
    ("Home Together Eastmere (charity)", Sector.PVI, False, "Eastmere"),
]

ACUTE, SOCIAL_CARE, COMMUNITY, MENTAL_HEALTH, THERAPY = (org[0] for org in ORGANISATIONS[:5])

# (email, full name)
PROGRAMME_MANAGER = ("programme.manager@partnership.example", "Morgan Ellery")
EDUCATION_LEADS = [
    ("education.lead@eastmere-hospitals.example", "Jordan Pell", ACUTE),
    ("education.lead@eastmere-council.example", "Sasha Brightwater", SOCIAL_CARE),
    ("education.lead@fenbridge-community.example", "Robin Tallis", COMMUNITY),
]
SPONSORS = {
    ACUTE: ("sponsor@eastmere-hospitals.example", "Avery Quinlan"),
    SOCIAL_CARE: ("sponsor@eastmere-council.example", "Corin Ashdown"),
    COMMUNITY: ("sponsor@fenbridge-community.example", "Hollis Marchant"),
    MENTAL_HEALTH: ("sponsor@larkhaven-mh.example", "Tamsin Royle"),
    THERAPY: ("sponsor@eastmere-therapy.example", "Ellis Crane"),
}
LINE_MANAGERS = {
    ACUTE: ("line.manager@eastmere-hospitals.example", "Dana Whitcombe"),
    SOCIAL_CARE: ("line.manager@eastmere-council.example", "Kit Farrow"),
    COMMUNITY: ("line.manager@fenbridge-community.example", "Noor Haddley"),
    MENTAL_HEALTH: ("line.manager@larkhaven-mh.example", "Rowan Petrie"),
    THERAPY: ("line.manager@eastmere-therapy.example", "Jules Amberley"),
}
# (email, full name, employer, profession, job title)
PARTICIPANTS = [
    (
        "participant@eastmere-hospitals.example",
        "Riley Hartigan",
        ACUTE,
        "Nursing",
        "Discharge coordinator (Band 6)",
    ),
    (
        "f.okonjo@eastmere-hospitals.example",
        "Femi Okonjo",
        ACUTE,
        "Physiotherapy",
        "Senior physiotherapist, frailty",
    ),
    (
        "l.brennock@eastmere-hospitals.example",
        "Lena Brennock",
        ACUTE,
        "Nursing",
        "Ward sister, elderly care",
    ),
    (
        "m.castellan@eastmere-council.example",
        "Marcus Castellan",
        SOCIAL_CARE,
        "Social work",
        "Senior social worker, hospital team",
    ),
    (
        "p.ingleby@eastmere-council.example",
        "Poppy Ingleby",
        SOCIAL_CARE,
        "Occupational therapy",
        "Occupational therapist, reablement",
    ),
    (
        "d.ferreira@eastmere-council.example",
        "Dev Ferreira",
        SOCIAL_CARE,
        "Social work",
        "Social worker, learning disabilities",
    ),
    (
        "a.thornbury@fenbridge-community.example",
        "Anya Thornbury",
        COMMUNITY,
        "Nursing",
        "District nurse team leader",
    ),
    (
        "o.mcallister@fenbridge-community.example",
        "Owen McAllister",
        COMMUNITY,
        "Podiatry",
        "Podiatrist",
    ),
    (
        "s.varga@larkhaven-mh.example",
        "Sofia Varga",
        MENTAL_HEALTH,
        "Mental health nursing",
        "Community psychiatric nurse",
    ),
    (
        "t.adeyemi@larkhaven-mh.example",
        "Tobi Adeyemi",
        MENTAL_HEALTH,
        "Social work",
        "Approved mental health professional",
    ),
    (
        "g.lindell@eastmere-therapy.example",
        "Greta Lindell",
        THERAPY,
        "Speech and language therapy",
        "Speech and language therapist",
    ),
    (
        "h.pemberton@eastmere-therapy.example",
        "Harry Pemberton",
        THERAPY,
        "Occupational therapy",
        "Senior occupational therapist",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


# A cohort that has finished: everyone answered at both ends and met the commitments, but
# two of them did not implement their improvement initiative (`IMPLEMENTATION`).
PAST_PARTICIPANTS = [
    ("a.quarrie@eastmere-hospitals.example", "Ama Quarrie", ACUTE, "Nursing", "Staff nurse"),
    (
        "b.lowther@eastmere-council.example",
        "Bryn Lowther",
        SOCIAL_CARE,
        "Social work",
        "Social worker",
    ),
    (
        "c.dunstable@fenbridge-community.example",
        "Cass Dunstable",
        COMMUNITY,
        "Nursing",
        "District nurse",
    ),
    (
        "d.marwood@larkhaven-mh.example",
        "Dev Marwood",
        MENTAL_HEALTH,
        "Mental health nursing",
        "Community psychiatric nurse",
    ),
    (
        "e.tolland@eastmere-therapy.example",
        "Edie Tolland",
        THERAPY,
        "Occupational therapy",
        "Occupational therapist",
    ),
]


def _user(email: str, full_name: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    else:
        changed = {
            k: v for k, v in {"full_name": full_name, **extra}.items() if getattr(user, k) != v
        }
        for key, value in changed.items():
            setattr(user, key, value)
        if changed:
            user.save(update_fields=list(changed))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load_demo(today: dt.date | None = None) -> list[DemoLogin]:
    """Create or refresh the demo partnership; running it twice changes nothing. The emails
    the services send on the demo people's behalf go nowhere."""
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
    ):
        return _load(today or timezone.localdate())


# The running cohort is 13 weeks in when the demo is first loaded. Then every half-day the
# demo logs as completed (up to 11 weeks and 2 days after the start) has happened, a
# placement finished in week 4 has an overdue reflective account, and twelve weekly half-days
# still fit before the window ends (77 days or more left of a window of at least 181). Those
# hold until day 104, so a demo loaded again within a fortnight keeps its dates; after that
# it is built again around the new day.
RUNNING_WEEKS_IN = 13
RUNNING_DAYS_IN_KEPT = range(RUNNING_WEEKS_IN * 7, 105)


def running_start_for(today: dt.date) -> dt.date:
    """The running cohort's first day, for a demo loaded `today`."""
    existing = (
        Cohort.objects.filter(name=RUNNING_COHORT, status=CohortStatus.RUNNING)
        .values_list("programme_start", flat=True)
        .first()
    )
    if existing is not None and (today - existing).days in RUNNING_DAYS_IN_KEPT:
        return existing
    return today - dt.timedelta(weeks=RUNNING_WEEKS_IN)


RUNNING_COHORT = "Cohort 3 – Discharge and flow"
PAST_COHORT = "Cohort 2 – Frailty pathway"


def _load(today: dt.date) -> list[DemoLogin]:
    orgs = {}
    for name, sector, is_partner, town in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"sector": sector, "is_partner": is_partner, "town": town}
        )

    running_start = running_start_for(today)
    _forget_stale_progress(running_start)
    running, _ = Cohort.objects.update_or_create(
        name=RUNNING_COHORT,
        defaults={
            "programme_start": running_start,
            "status": CohortStatus.RUNNING,
            "briefing_date": running_start,
            "briefing_time": dt.time(9, 30),
            "briefing_place": "Eastmere Education Centre, Room 2",
            "workshop_date": _weekday(rules.window_end(running_start) + dt.timedelta(days=14)),
            "workshop_time": dt.time(13, 0),
            "workshop_place": "Fenbridge Community Hub",
            "eoi_opens": _weekday(rules.add_months(running_start, -3), earlier=True),
            "eoi_closes": _weekday(rules.add_months(running_start, -2)),
        },
    )
    recruiting_start = rules.add_months(today, 4).replace(day=1)
    recruiting, _ = Cohort.objects.update_or_create(
        name="Cohort 4 – Living well at home",
        defaults={
            "programme_start": recruiting_start,
            "status": CohortStatus.RECRUITING,
            "briefing_date": recruiting_start,
            "briefing_time": dt.time(10, 0),
            "briefing_place": "Larkhaven Conference Suite",
            "workshop_date": _weekday(rules.window_end(recruiting_start) + dt.timedelta(days=14)),
            "workshop_time": dt.time(13, 30),
            "workshop_place": "Eastmere Education Centre, Hall",
            "eoi_opens": _weekday(today - dt.timedelta(days=7), earlier=True),
            "eoi_closes": _weekday(today + dt.timedelta(days=28)),
        },
    )

    pm = _user(*PROGRAMME_MANAGER, is_programme_manager=True)
    _demo_offers(orgs, pm)
    logins = [DemoLogin("Programme manager", pm.email, pm.full_name)]
    for email, name, org_name in EDUCATION_LEADS:
        lead = _user(email, name)
        EducationLead.objects.get_or_create(user=lead, organisation=orgs[org_name])
        if org_name == ACUTE:
            logins.append(DemoLogin("Education lead", email, name))
    sponsors = {org: _user(*person) for org, person in SPONSORS.items()}
    for org_name, sponsor in sponsors.items():
        Organisation.objects.filter(pk=orgs[org_name].pk).update(sponsor=sponsor)
    managers = {org: _user(*person) for org, person in LINE_MANAGERS.items()}
    logins.append(DemoLogin("Sponsor", sponsors[ACUTE].email, sponsors[ACUTE].full_name))
    logins.append(DemoLogin("Line manager", managers[ACUTE].email, managers[ACUTE].full_name))

    for email, name, org_name, profession, job_title in PARTICIPANTS:
        user = _user(email, name)
        Participant.objects.update_or_create(
            user=user,
            cohort=running,
            defaults={
                "organisation": orgs[org_name],
                "profession": profession,
                "job_title": job_title,
                "line_manager": managers[org_name],
                "sponsor": sponsors[org_name],
            },
        )
    first = PARTICIPANTS[0]
    logins.insert(1, DemoLogin("Participant", first[0], first[1]))
    past = _demo_past_cohort(running_start, orgs, managers, sponsors, today)
    _demo_progress(running, orgs, today)
    _demo_self_assessment(running, today)
    _demo_self_assessment(past, today, after=True)
    _demo_recruitment(recruiting, running, orgs, managers, today)
    _demo_peers_and_announcement(running, pm)
    _demo_driver_diagrams([running, past])
    _demo_registers_and_concern(orgs, running)
    logins.append(_demo_host_visits(running, orgs, today))
    _demo_feedback([running, past])  # after the host people, to use theirs
    return logins


# Feedback both ways on completed placements (issue #20): the participant's rating and comment
# on the host, and the host person's words for the visitor. Most give it; not everyone does.
HOST_FEEDBACK = [
    (5, "A warm welcome and a clear plan for each half-day; I saw the whole referral route."),
    (4, "Well organised. The operations director found time to explain the funding rules."),
    (None, "Parking was hard to find; otherwise a very open team."),
    (3, ""),
]
VISITOR_FEEDBACK = [
    "Asked thoughtful questions and explained your own service clearly to our team.",
    "Punctual and well prepared; the staff enjoyed hearing how discharges look from your side.",
    "Good listener. Next time, say earlier which meetings you would like to sit in on.",
]


def _demo_feedback(cohorts: list[Cohort]) -> None:
    """Feedback both ways on the cohorts' completed placements, given through the services by
    the participant and by the host's named contact as its host person; once only."""
    completed = (
        Placement.objects.filter(participant__cohort__in=cohorts, status="complete")
        .select_related("participant__user", "organisation")
        .order_by("pk")
    )
    given = set(HostFeedback.objects.values_list("placement_id", flat=True))
    answered = set(ParticipantFeedback.objects.values_list("placement_id", flat=True))
    last_visits = dict(
        HalfDay.objects.filter(placement__in=completed)
        .values_list("placement_id")
        .annotate(last=Max("date"))
        .order_by()
    )
    for n, placement in enumerate(completed):
        # Given the day after the last half-day (the services stamp the day they run).
        given_at = _the_day_after(last_visits.get(placement.pk))
        if n % 5 != 4 and placement.pk not in given:
            rating, comment = HOST_FEEDBACK[n % len(HOST_FEEDBACK)]
            placement_feedback.host_feedback_give(
                placement=placement, by=placement.participant.user, rating=rating, comment=comment
            )
            HostFeedback.objects.filter(placement=placement).update(given_at=given_at)
        if n % 3 != 2 and placement.pk not in answered:
            host = _host_person(placement)
            placement_feedback.participant_feedback_give(
                placement=placement, by=host, comment=VISITOR_FEEDBACK[n % len(VISITOR_FEEDBACK)]
            )
            ParticipantFeedback.objects.filter(placement=placement).update(given_at=given_at)


def _weekday(day: dt.date, *, earlier: bool = False) -> dt.date:
    """The day, or the nearest Monday to Friday after it (before it, for what has happened):
    the demo's dates follow the day it is loaded, and people do not visit on Sundays. (The
    product knows no bank holidays, so the demo cannot avoid them.)"""
    while day.weekday() >= 5:
        day += dt.timedelta(days=-1 if earlier else 1)
    return day


def _the_day_after(day: dt.date | None) -> dt.datetime:
    """Ten in the morning the day after a visit, never later than now."""
    now = timezone.now()
    if day is None:
        return now
    moment = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(10))
    return min(now, timezone.make_aware(moment))


# The demo's driver diagram (issue #21): the transfer summary's aim, what drives it and the
# changes tested, as a participant would type the outline.
DEMO_DRIVERS = """Ward staff know what the community team needs
  One agreed list of the facts to send
    A one-page transfer summary agreed by both teams
    Send the summary with every referral from two wards
  Time to complete it before discharge
    Add the summary to the ward's discharge checklist
The community team can plan the first visit
  Referrals arrive complete
    Check each referral on arrival for a week
  People and carers know what happens next
    A short leaflet written with two carers"""


def _demo_driver_diagrams(cohorts: list[Cohort]) -> None:
    """A driver diagram on the first two initiatives of the cohorts (the finished cohort's
    first), written through the service as the participant; once only."""
    initiatives = ImprovementInitiative.objects.filter(participant__cohort__in=cohorts)
    if DriverNode.objects.filter(initiative__in=initiatives).exists():
        return
    first_two = initiatives.select_related("participant__user").order_by(
        "participant__cohort__programme_start", "pk"
    )[:2]
    for initiative in first_two:
        improvement_drivers.drivers_save(
            initiative=initiative, by=initiative.participant.user, text=DEMO_DRIVERS
        )


# Codes from the official registers (issue #20) on some demo organisations: made up, in the
# registers' shapes (ODS: a trust's 3 characters, a practice's letter and 5 digits; CQC: 1-…).
REGISTER_CODES = {
    "Eastmere University Hospitals NHS Foundation Trust": ("RX1", "", "Hospital Road", "EM1 2AB"),
    "Larkhaven Mental Health Partnership NHS Trust": ("RX2", "", "Harbour View", "LH3 4CD"),
    "Riverside Lane Medical Practice": ("X99101", "", "14 Riverside Lane", "FB2 6EF"),
    "Willowbank Nursing Home": ("", "1-990001001", "Willowbank Drive", "LH5 7GH"),
}
DEMO_CONCERN = (
    "Did not arrive for the second half-day at the practice and the team could not reach "
    "them. The practice manager would like to agree how visits are confirmed."
)


def _demo_registers_and_concern(orgs: dict, running: Cohort) -> None:
    """ODS and CQC codes on some organisations, and one open concern (did not attend, raised
    by the line manager) on a running placement, through the service; once only."""
    for name, (ods, cqc, address, postcode) in REGISTER_CODES.items():
        Organisation.objects.filter(pk=orgs[name].pk).update(
            ods_code=ods, cqc_location_id=cqc, address=address, postcode=postcode
        )
    if Concern.objects.filter(placement__participant__cohort=running).exists():
        return
    placement = (
        Placement.objects.filter(
            participant__cohort=running, participant__line_manager__isnull=False
        )
        .exclude(status="withdrawn")
        .select_related("participant__user", "participant__line_manager", "organisation")
        .order_by("pk")
        .first()
    )
    if placement is None:
        return
    placement_concerns.concern_raise(
        placement=placement,
        by=placement.participant.line_manager,
        kind=Concern.Kind.DID_NOT_ATTEND,
        description=DEMO_CONCERN,
    )


# The host person of the demo's login list (issue #20): they see Riverside Lane's visits. Hosts
# normally sign in with an emailed code; the demo gives them its password too.
DEMO_HOST = ("n.ashdown@riverside-lane.example", "Nell Ashdown", "Riverside Lane Medical Practice")


def _demo_host_visits(running: Cohort, orgs: dict, today: dt.date) -> DemoLogin:
    """A host person for one host organisation, and two half-days to come there on a running
    placement, booked through the services: the first confirmed by the host, the second
    waiting for their answer. Once only while a booked half-day is still to come."""
    email, name, org_name = DEMO_HOST
    user = _user(email, name)
    HostPerson.objects.get_or_create(user=user, organisation=orgs[org_name])
    placement = (
        Placement.objects.filter(
            participant__cohort=running,
            organisation=orgs[org_name],
            outcomes_status="approved",
        )
        .exclude(status="withdrawn")
        # One still under way: a placement is four half-days.
        .annotate(done=Count("half_days", filter=Q(half_days__status="completed")))
        .filter(done__lt=rules.HALF_DAYS_PER_PLACEMENT)
        .select_related("participant__user", "participant__cohort", "organisation")
        .order_by("pk")
        .first()
    )
    if placement is None or placement.half_days.filter(status="planned", date__gte=today).exists():
        return DemoLogin("Host person", email, name)
    booked = []
    for days, session, person in ((3, "am", "Practice nurse team"), (10, "pm", "Care coordinator")):
        booked.append(
            placement_services.half_day_log(
                placement=placement,
                by=placement.participant.user,
                today=today,
                date=_weekday(today + dt.timedelta(days=days)),
                session=session,
                location=f"{org_name}, main site",
                person_met=person,
                level="front_line" if session == "am" else "team_leader",
                status="planned",
            )
        )
    hosting.half_day_host_confirm(half_day=booked[0], by=user)
    return DemoLogin("Host person", email, name)


def _host_person(placement) -> User:
    """The organisation's host person: one already named, or its contact on the placement."""
    existing = (
        HostPerson.objects.filter(organisation=placement.organisation)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if existing:
        return existing.user
    first, *rest = placement.contact_name.replace("Dr ", "").split()
    slug = "".join(c for c in placement.organisation.name.lower() if c.isalnum() or c == " ")
    email = f"{first}.{rest[-1] if rest else 'host'}@{'-'.join(slug.split()[:2])}.example"
    user = _user(email.lower(), placement.contact_name)
    HostPerson.objects.get_or_create(user=user, organisation=placement.organisation)
    return user


def _forget_stale_progress(running_start: dt.date) -> None:
    """A demo loaded weeks ago has its people at other stages by now: the participants of the
    demo's finished and running cohorts (with their placements, half-days, accounts,
    initiatives and answers) are built again around the new start. Nothing outside the
    demo's own cohorts is touched."""
    if Cohort.objects.filter(name=RUNNING_COHORT).exclude(programme_start=running_start).exists():
        Participant.objects.filter(cohort__name__in=[RUNNING_COHORT, PAST_COHORT]).delete()


def _demo_past_cohort(running_start, orgs, managers, sponsors, today) -> Cohort:
    """Cohort 2 finished before the running one began: its window ended about four months
    before Cohort 3's started, and its workshop a fortnight later, so its 6-month follow-up
    has been open two to four weeks (eight weeks in all): four of its five have answered."""
    start = rules.add_months(running_start, -10)
    past, _ = Cohort.objects.update_or_create(
        name=PAST_COHORT,
        defaults={
            "programme_start": start,
            "status": CohortStatus.CLOSED,
            "briefing_date": start,
            "briefing_time": dt.time(9, 30),
            "briefing_place": "Eastmere Education Centre, Room 2",
            "workshop_date": _weekday(rules.window_end(start) + dt.timedelta(days=14)),
            "workshop_time": dt.time(13, 0),
            "workshop_place": "Fenbridge Community Hub",
        },
    )
    for email, name, org_name, profession, job_title in PAST_PARTICIPANTS:
        Participant.objects.update_or_create(
            user=_user(email, name),
            cohort=past,
            defaults={
                "organisation": orgs[org_name],
                "profession": profession,
                "job_title": job_title,
                "line_manager": managers[org_name],
                "sponsor": sponsors[org_name],
                "workshop_attended": True,
            },
        )
    _demo_progress(past, orgs, today)
    _demo_follow_up(past)
    return past


def _demo_follow_up(cohort: Cohort) -> None:
    """All but the first (Ama Quarrie, left to answer) answered the 6-month follow-up on the
    day it opened: the report shows "Fewer than 5 answered" until she does."""
    opens = follow_ups.window(cohort, "6-months").opens
    people = Participant.objects.filter(cohort=cohort).select_related("user", "cohort")
    for index, participant in enumerate(people.order_by("user__email")):
        if index == 0 or FollowUp.objects.filter(participant=participant).exists():
            continue
        answered = follow_ups.follow_up_submit(
            participant=participant,
            moment="6-months",
            answers={
                "role": f"Senior {participant.job_title[0].lower()}{participant.job_title[1:]}",
                "band": ["band_6", "social_care", "band_7", "band_7", "band_6"][index],
                "promoted": index % 2 == 1,
                "same_employer": index != 3,
                "contacts": 2 + index * 2,
                "learning_use": "I call the people I met on placements before a complex discharge.",
            },
            today=opens,
        )
        _answered_on(answered, opens)


def _demo_self_assessment(cohort: Cohort, today: dt.date, after: bool = False) -> None:
    """Those who have started answered at the start (and, for a finished cohort, at the end,
    a little further along each scale), through the services."""

    items = evaluation.items_for(cohort)
    people = Participant.objects.filter(cohort=cohort).select_related("user", "cohort")
    for index, participant in enumerate(people.order_by("user__email")):
        stage = stage_of(participant)
        if stage == "not_started" or SelfAssessment.objects.filter(participant=participant):
            continue
        start = {item.pk: 1 + (index + n) % 3 for n, item in enumerate(items)}
        count = next(item.pk for item in items if item.kind == "count")
        start[count] = 2 + index % 5
        answered_on = cohort.programme_start
        before = evaluation.submit_self_assessment(participant, "before", start, answered_on)
        _answered_on(before, answered_on)
        if after:
            end = {pk: min(5, value + 1 + (index + pk) % 2) for pk, value in start.items()}
            end[count] = start[count] + 4 + index % 3
            answered_on = evaluation.after_opens(participant)
            answers = evaluation.submit_self_assessment(participant, "after", end, answered_on)
            _answered_on(answers, answered_on)


def _answered_on(assessment, day: dt.date) -> None:
    """Dated the demo's day of answering, not the day the demo was loaded."""
    assessment.submitted_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    assessment.save(update_fields=["submitted_at"])


# Each demo participant is at a different stage: (email, stage).
STAGES = {
    "participant@eastmere-hospitals.example": "mid_way",
    "f.okonjo@eastmere-hospitals.example": "not_started",
    "l.brennock@eastmere-hospitals.example": "awaiting_approval",
    "m.castellan@eastmere-council.example": "complete",
    "p.ingleby@eastmere-council.example": "at_risk",
    "d.ferreira@eastmere-council.example": "first_placement",
    "a.thornbury@fenbridge-community.example": "mid_way",
    "o.mcallister@fenbridge-community.example": "awaiting_approval",
    "s.varga@larkhaven-mh.example": "complete",
    "t.adeyemi@larkhaven-mh.example": "missed_briefing",
    "g.lindell@eastmere-therapy.example": "not_started",
    "h.pemberton@eastmere-therapy.example": "mid_way",
}


def stage_of(participant: Participant) -> str:
    """The finished cohort's people completed everything; the running cohort's are at STAGES."""
    if participant.cohort.status == CohortStatus.CLOSED:
        return "complete"
    return STAGES.get(participant.user.email, "not_started")


# The overall status (rules.Overall) each stage has on any day the demo is loaded.
EXPECTED_OVERALL = {
    # Half-way with nothing arranged: behind the milestones (the first placement agreed by
    # week 4, three arranged by week 10), though twelve half-days would still fit at one a week.
    "not_started": rules.Overall.AT_RISK,
    # Three placements arranged, six half-days done, the third's outcomes waiting.
    "awaiting_approval": rules.Overall.ON_TRACK,
    # One placement under way: behind "three placements arranged by week 10".
    "first_placement": rules.Overall.AT_RISK,
    "mid_way": rules.Overall.ON_TRACK,
    # Everything but the workshop, which is still to come.
    "complete": rules.Overall.ON_TRACK,
    # A placement finished nine weeks ago with no reflective account shared.
    "at_risk": rules.Overall.AT_RISK,
    "missed_briefing": rules.Overall.MISSED,
}
PEOPLE = [
    ("Practice nurse team", "front_line"),
    ("Care coordinator", "team_leader"),
    ("Operations director", "senior_leader"),
    ("Reception and care navigation team", "front_line"),
]


# Offers and capacity, checks before the first visit (issue #20). Each host publishes one
# offer; placements rotate over the seven hosts (earlier, one practice took 11 of 21), so no
# host has more visitors in a month than its offer takes. (host, contact, their role, offer
# title, what a visitor sees, where, who they meet, the offer's checks, visitors a month)
DEMO_OFFERS = [
    ("Riverside Lane Medical Practice", "Dr Imogen Vale", "GP partner",
     "A morning in general practice",
     "Sit in on a duty doctor's triage, then follow a referral from the practice to community "
     "services.", "Riverside Lane surgery, Fenbridge", "Duty doctor, care navigators",
     ["id_badge"], 4),
    ("Willowbank Nursing Home", "Bea Northcott", "Registered manager",
     "Admissions from hospital to a nursing home",
     "See how a new resident arrives from hospital: the assessment, the medicines and the first "
     "night.", "Willowbank, Larkhaven", "Registered manager, senior carers", [], 4),
    ("Saltmarsh Housing Association", "Ravi Kendrick", "Tenancy support lead",
     "Tenancy support visits",
     "Join tenancy support officers on home visits to people leaving hospital.",
     "Saltmarsh Bay office and tenants' homes", "Tenancy support officers", [], 4),
    ("Home Together Eastmere (charity)", "Carys Dunmore", "Volunteer coordinator",
     "Home from hospital volunteers",
     "Meet the volunteers who settle people at home after a hospital stay.",
     "Eastmere town centre", "Volunteer coordinator, volunteers", [], 4),
    ("Eastmere Constabulary", "Sgt Owen Pryce", "Custody sergeant",
     "Healthcare in police custody",
     "Shadow the custody nurse and see how people in custody reach health and social care.",
     "Eastmere custody suite", "Custody sergeant, custody nurse", ["information_governance"], 3),
    ("Fenbridge District Council", "Mira Stanhope", "Housing options manager",
     "Housing options and homelessness prevention",
     "See how the council prevents homelessness for people about to leave hospital.",
     "Fenbridge civic offices", "Housing options officers", [], 4),
    ("HMP Marshgate", "Glen Ashworth", "Head of healthcare",
     "Health and care in prison",
     "Follow the healthcare team's day, from reception screening to release planning.",
     "HMP Marshgate healthcare unit", "Head of healthcare, prison officers", ["id_badge"], 3),
]  # fmt: skip
# The checks each host needs of every visitor, whatever the offer.
DEMO_HOST_CHECKS = {
    "Riverside Lane Medical Practice": ["local_induction"],
    "Willowbank Nursing Home": ["dbs"],
    "Eastmere Constabulary": ["dbs"],
    "HMP Marshgate": ["dbs", "local_induction"],
}


def _demo_offers(orgs: dict, pm: User) -> None:
    """Each host's checks and its one offer, published by the programme manager on its
    behalf; once only."""
    for name, checks in DEMO_HOST_CHECKS.items():
        Organisation.objects.filter(pk=orgs[name].pk).update(required_clearances=checks)
        orgs[name].required_clearances = checks
    for host, _, _, title, description, where, who, checks, per_month in DEMO_OFFERS:
        if PlacementOffer.objects.filter(organisation=orgs[host]).exists():
            continue
        placement_offers.offer_save(
            organisation=orgs[host],
            by=pm,
            title=title,
            description=description,
            location=where,
            who_you_meet=who,
            clearances=checks,
            visitors_per_month=per_month,
        )


def demo_host(participant: Participant, index: int) -> tuple[str, str, str]:
    """The host of a participant's `index`th placement: the hosts in turn, starting one
    further along for each participant, so placements spread across all seven."""
    emails = [p[0] for p in PARTICIPANTS] + [p[0] for p in PAST_PARTICIPANTS]
    position = emails.index(participant.user.email) if participant.user.email in emails else 0
    host, contact, role, *_ = DEMO_OFFERS[(position + index) % len(DEMO_OFFERS)]
    return host, contact, role


def _demo_clearances(placement: Placement, start: dt.date) -> None:
    """The host's checks, recorded by the participant in the week before the programme
    starts, so that the first half-day may be logged."""
    for kind in placement_clearances.missing_kinds(placement):
        placement_clearances.clearance_record(
            placement=placement,
            by=placement.participant.user,
            kind=kind,
            confirmed_by_name=placement.contact_name,
            confirmed_on=_weekday(start - dt.timedelta(days=7), earlier=True),
            note="Seen and recorded before the first visit.",
        )


def _demo_progress(cohort: Cohort, orgs: dict, today: dt.date) -> None:
    """Placements, outcomes and half-days through the real services, so the demo obeys the
    rules; only the approval dates are set back, as if approved early in the programme."""

    start = cohort.programme_start
    for participant in Participant.objects.filter(cohort=cohort).select_related("user", "cohort"):
        stage = stage_of(participant)
        participant.briefing_attended = stage != "missed_briefing"
        participant.save(update_fields=["briefing_attended"])
        _demo_touchpoints(participant, stage, start)
        if stage == "not_started" or Placement.objects.filter(participant=participant).exists():
            continue
        plan = {
            "first_placement": [("approved", 2)],
            "missed_briefing": [("approved", 2)],
            "awaiting_approval": [("approved", 3), ("approved", 3), ("submitted", 0)],
            "mid_way": [("approved", 4), ("approved", 2), ("submitted", 0)],
            "complete": [("approved", 4), ("approved", 4), ("approved", 4)],
            "at_risk": [("approved", 4), ("returned", 0)],
        }[stage]
        _demo_improvement(participant, stage, today)
        for index, (outcomes, half_days) in enumerate(plan):
            host_name, contact, role = demo_host(participant, index)
            placement = placement_services.placement_plan(
                participant=participant,
                by=participant.user,
                organisation=orgs[host_name],
                offer=PlacementOffer.objects.filter(organisation=orgs[host_name]).first(),
                contact_name=contact,
                contact_role=role,
                status="agreed",
                relevance_services="Patients I discharge are often referred here.",
                relevance_interfaces="We share patients but rarely speak directly.",
                relevance_career="I am aiming for a team leader role on the pathway.",
            )
            placement_services.outcomes_save(
                placement=placement,
                by=participant.user,
                texts=[
                    "Understand how referrals from my service are received and prioritised.",
                    "Learn what information they need from us at the point of transfer.",
                ],
            )
            placement_services.outcomes_submit(placement=placement, by=participant.user)
            if outcomes == "returned":
                placement_services.outcomes_return(
                    placement=placement,
                    by=participant.line_manager,
                    comment="Please make the second outcome specific to your caseload.",
                )
                continue
            if outcomes != "approved":
                continue
            placement_services.outcomes_approve(placement=placement, by=participant.line_manager)
            approved_at = timezone.make_aware(dt.datetime.combine(start, dt.time(12)))
            Placement.objects.filter(pk=placement.pk).update(outcomes_first_approved_at=approved_at)
            placement.refresh_from_db()
            _demo_clearances(placement, start)
            _log_half_days(
                placement_services,
                placement,
                participant,
                index,
                half_days,
                host_name,
                start,
                today,
            )
            if half_days == 4 and stage in {"complete", "mid_way"}:
                _reflect(placement, participant, discussed=stage == "complete", today=today)
    _keep_waiting_accounts_fresh(cohort, today)


def _keep_waiting_accounts_fresh(cohort: Cohort, today: dt.date) -> None:
    """The mid-way people's shared accounts wait for their line manager's discussion, which is
    due 10 working days after sharing. A demo loaded again within the fortnight its dates are
    kept shows them shared that day, so none has become overdue in between."""
    ReflectiveAccount.objects.filter(
        placement__participant__cohort=cohort,
        placement__participant__user__email__in=[
            email for email, stage in STAGES.items() if stage == "mid_way"
        ],
        status=AccountStatus.SHARED,
    ).update(
        shared_at=timezone.now()
        if today == timezone.localdate()
        else timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    )


# Those who have met their sponsor (issue 19); the others show "Not yet" on the dashboard and
# a "Meet …" task on their sponsor's home page.
MET_SPONSOR = {"mid_way", "complete", "first_placement", "at_risk"}
# The one mid-programme review recorded (the running cohort is 13 weeks in: the others are due).
REVIEW_RECORDED = "l.brennock@eastmere-hospitals.example"


def _demo_touchpoints(participant, stage: str, start: dt.date) -> None:
    if stage in MET_SPONSOR:
        SponsorMeeting.objects.get_or_create(
            participant=participant,
            defaults={
                "met_on": _weekday(start + dt.timedelta(days=7), earlier=True),
                "notes": "Talked about why we take part; shared two contacts in community teams.",
                "recorded_by_id": participant.sponsor_id,
            },
        )
    if participant.user.email == REVIEW_RECORDED and not hasattr(
        participant, "mid_programme_review"
    ):
        reviews.mid_programme_review_record(
            participant=participant,
            by=participant.line_manager,
            held_on=_weekday(start + dt.timedelta(weeks=reviews.REMINDER_WEEK), earlier=True),
            going_well="Confident arranging placements; outcomes written clearly.",
            help_needed="An introduction to the discharge hub at Fenbridge.",
            plan="Outcomes agreed this month, two placements booked by week 18, workshop talk "
            "drafted by week 24.",
        )


def _log_half_days(services, placement, participant, index, half_days, host_name, start, today):
    for n in range(half_days):
        person, level = PEOPLE[n]
        services.half_day_log(
            placement=placement,
            by=participant.user,
            today=today,
            date=_weekday(start + dt.timedelta(days=7 * (index * 4 + n) + 2), earlier=True),
            session="am" if n % 2 == 0 else "pm",
            location=f"{host_name}, main site",
            person_met=person,
            level=level,
            pathway_connection="Receives people discharged from our service.",
            status="completed",
        )


def _reflect(placement, participant, discussed: bool, today: dt.date) -> None:
    """A reflective account in the I2I framework, shared with the line manager; discussed
    too when `discussed` (else it waits for their discussion on their home page)."""

    account = reflection_services.account_start(placement=placement, by=participant.user)
    reflection_services.account_save(
        account=account,
        by=participant.user,
        answers={
            "what_happened": f"Four half-days with {placement.organisation}, meeting front-line "
            "staff, a team leader and a director.",
            "professional_learning": "How referrals from my service are triaged on arrival.",
            "personal_learning": "I ask more open questions when I am the visitor.",
            "pathway_understanding": "Delays often start with missing information at transfer.",
            "learn_next": "How community teams plan the first week at home.",
            "improvement_ideas": "A one-page transfer summary agreed by both teams.",
        },
        workshop_learning="Small changes to what we send at transfer save a day for the "
        "receiving team.",
    )
    reflection_services.account_share(account=account, by=participant.user)
    if discussed:
        reflection_services.account_discuss(
            account=account,
            by=participant.line_manager,
            discussed_on=today,
            comment="Useful; bring the transfer summary idea to the team meeting.",
        )


# Days from referral to first visit: ten weeks around 9, then ten around 4 after the change.
DEMO_MEASURE = [9, 10, 8, 9, 11, 9, 8, 10, 9, 9, 6, 5, 4, 5, 4, 4, 5, 3, 4, 4]


def _demo_improvement(participant, stage: str, today: dt.date) -> None:
    """An agreed initiative with a measure and a PDSA cycle for those who have finished their
    placements; a plan waiting for agreement for those mid-way."""

    if stage not in {"complete", "mid_way"}:
        return
    user = participant.user
    initiative = improvement_services.initiative_create(
        participant=participant,
        by=user,
        title="A one-page transfer summary",
        problem="Referrals from the ward often arrive without the facts the community team "
        "needs, so they phone to chase them and the first visit is delayed.",
        aim="Reduce the days from referral to first home visit from 9 to 5 within 12 weeks.",
        measures_summary="Days from referral received to first home visit, for each week.",
        change_ideas="A one-page summary agreed by both teams, sent with every referral.",
        kind="forms",
        teams="Discharge team; community nursing",
    )
    improvement_services.initiative_submit(initiative=initiative, by=user)
    if stage != "complete":
        return
    improvement_services.initiative_agree(
        initiative=initiative, by=participant.line_manager, comment="Yes"
    )
    improvement_services.initiative_progress(initiative=initiative, by=user, status="testing")
    # A finished cohort's data ends with its window, not today.
    start = min(today, rules.window_end(participant.cohort.programme_start)) - dt.timedelta(
        weeks=len(DEMO_MEASURE)
    )
    measure = improvement_services.measure_save(
        initiative=initiative,
        by=user,
        name="Days from referral to first visit",
        definition="Average days from referral received to first home visit, each week.",
        unit="days",
        direction="lower",
        baseline=9,
        target=5,
    )
    rows = "\n".join(
        f"{start + dt.timedelta(weeks=i):%d/%m/%Y}\t{value}" for i, value in enumerate(DEMO_MEASURE)
    )
    improvement_services.data_points_paste(measure=measure, by=user, text=rows)
    improvement_services.pdsa_save(
        initiative=initiative,
        by=user,
        change="Send the one-page summary with every referral from two wards",
        prediction="Fewer calls chasing information; first visits two days sooner",
        starts_on=start + dt.timedelta(weeks=10),
        do_notes="Both wards used it for 28 of 30 referrals.",
        study_notes="Days to first visit fell from about 9 to about 4.",
        act="adopt",
        next_steps="Roll out to all medical wards.",
        ends_on=start + dt.timedelta(weeks=14),
    )
    _demo_change_marked(measure, user, start + dt.timedelta(weeks=10))
    improvement_services.initiative_outcome(
        initiative=initiative,
        by=user,
        outcome_what_changed="Every referral from two wards now carries the summary.",
        outcome_for_whom="People going home from hospital who need a community nurse.",
        outcome_evidence="The run chart shows a shift below the median after the change.",
        outcome_learning="Agreeing the form together mattered more than its design.",
        outcome_sustain="The summary is part of the ward's discharge checklist.",
        i2i_ideas=IDEAS_FOR_I2I[participant.pk % len(IDEAS_FOR_I2I)],
    )
    _demo_implementation(initiative, start + dt.timedelta(weeks=16))


def _demo_change_marked(measure, user, day: dt.date) -> None:
    """The first point after the change starts a new phase, so Making Data Count judges
    the weeks before it on their own limits (issue #21)."""
    point = measure.points.get(date=day)
    improvement_services.data_point_change_mark(
        point=point, by=user, starts_phase=True, phase_label="One-page summary sent"
    )


# How far the finished cohort's initiatives got (issue #21): three implemented and reviewed,
# one waiting for the line manager's review, one still testing its first change. The running
# cohort's participant who finished their placements waits for the review too.
IMPLEMENTATION = {
    "d.marwood@larkhaven-mh.example": "asked",
    "e.tolland@eastmere-therapy.example": "testing",
}


def _demo_implementation(initiative, reviewed_on: dt.date) -> None:
    """Take the initiative (agreed, a PDSA cycle adopted, data after the change) to its
    stage: reviewed by the line manager on `reviewed_on` (set back, as if reviewed then),
    waiting for the review, or still testing (the cycle not yet finished)."""
    participant = initiative.participant
    closed = participant.cohort.status == CohortStatus.CLOSED
    level = IMPLEMENTATION.get(participant.user.email, "reviewed") if closed else "asked"
    if level == "testing":
        cycle = initiative.cycles.get()
        improvement_services.pdsa_save(
            initiative=initiative, by=participant.user, cycle=cycle, act="", ends_on=None
        )
        return
    implementation_review.review_ask(initiative=initiative, by=participant.user)
    if level == "reviewed":
        implementation_review.review_confirm(
            initiative=initiative,
            by=participant.line_manager,
            comment="Implemented on both wards; the run chart shows the shift. Well done.",
        )
    at = timezone.make_aware(dt.datetime.combine(reviewed_on, dt.time(12)))
    initiative.decisions.filter(action__in=implementation_review.REVIEW_ACTIONS).update(at=at)
    if level == "reviewed":
        type(initiative).objects.filter(pk=initiative.pk).update(reviewed_at=at)


# Fictional ideas for improving I2I, so that the evaluation's list reads like a cohort's.
IDEAS_FOR_I2I = (
    "Let participants meet their hosts at the briefing.",
    "A shared calendar of host organisations' open days would make half-days easier to book.",
    "Pair each participant with someone from the previous cohort.",
    "Ask hosts what they would like a visiting nurse or social worker to see.",
    "Give line managers a short guide to agreeing learning outcomes.",
)


def _demo_recruitment(recruiting, running, orgs, managers, today: dt.date) -> None:
    """Places on both cohorts, and Expressions of Interest at different stages."""

    for cohort, places in ((running, 3), (recruiting, 2)):
        for name, _, is_partner, _ in ORGANISATIONS:
            if is_partner:
                CohortPlaces.objects.update_or_create(
                    cohort=cohort, organisation=orgs[name], defaults={"places": places}
                )
    if ExpressionOfInterest.objects.filter(cohort=recruiting).exists():
        return
    applicant = _user("c.tremaine@eastmere-hospitals.example", "Casey Tremaine")
    eoi = recruitment.eoi_start(cohort=recruiting, organisation=orgs[ACUTE], by=applicant)
    eoi = recruitment.eoi_save(
        eoi=eoi,
        by=applicant,
        profession="Nursing",
        registration_body="NMC",
        registration_number="12A3456E",
        job_title="Staff nurse, acute medical unit",
        band="Band 5",
        qualified_on=rules.add_months(today, -30),
        performing_well=True,
        last_appraisal_on=rules.add_months(today, -5),
        aiming_senior=True,
        senior_role="Band 6 discharge coordinator",
        why="I see people come back to us within weeks of going home and want to understand "
        "what happens to them after they leave the ward, so that I can plan better discharges.",
        discussed_with_line_manager=True,
        line_manager_email=managers[ACUTE].email,
    )
    recruitment.eoi_submit(eoi=eoi, by=applicant)
    recruitment.eoi_support(eoi=eoi, by=managers[ACUTE], supported=True, comment="Yes, gladly.")
    early = _user("j.kowal@eastmere-hospitals.example", "Jas Kowal")
    draft = recruitment.eoi_start(cohort=recruiting, organisation=orgs[ACUTE], by=early)
    recruitment.eoi_save(
        eoi=draft,
        by=early,
        profession="Physiotherapy",
        job_title="Physiotherapist",
        qualified_on=rules.add_months(today, -8),
    )


def _demo_peers_and_announcement(running: Cohort, pm: User) -> None:
    """Three of the running cohort show their email to their peers (the demo participant has
    not chosen yet, so the choice can be tried); one announcement to its participants, read by
    all but the demo participant, who sees it on their home page. Sent once: loading again
    adds nothing (and sends no email: the demo's people are fictional)."""
    showing = [email for email, *_ in PARTICIPANTS[1:4]]
    Participant.objects.filter(cohort=running, user__email__in=showing).update(
        show_email_to_peers=True
    )
    if Announcement.objects.filter(cohort=running).exists():
        return
    announcement = Announcement.objects.create(
        cohort=running,
        audience=Announcement.Audience.PARTICIPANTS,
        subject="Workshop: bring one slide about your improvement initiative",
        body="Dear all,\n\nAt the closing workshop each of you has five minutes to share your "
        "improvement initiative. Please bring one slide: your aim, one run chart and what you "
        "would tell a colleague starting the same change.\n\nWith thanks,\nMorgan Ellery",
        sent_by=pm,
    )
    now = timezone.now()
    AnnouncementRecipient.objects.bulk_create(
        AnnouncementRecipient(
            announcement=announcement,
            recipient_id=user_id,
            read_at=None if email == PARTICIPANTS[0][0] else now,
        )
        for user_id, email in Participant.objects.filter(cohort=running).values_list(
            "user_id", "user__email"
        )
    )
