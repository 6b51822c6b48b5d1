"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in a
small Django project of its own, run in its own process with its own SQLite file
(`serve.py`), so the product talks to it over HTTP as it would to Microsoft Entra ID."""
