"""The N+1 detector is live in every test (django-zeal; tests/conftest.py, tests/settings.py):
a loop that reads each object's relation one query at a time fails the test, in test code,
in a page rendered through the test client, and inside a service, while the same loop over a
prefetched queryset passes."""

import importlib
import sys

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from zeal import NPlusOneError

from participants.models import Participant
from placements import services
from tests.conftest import Operations, one_operation
from tests.factories import CohortFactory, ParticipantFactory, PlacementFactory

ROSTER = engines["django"].from_string(
    "{% for participant in participants %}{{ participant.user.full_name }};{% endfor %}"
)


@login_not_required
def roster(request):
    """A deliberately careless page: each participant's name is one more query, unless the
    request asks for the people to be fetched with the participants."""
    participants = Participant.objects.order_by("pk")
    if request.GET.get("with_people"):
        participants = participants.select_related("user")
    return HttpResponse(ROSTER.render({"participants": participants}))


urlpatterns = [path("roster/", roster)]


@pytest.fixture
def cohort(db):
    cohort = CohortFactory()
    for number in range(3):
        # Plain names: a generated one such as "O'Connor" would be escaped with a ";".
        participant = ParticipantFactory(cohort=cohort, user__full_name=f"Person {number}")
        PlacementFactory.create_batch(2, participant=participant)
    return cohort


def test_a_loop_over_relations_in_test_code_fails(cohort):
    with pytest.raises(NPlusOneError, match=r"Participant\.placements"):
        for participant in Participant.objects.filter(cohort=cohort):
            list(participant.placements.all())


def test_the_same_loop_over_a_prefetched_queryset_passes(cohort, django_assert_num_queries):
    with django_assert_num_queries(2):
        participants = Participant.objects.filter(cohort=cohort).prefetch_related("placements")
        assert sum(len(p.placements.all()) for p in participants) == 6


@pytest.mark.urls(__name__)
def test_a_page_that_reads_a_relation_per_row_fails(client, cohort):
    with pytest.raises(NPlusOneError, match=r"Participant\.user"):
        client.get("/roster/")


@pytest.mark.urls(__name__)
def test_the_same_page_with_the_relation_fetched_passes(client, cohort):
    response = client.get("/roster/", {"with_people": "1"})
    assert response.status_code == 200
    assert response.content.decode() == "Person 0;Person 1;Person 2;"


def _names(cohort):
    return [p.user.full_name for p in Participant.objects.filter(cohort=cohort)]


def _names_fetched(cohort):
    return [
        p.user.full_name for p in Participant.objects.filter(cohort=cohort).select_related("user")
    ]


def test_a_loop_inside_a_service_still_fails_when_a_test_calls_it(cohort):
    """A service called from test code is its own unit of work (like one request), which
    catches its own loops."""
    names = one_operation(_names)
    with pytest.raises(NPlusOneError, match=r"Participant\.user"):
        names(cohort)


def _read_one(pk):
    return Participant.objects.get(pk=pk).user.full_name


def test_calling_a_service_twice_from_a_test_is_two_operations(cohort):
    """Submitting and then approving is not an N+1: each call from the test counts alone,
    where the same calls made one after another in one unit of work are."""
    pks = list(Participant.objects.filter(cohort=cohort).values_list("pk", flat=True))
    with pytest.raises(NPlusOneError, match=r"Participant\.get\(\)"):
        for pk in pks:
            _read_one(pk)
    read_one = one_operation(_read_one)
    assert len({read_one(pk) for pk in pks}) == 3
    names = one_operation(_names_fetched)
    assert names(cohort) == names(cohort)


def test_test_code_reaches_a_service_as_one_operation_and_the_app_as_it_is():
    """The test's own name for a service module gives each function as one operation; the
    module itself, which views, tasks and the demo call, keeps the function unchanged."""
    module = sys.modules["placements.services"]
    assert services.outcomes_submit is not module.outcomes_submit
    assert services.outcomes_submit.__wrapped__ is module.outcomes_submit
    assert services.OutcomesDecision is module.OutcomesDecision


def test_a_service_a_test_patches_is_the_modules_own_again_afterwards():
    """monkeypatch puts back what it found in the target's `__dict__`: through the test's view
    of a service module, that is the module's own function, never a deletion."""
    module = importlib.import_module("evaluation.services")
    original = module.answers_given
    patch = pytest.MonkeyPatch()
    patch.setattr(Operations(module), "answers_given", lambda participant, moment: None)
    assert module.answers_given is not original
    patch.undo()
    assert module.answers_given is original
