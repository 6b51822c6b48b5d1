"""The cohort's evaluation report as a PDF, for the partnership board."""

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from i2i.jobs import document_kind
from i2i.pdf import front_matter
from participants.models import Cohort
from programme.evaluation_report import cohort_evaluation

# The report's chapters (the ids of their headings), and the parts they are laid out in.
CHAPTERS = (
    ("completion-heading", "The commitments"),
    ("change-heading", "Before and after"),
    ("follow-up-heading", "After the workshop"),
    ("network-heading", "The network"),
    ("host-feedback-heading", "What participants said about their hosts"),
    ("initiatives-heading", "Improvement initiatives"),
    ("shared-initiatives-heading", "Initiatives shared by participants"),
    ("principles-heading", "The principles in practice"),
    ("ideas-heading", "Ideas for improving I2I"),
)
PARTS = (
    ("completion", "change", "follow_up"),
    ("network", "initiatives", "shared", "principles", "ideas"),
)


@document_kind(
    "evaluation_report", back=("cohort_evaluation", "cohort_id", "Back to the evaluation")
)
class EvaluationReport:
    """The report in two parts (each reads the evaluation again: it is cheap beside the
    layout), behind a cover and contents."""

    def parts(self, params: dict) -> list[dict]:
        on = timezone.localdate().isoformat()
        return [{"chapters": list(chapters), "on": on} for chapters in PARTS]

    def part_html(self, params: dict, part: dict) -> str:
        cohort = Cohort.objects.get(pk=params["cohort_id"])
        evaluation = cohort_evaluation(cohort, dt.date.fromisoformat(part["on"]))
        return render_to_string(
            "evaluation/report_part.html", {"evaluation": evaluation, "chapters": part["chapters"]}
        )

    def front(self, params: dict):
        cohort = Cohort.objects.get(pk=params["cohort_id"])
        context = {"cohort": cohort, "generated": timezone.localdate()}
        return front_matter("evaluation/report_front.html", context, list(CHAPTERS))

    def filename(self, params: dict) -> str:
        cohort = Cohort.objects.get(pk=params["cohort_id"])
        return f"evaluation-{slugify(cohort.name)[:60]}.pdf"
