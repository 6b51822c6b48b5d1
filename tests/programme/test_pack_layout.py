"""The printed layout of the workshop pack and the evaluation report, for a cohort of 40.

Made to be handed out: no page holds only a heading or a caption, the overview of the
cohort stays short however many links the cohort made (the network is summed up in print,
by sector and by its busiest pairs, rather than drawn and listed link by link), and one
font family is used throughout, running headers and footers included.

Every date follows from the cohort's programme start, and the clock is moved to the day
the pack is made (a week before the workshop) while the cohort is built and printed, so the
pages do not depend on the day the suite runs.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from evaluation import services
from evaluation.models import SelfAssessment, SelfAssessmentAnswer
from improvements.models import DataPoint
from participants.models import Cohort, Organisation, Participant, Sector, WorkshopConsent
from tests.factories import (
    ApprovedPlacementFactory,
    CohortFactory,
    DataPointFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    MeasureFactory,
    OrganisationFactory,
    ParticipantFactory,
    ReflectiveAccountFactory,
)

pytestmark = pytest.mark.django_db

START = dt.date(2027, 3, 1)  # the cohort's programme start; every date follows from it
ON = START + dt.timedelta(weeks=26)  # the day the pack is made: a week before the workshop
PARTICIPANTS = 40
EMPLOYERS = 20
HOSTS = 40
PLACEMENTS_EACH = 3
HALF_DAYS_EACH = 4  # per placement: twelve in all, as the programme asks
OVERVIEW_MOST_PAGES = 6
# A page is worth printing with more than a heading's worth of text on it, beyond the
# running header (the chapter) and the footer ("I2I Cohorts – page N of M").
LEAST_LINES = 2
LEAST_CHARACTERS = 60
LONDON = ZoneInfo("Europe/London")
FOOTER = re.compile(r"I2I Cohorts\s*[–-]\s*page \d+ of \d+")

PLACES = (
    "Eastmere and Fenbridge",
    "Westmere",
    "Marsh Lane",
    "Northholt and Saltby",
    "Kingsferry",
    "Ashworth Vale",
    "Brackenfield",
    "Oldcastle and District",
    "Hollins Cross",
    "Upper Wensley",
)
KINDS = {
    Sector.ACUTE: "University Hospitals NHS Foundation Trust",
    Sector.COMMUNITY: "Community Health Services NHS Trust",
    Sector.MENTAL_HEALTH: "Mental Health and Wellbeing Partnership NHS Trust",
    Sector.SOCIAL_CARE: "County Council Adult Social Care Services",
    Sector.ALLIED_HEALTH: "Therapies and Rehabilitation Service",
    Sector.CARE_SECTOR: "Residential and Nursing Care Homes Group",
    Sector.GP_PRACTICE: "Primary Care Network Medical Practice",
    Sector.POLICE: "Constabulary Mental Health Street Triage Team",
    Sector.PVI: "Age Well and Carers Support Charity",
    Sector.LOCAL_GOVERNMENT: "Borough Council Public Health Team",
    Sector.HOUSING: "Housing Association Supported Living Service",
    Sector.PRISONS: "Prison Healthcare and Resettlement Service",
    Sector.OTHER: "Voluntary Sector Social Prescribing Hub",
}
EMPLOYER_SECTORS = (Sector.ACUTE, Sector.COMMUNITY, Sector.MENTAL_HEALTH, Sector.SOCIAL_CARE)
LEARNING = (
    "On the discharge team's morning huddle I saw how each referral is weighed against the "
    "beds free that day, and why a missing transfer summary costs the receiving team a day. "
    "Ward staff and the council's reablement team each hold half of the picture.\n"
    "Next I want the ward to phone the duty social worker before the summary is written, so "
    "questions are answered once and the patient goes home sooner."
)
WHAT_CHANGED = (
    "Referrals now arrive with a one-page summary agreed by both teams. The median days "
    "from referral to first visit fell from nine to six, and the duty social worker says "
    "fewer calls are needed to chase missing details about medicines and equipment."
)
IDEAS = (
    "Meet your hosts at the briefing, so the first half-day starts with a face you know, "
    "and give each cohort a shared list of hosts who have offered places before."
)


def organisation_name(index: int, sector: str) -> str:
    return f"{PLACES[index % len(PLACES)]} {KINDS[sector]} {index:02d}"


def build_cohort() -> Cohort:
    """A cohort of 40, everyone consenting to a full section: three placements each at
    hosts across every sector (120 links between 60 organisations with long names),
    twelve completed half-days, a reflective account with learning to share per placement,
    an improvement initiative whose measure has 20 weekly points, and the self-assessment
    answered at the start and at the end."""
    cohort = CohortFactory(
        name="Cohort for the printed layout",
        programme_start=START,
        briefing_date=START - dt.timedelta(days=14),
        workshop_date=ON + dt.timedelta(weeks=1),
        workshop_place="Eastmere Conference Centre",
        workshop_agenda="10:00 Welcome\n10:15 What we learnt on placement\n13:45 Ideas for I2I",
    )
    employers = [
        OrganisationFactory(
            name=organisation_name(i, EMPLOYER_SECTORS[i % 4]), sector=EMPLOYER_SECTORS[i % 4]
        )
        for i in range(EMPLOYERS)
    ]
    sectors = list(Sector)
    hosts = [
        OrganisationFactory(
            name=organisation_name(EMPLOYERS + i, sectors[i % len(sectors)]),
            sector=sectors[i % len(sectors)],
            town="Westmere",
        )
        for i in range(HOSTS)
    ]
    levels = ("front_line", "team_leader", "senior_leader", "other")
    participants, points = [], []
    for i in range(PARTICIPANTS):
        participant = ParticipantFactory(
            cohort=cohort,
            organisation=employers[i % EMPLOYERS],
            user__full_name=f"Participant {i + 1:02d} Surname-Longername",
            job_title="Senior staff nurse, discharge coordination",
        )
        participants.append(participant)
        for k in range(PLACEMENTS_EACH):
            placement = ApprovedPlacementFactory(
                participant=participant, organisation=hosts[(i * 7 + k * 17) % HOSTS]
            )
            for j in range(HALF_DAYS_EACH):
                HalfDayFactory(
                    placement=placement,
                    date=START + dt.timedelta(days=7 * (k * HALF_DAYS_EACH + j) + i % 5),
                    person_met=f"Host person {j + 1}",
                    level=levels[(i + j) % len(levels)],
                )
            ReflectiveAccountFactory(placement=placement, workshop_learning=LEARNING)
        initiative = ImprovementInitiativeFactory(
            participant=participant,
            title=f"A shared referral form between ward and team, number {i + 1}",
            status="testing",
            outcome_what_changed=WHAT_CHANGED,
            i2i_ideas=IDEAS,
        )
        measure = MeasureFactory(initiative=initiative, target=5)
        points += [
            DataPointFactory.build(
                measure=measure,
                date=START + dt.timedelta(weeks=week),
                value=(9 if week < 10 else 6) + ((i + week) % 7 - 3) / 2,
            )
            for week in range(20)
        ]
        WorkshopConsent.objects.create(participant=participant, include=True)
    DataPoint.objects.bulk_create(points)
    answer_both(cohort, participants)
    return cohort


def answer_both(cohort: Cohort, participants: list[Participant]) -> None:
    """Everyone answered the self-assessment at the start and, higher, at the end."""
    items = services.items_for(cohort)
    SelfAssessment.objects.bulk_create(
        SelfAssessment(participant=p, moment=moment)
        for p in participants
        for moment in ("before", "after")
    )
    SelfAssessmentAnswer.objects.bulk_create(
        SelfAssessmentAnswer(
            assessment=assessment,
            item=item,
            value=(assessment.participant_id % 3 + (1 if assessment.moment == "before" else 3))
            if item.kind == "scale"
            else 4,
        )
        for assessment in SelfAssessment.objects.filter(participant__cohort=cohort)
        for item in items
    )


@pytest.fixture
def cohort(db):
    """The cohort, with the clock on the day the pack is made while it is built and
    printed."""
    with time_machine.travel(dt.datetime.combine(ON, dt.time(10), tzinfo=LONDON), tick=False):
        yield build_cohort()


# --- Reading the PDF ----------------------------------------------------------------------


def chapters(reader: PdfReader) -> list[tuple[str, int]]:
    """The top-level bookmarks (the chapters, whose titles the running header repeats), each
    with the index of its first page."""
    return [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]


def chapter_pages(reader: PdfReader, title: str) -> int:
    """How many pages the chapter `title` takes, up to the next chapter (or the end)."""
    found = chapters(reader)
    [index] = [i for i, (name, _) in enumerate(found) if name == title]
    end = found[index + 1][1] if index + 1 < len(found) else len(reader.pages)
    return end - found[index][1]


def body_lines(text: str, titles: set[str]) -> list[str]:
    """A page's lines of text, less the footer and the running header (the chapter's title,
    written in the top margin)."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not FOOTER.fullmatch(line)]
    headers = [i for i, line in enumerate(lines) if line in titles]
    if headers:
        del lines[headers[-1]]
    return lines


def assert_no_page_holds_only_a_heading(reader: PdfReader) -> None:
    titles = {title for title, _ in chapters(reader)}
    thin = {}
    for number, page in enumerate(reader.pages[1:], start=2):  # the cover is meant to be bare
        lines = body_lines(page.extract_text(), titles)
        if len(lines) < LEAST_LINES or sum(len(line) for line in lines) <= LEAST_CHARACTERS:
            thin[number] = lines
    assert not thin, f"pages with no more than a heading or a caption on them: {thin}"


def font_names(reader: PdfReader) -> set[str]:
    """The base font of every font the pages use, in their own resources and in those of
    the forms drawn on them (the stamped page numbers, pictures)."""
    names: set[str] = set()

    def read(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                read(xobject["/Resources"])

    for page in reader.pages:
        read(page.get("/Resources"))
    return names


def assert_one_font_family(reader: PdfReader) -> None:
    names = font_names(reader)
    assert names
    # "/ABCDEF+DejaVu-Sans-Bold": a subset of DejaVu Sans, bold.
    families = {name.split("+")[-1].replace("-", "") for name in names}
    assert all(f.startswith("DejaVuSans") and "Serif" not in f for f in families), families


# --- The workshop pack ---------------------------------------------------------------------


def test_the_pack_of_forty_is_worth_handing_out(cohort):
    from programme.workshop_pack import workshop_pack_pdf

    _, content = workshop_pack_pdf({"cohort_id": cohort.pk}, lambda *a, **k: None)
    reader = PdfReader(io.BytesIO(content))
    names = sorted(
        Participant.objects.filter(cohort=cohort).values_list("user__full_name", flat=True)
    )
    assert set(names) <= {title for title, _ in chapters(reader)}  # a section each

    assert_no_page_holds_only_a_heading(reader)
    assert chapter_pages(reader, "The cohort") <= OVERVIEW_MOST_PAGES
    assert_one_font_family(reader)

    # A bold label leading an answer ("What changed:", the host's name) is not broken: it is
    # read on one line, with the start of what it leads.
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    assert sum("What changed: Referrals now arrive" in line for line in lines) == PARTICIPANTS
    hosts = Organisation.objects.filter(hosted_placements__participant__cohort=cohort).distinct()
    for name in hosts.values_list("name", flat=True):
        assert [line for line in lines if f"{name}: On the" in line], name


# --- The evaluation report -----------------------------------------------------------------


def test_the_evaluation_report_of_forty_sums_up_the_network_in_print(cohort):
    from i2i.jobs import make_document

    _, content = make_document("evaluation_report", {"cohort_id": cohort.pk}, lambda *a, **k: None)
    reader = PdfReader(io.BytesIO(content))
    assert_no_page_holds_only_a_heading(reader)
    assert chapter_pages(reader, "The network") <= 2
    assert_one_font_family(reader)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "The 10 busiest of the 120 links, by half-days" in text
    assert "employer to host organisation" not in text  # the table of every link is the web's
