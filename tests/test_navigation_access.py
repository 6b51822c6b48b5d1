"""Who the navigation offers Expressions of Interest to (`access.can_see_expressions_of_interest`),
and the menu each role is given."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from i2i import access
from participants.models import ExpressionOfInterest
from tests.factories import CohortFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

EOI = ExpressionOfInterest


def _asked_to_support(manager, support=EOI.Support.PENDING, email=None):
    """A submitted Expression of Interest naming `manager` as the applicant's line manager."""
    return EOI.objects.create(
        cohort=CohortFactory(status="recruiting"),
        applicant=UserFactory(),
        organisation=ParticipantFactory().organisation,
        status=EOI.Status.SUBMITTED,
        support=support,
        line_manager_email=email or manager.email,
    )


def _fresh(user):
    """The user as a new request would have them: nothing remembered."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("programme_manager", True),
        ("education_lead", True),
        ("line_manager", True),  # a member of staff, not in a programme: may apply
        ("sponsor", True),
        ("outsider", True),  # anyone may apply
        ("participant", False),  # mid-programme: nothing to apply for
    ],
)
def test_each_role_of_the_world(world, who, sees):
    user = world.participant.user if who == "participant" else getattr(world, who)
    assert access.can_see_expressions_of_interest(_fresh(user)) is sees


def test_nobody_signed_out_or_inactive_sees_them(world):
    assert not access.can_see_expressions_of_interest(AnonymousUser())
    user = world.outsider
    user.is_active = False
    user.save()
    assert not access.can_see_expressions_of_interest(_fresh(user))


def test_a_participant_mid_programme_asked_to_support_sees_them(world):
    user = world.participant.user
    _asked_to_support(user, email=user.email.upper())  # the address in any case
    assert access.can_see_expressions_of_interest(_fresh(user))


@pytest.mark.parametrize(
    "support", [EOI.Support.CONFIRMED, EOI.Support.DECLINED, EOI.Support.NOT_ASKED]
)
def test_support_already_given_or_not_asked_is_nothing_to_act_on(world, support):
    user = world.participant.user
    _asked_to_support(user, support=support)
    assert not access.can_see_expressions_of_interest(_fresh(user))


def test_ones_own_expression_naming_oneself_is_not_a_request_for_support(world):
    user = world.participant.user
    eoi = _asked_to_support(user)
    eoi.applicant = user
    eoi.save()
    assert not access.can_see_expressions_of_interest(_fresh(user))


def test_a_participant_mid_programme_who_leads_education_sees_them(world):
    from tests.factories import EducationLeadFactory

    user = world.participant.user
    EducationLeadFactory(user=user)
    assert access.can_see_expressions_of_interest(_fresh(user))


@pytest.mark.parametrize(
    ("status", "sees"),
    [("planning", True), ("recruiting", True), ("closed", True), ("running", False)],
)
def test_a_participant_sees_them_until_their_programme_runs_and_after_it_closes(status, sees):
    participant = ParticipantFactory(cohort__status=status)
    assert access.can_see_expressions_of_interest(_fresh(participant.user)) is sees


def test_the_question_comes_with_the_roles_in_one_query(world, django_assert_num_queries):
    user = _fresh(world.participant.user)
    with django_assert_num_queries(1):
        access.roles_for(user)
        assert not access.can_see_expressions_of_interest(user)
        assert not access.can_see_expressions_of_interest(user)


def test_facts_missing_beside_remembered_roles_are_read_again(world):
    user = _fresh(world.participant.user)
    user._i2i_roles = access.Roles(participant=True)
    assert not access.can_see_expressions_of_interest(user)


# The menu itself ---------------------------------------------------------------------------


def _nav(client, user, url=None) -> str:
    client.force_login(user)
    page = client.get(url or reverse("organisation_list")).content.decode()
    return page.split('<nav class="navbar', 1)[1].split("</nav>", 1)[0]


def test_the_menu_offers_expressions_of_interest_by_the_predicate(client, world):
    link = f'href="{reverse("eoi_list")}"'
    assert link not in _nav(client, world.participant.user)
    assert link in _nav(client, world.outsider)
    assert link in _nav(client, world.education_lead)


def test_the_programme_managers_pages_are_one_menu(client, world):
    nav = _nav(client, world.programme_manager)
    assert 'data-bs-toggle="dropdown"' in nav and ">Programme</button>" in nav
    menu = nav.split('<ul class="dropdown-menu"', 1)[1].split("</ul>", 1)[0]
    for label in ("Sent emails", "Audit", "Admin"):
        assert f">{label}</a>" in menu
    for who in (world.line_manager, world.education_lead, world.participant.user):
        assert "dropdown" not in _nav(client, who)


def test_the_current_page_is_marked(client, world):
    nav = _nav(client, world.programme_manager, reverse("audit_log"))
    assert f'<a class="dropdown-item" href="{reverse("audit_log")}" aria-current="page">' in nav
    assert "nav-current-within" in nav  # the menu holding it is marked to the eye
    nav = _nav(client, world.outsider)
    assert f'href="{reverse("organisation_list")}" aria-current="page">Organisations' in nav
    assert nav.count('aria-current="page"') == 1
