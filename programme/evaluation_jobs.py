from django.utils import timezone
from django.utils.text import slugify

from i2i.jobs import job_kind
from i2i.pdf import render_pdf
from participants.models import Cohort
from programme.evaluation_report import cohort_evaluation


@job_kind("evaluation_report", back=("cohort_evaluation", "cohort_id", "Back to the evaluation"))
def evaluation_report_pdf(params: dict, report) -> tuple[str, bytes]:
    cohort = Cohort.objects.get(pk=params["cohort_id"])
    report(10, "Reading the cohort")
    evaluation = cohort_evaluation(cohort, timezone.localdate())
    report(60, "Laying out the pages")
    content = render_pdf(
        "evaluation/report_pdf.html",
        {"evaluation": evaluation, "generated": timezone.localdate()},
    )
    return f"evaluation-{slugify(cohort.name)[:60]}.pdf", content
