"""The admin is the programme manager's tool for power tasks."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.test import RequestFactory
from django.urls import reverse

from i2i.admin_site import fields_on_path, private_field_labels, unsearchable_field_labels
from participants.models import Cohort, CohortPlaces, EducationLead, Organisation, Participant, User
from tests.factories import UserFactory

PROGRAMME_MODELS = [
    m
    for m in apps.get_models()
    if m._meta.app_label in {"participants", "placements", "reflections", "improvements"}
]


def test_every_programme_model_is_in_the_admin():
    assert PROGRAMME_MODELS
    for model in PROGRAMME_MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", PROGRAMME_MODELS, ids=lambda m: m._meta.model_name)
def test_the_programme_manager_searches_and_filters_every_model(client, world, model):
    client.force_login(world.programme_manager)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": "Pat"})
    assert response.status_code == 200
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields
    assert model_admin.list_filter


def test_the_self_assessment_is_not_in_the_admin():
    """Answers are the participant's alone, and questions change only through the service
    that freezes them once answered, so the evaluation has no admin pages."""
    for model in apps.get_app_config("evaluation").get_models():
        assert not admin.site.is_registered(model), model


@pytest.mark.parametrize("model", PROGRAMME_MODELS, ids=lambda m: m._meta.model_name)
def test_every_list_reads_its_rows_in_a_fixed_number_of_queries(client, world, model):
    """Three rows of everything: a per-row query would be an N+1 (and fail under zeal)."""
    import datetime as dt

    from participants.models import SharedContact, SponsorMeeting
    from tests.factories import DataPointFactory, HalfDayFactory, ReflectiveAccountFactory

    for number in range(3):
        half_day = HalfDayFactory(placement__participant__cohort=world.participant.cohort)
        participant = half_day.participant
        ReflectiveAccountFactory(placement=half_day.placement)
        DataPointFactory(measure__initiative__participant=participant)
        SponsorMeeting.objects.create(
            participant=participant, met_on=dt.date(2027, 2, 1), recorded_by=world.sponsor
        )
        SharedContact.objects.create(
            participant=participant,
            organisation=half_day.placement.organisation,
            name=f"Contact {number}",
            shared_by=world.sponsor,
        )
    client.force_login(world.programme_manager)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200


def test_the_programme_manager_cannot_hand_out_superuser_powers(client, world):
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_user_change", args=[world.outsider.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()


def test_signing_in_to_the_admin_goes_through_allauth(client, db):
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_cohorts_delete_confirmation_names_its_people_in_constant_queries(
    client, world, django_assert_max_num_queries
):
    """The cohort's participants stop it being deleted; the page names each of them, with
    their person and cohort fetched with them rather than one by one."""
    from tests.factories import ParticipantFactory

    client.force_login(world.programme_manager)
    cohort = world.participant.cohort
    url = reverse("admin:participants_cohort_delete", args=[cohort.pk])
    counts = []
    for _ in range(2):
        with django_assert_max_num_queries(40) as captured:
            page = client.get(url).content.decode()
        counts.append(len(captured))
        ParticipantFactory.create_batch(3, cohort=cohort)
    assert counts[0] == counts[1]
    assert f"Pat Participant ({cohort.name})" in page


# What the programme manager may still change in the admin, and how each change is kept to the
# rules and audited. Every other record of the programme apps is read-only there.
EDITED_HERE = {
    User: "participants.services.person_save",
    Organisation: "participants.services.organisation_save",
    Cohort: "participants.services.cohort_save and cohort_delete",
    Participant: "participant_supporters_change, participant_details_change, attendance_record",
    CohortPlaces: "participants.recruitment.places_set",
    EducationLead: "added and removed only, each audited as a role change (i2i.audit)",
}
PROGRAMME_RECORDS = [m for m in PROGRAMME_MODELS if m not in EDITED_HERE]


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _inlines():
    """Every inline of every registered ModelAdmin, as it runs."""
    for parent, model_admin in admin.site._registry.items():
        for inline_class in model_admin.inlines:
            yield inline_class(parent, admin.site)


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize("model", PROGRAMME_RECORDS, ids=lambda m: m._meta.model_name)
def test_programme_records_are_read_only_in_the_admin(world, superuser, model):
    """Placements, outcomes and their decisions, half-days, initiatives and theirs, EOIs and
    their events, sponsor meetings, contacts, workshop consents, reflective accounts and their
    events: each has a service that keeps the rules and the audit trail, so nobody (not even
    a superuser) adds, changes or deletes them in the admin; the programme manager reads them."""
    model_admin = admin.site._registry[model]
    for user in (world.programme_manager, superuser):
        request = _request(user)
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        for inline in _inlines():
            if inline.model is model:
                assert not inline.has_add_permission(request, None), inline
                assert not inline.has_change_permission(request), inline
                assert not inline.has_delete_permission(request), inline


@pytest.mark.parametrize("model", list(EDITED_HERE), ids=lambda m: m._meta.model_name)
def test_what_the_admin_still_changes_goes_through_a_service(world, model):
    model_admin = admin.site._registry[model]
    if model is EducationLead:
        assert not model_admin.has_change_permission(_request(world.programme_manager))
        return
    assert type(model_admin).save_model is not admin.ModelAdmin.save_model, EDITED_HERE[model]
    if model_admin.has_delete_permission(_request(world.programme_manager)):
        assert type(model_admin).delete_model is not admin.ModelAdmin.delete_model
        assert type(model_admin).delete_queryset is not admin.ModelAdmin.delete_queryset
    if model_admin.has_add_permission(_request(world.programme_manager)):
        return
    assert model in {User, Participant}, "people join by signing up and by selection"


def test_a_path_is_read_field_by_field_through_its_relations():
    from placements.models import Placement

    assert fields_on_path(Placement, "reflective_account__answers__feelings__icontains") == [
        "placements.Placement.reflective_account",
        "reflections.ReflectiveAccount.answers",
    ]
    assert fields_on_path(Placement, "-participant__user__full_name") == [
        "placements.Placement.participant",
        "participants.Participant.user",
        "participants.User.full_name",
    ]
    assert fields_on_path(Placement, "not_a_field__icontains") == []


def _looked_up_paths(model_admin, request):
    """Every path the admin searches, filters or orders its list by."""
    from django.contrib.admin import SimpleListFilter

    yield from model_admin.get_search_fields(request)
    for item in model_admin.get_list_filter(request):
        if isinstance(item, (list, tuple)):
            yield item[0]
        elif not (isinstance(item, type) and issubclass(item, SimpleListFilter)):
            yield item
    yield from model_admin.get_ordering(request) or ()
    yield from model_admin.opts.ordering or ()
    if model_admin.date_hierarchy:
        yield model_admin.date_hierarchy
    sortable = model_admin.get_sortable_by(request)
    for column in model_admin.get_list_display(request):
        if column not in sortable:
            continue
        if isinstance(column, str) and not hasattr(model_admin, column):
            yield column
        order = getattr(getattr(model_admin, str(column), None), "admin_order_field", None)
        if isinstance(order, str):
            yield order


def test_the_private_fields_include_the_registrys():
    private = private_field_labels()
    assert {
        "reflections.ReflectiveAccount.answers",
        "reflections.ReflectiveAccount.shared_version",
        "reflections.ReflectiveAccount.outcome_ratings",
        "reflections.AccountEvent.comment",
        "evaluation.SelfAssessmentAnswer.value",
        "participants.User.password",
    } <= private
    assert private <= unsearchable_field_labels()
    assert "placements.OutcomesDecision.comment" in unsearchable_field_labels()


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_no_admin_searches_filters_or_orders_by_a_private_field(world, superuser, model):
    model_admin = admin.site._registry[model]
    unsearchable = unsearchable_field_labels()
    for user in (world.programme_manager, superuser):
        request = _request(user)
        for path in _looked_up_paths(model_admin, request):
            touched = set(fields_on_path(model, str(path))) & unsearchable
            assert not touched, f"{type(model_admin).__name__} looks up {path}: {touched}"


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_no_admin_shows_a_private_field(world, superuser, model):
    """Not on the list, the change page or an inline, to anyone (allauth's admin included)."""
    model_admin = admin.site._registry[model]
    private = private_field_labels()
    for user in (world.programme_manager, superuser):
        request = _request(user)
        shown = [*model_admin.get_list_display(request)]
        shown += flatten_fieldsets(model_admin.get_fieldsets(request, model()))
        for name in shown:
            label = f"{model._meta.label}.{name}"
            assert label not in private, f"{type(model_admin).__name__} shows {name}"
    for inline in _inlines():
        if inline.model is model:
            for name in inline.fields or ():
                assert f"{model._meta.label}.{name}" not in private, inline


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_every_admin_refuses_lookups_on_private_fields(superuser, model):
    """On the model's own private fields, and through each of its relations to another
    model's (Django checks neither for a superuser)."""
    model_admin = admin.site._registry[model]
    request = _request(superuser)
    unsearchable = unsearchable_field_labels()
    paths = []
    for label in unsearchable:
        app_model, name = label.rsplit(".", 1)
        if app_model == model._meta.label:
            paths.append(name)
    for field in model._meta.get_fields():
        if field.is_relation and field.related_model:
            for label in unsearchable:
                app_model, name = label.rsplit(".", 1)
                if app_model == field.related_model._meta.label:
                    paths.append(f"{field.name}__{name}")
    for path in paths:
        for lookup in (path, f"{path}__icontains", f"{path}__key__startswith"):
            assert not model_admin.lookup_allowed(lookup, "a", request), lookup


def test_every_record_opens_in_the_admin_and_the_programme_records_read_only(client, world):
    """One of everything (two of each row an inline lists, so that a row read one at a time
    would show as an N+1), each change page opened as the programme manager: the records with
    a service show no form to save."""
    import datetime as dt

    from improvements.models import AgreementDecision, PDSACycle
    from participants.models import (
        EOIEvent,
        EqualityMonitoring,
        ExpressionOfInterest,
        SharedContact,
        SponsorMeeting,
        WorkshopConsent,
    )
    from placements.models import OutcomesDecision
    from reflections.models import AccountEvent, MidProgrammeReview
    from tests.factories import (
        DataPointFactory,
        EducationLeadFactory,
        HalfDayFactory,
        MeasureFactory,
        OrganisationFactory,
        ReflectiveAccountFactory,
    )

    half_day = HalfDayFactory(placement__participant=world.participant)
    placement = half_day.placement
    account = ReflectiveAccountFactory(placement=placement)
    AccountEvent.objects.create(account=account, action="shared", by=world.participant.user)
    point = DataPointFactory(measure__initiative__participant=world.participant)
    initiative = point.measure.initiative
    MeasureFactory(initiative=initiative, name="Calls")
    eoi = ExpressionOfInterest.objects.create(
        cohort=world.participant.cohort,
        applicant=world.outsider,
        organisation=world.participant.organisation,
    )
    EducationLeadFactory(organisation=world.participant.organisation)
    for number in (1, 2):
        OutcomesDecision.objects.create(
            placement=placement, action="approved", by=UserFactory(full_name=f"Decider {number}")
        )
        AgreementDecision.objects.create(
            initiative=initiative, action="agreed", by=UserFactory(full_name=f"Agreer {number}")
        )
        PDSACycle.objects.create(
            initiative=initiative,
            number=number,
            change="A form",
            prediction="Fewer calls",
            starts_on=dt.date(2027, 3, 8),
        )
        EOIEvent.objects.create(eoi=eoi, action="submitted", by=UserFactory())
        CohortPlaces.objects.create(
            cohort=world.participant.cohort, organisation=OrganisationFactory()
        )
    SponsorMeeting.objects.create(
        participant=world.participant, met_on=dt.date(2027, 3, 2), recorded_by=world.sponsor
    )
    SharedContact.objects.create(
        participant=world.participant,
        organisation=placement.organisation,
        name="Contact",
        shared_by=world.sponsor,
    )
    WorkshopConsent.objects.create(participant=world.participant, include=True)
    EqualityMonitoring.objects.create(eoi=eoi, sex="female")
    MidProgrammeReview.objects.create(
        participant=world.participant,
        held_on=dt.date(2027, 5, 24),
        going_well="Going well",
        plan="A plan",
        recorded_by=world.line_manager,
    )
    _one_of_each_host_and_initiative_record(world, placement, initiative)

    client.force_login(world.programme_manager)
    for model in PROGRAMME_MODELS:
        obj = model.objects.order_by("pk").first()
        assert obj is not None, model
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        response = client.get(url)
        assert response.status_code == 200, (model, response.status_code)
        if model in PROGRAMME_RECORDS:
            assert 'name="_save"' not in response.content.decode(), model


def _one_of_each_host_and_initiative_record(world, placement, initiative):
    """Issue #20's host records and #21's initiative records."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from improvements.models import (
        Attachment,
        DriverNode,
        ImplementationMilestone,
        ServiceUserFeedback,
        TeamMember,
    )
    from participants.models import HostPerson
    from placements.models import (
        ClearanceRecord,
        Concern,
        ConcernStep,
        HostFeedback,
        ParticipantFeedback,
        PlacementOffer,
    )

    host = UserFactory(full_name="Hana Host")
    HostPerson.objects.create(user=host, organisation=placement.organisation)
    PlacementOffer.objects.create(
        organisation=placement.organisation, title="A morning on the ward", description="See"
    )
    ClearanceRecord.objects.create(
        placement=placement,
        kind="dbs",
        confirmed_by_name="Hana Host",
        confirmed_on=dt.date(2027, 3, 1),
    )
    HostFeedback.objects.create(placement=placement, rating=4)
    ParticipantFeedback.objects.create(placement=placement, comment="Thank you", by=host)
    concern = Concern.objects.create(
        placement=placement, kind="other", description="Late", raised_by=host, raised_as="host"
    )
    ConcernStep.objects.create(concern=concern, action="raised", by=host)
    ServiceUserFeedback.objects.create(
        initiative=initiative, question="Was the leaflet clear?", how_many=12, summary="Mostly"
    )
    TeamMember.objects.create(initiative=initiative, name="Tam Member")
    DriverNode.objects.create(initiative=initiative, level="primary", text="Clear information")
    ImplementationMilestone.objects.create(
        initiative=initiative, title="Print the leaflet", due_on=dt.date(2027, 4, 1)
    )
    attachment = Attachment(
        initiative=initiative, name="leaflet.pdf", content_type="application/pdf", size=4
    )
    attachment.file.save("leaflet.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
