"""The cohort's workshop pack (the leaflet's "Share"): cover, agenda, overview with charts,
a section per participant who consented, and appendices. Built by Celery as a PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from i2i import rules
from i2i.jobs import job_kind
from i2i.pdf import render_pdf
from improvements import charts, runcharts
from improvements.models import DataPoint, ImprovementInitiative, Measure
from participants.models import Cohort, Organisation, Participant, WorkshopConsent
from programme.dashboard import TITLES, progress_charts
from programme.evaluation_report import evaluate_cohorts
from programme.personal_data_registry import erased
from programme.progress import progress_reports, read_participants_progress, with_progress
from reflections.models import ReflectiveAccount


@dataclass
class Section:
    """One participant's part of the pack, holding only what they chose to share."""

    participant: Participant
    consent: WorkshopConsent
    placements: list = field(default_factory=list)
    learning: list[tuple[str, str]] = field(default_factory=list)
    initiative: ImprovementInitiative | None = None
    chart_svg: str = ""
    ideas: str = ""


def _participants(cohort: Cohort, only=None):
    """The participants with a section (or `only` one, for their preview), with everything
    their section shows. The rest of the cohort is counted from tuples (`pack_context`):
    in a cohort of thousands, reading everyone as model instances would cost seconds and
    hundreds of megabytes for nothing."""
    qs = Participant.objects.filter(cohort=cohort).select_related(
        "user", "organisation", "workshop_consent", "improvement"
    )
    accounts = ReflectiveAccount.objects.select_related("placement__organisation").only(
        "pk", "participant_id", "workshop_learning", "placement__organisation__name"
    )
    measures = Measure.objects.prefetch_related(
        Prefetch("points", queryset=DataPoint.objects.order_by("date"))
    )
    if only is not None:
        qs = qs.filter(pk=only.pk)
    else:
        # Erasure withdraws the consent; an erased person has no section even if a
        # consent is added afterwards.
        qs = qs.filter(workshop_consent__include=True).exclude(erased("user__"))
    return with_progress(qs.order_by("user__full_name")).prefetch_related(
        Prefetch("reflective_accounts", queryset=accounts),
        Prefetch("improvement__measures", queryset=measures),
    )


def build_section(participant: Participant, consent: WorkshopConsent) -> Section:
    section = Section(participant=participant, consent=consent)
    for placement in participant.placements.all():
        if placement.status == "withdrawn":
            continue
        done = sum(1 for h in placement.half_days.all() if h.status == "completed")
        section.placements.append((placement.organisation, done))
    if consent.include_learning:
        section.learning = [
            (a.placement.organisation.name, a.workshop_learning)
            for a in participant.reflective_accounts.all()
            if a.workshop_learning.strip()
        ]
    initiative = getattr(participant, "improvement", None)
    if initiative is not None and consent.include_initiative:
        section.initiative = initiative
        measure = next(iter(initiative.measures.all()), None)
        if measure is not None:
            points = [
                runcharts.Point(date=p.date, value=float(p.value)) for p in measure.points.all()
            ]
            analysis = runcharts.analyse_run_chart(points, measure.higher_is_better)
            section.chart_svg = charts.run_chart_svg(
                points,
                analysis,
                title=measure.name,
                unit=measure.unit,
                target=float(measure.target) if measure.target is not None else None,
                chart_id=f"pack-measure-{measure.pk}",
                width=640,
                height=280,
            )
    if initiative is not None and consent.include_ideas:
        section.ideas = initiative.i2i_ideas.strip()
    return section


def participant_preview(participant: Participant, consent: WorkshopConsent) -> Section:
    """The participant's own section, as it would print, for them to check."""
    return build_section(next(iter(_participants(participant.cohort, only=participant))), consent)


def pack_context(cohort: Cohort, report=lambda percent, message="": None) -> dict:
    today = timezone.localdate()
    progress = read_participants_progress(Participant.objects.filter(cohort=cohort))
    reports = progress_reports(cohort, progress, today)
    report(10, "Reading the cohort")
    sharing = list(_participants(cohort))
    report(20, "Reading the sections")
    sections = []
    for index, participant in enumerate(sharing, start=1):
        sections.append(build_section(participant, participant.workshop_consent))
        if index % 10 == 0:
            report(20 + int(50 * index / max(1, len(sharing))), "Writing sections")
    hosted = {row[2] for row in progress.placements if row[5] != "withdrawn"}  # (organisation)
    hosts = Organisation.objects.filter(pk__in=hosted)
    return {
        "cohort": cohort,
        "generated": today,
        "agenda": [line.strip() for line in cohort.workshop_agenda.splitlines() if line.strip()],
        "total": len(progress.participants),
        "met_counts": [
            (
                TITLES[code],
                sum(1 for r in reports.values() if r.get(code).status == rules.Status.MET),
            )
            for code in TITLES
        ],
        "charts": progress_charts(cohort, progress, today),
        "sections": sections,
        "ideas": [(s.participant, s.ideas) for s in sections if s.ideas],
        "hosts": sorted(hosts, key=Organisation.__str__),
        # The evaluation's figures (before/after, the network), as the overview's closing part.
        "evaluation": evaluate_cohorts([cohort], today, progress, reports)[cohort.pk],
    }


@job_kind("workshop_pack", back=("workshop_pack", "cohort_id", "Back to the workshop pack"))
def workshop_pack_pdf(params: dict, report) -> tuple[str, bytes]:
    cohort = Cohort.objects.get(pk=params["cohort_id"])
    context = pack_context(cohort, report)
    report(75, "Laying out the pages")
    content = render_pdf("workshop/pack.html", context)
    return f"workshop-pack-{slugify(cohort.name)[:60]}.pdf", content
