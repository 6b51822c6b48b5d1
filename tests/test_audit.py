"""The audit trail: sign-ins, decisions, role changes and exports, readable by the programme
manager and not editable through the application."""

from django.urls import reverse

from i2i.models import AuditEvent
from placements import services
from tests.factories import PASSWORD, EducationLeadFactory, PlacementFactory


def test_sign_in_success_and_failure_are_recorded_with_the_address(client, world):
    client.post(reverse("account_login"), {"login": world.sponsor.email, "password": "nope"})
    client.post(
        reverse("account_login"),
        {"login": world.sponsor.email, "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    failed = AuditEvent.objects.get(action="sign_in_failed")
    assert failed.target == world.sponsor.email
    assert "nope" not in str(failed.detail)
    success = AuditEvent.objects.get(action="sign_in")
    assert (success.actor, success.ip) == (world.sponsor, "10.1.2.3")


def test_decisions_and_role_changes_are_recorded(world):
    placement = PlacementFactory(participant=world.participant)
    services.outcomes_save(placement=placement, by=world.participant.user, texts=["Learn"])
    services.outcomes_submit(placement=placement, by=world.participant.user)
    services.outcomes_approve(placement=placement, by=world.line_manager, comment="Fine")
    approved = AuditEvent.objects.get(action="outcomes_approved")
    assert approved.actor == world.line_manager
    assert approved.detail == {"comment": "Fine", "participant": placement.participant_id}
    EducationLeadFactory(user=world.sponsor)
    assert AuditEvent.objects.filter(action="role_education_lead_added").exists()
    world.outsider.is_programme_manager = True
    world.outsider.save()
    assert AuditEvent.objects.filter(action="role_programme_manager_granted").exists()


def test_exports_are_recorded(client, world):
    client.force_login(world.programme_manager)
    client.get(reverse("cohort_dashboard_csv", args=[world.participant.cohort.pk]))
    event = AuditEvent.objects.get(action="export_dashboard_csv")
    assert event.actor == world.programme_manager
    assert event.detail == {"rows": 2}


def test_only_the_programme_manager_reads_the_trail(client, world):
    client.force_login(world.programme_manager)
    client.get(reverse("cohort_dashboard_csv", args=[world.participant.cohort.pk]))
    page = client.get(reverse("audit_log"), {"action": "export"}).content.decode()
    assert "export_dashboard_csv" in page
    client.force_login(world.line_manager)
    assert client.get(reverse("audit_log")).status_code == 403


def test_the_admin_cannot_change_or_delete_the_trail(client, world):
    client.force_login(world.programme_manager)
    client.get(reverse("cohort_dashboard_csv", args=[world.participant.cohort.pk]))
    event = AuditEvent.objects.first()
    url = reverse("admin:i2i_auditevent_change", args=[event.pk])
    client.force_login(world.programme_manager)
    response = client.post(url, {"action": "nothing"})
    assert response.status_code in {403, 302}
    event.refresh_from_db()
    assert event.action != "nothing"
    delete = reverse("admin:i2i_auditevent_delete", args=[event.pk])
    client.post(delete, {"post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_trail_pages_a_hundred_at_a_time_keeping_the_filter(client, world):
    AuditEvent.objects.bulk_create(
        AuditEvent(action="export_test", target=f"export {n}") for n in range(101)
    )
    client.force_login(world.programme_manager)
    first = client.get(reverse("audit_log"), {"action": "export_test"})
    assert len(first.context["page"].object_list) == 100
    page = first.content.decode()
    assert "Page 1 of 2." in page
    assert 'href="?action=export_test&amp;page=2">Older</a>' in page
    second = client.get(reverse("audit_log"), {"action": "export_test", "page": 2})
    assert [e.target for e in second.context["page"].object_list] == ["export 0"]
    assert client.get(reverse("audit_log"), {"page": "nonsense"}).status_code == 200
