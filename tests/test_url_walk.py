"""Who may open which page: every URL pattern, as an anonymous visitor and as every role.

`EXPECTED` lists every URL pattern with the status each role gets: one code for a page that
names no object, "own/other" for one that does. "Own" is an object of `world.participant`
(their placement, half-day, reflective account, initiative, Expression of Interest, job…)
or of their cohort and employer; "other" is the same kind of object of
`world.other_participant`, or, where nobody owns it (the admin, a token), a missing one.
Any change in who may see what shows as a diff of this table, and a new page fails the
test until it has a row.
"""

# ruff: noqa: E501 -- the table is wider than a line of code, so that a row reads across.

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse

from i2i.models import Announcement, AnnouncementRecipient, Job
from improvements.models import (
    Attachment,
    ImplementationMilestone,
    PDSACycle,
    ServiceUserFeedback,
    TeamMember,
)
from participants.models import ExpressionOfInterest, Participant
from placements.models import Concern, PlacementOffer
from tests.factories import (
    ApprovedPlacementFactory,
    CohortFactory,
    DataPointFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    MeasureFactory,
    ReflectiveAccountFactory,
)

# Pages a person must reach before signing in (the issue: login, password reset, /healthz;
# and what allauth needs around them: sign-up, email confirmation, the second factor).
PUBLIC = {
    "healthz",
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_confirm_login_code",
    "account_request_login_code",
    "mfa_authenticate",
    # Single sign-on: off to the organisation's provider and back, and what allauth shows
    # when that is cancelled, fails, or needs a sign-up form.
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    # The host organisation confirms a half-day from a signed link, with no account.
    "half_day_confirm",
    # The privacy notice is for anyone.
    "privacy",
}


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def _sample_path(pattern: str, pk: int) -> str:
    path = re.sub(r"<int:\w+>", str(pk), pattern)
    path = re.sub(r"<path:\w+>", str(pk), path)
    path = re.sub(r"<uuid:\w+>", f"00000000-0000-0000-0000-{pk:012d}", path)
    path = re.sub(r"<str:\w+>", f"sample-{pk}", path)
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "participants", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "sample-1", path)
    return "/" + path.replace("^", "").replace("$", "")


ALL_PATTERNS = sorted(set(_walk(get_resolver())))


def test_the_walk_covers_the_products_pages():
    names = {name for _, name in ALL_PATTERNS}
    assert {"home", "organisation_list", "cohort_detail", "participant_detail"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "name"), ALL_PATTERNS)
def test_anonymous_visitors_are_sent_to_sign_in(client, pattern, name):
    if name in PUBLIC:
        response = client.get(_sample_path(pattern, 1))
        assert response.status_code < 500
        return
    response = client.get(_sample_path(pattern, 1), follow=True)
    final_path = response.redirect_chain[-1][0] if response.redirect_chain else None
    assert final_path is not None, f"{pattern} answered an anonymous visitor"
    assert final_path.startswith(reverse("account_login")), final_path


# The matrix -------------------------------------------------------------------------------

# Column → role: the participant and their line manager and sponsor; the education lead of
# their employer and of the other participant's; the other participant (same cohort, other
# employer); the programme manager; someone signed in who holds no role.
ROLES = {
    "P": "participant",
    "LM": "line_manager",
    "SP": "sponsor",
    "EL": "education_lead",
    "EL2": "other_education_lead",
    "P2": "other_participant",
    "PM": "programme_manager",
    "OUT": "outsider",
}

MISSING = 99999


def _patterns(resolver=None, path="", namespace=""):
    """Every URL pattern as (row name, path pattern): the row is named by the URL's name,
    with its namespace ("admin:index"), or by its path when it has no name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, path + str(pattern.pattern), inner)
        else:
            full = path + str(pattern.pattern)
            yield (f"{namespace}{pattern.name}" if pattern.name else full), full


MATRIX_PATTERNS = sorted(set(_patterns()))

# The kind of object an <int:…> (or <uuid:…>) names, from the path segment before it.
KINDS = {
    "announcements": "announcement",
    "attachments": "attachment",
    "cohorts": "cohort",
    "concerns": "concern",
    "placement-concerns": "placement",
    "start": "cohort",
    "expressions-of-interest": "eoi",
    "half-days": "half_day",
    "jobs": "job",
    "organisations": "organisation",
    "participants": "participant",
    "cycles": "cycle",
    "data": "data_point",
    "feedback": "feedback",
    "measures": "measure",
    "milestones": "milestone",
    "team": "team_member",
    "people": "user",
    "placements": "placement",
    "offers": "offer",
    "reflections": "account",
}


def _belongings(participant) -> dict:
    """One object of each kind that belongs to the participant, by kind: their pks."""
    placement = ApprovedPlacementFactory(participant=participant)
    half_day = HalfDayFactory(placement=placement)
    account = ReflectiveAccountFactory(placement=placement)
    initiative = ImprovementInitiativeFactory(participant=participant)
    measure = MeasureFactory(initiative=initiative)
    data_point = DataPointFactory(measure=measure)
    cycle = PDSACycle.objects.create(
        initiative=initiative,
        number=1,
        change="A shared transfer summary on one ward.",
        prediction="Fewer calls to chase information.",
        starts_on=dt.date(2027, 3, 8),
    )
    eoi = ExpressionOfInterest.objects.create(
        cohort=participant.cohort,
        applicant=participant.user,
        organisation=participant.organisation,
        line_manager_email=participant.line_manager.email,
        status="submitted",
    )
    job = Job.objects.create(
        kind="reflective_account_pdf",
        owner=participant.user,
        title="Reflective account",
        status="done",
        filename="account.pdf",
    )
    job.file.save("account.pdf", ContentFile(b"%PDF-1.4"), save=True)
    attachment = Attachment(
        initiative=initiative, name="board.pdf", content_type="application/pdf", size=8
    )
    attachment.file.save("board.pdf", ContentFile(b"%PDF-1.4"), save=True)
    feedback = ServiceUserFeedback.objects.create(
        initiative=initiative, question="Did you know who would visit?", how_many=5, summary="Yes"
    )
    team_member = TeamMember.objects.create(initiative=initiative, name="Robin Ward")
    milestone = ImplementationMilestone.objects.create(
        initiative=initiative, title="Train the night staff", due_on=dt.date(2027, 5, 3)
    )
    # Raised by the line manager: the participant does not see it (access.visible_concerns).
    concern = Concern.objects.create(
        placement=placement,
        kind="conduct",
        description="Left the ward without telling anyone.",
        raised_by=participant.line_manager,
        raised_as="line manager",
    )
    offer = PlacementOffer.objects.create(
        organisation=participant.organisation, title="A morning with us", description="Shadowing."
    )
    return {
        "feedback": feedback.pk,
        "offer": offer.pk,
        "team_member": team_member.pk,
        "milestone": milestone.pk,
        "concern": concern.pk,
        "participant": participant.pk,
        "user": participant.user_id,
        "organisation": participant.organisation_id,
        "placement": placement.pk,
        "half_day": half_day.pk,
        "account": account.pk,
        "initiative": initiative.pk,
        "measure": measure.pk,
        "cycle": cycle.pk,
        "data_point": data_point.pk,
        "eoi": eoi.pk,
        "job": job.pk,
        "attachment": attachment.pk,
    }


@pytest.fixture
def objects(world, settings, tmp_path):
    """The pks, by kind, of world.participant's objects ("own") and of
    world.other_participant's ("other"); the other cohort is one neither is in."""
    settings.MEDIA_ROOT = tmp_path
    own = _belongings(world.participant) | {"cohort": world.participant.cohort_id}
    other = _belongings(world.other_participant) | {"cohort": CohortFactory(name="Cohort B").pk}
    # An announcement to the cohort's participants (both), and one to Cohort B's (nobody).
    own["announcement"] = _announcement(
        world, own["cohort"], [world.participant.user, world.other_participant.user]
    )
    other["announcement"] = _announcement(world, other["cohort"], [])
    return {"own": own, "other": other}


def _announcement(world, cohort_id, recipients) -> int:
    announcement = Announcement.objects.create(
        cohort_id=cohort_id,
        audience="participants",
        subject="Briefing moved",
        body="The briefing is now at 10am.",
        sent_by=world.programme_manager,
    )
    AnnouncementRecipient.objects.bulk_create(
        [AnnouncementRecipient(announcement=announcement, recipient=r) for r in recipients]
    )
    return announcement.pk


def _admin_object(path: str, which: str) -> str:
    """The admin is the programme manager's view of everything: "own" is any row of the
    model (the first), "other" a missing one."""
    app_label, model_name = path.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    first = model._default_manager.order_by("pk").first() if which == "own" else None
    return str(first.pk) if first else str(MISSING)


def _path(pattern: str, pks: dict, which: str) -> str:
    def value(match):
        converter, name = match.group(1), match.group(2)
        before = match.string[: match.start()].rstrip("/").rsplit("/", 1)[-1].lstrip("^")
        if pattern.startswith("admin/r/"):
            if name == "content_type_id":
                return str(ContentType.objects.get_for_model(Participant).pk)
            return str(pks["participant"])
        if pattern.startswith("admin/") and name in {"object_id", "id"}:
            return _admin_object(pattern, which)
        if name == "moment":
            return "6-months" if "follow-up" in pattern else "before"
        if converter == "str":
            return "not-a-token"
        return str(pks[KINDS[before]])

    path = re.sub(r"\(\?P<app_label>[^)]*\)", "participants", pattern)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "sample-1", path)
    path = re.sub(r"<(?:(\w+):)?(\w+)>", value, path)
    return "/" + path.replace("^", "").replace("$", "")


def _observe(client, user, objects) -> dict[str, str]:
    """What each page answers the user: "200", or "200/404" for own/other (one code when
    both are the same address: no object in it, or nothing of that kind to own)."""
    client.force_login(user)
    seen = {}
    for key, pattern in MATRIX_PATTERNS:
        paths = [_path(pattern, objects[which], which) for which in ("own", "other")]
        codes = []
        for path in dict.fromkeys(paths):
            codes.append(str(client.get(path).status_code))
            if key == "account_logout":
                client.force_login(user)
        seen[key] = "/".join(codes)
    return seen


# One row per URL pattern; columns as in ROLES. "own/other", or one code (see `_observe`).
EXPECTED = """
# url                                                       P        LM       SP       EL       EL2      P2       PM       OUT
account_autosave                                            405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
account_change_password                                     200      200      200      200      200      200      200      200
account_confirm_email                                       200      200      200      200      200      200      200      200
account_confirm_login_code                                  302      302      302      302      302      302      302      302
account_detail                                              200/404  200/404  404/404  404/404  404/404  404/200  404/404  404/404
account_discuss                                             405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
account_edit                                                200/404  403/404  404/404  404/404  404/404  404/200  404/404  404/404
account_email                                               200      200      200      200      200      200      200      200
account_email_verification_sent                             200      200      200      200      200      200      200      200
account_inactive                                            200      200      200      200      200      200      200      200
account_login                                               302      302      302      302      302      302      302      302
account_logout                                              200      200      200      200      200      200      200      200
account_pdf                                                 405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
account_reauthenticate                                      200      200      200      200      200      200      200      200
account_request_login_code                                  302      302      302      302      302      302      302      302
account_reset_password                                      200      200      200      200      200      200      200      200
account_reset_password_done                                 200      200      200      200      200      200      200      200
account_reset_password_from_key                             200      200      200      200      200      200      200      200
account_reset_password_from_key_done                        200      200      200      200      200      200      200      200
account_set_password                                        302      302      302      302      302      302      302      302
account_signup                                              302      302      302      302      302      302      302      302
account_start                                               405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
accounts/social/connections/                                301      301      301      301      301      301      301      301
accounts/social/login/cancelled/                            301      301      301      301      301      301      301      301
accounts/social/login/error/                                301      301      301      301      301      301      301      301
accounts/social/signup/                                     301      301      301      301      301      301      301      301
across_cohorts                                              403      403      403      403      403      403      200      403
admin/(?P<url>.*)$                                          302      302      302      302      302      302      404      302
admin/account/emailaddress/<path:object_id>/                302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/auth/group/<path:object_id>/                          302      302      302      302      302      302      302      302
admin/i2i/auditevent/<path:object_id>/                      302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/i2i/job/<path:object_id>/                             302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/improvements/agreementdecision/<path:object_id>/      302      302      302      302      302      302      302      302
admin/improvements/attachment/<path:object_id>/             302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/improvements/datapoint/<path:object_id>/              302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/improvements/drivernode/<path:object_id>/             302      302      302      302      302      302      302      302
admin/improvements/implementationmilestone/<path:object_id>/ 302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/improvements/improvementinitiative/<path:object_id>/  302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/improvements/measure/<path:object_id>/                302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/improvements/pdsacycle/<path:object_id>/              302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/improvements/serviceuserfeedback/<path:object_id>/    302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/improvements/teammember/<path:object_id>/             302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/mfa/authenticator/<path:object_id>/                   302      302      302      302      302      302      302      302
admin/participants/cohort/<path:object_id>/                 302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/participants/cohortplaces/<path:object_id>/           302      302      302      302      302      302      302      302
admin/participants/educationlead/<path:object_id>/          302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/participants/eoievent/<path:object_id>/               302      302      302      302      302      302      302      302
admin/participants/equalitymonitoring/<path:object_id>/     302      302      302      302      302      302      302      302
admin/participants/expressionofinterest/<path:object_id>/   302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/participants/hostperson/<path:object_id>/             302      302      302      302      302      302      302      302
admin/participants/organisation/<path:object_id>/           302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/participants/participant/<path:object_id>/            302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/participants/sharedcontact/<path:object_id>/          302      302      302      302      302      302      302      302
admin/participants/sponsormeeting/<path:object_id>/         302      302      302      302      302      302      302      302
admin/participants/user/<path:object_id>/                   302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/participants/workshopconsent/<path:object_id>/        302      302      302      302      302      302      302      302
admin/placements/clearancerecord/<path:object_id>/          302      302      302      302      302      302      302      302
admin/placements/concern/<path:object_id>/                  302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/placements/concernstep/<path:object_id>/              302      302      302      302      302      302      302      302
admin/placements/halfday/<path:object_id>/                  302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/placements/hostfeedback/<path:object_id>/             302      302      302      302      302      302      302      302
admin/placements/learningoutcome/<path:object_id>/          302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/placements/outcomesdecision/<path:object_id>/         302      302      302      302      302      302      302      302
admin/placements/participantfeedback/<path:object_id>/      302      302      302      302      302      302      302      302
admin/placements/placement/<path:object_id>/                302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/placements/placementoffer/<path:object_id>/           302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin/reflections/accountevent/<path:object_id>/            302      302      302      302      302      302      302      302
admin/reflections/midprogrammereview/<path:object_id>/      302      302      302      302      302      302      302      302
admin/reflections/reflectiveaccount/<path:object_id>/       302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302
admin:account_emailaddress_add                              302      302      302      302      302      302      403      302
admin:account_emailaddress_change                           302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:account_emailaddress_changelist                       302      302      302      302      302      302      403      302
admin:account_emailaddress_delete                           302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:account_emailaddress_history                          302/302  302/302  302/302  302/302  302/302  302/302  403/302  302/302
admin:app_list                                              302      302      302      302      302      302      200      302
admin:auth_group_add                                        302      302      302      302      302      302      403      302
admin:auth_group_change                                     302      302      302      302      302      302      403      302
admin:auth_group_changelist                                 302      302      302      302      302      302      403      302
admin:auth_group_delete                                     302      302      302      302      302      302      403      302
admin:auth_group_history                                    302      302      302      302      302      302      302      302
admin:auth_user_password_change                             302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:autocomplete                                          302      302      302      302      302      302      403      302
admin:i2i_auditevent_add                                    302      302      302      302      302      302      403      302
admin:i2i_auditevent_change                                 302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:i2i_auditevent_changelist                             302      302      302      302      302      302      403      302
admin:i2i_auditevent_delete                                 302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:i2i_auditevent_history                                302/302  302/302  302/302  302/302  302/302  302/302  403/302  302/302
admin:i2i_job_add                                           302      302      302      302      302      302      403      302
admin:i2i_job_change                                        302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:i2i_job_changelist                                    302      302      302      302      302      302      403      302
admin:i2i_job_delete                                        302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:i2i_job_history                                       302/302  302/302  302/302  302/302  302/302  302/302  403/302  302/302
admin:improvements_agreementdecision_add                    302      302      302      302      302      302      403      302
admin:improvements_agreementdecision_change                 302      302      302      302      302      302      302      302
admin:improvements_agreementdecision_changelist             302      302      302      302      302      302      200      302
admin:improvements_agreementdecision_delete                 302      302      302      302      302      302      403      302
admin:improvements_agreementdecision_history                302      302      302      302      302      302      302      302
admin:improvements_attachment_add                           302      302      302      302      302      302      403      302
admin:improvements_attachment_change                        302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_attachment_changelist                    302      302      302      302      302      302      200      302
admin:improvements_attachment_delete                        302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:improvements_attachment_history                       302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_datapoint_add                            302      302      302      302      302      302      403      302
admin:improvements_datapoint_change                         302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_datapoint_changelist                     302      302      302      302      302      302      200      302
admin:improvements_datapoint_delete                         302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:improvements_datapoint_history                        302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_drivernode_add                           302      302      302      302      302      302      403      302
admin:improvements_drivernode_change                        302      302      302      302      302      302      302      302
admin:improvements_drivernode_changelist                    302      302      302      302      302      302      200      302
admin:improvements_drivernode_delete                        302      302      302      302      302      302      403      302
admin:improvements_drivernode_history                       302      302      302      302      302      302      302      302
admin:improvements_implementationmilestone_add              302      302      302      302      302      302      403      302
admin:improvements_implementationmilestone_change           302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_implementationmilestone_changelist       302      302      302      302      302      302      200      302
admin:improvements_implementationmilestone_delete           302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:improvements_implementationmilestone_history          302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_improvementinitiative_add                302      302      302      302      302      302      403      302
admin:improvements_improvementinitiative_change             302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_improvementinitiative_changelist         302      302      302      302      302      302      200      302
admin:improvements_improvementinitiative_delete             302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:improvements_improvementinitiative_history            302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_measure_add                              302      302      302      302      302      302      403      302
admin:improvements_measure_change                           302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_measure_changelist                       302      302      302      302      302      302      200      302
admin:improvements_measure_delete                           302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:improvements_measure_history                          302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_pdsacycle_add                            302      302      302      302      302      302      403      302
admin:improvements_pdsacycle_change                         302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_pdsacycle_changelist                     302      302      302      302      302      302      200      302
admin:improvements_pdsacycle_delete                         302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:improvements_pdsacycle_history                        302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_serviceuserfeedback_add                  302      302      302      302      302      302      403      302
admin:improvements_serviceuserfeedback_change               302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_serviceuserfeedback_changelist           302      302      302      302      302      302      200      302
admin:improvements_serviceuserfeedback_delete               302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:improvements_serviceuserfeedback_history              302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_teammember_add                           302      302      302      302      302      302      403      302
admin:improvements_teammember_change                        302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:improvements_teammember_changelist                    302      302      302      302      302      302      200      302
admin:improvements_teammember_delete                        302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:improvements_teammember_history                       302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:index                                                 302      302      302      302      302      302      200      302
admin:jsi18n                                                302      302      302      302      302      302      200      302
admin:login                                                 403      403      403      403      403      403      403      403
admin:logout                                                302      302      302      302      302      302      405      302
admin:mfa_authenticator_add                                 302      302      302      302      302      302      403      302
admin:mfa_authenticator_change                              302      302      302      302      302      302      403      302
admin:mfa_authenticator_changelist                          302      302      302      302      302      302      403      302
admin:mfa_authenticator_delete                              302      302      302      302      302      302      403      302
admin:mfa_authenticator_history                             302      302      302      302      302      302      302      302
admin:participants_cohort_add                               302      302      302      302      302      302      200      302
admin:participants_cohort_change                            302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_cohort_changelist                        302      302      302      302      302      302      200      302
admin:participants_cohort_delete                            302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_cohort_history                           302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_cohortplaces_add                         302      302      302      302      302      302      200      302
admin:participants_cohortplaces_change                      302      302      302      302      302      302      302      302
admin:participants_cohortplaces_changelist                  302      302      302      302      302      302      200      302
admin:participants_cohortplaces_delete                      302      302      302      302      302      302      403      302
admin:participants_cohortplaces_history                     302      302      302      302      302      302      302      302
admin:participants_educationlead_add                        302      302      302      302      302      302      200      302
admin:participants_educationlead_change                     302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_educationlead_changelist                 302      302      302      302      302      302      200      302
admin:participants_educationlead_delete                     302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_educationlead_history                    302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_eoievent_add                             302      302      302      302      302      302      403      302
admin:participants_eoievent_change                          302      302      302      302      302      302      302      302
admin:participants_eoievent_changelist                      302      302      302      302      302      302      200      302
admin:participants_eoievent_delete                          302      302      302      302      302      302      403      302
admin:participants_eoievent_history                         302      302      302      302      302      302      302      302
admin:participants_equalitymonitoring_add                   302      302      302      302      302      302      403      302
admin:participants_equalitymonitoring_change                302      302      302      302      302      302      302      302
admin:participants_equalitymonitoring_changelist            302      302      302      302      302      302      200      302
admin:participants_equalitymonitoring_delete                302      302      302      302      302      302      403      302
admin:participants_equalitymonitoring_history               302      302      302      302      302      302      302      302
admin:participants_expressionofinterest_add                 302      302      302      302      302      302      403      302
admin:participants_expressionofinterest_change              302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_expressionofinterest_changelist          302      302      302      302      302      302      200      302
admin:participants_expressionofinterest_delete              302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:participants_expressionofinterest_history             302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_hostperson_add                           302      302      302      302      302      302      403      302
admin:participants_hostperson_change                        302      302      302      302      302      302      302      302
admin:participants_hostperson_changelist                    302      302      302      302      302      302      200      302
admin:participants_hostperson_delete                        302      302      302      302      302      302      403      302
admin:participants_hostperson_history                       302      302      302      302      302      302      302      302
admin:participants_organisation_add                         302      302      302      302      302      302      200      302
admin:participants_organisation_change                      302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_organisation_changelist                  302      302      302      302      302      302      200      302
admin:participants_organisation_delete                      302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:participants_organisation_history                     302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_participant_add                          302      302      302      302      302      302      403      302
admin:participants_participant_change                       302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_participant_changelist                   302      302      302      302      302      302      200      302
admin:participants_participant_delete                       302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:participants_participant_history                      302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_sharedcontact_add                        302      302      302      302      302      302      403      302
admin:participants_sharedcontact_change                     302      302      302      302      302      302      302      302
admin:participants_sharedcontact_changelist                 302      302      302      302      302      302      200      302
admin:participants_sharedcontact_delete                     302      302      302      302      302      302      403      302
admin:participants_sharedcontact_history                    302      302      302      302      302      302      302      302
admin:participants_sponsormeeting_add                       302      302      302      302      302      302      403      302
admin:participants_sponsormeeting_change                    302      302      302      302      302      302      302      302
admin:participants_sponsormeeting_changelist                302      302      302      302      302      302      200      302
admin:participants_sponsormeeting_delete                    302      302      302      302      302      302      403      302
admin:participants_sponsormeeting_history                   302      302      302      302      302      302      302      302
admin:participants_user_add                                 302      302      302      302      302      302      403      302
admin:participants_user_change                              302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_user_changelist                          302      302      302      302      302      302      200      302
admin:participants_user_delete                              302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:participants_user_history                             302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:participants_workshopconsent_add                      302      302      302      302      302      302      403      302
admin:participants_workshopconsent_change                   302      302      302      302      302      302      302      302
admin:participants_workshopconsent_changelist               302      302      302      302      302      302      200      302
admin:participants_workshopconsent_delete                   302      302      302      302      302      302      403      302
admin:participants_workshopconsent_history                  302      302      302      302      302      302      302      302
admin:password_change                                       302      302      302      302      302      302      302      302
admin:password_change_done                                  302      302      302      302      302      302      200      302
admin:placements_clearancerecord_add                        302      302      302      302      302      302      403      302
admin:placements_clearancerecord_change                     302      302      302      302      302      302      302      302
admin:placements_clearancerecord_changelist                 302      302      302      302      302      302      200      302
admin:placements_clearancerecord_delete                     302      302      302      302      302      302      403      302
admin:placements_clearancerecord_history                    302      302      302      302      302      302      302      302
admin:placements_concern_add                                302      302      302      302      302      302      403      302
admin:placements_concern_change                             302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:placements_concern_changelist                         302      302      302      302      302      302      200      302
admin:placements_concern_delete                             302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:placements_concern_history                            302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:placements_concernstep_add                            302      302      302      302      302      302      403      302
admin:placements_concernstep_change                         302      302      302      302      302      302      302      302
admin:placements_concernstep_changelist                     302      302      302      302      302      302      200      302
admin:placements_concernstep_delete                         302      302      302      302      302      302      403      302
admin:placements_concernstep_history                        302      302      302      302      302      302      302      302
admin:placements_halfday_add                                302      302      302      302      302      302      403      302
admin:placements_halfday_change                             302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:placements_halfday_changelist                         302      302      302      302      302      302      200      302
admin:placements_halfday_delete                             302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:placements_halfday_history                            302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:placements_hostfeedback_add                           302      302      302      302      302      302      403      302
admin:placements_hostfeedback_change                        302      302      302      302      302      302      302      302
admin:placements_hostfeedback_changelist                    302      302      302      302      302      302      200      302
admin:placements_hostfeedback_delete                        302      302      302      302      302      302      403      302
admin:placements_hostfeedback_history                       302      302      302      302      302      302      302      302
admin:placements_learningoutcome_add                        302      302      302      302      302      302      403      302
admin:placements_learningoutcome_change                     302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:placements_learningoutcome_changelist                 302      302      302      302      302      302      200      302
admin:placements_learningoutcome_delete                     302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:placements_learningoutcome_history                    302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:placements_outcomesdecision_add                       302      302      302      302      302      302      403      302
admin:placements_outcomesdecision_change                    302      302      302      302      302      302      302      302
admin:placements_outcomesdecision_changelist                302      302      302      302      302      302      200      302
admin:placements_outcomesdecision_delete                    302      302      302      302      302      302      403      302
admin:placements_outcomesdecision_history                   302      302      302      302      302      302      302      302
admin:placements_participantfeedback_add                    302      302      302      302      302      302      403      302
admin:placements_participantfeedback_change                 302      302      302      302      302      302      302      302
admin:placements_participantfeedback_changelist             302      302      302      302      302      302      200      302
admin:placements_participantfeedback_delete                 302      302      302      302      302      302      403      302
admin:placements_participantfeedback_history                302      302      302      302      302      302      302      302
admin:placements_placement_add                              302      302      302      302      302      302      403      302
admin:placements_placement_change                           302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:placements_placement_changelist                       302      302      302      302      302      302      200      302
admin:placements_placement_delete                           302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:placements_placement_history                          302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:placements_placementoffer_add                         302      302      302      302      302      302      403      302
admin:placements_placementoffer_change                      302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:placements_placementoffer_changelist                  302      302      302      302      302      302      200      302
admin:placements_placementoffer_delete                      302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:placements_placementoffer_history                     302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:reflections_accountevent_add                          302      302      302      302      302      302      403      302
admin:reflections_accountevent_change                       302      302      302      302      302      302      302      302
admin:reflections_accountevent_changelist                   302      302      302      302      302      302      200      302
admin:reflections_accountevent_delete                       302      302      302      302      302      302      403      302
admin:reflections_accountevent_history                      302      302      302      302      302      302      302      302
admin:reflections_midprogrammereview_add                    302      302      302      302      302      302      403      302
admin:reflections_midprogrammereview_change                 302      302      302      302      302      302      302      302
admin:reflections_midprogrammereview_changelist             302      302      302      302      302      302      200      302
admin:reflections_midprogrammereview_delete                 302      302      302      302      302      302      403      302
admin:reflections_midprogrammereview_history                302      302      302      302      302      302      302      302
admin:reflections_reflectiveaccount_add                     302      302      302      302      302      302      403      302
admin:reflections_reflectiveaccount_change                  302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:reflections_reflectiveaccount_changelist              302      302      302      302      302      302      200      302
admin:reflections_reflectiveaccount_delete                  302/302  302/302  302/302  302/302  302/302  302/302  403/403  302/302
admin:reflections_reflectiveaccount_history                 302/302  302/302  302/302  302/302  302/302  302/302  200/302  302/302
admin:view_on_site                                          302/302  302/302  302/302  302/302  302/302  302/302  404/404  302/302
announcement_detail                                         200/404  404/404  404/404  404/404  404/404  200/404  200/200  404/404
announcement_list                                           200      200      200      200      200      200      200      200
announcement_new                                            403      403      403      403      403      403      200      403
announcement_read                                           405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
announcements_sent                                          403      403      403      403      403      403      200      403
approvals                                                   200      200      200      200      200      200      200      200
assessment_items                                            403/404  403/404  403/404  403/404  403/404  403/404  200/200  404/404
attachment_create                                           200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
attachment_download                                         200/404  200/404  200/404  200/404  404/200  404/200  200/200  404/404
attachment_remove                                           200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
audit_log                                                   403      403      403      403      403      403      200      403
clearance_record                                            200/404  200/404  403/404  403/404  404/403  404/200  200/200  404/404
cohort_attendance                                           403/404  403/404  403/404  403/404  403/404  403/404  200/200  404/404
cohort_create                                               403      403      403      403      403      403      200      403
cohort_dashboard                                            403/404  403/404  200/404  200/404  200/404  403/404  200/200  404/404
cohort_dashboard_csv                                        403/404  403/404  200/404  200/404  200/404  403/404  200/200  404/404
cohort_detail                                               200/404  200/404  200/404  200/404  200/404  200/404  200/200  404/404
cohort_edit                                                 403/404  403/404  403/404  403/404  403/404  403/404  200/200  404/404
cohort_evaluation                                           403/404  403/404  403/404  403/404  403/404  403/404  200/200  404/404
cohort_evaluation_pdf                                       405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
cohort_list                                                 200      200      200      200      200      200      200      200
cohort_peers                                                200/404  404/404  404/404  404/404  404/404  200/404  200/200  404/404
cohort_places                                               403/404  403/404  403/404  403/404  403/404  403/404  200/200  404/404
concern_detail                                              404/404  200/404  404/404  404/404  404/404  404/404  200/200  404/404
concern_list                                                200      200      200      200      200      200      200      200
concern_raise                                               200/404  200/404  200/404  403/404  404/403  404/200  200/200  404/404
contact_share                                               403/404  403/404  200/404  403/404  404/403  404/403  403/403  404/404
data_point_delete                                           405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
drivers_edit                                                200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
eoi_csv                                                     403      403      403      200      200      403      200      403
eoi_detail                                                  200/404  200/404  404/404  200/404  404/200  404/200  200/200  404/404
eoi_edit                                                    302/404  403/404  404/404  403/404  404/403  404/302  403/403  404/404
eoi_equality                                                200/404  404/404  404/404  404/404  404/404  404/200  404/404  404/404
eoi_list                                                    200      200      200      200      200      200      200      200
eoi_nominate                                                403      403      403      200      200      403      200      403
eoi_review                                                  403      403      403      200      200      403      200      403
eoi_select                                                  405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
eoi_start                                                   405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
eoi_support                                                 403/404  200/404  404/404  403/404  404/403  404/403  403/403  404/404
feedback_create                                             200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
feedback_remove                                             200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
follow_up                                                   200/404  404/404  404/404  404/404  404/404  404/200  404/404  404/404
half_day_cancel                                             405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
half_day_complete                                           405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
half_day_confirm                                            200      200      200      200      200      200      200      200
half_day_create                                             200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
half_day_edit                                               200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
healthz                                                     200      200      200      200      200      200      200      200
home                                                        200      200      200      200      200      200      200      200
host_checks_edit                                            403/403  403/403  403/403  403/403  403/403  403/403  200/200  403/403
host_feedback                                               403/404  403/404  403/404  403/404  404/403  404/403  403/403  404/404
host_half_day_confirm                                       405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
host_half_day_decline                                       404/404  404/404  404/404  404/404  404/404  404/404  404/404  404/404
host_half_day_propose                                       404/404  404/404  404/404  404/404  404/404  404/404  404/404  404/404
host_home                                                   403      403      403      403      403      403      403      403
host_visits                                                 404/404  404/404  404/404  404/404  404/404  404/404  404/404  404/404
initiative_create                                           200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
initiative_decide                                           405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
initiative_detail                                           200/404  200/404  200/404  200/404  404/200  404/200  200/200  404/404
initiative_edit                                             200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
initiative_estimates                                        200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
initiative_outcome                                          200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
initiative_progress                                         200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
initiative_review_ask                                       405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
initiative_review_decide                                    405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
initiative_submit                                           405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
job_detail                                                  200/404  404/404  404/404  404/404  404/404  404/200  404/404  404/404
job_download                                                200/404  404/404  404/404  404/404  404/404  404/200  404/404  404/404
job_status                                                  200/404  404/404  404/404  404/404  404/404  404/200  404/404  404/404
measure_create                                              200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
measure_data                                                200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
measure_edit                                                200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
mfa_activate_totp                                           302      302      302      302      302      302      302      302
mfa_authenticate                                            302      302      302      302      302      302      302      302
mfa_deactivate_totp                                         404      404      404      404      404      404      404      404
mfa_download_recovery_codes                                 404      404      404      404      404      404      404      404
mfa_generate_recovery_codes                                 302      302      302      302      302      302      302      302
mfa_index                                                   200      200      200      200      200      200      200      200
mfa_reauthenticate                                          302      302      302      302      302      302      302      302
mfa_view_recovery_codes                                     404      404      404      404      404      404      404      404
mid_programme_review                                        200/404  200/404  404/404  404/404  404/404  404/200  404/404  404/404
milestone_create                                            200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
milestone_edit                                              200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
milestone_remove                                            200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
my_data                                                     200      200      200      200      200      200      200      200
my_data_json                                                200      200      200      200      200      200      200      200
my_data_pdf                                                 405      405      405      405      405      405      405      405
my_peers                                                    302      404      404      404      404      302      404      404
notifications                                               200      200      200      200      200      200      200      200
notifications_sent                                          403      403      403      403      403      403      200      403
openid_connect_callback                                     404      404      404      404      404      404      404      404
openid_connect_login                                        404      404      404      404      404      404      404      404
offer_create                                                403      403      403      403      403      403      200      403
offer_edit                                                  404/404  404/404  404/404  404/404  404/404  404/404  200/200  404/404
offer_list                                                  403      403      403      403      403      403      200      403
organisation_create                                         403      403      403      403      403      403      200      403
organisation_edit                                           403/403  403/403  403/403  403/403  403/403  403/403  200/200  403/403
organisation_host_feedback                                  403/403  403/403  403/403  403/403  403/403  403/403  200/200  403/403
organisation_host_people                                    403/403  403/403  403/403  403/403  403/403  403/403  200/200  403/403
organisation_host_person_remove                             405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
organisation_list                                           200      200      200      200      200      200      200      200
organisations_proposed                                      403      403      403      403      403      403      200      403
outcomes_decide                                             405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
outcomes_edit                                               200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
participant_calendar                                        200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
participant_detail                                          200/404  200/404  200/404  200/404  404/200  404/200  200/200  404/404
participant_feedback                                        404/404  404/404  404/404  404/404  404/404  404/404  404/404  404/404
pdsa_create                                                 200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
pdsa_edit                                                   200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
person_erase                                                403/403  403/403  403/403  403/403  403/403  403/403  200/200  403/403
placement_create                                            200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
placement_detail                                            200/404  200/404  200/404  200/404  404/200  404/200  200/200  404/404
placement_edit                                              200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
placement_withdraw                                          200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
placements_by_host                                          403      403      403      403      403      403      200      403
placements_by_host_csv                                      403      403      403      403      403      403      200      403
privacy                                                     200      200      200      200      200      200      200      200
registers_import                                            403      403      403      403      403      403      200      403
self_assessment                                             200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
socialaccount_connections                                   200      200      200      200      200      200      200      200
socialaccount_login_cancelled                               200      200      200      200      200      200      200      200
socialaccount_login_error                                   401      401      401      401      401      401      401      401
socialaccount_signup                                        302      302      302      302      302      302      302      302
sponsor_meeting                                             403/404  403/404  200/404  403/404  404/403  404/403  403/403  404/404
team_member_create                                          200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
team_member_remove                                          200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
workshop_consent                                            200/404  403/404  403/404  403/404  404/403  404/200  403/403  404/404
workshop_pack                                               403/404  403/404  403/404  403/404  403/404  403/404  200/200  404/404
workshop_pack_start                                         405/405  405/405  405/405  405/405  405/405  405/405  405/405  405/405
"""


def _expected() -> tuple[list[str], dict[str, dict[str, str]]]:
    header, *lines = EXPECTED.strip().splitlines()
    columns = header.split()[2:]
    table = {}
    for line in lines:
        key, *cells = line.split()
        assert len(cells) == len(columns), f"the row {key} has {len(cells)} cells"
        assert key not in table, f"the row {key} is listed twice"
        table[key] = dict(zip(columns, cells, strict=True))
    return columns, table


def test_every_url_pattern_has_one_row_and_every_row_a_pattern():
    columns, table = _expected()
    assert columns == list(ROLES)
    patterns = {key for key, _ in MATRIX_PATTERNS}
    assert not patterns - table.keys(), (
        f"Add a row to EXPECTED for {sorted(patterns - table.keys())}"
    )
    assert not table.keys() - patterns, (
        f"No URL pattern for the rows {sorted(table.keys() - patterns)}"
    )


def _mismatch(key: str, role: str, got: str, expected: str | None) -> list[str]:
    if expected is None:
        return [f"{key} as {role}: got {got}, and EXPECTED has no row for it"]
    got_codes, expected_codes = got.split("/"), expected.split("/")
    if len(got_codes) != len(expected_codes):
        return [f"{key} as {role}: got {got}, expected {expected}"]
    objects = ["own object", "someone else's object"] if len(got_codes) == 2 else ["no object"]
    return [
        f"{key} as {role}, {what}: got {g}, expected {e}"
        for what, g, e in zip(objects, got_codes, expected_codes, strict=True)
        if g != e
    ]


@pytest.mark.parametrize("column", list(ROLES))
def test_every_page_answers_every_role_as_the_matrix_says(client, world, objects, column):
    role = ROLES[column]
    user = {
        "participant": world.participant.user,
        "other_participant": world.other_participant.user,
    }.get(role) or getattr(world, role)
    _, table = _expected()
    wrong = [
        line
        for key, got in _observe(client, user, objects).items()
        if got != table.get(key, {}).get(column)
        for line in _mismatch(key, role, got, table.get(key, {}).get(column))
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["participant", "line_manager", "education_lead", "outsider"])
def test_the_admin_is_forbidden_to_everyone_but_the_programme_manager(client, world, role):
    user = world.participant.user if role == "participant" else getattr(world, role)
    client.force_login(user)
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
    changelist = reverse("admin:participants_participant_changelist")
    assert client.get(changelist, follow=True).status_code == 403
