"""The scoping rules in i2i/access.py, role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from i2i import access
from tests.factories import OrganisationFactory


def test_it_finds_each_role(world):
    assert access.roles_for(world.participant.user).participant
    assert access.roles_for(world.line_manager).line_manager
    assert access.roles_for(world.sponsor).sponsor
    assert access.roles_for(world.education_lead).education_lead
    assert access.roles_for(world.programme_manager).programme_manager
    assert not access.roles_for(world.outsider).any
    assert not access.roles_for(AnonymousUser()).any


def test_it_reads_roles_in_one_query(world, django_assert_num_queries):
    user = world.line_manager
    with django_assert_num_queries(1):  # one SELECT with four EXISTS subqueries
        access.roles_for(user)
        access.roles_for(user)  # remembered on the user


def test_a_user_may_hold_several_roles(world):
    """A line manager may also be a sponsor and an education lead."""
    from tests.factories import EducationLeadFactory

    world.participant.sponsor = world.line_manager
    world.participant.save()
    EducationLeadFactory(user=world.line_manager, organisation=world.participant.organisation)
    roles = access.roles_for(world.line_manager)
    assert roles.line_manager and roles.sponsor and roles.education_lead
    assert not roles.participant


@pytest.mark.parametrize(
    ("who", "sees_own", "sees_other"),
    [
        ("participant", True, False),
        ("line_manager", True, False),
        ("sponsor", True, False),
        ("education_lead", True, False),
        ("other_education_lead", False, True),
        ("programme_manager", True, True),
        ("outsider", False, False),
    ],
)
def test_it_scopes_participants(world, who, sees_own, sees_other):
    user = world.participant.user if who == "participant" else getattr(world, who)
    visible = set(access.visible_participants(user))
    assert (world.participant in visible) is sees_own
    assert (world.other_participant in visible) is sees_other


def test_it_scopes_cohorts(world):
    cohort = world.participant.cohort
    assert cohort in access.visible_cohorts(world.line_manager)
    assert cohort in access.visible_cohorts(world.programme_manager)
    assert cohort not in access.visible_cohorts(world.outsider)
    assert not access.visible_cohorts(AnonymousUser()).exists()


def test_it_hides_inactive_organisations_except_from_the_programme_manager(world):
    closed = OrganisationFactory(name="Closed Ward Services", is_active=False)
    assert closed not in access.visible_organisations(world.participant.user)
    assert closed in access.visible_organisations(world.programme_manager)
    assert not access.visible_organisations(AnonymousUser()).exists()


def test_only_the_programme_manager_manages_organisations_and_cohorts(world):
    assert access.can_manage_organisations(world.programme_manager)
    assert access.can_manage_cohorts(world.programme_manager)
    for user in (world.participant.user, world.line_manager, world.education_lead, world.outsider):
        assert not access.can_manage_organisations(user)
        assert not access.can_manage_cohorts(user)


def test_a_deactivated_user_sees_nothing(world):
    user = world.programme_manager
    user.is_active = False
    user.save()
    assert not access.visible_participants(user).exists()
    assert not access.is_programme_manager(user)
