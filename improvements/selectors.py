"""Reads for the improvement pages: each measure's charts, and the suggested progress score."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from improvements import charts, runcharts, spc
from improvements.models import ImprovementInitiative, InitiativeStatus, Measure


@dataclass
class PhasedChart:
    """A measure read as Making Data Count does: phases, limits, readings and the chart."""

    measure: Measure
    analysis: spc.Analysis
    svg: str

    min_points = spc.MIN_POINTS_FOR_LIMITS

    @property
    def variation_icon(self) -> str:
        reading = self.analysis.variation
        return charts.variation_icon_svg(reading) if reading else ""

    @property
    def assurance_icon(self) -> str:
        reading = self.analysis.assurance
        return charts.assurance_icon_svg(reading) if reading else ""

    @property
    def variation_label(self) -> str:
        reading = self.analysis.variation
        return charts.variation_label(reading) if reading else ""

    @property
    def assurance_label(self) -> str:
        reading = self.analysis.assurance
        return charts.assurance_label(reading) if reading else ""

    @property
    def rows(self) -> list[tuple]:
        """The chart as a table: date, value, phase, its mean and limits, the reading."""
        words = {
            spc.COMMON_CAUSE: "Common cause",
            spc.IMPROVEMENT: "Special cause: improvement",
            spc.CONCERN: "Special cause: concern",
            spc.NEITHER: "Special cause",
            None: "Too few points for limits",
        }
        analysis = self.analysis
        rows = []
        for index, (point, reading) in enumerate(
            zip(analysis.points, analysis.readings, strict=True)
        ):
            phase = analysis.phase_of(index)
            limits = ""
            if phase.has_limits:
                limits = (
                    f"{spc.format_value(phase.lower_limit)} to "
                    f"{spc.format_value(phase.upper_limit)}"
                )
            rows.append(
                (
                    point.date,
                    spc.format_value(float(point.value)),
                    spc.phase_name(phase),
                    spc.format_value(phase.mean),
                    limits,
                    words[reading.variation],
                )
            )
        return rows


def spc_points(points) -> list[spc.Point]:
    """DataPoint rows (in any order) as the Making Data Count module reads them."""
    return [
        spc.Point(
            date=p.date,
            value=float(p.value),
            note=p.note,
            starts_phase=p.starts_phase,
            phase_label=p.phase_label,
        )
        for p in points
    ]


def phased_chart(
    measure: Measure,
    points,
    *,
    chart_id: str,
    annotations=(),
    width: int = 720,
    height: int = 320,
) -> PhasedChart:
    """The measure's Making Data Count reading and chart, from its (prefetched) points."""
    target = float(measure.target) if measure.target is not None else None
    analysis = spc.analyse(spc_points(points), measure.higher_is_better, target)
    svg = charts.spc_chart_svg(
        analysis,
        title=measure.name,
        unit=measure.unit,
        annotations=annotations,
        width=width,
        height=height,
        chart_id=chart_id,
    )
    return PhasedChart(measure=measure, analysis=analysis, svg=svg)


@dataclass
class MeasureChart:
    measure: Measure
    points: list
    run_chart: runcharts.RunChartAnalysis
    run_chart_svg: str
    phased: PhasedChart
    text_alternative: str

    @property
    def improving(self) -> bool:
        reading = self.phased.analysis.variation
        return any(s.improvement for s in self.run_chart.signals) or bool(
            reading and reading.code == spc.IMPROVEMENT
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
        rows = list(measure.points.all())
        # Split at each change, as the Making Data Count chart is: a median for each phase.
        points = [
            runcharts.Point(
                date=p.date,
                value=float(p.value),
                note=p.note,
                starts_phase=p.starts_phase,
                phase_label=p.phase_label,
            )
            for p in rows
        ]
        analysis = runcharts.analyse_run_chart(points, measure.higher_is_better)
        target = float(measure.target) if measure.target is not None else None
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
                    title=measure.name,
                    unit=measure.unit,
                    target=target,
                ),
                phased=phased_chart(
                    measure, rows, chart_id=f"measure-{measure.pk}-spc", annotations=annotations
                ),
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
