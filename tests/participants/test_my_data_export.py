"""The download of a person's data is complete: a marker typed into every field a participant
can fill (and every field others write about them) is in the JSON and in the PDF, and the
PDF reads as a document, not as JSON."""

import io
import json

import pytest
from django.db import models
from django.urls import reverse
from pypdf import PdfReader

from i2i.models import Job
from programme.personal_data import personal_data
from programme.personal_data_registry import HOLDINGS, Erase, Pseudonymise
from tests.participants.marked import SIGN_IN_ADDRESS, mark

TEXT = (models.CharField, models.TextField, models.JSONField)


def _theirs(holding) -> bool:
    """Holdings of the participant's own records (not what they wrote about others)."""
    return holding.export and holding.whose is not None and not holding.key.endswith("_written")


@pytest.fixture
def marked(world, client):
    return mark(world, client)


def _json(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("my_data_json"))
    assert response.status_code == 200
    return response.content.decode()


def _pdf(client, user, django_capture_on_commit_callbacks) -> str:
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("my_data_pdf"))
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert job.status == "done", job.message
    download = client.get(reverse("job_download", args=[job.pk]))
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_every_field_a_participant_can_fill_is_marked(marked):
    """The marked world covers every text field the registry says is theirs, so a field
    added to the registry later has to be added here, and so to the download."""
    # Their name and address are checked by name; everything else by its marker.
    by_name = {"participants.User", "account.EmailAddress"}
    declared = {
        f"{holding.model}.{name}"
        for holding in HOLDINGS
        if _theirs(holding) and holding.model not in by_name
        for name, declaration in holding.fields.items()
        if isinstance(declaration, Erase | Pseudonymise)
        and declaration.export
        and isinstance(holding.model_class._meta.get_field(name), TEXT)
    }
    assert declared - marked.fields() == set()


def test_the_json_holds_every_marker(client, marked):
    text = _json(client, marked.participant.user)
    data = json.loads(text)
    assert set(marked.placed) - marked.found_in(text) == set()
    assert data["you"]["email"] == marked.email_address
    assert data["you"]["full_name"] == marked.name
    # Readable: choices by their labels, the sign-ins with their address.
    (participation,) = data["participations"]
    (placement,) = participation["placements"]
    assert placement["status"] == "Agreed with the host"
    assert placement["half_days"][0]["session"] == "Morning"
    assert any(event["ip"] == SIGN_IN_ADDRESS for event in data["activity"])
    assert participation["workshop_consent"]["include"] is True
    decision = placement["outcomes_decisions"][0]
    assert (decision["action"], decision["by"]) == ("Approved", "Lee Linemanager")
    (assessment,) = participation["self_assessments"]
    assert {answer["value"] for answer in assessment["answers"]} == {3}
    assert all(answer["question"] for answer in assessment["answers"])


def test_the_pdf_holds_every_marker_laid_out_as_a_document(
    client, marked, django_capture_on_commit_callbacks
):
    text = _pdf(client, marked.participant.user, django_capture_on_commit_callbacks)
    assert set(marked.placed) - marked.found_in(text) == set()
    assert SIGN_IN_ADDRESS in "".join(text.split())  # a narrow column wraps it
    # Headings and labels, not a JSON dump.
    for heading in ("Your cohorts", "Placements", "Half-days", "Reflective account", "PDSA cycles"):
        assert heading in text
    assert "Name of the person to meet" in text
    assert '"' + "contact_name" not in text and "{" not in text


def test_the_line_manager_s_download_holds_the_comments_they_wrote(
    client, world, marked, django_capture_on_commit_callbacks
):
    data = json.loads(_json(client, world.line_manager))
    comments = {
        row["comment"]
        for key in (
            "outcomes_decisions_written",
            "account_events_written",
            "initiative_decisions_written",
        )
        for row in data[key]
    }
    assert comments == {
        marker
        for marker, where in marked.placed.items()
        if where
        in {
            "placements.OutcomesDecision.comment",
            "reflections.AccountEvent.comment",
            "improvements.AgreementDecision.comment",
        }
    }
    # and the reminder about Pat that was sent to them
    assert any(marked.name in n["subject"] for n in data["notifications"])


def test_the_download_is_read_in_a_fixed_number_of_queries(
    client, world, marked, django_assert_max_num_queries
):
    # One query per holding of the registry, and a few to know the person.
    with django_assert_max_num_queries(len(HOLDINGS) + 4):
        personal_data(marked.participant.user)
