"""What each person should do next: the task list at the top of the home page.

Built from the progress report (`programme.progress`, `i2i.rules.Report`) and the records,
one function per role, each reading in a fixed number of queries however many rows there
are, and every object through the scoped querysets of `i2i.access`. Each task is a link to
the page where it is done, with the reason in words; `home_tasks` puts the most urgent first.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from dataclasses import dataclass, replace

from django.db.models import Count, DateTimeField, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from evaluation import follow_ups
from evaluation import services as evaluation
from evaluation.models import Moment, SelfAssessment
from i2i import access, rules
from i2i.models import Job, Notification
from i2i.templatetags.i2i_formats import clock_text
from improvements.models import AgreementDecision, AgreementStatus, ImprovementInitiative
from participants.models import (
    Cohort,
    CohortPlaces,
    CohortStatus,
    ExpressionOfInterest,
    Participant,
    SponsorMeeting,
    WorkshopConsent,
)
from placements import hosting
from placements.models import Concern, OutcomesDecision, OutcomesStatus, PlacementStatus
from programme.progress import (
    commitment_reports,
    progress_reports,
    read_participants_progress,
    with_progress,
)
from reflections import reviews
from reflections.models import AccountStatus, MidProgrammeReview

# A date is "coming up" (and a task due "soon") this many days ahead.
SOON_DAYS = 14
# Something waiting for someone longer than this many working days is chased.
WAITING_WORKING_DAYS = 5
# Each kind of task that lists people one by one shows this many, then one task for the rest.
MAX_EACH = 5
# A cohort's tasks stop this many months after its window ends (the workshop may be later).
AFTER_WINDOW_MONTHS = 6


class Urgency(enum.IntEnum):
    """Most urgent first: the list is sorted by this, then by date."""

    OVERDUE = 0  # past its due date, or waiting for you longer than five working days
    AT_RISK = 1  # one of your commitments is at risk until this is done
    WAITING = 2  # someone is waiting for you, or nothing moves on until you act
    FOLLOW_UP = 3  # someone you support is at risk
    SOON = 4  # due in the next two weeks
    LATER = 5

    @property
    def label(self) -> str:
        """The tag beside the most urgent tasks; the others have none."""
        return {Urgency.OVERDUE: "Urgent", Urgency.AT_RISK: "At risk"}.get(self, "")

    @property
    def tag(self) -> str:
        """The tag's colours, as the commitments' statuses have them (static/css/i2i.css)."""
        return {Urgency.OVERDUE: "missed", Urgency.AT_RISK: "at_risk"}.get(self, "")


@dataclass(frozen=True)
class Task:
    """One thing to do: `text` is the link's words, `url` the page where it is done, and
    `reason` says why, in words. `due` is when it must be done by (if it must); `since` when
    it started waiting, so that the oldest comes first."""

    text: str
    url: str
    reason: str
    due: dt.date | None = None
    urgency: Urgency = Urgency.LATER
    since: dt.date | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.urgency, self.due or self.since or dt.date.max)


def ordered(tasks: list[Task]) -> list[Task]:
    """Most urgent first, then the earliest date; otherwise in the order they were made."""
    return sorted(tasks, key=lambda task: task.sort_key)


def day(value: dt.date, today: dt.date) -> str:
    """A date as the task list writes it: "8 October", with the year when not this year's."""
    return date_format(value, "j F" if value.year == today.year else "j F Y")


def _urgency(base: Urgency, due: dt.date | None, today: dt.date) -> Urgency:
    if due is not None:
        if due < today:
            return Urgency.OVERDUE
        if due <= today + dt.timedelta(days=SOON_DAYS) and base > Urgency.SOON:
            return Urgency.SOON
    return base


def working_days_before(today: dt.date, days: int) -> dt.date:
    """The day `days` working days (Monday to Friday) before `today`."""
    found = today
    while days:
        found -= dt.timedelta(days=1)
        if found.weekday() < 5:
            days -= 1
    return found


def _start_of(day_: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day_, dt.time.min))


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def with_reports(participants) -> list[Participant]:
    """Attach each participant's commitments report (`p.report`), in a fixed number of
    queries."""
    rows = list(with_progress(participants))
    reports = commitment_reports(rows)
    for row in rows:
        row.report = reports[row.pk]
    return rows


def _current(participant: Participant, today: dt.date) -> bool:
    """Still running for tasks: not closed, and not long past its window."""
    return participant.cohort.status != CohortStatus.CLOSED and today <= rules.add_months(
        participant.report.window_end, AFTER_WINDOW_MONTHS
    )


def _sent_at(decisions, submitted: str):
    """When it was last sent to the line manager: the latest submission in its history, or
    its last change if it has none."""
    latest = decisions.filter(action=submitted).order_by("-at").values("at")[:1]
    return Coalesce(Subquery(latest, output_field=DateTimeField()), "updated_at")


def _outcomes_sent_at():
    return _sent_at(
        OutcomesDecision.objects.filter(placement=OuterRef("pk")),
        OutcomesDecision.Action.SUBMITTED,
    )


def _initiative_sent_at():
    return _sent_at(
        AgreementDecision.objects.filter(initiative=OuterRef("pk")),
        AgreementDecision.Action.SUBMITTED,
    )


# Participant ---------------------------------------------------------------------------------


def participant_tasks(user, participations: list[Participant] | None = None, today=None):
    """The participant's next actions on their own commitments. `participations` are theirs
    with reports (`with_reports`), if already read."""
    today = today or timezone.localdate()
    if participations is None:
        participations = with_reports(access.visible_participants(user).filter(user=user))
    own = [p for p in participations if p.user_id == user.pk]
    # After the workshop, past the tasks' months: asked 6 and 12 months on.
    follow_up_tasks = _follow_up_tasks(own, today)
    participations = [p for p in own if _current(p, today)]
    if not participations:
        return ordered(follow_up_tasks)
    ids = [p.pk for p in participations]
    answered = set(
        SelfAssessment.objects.filter(participant__in=ids).values_list("participant_id", "moment")
    )
    consented = set(
        WorkshopConsent.objects.filter(participant__in=ids).values_list("participant_id", flat=True)
    )
    initiatives = {
        row[0]: row[1:]
        for row in ImprovementInitiative.objects.filter(participant__in=ids).values_list(
            "participant_id", "agreement", "agreed_first_at"
        )
    }
    reviewed = (
        set(
            MidProgrammeReview.objects.filter(participant__in=ids).values_list(
                "participant_id", flat=True
            )
        )
        if any(_review_due_now(p, today) for p in participations)
        else set()
    )
    several = len(participations) > 1
    tasks = []
    for participant in participations:
        found = _one_participation(
            participant,
            today,
            answered={moment for pk, moment in answered if pk == participant.pk},
            consented=participant.pk in consented,
            initiative=initiatives.get(participant.pk),
        )
        if participant.pk not in reviewed:
            found += _own_review_task(participant, today)
        if several:
            found = [replace(t, text=f"{t.text} ({participant.cohort.name})") for t in found]
        tasks += found
    return ordered(tasks + follow_up_tasks)


def _one_participation(participant, today, *, answered, consented, initiative) -> list[Task]:
    report = participant.report
    placements = {p.pk: p for p in participant.placements.all()}
    return [
        *_reflection_tasks(report, placements, today),
        *_placement_tasks(report, placements, today),
        *_arrange_tasks(participant, today),
        *_improvement_tasks(participant, initiative),
        *_self_assessment_tasks(participant, answered, today),
        *_workshop_tasks(participant, consented, today),
    ]


def _own_review_task(participant, today) -> list[Task]:
    """The participant's mid-programme review with their line manager, who records it."""
    due = _review_due_now(participant, today)
    if due is None:
        return []
    manager = participant.line_manager
    return [
        Task(
            "Hold your mid-programme review with "
            + (str(manager) if manager else "your line manager"),
            reverse("mid_programme_review", args=[participant.pk]),
            f"Due {day(due, today)}, half-way through your six months: talk about what is going "
            "well, what help you need and your plan to the end; your line manager records it.",
            due=due,
            urgency=_urgency(Urgency.LATER, due, today),
        )
    ]


def _if_at_risk(commitment: rules.Commitment, otherwise: Urgency) -> Urgency:
    return Urgency.AT_RISK if commitment.status == rules.Status.AT_RISK else otherwise


def _asked_for_more(placement) -> bool:
    """A draft that was shared before: the line manager asked for more ("Ask for more")."""
    return getattr(placement, "reflection_status", None) == AccountStatus.DRAFT and bool(
        getattr(placement, "reflection_shared_at", None)
    )


def _reflection_tasks(report, placements, today) -> list[Task]:
    """A reflective account is due two weeks after a placement's fourth half-day; one the
    line manager asked more of is back with the participant, whenever it was shared."""
    tasks = []
    for row in report.placements:
        due = row.reflection_due
        placement = placements[row.placement_id]
        if _asked_for_more(placement):
            tasks.append(
                Task(
                    f"Add to your reflective account of {row.organisation_name} and share it again",
                    reverse("account_edit", args=[placement.reflection_id]),
                    "Your line manager asked for more: their comment is on the account. "
                    "It counts once you share it again and they record your discussion.",
                    due=due,
                    urgency=_urgency(Urgency.WAITING, due, today),
                )
            )
            continue
        if due is None:
            continue
        account_id = getattr(placement, "reflection_id", None)
        if account_id and getattr(placement, "reflection_status", None) == AccountStatus.DRAFT:
            url, verb = reverse("account_edit", args=[account_id]), "Finish and share"
        else:
            # Starting one is a POST (the button there), never a link's GET.
            url = reverse("placement_detail", args=[placement.pk]) + "#account-heading"
            verb = "Write"
        if row.reflection_overdue:
            reason = (
                f"It was due on {day(due, today)}, two weeks after your fourth half-day there: "
                "share it with your line manager now."
            )
        else:
            reason = "Two weeks after your fourth half-day there, shared with your line manager."
        tasks.append(
            Task(
                f"{verb} the reflective account for {row.organisation_name} "
                f"— due {day(due, today)}",
                url,
                reason,
                due=due,
                urgency=_urgency(Urgency.LATER, due, today),
            )
        )
    return tasks


def _placement_tasks(report, placements, today) -> list[Task]:
    """Each placement that counts: its learning outcomes to send, then its half-days."""
    outcomes = report.get("outcomes_agreed")
    progress = {row.placement_id: row for row in report.placements}
    tasks = []
    for placement in placements.values():
        row = progress.get(placement.pk)
        if placement.status == PlacementStatus.WITHDRAWN or row is None:
            continue
        if row.counting not in {rules.Counting.COUNTS, rules.Counting.EXTRA}:
            continue
        name = row.organisation_name
        url = reverse("outcomes_edit", args=[placement.pk])
        if placement.outcomes_status == OutcomesStatus.RETURNED:
            tasks.append(
                Task(
                    f"Change your learning outcomes for {name} and send them again",
                    url,
                    "Your line manager returned them with comments: no half-day there until "
                    "they agree them.",
                    urgency=_if_at_risk(outcomes, Urgency.WAITING),
                )
            )
        elif placement.outcomes_status == OutcomesStatus.DRAFT:
            tasks.append(
                Task(
                    f"Send your learning outcomes for {name} to your line manager",
                    url,
                    "They agree what you set out to learn before your first half-day there.",
                    urgency=_if_at_risk(outcomes, Urgency.WAITING),
                )
            )
        elif placement.outcomes_status == OutcomesStatus.APPROVED:
            tasks += _half_day_tasks(report, placement, row, today)
        # Submitted: waiting for the line manager, nothing for the participant to do.
    return tasks


def _half_day_tasks(report, placement, row, today) -> list[Task]:
    """A planned half-day now past, to say whether it took place; and the half-days still
    to book while the window is open."""
    name = row.organisation_name
    days = list(placement.half_days.all())
    tasks = []
    past = [h for h in days if h.status == rules.HalfDayStatus.PLANNED and h.date < today]
    if past:
        tasks.append(
            Task(
                f"Say whether your half-day at {name} on {day(past[0].date, today)} took place",
                reverse("placement_detail", args=[placement.pk]),
                "It was planned for that day: mark it completed, or cancel it, so that your "
                "progress is right.",
                urgency=Urgency.WAITING,
                since=past[0].date,
            )
        )
    half_days = report.get("half_days")
    booked = sum(1 for h in days if h.status == rules.HalfDayStatus.PLANNED and h.date >= today)
    still = rules.HALF_DAYS_PER_PLACEMENT - row.half_days_done - booked
    if (
        row.counting == rules.Counting.COUNTS
        and today <= report.window_end
        and still > 0
        and half_days.status in {rules.Status.ON_TRACK, rules.Status.AT_RISK}
    ):
        reason = (
            f"{row.half_days_done} of {rules.HALF_DAYS_PER_PLACEMENT} half-days done there"
            + (f", {booked} booked" if booked else "")
            + f"; the window ends on {day(report.window_end, today)}."
        )
        if half_days.status == rules.Status.AT_RISK:
            reason += " " + half_days.sentence
        tasks.append(
            Task(
                f"Book {_plural(still, 'more half-day', 'more half-days')} at {name}",
                reverse("half_day_create", args=[placement.pk]),
                reason,
                urgency=_if_at_risk(half_days, Urgency.LATER),
            )
        )
    return tasks


def _arrange_tasks(participant, today) -> list[Task]:
    arrange = participant.report.get("placements")
    if not arrange.to_do or arrange.status not in {rules.Status.ON_TRACK, rules.Status.AT_RISK}:
        return []
    return [
        Task(
            arrange.to_do,
            reverse("placement_create", args=[participant.pk]),
            arrange.sentence,
            due=arrange.due,
            urgency=_if_at_risk(arrange, _urgency(Urgency.LATER, arrange.due, today)),
        )
    ]


def _improvement_tasks(participant, initiative) -> list[Task]:
    """Plan the initiative once a placement is complete (or it is at risk), send it, or
    change it when it comes back."""
    report = participant.report
    improvement = report.get("improvement")
    agreement = initiative[0] if initiative else None
    detail = reverse("initiative_detail", args=[participant.pk])
    if agreement == AgreementStatus.RETURNED:
        return [
            Task(
                "Change your improvement initiative and send it again",
                detail,
                "Your line manager returned it with comments.",
                urgency=Urgency.WAITING,
            )
        ]
    if improvement.status == rules.Status.MET:
        return []
    if improvement.to_do == rules.STILL_TO_DO["review"][1]:
        # Implemented: the line manager's review is what is left (issue #21).
        return [
            Task(
                improvement.to_do,
                detail + "#review-panel",
                improvement.sentence,
                urgency=_if_at_risk(improvement, Urgency.LATER),
            )
        ]
    if agreement == AgreementStatus.DRAFT:
        return [
            Task(
                "Send your improvement initiative to your line manager",
                detail,
                "They agree it with you. " + improvement.sentence,
                urgency=_if_at_risk(improvement, Urgency.LATER),
            )
        ]
    if initiative is None and (
        improvement.status == rules.Status.AT_RISK
        or any(row.completed_on for row in report.placements)
    ):
        return [
            Task(
                "Plan your service improvement initiative",
                reverse("initiative_create", args=[participant.pk]),
                improvement.sentence
                + " What you learn on your placements shapes it; your line manager agrees it.",
                urgency=_if_at_risk(improvement, Urgency.LATER),
            )
        ]
    return []


def _self_assessment_tasks(participant, answered, today) -> list[Task]:
    """The self-assessment, at the start (while open) and at the end (from four weeks
    before the workshop)."""
    cohort = participant.cohort
    tasks = []
    for moment, text, closes, why in (
        (
            Moment.BEFORE,
            "Answer the start-of-programme self-assessment",
            evaluation.cohort_before_closes(cohort),
            "it shows where you started",
        ),
        (
            Moment.AFTER,
            "Answer the end-of-programme self-assessment",
            cohort.workshop_date or participant.report.window_end,
            "with your first answers, it shows what changed",
        ),
    ):
        if moment.value in answered:
            continue
        if evaluation.moment_state(cohort, moment, False, today) != "open":
            continue
        if moment == Moment.AFTER and today > closes + dt.timedelta(days=SOON_DAYS * 2):
            continue  # long after the workshop: no longer a next step
        tasks.append(
            Task(
                text,
                reverse("self_assessment", args=[participant.pk, moment.value]),
                f"Open now, to answer by {day(closes, today)}: {why}.",
                due=closes,
                urgency=_urgency(Urgency.LATER, closes, today),
            )
        )
    return tasks


def _follow_up_tasks(participations, today) -> list[Task]:
    """The follow-up questionnaire while it is open (eight weeks from 6 and 12 months after
    the workshop) and not answered."""
    several = len(participations) > 1
    return [
        Task(
            f"Answer the {due.window.moment.label} follow-up questionnaire"
            + (f" ({due.participant.cohort.name})" if several else ""),
            reverse("follow_up", args=[due.participant.pk, due.window.moment.value]),
            f"Open until {day(due.window.closes, today)}: where you are now, "
            f"{due.window.moment.label} after the workshop, and who you are still in touch with.",
            due=due.window.closes,
            urgency=_urgency(Urgency.LATER, due.window.closes, today),
        )
        for due in follow_ups.open_unanswered(participations, today)
    ]


def _workshop_tasks(participant, consented, today) -> list[Task]:
    """What goes in the workshop pack, and the briefing and workshop in the next two weeks."""
    cohort = participant.cohort
    tasks = []
    workshop = cohort.workshop_date
    if workshop and not consented and evaluation.cohort_after_opens(cohort) <= today <= workshop:
        tasks.append(
            Task(
                "Choose what of yours goes in the workshop pack",
                reverse("workshop_consent", args=[participant.pk]),
                f"The workshop is on {day(workshop, today)}; the pack is made from what you "
                "choose to share.",
                due=workshop,
                urgency=_urgency(Urgency.LATER, workshop, today),
            )
        )
    for code, time, place in (
        ("briefing", cohort.briefing_time, cohort.briefing_place),
        ("workshop", cohort.workshop_time, cohort.workshop_place),
    ):
        event = participant.report.get(code)
        if event.to_do and event.due and today <= event.due <= today + dt.timedelta(days=SOON_DAYS):
            where = ", ".join(filter(None, (clock_text(time) if time else "", place)))
            tasks.append(
                Task(
                    f"Go to the {code} on {day(event.due, today)}",
                    reverse("cohort_detail", args=[cohort.pk]),
                    "It is one of your commitments" + (f": {where}." if where else "."),
                    due=event.due,
                    urgency=Urgency.SOON,
                )
            )
    return tasks


# Line manager --------------------------------------------------------------------------------


def _risk_reason(report: rules.Report) -> str:
    risks = report.risks
    if not risks:
        return ""
    first = risks[0]
    more = len(risks) - 1
    extra = f" ({_plural(more, 'more commitment', 'more commitments')} too)" if more else ""
    return f"{first.title}: {first.sentence}{extra}"


def _at_risk_tasks(user, participants, today, verb: str) -> list[Task]:
    tasks = []
    for p in participants:
        if p.user_id == user.pk or not p.report.at_risk or today > p.report.window_end:
            continue
        tasks.append(
            Task(
                f"{verb} {p.user}, who "
                + (
                    "missed a commitment"
                    if p.report.overall == rules.Overall.MISSED
                    else "is at risk"
                ),
                reverse("participant_detail", args=[p.pk]),
                _risk_reason(p.report),
                urgency=Urgency.FOLLOW_UP,
            )
        )
    return tasks


def _waiting_urgency(since: dt.date | None, today: dt.date) -> Urgency:
    if since and since < working_days_before(today, WAITING_WORKING_DAYS):
        return Urgency.OVERDUE
    return Urgency.WAITING


def _waited(since: dt.date | None, today: dt.date) -> str:
    if since is None:
        return ""
    days = (today - since).days
    if days <= 0:
        return "sent today"
    return f"sent {day(since, today)}, {_plural(days, 'day', 'days')} ago"


def outcomes_waiting(user) -> list:
    """The sets of learning outcomes waiting for this line manager, oldest sent first, each
    with `sent_at`."""
    return list(
        access.visible_placements(user)
        .awaiting_approval_by(user)
        .exclude(participant__user=user)
        .annotate(sent_at=_outcomes_sent_at())
        .order_by("sent_at", "pk")
    )


def line_manager_tasks(user, managed=None, accounts=None, outcomes=None, today=None) -> list[Task]:
    """Learning outcomes and initiatives waiting for the line manager (oldest first),
    reflective accounts to discuss, and their reports at risk."""
    today = today or timezone.localdate()
    tasks = []
    if outcomes is None:
        outcomes = outcomes_waiting(user)
    for placement in outcomes[:MAX_EACH]:
        since = _local_day(placement.sent_at)
        tasks.append(
            Task(
                f"Review {placement.participant.user}'s learning outcomes for "
                f"{placement.organisation.name}",
                reverse("placement_detail", args=[placement.pk]) + "#outcomes-panel",
                f"Waiting for your approval ({_waited(since, today)}): no half-day there until "
                "you agree them.",
                urgency=_waiting_urgency(since, today),
                since=since,
            )
        )
    if len(outcomes) > MAX_EACH:
        more = len(outcomes) - MAX_EACH
        since = _local_day(outcomes[MAX_EACH].sent_at)
        tasks.append(
            Task(
                f"See {_plural(more, 'more set', 'more sets')} of learning outcomes waiting",
                reverse("approvals"),
                "Oldest first; after each decision you go on to the next.",
                urgency=_waiting_urgency(since, today),
                since=since,
            )
        )
    review = (
        AgreementDecision.objects.filter(initiative=OuterRef("pk"), action__in=REVIEW_ACTIONS)
        .order_by("-at", "-pk")
        .values("action", "at")
    )
    initiatives = (
        access.visible_initiatives(user)
        .filter(participant__line_manager=user)
        .exclude(participant__user=user)
        .annotate(
            sent_at=_initiative_sent_at(),
            review=Subquery(review.values("action")[:1]),
            review_asked_at=Subquery(review.values("at")[:1]),
        )
        .filter(Q(agreement=AgreementStatus.SUBMITTED) | Q(review=REVIEW_ASKED))
        .order_by("sent_at", "pk")
    )
    for initiative in initiatives:
        if initiative.review == REVIEW_ASKED:
            tasks.append(_implementation_review_task(initiative, today))
        if initiative.agreement != AgreementStatus.SUBMITTED:
            continue
        since = _local_day(initiative.sent_at)
        tasks.append(
            Task(
                f"Agree {initiative.participant.user}'s improvement initiative",
                reverse("initiative_detail", args=[initiative.participant_id]),
                f"“{initiative.title}” is waiting for your agreement ({_waited(since, today)}).",
                urgency=_waiting_urgency(since, today),
                since=since,
            )
        )
    if accounts is None:
        accounts = shared_accounts(user)
    for account in accounts:
        since = _local_day(account.shared_at)
        tasks.append(
            Task(
                f"Discuss {account.participant.user}'s reflective account of "
                f"{account.placement.organisation.name}",
                reverse("account_detail", args=[account.pk]),
                "Shared with you"
                + (f" on {day(since, today)}" if since else "")
                + ": read it, then record your discussion.",
                urgency=_waiting_urgency(since, today),
                since=since,
            )
        )
    if managed is None:
        managed = with_reports(access.visible_participants(user).filter(line_manager=user))
    tasks += _at_risk_tasks(user, managed, today, "Check on")
    tasks += _mid_programme_review_tasks(user, managed, today)
    return ordered(tasks)


REVIEW_ACTIONS = (
    AgreementDecision.Action.REVIEW_ASKED,
    AgreementDecision.Action.REVIEWED,
    AgreementDecision.Action.REVIEW_RETURNED,
)
REVIEW_ASKED = AgreementDecision.Action.REVIEW_ASKED


def _implementation_review_task(initiative, today) -> Task:
    """The participant asked the line manager to confirm the initiative implemented: the
    `improvement` commitment is met when they do (issue #21)."""
    since = _local_day(initiative.review_asked_at)
    return Task(
        f"Review {initiative.participant.user}'s implemented improvement initiative",
        reverse("initiative_detail", args=[initiative.participant_id]) + "#review-panel",
        f"“{initiative.title}” is waiting for your review of the implementation "
        f"({_waited(since, today)}): confirm it implemented and reviewed, or return it.",
        urgency=_waiting_urgency(since, today),
        since=since,
    )


def _review_due_now(participant, today) -> dt.date | None:
    """The mid-programme review's due day, if its task shows today: from two weeks before it
    is due until the window ends, in a cohort still running."""
    start = participant.cohort.programme_start
    due = reviews.review_due(start)
    if participant.cohort.status != CohortStatus.RUNNING:
        return None
    if not due - dt.timedelta(days=SOON_DAYS) <= today <= rules.window_end(start):
        return None
    return due


def _mid_programme_review_tasks(user, managed, today) -> list[Task]:
    """Mid-programme reviews to hold and record with the line manager's reports (one query)."""
    managed = [
        p
        for p in managed
        if access.can_record_mid_programme_review(user, p) and _review_due_now(p, today)
    ]
    if not managed:
        return []
    held = set(
        MidProgrammeReview.objects.filter(participant__in=[p.pk for p in managed]).values_list(
            "participant_id", flat=True
        )
    )
    tasks = []
    for p in managed:
        if p.pk in held:
            continue
        due = _review_due_now(p, today)
        tasks.append(
            Task(
                f"Hold {p.user}'s mid-programme review — due {date_format(due, 'j F Y')}",
                reverse("mid_programme_review", args=[p.pk]),
                "Half-way through their six months: talk about what is going well, what help "
                "is needed and the plan to the end, then record it here.",
                due=due,
                urgency=_urgency(Urgency.LATER, due, today),
            )
        )
    return tasks


def shared_accounts(user):
    """Reflective accounts shared with the line manager and not yet discussed, oldest first."""
    return list(
        access.readable_accounts(user)
        .filter(participant__line_manager=user, status=AccountStatus.SHARED)
        .exclude(participant__user=user)
        .select_related(None)
        .select_related("participant__user", "placement__organisation")
        .only(
            "pk",
            "shared_at",
            "participant__user__full_name",
            "participant__user__email",
            "placement__organisation__name",
        )
        .order_by("shared_at", "pk")
    )


# Sponsor -------------------------------------------------------------------------------------


def sponsor_tasks(user, sponsored=None, today=None) -> list[Task]:
    """Meetings to record with the people they sponsor, and those of them at risk."""
    today = today or timezone.localdate()
    if sponsored is None:
        sponsored = with_reports(access.visible_participants(user).filter(sponsor=user))
    sponsored = [p for p in sponsored if p.sponsor_id == user.pk and p.user_id != user.pk]
    # Whether each has met their sponsor, and when they were selected (the Expression of
    # Interest's decision; the programme's start for someone added without one).
    facts = {
        pk: (met, selected_at)
        for pk, met, selected_at in Participant.objects.filter(pk__in=[p.pk for p in sponsored])
        .annotate(met=Exists(SponsorMeeting.objects.filter(participant=OuterRef("pk"))))
        .values_list("pk", "met", "eoi__decided_at")
    }
    tasks = []
    for p in sponsored:
        met, selected_at = facts.get(p.pk, (False, None))
        if met or today > p.report.window_end or p.cohort.status == CohortStatus.CLOSED:
            continue
        selected_on = _local_day(selected_at) or p.cohort.programme_start
        # The leaflet: the sponsor meets the participant when they have been selected; the
        # reminder goes three weeks after (`programme.reminders`).
        due = selected_on + dt.timedelta(days=21)
        tasks.append(
            Task(
                f"Meet {p.user}, newly selected from {p.organisation.name}",
                reverse("sponsor_meeting", args=[p.pk]),
                f"Selected for {p.cohort.name} on {day(selected_on, today)}: the sponsor meets "
                "each participant to help them plan their placements, then records the meeting "
                "here.",
                due=due,
                urgency=_urgency(Urgency.WAITING, due, today),
                since=selected_on,
            )
        )
    tasks += _at_risk_tasks(user, sponsored, today, "Help")
    return ordered(tasks)


# Education lead ------------------------------------------------------------------------------


def education_lead_tasks(user, today=None) -> list[Task]:
    """Expressions of Interest waiting for them, by state, and places left per cohort."""
    today = today or timezone.localdate()
    led = access.led_organisation_ids(user)
    states = (
        access.reviewable_eois(user)
        .filter(organisation_id__in=led, status=ExpressionOfInterest.Status.SUBMITTED, decision="")
        .order_by()
        .values("support", "shortlisted")
        .annotate(n=Count("pk"))
    )
    counts: Counter = Counter()
    for row in states:
        if row["shortlisted"]:
            counts["shortlisted"] += row["n"]
        else:
            counts[row["support"]] += row["n"]
    url = reverse("eoi_review")
    tasks = []
    Support = ExpressionOfInterest.Support
    for key, one, many, reason, urgency in (
        (
            "shortlisted",
            "Decide on 1 shortlisted Expression of Interest",
            "Decide on {n} shortlisted Expressions of Interest",
            "Select or decline each, with a reason.",
            Urgency.WAITING,
        ),
        (
            Support.CONFIRMED,
            "Review 1 Expression of Interest supported by a line manager",
            "Review {n} Expressions of Interest supported by their line managers",
            "Ready for your decision: shortlist, select or decline.",
            Urgency.WAITING,
        ),
        (
            Support.DECLINED,
            "Review 1 Expression of Interest a line manager did not support",
            "Review {n} Expressions of Interest their line managers did not support",
            "Read the line manager's reason, then decide.",
            Urgency.WAITING,
        ),
        (
            Support.NOT_ASKED,
            "Review 1 Expression of Interest with no line manager named",
            "Review {n} Expressions of Interest with no line manager named",
            "Ask the applicant for their line manager, or decide.",
            Urgency.WAITING,
        ),
        (
            Support.PENDING,
            "1 Expression of Interest is waiting for line manager support",
            "{n} Expressions of Interest are waiting for line manager support",
            "Nothing for you yet: you decide once their line manager has answered.",
            Urgency.LATER,
        ),
    ):
        n = counts.get(key, 0)
        if n:
            tasks.append(Task((one if n == 1 else many).format(n=n), url, reason, urgency=urgency))

    # Places left on recruiting cohorts: places set, less those selected.
    selected = access.reviewable_eois(user).filter(
        cohort=OuterRef("cohort"),
        organisation=OuterRef("organisation"),
        decision=ExpressionOfInterest.Decision.SELECTED,
    )
    places = (
        CohortPlaces.objects.filter(
            organisation_id__in=led, cohort__status=CohortStatus.RECRUITING, places__gt=0
        )
        .annotate(
            taken=Coalesce(
                Subquery(
                    selected.order_by().values("cohort").annotate(n=Count("pk")).values("n")[:1]
                ),
                0,
            )
        )
        .select_related("cohort", "organisation")
        .order_by("cohort__programme_start", "organisation__name")
    )
    for row in places:
        left = max(row.places - row.taken, 0)
        closes = row.cohort.eoi_closes
        if not left or (closes and closes < today):
            continue
        tasks.append(
            Task(
                f"{row.cohort.name}: {_plural(left, 'place', 'places')} left for "
                f"{row.organisation.name}",
                f"{url}?cohort={row.cohort.pk}",
                f"{row.taken} of {row.places} selected"
                + (f"; Expressions of Interest close on {day(closes, today)}." if closes else "."),
                due=closes,
                urgency=_urgency(Urgency.LATER, closes, today),
            )
        )
    return ordered(tasks)


def eoi_support_tasks(user, count: int | None = None) -> list[Task]:
    """Anyone named as line manager on an Expression of Interest confirms their support."""
    if count is None:
        count = eois_to_support(user)
    if not count:
        return []
    return [
        Task(
            f"Confirm your support for {_plural(count, 'Expression', 'Expressions')} of Interest",
            reverse("eoi_list"),
            "You are named as their line manager: the education lead decides once you answer.",
            urgency=Urgency.WAITING,
        )
    ]


def eois_to_support(user) -> int:
    return (
        access.visible_eois(user)
        .filter(line_manager_email__iexact=user.email, status="submitted", support="pending")
        .exclude(applicant=user)
        .count()
    )


# Programme manager ---------------------------------------------------------------------------


def programme_manager_tasks(user, cohorts=None, proposed=None, today=None) -> list[Task]:
    """People at risk by cohort, approvals waiting too long, proposed organisations,
    dates coming up, attendance to record and failed exports."""
    today = today or timezone.localdate()
    if not access.is_programme_manager(user):
        return []
    if cohorts is None:
        cohorts = list(access.visible_cohorts(user))
    tasks: list[Task] = []

    running = {
        c.pk: c
        for c in cohorts
        if c.status != CohortStatus.CLOSED and c.programme_start <= today <= c.programme_end
    }
    tasks += _cohorts_at_risk(user, running, today)
    tasks += _waiting_too_long(user, today)

    if proposed is None:
        proposed = access.visible_organisations(user).filter(is_confirmed=False).count()
    if proposed:
        tasks.append(
            Task(
                f"Check {_plural(proposed, 'proposed organisation', 'proposed organisations')}",
                reverse("organisations_proposed"),
                "Participants proposed them as hosts: add each to the directory or merge it "
                "into one already there.",
                urgency=Urgency.WAITING,
            )
        )
    tasks += _dates(user, cohorts, today)

    failed = (
        access.visible_jobs(user)
        .filter(status=Job.Status.FAILED, created_at__gte=_start_of(today - dt.timedelta(days=14)))
        .only("pk", "title", "message", "created_at")
        .order_by("-created_at")
    )
    for job in failed[:MAX_EACH]:
        tasks.append(
            Task(
                f"Try again: “{job.title}” failed",
                reverse("job_detail", args=[job.pk]),
                (job.message or "The export failed.")
                + f" Asked for on {day(timezone.localdate(job.created_at), today)}.",
                urgency=Urgency.WAITING,
                since=timezone.localdate(job.created_at),
            )
        )
    tasks += _failed_reminders(user, today)
    tasks += _concerns_to_handle(user)
    return ordered(tasks)


def _concerns_to_handle(user) -> list[Task]:
    """Open concerns about placements (issue #20), until each is closed (one query)."""
    found = (
        access.visible_concerns(user)
        .filter(status=Concern.Status.OPEN)
        .aggregate(count=Count("pk"), first=Min("raised_at"))
    )
    if not found["count"]:
        return []
    return [
        Task(
            f"Concerns to handle ({found['count']})",
            reverse("concern_list"),
            "Raised about placements: read each, record what you do and close it with how it "
            "was resolved.",
            urgency=Urgency.WAITING,
            since=_local_day(found["first"]),
        )
    ]


def _failed_reminders(user, today) -> list[Task]:
    """Reminders the mail server refused for good (or never took after every retry) in the
    last two weeks: those people were not told (one query)."""
    if not access.can_see_notifications_sent(user):
        return []
    failed = Notification.objects.filter(
        failed_at__gte=_start_of(today - dt.timedelta(days=SOON_DAYS))
    ).aggregate(count=Count("pk"), first=Min("failed_at"))
    if not failed["count"]:
        return []
    n = failed["count"]
    return [
        Task(
            f"Check {_plural(n, 'reminder', 'reminders')} that failed",
            reverse("notifications_sent") + "?failed=1",
            f"The mail server did not take {'it' if n == 1 else 'them'}, so "
            f"{'its recipient was' if n == 1 else 'their recipients were'} not told: see who "
            "and why, correct the address or tell them another way.",
            urgency=Urgency.WAITING,
            since=_local_day(failed["first"]),
        )
    ]


def _cohorts_at_risk(user, running: dict[int, Cohort], today) -> list[Task]:
    if not running:
        return []
    scoped = access.visible_participants(user).filter(cohort__in=list(running))
    progress = read_participants_progress(scoped)
    reports = progress_reports(running, progress, today)
    # Each participant's row ends with their cohort's id.
    cohort_of = {row[0]: row[-1] for row in progress.participants}
    at_risk: Counter = Counter()
    missed: Counter = Counter()
    for pk, report in reports.items():
        if report.at_risk:
            at_risk[cohort_of[pk]] += 1
            if report.overall == rules.Overall.MISSED:
                missed[cohort_of[pk]] += 1
    tasks = []
    for cohort_id, n in at_risk.items():
        cohort = running[cohort_id]
        lost = missed[cohort_id]
        tasks.append(
            Task(
                f"{cohort.name}: {_plural(n, 'person', 'people')} at risk",
                reverse("cohort_dashboard", args=[cohort_id]) + "#risk-heading",
                (f"{lost} of them missed a commitment; " if lost else "")
                + f"the window ends on {day(cohort.programme_end, today)}. See who, and why, "
                "on the dashboard.",
                urgency=Urgency.FOLLOW_UP,
                since=cohort.programme_end,
            )
        )
    return tasks


def _waiting_too_long(user, today) -> list[Task]:
    """Learning outcomes and initiatives waiting for a line manager more than five working
    days: the programme manager chases them."""
    cutoff = _start_of(working_days_before(today, WAITING_WORKING_DAYS))
    placements = (
        access.visible_placements(user)
        .filter(outcomes_status=OutcomesStatus.SUBMITTED)
        .exclude(status=PlacementStatus.WITHDRAWN)
        .annotate(sent_at=_outcomes_sent_at())
        .filter(sent_at__lt=cutoff)
        .order_by("sent_at", "pk")
    )
    initiatives = (
        access.visible_initiatives(user)
        .filter(agreement=AgreementStatus.SUBMITTED)
        .annotate(sent_at=_initiative_sent_at())
        .filter(sent_at__lt=cutoff)
        .order_by("sent_at", "pk")
    )
    rows = [
        (
            p.sent_at,
            f"Chase {p.participant.line_manager or 'the line manager'} about "
            f"{p.participant.user}'s learning outcomes",
            reverse("placement_detail", args=[p.pk]),
            f"For {p.organisation.name}",
        )
        for p in placements
    ] + [
        (
            i.sent_at,
            f"Chase {i.participant.line_manager or 'the line manager'} about "
            f"{i.participant.user}'s improvement initiative",
            reverse("initiative_detail", args=[i.participant_id]),
            f"“{i.title}”",
        )
        for i in initiatives
    ]
    rows.sort(key=lambda row: row[0])
    tasks = []
    for sent_at, text, url, what in rows[:MAX_EACH]:
        since = _local_day(sent_at)
        tasks.append(
            Task(
                text,
                url,
                f"{what}: waiting for approval since {day(since, today)}, more than "
                f"{WAITING_WORKING_DAYS} working days.",
                urgency=Urgency.OVERDUE,
                since=since,
            )
        )
    if len(rows) > MAX_EACH:
        more = len(rows) - MAX_EACH
        tasks.append(
            Task(
                f"{_plural(more, 'more approval', 'more approvals')} waiting more than "
                f"{WAITING_WORKING_DAYS} working days",
                reverse("cohort_list"),
                "Open each cohort's dashboard to see whose line manager to chase.",
                urgency=Urgency.OVERDUE,
                since=_local_day(rows[MAX_EACH][0]),
            )
        )
    return tasks


def _dates(user, cohorts, today) -> list[Task]:
    """Briefings and workshops in the next two weeks (a workshop's until its pack is made),
    and attendance still to record."""
    soon = today + dt.timedelta(days=SOON_DAYS)
    recent = today - dt.timedelta(days=SOON_DAYS * 2)
    unrecorded: dict[str, set[int]] = {"briefing": set(), "workshop": set()}
    relevant = [c.pk for c in cohorts if c.status != CohortStatus.CLOSED]
    if relevant:
        rows = (
            access.visible_participants(user)
            .filter(cohort__in=relevant)
            .order_by()
            .values("cohort_id")
            .annotate(
                briefing=Count("pk", filter=Q(briefing_attended__isnull=True)),
                workshop=Count("pk", filter=Q(workshop_attended__isnull=True)),
            )
        )
        for row in rows:
            for event in ("briefing", "workshop"):
                if row[event]:
                    unrecorded[event].add(row["cohort_id"])
    # Workshop packs made since their workshop's task appeared: that task is done.
    packs_made = (
        list(
            Job.objects.filter(
                kind="workshop_pack",
                status=Job.Status.DONE,
                created_at__gte=_start_of(today - dt.timedelta(days=SOON_DAYS)),
            ).values_list("params__cohort_id", "created_at")
        )
        if relevant
        else []
    )
    tasks = []
    for cohort in cohorts:
        if cohort.status == CohortStatus.CLOSED:
            continue
        for event, when in (("briefing", cohort.briefing_date), ("workshop", cohort.workshop_date)):
            if when is None:
                continue
            if today <= when <= soon:
                is_workshop = event == "workshop"
                made_since = _start_of(when - dt.timedelta(days=SOON_DAYS))
                if is_workshop and any(
                    pk == cohort.pk and made >= made_since for pk, made in packs_made
                ):
                    continue
                tasks.append(
                    Task(
                        f"{cohort.name}: the {event} is on {day(when, today)}",
                        reverse(
                            "workshop_pack" if is_workshop else "cohort_detail", args=[cohort.pk]
                        ),
                        "Make the workshop pack from what participants chose to share."
                        if is_workshop
                        else "Check the time, the place and who is coming.",
                        due=when,
                        urgency=Urgency.SOON,
                    )
                )
            elif recent <= when < today and cohort.pk in unrecorded[event]:
                tasks.append(
                    Task(
                        f"Record who came to {cohort.name}'s {event}",
                        reverse("cohort_attendance", args=[cohort.pk]),
                        f"It was on {day(when, today)}: participants' {event} commitment is at "
                        "risk until their attendance is recorded.",
                        urgency=Urgency.AT_RISK,
                        since=when,
                    )
                )
    return tasks


# Everyone ------------------------------------------------------------------------------------


def host_tasks(user, hosted=None, today=None) -> list[Task]:
    """A host person answers each visit to come: confirmed, declined or another time."""
    today = today or timezone.localdate()
    if hosted is None:
        hosted = hosting.hosted_summary(user, today)
    return [
        Task(
            text=f"Answer {row.to_answer} visit{'s' if row.to_answer > 1 else ''} to "
            f"{row.organisation.name}",
            url=reverse("host_visits", args=[row.organisation.pk]),
            reason="Confirm each half-day, decline it or propose another time, so the "
            "visitor knows where they stand.",
            urgency=Urgency.WAITING,
        )
        for row in hosted
        if row.to_answer
    ]


def home_tasks(user, sections=None) -> list[Task]:
    """Everything the user should do next, most urgent first. `sections` (a
    `programme.home.HomeSections`) lends what the home page read already, so that the page
    reads each thing once."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = access.roles_for(user)
    today = timezone.localdate()
    tasks: list[Task] = []
    if roles.participant:
        tasks += participant_tasks(
            user, sections.my_participations if sections else None, today=today
        )
    if roles.line_manager:
        tasks += line_manager_tasks(
            user,
            managed=sections.managed if sections else None,
            accounts=sections.accounts_waiting if sections else None,
            outcomes=sections.outcomes if sections else None,
            today=today,
        )
    if roles.sponsor:
        tasks += sponsor_tasks(user, sections.sponsored if sections else None, today=today)
    if roles.education_lead:
        tasks += education_lead_tasks(user, today=today)
    if roles.host:
        tasks += host_tasks(user, sections.hosted if sections else None, today=today)
    tasks += eoi_support_tasks(user, sections.eois_to_support if sections else None)
    if roles.programme_manager:
        tasks += programme_manager_tasks(
            user,
            cohorts=sections.cohorts if sections else None,
            proposed=sections.proposed_organisations if sections else None,
            today=today,
        )
    return ordered(tasks)
