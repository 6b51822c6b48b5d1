"""The registry of personal data declares every field that can hold a person's data or words,
in every model Django knows (allauth's, sessions, the admin's log and the project's own), so
that erasure and the download cannot miss one added later."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from programme.personal_data import STEPS
from programme.personal_data_registry import (
    HOLDINGS,
    NOT_PERSONAL,
    Erase,
    Keep,
    NotPersonal,
    Person,
    Pseudonymise,
    Scrub,
    declaration,
    private_fields,
)

# Fields that can hold words, an address, data or a file.
HOLDS_DATA = (
    models.CharField,  # EmailField, URLField and SlugField too
    models.TextField,
    models.JSONField,
    models.FileField,
    models.GenericIPAddressField,
    models.BinaryField,
)


def test_every_field_that_can_hold_a_persons_data_is_declared():
    undeclared = [
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models(include_auto_created=True)
        for f in model._meta.concrete_fields
        if isinstance(f, HOLDS_DATA) and declaration(model._meta.label, f.name) is None
    ]
    assert undeclared == [], (
        "Declare these in programme/personal_data_registry.py: erased (Erase, Pseudonymise, "
        "Scrub), kept with the reason (Keep), or not personal (NotPersonal)"
    )


def test_the_walk_reaches_allauth_sessions_and_the_project_s_own_records():
    labels = {model._meta.label for model in apps.get_models()}
    for label in (
        "account.EmailAddress",
        "mfa.Authenticator",
        "sessions.Session",
        "admin.LogEntry",
        "i2i.Job",
        "i2i.Notification",
        "i2i.AuditEvent",
    ):
        assert label in labels
        assert any(h.model == label for h in HOLDINGS), label


def test_every_declaration_names_a_real_field_and_says_why():
    for holding in HOLDINGS:
        model = holding.model_class
        for name, declared in holding.fields.items():
            model._meta.get_field(name)  # raises if there is no such field
            assert isinstance(declared, Erase | Pseudonymise | Scrub | Keep), (holding.key, name)
            if isinstance(declared, Keep | Pseudonymise | Scrub):
                assert declared.why, f"{holding.model}.{name}: say why"
        if holding.on_erase != "update":
            assert holding.why, f"{holding.key}: say what happens to the rows"
    for label, fields in NOT_PERSONAL.items():
        model = apps.get_model(label)
        for name, declared in fields.items():
            model._meta.get_field(name)
            assert isinstance(declared, NotPersonal) and declared.why


def test_a_field_is_either_personal_or_not_never_both():
    for label, fields in NOT_PERSONAL.items():
        for holding in HOLDINGS:
            if holding.model == label:
                assert not set(fields) & set(holding.fields), label


def test_each_holding_finds_rows_through_a_lookup_to_the_person(db):
    user = get_user_model().objects.create_user("someone@trust.example")
    person = Person.of(user)
    for holding in HOLDINGS:
        if holding.whose is None:
            assert holding.on_erase in STEPS, holding.key
            continue
        # Builds and runs the query: a lookup that does not lead to a user fails here.
        holding.model_class._default_manager.filter(holding.q(person)).exists()
        if isinstance(holding.whose, str) and holding.whose != "pk":
            target = holding.model_class
            for part in holding.whose.split("__"):
                target = target._meta.get_field(part).related_model
            assert target is get_user_model(), holding.key


def test_erasure_has_a_step_for_every_holding_a_plain_update_cannot_erase():
    for holding in HOLDINGS:
        assert holding.on_erase in {"update", "delete", *STEPS}, holding.key
        scrubbed = [n for n, d in holding.fields.items() if isinstance(d, Scrub)]
        if scrubbed:
            assert holding.on_erase.startswith("scrub_") or any(
                other.model == holding.model and other.on_erase.startswith("scrub_")
                for other in HOLDINGS
            ), holding.key


def test_nested_holdings_hang_under_an_exported_holding_of_the_right_model():
    for holding in HOLDINGS:
        if holding.parent is None:
            continue
        key, fk = holding.parent
        (parent,) = [h for h in HOLDINGS if h.key == key and h.export and h.whose is not None]
        # Parents first: the download nests each row under rows already read.
        assert HOLDINGS.index(parent) < HOLDINGS.index(holding), holding.key
        related = holding.model_class._meta.get_field(fk.removesuffix("_id")).related_model
        assert related is parent.model_class, holding.key


def test_private_text_is_marked_for_the_admin():
    assert {"answers", "shared_version", "workshop_learning"} <= private_fields(
        "reflections.ReflectiveAccount"
    )
    assert "comment" in private_fields("reflections.AccountEvent")
    assert "value" in private_fields("evaluation.SelfAssessmentAnswer")
