"""The demo's host person (issue #20): listed among the demo logins, with visits to come at
their organisation, one confirmed and one waiting for their answer, on any day."""

import pytest
from django.urls import reverse
from zeal import zeal_ignore

from devdata.demo import DEMO_HOST, load_demo
from participants.models import User


@pytest.mark.django_db
def test_the_demo_host_person_has_visits_to_answer(client):
    with zeal_ignore():  # seed code: see tests/participants/test_demo.py `_seeding`
        logins = load_demo()
        load_demo()  # loaded twice, it books nothing more
    (host,) = [login for login in logins if login.role == "Host person"]
    assert host.email == DEMO_HOST[0] and host.email.endswith(".example")
    client.force_login(User.objects.get(email=host.email))
    response = client.get(reverse("host_home"), follow=True)
    html = response.content.decode()
    assert "Visits to Riverside Lane Medical Practice" in html
    assert html.count("Waiting for your answer") == 1
    assert html.count('<span class="tag tag-confirmed">Confirmed</span>') == 1
    assert "What they want to learn" in html
