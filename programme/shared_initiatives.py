"""The improvement initiatives participants chose to share, for the evaluation report's
chapter of them: what changed for service users, and each measure's phased chart with its
Making Data Count readings.

The same consent as the workshop pack's section decides (`WorkshopConsent.include` and
`include_initiative`; an erased person shares nothing), and the consent page says that
the initiative appears in the report too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from i2i.names import erased
from improvements.models import DataPoint, ImprovementInitiative, Measure
from improvements.selectors import PhasedChart, phased_chart
from participants.models import Cohort


@dataclass
class SharedInitiative:
    initiative: ImprovementInitiative
    feedback: list = field(default_factory=list)
    phased_charts: list[PhasedChart] = field(default_factory=list)

    @property
    def participant(self):
        return self.initiative.participant


def shared_initiatives(cohort: Cohort) -> list[SharedInitiative]:
    """The cohort's shared initiatives, by the participant's name, in a fixed number of
    queries (initiatives, measures, points, feedback)."""
    measures = Measure.objects.prefetch_related(
        Prefetch("points", queryset=DataPoint.objects.order_by("date"))
    )
    initiatives = (
        ImprovementInitiative.objects.filter(
            participant__cohort=cohort,
            participant__workshop_consent__include=True,
            participant__workshop_consent__include_initiative=True,
        )
        .exclude(erased("participant__user__"))
        .select_related("participant__user", "participant__organisation")
        .prefetch_related(Prefetch("measures", queryset=measures), "service_user_feedback")
        .order_by("participant__user__full_name", "pk")
    )
    return [
        SharedInitiative(
            initiative=initiative,
            feedback=list(initiative.service_user_feedback.all()),
            phased_charts=[
                phased_chart(
                    measure,
                    measure.points.all(),
                    chart_id=f"report-measure-{measure.pk}",
                    width=640,
                    height=280,
                )
                for measure in initiative.measures.all()
            ],
        )
        for initiative in initiatives
    ]
