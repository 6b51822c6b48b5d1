"""The progress page of a background job in a browser: it follows the job as it runs, and
tells a screen reader once when the file is ready."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from i2i.models import Job
from tests.e2e.conftest import assert_accessible, sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_progress_page_follows_the_job_and_announces_the_file(page, world):
    cohort_id = world.participant.cohort_id
    job = Job.objects.create(
        kind="evaluation_report",
        params={"cohort_id": cohort_id},
        owner=world.programme_manager,
        title="Evaluation report",
        status="running",
        progress=30,
        message="Reading the cohort",
    )
    sign_in(page, world.programme_manager.email)
    page.goto(reverse("job_detail", args=[job.pk]))
    announcement = page.locator("#job-announcement")
    expect(page.get_by_text("Reading the cohort (30%)")).to_be_visible()
    assert_accessible(page)

    Job.objects.filter(pk=job.pk).update(progress=60, message="Laying out the pages")
    expect(page.get_by_text("Laying out the pages (60%)")).to_be_visible()
    expect(announcement).to_have_text("")  # the status has not changed: nothing to say

    Job.objects.filter(pk=job.pk).update(status="done", progress=100, filename="report.pdf")
    expect(page.get_by_role("link", name="Download report.pdf")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Your file is ready to download.")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the evaluation").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("cohort_evaluation", args=[cohort_id]))
