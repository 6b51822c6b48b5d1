"""One status everywhere: every page, export and reminder that shows where a participant
stands says what the rules' report says (`rules.Report.overall`), in the same words.

A generated region (`manage.py generate`: a finished and a running cohort) plus two people
who have arranged nothing, judged on the run's day; then, for every participant, the status
on their progress page, on the home page of their line manager, sponsor and education lead,
in the dashboard's table and at-risk list and in its CSV, and the reminders' decisions.
"""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from i2i import rules
from i2i.models import Notification
from participants.models import Cohort, CohortStatus, EducationLead, Participant, User
from programme.progress import commitment_reports, with_progress
from programme.reminders import send_due_reminders
from tests.factories import CohortFactory, ParticipantFactory

TAG = re.compile(r'<span class="tag tag-([a-z_]+)">([^<]+)</span>')
RISK_TAG = re.compile(r'<span class="tag tag-(at_risk|missed)">([^<]+)</span>')
LINK = re.compile(r'href="/participants/(\d+)/"')
LABELS = {overall.value: overall.label for overall in rules.Overall}


def _statuses_in(chunks) -> dict[int, tuple[str, str]]:
    """{participant pk: (tag, label)} from table rows or list items that link to a participant
    and carry a status tag."""
    found = {}
    for chunk in chunks:
        link, tag = LINK.search(chunk), TAG.search(chunk)
        if link and tag:
            found[int(link.group(1))] = tag.groups()
    return found


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", html, flags=re.S)


def _assert_reasons_beside_risks(html: str, where: str) -> None:
    """Every "At risk" or "Missed" says why, in the same item: the commitment's reason from
    the report (a participant's overall status is followed by the list of them)."""
    html = re.sub(r"\s+", " ", html)
    for match in RISK_TAG.finditer(html):
        rest = html[match.end() :]
        if html[: match.start()].endswith("Overall: "):
            assert re.match(r'[^<]*</p> <ul class="list-unstyled risks">', rest), where
            continue
        item = re.split(r"</li>|</td>|</dd>", rest, maxsplit=1)[0]
        reason = re.search(r'class="reason[^"]*">([^<]+)<', item)
        assert reason and reason.group(1).strip(), (where, html[match.start() :][:300])


@pytest.fixture
def region(db):
    call_command("generate", participants=48, cohort_size=24, seed=13, stdout=io.StringIO())
    # Two who have arranged nothing yet, in a cohort a week in: "not started". (In the
    # generated running cohort, ten weeks in, they would be behind its milestones: at risk.)
    starting = CohortFactory(
        name="Cohort just started",
        status=CohortStatus.RUNNING,
        programme_start=timezone.localdate() - dt.timedelta(weeks=1),
    )
    for n in range(2):
        ParticipantFactory(
            cohort=starting, user__full_name=f"Participant Idle {n}", briefing_attended=True
        )
    people = list(with_progress(Participant.objects.select_related("user", "cohort")))
    return people, commitment_reports(people, on=timezone.localdate())


def test_every_page_and_export_shows_the_rules_status(client, region):
    people, reports = region
    expected = {p.pk: reports[p.pk].overall for p in people}
    # The region holds every kind, so that each word is checked somewhere.
    assert set(expected.values()) >= {
        rules.Overall.NOT_STARTED,
        rules.Overall.ON_TRACK,
        rules.Overall.AT_RISK,
        rules.Overall.COMPLETE,
    }

    def check(seen: dict, whom: set[int], where: str):
        assert set(seen) == whom, where
        for pk, (tag, label) in seen.items():
            assert (tag, label) == (expected[pk], LABELS[expected[pk]]), (where, pk)

    manager = User.objects.get(is_programme_manager=True)
    client.force_login(manager)
    for participant in people:
        html = client.get(reverse("participant_detail", args=[participant.pk])).content.decode()
        overall = re.search(r'Overall: <span class="tag tag-([a-z_]+)">([^<]+)</span>', html)
        assert overall.groups() == (expected[participant.pk], LABELS[expected[participant.pk]])
        _assert_reasons_beside_risks(html, f"progress page of {participant}")

    for cohort in Cohort.objects.filter(participants__isnull=False).distinct():
        members = {p.pk for p in people if p.cohort_id == cohort.pk}
        html = client.get(reverse("cohort_dashboard", args=[cohort.pk])).content.decode()
        risk_list, table = html.split('id="table-heading"')
        check(_statuses_in(_rows(table)), members, f"dashboard table of {cohort}")
        needs_action = {
            pk for pk in members if expected[pk] in {rules.Overall.AT_RISK, rules.Overall.MISSED}
        }
        items = re.findall(r"<li class=\"mb-2\">.*?</li>", risk_list, flags=re.S)
        check(_statuses_in(items), needs_action, f"at-risk list of {cohort}")

        response = client.get(reverse("cohort_dashboard_csv", args=[cohort.pk]))
        lines = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        by_email = {p.user.email: p.pk for p in people}
        assert {by_email[line["Email"]]: line["Overall"] for line in lines} == {
            pk: LABELS[expected[pk]] for pk in members
        }

    led = {}
    for user_id, organisation_id in EducationLead.objects.values_list("user_id", "organisation_id"):
        led.setdefault(user_id, set()).add(organisation_id)
    homes = {}
    for p in people:
        for role, user_id in (("line manager", p.line_manager_id), ("sponsor", p.sponsor_id)):
            homes.setdefault((role, user_id), set()).add(p.pk)
    for user_id, organisations in led.items():
        homes[("education lead", user_id)] = {
            p.pk for p in people if p.organisation_id in organisations
        }
    users = User.objects.in_bulk({user_id for _, user_id in homes})
    seen_by = {}
    for user_id, user in users.items():
        client.force_login(user)
        rows = _rows(client.get(reverse("home")).content.decode())
        seen_by[user_id] = _statuses_in(rows)
        for row in rows:
            _assert_reasons_beside_risks(row, f"home page of {user}")
    for (role, user_id), whom in homes.items():
        seen = {pk: status for pk, status in seen_by[user_id].items() if pk in whom}
        check(seen, whom, f"home page of {users[user_id]} as {role}")


def test_the_reminders_decide_by_the_same_report(region):
    people, reports = region
    today = timezone.localdate()
    send_due_reminders(today)

    running = [p for p in people if p.cohort.status == CohortStatus.RUNNING]
    at_risk = set(
        Notification.objects.filter(kind="at_risk", recipient_id__in=[p.user_id for p in running])
        .values_list("participant_id", flat=True)
        .distinct()
    )
    assert at_risk == {
        p.pk
        for p in running
        if reports[p.pk].overall in {rules.Overall.AT_RISK, rules.Overall.MISSED}
    }
    overdue = set(
        Notification.objects.filter(kind="reflection_overdue").values_list("key", flat=True)
    )
    assert overdue == {
        f"placement:{progress.placement_id}:reflection_due:{progress.reflection_due.isoformat()}"
        for p in running
        for progress in reports[p.pk].placements
        if progress.reflection_overdue
    }


def test_a_commitment_and_a_participant_use_the_same_words():
    """A commitment met reads "Complete", as a participant who has met them all does: one
    vocabulary, "Not started", "On track", "At risk", "Missed" and "Complete"."""
    words = [overall.label for overall in rules.Overall]
    assert words == ["Not started", "On track", "At risk", "Missed", "Complete"]
    assert {status.label for status in rules.Status} <= set(words)
    assert {status.value: status.label for status in rules.Status} == {
        "met": "Complete",
        "on_track": "On track",
        "at_risk": "At risk",
        "missed": "Missed",
    }


def test_the_reason_check_finds_an_at_risk_without_one():
    with pytest.raises(AssertionError):
        _assert_reasons_beside_risks('<li><span class="tag tag-at_risk">At risk</span></li>', "")
    _assert_reasons_beside_risks(
        '<li><span class="tag tag-missed">Missed</span> <span class="reason">Did not attend the '
        "briefing.</span></li>",
        "",
    )
