"""The reflective account as a PDF, for the participant's portfolio and the line manager's
reading: each gets the version they read on the page."""

from django.utils import timezone
from django.utils.text import slugify

from i2i import access
from i2i.jobs import job_kind
from i2i.pdf import render_pdf
from participants.models import User
from reflections.models import ReflectiveAccount


@job_kind(
    "reflective_account_pdf",
    back=("account_detail", "account_id", "Back to the reflective account"),
)
def reflective_account_pdf(params: dict, report) -> tuple[str, bytes]:
    """What the PDF holds is decided here, when it runs, for the person who asked: a line
    manager replaced since then, or a job without a reader, gets the status only."""
    account = ReflectiveAccount.objects.select_related(
        "placement__organisation",
        "participant__user",
        "participant__organisation",
        "participant__line_manager",
    ).get(pk=params["account_id"])
    reader = User.objects.filter(pk=params.get("reader_id"), is_active=True).first()
    text = access.account_text_for(reader, account) if reader is not None else None
    report(20, "Laying out the pages")
    content = render_pdf(
        "reflections/account_pdf.html",
        {
            "account": account,
            "text": text,
            "generated": timezone.localdate(),
        },
    )
    name = slugify(f"reflective account {account.placement.organisation}")[:80]
    return f"{name}.pdf", content
