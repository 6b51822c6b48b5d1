"""A person's data: download, erasure with confirmation, retention."""

import io
import json

from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from evaluation import services
from i2i.models import AuditEvent, Job
from participants.models import Participant, User
from placements.models import HalfDay
from programme.personal_data import expired_people
from reflections.models import ReflectiveAccount
from tests.factories import HalfDayFactory, ReflectiveAccountFactory


def test_a_participant_downloads_all_their_data_as_json(client, world):
    ReflectiveAccountFactory(placement__participant=world.participant)
    client.force_login(world.participant.user)
    response = client.get(reverse("my_data_json"))
    data = json.loads(response.content)
    assert data["you"]["email"] == world.participant.user.email
    (participation,) = data["participations"]
    account = participation["placements"][0]["reflective_account"]
    assert account["answers"]["what_happened"].startswith("I shadowed")
    assert AuditEvent.objects.filter(action="download_own_data").exists()


def test_the_download_holds_their_self_assessment(client, world):
    import datetime as dt

    values = {item.pk: 3 for item in services.items_for(world.participant.cohort)}
    services.submit_self_assessment(world.participant, "before", values, dt.date(2027, 3, 2))
    client.force_login(world.participant.user)
    (participation,) = json.loads(client.get(reverse("my_data_json")).content)["participations"]
    (assessment,) = participation["self_assessments"]
    assert assessment["moment"] == "At the start"
    answers = {answer["question"]: answer["value"] for answer in assessment["answers"]}
    assert answers["How would you rate your leadership skills?"] == 3


def test_and_as_a_pdf(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.participant.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("my_data_pdf"))
    job = Job.objects.get(kind="personal_data_pdf")
    assert job.status == "done"
    response = client.get(reverse("job_download", args=[job.pk]))
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert world.participant.user.email in text


def test_erasure_needs_confirmation_and_keeps_the_counts(client, world):
    account = ReflectiveAccountFactory(placement__participant=world.participant)
    HalfDayFactory(placement=account.placement)
    user = world.participant.user
    client.force_login(world.programme_manager)
    url = reverse("person_erase", args=[user.pk])
    assert client.post(url, {"confirm": "wrong"}).status_code == 400
    client.post(url, {"confirm": user.email})
    user.refresh_from_db()
    assert (user.full_name, user.is_active) == ("Erased person", False)
    assert user.email.endswith("@erased.invalid")
    assert not user.has_usable_password()
    assert Participant.objects.filter(user=user).count() == 1  # the cohort's counts remain
    assert HalfDay.objects.filter(participant__user=user).count() == 1
    assert ReflectiveAccount.objects.get(pk=account.pk).answers == {}
    assert AuditEvent.objects.filter(action="erasure").exists()


def test_only_the_programme_manager_erases(client, world):
    client.force_login(world.line_manager)
    url = reverse("person_erase", args=[world.participant.user.pk])
    assert client.post(url, {"confirm": world.participant.user.email}).status_code == 403
    assert User.objects.get(pk=world.participant.user.pk).is_active


def test_retention_anonymises_people_whose_cohorts_ended_long_ago(world, settings, capsys):
    settings.RETENTION_YEARS = 1
    cohort = world.participant.cohort
    cohort.programme_start = cohort.programme_start.replace(year=2020)
    cohort.save()
    assert world.participant.user in expired_people()
    call_command("anonymise_expired", "--dry-run")
    assert User.objects.get(pk=world.participant.user.pk).is_active
    call_command("anonymise_expired")
    assert not User.objects.get(pk=world.participant.user.pk).is_active
    assert "past the retention period" in capsys.readouterr().out


def test_the_privacy_notice_is_public(client, db):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    assert "How long" in response.content.decode()
