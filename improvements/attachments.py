"""Files that show the change (a new form, a leaflet, a photo of a board), attached to the
improvement initiative: checked, stored under a random name in the default storage, and
removed with their rows.

The type is read from the file's first bytes (`filetype`), never from its name or the type
the browser sent: a PDF, PNG or JPEG by its signature, a Word document as a zip that holds
`word/document.xml` (its list of members read, nothing extracted). A PNG called "board.pdf"
is a PNG, stored and downloaded as one.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from i2i import access, audit
from improvements.models import Attachment, ImprovementInitiative
from participants.models import User

MAX_SIZE = 10 * 1024 * 1024  # 10MB: GOV.UK's file upload pattern, and a phone's photo
# A request to the upload page may carry this much: a file past MAX_SIZE is dropped as it
# arrives and refused at the field; a larger body gets the "too much to send" page.
MAX_REQUEST_SIZE = 5 * MAX_SIZE
HEAD = 8192  # the bytes read to recognise a type

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Each allowed type and the file name endings it goes by (the first is given to a file
# whose name says otherwise).
ALLOWED = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), DOCX: (".docx",)}
ZIPS = {"application/zip", DOCX}
_ENDINGS = {ending for endings in ALLOWED.values() for ending in endings}

WRONG_TYPE = "The selected file must be a PDF, PNG, JPEG or DOCX"
TOO_LARGE = "The selected file must be smaller than 10MB"
EMPTY = "The selected file is empty"
NO_FILE = "Select a file"

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def detect(upload) -> str | None:
    """The file's type from its content, if it is one we take: PDF, PNG, JPEG or DOCX."""
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime in ZIPS:
        return DOCX if _is_word_document(upload) else None
    return kind.mime if kind.mime in ALLOWED else None


def _is_word_document(upload) -> bool:
    """A zip whose members include `word/document.xml` and the package's content types:
    only the central directory is read, nothing is extracted."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    return {"word/document.xml", "[Content_Types].xml"} <= names


def display_name(uploaded_name: str, content_type: str) -> str:
    """The name shown and downloaded: what the uploader called it, without any folder or
    control character, ending as its type does (a PNG named "board.pdf" is "board.png")."""
    name = _UNSAFE_NAME.sub("", os.path.basename(str(uploaded_name).replace("\\", "/"))).strip()
    stem, ending = os.path.splitext(name)
    endings = ALLOWED[content_type]
    if ending.lower() not in endings:
        # Another type's ending is replaced; any other (".heic", "v2.1") is kept before ours.
        stem = stem if ending.lower() in _ENDINGS else name
        ending = endings[0]
    stem = stem[: 200 - len(ending)] or "attachment"
    return stem + ending


def check(upload) -> str:
    """The upload's type, or a ValidationError in GOV.UK's words for the file field."""
    if upload is None:
        raise ValidationError({"file": NO_FILE})
    if upload.size > MAX_SIZE:
        raise ValidationError({"file": TOO_LARGE})
    if upload.size == 0:
        raise ValidationError({"file": EMPTY})
    content_type = detect(upload)
    if content_type is None:
        raise ValidationError({"file": WRONG_TYPE})
    return content_type


def _check_lead(initiative: ImprovementInitiative, by: User) -> None:
    if not access.can_lead_initiative(by, initiative.participant):
        raise PermissionDenied("Participants lead their own improvement initiative.")


@transaction.atomic
def attachment_add(
    *, initiative: ImprovementInitiative, by: User, upload, description: str = ""
) -> Attachment:
    """Attach a file that shows the change. The participant's own: they lead the
    initiative. The file is checked here whichever way it arrives (page, script)."""
    _check_lead(initiative, by)
    content_type = check(upload)
    attachment = Attachment(
        initiative=initiative,
        name=display_name(upload.name, content_type),
        description=description.strip(),
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.full_clean(exclude=["file"])
    attachment.file.save(attachment.name, upload, save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)  # no row, no file
        raise
    audit.record(
        "initiative_attachment_added",
        actor=by,
        target=initiative.title,
        participant=initiative.participant_id,
        attachment=attachment.pk,
        content_type=content_type,
        size=attachment.size,
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """The participant removes one of their files; the stored file goes once the row has."""
    initiative = attachment.initiative
    _check_lead(initiative, by)
    pk = attachment.pk
    files_delete([attachment.file.name])
    attachment.delete()
    audit.record(
        "initiative_attachment_removed",
        actor=by,
        target=initiative.title,
        participant=initiative.participant_id,
        attachment=pk,
    )


def files_delete(names: Iterable[str]) -> None:
    """Delete stored files once the transaction that removed their rows commits (a rollback
    keeps both). A file already gone is no error."""
    storage = Attachment._meta.get_field("file").storage
    names = [n for n in names if n]

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def attachments_erase(attachments) -> int:
    """Erasure: every row given, and its stored file (`programme.personal_data`)."""
    names = list(attachments.values_list("file", flat=True))
    files_delete(names)
    deleted, _ = attachments.delete()
    return len(names)
