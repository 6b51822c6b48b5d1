"""The organisation directory from the official registers (issue #20): the ODS and CQC
layouts read from the sample files, a second import updating rather than adding, matching by
name when there is no code, the summary, bad files refused with a message, the command and
the upload page."""

import datetime as dt
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from i2i.jobs import job_run
from i2i.models import AuditEvent, Job
from participants import register_jobs, registers
from participants.models import Organisation, Sector
from tests.factories import OrganisationFactory
from tests.sqlite import run_on_fresh_sqlite

DATA = Path(__file__).resolve().parent.parent / "data" / "registers"
EPRACCUR = (DATA / "epraccur.csv").read_bytes()
ETR = (DATA / "etr.csv").read_bytes()
CQC = (DATA / "cqc_directory.csv").read_bytes()


def _import(register, data: bytes, **kwargs):
    rows = registers.read_register(register, data.splitlines(keepends=True), **kwargs)
    return registers.registers_import(register=register, rows=rows)


def _counts(summary):
    return summary.added, summary.updated, summary.unchanged, summary.skipped_count


@pytest.mark.django_db
def test_it_reads_gp_practices_from_the_ods_layout():
    summary = _import(registers.ODS_GP_PRACTICES, EPRACCUR)
    assert _counts(summary) == (4, 0, 0, 4)
    park = Organisation.objects.get(ods_code="X99001")
    assert park.name == "The Park Surgery"
    assert (park.address, park.town, park.postcode) == ("1 Park Road", "Eastmere", "EM1 4PQ")
    assert park.sector == Sector.GP_PRACTICE
    assert park.is_confirmed and park.registers_updated_at is not None
    # Address line 4 (the town) empty: line 3 is the town.
    northwold = Organisation.objects.get(ods_code="X99003")
    assert (northwold.address, northwold.town, northwold.postcode) == (
        "Unit 3, Market Square",
        "Northwold",
        "NW3 1AB",
    )
    assert [(s.line, s.why) for s in summary.skipped] == [
        (4, "X99004 is closed on the register (20240331)"),
        (5, "“??” is not an ODS code"),
        (6, "the same code as line 1"),
        (7, "3 columns, not the ODS layout's 10 or more"),
    ]


@pytest.mark.django_db
def test_it_reads_trusts_as_acute_unless_told_another_sector():
    summary = _import(registers.ODS_TRUSTS, ETR)
    assert _counts(summary) == (2, 0, 0, 1)
    trust = Organisation.objects.get(ods_code="RX9")
    assert trust.name == "Eastmere Teaching Hospitals NHS Trust"
    assert trust.sector == Sector.ACUTE
    Organisation.objects.all().delete()
    _import(registers.ODS_TRUSTS, ETR, sector=Sector.COMMUNITY)
    assert set(Organisation.objects.values_list("sector", flat=True)) == {Sector.COMMUNITY}


@pytest.mark.django_db
def test_it_reads_the_cqc_care_directory_after_its_notes():
    summary = _import(registers.CQC, CQC)
    assert _counts(summary) == (4, 0, 0, 2)
    sectors = dict(Organisation.objects.values_list("cqc_location_id", "sector"))
    assert sectors == {
        "1-990000001": Sector.CARE_SECTOR,  # a care home
        "1-990000002": Sector.CARE_SECTOR,  # home care
        "1-990000003": Sector.GP_PRACTICE,
        "1-990000004": Sector.MENTAL_HEALTH,
    }
    home = Organisation.objects.get(cqc_location_id="1-990000002")
    assert (home.name, home.address, home.town, home.postcode) == (
        "Northwold Home Care Services",
        "Suite 4, Enterprise House, Station Road",
        "Northwold",
        "NW2 3HC",
    )
    assert [(s.line, s.why) for s in summary.skipped] == [
        (8, "“X-123” is not a CQC location ID"),
        (9, "no name"),
    ]


@pytest.mark.django_db
def test_a_second_import_updates_rather_than_duplicates():
    _import(registers.ODS_GP_PRACTICES, EPRACCUR)
    again = _import(registers.ODS_GP_PRACTICES, EPRACCUR)
    assert _counts(again) == (0, 0, 4, 4)
    changed = EPRACCUR.replace(b"BRIDGE STREET MEDICAL CENTRE", b"BRIDGE STREET HEALTH PARTNERS")
    changed = changed.replace(b'"1 PARK ROAD"', b'"3 PARK ROAD"')
    summary = _import(registers.ODS_GP_PRACTICES, changed)
    assert _counts(summary) == (0, 2, 2, 4)
    assert Organisation.objects.count() == 4
    renamed = Organisation.objects.get(ods_code="X99002")
    assert renamed.name == "Bridge Street Health Partners"
    assert renamed.name_key == "bridge street health partners"  # through set_name
    assert Organisation.objects.get(ods_code="X99001").address == "3 Park Road"


@pytest.mark.django_db
def test_it_matches_an_organisation_already_in_the_directory_by_name():
    typed = OrganisationFactory(name="the park  surgery", sector=Sector.COMMUNITY, town="")
    summary = _import(registers.ODS_GP_PRACTICES, EPRACCUR)
    assert _counts(summary) == (3, 1, 0, 4)
    typed.refresh_from_db()
    assert typed.ods_code == "X99001"
    assert typed.town == "Eastmere"
    assert typed.sector == Sector.COMMUNITY  # the directory's choice stays
    assert Organisation.objects.named("The Park Surgery").count() == 1


@pytest.mark.django_db
def test_it_never_takes_a_name_that_another_code_holds():
    OrganisationFactory(name="The Park Surgery", ods_code="X11111")
    summary = _import(registers.ODS_GP_PRACTICES, EPRACCUR)
    assert (1, "“The Park Surgery” is already in the directory with another code (X11111)") in [
        (s.line, s.why) for s in summary.skipped
    ]
    assert Organisation.objects.named("The Park Surgery").get().ods_code == "X11111"


@pytest.mark.django_db
def test_queries_do_not_grow_with_rows(django_assert_max_num_queries):
    def rows(n):
        return [
            registers.RegisterRow(line=i, code=f"Z{i:05d}", name=f"Practice {i}")
            for i in range(1, n + 1)
        ]

    # Per batch: codes, names, bulk create, bulk update (none), plus the audit and savepoints.
    with django_assert_max_num_queries(8):
        registers.registers_import(register=registers.ODS_GP_PRACTICES, rows=rows(50))
    Organisation.objects.all().delete()
    with django_assert_max_num_queries(8):
        registers.registers_import(register=registers.ODS_GP_PRACTICES, rows=rows(900))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("register", "data", "message"),
    [
        (registers.ODS_GP_PRACTICES, CQC, "not the ODS layout"),
        (registers.CQC, EPRACCUR, "No header row with “Location ID”"),
        (registers.CQC, b"\x00\x01PK binary", "not a CSV file"),
    ],
)
def test_a_file_in_the_wrong_layout_is_refused_and_nothing_changes(register, data, message):
    with pytest.raises(registers.RegisterFileError, match=message):
        _import(register, data)
    assert not Organisation.objects.exists()


# The command -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_imports_both_registers_and_prints_the_summary():
    out = StringIO()
    call_command(
        "import_registers", ods=DATA / "epraccur.csv", cqc=DATA / "cqc_directory.csv", stdout=out
    )
    text = out.getvalue()
    assert "NHS ODS: GP practices (epraccur): 4 added, 0 updated, 0 unchanged, 4 skipped." in text
    assert "CQC care directory: 4 added, 0 updated, 0 unchanged, 2 skipped." in text
    assert "line 5: “??” is not an ODS code" in text
    assert Organisation.objects.count() == 8


@pytest.mark.django_db
def test_the_command_says_what_is_wrong():
    with pytest.raises(CommandError, match="not the ODS layout"):
        call_command("import_registers", ods=DATA / "cqc_directory.csv", ods_kind="gp")
    with pytest.raises(CommandError, match="--ods-kind"):
        call_command("import_registers", ods=DATA / "cqc_directory.csv")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_registers", cqc=DATA / "missing.csv")


# The upload page ---------------------------------------------------------------------------


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Post a register file; the import job it queues runs when the request's transaction
    commits (Celery runs eagerly in the tests; tests/integration has a real worker)."""

    def post(register, data, name="register.csv", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("registers_import"),
                {"register": register, "file": SimpleUploadedFile(name, data, "text/csv"), **extra},
            )

    return post


def _finished(client, response):
    """The job page the upload leads to, and the job."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    return page.content.decode(), page.context["job"]


def test_the_upload_page_imports_and_shows_the_summary(client, programme_manager, upload):
    client.force_login(programme_manager)
    assert client.get(reverse("registers_import")).status_code == 200
    page, job = _finished(client, upload(registers.CQC, CQC))
    assert job.status == "done" and job.owner == programme_manager
    assert "CQC care directory: imported. 4 added, 0 updated, 0 unchanged, 2 skipped." in page
    assert "Back to the import page" in page
    summary = b"".join(client.get(reverse("job_download", args=[job.pk])).streaming_content)
    text = summary.decode("utf-8-sig")
    assert "Added,4\r\n" in text and "Skipped,2\r\n" in text
    assert "8,“X-123” is not a CQC location ID" in text
    assert Organisation.objects.filter(cqc_location_id__startswith="1-99").count() == 4
    event = AuditEvent.objects.get(action="registers_imported")
    assert event.actor == programme_manager
    assert event.detail["added"] == 4
    # The uploaded file was kept only until it was imported.
    assert not default_storage.listdir(register_jobs.UPLOADS)[1]


def test_the_summary_file_keeps_a_register_cell_from_running_as_a_formula():
    summary = registers.Summary(register=registers.CQC)
    summary.skip(3, "“=HYPERLINK(1)” is not a CQC location ID")
    summary.skip(4, "=HYPERLINK(1)")
    text = register_jobs.summary_csv(summary).decode("utf-8-sig")
    assert "\r\n4,'=HYPERLINK(1)\r\n" in text


def test_the_upload_page_refuses_a_bad_file_next_to_the_field(client, programme_manager, upload):
    client.force_login(programme_manager)
    response = upload(registers.ODS_TRUSTS, CQC)
    assert response.status_code == 200
    assert "not the ODS layout" in response.context["form"].errors["file"][0]
    assert "There is a problem" in response.content.decode()
    response = upload(registers.CQC, b"\x00\x00\x00")
    assert response.context["form"].errors["file"] == [
        "The file must be a CSV file: save it as CSV and try again"
    ]
    response = client.post(reverse("registers_import"), {"register": registers.CQC})
    assert response.context["form"].errors["file"] == ["Select the register's CSV file"]
    assert not Organisation.objects.filter(cqc_location_id__startswith="1-99").exists()
    assert not Job.objects.exists()


def test_the_upload_page_refuses_a_file_over_the_limit(client, settings, programme_manager, upload):
    settings.REGISTERS_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(programme_manager)
    response = upload(registers.CQC, CQC + b"\n" * (1024 * 1024))
    assert response.context["form"].errors["file"] == ["The file must be smaller than 1MB"]


def test_a_file_just_over_the_register_limit_gets_the_message_next_to_the_field(
    client, programme_manager, upload
):
    """The limit as it stands (10MB): an 11MB file reached a bare "too much to send" page
    and the form was gone."""
    from django.conf import settings

    client.force_login(programme_manager)
    over = settings.REGISTERS_UPLOAD_MAX_BYTES + 1024 * 1024
    response = upload(registers.CQC, CQC + b"\n" * over)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file must be smaller than 10MB"]
    assert response.context["form"]["register"].value() == registers.CQC
    assert not Job.objects.exists()


def test_a_file_far_over_the_limit_is_told_the_page_s_own_limit(
    client, settings, programme_manager
):
    """Past five times the limit the body is not read at all: the page says how much this
    page takes, not the 2MB of an ordinary form."""
    settings.REGISTERS_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(programme_manager)
    data = CQC + b"\n" * (6 * 1024 * 1024)
    response = client.post(
        reverse("registers_import"),
        {"register": registers.CQC, "file": SimpleUploadedFile("big.csv", data, "text/csv")},
    )
    assert response.status_code == 400
    assert "larger than the 5 MB a page can send" in response.content.decode()
    assert not Job.objects.exists()


def test_the_upload_page_takes_a_file_larger_than_an_ordinary_form(
    client, programme_manager, upload
):
    """The site holds request bodies to 2MB; a register file may be up to its own limit."""
    from django.conf import settings

    client.force_login(programme_manager)
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 3 * 1024 * 1024
    page, job = _finished(client, upload(registers.CQC, CQC + b"\n" * (3 * 1024 * 1024)))
    assert "4 added" in page


@pytest.mark.parametrize("who", ["participant", "line_manager", "education_lead", "outsider"])
def test_only_the_programme_manager_imports(client, world, who, upload):
    user = getattr(world, who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("registers_import")).status_code == 403
    assert upload(registers.CQC, CQC).status_code == 403
    assert not Organisation.objects.filter(cqc_location_id__startswith="1-99").exists()


def test_the_import_job_reports_how_much_of_the_file_is_read(programme_manager):
    """One report a batch (of 1,000 rows), rising with the bytes read, so the page's bar moves
    while the full directory is imported."""
    rows = [
        f"Y{n:05d},PROGRESS SURGERY {n},Y60,QHM,1 HIGH STREET,,,EASTMERE,NORTHSHIRE,EM1 1AB,,"
        for n in range(2500)
    ]
    path = default_storage.save("register-uploads/progress.csv", ContentFile("\n".join(rows)))
    reports = []
    filename, content, outcome = register_jobs.registers_import_job(
        {"register": registers.ODS_GP_PRACTICES, "path": path, "sector": "", "by": None},
        lambda percent, message: reports.append((percent, message)),
    )
    percents = [percent for percent, _ in reports]
    assert len(reports) == 3
    assert percents == sorted(percents) and percents[0] > 5 and percents[-1] == 95
    assert reports[-1][1] == "100% of the file read"
    assert filename == "register-import-summary.csv"
    assert outcome.endswith("2500 added, 0 updated, 0 unchanged, 0 skipped.")
    assert not default_storage.exists(path)


# On SQLite (`make run`): Django's bulk_update, and a renamed organisation saved on its own ----

SQLITE_SCRIPT = """
from pathlib import Path
from participants import registers
from participants.models import Organisation, Sector

epraccur = Path("tests/data/registers/epraccur.csv").read_bytes()

def run(data):
    rows = registers.read_register(registers.ODS_GP_PRACTICES, data.splitlines(keepends=True))
    s = registers.registers_import(register=registers.ODS_GP_PRACTICES, rows=rows)
    print(s.added, s.updated, s.unchanged, s.skipped_count)

Organisation.objects.create(name="the park  surgery", sector=Sector.COMMUNITY)
run(epraccur)
run(epraccur)
changed = epraccur.replace(b"BRIDGE STREET MEDICAL CENTRE", b"BRIDGE STREET HEALTH PARTNERS")
run(changed.replace(b'"1 PARK ROAD"', b'"3 PARK ROAD"'))
renamed = Organisation.objects.get(ods_code="X99002")
print(renamed.name, "|", renamed.name_key)
park = Organisation.objects.get(ods_code="X99001")
print(park.name, "|", park.address, "|", park.town, "|", park.sector)
print(Organisation.objects.count())
"""


def test_on_sqlite_a_second_import_updates_too(tmp_path):
    """The suite runs on PostgreSQL, whose update is one `UPDATE … FROM (VALUES …)`; `make
    run`'s SQLite takes the other path (Django's `bulk_update`, names through `set_name`)."""
    lines = run_on_fresh_sqlite(tmp_path, SQLITE_SCRIPT)
    assert lines == [
        "3 1 0 4",  # the park surgery typed by hand gets its code, not a duplicate
        "0 0 4 4",
        "0 2 2 4",
        "Bridge Street Health Partners | bridge street health partners",
        # The directory's own spelling and sector stay; the register's address is taken.
        "the park surgery | 3 Park Road | Eastmere | community",
        "4",
    ]


def test_a_file_csv_cannot_read_is_refused_at_the_field(client, programme_manager, upload):
    """A quote never closed runs the rest of the file into one cell, past the CSV reader's
    limit (128KB): the reader's error is the file's, next to the field, not a 500."""
    client.force_login(programme_manager)
    data = b'"Location ID,Location Name\n' + b"1-100000001,The Park Surgery\n" * 6000
    response = upload(registers.CQC, data)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("Line ") and "cannot be read as CSV" in error
    assert not Job.objects.exists()


def test_a_file_that_breaks_later_fails_its_job_with_the_reason(client, programme_manager):
    """The layout is checked on the first rows; a break further down is found by the job,
    which imports nothing and says why on its page."""
    # 1,200 good rows (a batch of 1,000 written), then a quote never closed on line 1,201,
    # past the reader's limit: the batch written is undone.
    good = b"".join(
        b"X9%04d,SURGERY %d,Y60,QHM,1 HIGH STREET,,,EASTMERE,NORTHSHIRE,EM1 1AB,,\n" % (n, n)
        for n in range(1200)
    )
    rows = good + b'"X99999","UNCLOSED' + b" SURGERY" * 20_000 + b"\n"
    path = default_storage.save("register-uploads/broken.csv", ContentFile(rows))
    job = Job.objects.create(
        kind=register_jobs.KIND,
        owner=programme_manager,
        title="Import",
        params={
            "register": registers.ODS_GP_PRACTICES,
            "path": path,
            "sector": "",
            "by": programme_manager.pk,
        },
    )
    job_run(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message.startswith("Nothing was imported. Line 1201 cannot be read as CSV")
    assert not Organisation.objects.filter(ods_code__startswith="X99").exists()
    assert not default_storage.exists(path)
    client.force_login(programme_manager)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Nothing was imported. Line 1201 cannot be read as CSV" in page


def test_files_no_job_will_import_are_swept_after_an_hour(programme_manager):
    """A worker lost too often fails its job and leaves the file behind; the daily sweep takes
    such files (and strays), never one a queued or running job will read, nor one saved in the
    last hour (its job may be a moment behind it)."""

    def kept(name, hours_old, status=None):
        path = default_storage.save(f"register-uploads/{name}.csv", ContentFile(b"x"))
        then = (timezone.now() - dt.timedelta(hours=hours_old)).timestamp()
        os.utime(default_storage.path(path), (then, then))
        if status:
            Job.objects.create(
                kind=register_jobs.KIND,
                owner=programme_manager,
                title="Import",
                status=status,
                params={"register": registers.CQC, "path": path, "sector": "", "by": None},
            )
        return path

    failed = kept("failed", 5, Job.Status.FAILED)
    stray = kept("stray", 2)
    queued = kept("queued", 30, Job.Status.QUEUED)
    running = kept("running", 3, Job.Status.RUNNING)
    just_saved = kept("just-saved", 0.5)

    assert register_jobs.sweep_register_uploads() == 2
    assert not default_storage.exists(failed)
    assert not default_storage.exists(stray)
    assert all(default_storage.exists(path) for path in (queued, running, just_saved))
    assert register_jobs.sweep_register_uploads() == 0


def test_the_sweep_runs_daily_and_minds_no_folder(db, settings):
    assert not default_storage.exists("register-uploads")
    assert register_jobs.sweep_register_uploads() == 0
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "participants.sweep_register_uploads"
    ]
    assert entry["schedule"].hour == {3}
