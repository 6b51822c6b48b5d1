"""Reads for the improvement pages: each measure's charts, and the suggested progress score."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from improvements import charts, runcharts
from improvements.models import ImprovementInitiative, InitiativeStatus, Measure


@dataclass
class MeasureChart:
    measure: Measure
    points: list
    run_chart: runcharts.RunChartAnalysis
    run_chart_svg: str
    xmr: runcharts.XmRAnalysis | None
    xmr_svg: str
    text_alternative: str

    @property
    def improving(self) -> bool:
        return any(s.improvement for s in self.run_chart.signals) or bool(
            self.xmr and any(s.improvement for s in self.xmr.signals)
        )

    @property
    def target_reached(self) -> bool:
        target = self.measure.target
        if target is None or not self.points:
            return False
        latest = Decimal(str(self.points[-1].value))
        return latest >= target if self.measure.higher_is_better else latest <= target


def measure_charts(initiative: ImprovementInitiative) -> list[MeasureChart]:
    """Charts for every measure, annotated with the PDSA cycles' start dates."""
    annotations = [(c.starts_on, f"PDSA {c.number}") for c in initiative.cycles.all()]
    result = []
    for measure in initiative.measures.prefetch_related("points"):
        points = [
            runcharts.Point(date=p.date, value=float(p.value), note=p.note)
            for p in measure.points.all()
        ]
        analysis = runcharts.analyse_run_chart(points, measure.higher_is_better)
        xmr = runcharts.analyse_xmr(points, measure.higher_is_better)
        target = float(measure.target) if measure.target is not None else None
        common = {"title": measure.name, "unit": measure.unit, "target": target}
        result.append(
            MeasureChart(
                measure=measure,
                points=sorted(points, key=lambda p: p.date),
                run_chart=analysis,
                run_chart_svg=charts.run_chart_svg(
                    points,
                    analysis,
                    annotations=annotations,
                    chart_id=f"measure-{measure.pk}-run",
                    **common,
                ),
                xmr=xmr,
                xmr_svg=charts.xmr_chart_svg(
                    points,
                    xmr,
                    annotations=annotations,
                    chart_id=f"measure-{measure.pk}-xmr",
                    **common,
                )
                if xmr
                else "",
                text_alternative=charts.chart_text_alternative(measure.name, points, analysis),
            )
        )
    return result


def suggested_score(initiative: ImprovementInitiative, measure_charts_: list[MeasureChart]):
    """A starting point on the IHI progress scale, from the status and the data; the
    participant can change it."""
    improving = any(chart.improving for chart in measure_charts_)
    reached = any(chart.target_reached for chart in measure_charts_)
    status = initiative.status
    if status in {InitiativeStatus.IDEA, InitiativeStatus.STOPPED}:
        score = "1.5" if initiative.agreement == "submitted" else "1.0"
    elif status == InitiativeStatus.AGREED:
        score = "1.5"
    elif status == InitiativeStatus.TESTING:
        tested = initiative.cycles.exists()
        score = ("3.0" if improving else "2.5") if tested else "2.0"
    elif status == InitiativeStatus.IMPLEMENTED:
        score = "4.0" if improving and reached else "3.5" if improving else "3.0"
    else:  # sustained
        score = "5.0" if improving and reached else "4.5" if improving else "3.5"
    return Decimal(score)
