"""The programme manager's upload of a register file: which register, the file, and the sector
of organisations new to the directory."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from i2i.forms import PlainErrorsMixin
from participants import registers
from participants.models import Sector

NO_FILE = "Select the register's CSV file"


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)}MB"


class RegisterUploadForm(PlainErrorsMixin, forms.Form):
    register = forms.ChoiceField(
        label="Which register is it from?",
        choices=list(registers.REGISTERS.items()),
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="The register's CSV file",
        help_text="As published: ODS files have no header row; the CQC file's header row "
        f"names “Location ID”. Smaller than {_megabytes(settings.REGISTERS_UPLOAD_MAX_BYTES)}.",
        error_messages={
            "required": NO_FILE,
            "missing": NO_FILE,
            "invalid": NO_FILE,
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    sector = forms.ChoiceField(
        label="Sector of organisations new to the directory, for an ODS file (optional)",
        required=False,
        choices=[("", "GP Practice for GP practices, Acute for trusts")] + Sector.choices,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.REGISTERS_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(f"The file must be smaller than {_megabytes(limit)}")
        head = upload.read(4096)
        upload.seek(0)
        if b"\x00" in head:
            raise ValidationError("The file must be a CSV file: save it as CSV and try again")
        return upload
