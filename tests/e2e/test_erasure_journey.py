"""Erasure and the download of one's data in a browser, checked with axe-core."""

import pytest
from django.urls import reverse

from i2i.jobs import job_run
from i2i.models import Job
from tests.e2e.conftest import assert_accessible, sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_programme_manager_erases_a_person_and_is_told_which_files_went(
    page, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    cohort = world.participant.cohort
    job = Job.objects.create(
        kind="workshop_pack",
        params={"cohort_id": cohort.pk},
        owner=world.programme_manager,
        title=f"Workshop pack: {cohort.name}",
    )
    job_run(str(job.pk))
    sign_in(page, world.programme_manager.email)
    page.goto(reverse("participant_detail", args=[world.participant.pk]))
    page.get_by_role("link", name="Erase this person's records").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Workshop pack: {cohort.name}").is_visible()
    assert_accessible(page)
    page.get_by_label("Type their email address").fill("not-them@trust.example")
    page.get_by_role("button", name="Erase this person").click()
    page.wait_for_load_state()
    assert page.get_by_label("Type their email address").input_value() == "not-them@trust.example"
    assert_accessible(page)
    page.get_by_label("Type their email address").fill(world.participant.user.email)
    page.get_by_role("button", name="Erase this person").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Erased").is_visible()
    page.get_by_role("link", name="Make it again").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("workshop_pack", args=[cohort.pk]))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_erased_page_and_your_data_page_are_accessible(page, world):
    sign_in(page, world.participant.user.email)
    page.goto(reverse("my_data"))
    assert_accessible(page)
    page.context.clear_cookies()  # signed out
    sign_in(page, world.programme_manager.email)
    page.goto(reverse("person_erase", args=[world.participant.user.pk]))
    page.get_by_label("Type their email address").fill(world.participant.user.email)
    page.get_by_role("button", name="Erase this person").click()
    page.wait_for_load_state()
    assert page.get_by_text("No stored file held them.").is_visible()
    assert_accessible(page)
