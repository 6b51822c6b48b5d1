"""Erasure erases: after erasing a participant who typed a marker into every field, nothing
they wrote (or was written about them), their name or their address is left in any table or
stored file; the audit trail and other people's emails keep their rows; the cohort's counts
and the evaluation's figures do not move."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from i2i.jobs import job_run
from i2i.models import AuditEvent, Job, Notification
from participants.models import Participant
from placements.models import HalfDay
from programme.evaluation_report import cohort_evaluation
from programme.personal_data import person_erase, personal_data
from reflections.models import ReflectiveAccount
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    ParticipantFactory,
    ReflectiveAccountFactory,
)
from tests.participants.marked import SIGN_IN_ADDRESS, mark


def everything_stored() -> str:
    """Every row of every table, as text: what `pg_dump | grep` would search."""
    return "\n".join(
        repr(row)
        for model in apps.get_models(include_auto_created=True)
        for row in model._default_manager.all().values()
    )


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def figures(cohort):
    """The evaluation's figures for the cohort (not its quoted ideas or lists of names)."""
    e = cohort_evaluation(cohort, timezone.localdate())
    links = [
        (link.employer.pk, link.host.pk, link.half_days, link.people_met, link.participants)
        for link in e.network.links
    ]
    return (
        e.participants,
        e.completion,
        [(r.item.pk, r.change) for r in e.items],
        e.answered_both,
        links,
        e.network.people_met,
        e.initiatives,
        e.by_kind,
        e.by_status,
        e.with_signal,
        e.with_improvement,
        {moment: len(people) for moment, people in e.not_answered.items()},
    )


@pytest.fixture
def marked(world, client):
    return mark(world, client)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _make(kind, params, owner, title="A file"):
    job = Job.objects.create(kind=kind, params=params, owner=owner, title=title)
    job_run(str(job.pk))
    job.refresh_from_db()
    assert job.status == "done", job.message
    return job


def _text(job) -> str:
    reader = PdfReader(job.file.path)
    return "\n".join(page.extract_text() for page in reader.pages)


def test_nothing_they_wrote_or_was_written_about_them_is_left_in_any_table(world, marked):
    assert marked.found_in(everything_stored()) == set(marked.placed)
    person_erase(user=marked.participant.user, by=world.programme_manager)
    stored = everything_stored()
    left = {marker: marked.placed[marker] for marker in marked.found_in(stored)}
    assert left == {}
    assert marked.person_in(stored) == []
    assert SIGN_IN_ADDRESS not in stored


def test_the_people_they_met_keep_a_key_and_the_accounts_keep_no_text(world, marked):
    person_erase(user=marked.participant.user, by=world.programme_manager)
    (half_day,) = HalfDay.objects.filter(participant=marked.participant)
    assert half_day.person_met.startswith("(erased person #")
    account = ReflectiveAccount.objects.get(participant=marked.participant)
    assert (account.answers, account.outcome_ratings, account.shared_version) == ({}, {}, None)
    assert (account.code_themes, account.principles, account.status) == ([], [], "shared")


def test_the_audit_trail_and_others_emails_keep_every_row_without_them(world, marked):
    before = counts()
    events = set(AuditEvent.objects.values_list("pk", flat=True))
    person_erase(user=marked.participant.user, by=world.programme_manager)
    after = counts()
    assert set(AuditEvent.objects.values_list("pk", flat=True)) >= events
    assert after["i2i.AuditEvent"] == before["i2i.AuditEvent"] + 1  # the erasure itself
    assert after["i2i.Notification"] == before["i2i.Notification"]
    reminder = Notification.objects.get(recipient=world.line_manager)
    assert reminder.subject == "Erased person's learning outcomes are waiting"
    assert marked.person_in(reminder.body) == []
    sign_in = AuditEvent.objects.filter(action="sign_in", actor=marked.participant.user).first()
    assert (sign_in.target, sign_in.ip) == ("Erased person", None)
    assert sign_in.actor_label.endswith("@erased.invalid")
    failed = AuditEvent.objects.get(action="sign_in_failed")
    assert failed.target.endswith("@erased.invalid")
    # The line manager's comments, in the decisions and in the trail, are gone.
    for event in AuditEvent.objects.filter(action__startswith="outcomes_"):
        assert event.detail.get("comment", "") == ""


def test_their_sessions_end(client, world, marked):
    user = marked.participant.user
    assert client.get(reverse("my_data")).status_code == 200  # signed in by mark()
    person_erase(user=user, by=world.programme_manager)
    response = client.get(reverse("my_data"))
    assert response.status_code == 302 and "login" in response["Location"]
    signed_in = [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    assert signed_in == []


def test_erasure_changes_no_count_and_no_figure_of_the_evaluation(client, world, marked):
    cohort = marked.participant.cohort
    # A colleague of Pat's met the same host person: one person, however many met them.
    pats = HalfDay.objects.get(participant=marked.participant)
    colleague = ParticipantFactory(cohort=cohort, organisation=marked.participant.organisation)
    HalfDayFactory(
        placement=ApprovedPlacementFactory(
            participant=colleague, organisation=pats.placement.organisation
        ),
        person_met=pats.person_met.upper() + " ",
        date=pats.date,
    )
    client.force_login(world.programme_manager)
    csv = client.get(reverse("cohort_dashboard_csv", args=[cohort.pk])).content
    before, figures_before = counts(), figures(cohort)
    (link,) = figures_before[4]
    assert link[3:] == (1, 2)  # one person met, by two participants
    person_erase(user=marked.participant.user, by=world.programme_manager)
    after = counts()
    gone = {
        "i2i.Job",
        "account.EmailAddress",
        "socialaccount.SocialAccount",  # their link to their organisation's sign-in
        "participants.SharedContact",
        # Their equality monitoring answers go with them (issue 19): the equality counts
        # are worked out afresh, of the people still held.
        "participants.EqualityMonitoring",
        # The files that show their change go, as issue 21 asks, and with them the driver
        # diagram written in their words: neither is counted in any figure.
        "improvements.Attachment",
        "improvements.DriverNode",
        "sessions.Session",
        "i2i.AuditEvent",  # one more: the erasure
    }
    assert {k: v for k, v in after.items() if k not in gone} == {
        k: v for k, v in before.items() if k not in gone
    }
    assert figures(cohort) == figures_before
    client.force_login(world.programme_manager)
    after_csv = client.get(reverse("cohort_dashboard_csv", args=[cohort.pk])).content
    assert after_csv.count(b"\n") == csv.count(b"\n")


def test_every_file_that_holds_them_is_deleted_and_the_rest_stay(
    world, marked, media, django_capture_on_commit_callbacks
):
    p = marked.participant
    lm, pm = world.line_manager, world.programme_manager
    account = ReflectiveAccount.objects.get(participant=p)
    cohort = p.cohort
    theirs = [
        _make("personal_data_pdf", {"user_id": p.user.pk}, p.user),
        _make("reflective_account_pdf", {"account_id": account.pk, "reader_id": p.user.pk}, p.user),
        _make("reflective_account_pdf", {"account_id": account.pk, "reader_id": lm.pk}, lm),
        _make("workshop_pack", {"cohort_id": cohort.pk}, pm, f"Workshop pack: {cohort.name}"),
        _make(
            "evaluation_report", {"cohort_id": cohort.pk}, pm, f"Evaluation report: {cohort.name}"
        ),
        # The line manager's own download holds the reminder that named Pat.
        _make("personal_data_pdf", {"user_id": lm.pk}, lm),
    ]
    others = [
        _make(
            "personal_data_pdf",
            {"user_id": world.other_participant.user.pk},
            world.other_participant.user,
        ),
        _make(
            "reflective_account_pdf",
            {
                "account_id": ReflectiveAccountFactory(
                    placement__participant=world.other_participant
                ).pk,
                "reader_id": world.other_participant.user.pk,
            },
            world.other_participant.user,
        ),
    ]
    for job in theirs:
        text = _text(job)
        assert marked.person_in(text) or marked.found_in(text), job.kind
    paths = [Path(job.file.path) for job in theirs]
    assert all(path.exists() for path in paths)

    with django_capture_on_commit_callbacks(execute=True):
        removed = person_erase(user=p.user, by=pm)

    assert not any(path.exists() for path in paths)
    assert not Job.objects.filter(pk__in=[job.pk for job in theirs]).exists()
    assert sorted(f["kind"] for f in removed) == sorted(job.kind for job in theirs)
    for job in others:
        assert Path(job.file.path).exists()
    stored = "\n".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)
        for path in Path(media).rglob("*.pdf")
    )
    assert marked.found_in(stored) == set() and marked.person_in(stored) == []


def test_the_line_manager_can_no_longer_download_their_copy(client, world, marked, media):
    account = ReflectiveAccount.objects.get(participant=marked.participant)
    job = _make(
        "reflective_account_pdf",
        {"account_id": account.pk, "reader_id": world.line_manager.pk},
        world.line_manager,
    )
    client.force_login(world.line_manager)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 200
    person_erase(user=marked.participant.user, by=world.programme_manager)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_a_workshop_pack_made_after_erasure_has_no_section_about_them(world, marked, media):
    cohort = marked.participant.cohort
    before = _text(_make("workshop_pack", {"cohort_id": cohort.pk}, world.programme_manager))
    assert marked.name in before
    person_erase(user=marked.participant.user, by=world.programme_manager)
    from participants.models import WorkshopConsent

    # Even a consent set again afterwards (in the admin, say) does not bring them back.
    WorkshopConsent.objects.filter(participant=marked.participant).update(include=True)
    after = _text(_make("workshop_pack", {"cohort_id": cohort.pk}, world.programme_manager))
    assert "Erased person" not in after
    assert marked.found_in(after) == set()
    assert "0 chose to share a section" in " ".join(after.split())


def test_the_programme_manager_is_told_which_files_went_and_makes_them_again(
    client, world, marked, media, django_capture_on_commit_callbacks
):
    cohort = marked.participant.cohort
    _make(
        "workshop_pack",
        {"cohort_id": cohort.pk},
        world.programme_manager,
        f"Workshop pack: {cohort.name}",
    )
    user = marked.participant.user
    client.force_login(world.programme_manager)
    url = reverse("person_erase", args=[user.pk])
    page = client.get(url).content.decode()
    assert f"Workshop pack: {cohort.name}" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": user.email.upper()})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert f"Workshop pack: {cohort.name}" in page
    assert reverse("workshop_pack", args=[cohort.pk]) in page
    assert marked.name not in page and user.email not in page


def test_the_confirmation_page_says_no_files_when_there_are_none(client, world):
    client.force_login(world.programme_manager)
    page = client.get(reverse("person_erase", args=[world.participant.user.pk])).content.decode()
    assert "There are none now." in page


def test_erasing_a_line_manager_erases_what_they_wrote_on_others_records(world, marked):
    person_erase(user=world.line_manager, by=world.programme_manager)
    stored = everything_stored()
    written = {
        marker
        for marker, where in marked.placed.items()
        if where
        in {
            "placements.OutcomesDecision.comment",
            "reflections.AccountEvent.comment",
            "improvements.AgreementDecision.comment",
            "participants.EOIEvent.comment",
            "participants.ExpressionOfInterest.support_comment",
            # The line manager records the mid-programme review: their words about Pat.
            "reflections.MidProgrammeReview.going_well",
            "reflections.MidProgrammeReview.help_needed",
            "reflections.MidProgrammeReview.plan",
        }
    }
    assert marked.found_in(stored) & written == set()
    # Pat's own words stay: only the line manager was erased.
    assert marked.found_in(stored) == set(marked.placed) - written
    assert (
        Participant.objects.get(pk=marked.participant.pk).line_manager_id == world.line_manager.pk
    )


def test_erasure_reads_and_writes_a_fixed_number_of_queries(world):
    """However much a person holds, the same statements erase it."""

    def fill(participant, size):
        start = participant.cohort.programme_start
        for number in range(size):
            placement = ApprovedPlacementFactory(participant=participant)
            for day in range(size):
                HalfDayFactory(
                    placement=placement,
                    date=start + dt.timedelta(days=7 * (number * size + day + 1)),
                    person_met=f"Host {day}",
                )
            ReflectiveAccountFactory(placement=placement)

    small, large = world.participant, world.other_participant
    fill(small, 1)
    fill(large, 4)

    def queries(participant):
        with CaptureQueriesContext(connection) as captured:
            person_erase(user=participant.user, by=world.programme_manager)
        return len(captured)

    assert queries(small) == queries(large)


def test_erasing_again_changes_nothing(world, marked):
    person_erase(user=marked.participant.user, by=world.programme_manager)
    first = everything_stored()
    person_erase(user=marked.participant.user, by=world.programme_manager)
    # Only the second erasure's own audit event is new.
    assert AuditEvent.objects.filter(action="erasure").count() == 2
    assert first.count("(erased person #") == everything_stored().count("(erased person #")


def test_retention_erases_without_a_programme_manager(world, marked, settings):
    from django.core.management import call_command

    settings.RETENTION_YEARS = 1
    cohort = marked.participant.cohort
    cohort.programme_start = cohort.programme_start.replace(year=2020)
    cohort.save()
    world.programme_manager.is_programme_manager = False
    world.programme_manager.save()
    call_command("anonymise_expired")
    assert marked.found_in(everything_stored()) == set()
    event = AuditEvent.objects.get(action="erasure", target=f"user {marked.participant.user.pk}")
    assert (event.actor, event.actor_label) == (None, "retention schedule")


def test_the_download_of_an_erased_person_holds_nothing_they_wrote(world, marked):
    person_erase(user=marked.participant.user, by=world.programme_manager)
    data = personal_data(Participant.objects.get(pk=marked.participant.pk).user)
    assert marked.found_in(repr(data)) == set()
