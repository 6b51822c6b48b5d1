"""Files that show the change: the type read from the content (never the name or the
browser's word), 10MB at most, downloaded only by those who may read the initiative, and
gone from storage when removed or erased."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from i2i.models import AuditEvent
from improvements import attachments
from improvements.models import Attachment
from programme.personal_data import person_erase, personal_data
from tests.factories import ImprovementInitiativeFactory

# Real, small files of each kind, made here.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\x00\x5e\xb8")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 94, 184)).save(out, format="JPEG")
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX = _zip(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
        b'openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
    }
)
PNG = _png()
JPEG = _jpeg()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
NOT_DOCX = _zip({"notes.txt": b"just a zip"})


@pytest.fixture
def initiative(world):
    return ImprovementInitiativeFactory(participant=world.participant)


def _url(name, initiative, *args):
    return reverse(name, args=[initiative.participant_id, *args])


def _upload(client, initiative, name, data, content_type="application/pdf", **extra):
    return client.post(
        _url("attachment_create", initiative),
        {"file": SimpleUploadedFile(name, data, content_type), **extra},
    )


@pytest.mark.parametrize(
    ("name", "data", "stored_type", "stored_name"),
    [
        ("new-form.pdf", PDF, attachments.PDF, "new-form.pdf"),
        ("board.png", PNG, attachments.PNG, "board.png"),
        ("leaflet photo.jpeg", JPEG, attachments.JPEG, "leaflet photo.jpeg"),
        ("referral form.docx", DOCX, attachments.DOCX, "referral form.docx"),
        # The content decides: a PNG called .pdf is a PNG, stored and named as one.
        ("board.pdf", PNG, attachments.PNG, "board.png"),
        ("IMG_0042.heic", JPEG, attachments.JPEG, "IMG_0042.heic.jpg"),
    ],
)
def test_it_takes_each_allowed_type_by_its_content(
    client, world, initiative, name, data, stored_type, stored_name
):
    client.force_login(world.participant.user)
    response = _upload(client, initiative, name, data, description="The new form")
    assert response.status_code == 302
    attachment = Attachment.objects.get(initiative=initiative)
    assert (attachment.content_type, attachment.name) == (stored_type, stored_name)
    assert attachment.size == len(data) and attachment.description == "The new form"
    assert attachment.uploaded_by == world.participant.user
    # Stored under a random name of the default storage, never the one given.
    assert attachment.file.name.startswith(f"initiatives/{initiative.pk}/")
    assert name.split(".")[0] not in attachment.file.name
    with default_storage.open(attachment.file.name) as stored:
        assert stored.read() == data


@pytest.mark.parametrize(
    ("name", "data", "sent_as"),
    [
        ("form.pdf", EXE, "application/pdf"),
        ("form.pdf", HTML, "application/pdf"),
        ("form.docx", NOT_DOCX, attachments.DOCX),
        ("form.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/png"),
        ("notes.pdf", b"Just some words, not a PDF at all.", "application/pdf"),
    ],
)
def test_it_refuses_other_content_whatever_its_name(client, world, initiative, name, data, sent_as):
    client.force_login(world.participant.user)
    response = _upload(client, initiative, name, data, sent_as, description="Kept as typed")
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [attachments.WRONG_TYPE]}
    page = response.content.decode()
    assert attachments.WRONG_TYPE in page
    assert 'value="Kept as typed"' in page  # nothing else typed is lost
    assert not Attachment.objects.exists()


def test_exactly_10mb_is_taken(client, world, initiative):
    client.force_login(world.participant.user)
    data = PDF + b"%" * (attachments.MAX_SIZE - len(PDF))
    assert len(data) == 10 * 1024 * 1024
    assert _upload(client, initiative, "scan.pdf", data).status_code == 302
    assert Attachment.objects.get().size == attachments.MAX_SIZE


def test_one_byte_over_10mb_is_refused_at_the_field_not_with_an_error_page(
    client, world, initiative, tmp_path
):
    client.force_login(world.participant.user)
    data = PDF + b"%" * (attachments.MAX_SIZE + 1 - len(PDF))
    response = _upload(client, initiative, "scan.pdf", data, description="The scan")
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [attachments.TOO_LARGE]}
    page = response.content.decode()
    assert "The selected file must be smaller than 10MB" in page
    assert 'value="The scan"' in page
    assert not Attachment.objects.exists()


def test_other_forms_still_refuse_a_large_body(client, world, initiative):
    """Only the upload page takes more than the usual 2MB body."""
    client.force_login(world.participant.user)
    response = client.post(
        _url("initiative_outcome", initiative),
        {"file": SimpleUploadedFile("scan.pdf", PDF + b"%" * (3 * 1024 * 1024))},
    )
    assert response.status_code == 400
    assert "That was too much to send" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"), [(None, attachments.NO_FILE), (b"", attachments.EMPTY)]
)
def test_no_file_or_an_empty_one_says_so(client, world, initiative, data, message):
    client.force_login(world.participant.user)
    post = {"description": "Left"}
    if data is not None:
        post["file"] = SimpleUploadedFile("empty.pdf", data, "application/pdf")
    response = client.post(_url("attachment_create", initiative), post)
    assert response.context["form"].errors == {"file": [message]}


def test_the_service_checks_the_content_whichever_way_the_file_arrives(world, initiative):
    with pytest.raises(Exception) as refused:
        attachments.attachment_add(
            initiative=initiative,
            by=world.participant.user,
            upload=SimpleUploadedFile("x.pdf", HTML, "application/pdf"),
        )
    assert refused.value.message_dict == {"file": [attachments.WRONG_TYPE]}
    with pytest.raises(PermissionDenied):
        attachments.attachment_add(
            initiative=initiative,
            by=world.line_manager,
            upload=SimpleUploadedFile("x.pdf", PDF, "application/pdf"),
        )
    assert not Attachment.objects.exists()


@pytest.fixture
def attached(world, initiative):
    return attachments.attachment_add(
        initiative=initiative,
        by=world.participant.user,
        upload=SimpleUploadedFile("board.png", PNG, "image/png"),
        description="The board",
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("participant", 200),
        ("line_manager", 200),
        ("sponsor", 200),
        ("education_lead", 200),
        ("programme_manager", 200),
        ("other_participant", 404),
        ("other_education_lead", 404),
        ("outsider", 404),
    ],
)
def test_only_those_who_may_read_the_initiative_download_it(client, world, attached, role, status):
    user = getattr(world, role)
    client.force_login(getattr(user, "user", user))
    response = client.get(_url("attachment_download", attached.initiative, attached.pk))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == 'attachment; filename="board.png"'
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_download_through_another_participants_address_is_a_404(client, world, attached):
    client.force_login(world.participant.user)
    other = ImprovementInitiativeFactory(participant=world.other_participant)
    response = client.get(_url("attachment_download", other, attached.pk))
    assert response.status_code == 404


def test_the_files_are_not_served_from_the_media_address(client, world, attached, settings):
    client.force_login(world.participant.user)
    assert client.get(f"/{settings.MEDIA_URL}{attached.file.name}").status_code == 404


def test_the_initiative_page_lists_the_files(client, world, attached):
    client.force_login(world.line_manager)
    page = client.get(_url("initiative_detail", attached.initiative)).content.decode()
    assert "Files that show the change" in page
    assert _url("attachment_download", attached.initiative, attached.pk) in page
    assert "board.png" in page and "The board" in page
    assert _url("attachment_remove", attached.initiative, attached.pk) not in page


def test_the_participant_removes_their_file_after_confirming(
    client, world, attached, django_capture_on_commit_callbacks
):
    client.force_login(world.participant.user)
    url = _url("attachment_remove", attached.initiative, attached.pk)
    assert "Remove board.png?" in client.get(url).content.decode()
    stored = attached.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not default_storage.exists(stored)
    actions = AuditEvent.objects.filter(action__startswith="initiative_attachment_")
    assert list(actions.order_by("pk").values_list("action", "detail__attachment")) == [
        ("initiative_attachment_added", attached.pk),
        ("initiative_attachment_removed", attached.pk),
    ]


@pytest.mark.parametrize(("role", "status"), [("line_manager", 403), ("other_participant", 404)])
def test_nobody_else_removes_it(client, world, attached, role, status):
    client.force_login(
        getattr(world, role).user if role == "other_participant" else world.line_manager
    )
    response = client.post(_url("attachment_remove", attached.initiative, attached.pk))
    assert response.status_code == status
    assert Attachment.objects.filter(pk=attached.pk).exists()


def test_the_download_of_their_data_lists_the_files_by_name(world, attached):
    data = personal_data(world.participant.user)
    text = repr(data)
    assert "board.png" in text and "The board" in text


def test_erasure_deletes_the_files_from_storage(
    world, attached, django_capture_on_commit_callbacks
):
    stored = attached.file.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=world.participant.user, by=world.programme_manager)
    assert not Attachment.objects.exists()
    assert not default_storage.exists(stored)
