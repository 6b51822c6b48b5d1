"""The principles of workforce integration a participant tags on a reflective account are
shown with the account: on its page, to them and (once shared) their line manager, and in
its PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from i2i.models import Job
from reflections import services

WHOLE_SYSTEM = "2. Workforce integration involves the whole system"
RELATIONSHIPS = "6. New relationships, networks and ways of working"
HEADING = "Principles of workforce integration it shows"


@pytest.fixture
def tagged(world, account):
    services.account_save(
        account=account,
        by=world.participant.user,
        principles=["relationships", "whole_system", "not_a_principle"],
    )
    account.refresh_from_db()
    return account


def test_it_shows_the_principles_on_the_participant_s_page_in_their_order(client, world, tagged):
    assert tagged.principles == ["relationships", "whole_system"]  # the unknown code dropped
    client.force_login(world.participant.user)
    page = client.get(reverse("account_detail", args=[tagged.pk])).content.decode()
    assert HEADING in page
    assert page.index(WHOLE_SYSTEM) < page.index(RELATIONSHIPS)


def test_it_shows_no_principles_heading_when_none_are_tagged(client, world, account):
    client.force_login(world.participant.user)
    page = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert HEADING not in page


def test_the_line_manager_sees_the_principles_as_shared_not_the_draft(client, world, tagged):
    client.force_login(world.line_manager)
    draft = client.get(reverse("account_detail", args=[tagged.pk])).content.decode()
    assert WHOLE_SYSTEM not in draft  # a draft shows its status only

    services.account_share(account=tagged, by=world.participant.user)
    services.account_ask_more(account=tagged, by=world.line_manager, comment="Say more.")
    tagged.refresh_from_db()
    services.account_save(account=tagged, by=world.participant.user, principles=["process"])

    page = client.get(reverse("account_detail", args=[tagged.pk])).content.decode()
    assert WHOLE_SYSTEM in page and RELATIONSHIPS in page  # the version they were shown
    assert "5. Process matters" not in page  # added to the draft since


def test_the_pdf_lists_the_principles(client, world, tagged, django_capture_on_commit_callbacks):
    client.force_login(world.participant.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_pdf", args=[tagged.pk]))
    job = Job.objects.get()
    assert job.status == "done", job.message
    download = client.get(reverse("job_download", args=[job.pk]))
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert HEADING in text
    assert WHOLE_SYSTEM in text and RELATIONSHIPS in text
