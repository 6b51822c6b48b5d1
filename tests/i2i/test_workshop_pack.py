"""The workshop pack: consent, preview, contents and the progress page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from i2i.models import Job
from participants.models import WorkshopConsent
from tests.factories import (
    ImprovementInitiativeFactory,
    ParticipantFactory,
    ReflectiveAccountFactory,
)


def pdf_text(client, job) -> str:
    response = client.get(reverse("job_download", args=[job.pk]))
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def pack_world(world):
    """Pat consents and shares; Olly does not consent."""
    ReflectiveAccountFactory(
        placement__participant=world.participant,
        workshop_learning="Transfer summaries save a day for the receiving team.",
    )
    ImprovementInitiativeFactory(
        participant=world.participant, i2i_ideas="Meet your hosts at the briefing."
    )
    WorkshopConsent.objects.create(participant=world.participant, include=True)
    ReflectiveAccountFactory(
        placement__participant=world.other_participant,
        workshop_learning="Olly's private learning that must not appear.",
    )
    WorkshopConsent.objects.create(participant=world.other_participant, include=False)
    cohort = world.participant.cohort
    cohort.workshop_agenda = "10:00 Welcome\n10:30 What we learnt"
    cohort.save()
    return world


def test_the_pack_holds_consenting_participants_only(
    client, pack_world, django_capture_on_commit_callbacks
):
    client.force_login(pack_world.programme_manager)
    cohort = pack_world.participant.cohort
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workshop_pack_start", args=[cohort.pk]))
    job = Job.objects.get(kind="workshop_pack")
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done", job.message
    text = pdf_text(client, job)
    assert "Workshop pack" in text
    assert "Pat Participant" in text
    assert "Transfer summaries save a day" in text
    assert "Meet your hosts at the briefing." in text
    assert "10:30 What we learnt" in text
    assert "Olly Other" not in text
    assert "Olly's private learning" not in text
    listing = client.get(reverse("workshop_pack", args=[cohort.pk])).content.decode()
    assert reverse("job_download", args=[job.pk]) in listing


def test_a_participant_can_leave_out_parts(client, pack_world, django_capture_on_commit_callbacks):
    consent = pack_world.participant.workshop_consent
    consent.include_ideas = False
    consent.include_learning = False
    consent.save()
    client.force_login(pack_world.programme_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workshop_pack_start", args=[pack_world.participant.cohort.pk]))
    text = pdf_text(client, Job.objects.get())
    assert "Pat Participant" in text
    assert "Transfer summaries" not in text
    assert "Meet your hosts" not in text


def test_typed_text_is_escaped_in_the_pack(client, world, django_capture_on_commit_callbacks):
    ReflectiveAccountFactory(
        placement__participant=world.participant,
        workshop_learning='<img src="file:///etc/passwd"><script>alert(1)</script> & more',
    )
    WorkshopConsent.objects.create(participant=world.participant, include=True)
    client.force_login(world.programme_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workshop_pack_start", args=[world.participant.cohort.pk]))
    job = Job.objects.get()
    assert job.status == "done"
    assert "<script>alert(1)</script> & more" in pdf_text(client, job)


def test_the_participant_chooses_and_previews_their_section(client, pack_world):
    client.force_login(pack_world.participant.user)
    url = reverse("workshop_consent", args=[pack_world.participant.pk])
    page = client.get(url).content.decode()
    assert "Transfer summaries save a day" in page
    client.post(url, {"include": "", "include_learning": "on"})
    consent = WorkshopConsent.objects.get(participant=pack_world.participant)
    assert consent.include is False
    client.force_login(pack_world.line_manager)
    assert client.get(url).status_code == 403


def test_only_the_programme_manager_makes_packs(client, pack_world):
    cohort = pack_world.participant.cohort
    for who in ("line_manager", "education_lead", "sponsor"):
        client.force_login(getattr(pack_world, who))
        assert client.post(reverse("workshop_pack_start", args=[cohort.pk])).status_code == 403


def test_a_failed_pack_says_so_and_can_be_tried_again(
    client, pack_world, settings, tmp_path, django_capture_on_commit_callbacks
):
    """A real fault: the file cannot be stored (its folder's path runs through a file, as
    a storage mounted wrongly would). The job fails and says so, keeping no parts; once the
    storage is right, trying again works."""
    (tmp_path / "not-a-folder").write_text("")
    settings.MEDIA_ROOT = str(tmp_path / "not-a-folder" / "media")
    client.force_login(pack_world.programme_manager)
    cohort = pack_world.participant.cohort
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workshop_pack_start", args=[cohort.pk]))
    job = Job.objects.get()
    assert job.status == "failed"
    assert not job.parts.exists()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Sorry, this could not be made" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workshop_pack_start", args=[cohort.pk]))
    assert Job.objects.filter(status="done").count() == 1


def test_building_the_pack_does_not_grow_with_participants(
    pack_world, django_assert_max_num_queries
):
    """Neither the overview (the whole cohort) nor a part of sections reads row by row."""
    from django.utils import timezone

    from programme.workshop_pack import _consenting, overview_context, sections_context

    cohort = pack_world.participant.cohort
    today = timezone.localdate()
    overview_context(cohort, today)  # the first pack sets up the cohort's self-assessment
    counts = []
    for size in (2, 12):
        for _ in range(size):
            p = ParticipantFactory(cohort=cohort)
            ReflectiveAccountFactory(placement__participant=p, workshop_learning="Learnt.")
            WorkshopConsent.objects.create(participant=p, include=True)
        ids = list(_consenting(cohort).values_list("pk", flat=True))
        with django_assert_max_num_queries(40) as captured:
            overview_context(cohort, today)
            sections_context(cohort, ids)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_only_those_with_a_section_are_read_in_full(pack_world):
    """A cohort of thousands must not read everyone's accounts and data for a hundred: the
    rest are counted from tuples."""
    from django.utils import timezone

    from programme.workshop_pack import _participants, overview_context

    cohort = pack_world.participant.cohort
    read = {p.user.full_name: len(p.reflective_accounts.all()) for p in _participants(cohort)}
    assert read == {"Pat Participant": 1}
    context = overview_context(cohort, timezone.localdate())
    assert context["total"] == 2  # Olly is counted all the same
    assert context["sharing"] == 1


def test_the_pack_is_laid_out_in_parts_of_a_few_sections(pack_world):
    """Parts keep a worker small and let several workers share a pack: the overview, the
    sections a few at a time in name order, the appendices."""
    from programme.workshop_pack import WorkshopPack

    cohort = pack_world.participant.cohort
    for n in range(1, 20):
        p = ParticipantFactory(cohort=cohort, user__full_name=f"Zed {n:02d}")
        WorkshopConsent.objects.create(participant=p, include=True)
    parts = WorkshopPack().parts({"cohort_id": cohort.pk})
    assert [part["part"] for part in parts] == [
        "overview",
        "sections",
        "sections",
        "sections",
        "appendices",
    ]
    sections = [pk for part in parts[1:-1] for pk in part["ids"]]
    assert len(sections) == 20 and max(len(part["ids"]) for part in parts[1:-1]) == 8
    assert sections[0] == pack_world.participant.pk  # "Pat Participant" before "Zed 01"
