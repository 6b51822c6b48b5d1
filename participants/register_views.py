"""The programme manager's upload of a register file (NHS ODS or the CQC care directory) into
the organisation directory: participants/registers.py does the work."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from i2i import access
from participants import registers
from participants.register_forms import RegisterUploadForm


def registers_import(request):
    if not access.can_import_registers(request.user):
        raise PermissionDenied("Only the programme manager imports organisations.")
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rows = registers.read_register(data["register"], data["file"], data["sector"] or None)
            summary = registers.registers_import(
                register=data["register"], rows=rows, by=request.user
            )
        except registers.RegisterFileError as error:
            form.add_error("file", str(error))
        else:
            form = RegisterUploadForm()
    return render(request, "participants/registers_import.html", {"form": form, "summary": summary})


# The page takes a file larger than the site's usual request body (i2i.security), up to the
# register limit: the form's own check then says what is wrong, next to the field.
registers_import.max_request_size = settings.REGISTERS_UPLOAD_MAX_BYTES + 64 * 1024
