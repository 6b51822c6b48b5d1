"""Feedback both ways once a placement is complete (issue #20): the participant on the host
(`HostFeedback`: a rating and a comment, both optional) and the host person on the participant
(`ParticipantFeedback`: a short comment the participant reads).

The programme manager reads host feedback per host (`host_feedback_summary`) and in aggregate
in the evaluation report (`host_feedback_figures`): counts by rating and average by sector,
never a participant's name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F

from i2i import access, audit
from participants.models import Organisation, Sector, User
from placements.models import HostFeedback, ParticipantFeedback, Placement, PlacementStatus

RATINGS = dict(HostFeedback._meta.get_field("rating").choices)


def _check_complete(placement: Placement) -> None:
    if placement.status != PlacementStatus.COMPLETE:
        raise ValidationError(
            "Feedback opens once the placement is complete: the I2I commitment is four "
            "half-days with the host, and this placement has not had all four yet."
        )


@transaction.atomic
def host_feedback_give(
    *, placement: Placement, by: User, rating: int | None, comment: str
) -> HostFeedback:
    """The participant says how the placement was: optional, and changeable; the programme
    manager reads it by host so that hosts who give a good experience are asked again."""
    if not access.is_the_participant(by, placement.participant):
        raise PermissionDenied("Participants give feedback on their own placements' hosts.")
    _check_complete(placement)
    comment = (comment or "").strip()
    if rating is None and not comment:
        raise ValidationError(
            {"rating": "Choose a rating or write a comment, or go back: feedback is optional."}
        )
    feedback = HostFeedback.objects.filter(placement=placement).first() or HostFeedback(
        placement=placement
    )
    created = feedback.pk is None
    feedback.rating, feedback.comment = rating, comment
    feedback.full_clean()
    feedback.save()
    audit.record(
        "host_feedback_given" if created else "host_feedback_changed",
        actor=by,
        target=placement.organisation,
        placement=placement.pk,
        participant=placement.participant_id,
        rating=rating,
    )
    return feedback


@transaction.atomic
def participant_feedback_give(
    *, placement: Placement, by: User, comment: str
) -> ParticipantFeedback:
    """The host person's short feedback to the visitor, which the participant reads on their
    placement page."""
    if not access.hosts_for_someone_else(by, placement.organisation_id, placement.participant):
        raise PermissionDenied("Only a host person of this organisation gives this feedback.")
    _check_complete(placement)
    comment = (comment or "").strip()
    feedback = ParticipantFeedback.objects.filter(placement=placement).first() or (
        ParticipantFeedback(placement=placement)
    )
    if not comment:
        raise ValidationError({"comment": empty_feedback_message(placement, earlier=feedback)})
    created = feedback.pk is None
    feedback.comment, feedback.by = comment, by
    feedback.full_clean()
    feedback.save()
    audit.record(
        "participant_feedback_given" if created else "participant_feedback_changed",
        actor=by,
        target=placement,
        placement=placement.pk,
        participant=placement.participant_id,
    )
    return feedback


def empty_feedback_message(placement: Placement, *, earlier: ParticipantFeedback | None) -> str:
    """What an empty box is told: to write something, or, when the host person gave feedback
    before, that taking it away is its own button (an emptied box is more often an accident
    than a wish to remove what the visitor may already have read)."""
    message = f"Enter your feedback for {placement.participant.user}"
    if earlier is not None and earlier.pk:
        message += ", or choose “Remove your feedback” to take it away"
    return message


@transaction.atomic
def participant_feedback_remove(*, placement: Placement, by: User) -> bool:
    """The host person takes their feedback for the visitor away; False when there was none."""
    if not access.hosts_for_someone_else(by, placement.organisation_id, placement.participant):
        raise PermissionDenied("Only a host person of this organisation removes this feedback.")
    deleted, _ = ParticipantFeedback.objects.filter(placement=placement).delete()
    if deleted:
        audit.record(
            "participant_feedback_removed",
            actor=by,
            target=placement,
            placement=placement.pk,
            participant=placement.participant_id,
        )
    return bool(deleted)


# What the programme manager reads -----------------------------------------------------------


@dataclass
class HostFeedbackSummary:
    """One host's feedback: how many gave it, the average rating, and the comments (newest
    first, without the participants' names)."""

    count: int
    rated: int
    average: float | None
    by_rating: list[tuple[str, int]]
    comments: list[HostFeedback] = field(default_factory=list)


def host_feedback_summary(organisation: Organisation) -> HostFeedbackSummary:
    """Two queries, whatever the number of placements."""
    rows = HostFeedback.objects.filter(placement__organisation=organisation)
    figures = rows.aggregate(count=Count("pk"), rated=Count("rating"), average=Avg("rating"))
    counts = Counter(
        dict(rows.exclude(rating=None).values_list("rating").annotate(n=Count("pk")).order_by())
    )
    comments = list(
        rows.exclude(comment="").only("rating", "comment", "given_at").order_by("-given_at")
    )
    return HostFeedbackSummary(
        count=figures["count"],
        rated=figures["rated"],
        average=figures["average"],
        by_rating=[(label, counts[value]) for value, label in RATINGS.items()],
        comments=comments,
    )


@dataclass
class HostFeedbackFigures:
    """A cohort's host feedback in aggregate: counts by rating across hosts, and the number
    and average rating per host sector. No names of participants or hosts."""

    people: int = 0
    placements: int = 0
    rated: int = 0
    by_rating: list[tuple[str, int]] = field(default_factory=list)
    by_sector: list[tuple[str, int, float]] = field(default_factory=list)


def host_feedback_figures(cohort_ids: list[int]) -> dict[int, HostFeedbackFigures]:
    """Two queries: the people and placements per cohort (a participant may give feedback on
    each of their placements, so the two differ), then the ratings by host sector."""
    feedback = HostFeedback.objects.filter(placement__participant__cohort__in=cohort_ids)
    counted = {
        row["cohort_id"]: row
        for row in feedback.values(cohort_id=F("placement__participant__cohort_id"))
        .annotate(
            people=Count("placement__participant", distinct=True),
            placements=Count("pk"),
            rated=Count("rating"),
        )
        .order_by()
    }
    rows = (
        feedback.values_list(
            "placement__participant__cohort_id", "rating", "placement__organisation__sector"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    ratings: dict[int, Counter] = defaultdict(Counter)
    sectors: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for cohort_id, rating, sector, n in rows:
        if rating is not None:
            ratings[cohort_id][rating] += n
            sums = sectors[cohort_id][sector]
            sums[0] += n
            sums[1] += rating * n
    labels = dict(Sector.choices)
    return {
        cohort_id: HostFeedbackFigures(
            people=counted.get(cohort_id, {}).get("people", 0),
            placements=counted.get(cohort_id, {}).get("placements", 0),
            rated=counted.get(cohort_id, {}).get("rated", 0),
            by_rating=[(label, ratings[cohort_id][value]) for value, label in RATINGS.items()],
            by_sector=sorted(
                (labels.get(sector, sector), n, total / n)
                for sector, (n, total) in sectors[cohort_id].items()
            ),
        )
        for cohort_id in cohort_ids
    }


def feedback_for_page(user, placement: Placement) -> dict:
    """What the participant's placement page shows: their feedback on the host, and the host's
    on them. Only the participant sees it there (two queries, none for anyone else)."""
    if not access.is_the_participant(user, placement.participant):
        return {"show_feedback": False}
    return {
        "show_feedback": True,
        "host_feedback": HostFeedback.objects.filter(placement=placement).first(),
        "participant_feedback": ParticipantFeedback.objects.filter(placement=placement)
        .select_related("by")
        .first(),
        "can_give_host_feedback": access.can_give_host_feedback(user, placement),
    }
