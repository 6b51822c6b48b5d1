"""Drafts are private (issue #13): the line manager reads only what the participant shared.

Until the first share the line manager sees the status, "Draft, not shared yet", in the page
and in the PDF; after "Ask for more" they keep reading the version shared before, while the
participant adds to the live text; sharing again replaces that version."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from i2i.jobs import job_run
from i2i.models import Job
from programme.personal_data import person_erase, personal_data
from reflections import services
from reflections.models import ReflectiveAccount

SHARED = "I shadowed the discharge coordinator on two wards."
DRAFT = "Half written: the patient in bay 4, NHS 943 476 5919"
WORKSHOP_DRAFT = "A draft thought for the workshop"
ADDED = "Added after the line manager asked: the pathway to reablement."


def _write(world, account, text, workshop_learning=""):
    account, _ = services.account_save(
        account=account,
        by=world.participant.user,
        answers={"what_happened": text},
        workshop_learning=workshop_learning,
    )
    return account


def _shared_then_returned(world, account):
    """Shared with the first text, returned with "Ask for more", then added to."""
    services.account_share(account=account, by=world.participant.user)
    services.account_ask_more(account=account, by=world.line_manager, comment="Tell me more.")
    return _write(world, account, ADDED, workshop_learning=WORKSHOP_DRAFT)


def _page(client, user, account):
    client.force_login(user)
    response = client.get(reverse("account_detail", args=[account.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _pdf_text(client, user, account, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("account_pdf", args=[account.pk]))
    job_pk = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    download = client.get(reverse("job_download", args=[job_pk]))
    assert download.status_code == 200
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


# The service keeps what was shared ---------------------------------------------------------


def test_sharing_keeps_a_copy_of_what_was_shared(world, account):
    account.principles = ["whole_system"]
    account.workshop_learning = "Call the reablement lead before discharge."
    account.save()
    account = services.account_share(account=account, by=world.participant.user)
    version = account.shared_version
    assert version["framework"] == "i2i"
    assert version["answers"] == {"what_happened": SHARED}
    assert version["workshop_learning"] == "Call the reablement lead before discharge."
    assert version["principles"] == ["whole_system"]
    assert version["shared_at"] == account.shared_at.isoformat()
    (outcome,) = version["outcome_ratings"]
    assert outcome["outcome"] == account.placement.outcomes.get().text


def test_asking_for_more_keeps_the_shared_copy_and_sharing_again_replaces_it(world, account):
    account = _shared_then_returned(world, account)
    account.refresh_from_db()
    assert account.answer("what_happened") == ADDED
    assert account.shared_version["answers"] == {"what_happened": SHARED}
    account = services.account_share(account=account, by=world.participant.user)
    account.refresh_from_db()
    assert account.shared_version["answers"] == {"what_happened": ADDED}
    assert account.shared_version["workshop_learning"] == WORKSHOP_DRAFT


def test_the_copy_holds_only_the_framework_shared(world, account):
    """Text written under another framework was never shown to the line manager."""
    services.account_save(
        account=account,
        by=world.participant.user,
        framework="gibbs",
        answers={"description": "The Gibbs description."},
    )
    account = services.account_share(account=account, by=world.participant.user)
    assert account.shared_version["framework"] == "gibbs"
    assert account.shared_version["answers"] == {"description": "The Gibbs description."}


# The pages -------------------------------------------------------------------------------


def test_the_participant_reads_and_edits_their_draft(client, world, account):
    account = _write(world, account, DRAFT)
    html = _page(client, world.participant.user, account)
    assert DRAFT in html
    assert reverse("account_edit", args=[account.pk]) in html


def test_the_line_manager_sees_only_the_status_of_a_draft(client, world, account):
    account = _write(world, account, DRAFT, workshop_learning=WORKSHOP_DRAFT)
    html = _page(client, world.line_manager, account)
    assert "Draft, not shared yet" in html
    for text in (DRAFT, WORKSHOP_DRAFT, SHARED, "What happened", "Not written yet"):
        assert text not in html
    assert reverse("account_edit", args=[account.pk]) not in html


def test_the_line_manager_reads_what_was_shared(client, world, account):
    services.account_share(account=account, by=world.participant.user)
    html = _page(client, world.line_manager, account)
    assert SHARED in html
    assert "Draft, not shared yet" not in html
    assert "Record your discussion" in html


def test_after_asking_for_more_the_line_manager_reads_the_version_shared_before(
    client, world, account
):
    account = _shared_then_returned(world, account)
    html = _page(client, world.line_manager, account)
    assert SHARED in html
    assert "is adding to it" in html
    assert ADDED not in html
    assert WORKSHOP_DRAFT not in html
    assert "Record your discussion" not in html
    html = _page(client, world.participant.user, account)
    assert ADDED in html
    assert WORKSHOP_DRAFT in html


def test_sharing_again_shows_the_line_manager_the_new_version(client, world, account):
    account = _shared_then_returned(world, account)
    services.account_share(account=account, by=world.participant.user)
    html = _page(client, world.line_manager, account)
    assert ADDED in html
    assert SHARED not in html
    assert "is adding to it" not in html


@pytest.mark.parametrize("shared", [False, True])
def test_another_line_manager_gets_not_found(client, world, account, shared):
    if shared:
        _shared_then_returned(world, account)
    client.force_login(world.other_participant.line_manager)
    assert client.get(reverse("account_detail", args=[account.pk])).status_code == 404
    assert client.post(reverse("account_pdf", args=[account.pk])).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize("who", ["programme_manager", "sponsor", "education_lead"])
def test_others_read_no_text_at_any_stage(client, world, account, who):
    account = _shared_then_returned(world, account)
    user = getattr(world, who)
    client.force_login(user)
    assert client.get(reverse("account_detail", args=[account.pk])).status_code == 404
    assert client.post(reverse("account_pdf", args=[account.pk])).status_code == 404
    for url in (
        reverse("participant_detail", args=[world.participant.pk]),
        reverse("placement_detail", args=[account.placement.pk]),
        reverse("home"),
    ):
        html = client.get(url).content.decode()
        assert SHARED not in html
        assert ADDED not in html


def test_the_line_manager_s_other_pages_hold_no_draft_text(
    client, world, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account = _shared_then_returned(world, account)
    client.force_login(world.line_manager)
    for url in (
        reverse("participant_detail", args=[world.participant.pk]),
        reverse("placement_detail", args=[account.placement.pk]),
        reverse("home"),
        reverse("notifications"),
    ):
        html = client.get(url).content.decode()
        assert ADDED not in html
        assert WORKSHOP_DRAFT not in html
    to_manager = [m for m in mail.outbox if world.line_manager.email in m.to]
    assert to_manager
    assert not any(ADDED in m.body or SHARED in m.body for m in to_manager)


def test_the_page_reads_the_same_queries_whatever_the_number_of_outcomes(client, world, account):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import LearningOutcomeFactory

    services.account_share(account=account, by=world.participant.user)
    counts = {}
    for size in (1, 4):
        while account.placement.outcomes.count() < size:
            LearningOutcomeFactory(placement=account.placement)
        for user in (world.participant.user, world.line_manager):
            client.force_login(user)
            with CaptureQueriesContext(connection) as captured:
                client.get(reverse("account_detail", args=[account.pk]))
            counts[(size, user.pk)] = len(captured)
    for user in (world.participant.user, world.line_manager):
        assert counts[(1, user.pk)] == counts[(4, user.pk)]


# The PDF ---------------------------------------------------------------------------------


def test_the_line_manager_s_pdf_of_a_draft_shows_the_status_only(
    client, world, account, django_capture_on_commit_callbacks
):
    account = _write(world, account, DRAFT, workshop_learning=WORKSHOP_DRAFT)
    text = _pdf_text(client, world.line_manager, account, django_capture_on_commit_callbacks)
    assert "Draft, not shared yet" in text
    for secret in ("bay 4", WORKSHOP_DRAFT, "What happened"):
        assert secret not in text
    text = _pdf_text(client, world.participant.user, account, django_capture_on_commit_callbacks)
    assert "bay 4" in text


def test_the_line_manager_s_pdf_after_asking_for_more_is_the_shared_version(
    client, world, account, django_capture_on_commit_callbacks
):
    account = _shared_then_returned(world, account)
    text = _pdf_text(client, world.line_manager, account, django_capture_on_commit_callbacks)
    assert SHARED in text
    assert "adding to it" in text
    assert "reablement" not in text
    assert WORKSHOP_DRAFT not in text
    text = _pdf_text(client, world.participant.user, account, django_capture_on_commit_callbacks)
    assert "reablement" in text


def test_a_pdf_made_for_a_line_manager_no_longer_theirs_holds_no_text(
    client, world, account, django_capture_on_commit_callbacks
):
    """The job decides what to print when it runs, for whoever asked for it."""

    services.account_share(account=account, by=world.participant.user)
    client.force_login(world.line_manager)
    response = client.post(reverse("account_pdf", args=[account.pk]))  # queued, not run yet
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    world.participant.line_manager = world.other_participant.line_manager
    world.participant.save()
    job_run(str(job.pk))
    job.refresh_from_db()
    pdf = PdfReader(job.file.path)
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert SHARED not in text


# Personal data ---------------------------------------------------------------------------


def test_the_participant_s_data_holds_the_version_shared(world, account):
    _shared_then_returned(world, account)
    data = personal_data(world.participant.user)
    saved = data["participations"][0]["placements"][0]["reflective_account"]
    assert saved["answers"]["what_happened"] == ADDED
    assert saved["shared_version"]["answers"] == {"what_happened": SHARED}


def test_erasure_leaves_nothing_they_wrote_in_the_account(world, account):
    _shared_then_returned(world, account)
    person_erase(user=world.participant.user, by=world.programme_manager)
    row = ReflectiveAccount.objects.filter(pk=account.pk).values().get()
    stored = repr(row)
    for text in (SHARED, ADDED, WORKSHOP_DRAFT):
        assert text not in stored
    assert row["shared_version"] is None


def test_learning_carried_forward_is_shown_to_the_participant_only(client, world, account):
    """The next placement's outcomes form shows "what I want to learn next" from the live
    text, drafts included: the participant's page, not the line manager's."""
    from tests.factories import PlacementFactory

    _write(world, account, DRAFT)
    services.account_save(
        account=account, by=world.participant.user, answers={"learn_next": WORKSHOP_DRAFT}
    )
    nxt = PlacementFactory(participant=world.participant)
    url = reverse("outcomes_edit", args=[nxt.pk])
    client.force_login(world.participant.user)
    assert WORKSHOP_DRAFT in client.get(url).content.decode()
    client.force_login(world.line_manager)
    response = client.get(url)
    assert response.status_code == 403
    assert WORKSHOP_DRAFT not in response.content.decode()
