"""The initiative's attachments: add one (the participant), download one (whoever may read
the initiative), remove one (the participant, on a page that asks first)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from i2i import access
from i2i.forms import PlainErrorsMixin, add_service_errors
from improvements import attachments
from improvements.models import Attachment
from improvements.views import _initiative, _lead

ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx"


class AttachmentForm(PlainErrorsMixin, forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, PNG, JPEG or Word document (DOCX), smaller than 10MB: a new form, "
        "a leaflet, a photo of a board.",
        error_messages={
            "required": attachments.NO_FILE,
            "empty": attachments.EMPTY,
            "invalid": attachments.NO_FILE,
            "missing": attachments.NO_FILE,
        },
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    description = forms.CharField(
        label="What it shows (optional)",
        max_length=200,
        required=False,
        help_text="For example: the new referral form, first page.",
        error_messages={"max_length": "What it shows must be 200 characters or fewer"},
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            # The file was dropped as it arrived: say why, not that none was chosen.
            self.fields["file"].required = False

    def clean_file(self):
        if self.too_large:
            raise ValidationError(attachments.TOO_LARGE)
        upload = self.cleaned_data.get("file")
        try:
            attachments.check(upload)
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from None
        return upload


class _SizeLimit(FileUploadHandler):
    """Drops a file larger than the limit as it arrives (counting its bytes, not trusting
    the length the browser gave), and remembers which field it was, so the page can say
    "must be smaller than 10MB" at that field rather than "Select a file"."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large: set[str] = set()
        self.received = 0

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large.add(self.field_name)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers keep the file


def _attachment(request, participant_pk, pk) -> Attachment:
    """An attachment of an initiative the user may read; anyone else gets a 404."""
    initiatives = access.visible_initiatives(request.user).filter(participant_id=participant_pk)
    return get_object_or_404(
        Attachment.objects.select_related(
            "initiative__participant__user", "initiative__participant__line_manager"
        ).filter(initiative__in=initiatives.values("pk")),
        pk=pk,
    )


@csrf_exempt  # checked below, once the size limit is in place (Django's upload handlers)
def attachment_add(request, participant_pk):
    limit = _SizeLimit(request, attachments.MAX_SIZE)
    request.upload_handlers.insert(0, limit)
    return _attachment_add(request, participant_pk, limit)


# The body the upload page may be sent (i2i.security.RequestSizeLimitMiddleware).
attachment_add.max_request_size = attachments.MAX_REQUEST_SIZE


@csrf_protect
def _attachment_add(request, participant_pk, limit: _SizeLimit):
    initiative = _initiative(request, participant_pk)
    _lead(request, initiative)
    form = None
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES, too_large="file" in limit.too_large)
        if form.is_valid():
            try:
                attachment = attachments.attachment_add(
                    initiative=initiative,
                    by=request.user,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{attachment.name} attached.")
                return redirect(_attachments_url(participant_pk))
    return render(
        request,
        "improvements/attachment_form.html",
        {
            "form": form or AttachmentForm(),
            "initiative": initiative,
            "participant": initiative.participant,
        },
    )


def _attachments_url(participant_pk) -> str:
    return reverse("initiative_detail", args=[participant_pk]) + "#attachments-heading"


def attachment_download(request, participant_pk, pk):
    """The file, streamed as a download with the type found in it: never shown inline, never
    sniffed, never served from a public address."""
    attachment = _attachment(request, participant_pk, pk)
    try:
        stream = attachment.file.open("rb")
    except OSError:
        raise Http404("The file is no longer stored.") from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def attachment_remove(request, participant_pk, pk):
    """Ask, then remove: the participant's own files only."""
    attachment = _attachment(request, participant_pk, pk)
    _lead(request, attachment.initiative)
    if request.method == "POST":
        attachments.attachment_remove(attachment=attachment, by=request.user)
        messages.success(request, f"{attachment.name} removed.")
        return redirect(_attachments_url(participant_pk))
    return render(
        request,
        "improvements/attachment_remove.html",
        {
            "attachment": attachment,
            "initiative": attachment.initiative,
            "participant": attachment.initiative.participant,
        },
    )
