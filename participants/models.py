"""People, organisations and cohorts: who takes part in I2I, and where they work."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format

from i2i import dates, rules
from i2i.models import History
from i2i.names import name_key, normalise_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Users must have an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: participants, line managers, sponsors, education leads and
    the programme manager. Keyed by email, because that is how NHS and council staff
    are reached; one person may hold several roles."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_programme_manager = models.BooleanField(
        default=False,
        help_text="Runs the whole partnership's cohorts; may use the admin.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Technical staff who may use the admin (not a programme role)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_any_case",
                violation_error_message="A user with this email address already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


def user_display(user) -> str:
    return str(user)


class Sector(models.TextChoices):
    """The sectors the leaflet lists as places a placement could be."""

    ACUTE = "acute", "Acute"
    SOCIAL_CARE = "social_care", "Social Care"
    COMMUNITY = "community", "Community"
    MENTAL_HEALTH = "mental_health", "Mental Health"
    ALLIED_HEALTH = "allied_health", "Allied Health Professions"
    CARE_SECTOR = "care_sector", "Care Sector"
    GP_PRACTICE = "gp_practice", "GP Practice"
    POLICE = "police", "Police"
    PVI = "pvi", "Private/Voluntary/Independent"
    LOCAL_GOVERNMENT = "local_government", "Local Government"
    HOUSING = "housing", "Housing"
    PRISONS = "prisons", "Prisons"
    OTHER = "other", "Other"


class OrganisationQuerySet(models.QuerySet):
    def named(self, name: str) -> OrganisationQuerySet:
        """The organisation with this name however it is typed (see `name_key`): the one way
        to look an organisation up by name."""
        return self.filter(name_key=name_key(name))

    # The key follows the name on every way of writing one, not only save().

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for organisation in objs:
            organisation.set_name(organisation.name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if "name" in fields:
            for organisation in objs:
                organisation.set_name(organisation.name)
            fields.append("name_key")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if "name" in kwargs:
            if not isinstance(kwargs["name"], str):
                raise TypeError(
                    "Rename organisations with a plain string, so the name key follows."
                )
            kwargs["name"] = normalise_name(kwargs["name"])
            kwargs["name_key"] = name_key(kwargs["name"])
        return super().update(**kwargs)


def validate_clearances(value) -> None:
    """The checks a host or an offer needs, as the admin's raw JSON may be typed: a list of
    the codes `rules.Clearance` knows, so no page meets a check it cannot name."""
    known = [c.value for c in rules.Clearance]
    if not isinstance(value, list) or any(code not in known for code in value):
        raise ValidationError(
            f'Enter a list of checks from: {", ".join(known)} (for example ["dbs"]).'
        )


class Organisation(models.Model):
    """An employer of participants, a host of placements, or both."""

    name = models.CharField(max_length=200)
    # One organisation, one key: the unique index is what stops a duplicate, on either
    # database. Always set from the name (set_name); never edited by hand.
    name_key = models.TextField(
        unique=True,
        editable=False,
        error_messages={"unique": "An organisation with this name already exists."},
    )
    sector = models.CharField(max_length=32, choices=Sector.choices)
    is_partner = models.BooleanField(
        "partner employer",
        default=False,
        help_text="A partner employer of the workforce partnership, with places on cohorts.",
    )
    town = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField("active", default=True)
    # A participant may propose a host organisation that is not in the directory yet;
    # the programme manager confirms it or merges it into an existing one.
    is_confirmed = models.BooleanField(
        "confirmed", default=True, help_text="Checked by the programme manager."
    )
    proposed_by = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sponsor = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_organisations",
        help_text="Meets each selected participant; named as their sponsor.",
    )

    # From the official registers (issue #20's import): the NHS Organisation Data Service
    # code and the CQC location id key an organisation, so a second import updates it.
    ods_code = models.CharField("ODS code", max_length=12, blank=True)
    cqc_location_id = models.CharField("CQC location ID", max_length=20, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    registers_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Codes from `i2i.rules.Clearance`: checks every visitor to this host needs, whatever
    # the offer (an offer may add its own).
    required_clearances = models.JSONField(
        "checks every visitor needs", default=list, blank=True, validators=[validate_clearances]
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~models.Q(ods_code=""),
                name="organisation_ods_code_once",
                violation_error_message="Another organisation has this ODS code.",
            ),
            models.UniqueConstraint(
                fields=["cqc_location_id"],
                condition=~models.Q(cqc_location_id=""),
                name="organisation_cqc_location_once",
                violation_error_message="Another organisation has this CQC location ID.",
            ),
            # A name written past the Python above (raw SQL) would leave the key empty.
            models.CheckConstraint(
                condition=models.Q(name="") | ~models.Q(name_key=""),
                name="organisation_name_key_set",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.set_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.set_name(self.name)
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        self.set_name(self.name)
        clash = Organisation.objects.named(self.name).exclude(pk=self.pk).first()
        if clash:
            raise ValidationError(
                {
                    "name": f"“{clash.name}” is already in the directory. "
                    "Names that differ only by capital letters or spaces are the same organisation."
                }
            )

    def set_name(self, name: str) -> None:
        self.name = normalise_name(name)
        self.name_key = name_key(self.name)


class EducationLead(models.Model):
    """An organisation's education lead runs its selection of participants."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="education_lead_roles")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="education_leads"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="education_lead_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} (education lead, {self.organisation})"


class HostPerson(models.Model):
    """The named person at a host organisation who welcomes visitors. They sign in with an
    emailed code, not a password (issue #20), and see only their organisation's visits."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="host_roles")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="host_people"
    )
    added_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="host_person_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} (host, {self.organisation})"


class CohortStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    RECRUITING = "recruiting", "Recruiting"
    RUNNING = "running", "Running"
    CLOSED = "closed", "Closed"


class CohortQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            participant_count=models.Count("participants", distinct=True),
            organisation_count=models.Count("participants__organisation", distinct=True),
        )


# A milestone falls within the six-month window: 26 whole weeks.
MILESTONE_MAX_WEEK = 26


class Cohort(models.Model):
    """A group of participants who start together, meet at a briefing and share at a workshop."""

    name = models.CharField(max_length=120, unique=True)
    programme_start = models.DateField(
        help_text="The six-month window for placements starts on this date."
    )
    briefing_date = models.DateField(null=True, blank=True)
    briefing_time = models.TimeField(null=True, blank=True)
    briefing_place = models.CharField(max_length=200, blank=True)
    workshop_date = models.DateField(null=True, blank=True)
    workshop_time = models.TimeField(null=True, blank=True)
    workshop_place = models.CharField(max_length=200, blank=True)
    workshop_agenda = models.TextField(
        "workshop agenda",
        blank=True,
        help_text="Printed in the workshop pack; one item a line, for example “10:00 Welcome”.",
        max_length=4000,
    )
    eoi_opens = models.DateField("Expressions of Interest open", null=True, blank=True)
    eoi_closes = models.DateField("Expressions of Interest close", null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=CohortStatus.choices, default=CohortStatus.PLANNING
    )
    # The milestones (`i2i.rules.Milestones`): the programme's defaults, changed per cohort by
    # the programme manager. Behind one, a participant is at risk with the milestone named.
    first_placement_week = models.PositiveSmallIntegerField(
        "first placement agreed by week",
        default=rules.FIRST_PLACEMENT_WEEK,
        validators=[MinValueValidator(1), MaxValueValidator(MILESTONE_MAX_WEEK)],
        help_text="Weeks from the programme start; the first placement agreed with its host.",
    )
    three_placements_week = models.PositiveSmallIntegerField(
        "three placements arranged by week",
        default=rules.THREE_PLACEMENTS_WEEK,
        validators=[MinValueValidator(1), MaxValueValidator(MILESTONE_MAX_WEEK)],
    )
    outcomes_weeks_before = models.PositiveSmallIntegerField(
        "learning outcomes agreed this many weeks before a placement's first half-day",
        default=rules.OUTCOMES_WEEKS_BEFORE,
        validators=[MaxValueValidator(MILESTONE_MAX_WEEK)],
    )
    half_days_week = models.PositiveSmallIntegerField(
        f"{rules.HALF_DAYS_BY_MILESTONE} half-days completed by week",
        default=rules.HALF_DAYS_MILESTONE_WEEK,
        validators=[MinValueValidator(1), MaxValueValidator(MILESTONE_MAX_WEEK)],
        help_text="Week 13 is half-way through the six months.",
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-programme_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(eoi_opens__isnull=True)
                | models.Q(eoi_closes__isnull=True)
                | models.Q(eoi_closes__gte=models.F("eoi_opens")),
                name="cohort_eoi_closes_after_opening",
                violation_error_message="Expressions of Interest must close on or after they open.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def programme_end(self) -> dt.date:
        return rules.window_end(self.programme_start)

    @property
    def milestones(self) -> rules.Milestones:
        return rules.milestones(
            self.first_placement_week,
            self.three_placements_week,
            self.outcomes_weeks_before,
            self.half_days_week,
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.eoi_opens and self.eoi_closes and self.eoi_closes < self.eoi_opens:
            errors["eoi_closes"] = "Enter a closing date on or after the opening date."
        today = timezone.localdate()
        back, ahead = dates.PROGRAMME_START_YEARS
        first_start, last_start = dates.years_back(today, back), dates.years_back(today, -ahead)
        if dates.outside(self.programme_start, first_start, last_start):
            errors["programme_start"] = (
                f"Enter a programme start date {dates.between(first_start, last_start)}."
            )
        elif self.programme_start:
            end = self.programme_end
            # Expressions of Interest come before the programme: people are selected, meet
            # their sponsor and attend the briefing at the start (`i2i.dates`).
            first_open = rules.add_months(self.programme_start, -dates.RECRUITMENT_MONTHS)
            for field, what in (("eoi_opens", "an opening"), ("eoi_closes", "a closing")):
                if field not in errors and dates.outside(
                    getattr(self, field), first_open, self.programme_start
                ):
                    errors[field] = (
                        f"Enter {what} date {dates.between(first_open, self.programme_start)}: "
                        "Expressions of Interest are made in the year before the programme "
                        "starts."
                    )
            earliest_workshop = self.programme_start + dt.timedelta(weeks=8)
            if self.workshop_date and self.workshop_date < self.programme_start:
                errors["workshop_date"] = (
                    "Enter a workshop date after the programme starts "
                    f"({date_format(self.programme_start)}); "
                    "the workshop comes after the placements."
                )
            elif self.workshop_date and self.workshop_date < earliest_workshop:
                # The self-assessment is answered in the first four weeks and again from
                # four weeks before the workshop: the two must not overlap.
                errors["workshop_date"] = (
                    "Enter a workshop date at least eight weeks after the programme starts "
                    f"(on or after {date_format(earliest_workshop)}): the placements come "
                    "before it, and the self-assessment is answered in the first four weeks "
                    "and again in the four weeks before the workshop."
                )
            # Both near the programme: the briefing before (or early in) the window, the
            # workshop after the placements (`i2i.dates.COHORT_MARGIN_MONTHS`).
            latest_workshop = rules.add_months(end, dates.COHORT_MARGIN_MONTHS)
            if self.workshop_date and self.workshop_date > latest_workshop:
                errors["workshop_date"] = (
                    "Enter a workshop date "
                    f"{dates.between(earliest_workshop, latest_workshop)}, after the "
                    "placements and within six months of the programme window's end."
                )
            earliest_briefing = rules.add_months(self.programme_start, -dates.COHORT_MARGIN_MONTHS)
            if dates.outside(self.briefing_date, earliest_briefing, end):
                errors["briefing_date"] = (
                    f"Enter a briefing date {dates.between(earliest_briefing, end)}: from six "
                    "months before the programme starts to the end of its window."
                )
            elif (
                self.briefing_date
                and self.workshop_date
                and self.briefing_date >= self.workshop_date
                and "workshop_date" not in errors
            ):
                errors["briefing_date"] = (
                    "Enter a briefing date before the workshop "
                    f"({date_format(self.workshop_date)}): the briefing starts the programme."
                )
        if (
            self.first_placement_week
            and self.three_placements_week
            and self.three_placements_week < self.first_placement_week
        ):
            errors["three_placements_week"] = (
                f"Enter a week on or after the first placement's (week "
                f"{self.first_placement_week}): three placements come after the first."
            )
        if errors:
            raise ValidationError(errors)


class ParticipantQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("user", "cohort", "organisation", "line_manager", "sponsor")


class Participant(models.Model):
    """A member of staff taking part in one cohort."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="participations")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="participants")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name="employing organisation",
    )
    profession = models.CharField(max_length=100)
    job_title = models.CharField(max_length=150)
    line_manager = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="managed_participants",
        null=True,
        blank=True,
    )
    sponsor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="sponsored_participants",
        null=True,
        blank=True,
    )
    # Recorded by the programme manager; unknown until then.
    briefing_attended = models.BooleanField(null=True, blank=True)
    workshop_attended = models.BooleanField(null=True, blank=True)
    # Peers in the cohort see name, role and employer; the email only when this is chosen.
    show_email_to_peers = models.BooleanField(
        default=False, verbose_name="show my email address to others in my cohort"
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "cohort"], name="participant_once_per_cohort"),
            models.CheckConstraint(
                condition=~models.Q(line_manager=models.F("user")),
                name="participant_not_own_line_manager",
                violation_error_message="A participant cannot be their own line manager.",
            ),
            models.CheckConstraint(
                condition=~models.Q(sponsor=models.F("user")),
                name="participant_not_own_sponsor",
                violation_error_message="A participant cannot be their own sponsor.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.cohort})"

    def clean(self):
        super().clean()
        errors = {}
        if self.user_id and self.line_manager_id == self.user_id:
            errors["line_manager"] = "Choose someone other than the participant as line manager."
        if self.user_id and self.sponsor_id == self.user_id:
            errors["sponsor"] = "Choose someone other than the participant as sponsor."
        if errors:
            raise ValidationError(errors)


class CohortPlaces(models.Model):
    """How many places a partner organisation has on a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="places")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    places = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "organisation"], name="cohort_places_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.places} places on {self.cohort}"


class ExpressionOfInterest(models.Model):
    """A member of staff's application to a cohort, judged by their education lead against
    the leaflet's criteria ("Who can participate?")."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    class Support(models.TextChoices):
        NOT_ASKED = "not_asked", "Not asked yet"
        PENDING = "pending", "Waiting for line manager"
        CONFIRMED = "confirmed", "Supported by line manager"
        DECLINED = "declined", "Not supported by line manager"

    class Decision(models.TextChoices):
        UNDECIDED = "", "No decision yet"
        SELECTED = "selected", "Selected"
        NOT_SELECTED = "not_selected", "Not selected"

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="eois")
    applicant = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="eois", null=True, blank=True
    )
    # A nominated member of staff who has not signed in yet is known by their email.
    nominee_email = models.EmailField(blank=True)
    nominated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="eois", verbose_name="employer"
    )
    profession = models.CharField(max_length=100, blank=True)
    registration_body = models.CharField(
        "professional registration body",
        max_length=100,
        blank=True,
        help_text="For example NMC, HCPC, Social Work England, GMC.",
    )
    registration_number = models.CharField(max_length=50, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    band = models.CharField("band or grade", max_length=50, blank=True)
    qualified_on = models.DateField("date you qualified", null=True, blank=True)
    performing_well = models.BooleanField(
        "was your performance rated as good or better at your last appraisal?",
        null=True,
        blank=True,
    )
    last_appraisal_on = models.DateField("date of your last appraisal", null=True, blank=True)
    aiming_senior = models.BooleanField(
        "are you aiming for a more senior role within about the next 12 months?",
        null=True,
        blank=True,
    )
    senior_role = models.CharField("which role", max_length=200, blank=True)
    why = models.TextField("why do you want to take part?", blank=True, max_length=4000)
    discussed_with_line_manager = models.BooleanField(
        "I have discussed taking part with my line manager", default=False
    )
    line_manager_email = models.EmailField("your line manager's email", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    support = models.CharField(max_length=10, choices=Support.choices, default=Support.NOT_ASKED)
    support_comment = models.TextField(blank=True, max_length=4000)
    support_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    support_at = models.DateTimeField(null=True, blank=True)
    shortlisted = models.BooleanField(default=False)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True, default="")
    decision_reason = models.TextField(blank=True, max_length=4000)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    participant = models.OneToOneField(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="eoi"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Expression of Interest"
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant"],
                name="eoi_once_per_cohort",
                violation_error_message="You already have an Expression of Interest for this "
                "cohort.",
            ),
            models.CheckConstraint(
                condition=models.Q(applicant__isnull=False) | ~models.Q(nominee_email=""),
                name="eoi_has_an_applicant_or_nominee",
            ),
        ]

    def __str__(self) -> str:
        who = self.applicant or self.nominee_email
        return f"EOI: {who} for {self.cohort}"

    @property
    def applicant_label(self) -> str:
        return str(self.applicant) if self.applicant else self.nominee_email


class EOIEvent(History):
    """The history of an Expression of Interest: nothing about a decision changes silently."""

    class Action(models.TextChoices):
        NOMINATED = "nominated", "Nominated"
        SUBMITTED = "submitted", "Submitted"
        SUPPORT_CONFIRMED = "support_confirmed", "Line manager confirmed support"
        SUPPORT_DECLINED = "support_declined", "Line manager declined support"
        SHORTLISTED = "shortlisted", "Shortlisted"
        UNSHORTLISTED = "unshortlisted", "Removed from the shortlist"
        SELECTED = "selected", "Selected"
        NOT_SELECTED = "not_selected", "Not selected"

    eoi = models.ForeignKey(ExpressionOfInterest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)


class SponsorMeeting(models.Model):
    """The sponsor meets each selected participant: why the organisation takes part, and
    contacts to help set up placements (the leaflet's "Plan")."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="sponsor_meetings"
    )
    met_on = models.DateField("date of the meeting")
    notes = models.TextField(blank=True, max_length=4000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-met_on"]

    def __str__(self) -> str:
        return f"Sponsor meeting with {self.participant.user} on {self.met_on}"


class SharedContact(models.Model):
    """A contact the sponsor shares for a possible placement."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="shared_contacts"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=300, blank=True)
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class WorkshopConsent(models.Model):
    """What of theirs a participant chooses to put in the cohort's workshop pack."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="workshop_consent"
    )
    include = models.BooleanField("include a section about me in the workshop pack", default=False)
    include_learning = models.BooleanField(
        "the learning I chose to share from my reflective accounts", default=True
    )
    include_initiative = models.BooleanField("my service improvement initiative", default=True)
    include_ideas = models.BooleanField("my ideas for improving I2I", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Workshop pack consent: {self.participant}"


class EqualityMonitoring(models.Model):
    """An applicant's optional equality monitoring answers (issue 19, item 8), kept apart from
    their Expression of Interest so that nobody deciding on it can read them. No page shows
    one person's answers, not even to the programme manager: they are counted only, five or
    more to a cell (`participants.equality`). Blank is "not answered"."""

    class AgeBand(models.TextChoices):
        UNDER_25 = "16_24", "16 to 24"
        FROM_25 = "25_34", "25 to 34"
        FROM_35 = "35_44", "35 to 44"
        FROM_45 = "45_54", "45 to 54"
        FROM_55 = "55_64", "55 to 64"
        FROM_65 = "65_over", "65 or over"
        PREFER_NOT = "prefer_not_to_say", "Prefer not to say"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        PREFER_NOT = "prefer_not_to_say", "Prefer not to say"

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT = "prefer_not_to_say", "Prefer not to say"

    class SexualOrientation(models.TextChoices):
        STRAIGHT = "straight", "Straight or heterosexual"
        GAY = "gay_lesbian", "Gay or lesbian"
        BISEXUAL = "bisexual", "Bisexual"
        OTHER = "other", "Other sexual orientation"
        PREFER_NOT = "prefer_not_to_say", "Prefer not to say"

    class EthnicGroup(models.TextChoices):
        """The ONS 2021 Census high-level ethnic groups, England."""

        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Other ethnic group"
        PREFER_NOT = "prefer_not_to_say", "Prefer not to say"

    class Religion(models.TextChoices):
        """The ONS 2021 Census religion question's answers."""

        NONE = "none", "No religion"
        CHRISTIAN = "christian", "Christian (all denominations)"
        BUDDHIST = "buddhist", "Buddhist"
        HINDU = "hindu", "Hindu"
        JEWISH = "jewish", "Jewish"
        MUSLIM = "muslim", "Muslim"
        SIKH = "sikh", "Sikh"
        OTHER = "other", "Any other religion or belief"
        PREFER_NOT = "prefer_not_to_say", "Prefer not to say"

    class MarriageCivilPartnership(models.TextChoices):
        SINGLE = "single", "Never married and never in a civil partnership"
        MARRIED = "married", "Married"
        CIVIL = "civil_partnership", "In a civil partnership"
        SEPARATED = "separated", "Separated, still legally married or in a civil partnership"
        ENDED = "ended", "Divorced, civil partnership dissolved, or widowed"
        PREFER_NOT = "prefer_not_to_say", "Prefer not to say"

    eoi = models.OneToOneField(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="equality_monitoring"
    )
    age_band = models.CharField("age", max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField("sex", max_length=20, choices=Sex.choices, blank=True)
    gender_same_as_birth = models.CharField(
        "is the gender you identify with the same as your sex registered at birth?",
        max_length=20,
        choices=YesNo.choices,
        blank=True,
    )
    sexual_orientation = models.CharField(
        "sexual orientation", max_length=20, choices=SexualOrientation.choices, blank=True
    )
    ethnic_group = models.CharField(
        "ethnic group", max_length=20, choices=EthnicGroup.choices, blank=True
    )
    religion = models.CharField(
        "religion or belief", max_length=20, choices=Religion.choices, blank=True
    )
    disability = models.CharField(
        "do you consider yourself to have a disability, as the Equality Act 2010 defines it?",
        max_length=20,
        choices=YesNo.choices,
        blank=True,
    )
    pregnancy_maternity = models.CharField(
        "are you pregnant, or have you given birth in the last 26 weeks?",
        max_length=20,
        choices=YesNo.choices,
        blank=True,
    )
    marriage_civil_partnership = models.CharField(
        "marriage and civil partnership",
        max_length=20,
        choices=MarriageCivilPartnership.choices,
        blank=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "equality monitoring"
        verbose_name_plural = "equality monitoring"

    def __str__(self) -> str:
        # Never the person: the admin lists these rows, and who answered is nobody's business.
        return f"Equality monitoring #{self.pk}"
