"""The principles in practice: how many reflective accounts and improvement initiatives a
cohort tagged with each principle of workforce integration, counted (never named) in the
evaluation report, its PDF and the workshop pack."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from i2i.models import Job
from participants.models import WorkshopConsent
from programme.evaluation_report import PrincipleCount, cohort_evaluation, evaluate_cohorts
from programme.workshop_pack import (
    WorkshopPack,
    overview_context,
    participant_preview,
    workshop_pack_pdf,
)
from reflections import services
from tests.factories import (
    CohortFactory,
    ImprovementInitiativeFactory,
    ParticipantFactory,
    ReflectiveAccountFactory,
)

OUTCOMES = "1. Better outcomes for people with care and support needs"
WHOLE_SYSTEM = "2. Workforce integration involves the whole system"
CHANGE = "3. Acknowledging and overcoming resistance to change"
WORKFORCE = "4. A confident, skilled workforce supporting active communities"
PROCESS = "5. Process matters: how the workforce is valued"
RELATIONSHIPS = "6. New relationships, networks and ways of working"


def shared_account(participant, principles):
    account = ReflectiveAccountFactory(placement__participant=participant, principles=principles)
    services.account_share(account=account, by=participant.user)
    account.refresh_from_db()
    return account


@pytest.fixture
def tagged(world):
    """Cohort A, worked by hand:

    - Pat shares an account tagged outcomes and relationships (counted);
    - Pat's draft tagged outcomes is not counted: a draft is theirs until shared;
    - Pat shares an account tagged change; the line manager asks for more and Pat retags the
      draft as process: it counts as shared, with change;
    - Olly's account was discussed before shared copies were kept: its own tags count
      (relationships);
    - Pat's initiative shows outcomes and whole system, Olly's relationships;
    - another cohort's account and initiative (outcomes) are not Cohort A's.

    So three accounts and two initiatives: outcomes 1 and 1, whole system 0 and 1, change 1
    and 0, workforce and process none, relationships 2 and 1.
    """
    pat, olly = world.participant, world.other_participant
    shared_account(pat, ["outcomes", "relationships"])
    ReflectiveAccountFactory(placement__participant=pat, principles=["outcomes"])
    returned = shared_account(pat, ["change"])
    services.account_ask_more(account=returned, by=world.line_manager, comment="Say more.")
    returned.refresh_from_db()
    services.account_save(account=returned, by=pat.user, principles=["process"])
    ReflectiveAccountFactory(
        placement__participant=olly, status="discussed", principles=["relationships"]
    )
    ImprovementInitiativeFactory(participant=pat, principles=["outcomes", "whole_system"])
    ImprovementInitiativeFactory(participant=olly, principles=["relationships"])
    elsewhere = ParticipantFactory(cohort=CohortFactory(name="Cohort B"))
    shared_account(elsewhere, ["outcomes"])
    ImprovementInitiativeFactory(participant=elsewhere, principles=["outcomes"])
    return world


EXPECTED = [
    PrincipleCount(OUTCOMES, 1, 1),
    PrincipleCount(WHOLE_SYSTEM, 0, 1),
    PrincipleCount(CHANGE, 1, 0),
    PrincipleCount(WORKFORCE, 0, 0),
    PrincipleCount(PROCESS, 0, 0),
    PrincipleCount(RELATIONSHIPS, 2, 1),
]


def test_it_counts_each_principle_on_shared_accounts_and_initiatives(tagged):
    evaluation = cohort_evaluation(tagged.participant.cohort, timezone.localdate())
    assert evaluation.principles == EXPECTED
    assert (evaluation.accounts_shared, evaluation.initiatives) == (3, 2)


def test_a_cohort_with_nothing_tagged_counts_six_noughts(world):
    evaluation = cohort_evaluation(world.participant.cohort, timezone.localdate())
    assert [(p.accounts, p.initiatives) for p in evaluation.principles] == [(0, 0)] * 6
    assert evaluation.accounts_shared == 0


def test_the_page_shows_the_counts_without_names(client, tagged):
    client.force_login(tagged.programme_manager)
    cohort = tagged.participant.cohort
    page = client.get(reverse("cohort_evaluation", args=[cohort.pk])).content.decode()
    assert '<a href="#principles-heading">The principles in practice</a>' in page
    assert f'<tr><th scope="row">{RELATIONSHIPS}</th><td>2</td><td>1</td></tr>' in page
    assert f'<tr><th scope="row">{WORKFORCE}</th><td>0</td><td>0</td></tr>' in page
    assert "from 3 reflective accounts shared with line managers" in page
    section = page[page.index('id="principles-heading"') : page.index('id="ideas-heading"')]
    assert "Pat Participant" not in section and "Olly Other" not in section


def test_the_pdf_has_the_chapter(client, tagged, django_capture_on_commit_callbacks):
    client.force_login(tagged.programme_manager)
    cohort = tagged.participant.cohort
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cohort_evaluation_pdf", args=[cohort.pk]))
    job = Job.objects.get(kind="evaluation_report")
    assert job.status == "done", job.message
    download = client.get(reverse("job_download", args=[job.pk]))
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.count("The principles in practice") >= 2  # in the contents and as a chapter
    assert f"{RELATIONSHIPS} 2 1" in text
    assert f"{CHANGE} 1 0" in text


def test_the_workshop_pack_overview_counts_the_principles(tagged):
    cohort = tagged.participant.cohort
    context = overview_context(cohort, timezone.localdate())
    assert context["evaluation"].principles == EXPECTED
    html = WorkshopPack().part_html(
        {"cohort_id": cohort.pk}, {"part": "overview", "on": timezone.localdate().isoformat()}
    )
    assert "The principles in practice" in html
    assert f"<tr><td>{OUTCOMES}</td><td>1</td><td>1</td></tr>" in html
    assert f"<tr><td>{RELATIONSHIPS}</td><td>2</td><td>1</td></tr>" in html
    _, pdf = workshop_pack_pdf({"cohort_id": cohort.pk})
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "The principles in practice" in text
    assert f"{RELATIONSHIPS} 2 1" in text
    assert "Pat Participant" not in text  # nobody consented to a section


@pytest.mark.parametrize(("include_initiative", "shown"), [(True, True), (False, False)])
def test_a_section_lists_its_initiative_s_principles_only_with_consent(
    tagged, include_initiative, shown
):
    pat = tagged.participant
    consent = WorkshopConsent.objects.create(
        participant=pat, include=True, include_initiative=include_initiative
    )
    section = participant_preview(pat, consent)
    assert section.initiative_principles == ([OUTCOMES, WHOLE_SYSTEM] if shown else [])
    html = WorkshopPack().part_html(
        {"cohort_id": pat.cohort_id}, {"part": "sections", "ids": [pat.pk]}
    )
    assert (f"{OUTCOMES}; {WHOLE_SYSTEM}" in html) is shown
    # The accounts' tags stay out of sections: the pack holds only their chosen learning.
    assert RELATIONSHIPS not in html


def test_the_counts_take_as_many_queries_for_12_participants_as_for_2(world):
    """The principles are read in two queries (the accounts, the initiatives) whatever the
    cohort's size, as the rest of the report is."""
    cohort = world.participant.cohort
    day = dt.date(2027, 6, 1)
    evaluate_cohorts([cohort], day)  # the first reading sets the cohort's questions up
    counts, tagged = [], 0
    for size in (2, 12):
        for _ in range(size):
            participant = ParticipantFactory(cohort=cohort)
            shared_account(participant, ["process", "change"])
            ImprovementInitiativeFactory(participant=participant, principles=["process"])
        tagged += size
        with CaptureQueriesContext(connection) as captured:
            evaluation = evaluate_cohorts([cohort], day)[cohort.pk]
        assert evaluation.principles[4] == PrincipleCount(PROCESS, tagged, tagged)
        counts.append(len(captured))
    assert counts[0] == counts[1]
