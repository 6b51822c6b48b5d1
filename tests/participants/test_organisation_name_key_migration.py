"""The migration that adds `Organisation.name_key` keys the organisations already there, and
holds back the duplicates the database's lower() let through instead of failing."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from participants.models import Organisation

migration = importlib.import_module("participants.migrations.0006_organisation_name_key")
BEFORE = [("participants", "0005_alter_cohort_workshop_agenda_alter_eoievent_comment_and_more")]


def test_the_older_of_two_spellings_keeps_the_key():
    keys = migration.assign_keys(
        [(4, "STRASSE CARE"), (1, "Ysbyty Môn Care"), (3, "Straße  Care"), (2, "YSBYTY MÔN CARE")]
    )
    assert keys == {
        1: ("ysbyty môn care", False),
        2: ("ysbyty môn care\n2", True),
        3: ("strasse care", False),
        4: ("strasse care\n4", True),
    }


@pytest.mark.django_db(transaction=True)
def test_migrating_keys_every_organisation_and_holds_back_duplicates():
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("participants", "Organisation")
        # Spellings that lower() lets through on both databases: ß, and an accent typed as
        # a letter and a combining mark.
        first = old.objects.create(name="Straße Care", sector="care_sector")
        second = old.objects.create(name="STRASSE CARE", sector="care_sector")
        composed = old.objects.create(name="Ysbyty Môn Care", sector="care_sector")
        decomposed = old.objects.create(name="Ysbyty Mo\u0302n Care", sector="care_sector")
        other = old.objects.create(name="Oakfield Hospice", sector="pvi")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)

    rows = {o.pk: o for o in Organisation.objects.all()}
    assert rows[first.pk].name_key == "strasse care" and rows[first.pk].is_confirmed
    assert rows[composed.pk].name_key == "ysbyty môn care" and rows[composed.pk].is_confirmed
    assert rows[other.pk].name_key == "oakfield hospice" and rows[other.pk].is_confirmed
    # The later spellings wait on the programme manager's page, to be merged.
    assert rows[second.pk].name_key == f"strasse care\n{second.pk}"
    assert rows[decomposed.pk].name_key == f"ysbyty môn care\n{decomposed.pk}"
    assert not rows[second.pk].is_confirmed and not rows[decomposed.pk].is_confirmed
    assert list(Organisation.objects.named("STRASSE CARE")) == [rows[first.pk]]
