import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from i2i.models import Job
from programme.progress import commitment_report, with_progress
from reflections import services
from tests.factories import ReflectiveAccountFactory

SECRET = "I shadowed the discharge coordinator"


def _user(world, who):
    return world.participant.user if who == "participant" else getattr(world, who)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 200),
        ("line_manager", 200),
        ("sponsor", 404),
        ("education_lead", 404),
        ("programme_manager", 404),
        ("other_education_lead", 404),
        ("outsider", 404),
    ],
)
def test_only_the_participant_reads_a_draft_and_the_line_manager_its_status(
    client, world, account, who, status
):
    client.force_login(_user(world, who))
    response = client.get(reverse("account_detail", args=[account.pk]))
    assert response.status_code == status
    if who == "participant":
        assert SECRET in response.content.decode()
    if who == "line_manager":
        assert SECRET not in response.content.decode()
        assert "Draft, not shared yet" in response.content.decode()


def test_another_line_manager_gets_not_found(client, world, account):
    client.force_login(world.other_participant.line_manager)
    assert client.get(reverse("account_detail", args=[account.pk])).status_code == 404
    response = client.post(reverse("account_pdf", args=[account.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["sponsor", "education_lead", "programme_manager"])
def test_others_see_the_status_but_never_the_text(client, world, account, who):
    client.force_login(_user(world, who))
    for url in (
        reverse("participant_detail", args=[world.participant.pk]),
        reverse("placement_detail", args=[account.placement.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Draft" in html or "Not started" in html
        assert SECRET not in html
        assert reverse("account_detail", args=[account.pk]) not in html


def test_the_admin_shows_status_not_text(client, world, account):
    client.force_login(world.programme_manager)
    url = reverse("admin:reflections_reflectiveaccount_change", args=[account.pk])
    html = client.get(url).content.decode()
    assert "draft" in html.lower()
    assert SECRET not in html


def test_autosave_saves_and_says_when(client, world, account):
    client.force_login(world.participant.user)
    response = client.post(
        reverse("account_autosave", args=[account.pk]),
        {"framework": "i2i", "answer_what_happened": "Second visit notes", "workshop_learning": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Saved automatically at" in response.content.decode()
    account.refresh_from_db()
    assert account.answer("what_happened") == "Second visit notes"


def test_autosave_warns_about_identifying_details(client, world, account):
    client.force_login(world.participant.user)
    response = client.post(
        reverse("account_autosave", args=[account.pk]),
        {"framework": "i2i", "answer_what_happened": "Mr X, NHS 943 476 5919"},
        HTTP_HX_REQUEST="true",
    )
    assert "looks like an NHS number" in response.content.decode()


def test_autosave_says_clearly_when_it_cannot_save(client, world, account):
    services.account_share(account=account, by=world.participant.user)
    client.force_login(world.participant.user)
    response = client.post(
        reverse("account_autosave", args=[account.pk]),
        {"framework": "i2i", "answer_what_happened": "late edit"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403


def test_autosave_reports_text_that_is_too_long_and_keeps_the_saved_draft(client, world, account):
    client.force_login(world.participant.user)
    response = client.post(
        reverse("account_autosave", args=[account.pk]),
        {"framework": "i2i", "answer_what_happened": "x" * 20_001},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Not saved" in response.content.decode()
    assert "still on this page" in response.content.decode()
    account.refresh_from_db()
    assert account.answer("what_happened").startswith("I shadowed")


def test_changing_framework_on_the_page_keeps_the_text(client, world, account):
    client.force_login(world.participant.user)
    response = client.post(
        reverse("account_edit", args=[account.pk]),
        {"framework": "driscoll", "action": "switch", "answer_what_happened": SECRET + " today"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "So what?" in page
    assert "Text you wrote under another framework" in page
    assert SECRET + " today" in page


def test_sharing_from_the_page(client, world, account):
    client.force_login(world.participant.user)
    response = client.post(
        reverse("account_edit", args=[account.pk]),
        {"framework": "i2i", "action": "share", "answer_what_happened": SECRET},
    )
    assert response["Location"] == reverse("account_detail", args=[account.pk])
    account.refresh_from_db()
    assert account.status == "shared"


def test_the_line_manager_records_the_discussion(client, world, account):
    services.account_share(account=account, by=world.participant.user)
    client.force_login(world.line_manager)
    response = client.post(
        reverse("account_discuss", args=[account.pk]),
        {"action": "discussed", "discussed_on": "not a date", "comment": "Good"},
    )
    assert response.status_code == 400
    assert "real date" in response.content.decode()
    response = client.post(
        reverse("account_discuss", args=[account.pk]),
        {"action": "more", "comment": "Tell me about the pathway."},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == "draft"


def test_the_participant_downloads_the_account_as_a_pdf(
    client, world, account, django_capture_on_commit_callbacks
):
    account.framework = "nmc"
    account.answers = {**account.answers, "nmc_learning": "How the virtual ward takes referrals."}
    account.code_themes = ["preserve_safety"]
    account.save()
    client.force_login(world.participant.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_pdf", args=[account.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done", job.message
    download = client.get(reverse("job_download", args=[job.pk]))
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "How the virtual ward takes referrals." in text
    assert "Reflective account form" in text
    assert "Preserve safety" in text
    client.force_login(world.line_manager)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_user_text_cannot_make_the_pdf_fetch_anything(world, account):
    from i2i.pdf import InlineOnlyFetcher

    fetcher = InlineOnlyFetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1:8000/", "https://example.org/x.png"):
        with pytest.raises(Exception, match="Refused"):
            fetcher.fetch(url)


def test_next_learning_appears_beside_the_next_placements_outcomes(client, world, account):
    from tests.factories import PlacementFactory

    account.answers = {**account.answers, "learn_next": "How the community team triages."}
    account.save()
    nxt = PlacementFactory(participant=world.participant)
    client.force_login(world.participant.user)
    html = client.get(reverse("outcomes_edit", args=[nxt.pk])).content.decode()
    assert "How the community team triages." in html


def test_the_reflections_commitment_reads_real_accounts(client, world, started_placement):
    from participants.models import Participant

    # Shared is not yet counted: the line manager's discussion is (the leaflet's "shared and
    # discussed"); tests/reflections/test_discussion.py has the rest.
    ReflectiveAccountFactory(placement=started_placement, status="discussed")
    participant = with_progress(Participant.objects.filter(pk=world.participant.pk)).get()
    commitment = commitment_report(participant).get("reflections")
    assert commitment.status == "on_track"
    assert commitment.done == 1


def test_the_line_manager_sees_accounts_shared_with_them(client, world, account):
    services.account_share(account=account, by=world.participant.user)
    client.force_login(world.line_manager)
    html = client.get(reverse("home")).content.decode()
    assert "Reflective accounts shared with you" in html
    assert reverse("account_detail", args=[account.pk]) in html
    client.force_login(world.sponsor)
    assert "Reflective accounts shared with you" not in client.get(reverse("home")).content.decode()


def test_each_comment_box_on_the_line_manager_s_page_has_its_own_label(client, world, account):
    """The discussion and "ask for more" forms both have a comment: one id each, so that a
    label (and a screen reader) names one box, not both."""
    services.account_share(account=account, by=world.participant.user)
    client.force_login(world.line_manager)
    html = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert html.count('id="id_comment"') == 1
    assert html.count('id="id_ask_more_comment"') == 1
    assert 'for="id_ask_more_comment"' in html
