"""The claims each test persona's ID token carries: `email_verified` and `amr` (as
Microsoft Entra ID sends "mfa" in `amr` after a second factor) come from the persona."""

import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator


def personas() -> dict[str, dict]:
    with open(os.environ["OIDC_PROVIDER_PERSONAS"]) as f:
        return {p["username"]: p for p in json.load(f)}


class PersonaValidator(OAuth2Validator):
    # `amr` is not a claim django-oauth-toolkit knows; it goes with the openid scope.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "amr": "openid"}

    def get_additional_claims(self, request):
        persona = personas()[request.user.username]
        claims = {
            "name": persona["name"],
            "email": persona["email"],
            "email_verified": persona["email_verified"],
        }
        if persona.get("amr"):
            claims["amr"] = persona["amr"]
        return claims
