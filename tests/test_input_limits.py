"""Size limits on what people type or paste: a clear message, and nothing lost or half-saved."""

from django.urls import reverse

from improvements.models import ImprovementInitiative


def test_an_over_long_answer_is_explained_next_to_the_field_and_kept(client, world):
    client.force_login(world.participant.user)
    problem = "Calls chasing discharge information. " * 150  # 5,550 characters
    response = client.post(
        reverse("initiative_create", args=[world.participant.pk]),
        {"title": "Transfer summary", "problem": problem, "kind": "forms"},
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["problem"]
    assert message == (
        "Enter the problem or opportunity in 5000 characters or fewer "
        f"(it has {len(problem.strip())})"
    )
    assert problem.strip() in response.content.decode()
    assert not ImprovementInitiative.objects.exists()


def test_the_box_tells_the_browser_its_limit(client, world):
    client.force_login(world.participant.user)
    page = client.get(reverse("initiative_create", args=[world.participant.pk])).content.decode()
    assert 'maxlength="5000"' in page


def test_a_request_over_the_upload_limit_gets_a_clear_page_not_a_500(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(world.participant.user)
    response = client.post(
        reverse("initiative_create", args=[world.participant.pk]),
        {"title": "Transfer summary", "problem": "x" * 20_000, "kind": "forms"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "That was too much to send" in page
    assert "what you typed is still in the page" in page
    assert not ImprovementInitiative.objects.exists()


def test_a_malformed_request_gets_the_general_bad_request_page(client, world):
    client.force_login(world.participant.user)
    response = client.get(reverse("home"), HTTP_HOST="bad host name")
    assert response.status_code == 400
    assert "We could not read that" in response.content.decode()
