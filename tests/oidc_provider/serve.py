"""Start the test provider: `python -m tests.oidc_provider.serve PORT`, with
OIDC_PROVIDER_DB (a SQLite file), OIDC_PROVIDER_PERSONAS (a JSON list of people: username,
password, name, email, email_verified, amr) and OIDC_PROVIDER_CLIENT (JSON: client_id,
client_secret, redirect_uri) in the environment. Prints "ready" once it listens."""

import json
import os
import sys

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"


def main(port: int) -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    from tests.oidc_provider.validator import personas

    call_command("migrate", verbosity=0)
    for persona in personas().values():
        User.objects.create_user(persona["username"], persona["email"], persona["password"])
    client = json.loads(os.environ["OIDC_PROVIDER_CLIENT"])
    Application.objects.create(
        name="I2I Cohorts",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,  # an organisation's own app: no consent screen
    )
    print("ready", flush=True)
    run("127.0.0.1", port, get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main(int(sys.argv[1]))
