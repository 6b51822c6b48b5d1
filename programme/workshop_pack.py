"""The cohort's workshop pack (the leaflet's "Share"): cover, agenda, overview with charts,
a section per participant who consented, and appendices. Built by Celery as a PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from i2i import rules
from i2i.jobs import document_kind, make_document
from i2i.pdf import front_matter
from improvements.drivers import Diagram, diagram
from improvements.models import DataPoint, ImprovementInitiative, Measure
from improvements.selectors import PhasedChart, phased_chart
from participants.models import Cohort, Organisation, Participant, WorkshopConsent
from placements.models import Placement, PlacementStatus
from programme.dashboard import TITLES, progress_charts
from programme.evaluation_report import evaluate_cohorts
from programme.personal_data_registry import erased
from programme.progress import progress_reports, read_participants_progress, with_progress
from reflections.frameworks import principle_labels
from reflections.models import ReflectiveAccount


@dataclass
class Section:
    """One participant's part of the pack, holding only what they chose to share."""

    participant: Participant
    consent: WorkshopConsent
    placements: list = field(default_factory=list)
    learning: list[tuple[str, str]] = field(default_factory=list)
    initiative: ImprovementInitiative | None = None
    # The labels of the principles tagged on the initiative, shown with it (its consent).
    initiative_principles: list[str] = field(default_factory=list)
    # Each measure read as Making Data Count does: phased chart, variation and assurance.
    phased_charts: list[PhasedChart] = field(default_factory=list)
    # What service users said about the change (with the initiative's consent).
    feedback: list = field(default_factory=list)
    # The initiative's driver diagram (with its consent), drawn and listed.
    drivers: Diagram | None = None
    ideas: str = ""


def _participants(cohort: Cohort, only=None):
    """The participants with a section (or `only` one, for their preview), with everything
    their section shows. The rest of the cohort is counted from tuples (`overview_context`):
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
    qs = qs.filter(pk=only.pk) if only is not None else qs.filter(pk__in=_consenting(cohort))
    return with_progress(qs.order_by("user__full_name")).prefetch_related(
        Prefetch("reflective_accounts", queryset=accounts),
        Prefetch("improvement__measures", queryset=measures),
        "improvement__service_user_feedback",
        "improvement__drivers",
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
        section.initiative_principles = principle_labels(initiative.principles)
        section.drivers = diagram(initiative, diagram_id=f"pack-drivers-{initiative.pk}")
        section.phased_charts = [
            phased_chart(
                measure,
                measure.points.all(),
                chart_id=f"pack-measure-{measure.pk}",
                width=640,
                height=280,
            )
            for measure in initiative.measures.all()
        ]
        section.feedback = list(initiative.service_user_feedback.all())
    if initiative is not None and consent.include_ideas:
        section.ideas = initiative.i2i_ideas.strip()
    return section


def participant_preview(participant: Participant, consent: WorkshopConsent) -> Section:
    """The participant's own section, as it would print, for them to check."""
    return build_section(next(iter(_participants(participant.cohort, only=participant))), consent)


def _consenting(cohort: Cohort):
    """Who has a section: consent given, and not erased (erasure withdraws the consent; an
    erased person has no section even if a consent is added afterwards)."""
    return Participant.objects.filter(cohort=cohort, workshop_consent__include=True).exclude(
        erased("user__")
    )


def overview_context(cohort: Cohort, today) -> dict:
    """The opening part: agenda, the commitments met, the charts and the evaluation."""
    progress = read_participants_progress(Participant.objects.filter(cohort=cohort))
    reports = progress_reports(cohort, progress, today)
    return {
        "cohort": cohort,
        "agenda": [line.strip() for line in cohort.workshop_agenda.splitlines() if line.strip()],
        "total": len(progress.participants),
        "sharing": _consenting(cohort).count(),
        "met_counts": [
            (
                TITLES[code],
                sum(1 for r in reports.values() if r.get(code).status == rules.Status.MET),
            )
            for code in TITLES
        ],
        "charts": progress_charts(cohort, progress, today),
        # The evaluation's figures (before/after, the network), as the overview's closing part.
        "evaluation": evaluate_cohorts([cohort], today, progress, reports)[cohort.pk],
    }


def sections_context(cohort: Cohort, ids: list[int]) -> dict:
    """A part of participants' sections, in the order planned."""
    order = {pk: index for index, pk in enumerate(ids)}
    sharing = sorted(_participants(cohort).filter(pk__in=ids), key=lambda p: order[p.pk])
    return {
        "cohort": cohort,
        "sections": [build_section(p, p.workshop_consent) for p in sharing],
    }


def appendices_context(cohort: Cohort) -> dict:
    """Everyone's ideas for I2I (as their sections hold them) and the host organisations."""
    ideas = (
        _consenting(cohort)
        .filter(workshop_consent__include_ideas=True)
        .exclude(improvement__i2i_ideas="")
        .exclude(improvement__isnull=True)
        .order_by("user__full_name", "pk")
        .values_list("user__full_name", "improvement__i2i_ideas")
    )
    hosted = (
        Placement.objects.filter(participant__cohort=cohort)
        .exclude(status=PlacementStatus.WITHDRAWN)
        .values("organisation")
    )
    return {
        "cohort": cohort,
        "ideas": [(name, text.strip()) for name, text in ideas if text.strip()],
        "hosts": sorted(Organisation.objects.filter(pk__in=hosted), key=Organisation.__str__),
    }


@document_kind("workshop_pack", back=("workshop_pack", "cohort_id", "Back to the workshop pack"))
class WorkshopPack:
    """The pack in parts: the agenda and overview, the sections a few at a time (about 1.5
    pages each), the appendices; the cover and contents go on last, once the pages are
    known."""

    SECTIONS_PER_PART = 8

    def parts(self, params: dict) -> list[dict]:
        cohort = Cohort.objects.get(pk=params["cohort_id"])
        ids = list(
            _consenting(cohort).order_by("user__full_name", "pk").values_list("pk", flat=True)
        )
        on = timezone.localdate().isoformat()  # one day for every part
        step = self.SECTIONS_PER_PART
        return [
            {"part": "overview", "on": on},
            *({"part": "sections", "ids": ids[i : i + step]} for i in range(0, len(ids), step)),
            {"part": "appendices"},
        ]

    def part_html(self, params: dict, part: dict) -> str:
        cohort = Cohort.objects.get(pk=params["cohort_id"])
        if part["part"] == "overview":
            context = overview_context(cohort, dt.date.fromisoformat(part["on"]))
        elif part["part"] == "sections":
            context = sections_context(cohort, part["ids"])
        else:
            context = appendices_context(cohort)
        return render_to_string("workshop/part.html", {**context, "part": part["part"]})

    def front(self, params: dict):
        cohort = Cohort.objects.get(pk=params["cohort_id"])
        sharing = _consenting(cohort).order_by("user__full_name", "pk")
        contents = [("agenda", "Agenda"), ("overview", "The cohort")]
        contents += [
            (f"participant-{pk}", name) for pk, name in sharing.values_list("pk", "user__full_name")
        ]
        contents += [
            ("ideas", "Appendix: ideas for improving I2I"),
            ("hosts", "Appendix: host organisations"),
        ]
        context = {"cohort": cohort, "generated": timezone.localdate()}
        return front_matter("workshop/front.html", context, contents)

    def filename(self, params: dict) -> str:
        cohort = Cohort.objects.get(pk=params["cohort_id"])
        return f"workshop-pack-{slugify(cohort.name)[:60]}.pdf"


def workshop_pack_pdf(params: dict, report=lambda percent, message="": None) -> tuple[str, bytes]:
    """The whole pack in this process, part after part: what the job makes, without a
    worker (tests, benchmarks)."""
    return make_document("workshop_pack", params, report)
