"""People, organisations and cohorts in the admin.

What the programme manager does here goes through the same services as the product's pages,
with the same refusals and an audit event: people's names and roles (`person_save`), who
supports a participant (`participant_supporters_change`, which tells them), their details and
attendance, organisation details, cohort dates and places. Everything a participant, line
manager, sponsor or education lead does (Expressions of Interest and their decisions, sponsor
meetings, shared contacts, workshop consent) is read-only here: it changes only through its
service, in the product."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from i2i import audit
from i2i.admin_site import (
    DeletionSummaryMixin,
    ProgrammeRecordAdmin,
    ProgrammeRecordInline,
    RowsReadOnceFormSet,
)
from i2i.forms import OneRowChoiceField, add_service_errors
from participants import recruitment, services
from participants.models import (
    Cohort,
    CohortPlaces,
    EducationLead,
    EOIEvent,
    EqualityMonitoring,
    ExpressionOfInterest,
    HostPerson,
    Organisation,
    Participant,
    SharedContact,
    SponsorMeeting,
    User,
    WorkshopConsent,
)


class NotOneselfForm(forms.ModelForm):
    """Refuses, next to the field, naming oneself line manager or sponsor; the service refuses
    it again whichever way the change arrives. `by` is the person saving (`with_by`)."""

    by: User | None = None
    supporter_fields = ("line_manager", "sponsor")

    def clean(self):
        data = super().clean()
        changes = {
            name: (getattr(self.instance, f"{name}_id"), getattr(data[name], "pk", None))
            for name in self.supporter_fields
            if name in self.fields and name in data
        }
        try:
            services.refuse_self_as_supporter(by=self.by, changes=changes)
        except ValidationError as error:
            add_service_errors(self, error)
        return data


def with_by(form_class, request):
    """The admin's form class for this request, knowing who is saving."""
    return type(form_class.__name__, (form_class,), {"by": request.user})


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People's names, the programme manager role and whether they may sign in.

    A person's password and email are their own: nobody sets a password here (the reset email
    is the way: "Send a password reset email" below, or "Forgot your password?" on the sign-in
    page), and the email is changed by its owner on their account's email page. Superusers
    and technical staff are changed only by a superuser. People join by signing up or being
    nominated and leave through the erase page, so they are not added or deleted here."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_programme_manager", "is_active", "last_login"]
    list_filter = ["is_programme_manager", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password_note"]}),
        ("Roles", {"fields": ["is_programme_manager", "is_active"]}),
        (
            "Technical access",
            {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["email", "password_note", "last_login", "date_joined"]
    actions = ["send_password_reset"]

    @admin.display(description="password")
    def password_note(self, obj) -> str:
        return (
            "Chosen by them and known only to them. If they have forgotten it, send them a "
            "password reset email (from the list of people), or they use “Forgot your "
            "password?” on the sign-in page."
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        """The programme manager may look at superusers and technical staff but not change
        them: with their email or password they could sign in with more powers than their own."""
        if obj is not None and (obj.is_superuser or obj.is_staff) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        """A programme manager looks after people, but cannot hand out technical powers."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return fields

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied(
            "Passwords are set by their owner, through the password reset email."
        )

    def save_model(self, request, obj, form, change):
        services.person_save(person=obj, by=request.user)

    @admin.action(description="Send a password reset email")
    def send_password_reset(self, request, queryset):
        """allauth's reset email: the person chooses their new password from the link."""
        from allauth.account.forms import ResetPasswordForm

        sent = 0
        for person in queryset.filter(is_active=True):
            form = ResetPasswordForm(data={"email": person.email})
            if form.is_valid():
                form.save(request)
                audit.record("password_reset_sent", target=person, person_id=person.pk)
                sent += 1
        self.message_user(
            request, f"Password reset email sent to {sent} {'person' if sent == 1 else 'people'}."
        )


class EducationLeadInline(admin.TabularInline):
    """Added and removed (both audited as role changes), not re-pointed."""

    model = EducationLead
    extra = 0
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        # Each row is shown by its name, which reads the person and the organisation.
        return super().get_queryset(request).select_related("user", "organisation")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Organisation details, saved by `organisation_save` (audited). An organisation is not
    deleted: a duplicate is merged on the proposed-organisations page, one that has gone is
    made inactive."""

    form = NotOneselfForm
    list_display = ["name", "sector", "is_partner", "town", "is_active", "is_confirmed"]
    list_filter = ["sector", "is_partner", "is_active", "is_confirmed"]
    search_fields = ["name", "town"]
    inlines = [EducationLeadInline]
    autocomplete_fields = ["sponsor"]
    readonly_fields = ["proposed_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_form(self, request, obj=None, **kwargs):
        return with_by(super().get_form(request, obj, **kwargs), request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.organisation_save(organisation=obj, by=request.user)


@admin.register(EducationLead)
class EducationLeadAdmin(admin.ModelAdmin):
    """Added and removed (both audited as role changes), not re-pointed."""

    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def has_change_permission(self, request, obj=None):
        return False


class CohortPlacesInline(admin.TabularInline):
    """Shown with the cohort; set on the cohort's places page or under "Cohort places"."""

    model = CohortPlaces
    extra = 0
    fields = ["organisation", "places"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "cohort")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cohort)
class CohortAdmin(DeletionSummaryMixin, admin.ModelAdmin):
    """A cohort's dates and arrangements, saved by `cohort_save` (checked and audited). Only
    a cohort nobody has joined or applied to can be deleted (`cohort_delete`)."""

    list_display = ["name", "status", "programme_start", "programme_end", "workshop_date"]
    list_filter = ["status"]
    search_fields = ["name"]
    date_hierarchy = "programme_start"
    inlines = [CohortPlacesInline]
    # What the delete confirmation names: the cohort's participants, places and EOIs.
    deletion_name_relations = {
        "participants.Participant": ("user", "cohort"),
        "participants.CohortPlaces": ("organisation", "cohort"),
        "participants.ExpressionOfInterest": ("applicant", "cohort"),
    }
    # A cohort's places go with it; on their own they are set to 0, not deleted.
    deleted_with = frozenset({"participants.CohortPlaces"})

    def save_model(self, request, obj, form, change):
        services.cohort_save(cohort=obj, by=request.user)

    def delete_model(self, request, obj):
        services.cohort_delete(cohort=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for cohort in queryset:
            services.cohort_delete(cohort=cohort, by=request.user)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    """Who supports a participant, their details and their attendance, each through its
    service. A participant joins by being selected (`recruitment.eoi_decide`) and leaves
    through the erase page, so they are not added or deleted here, and their person, cohort
    and employer (which the rules count from) are not changed here."""

    form = NotOneselfForm
    list_display = [
        "user",
        "cohort",
        "organisation",
        "line_manager",
        "sponsor",
        "briefing_attended",
        "workshop_attended",
    ]
    # Attendance is recorded for a whole cohort at once, like a register.
    list_editable = ["briefing_attended", "workshop_attended"]
    list_filter = ["cohort", "organisation", "profession", "briefing_attended", "workshop_attended"]
    search_fields = ["user__email", "user__full_name", "job_title", "profession"]
    fields = [
        "user",
        "cohort",
        "organisation",
        "profession",
        "job_title",
        "line_manager",
        "sponsor",
        "briefing_attended",
        "workshop_attended",
    ]
    readonly_fields = ["user", "cohort", "organisation"]
    autocomplete_fields = ["line_manager", "sponsor"]
    list_select_related = ["user", "cohort", "organisation", "line_manager", "sponsor"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).with_people()

    def get_form(self, request, obj=None, **kwargs):
        return with_by(super().get_form(request, obj, **kwargs), request)

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=RowsReadOnceFormSet, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in {"line_manager", "sponsor"}:
            kwargs["form_class"] = OneRowChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """The change page and the register's rows both arrive here; each part of a change
        goes to the service that owns it."""
        data, changed = form.cleaned_data, set(form.changed_data)
        if changed & {"line_manager", "sponsor"}:
            services.participant_supporters_change(
                participant=obj,
                by=request.user,
                line_manager=data["line_manager"],
                sponsor=data["sponsor"],
            )
        if changed & {"profession", "job_title"}:
            services.participant_details_change(
                participant=obj,
                by=request.user,
                profession=data["profession"],
                job_title=data["job_title"],
            )
        if changed & {"briefing_attended", "workshop_attended"}:
            recruitment.attendance_record(
                cohort=obj.cohort,
                by=request.user,
                register={obj.pk: (data["briefing_attended"], data["workshop_attended"])},
            )


@admin.register(CohortPlaces)
class CohortPlacesAdmin(admin.ModelAdmin):
    """Places per partner organisation, through `recruitment.places_set` (audited), as on the
    cohort's places page. No places is 0, not a deleted row."""

    list_display = ["cohort", "organisation", "places"]
    list_filter = ["cohort"]
    search_fields = ["organisation__name"]
    list_select_related = ["cohort", "organisation"]
    autocomplete_fields = ["organisation"]

    def get_readonly_fields(self, request, obj=None):
        return ["cohort", "organisation"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        recruitment.places_set(
            cohort=obj.cohort, by=request.user, places={obj.organisation_id: obj.places}
        )
        obj.pk = (
            CohortPlaces.objects.filter(cohort=obj.cohort, organisation_id=obj.organisation_id)
            .values_list("pk", flat=True)
            .get()
        )


class EOIEventInline(ProgrammeRecordInline):
    model = EOIEvent
    fields = ["action", "by", "at", "comment"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(ProgrammeRecordAdmin):
    """Changed only by the applicant, their line manager and the education lead, through the
    recruitment services: selecting creates the participant and records the event."""

    list_display = ["__str__", "organisation", "status", "support", "shortlisted", "decision"]
    list_filter = ["cohort", "organisation", "status", "support", "decision"]
    search_fields = ["applicant__full_name", "applicant__email", "nominee_email", "job_title"]
    list_select_related = ["applicant", "cohort", "organisation"]
    inlines = [EOIEventInline]


@admin.register(EOIEvent)
class EOIEventAdmin(ProgrammeRecordAdmin):
    list_display = ["at", "eoi", "action", "by"]
    list_filter = ["action"]
    search_fields = ["eoi__applicant__full_name"]
    list_select_related = ["eoi__applicant", "eoi__cohort", "by"]
    # In the order the page has always shown them (History's fields come first in the model).
    fields = ["eoi", "action", "by", "comment"]


@admin.register(SponsorMeeting)
class SponsorMeetingAdmin(ProgrammeRecordAdmin):
    """Recorded by the participant's sponsor (`recruitment.sponsor_meeting_record`)."""

    list_display = ["participant", "met_on", "recorded_by"]
    list_filter = ["participant__cohort"]
    search_fields = ["participant__user__full_name"]
    list_select_related = ["participant__user", "participant__cohort", "recorded_by"]


@admin.register(SharedContact)
class SharedContactAdmin(ProgrammeRecordAdmin):
    """Shared by the participant's sponsor (`recruitment.contact_share`)."""

    list_display = ["name", "organisation", "participant", "shared_by"]
    list_filter = ["organisation__sector"]
    search_fields = ["name", "organisation__name", "participant__user__full_name"]
    list_select_related = ["organisation", "participant__user", "participant__cohort", "shared_by"]


@admin.register(WorkshopConsent)
class WorkshopConsentAdmin(ProgrammeRecordAdmin):
    """The participant's own choice of what goes in the workshop pack: nobody else makes it."""

    list_display = ["participant", "include", "include_learning", "include_initiative"]
    list_filter = ["include", "participant__cohort"]
    search_fields = ["participant__user__full_name"]
    list_select_related = ["participant__user", "participant__cohort"]


@admin.register(EqualityMonitoring)
class EqualityMonitoringAdmin(ProgrammeRecordAdmin):
    """Registered so that nothing is missed, and shows nothing: not the answers (the
    personal-data registry marks them private, so no lookup reaches them either) and not whose
    they are. They are read only as counts of five or more (`participants.equality`)."""

    list_display = ["__str__", "updated_at"]
    list_filter = ["eoi__cohort"]
    search_fields = ["eoi__cohort__name"]
    fields = ["updated_at"]


@admin.register(HostPerson)
class HostPersonAdmin(ProgrammeRecordAdmin):
    """Added by the programme manager on the organisation's page (issue #20)."""

    list_display = ["user", "organisation", "added_at"]
    list_filter = ["organisation__sector"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
