"""The models and their constraints on the production database, PostgreSQL.

With DATABASE_URL set (as in CI), the whole suite runs on PostgreSQL; these
tests make sure that is really so and check what only the database enforces.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from participants.models import Organisation, User
from tests.factories import OrganisationFactory, ParticipantFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_suite_is_running_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 140000


def test_the_connection_does_not_compile_queries_to_machine_code():
    """JIT off for the product's connections (i2i/settings.py): the server's default is on,
    and it spent half of the dashboard's 100 ms query compiling it (docs/benchmarks.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SELECT boot_val FROM pg_settings WHERE name = 'jit'")
        assert cursor.fetchone()[0] == "on"  # PostgreSQL's own default, which this changes


def test_postgresql_refuses_a_case_variant_organisation_name():
    OrganisationFactory(name="Larkhaven Mental Health")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.bulk_create(
            [Organisation(name="LARKHAVEN MENTAL HEALTH", sector="acute")]
        )


def test_postgresql_refuses_a_case_variant_email():
    User.objects.create_user("kit@council.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Kit@Council.Example")])


def test_postgresql_refuses_a_participant_as_their_own_sponsor():
    participant = ParticipantFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(participant).objects.filter(pk=participant.pk).update(sponsor=participant.user)


def test_the_migrations_leave_nothing_unapplied():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert plan == []
