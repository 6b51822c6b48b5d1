"""The programme manager imports organisations from a register file in a browser: a file in
the wrong layout is refused next to the field; the right one is imported in the background,
and the job's page gives the outcome and the summary to download (issue #20)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from participants.models import Organisation
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parent.parent / "data" / "registers"


def test_the_programme_manager_imports_the_cqc_directory(page, world):
    sign_in(page, world.programme_manager.email)
    page.goto("/organisations/")
    page.get_by_role("link", name="Import from the NHS and CQC registers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import organisations from the registers"
    )
    assert_accessible(page)

    # The CQC file offered as an ODS file: refused at the field, the choice kept.
    page.get_by_label("NHS ODS: NHS trusts (etr)").check()
    page.get_by_label("The register's CSV file").set_input_files(DATA / "cqc_directory.csv")
    page.get_by_role("button", name="Import organisations").click()
    expect(page).to_have_title("Error: Import organisations from the registers – I2I Cohorts")
    expect(page.get_by_text("not the ODS layout").first).to_be_visible()
    expect(page.get_by_label("NHS ODS: NHS trusts (etr)")).to_be_checked()
    assert_accessible(page)

    page.get_by_label("CQC care directory").check()
    page.get_by_label("The register's CSV file").set_input_files(DATA / "cqc_directory.csv")
    page.get_by_role("button", name="Import organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import of organisations: CQC care directory"
    )
    outcome = "CQC care directory: imported. 4 added, 0 updated, 0 unchanged, 2 skipped."
    expect(page.get_by_text(outcome)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download register-import-summary.csv").click()
    summary = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Skipped,2" in summary
    assert Organisation.objects.filter(cqc_location_id__startswith="1-99").count() == 4
    page.get_by_role("link", name="Back to the import page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import organisations from the registers"
    )
