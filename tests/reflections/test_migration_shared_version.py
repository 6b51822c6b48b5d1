"""The migration that adds `shared_version` copies what existing line managers were shown,
and nothing they were not."""

import importlib

from django.apps import apps

from reflections import services
from reflections.models import ReflectiveAccount
from tests.factories import ApprovedPlacementFactory, ReflectiveAccountFactory

migration = importlib.import_module("reflections.migrations.0003_reflectiveaccount_shared_version")


def _account(world, text):
    return ReflectiveAccountFactory(
        placement=ApprovedPlacementFactory(participant=world.participant),
        answers={"what_happened": text},
    )


def test_it_copies_shared_accounts_and_those_returned_but_unchanged(world):
    user, manager = world.participant.user, world.line_manager
    never = _account(world, "Never shared")
    shared = _account(world, "Shared as it stands")
    services.account_share(account=shared, by=user)
    returned = _account(world, "Returned, not touched since")
    services.account_share(account=returned, by=user)
    services.account_ask_more(account=returned, by=manager, comment="More, please.")
    edited = _account(world, "Returned, then")
    services.account_share(account=edited, by=user)
    services.account_ask_more(account=edited, by=manager, comment="More, please.")
    services.account_save(account=edited, by=user, answers={"what_happened": "Half written"})
    seeded = ReflectiveAccountFactory(
        placement=ApprovedPlacementFactory(participant=world.participant), status="discussed"
    )
    ReflectiveAccount.objects.update(shared_version=None)  # as before the migration

    migration.copy_what_was_shared(apps, None)

    copies = dict(ReflectiveAccount.objects.values_list("pk", "shared_version"))
    assert copies[never.pk] is None
    assert copies[edited.pk] is None  # what the manager read is gone; the draft is not it
    assert copies[shared.pk]["answers"] == {"what_happened": "Shared as it stands"}
    assert copies[returned.pk]["answers"] == {"what_happened": "Returned, not touched since"}
    assert copies[seeded.pk]["answers"]["what_happened"].startswith("I shadowed")
    assert copies[shared.pk]["outcome_ratings"][0]["outcome"]
