"""The admin site, and what keeps it inside the product's privacy and rules.

The admin is the programme manager's tool for the few things the product's pages do not do
(see each app's admin.py). It must not become a way round the product:

- **Private text is never looked up.** A list filter that answers "1 result" or "0 results"
  reads text letter by letter (`?answers__personal_learning__startswith=a`, then `=ab`…), so
  every ModelAdmin on this site, Django's and allauth's included, refuses any query-string
  lookup that touches a field in `UNSEARCHABLE_FIELDS` or one the personal-data registry
  marks private (Django answers 400), and `tests/test_admin.py` fails if one is named in
  `search_fields`, `list_filter`, `ordering`, `date_hierarchy` or a sortable column. Private
  fields are not even shown.
- **Programme records change only through their services.** `ProgrammeRecordAdmin` (and
  `ProgrammeRecordInline`) offer no add, change or delete to anyone: the services keep the
  rules (the window, outcomes approved before a half-day, a decision row for every decision)
  and write the audit trail, and the admin would do neither.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models.base import ModelBase

# Text only its writer and the people the product shows it to ever read: what a participant
# wrote in a reflective account (live or as shared), their self-assessment, what their line
# manager said back about it, and secrets that are no one's to read. The programme manager
# never reads these in the product, so the admin neither shows nor looks them up. The
# personal-data registry's `private` fields are added to these (`private_field_labels`).
PRIVATE_FIELDS = frozenset(
    {
        "reflections.ReflectiveAccount.answers",
        "reflections.ReflectiveAccount.outcome_ratings",
        "reflections.ReflectiveAccount.code_themes",
        "reflections.ReflectiveAccount.principles",
        "reflections.ReflectiveAccount.workshop_learning",
        "reflections.ReflectiveAccount.shared_version",
        "reflections.AccountEvent.comment",
        "evaluation.SelfAssessmentAnswer.value",
        "participants.User.password",
        "mfa.Authenticator.data",
        "sessions.Session.session_data",
    }
)

# Never searched, filtered or ordered by, though the admin may show them where the product
# shows them to the programme manager: comments on decisions (the line manager's on
# outcomes and initiatives, on an Expression of Interest and its events), what an applicant
# wrote about themselves, the sponsor's notes, and the audit trail's details (which quote
# comments). Reading one record is the product's business; finding everyone whose line
# manager wrote a word is not.
UNSEARCHABLE_FIELDS = PRIVATE_FIELDS | {
    "placements.OutcomesDecision.comment",
    "placements.OutcomesDecision.outcomes_snapshot",
    "improvements.AgreementDecision.comment",
    "participants.EOIEvent.comment",
    "participants.ExpressionOfInterest.why",
    "participants.ExpressionOfInterest.support_comment",
    "participants.ExpressionOfInterest.decision_reason",
    "participants.SponsorMeeting.notes",
    "i2i.AuditEvent.detail",
    "i2i.Notification.body",
}


_MARKED_PRIVATE: set[str] = set()


def mark_private(labels) -> None:
    """Called by the personal-data registry's app when Django starts: the fields it marks
    private join `PRIVATE_FIELDS` (the kernel does not import the programme)."""
    _MARKED_PRIVATE.update(labels)


def private_field_labels() -> frozenset[str]:
    """`PRIVATE_FIELDS` and every field the personal-data registry marks private: never shown
    in the admin, never looked up."""
    return PRIVATE_FIELDS | frozenset(_MARKED_PRIVATE)


def unsearchable_field_labels() -> frozenset[str]:
    """Every field no admin searches, filters or orders by."""
    return UNSEARCHABLE_FIELDS | private_field_labels()


def fields_on_path(model, path: str) -> list[str]:
    """The fields a lookup, search or filter path passes through, as "app.Model.field":
    `placement__reflective_account__answers__icontains` is Placement.reflective_account and
    ReflectiveAccount.answers; what follows the last field (a JSON key, a transform, a
    lookup such as `icontains`) is not a field."""
    labels = []
    for part in path.lstrip("^=@-").split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        labels.append(f"{model._meta.label}.{field.name}")
        if not (field.is_relation and field.related_model):
            break
        model = field.related_model
    return labels


def touches_private(model, path: str) -> bool:
    """Whether a lookup, search or filter path passes through a field nobody looks up."""
    unsearchable = unsearchable_field_labels()
    return any(label in unsearchable for label in fields_on_path(model, path))


class PrivacyGuard:
    """Mixed into every ModelAdmin the site registers (`I2IAdminSite.register`): private
    fields are neither shown nor looked up, and no query string breaks an add form."""

    def _shown(self, name) -> bool:
        return f"{self.model._meta.label}.{name}" not in private_field_labels()

    def get_fieldsets(self, request, obj=None):
        return [
            (title, {**options, "fields": self._without_private(options["fields"])})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def _without_private(self, fields):
        kept = []
        for name in fields:
            if isinstance(name, (list, tuple)):
                row = self._without_private(name)
                if row:
                    kept.append(row)
            elif self._shown(name):
                kept.append(name)
        return kept

    def get_list_display(self, request):
        return [name for name in super().get_list_display(request) if self._shown(name)]

    # RemovedInDjango60Warning: `request` becomes required, as in Django's own signature.
    def lookup_allowed(self, lookup, value, request=None):
        """Django allows a query-string lookup on any field of the model itself (only
        lookups across relations must be list filters), so `?answers__icontains=` would
        filter reflective accounts by their text. A lookup through a private field is
        refused, whatever the value: Django then answers 400 and shows no list."""
        if touches_private(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changeform_initial_data(self, request):
        """Django fills an add form from the query string (`?organisation=3`). A value that
        is no row's key (`?organisation=abc`) made the autocomplete box a 500; it is dropped,
        and the box starts empty."""
        initial = super().get_changeform_initial_data(request)
        return {
            name: value
            for name, value in initial.items()
            if _a_key_or_not_a_relation(self.model, name, value)
        }


def _a_key_or_not_a_relation(model, name: str, value) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return True
    if not field.is_relation or field.target_field is None:
        return True
    try:
        for one in value if isinstance(value, list) else [value]:
            field.target_field.to_python(one)
    except ValidationError:
        return False
    return True


class ProgrammeRecordMixin:
    """A programme record that has a service: read in the admin, never added, changed or
    deleted there, by anyone. The services refuse what the programme does not allow (a
    half-day outside the window, outcomes approved without the line manager) and write the
    history and the audit trail; the admin would do neither."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        """Every field shown is read-only: an inline lists its `fields`, some of which (a
        decision's time) no form could hold."""
        return self.fields or super().get_readonly_fields(request, obj)


class ProgrammeRecordAdmin(ProgrammeRecordMixin, admin.ModelAdmin):
    pass


class ProgrammeRecordInline(ProgrammeRecordMixin, admin.TabularInline):
    """Give it `fields`: they are what it shows."""

    extra = 0


class _KnownRowField(forms.ModelChoiceField):
    """A list row's hidden id, found among the rows the formset read once."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self.rows().get(str(value))
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return row


class RowsReadOnceFormSet(forms.BaseModelFormSet):
    """The formset of a list's editable columns (`list_editable`, such as the attendance
    register). Django's checks each row's hidden id with its own query; this one looks it up
    among the rows the formset has already read, so saving a cohort's register reads its
    participants once."""

    def _rows(self) -> dict:
        if not hasattr(self, "_rows_by_pk"):
            self._rows_by_pk = {str(row.pk): row for row in self.get_queryset()}
        return self._rows_by_pk

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self._pk_field.name
        original = form.fields[name]
        form.fields[name] = _KnownRowField(
            original.queryset,
            initial=original.initial,
            required=original.required,
            widget=original.widget,
            rows=self._rows,
        )


# Single sign-on providers are configured from the environment (SOCIALACCOUNT_PROVIDERS),
# never from rows an admin could add; tokens are not stored; a person's link to their
# provider holds the provider's claims about them and goes when they are erased.
NOT_IN_ADMIN = frozenset(
    {"socialaccount.SocialApp", "socialaccount.SocialToken", "socialaccount.SocialAccount"}
)


class I2IAdminSite(admin.AdminSite):
    """The admin is the programme manager's tool for power tasks, not only technical staff's."""

    site_header = "I2I Cohorts administration"
    site_title = "I2I Cohorts admin"
    index_title = "Programme records"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin, ours or another app's (allauth's, Django's groups), refuses
        lookups on private fields. allauth's single sign-on records are not shown at all."""
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        model_or_iterable = [m for m in models if m._meta.label not in NOT_IN_ADMIN]
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, PrivacyGuard):
            admin_class = type(
                admin_class.__name__,
                (PrivacyGuard, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)

    def login(self, request, extra_context=None):
        """Sign in through allauth, so that two-factor authentication also guards the admin;
        a signed-in user without the programme manager role is refused (403)."""
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            raise PermissionDenied("The admin is for the programme manager.")
        return redirect_to_login(request.GET.get("next", self.index_url()))

    def password_change(self, request, extra_context=None):
        """One's own password is changed on allauth's page, which asks for the current one
        and emails to say it changed; nobody changes anyone else's (`UserAdmin`)."""
        from django.shortcuts import redirect

        return redirect("account_change_password")

    def index_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:index", current_app=self.name)

    def has_permission(self, request):
        # Django loads this site before the models, and `access` reads the models.
        from i2i.access import can_use_admin

        return can_use_admin(request.user)


class I2IAdminConfig(AdminConfig):
    default_site = "i2i.admin_site.I2IAdminSite"


class DeletionSummaryMixin:
    """The delete confirmation names every object that would go with the one deleted (or that
    stops it being deleted). Django's summary reads the related rows each name needs one
    object at a time; `deletion_name_relations` (model label → `select_related` paths that
    its `__str__` reads) has them fetched with the objects instead.

    `get_deleted_objects` is Django's (`django.contrib.admin.utils`) with that collector, and
    two differences in which permissions it asks for: none for the protected objects (they are
    not deleted, and naming them says why nothing can be), and none for the models in
    `deleted_with` (parts of the object, such as a cohort's places, which are not deleted on
    their own)."""

    deletion_name_relations: dict[str, tuple[str, ...]] = {}
    deleted_with: frozenset[str] = frozenset()

    def get_deleted_objects(self, objs, request):
        from django.contrib.admin.utils import NestedObjects, quote
        from django.db import router
        from django.urls import NoReverseMatch, reverse
        from django.utils.html import format_html
        from django.utils.text import capfirst

        relations = self.deletion_name_relations

        class Collector(NestedObjects):
            def related_objects(self, related_model, related_fields, objs):
                qs = super().related_objects(related_model, related_fields, objs)
                return qs.select_related(*relations.get(related_model._meta.label, ()))

        try:
            obj = objs[0]
        except IndexError:
            return [], {}, set(), []
        collector = Collector(using=router.db_for_write(obj._meta.model), origin=objs)
        collector.collect(objs)
        perms_needed = set()
        admin_site = self.admin_site

        deleted_with = self.deleted_with

        def format_callback(obj, check_permission=True):
            opts = obj._meta
            no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
            if not admin_site.is_registered(obj.__class__):
                return no_edit_link
            if (
                check_permission
                and opts.label not in deleted_with
                and not admin_site.get_model_admin(obj.__class__).has_delete_permission(
                    request, obj
                )
            ):
                perms_needed.add(opts.verbose_name)
            try:
                admin_url = reverse(
                    f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    None,
                    (quote(obj.pk),),
                )
            except NoReverseMatch:
                return no_edit_link
            return format_html(
                '{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), admin_url, obj
            )

        to_delete = collector.nested(format_callback)
        protected = [format_callback(obj, check_permission=False) for obj in collector.protected]
        model_count = {
            model._meta.verbose_name_plural: len(objs)
            for model, objs in collector.model_objs.items()
        }
        return to_delete, model_count, perms_needed, protected
