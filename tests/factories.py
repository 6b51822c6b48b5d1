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
