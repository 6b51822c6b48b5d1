"""Walk every URL pattern as an anonymous visitor and as every role (pretix-style)."""

import re

import pytest
from django.urls import URLResolver, get_resolver, reverse

# Pages a person must reach before signing in (the issue: login, password reset, /healthz;
# and what allauth needs around them: sign-up, email confirmation, the second factor).
PUBLIC = {
    "healthz",
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_confirm_login_code",
    "mfa_authenticate",
    # The host organisation confirms a half-day from a signed link, with no account.
    "half_day_confirm",
    # The privacy notice is for anyone.
    "privacy",
}


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def _sample_path(pattern: str, pk: int) -> str:
    path = re.sub(r"<int:\w+>", str(pk), pattern)
    path = re.sub(r"<path:\w+>", str(pk), path)
    path = re.sub(r"<uuid:\w+>", f"00000000-0000-0000-0000-{pk:012d}", path)
    path = re.sub(r"<str:\w+>", f"sample-{pk}", path)
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "participants", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "sample-1", path)
    return "/" + path.replace("^", "").replace("$", "")


ALL_PATTERNS = sorted(set(_walk(get_resolver())))


def test_the_walk_covers_the_products_pages():
    names = {name for _, name in ALL_PATTERNS}
    assert {"home", "organisation_list", "cohort_detail", "participant_detail"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "name"), ALL_PATTERNS)
def test_anonymous_visitors_are_sent_to_sign_in(client, pattern, name):
    if name in PUBLIC:
        response = client.get(_sample_path(pattern, 1))
        assert response.status_code < 500
        return
    response = client.get(_sample_path(pattern, 1), follow=True)
    final_path = response.redirect_chain[-1][0] if response.redirect_chain else None
    assert final_path is not None, f"{pattern} answered an anonymous visitor"
    assert final_path.startswith(reverse("account_login")), final_path


ROLES = [
    "participant",
    "line_manager",
    "sponsor",
    "education_lead",
    "other_education_lead",
    "other_participant",
    "programme_manager",
    "outsider",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_every_role_without_an_error(client, world, role):
    user = {
        "participant": world.participant.user,
        "other_participant": world.other_participant.user,
    }.get(role) or getattr(world, role)
    client.force_login(user)
    for pattern, name in ALL_PATTERNS:
        if name in {"account_logout"}:
            continue
        for pk in (world.participant.pk, 99999):
            response = client.get(_sample_path(pattern, pk))
            assert response.status_code in {200, 302, 403, 404, 405}, (pattern, response)


@pytest.mark.parametrize("role", ["participant", "line_manager", "education_lead", "outsider"])
def test_the_admin_is_forbidden_to_everyone_but_the_programme_manager(client, world, role):
    user = world.participant.user if role == "participant" else getattr(world, role)
    client.force_login(user)
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
    changelist = reverse("admin:participants_participant_changelist")
    assert client.get(changelist, follow=True).status_code == 403
