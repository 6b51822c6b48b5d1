import datetime as dt

import factory
from allauth.account.models import EmailAddress

from participants.models import Cohort, EducationLead, Organisation, Participant, Sector, User

PASSWORD = "a-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@trust.example")
    full_name = factory.Faker("name", locale="en_GB")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """allauth requires a verified address before it lets anyone sign in."""
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.ACUTE
    is_partner = True
    town = "Eastmere"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    programme_start = dt.date(2027, 3, 1)
    status = "running"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    profession = "Nursing"
    job_title = "Staff nurse"
    line_manager = factory.SubFactory(UserFactory)
    sponsor = factory.SubFactory(UserFactory)


class EducationLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationLead

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "placements.Placement"

    participant = factory.SubFactory(ParticipantFactory)
    organisation = factory.SubFactory(OrganisationFactory, sector=Sector.GP_PRACTICE)
    contact_name = "Dr Host Person"
    contact_email = factory.Sequence(lambda n: f"host{n}@practice.example")
    status = "agreed"


class ApprovedPlacementFactory(PlacementFactory):
    """A placement whose outcomes the line manager approved on the programme's first day."""

    class Meta:
        skip_postgeneration_save = True

    outcomes_status = "approved"
    outcomes_first_approved_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(
            o.participant.cohort.programme_start, dt.time(9), tzinfo=dt.UTC
        )
    )
    outcome = factory.RelatedFactory(
        "tests.factories.LearningOutcomeFactory", factory_related_name="placement"
    )


class LearningOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "placements.LearningOutcome"

    placement = factory.SubFactory(PlacementFactory)
    text = "Understand how referrals from my ward are prioritised."


class HalfDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "placements.HalfDay"

    placement = factory.SubFactory(ApprovedPlacementFactory)
    participant = factory.LazyAttribute(lambda o: o.placement.participant)
    date = factory.LazyAttribute(
        lambda o: o.placement.participant.cohort.programme_start + dt.timedelta(days=7)
    )
    session = "am"
    person_met = "Duty manager"
    level = "team_leader"
    status = "completed"


class ReflectiveAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reflections.ReflectiveAccount"

    placement = factory.SubFactory(ApprovedPlacementFactory)
    participant = factory.LazyAttribute(lambda o: o.placement.participant)
    framework = "i2i"
    answers = factory.LazyFunction(
        lambda: {"what_happened": "I shadowed the discharge coordinator on two wards."}
    )


class ImprovementInitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvements.ImprovementInitiative"

    participant = factory.SubFactory(ParticipantFactory)
    title = "A one-page transfer summary"
    problem = "Information at transfer is incomplete."
    aim = "Reduce days from referral to first visit from 9 to 5 by June."
    measures_summary = "Days from referral to first visit."
    change_ideas = "A shared one-page transfer summary."
    kind = "forms"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvements.Measure"

    initiative = factory.SubFactory(ImprovementInitiativeFactory)
    name = "Days from referral to first visit"
    definition = "Days from referral received to first home visit, each referral."
    unit = "days"
    direction = "lower"


class DataPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvements.DataPoint"

    measure = factory.SubFactory(MeasureFactory)
    date = dt.date(2027, 3, 1)
    value = 5


class HostPersonFactory(factory.django.DjangoModelFactory):
    """The named person at a host organisation (issue #20): signs in with an emailed code."""

    class Meta:
        model = "participants.HostPerson"

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory, sector=Sector.GP_PRACTICE)


def implement_initiative(initiative, started_on: dt.date, reviewed=True):
    """An agreed initiative taken to "implemented and reviewed" (issue #21): a PDSA cycle of a
    week from `started_on`, adopted, data the day after the change, and the line manager's
    review (the `improvement` commitment met from a week after `started_on`)."""
    from django.utils import timezone  # noqa: PLC0415 - beside its one use

    from improvements.models import PDSACycle  # noqa: PLC0415 - beside its one use

    PDSACycle.objects.create(
        initiative=initiative,
        number=1,
        change="A one-page transfer summary on one ward.",
        prediction="Fewer calls chasing information.",
        starts_on=started_on,
        ends_on=started_on + dt.timedelta(days=7),
        act="adopt",
    )
    DataPointFactory(
        measure=MeasureFactory(initiative=initiative),
        date=started_on + dt.timedelta(days=1),
    )
    if reviewed:
        at = dt.datetime.combine(started_on + dt.timedelta(days=7), dt.time(12))
        initiative.reviewed_at = timezone.make_aware(at)
        initiative.save(update_fields=["reviewed_at"])
    return initiative
