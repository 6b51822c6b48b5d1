"""Optional equality monitoring on the Expression of Interest (issue 19, item 8): the
applicant answers it after submitting, nobody reads one person's answers on any page, and
the programme manager sees only counts of five or more, applied → selected → completed."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants import equality, recruitment
from participants.models import CohortPlaces, EqualityMonitoring, ExpressionOfInterest
from programme.personal_data import person_erase, personal_data
from tests.factories import EducationLeadFactory, UserFactory
from tests.participants.conftest import COMPLETE, _submitted

# Answers whose words appear nowhere else in the product, so that a page showing them is
# caught by looking for the words.
TELLING = {
    "age_band": "55_64",
    "sex": "female",
    "gender_same_as_birth": "no",
    "sexual_orientation": "bisexual",
    "ethnic_group": "black",
    "religion": "sikh",
    "disability": "yes",
    "pregnancy_maternity": "yes",
    "marriage_civil_partnership": "civil_partnership",
}
TELLING_WORDS = [
    "55 to 64",
    "Bisexual",
    "Black, Black British",
    "Sikh",
    "In a civil partnership",
    "Equality Act",
    "sexual orientation",
    "Sexual orientation",
]


def _answered(setup, **answers):
    eoi = _submitted(setup)
    return eoi, equality.equality_monitoring_save(eoi=eoi, by=eoi.applicant, **(answers or TELLING))


def test_it_follows_submission_and_saves_the_applicants_answers(client, setup):
    cohort, employer, _, _, applicant, _ = setup
    eoi = recruitment.eoi_start(cohort=cohort, organisation=employer, by=applicant)
    client.force_login(applicant)
    from django.utils import timezone

    from i2i.rules import add_months

    data = {
        **COMPLETE,
        "performing_well": "True",
        "aiming_senior": "True",
        "discussed_with_line_manager": "on",
        "qualified_on": add_months(timezone.localdate(), -24).isoformat(),
        "last_appraisal_on": add_months(timezone.localdate(), -4).isoformat(),
        "action": "submit",
    }
    response = client.post(reverse("eoi_edit", args=[eoi.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("eoi_equality", args=[eoi.pk])

    page = client.get(response["Location"]).content.decode()
    assert "Equality monitoring (optional)" in page
    assert "Why we ask" in page and "Who sees your answers" in page
    assert "only as counts across all applicants of 5 or more" in page
    assert "Prefer not to say" in page
    assert "Skip this step" in page

    response = client.post(
        reverse("eoi_equality", args=[eoi.pk]), {"sex": "female", "religion": "prefer_not_to_say"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("eoi_detail", args=[eoi.pk])
    answers = EqualityMonitoring.objects.get(eoi=eoi)
    assert (answers.sex, answers.religion, answers.ethnic_group) == (
        "female",
        "prefer_not_to_say",
        "",
    )


def test_it_lets_the_applicant_skip_every_question(client, setup):
    eoi = _submitted(setup)
    client.force_login(eoi.applicant)
    equality.equality_monitoring_save(eoi=eoi, by=eoi.applicant, sex="male")
    response = client.post(reverse("eoi_equality", args=[eoi.pk]), {})
    assert response.status_code == 302
    # Nothing answered is nothing kept: the answers given before are gone.
    assert not EqualityMonitoring.objects.filter(eoi=eoi).exists()


def test_it_refuses_an_answer_that_is_not_on_the_list(client, setup):
    eoi = _submitted(setup)
    client.force_login(eoi.applicant)
    response = client.post(reverse("eoi_equality", args=[eoi.pk]), {"sex": "unknown"})
    assert response.status_code == 200
    assert response.context["form"].errors["sex"]
    assert not EqualityMonitoring.objects.filter(eoi=eoi).exists()


def test_a_skipped_step_stores_nothing(client, setup):
    eoi = _submitted(setup)
    client.force_login(eoi.applicant)
    page = client.get(reverse("eoi_equality", args=[eoi.pk])).content.decode()
    assert reverse("eoi_detail", args=[eoi.pk]) in page  # "Skip this step"
    assert client.get(reverse("eoi_detail", args=[eoi.pk])).status_code == 200
    assert not EqualityMonitoring.objects.exists()


def test_a_draft_has_no_equality_step(client, setup):
    cohort, employer, _, _, applicant, _ = setup
    eoi = recruitment.eoi_start(cohort=cohort, organisation=employer, by=applicant)
    client.force_login(applicant)
    assert client.get(reverse("eoi_equality", args=[eoi.pk])).status_code == 404


@pytest.mark.parametrize(
    "who", ["lead", "line_manager", "sponsor", "programme_manager", "other_lead", "outsider"]
)
def test_nobody_but_the_applicant_reaches_the_step(client, setup, who):
    _, _, lead, manager, _, sponsor = setup
    eoi, _ = _answered(setup)
    user = {
        "lead": lead,
        "line_manager": manager,
        "sponsor": sponsor,
        "programme_manager": UserFactory(is_programme_manager=True),
        "other_lead": EducationLeadFactory().user,
        "outsider": UserFactory(),
    }[who]
    client.force_login(user)
    url = reverse("eoi_equality", args=[eoi.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"sex": "male"}).status_code == 404
    assert EqualityMonitoring.objects.get(eoi=eoi).sex == "female"


def test_the_service_refuses_anyone_but_the_applicant(setup):
    _, _, lead, manager, _, _ = setup
    eoi = _submitted(setup)
    for user in (lead, manager, UserFactory(is_programme_manager=True)):
        with pytest.raises(ValidationError):
            equality.equality_monitoring_save(eoi=eoi, by=user, sex="male")
    assert not EqualityMonitoring.objects.exists()


def test_the_answers_are_stored_apart_from_the_expression_of_interest(setup):
    eoi, answers = _answered(setup)
    row = ExpressionOfInterest.objects.filter(pk=eoi.pk).values().get()
    assert not set(equality.FIELDS) & set(row)
    assert answers.eoi_id == eoi.pk


@pytest.mark.parametrize("who", ["lead", "line_manager", "programme_manager"])
def test_the_answers_appear_on_no_recruitment_page_or_csv(client, setup, who):
    _, _, lead, manager, _, _ = setup
    eoi, _ = _answered(setup)
    recruitment.eoi_support(eoi=eoi, by=manager, supported=True)
    recruitment.eoi_decide(eoi=eoi, by=lead, decision="selected", reason="Ready for it")
    eoi.refresh_from_db()
    user = {
        "lead": lead,
        "line_manager": manager,
        "programme_manager": UserFactory(is_programme_manager=True),
    }[who]
    client.force_login(user)
    urls = [
        reverse("eoi_detail", args=[eoi.pk]),
        reverse("eoi_list"),
        reverse("eoi_review"),
        reverse("eoi_csv"),
        reverse("participant_detail", args=[eoi.participant.pk]),
    ]
    read = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        read += 1
        text = response.content.decode()
        assert "Equality monitoring" not in text, url
        for words in TELLING_WORDS:
            assert words not in text, (url, words)
    assert read >= 2  # the Expression of Interest and at least one list or progress page


def test_the_admin_shows_neither_the_answers_nor_whose_they_are(client, setup):
    eoi, answers = _answered(setup)
    manager = UserFactory(is_programme_manager=True, is_staff=True)
    client.force_login(manager)
    for url in (
        reverse("admin:participants_equalitymonitoring_changelist"),
        reverse("admin:participants_equalitymonitoring_change", args=[answers.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert eoi.applicant.full_name not in text
        for words in ("55 to 64", "Bisexual", "Black, Black British", "Sikh"):
            assert words not in text, (url, words)
    # A filter that reads the answers through a lookup is refused.
    url = reverse("admin:participants_equalitymonitoring_changelist")
    assert client.get(url, {"sexual_orientation": "bisexual"}).status_code == 400
    url = reverse("admin:participants_expressionofinterest_changelist")
    response = client.get(url, {"equality_monitoring__religion": "sikh"})
    assert response.status_code == 400


def test_the_applicants_own_data_holds_their_answers(setup):
    eoi, _ = _answered(setup)
    data = json_text = personal_data(eoi.applicant)
    json_text = str(data)
    assert "equality_monitoring" in json_text
    assert "bisexual" in json_text or "Bisexual" in json_text


def test_erasure_removes_the_answers(setup):
    eoi, _ = _answered(setup)
    _, other = _answered(setup_other(setup))
    person_erase(user=eoi.applicant, by=UserFactory(is_programme_manager=True))
    assert not EqualityMonitoring.objects.filter(eoi=eoi).exists()
    assert ExpressionOfInterest.objects.filter(pk=eoi.pk).exists()  # the application stays
    assert EqualityMonitoring.objects.filter(pk=other.pk).exists()  # nobody else's go


def setup_other(setup):
    """The same cohort and employer, another applicant."""
    cohort, employer, lead, manager, _, sponsor = setup
    return cohort, employer, lead, manager, UserFactory(full_name="Bo Other"), sponsor


# The report ---------------------------------------------------------------------------------


@pytest.fixture
def applied(setup):
    """Eleven applicants: six women, four men and one who skipped the step. Seven are
    selected (five of the women, two of the men); the five women complete.

    Worked by hand, for sex:  applied  selected  completed
        Female                   6        5          5
        Male                     4        2          0
        Not answered             1        0          0
    and for every other question all eleven are "Not answered": 11, 7, 5."""
    cohort, employer, lead, manager, _, _ = setup
    CohortPlaces.objects.filter(cohort=cohort, organisation=employer).update(places=20)
    people = []
    for number, sex in enumerate(["female"] * 6 + ["male"] * 4 + [None]):
        eoi = _submitted(setup, applicant=UserFactory(full_name=f"Applicant {number}"))
        if sex:
            equality.equality_monitoring_save(eoi=eoi, by=eoi.applicant, sex=sex)
        people.append((eoi, sex))
    women = [eoi for eoi, sex in people if sex == "female"][:5]
    men = [eoi for eoi, sex in people if sex == "male"][:2]
    for eoi in women + men:
        recruitment.eoi_support(eoi=eoi, by=manager, supported=True)
        recruitment.eoi_decide(eoi=eoi, by=lead, decision="selected", reason="Ready")
    completed = list(
        ExpressionOfInterest.objects.filter(pk__in=[e.pk for e in women]).values_list(
            "participant_id", flat=True
        )
    )
    return cohort, completed


def _rows(report, title):
    characteristic = next(c for c in report if c.title == title)
    return {
        row.answer: (str(row.applied), str(row.selected), str(row.completed))
        for row in characteristic.rows
    }


def test_the_report_counts_each_stage_by_hand(applied, django_assert_num_queries):
    cohort, completed = applied
    # One aggregate query each: applied, selected, completed.
    with django_assert_num_queries(3):
        report = equality.equality_report([cohort.pk], completed)
    sex = _rows(report, "Sex")
    assert sex["Female"] == ("6", "5", "5")
    assert sex["Male"] == ("Fewer than 5", "Fewer than 5", "Fewer than 5")
    assert sex["Not answered"] == ("Fewer than 5", "Fewer than 5", "Fewer than 5")
    assert sex["Prefer not to say"] == ("Fewer than 5", "Fewer than 5", "Fewer than 5")
    assert _rows(report, "Ethnic group")["Not answered"] == ("11", "7", "5")
    assert _rows(report, "Religion or belief")["Sikh"] == (
        "Fewer than 5",
        "Fewer than 5",
        "Fewer than 5",
    )


@pytest.mark.parametrize(("count", "shown"), [(0, "Fewer than 5"), (4, "Fewer than 5"), (5, "5")])
def test_a_figure_under_five_is_never_shown(count, shown):
    assert str(equality.Cell(count)) == shown
    assert equality.Cell(count).shown is (count >= 5)


@pytest.mark.parametrize(
    ("counts", "read"),
    [
        # One small figure: 20 applied is known, so 7 + 10 would give away the 3. The
        # next-smallest (7) is hidden with it.
        ([7, 3, 10], ["Fewer than 5", "Fewer than 5", "10"]),
        # Two small figures already hide each other.
        ([7, 3, 2, 10], ["7", "Fewer than 5", "Fewer than 5", "10"]),
        # Nothing small, nothing hidden.
        ([7, 5, 10], ["7", "5", "10"]),
        # Only one figure in the column, small: nothing else to hide.
        ([3], ["Fewer than 5"]),
    ],
)
def test_a_single_small_figure_cannot_be_worked_out_from_the_others(counts, read):
    assert [str(cell) for cell in equality._protect(counts)] == read


def test_four_answers_read_fewer_than_five_and_five_read_five(setup):
    cohort = setup[0]
    for number in range(4):
        eoi = _submitted(setup, applicant=UserFactory(full_name=f"Four {number}"))
        equality.equality_monitoring_save(eoi=eoi, by=eoi.applicant, disability="yes")
    assert _rows(equality.equality_report([cohort.pk], []), "Disability")["Yes"][0] == (
        "Fewer than 5"
    )
    eoi = _submitted(setup, applicant=UserFactory(full_name="The fifth"))
    equality.equality_monitoring_save(eoi=eoi, by=eoi.applicant, disability="yes")
    assert _rows(equality.equality_report([cohort.pk], []), "Disability")["Yes"][0] == "5"


def test_drafts_are_not_counted_as_applied(setup):
    cohort, employer, *_ = setup
    recruitment.eoi_start(cohort=cohort, organisation=employer, by=UserFactory())
    report = equality.equality_report([cohort.pk], [])
    assert _rows(report, "Sex")["Not answered"][0] == "Fewer than 5"
    # Four submitted, one draft: still fewer than five applied.
    for number in range(4):
        _submitted(setup, applicant=UserFactory(full_name=f"Sub {number}"))
    report = equality.equality_report([cohort.pk], [])
    assert _rows(report, "Sex")["Not answered"][0] == "Fewer than 5"


def test_the_programme_manager_sees_the_counts_across_cohorts(client, applied):
    manager = UserFactory(is_programme_manager=True)
    client.force_login(manager)
    response = client.get(reverse("across_cohorts"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Equality monitoring" in text
    assert "Fewer than 5" in text
    sex = _rows(response.context["across"].equality, "Sex")
    assert sex["Female"][:2] == ("6", "5")
    for number in range(11):
        assert f"Applicant {number}" not in text


@pytest.mark.parametrize("who", ["lead", "line_manager", "sponsor"])
def test_no_one_else_sees_the_counts(client, setup, who):
    _, _, lead, manager, _, sponsor = setup
    client.force_login({"lead": lead, "line_manager": manager, "sponsor": sponsor}[who])
    assert client.get(reverse("across_cohorts")).status_code in {403, 404}


def test_the_user_model_is_the_projects():
    assert EqualityMonitoring._meta.get_field("eoi").related_model is ExpressionOfInterest
    assert get_user_model()._meta.label == "participants.User"
