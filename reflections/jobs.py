"""The reflective account as a PDF, for the participant's own portfolio."""

from django.utils import timezone
from django.utils.text import slugify

from i2i.jobs import job_kind
from i2i.pdf import render_pdf
from reflections.frameworks import NMC_THEMES
from reflections.models import ReflectiveAccount, rated_outcomes


@job_kind(
    "reflective_account_pdf",
    back=("account_detail", "account_id", "Back to the reflective account"),
)
def reflective_account_pdf(params: dict, report) -> tuple[str, bytes]:
    account = ReflectiveAccount.objects.select_related(
        "placement__organisation", "participant__user", "participant__organisation"
    ).get(pk=params["account_id"])
    report(20, "Laying out the pages")
    content = render_pdf(
        "reflections/account_pdf.html",
        {
            "account": account,
            "answers": account.current_answers(),
            "outcomes": rated_outcomes(account),
            "themes": [(code, label, code in account.code_themes) for code, label in NMC_THEMES],
            "generated": timezone.localdate(),
        },
    )
    name = slugify(f"reflective account {account.placement.organisation}")[:80]
    return f"{name}.pdf", content
