"""The programme manager's upload of a register file (NHS ODS or the CQC care directory) into
the organisation directory. The file's layout is checked here, next to the field; the import
itself is a job (participants/register_jobs.py), whose page shows its progress."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from i2i import access
from participants import register_jobs, registers
from participants.register_forms import RegisterUploadForm


def registers_import(request):
    if not access.can_import_registers(request.user):
        raise PermissionDenied("Only the programme manager imports organisations.")
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registers.check_layout(data["register"], data["file"], data["sector"] or None)
        except registers.RegisterFileError as error:
            form.add_error("file", str(error))
        else:
            job = register_jobs.registers_import_start(
                register=data["register"],
                file=data["file"],
                sector=data["sector"] or None,
                by=request.user,
            )
            return redirect("job_detail", pk=job.pk)
    return render(request, "participants/registers_import.html", {"form": form})


# The page takes a file larger than the site's usual request body (i2i.security), and up to
# five times the register limit, so that a file over the limit reaches the form, whose own
# check says so next to the field (as an initiative's attachment does).
registers_import.max_request_size = lambda: 5 * settings.REGISTERS_UPLOAD_MAX_BYTES
