"""Background jobs: the progress page polls while running, only the owner sees the file."""

import datetime as dt
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from i2i import jobs
from i2i.jobs import job_run, job_start, requeue_stuck
from i2i.models import Job


def test_a_running_job_polls_and_shows_its_progress(client, world):
    job = Job.objects.create(
        kind="workshop_pack",
        params={"cohort_id": world.participant.cohort_id},
        owner=world.programme_manager,
        title="Workshop pack",
        status="running",
        progress=40,
        message="Writing sections",
    )
    client.force_login(world.programme_manager)
    html = client.get(reverse("job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="40"' in html
    assert "Writing sections (40%)" in html


def test_a_finished_job_stops_polling(client, world):
    job = Job.objects.create(
        kind="workshop_pack", owner=world.programme_manager, title="Pack", status="failed"
    )
    client.force_login(world.programme_manager)
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "hx-trigger" not in html
    assert "could not be made" in html


def test_running_a_finished_job_again_does_nothing(world):
    job = Job.objects.create(kind="workshop_pack", owner=world.programme_manager, status="done")
    job_run(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 0)


def test_someone_elses_job_is_not_found(client, world):
    job = Job.objects.create(
        kind="reflective_account_pdf", owner=world.participant.user, title="Account"
    )
    client.force_login(world.line_manager)
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404


def test_a_second_delivery_of_a_job_does_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="workshop_pack",
            params={"cohort_id": world.participant.cohort_id},
            owner=world.programme_manager,
            title="Pack",
        )
    job.refresh_from_db()
    first_file = job.file.name
    job_run(str(job.pk))  # delivered again, as after a worker was lost
    job.refresh_from_db()
    assert (job.status, job.file.name) == ("done", first_file)


def test_a_job_whose_worker_died_is_restarted_once(world, settings):
    import datetime as dt

    from django.utils import timezone

    job = Job.objects.create(
        kind="workshop_pack",
        params={"cohort_id": world.participant.cohort_id},
        owner=world.programme_manager,
        title="Pack",
        status="running",
        progress=40,
    )
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago, created_at=long_ago)
    assert requeue_stuck() == 1  # tests run tasks in-process: it completes now
    job.refresh_from_db()
    assert job.status == "done"
    assert requeue_stuck() == 0


def test_the_live_region_is_told_only_when_the_status_changes(client, world):
    job = Job.objects.create(
        kind="evaluation_report",
        params={"cohort_id": world.participant.cohort_id},
        owner=world.programme_manager,
        title="Evaluation report",
        status="running",
        progress=40,
    )
    client.force_login(world.programme_manager)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    # The page holds one lasting live region; the polled part says which status it showed.
    assert page.count('role="status"') == 1 and 'id="job-announcement"' in page
    assert "?seen=running" in page
    url = reverse("job_status", args=[job.pk])
    assert 'hx-swap-oob="innerHTML"' not in client.get(url, {"seen": "running"}).content.decode()
    job.status, job.filename = "done", "report.pdf"
    job.save()
    changed = client.get(url, {"seen": "running"}).content.decode()
    assert '<p id="job-announcement" hx-swap-oob="innerHTML">Your file is ready' in changed
    assert "hx-trigger" not in changed


def test_the_progress_page_leads_back_to_where_the_job_was_started(client, world):
    cohort_id = world.participant.cohort_id
    job = Job.objects.create(
        kind="evaluation_report",
        params={"cohort_id": cohort_id},
        owner=world.programme_manager,
        title="Evaluation report",
    )
    client.force_login(world.programme_manager)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert f'href="{reverse("cohort_evaluation", args=[cohort_id])}">Back to the evaluation' in page


def _pack(world, **fields) -> Job:
    return Job.objects.create(
        kind="workshop_pack",
        params={"cohort_id": world.participant.cohort_id},
        owner=world.programme_manager,
        title="Pack",
        **fields,
    )


def test_a_delivery_takes_over_a_running_job_whose_heartbeat_is_stale(world):
    job = _pack(world, status="running", progress=75)
    stale = timezone.now() - jobs.HEARTBEAT_STALE - dt.timedelta(seconds=1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    job_run(str(job.pk))  # Celery's re-delivery after the worker was killed
    job.refresh_from_db()
    assert (job.status, job.restarts) == ("done", 1)
    job_run(str(job.pk))  # and once more: it is done, nothing happens
    job.refresh_from_db()
    assert job.restarts == 1


def test_the_sweeper_sends_again_only_messages_that_were_lost(world):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    recently = timezone.now() - dt.timedelta(seconds=5)
    waiting = _pack(world)  # handed to the broker a moment ago, behind other packs
    running = _pack(world, status="running")  # its worker is beating
    Job.objects.filter(pk=waiting.pk).update(created_at=long_ago, queued_at=recently)
    Job.objects.filter(pk=running.pk).update(
        created_at=long_ago, queued_at=long_ago, heartbeat_at=recently
    )
    assert requeue_stuck() == 0
    never_sent = _pack(world)  # Redis was down when it started
    Job.objects.filter(pk=never_sent.pk).update(created_at=long_ago)
    assert requeue_stuck() == 1  # eager in tests: it runs now
    never_sent.refresh_from_db()
    assert never_sent.status == "done"


def test_a_job_whose_worker_keeps_dying_fails_in_the_end(world):
    job = _pack(world, status="running", restarts=jobs.MAX_RESTARTS)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    assert requeue_stuck() == 0
    job.refresh_from_db()
    assert job.status == "failed" and "Try again" in job.message


def test_a_failure_while_saving_the_file_fails_the_job(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "a-file-not-a-folder"
    settings.MEDIA_ROOT.write_text("")  # a real fault: the folder cannot be made
    job = _pack(world)
    job_run(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message.startswith("Sorry, this could not be made") and "Try again" in job.message
    assert not job.file


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_while_the_job_reports_nothing(world, monkeypatch):
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.2)
    beats = []

    def quiet(params, report):  # a long layout: no progress reported
        for _ in range(5):
            time.sleep(0.3)
            with connection.cursor() as cursor:  # SQL: zeal would take repeats for an N+1
                cursor.execute("SELECT heartbeat_at FROM i2i_job WHERE id = %s", [params["job"]])
                beats.append(cursor.fetchone()[0])
        return "quiet.txt", b"done"

    monkeypatch.setitem(jobs._KINDS, "quiet", quiet)
    job = Job.objects.create(kind="quiet", owner=world.programme_manager, title="Quiet")
    Job.objects.filter(pk=job.pk).update(params={"job": str(job.pk)})
    job_run(str(job.pk))
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert len(set(beats)) >= 3
