"""What forms say: radio groups that start on a real choice, error messages that read as
sentences a person would write ("Select their level", not "Select the their level" or
"This field is required."), labels that mark the optional fields instead of the required ones
("Location (optional)", never "*"), and hints under the label that the field names in
aria-describedby (the GOV.UK and NHS patterns).

The walk finds every form class in the project (and allauth's sign-up form, which is built
on ours), so that a new form that forgets the shared wording fails here."""

import datetime as dt
import importlib
import importlib.util
import re
from dataclasses import dataclass

import pytest
from allauth.account.forms import SignupForm as AllauthSignupForm
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.core import validators
from django.template import Context, Template
from django.urls import get_resolver, reverse
from lxml import html as lxml_html
from zeal import zeal_context

from evaluation import services as evaluation_services
from evaluation.forms import FollowUpForm, ItemForm, SelfAssessmentForm
from i2i import forms as i2i_forms
from i2i.decisions import DecisionForm
from i2i.forms import PlainErrorsMixin
from improvements import plan_forms
from improvements.attachment_views import AttachmentForm
from improvements.driver_views import OutlineForm
from improvements.forms import (
    ChangePointForm,
    ChangeUnmarkForm,
    DataPointForm,
    InitiativeForm,
    MeasureForm,
    OutcomeForm,
    PasteForm,
    PDSAForm,
    ProgressForm,
)
from improvements.models import PDSACycle
from participants import account_forms, recruitment
from participants import forms as participant_forms
from participants.equality_forms import EqualityMonitoringForm
from participants.models import Cohort, Organisation
from participants.peer_views import PeerEmailForm
from participants.register_forms import RegisterUploadForm
from placements import concern_forms, feedback_forms, host_forms, offer_forms
from placements import forms as placement_forms
from programme.announcement_views import AnnouncementForm
from reflections.forms import AccountForm, AskMoreForm, DiscussionForm, MidProgrammeReviewForm
from reflections.frameworks import FRAMEWORKS
from tests.factories import (
    ApprovedPlacementFactory,
    ImprovementInitiativeFactory,
    LearningOutcomeFactory,
    MeasureFactory,
    ReflectiveAccountFactory,
    UserFactory,
)

APPS = ("i2i", "participants", "placements", "reflections", "improvements", "evaluation")


def _project_form_classes() -> set[type]:
    """Every form class the project defines: those in each app's forms module and any
    other module a view imports (resolving the URLs imports every view). The admin's forms
    are left out: Django's admin words its own pages, and its change forms are built per
    request (`participants.admin.with_by`)."""
    get_resolver().url_patterns  # noqa: B018 (imports every view, and the forms they use)
    for app in APPS:
        if importlib.util.find_spec(f"{app}.forms"):
            importlib.import_module(f"{app}.forms")
    found, stack = set(), [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            admin = sub.__module__.endswith(".admin") or sub.__module__ == "i2i.admin_site"
            if sub.__module__.split(".")[0] in APPS and not admin:
                found.add(sub)
    return found


@dataclass
class Things:
    """What the forms are built around, made once a test: the world's participant with an
    approved placement (one learning outcome), a reflective account on it, an improvement
    initiative and the cohort's self-assessment questions."""

    participant: object
    account: object
    initiative: object
    items: list


@pytest.fixture
def things(world) -> Things:
    placement = ApprovedPlacementFactory(participant=world.participant)
    LearningOutcomeFactory(placement=placement, text="Understand discharge planning.")
    return Things(
        participant=world.participant,
        account=ReflectiveAccountFactory(placement=placement),
        initiative=ImprovementInitiativeFactory(participant=world.participant),
        items=evaluation_services.items_for(world.participant.cohort),
    )


def _item_forms(data, things):
    one_of_each_kind = {item.kind: item for item in things.items}.values()
    return [ItemForm(data, instance=item, prefix=f"item-{item.pk}") for item in one_of_each_kind]


# How each form is built, as its view builds it. A new form class needs a line here.
BUILDERS = {
    participant_forms.SignupForm: lambda data, t: [participant_forms.SignupForm(data)],
    participant_forms.OrganisationForm: lambda data, t: [participant_forms.OrganisationForm(data)],
    participant_forms.CohortForm: lambda data, t: [participant_forms.CohortForm(data)],
    participant_forms.MergeForm: lambda data, t: [
        participant_forms.MergeForm(
            data, proposed=Organisation.objects.all(), directory=Organisation.objects.all()
        )
    ],
    participant_forms.EOIForm: lambda data, t: [participant_forms.EOIForm(data)],
    participant_forms.SupportForm: lambda data, t: [participant_forms.SupportForm(data)],
    participant_forms.DecisionForm: lambda data, t: [participant_forms.DecisionForm(data)],
    DecisionForm: lambda data, t: [
        DecisionForm(data, returned="the outcomes"),
        DecisionForm(data, returned="the initiative"),
    ],
    participant_forms.NominateForm: lambda data, t: [
        participant_forms.NominateForm(
            data, cohorts=Cohort.objects.all(), organisations=Organisation.objects.all()
        )
    ],
    participant_forms.SponsorMeetingForm: lambda data, t: [
        participant_forms.SponsorMeetingForm(data)
    ],
    participant_forms.SharedContactForm: lambda data, t: [
        participant_forms.SharedContactForm(data, organisations=Organisation.objects.all())
    ],
    participant_forms.WorkshopConsentForm: lambda data, t: [
        participant_forms.WorkshopConsentForm(data)
    ],
    placement_forms.PlacementForm: lambda data, t: [
        placement_forms.PlacementForm(data, organisations=Organisation.objects.all())
    ],
    placement_forms.OutcomesForm: lambda data, t: [
        placement_forms.OutcomesForm(data, texts=[]),
        placement_forms.OutcomesForm(
            None if data is None else {**data, "action": "submit"}, texts=[]
        ),
    ],
    placement_forms.HalfDayForm: lambda data, t: [placement_forms.HalfDayForm(data)],
    placement_forms.ConfirmForm: lambda data, t: [placement_forms.ConfirmForm(data)],
    feedback_forms.HostFeedbackForm: lambda data, t: [feedback_forms.HostFeedbackForm(data)],
    feedback_forms.ParticipantFeedbackForm: lambda data, t: [
        feedback_forms.ParticipantFeedbackForm(data, placement=t.account.placement)
    ],
    concern_forms.ConcernForm: lambda data, t: [concern_forms.ConcernForm(data)],
    RegisterUploadForm: lambda data, t: [RegisterUploadForm(data)],
    concern_forms.ConcernActionForm: lambda data, t: [concern_forms.ConcernActionForm(data)],
    concern_forms.ConcernCloseForm: lambda data, t: [concern_forms.ConcernCloseForm(data)],
    concern_forms.ConcernReopenForm: lambda data, t: [concern_forms.ConcernReopenForm(data)],
    AccountForm: lambda data, t: [
        AccountForm(data, account=t.account, framework_code=code) for code in sorted(FRAMEWORKS)
    ],
    DiscussionForm: lambda data, t: [DiscussionForm(data)],
    AskMoreForm: lambda data, t: [AskMoreForm(data)],
    MidProgrammeReviewForm: lambda data, t: [MidProgrammeReviewForm(data)],
    InitiativeForm: lambda data, t: [InitiativeForm(data, participant=t.participant)],
    ProgressForm: lambda data, t: [ProgressForm(data, instance=t.initiative)],
    OutcomeForm: lambda data, t: [OutcomeForm(data, instance=t.initiative)],
    PDSAForm: lambda data, t: [PDSAForm(data)],
    MeasureForm: lambda data, t: [MeasureForm(data)],
    plan_forms.FeedbackForm: lambda data, t: [plan_forms.FeedbackForm(data)],
    plan_forms.TeamMemberForm: lambda data, t: [
        plan_forms.TeamMemberForm(data, organisations=Organisation.objects.all())
    ],
    plan_forms.MilestoneForm: lambda data, t: [plan_forms.MilestoneForm(data)],
    plan_forms.EstimatesForm: lambda data, t: [
        plan_forms.EstimatesForm(data, instance=t.initiative)
    ],
    DataPointForm: lambda data, t: [DataPointForm(data)],
    PasteForm: lambda data, t: [PasteForm(data)],
    ChangePointForm: lambda data, t: [
        ChangePointForm(data, measure=MeasureFactory(initiative=t.initiative))
    ],
    ChangeUnmarkForm: lambda data, t: [
        ChangeUnmarkForm(data, measure=MeasureFactory(initiative=t.initiative))
    ],
    AttachmentForm: lambda data, t: [AttachmentForm(data, {} if data is not None else None)],
    OutlineForm: lambda data, t: [OutlineForm(data)],
    PeerEmailForm: lambda data, t: [PeerEmailForm(data, cohort=t.participant.cohort)],
    EqualityMonitoringForm: lambda data, t: [EqualityMonitoringForm(data)],
    AnnouncementForm: lambda data, t: [AnnouncementForm(data)],
    SelfAssessmentForm: lambda data, t: [SelfAssessmentForm(t.items, data)],
    FollowUpForm: lambda data, t: [FollowUpForm(data)],
    ItemForm: _item_forms,
    # The sign-up page's form: allauth's, built on ours (ACCOUNT_SIGNUP_FORM_CLASS).
    AllauthSignupForm: lambda data, t: [AllauthSignupForm(data)],
    account_forms.SignupForm: lambda data, t: [account_forms.SignupForm(data)],
    account_forms.LoginForm: lambda data, t: [account_forms.LoginForm(data)],
    account_forms.ResetPasswordForm: lambda data, t: [account_forms.ResetPasswordForm(data)],
    account_forms.ReauthenticateForm: lambda data, t: [
        account_forms.ReauthenticateForm(data, user=t.participant.user)
    ],
    account_forms.ResetPasswordKeyForm: lambda data, t: [
        account_forms.ResetPasswordKeyForm(data, user=UserFactory(), temp_key="key")
    ],
    account_forms.RequestLoginCodeForm: lambda data, t: [account_forms.RequestLoginCodeForm(data)],
    account_forms.ConfirmLoginCodeForm: lambda data, t: [
        account_forms.ConfirmLoginCodeForm(data, code="ABC123")
    ],
    host_forms.DeclineForm: lambda data, t: [host_forms.DeclineForm(data)],
    host_forms.ProposeForm: lambda data, t: [host_forms.ProposeForm(data)],
    host_forms.HostPersonForm: lambda data, t: [host_forms.HostPersonForm(data)],
    offer_forms.OfferForm: lambda data, t: [
        offer_forms.OfferForm(data, organisations=Organisation.objects.all())
    ],
    offer_forms.HostChecksForm: lambda data, t: [offer_forms.HostChecksForm(data)],
    offer_forms.ClearanceForm: lambda data, t: [
        offer_forms.ClearanceForm(data, kinds=["dbs", "local_induction"])
    ],
    offer_forms.OfferFilterForm: lambda data, t: [
        offer_forms.OfferFilterForm(data, organisations=Organisation.objects.all())
    ],
}

WALKED = sorted(BUILDERS, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__name__}"


def _build(cls, data, things) -> list[forms.BaseForm]:
    """The forms, built and validated as one request would (one unit of work for zeal)."""
    with zeal_context():
        built = BUILDERS[cls](data, things)
        for form in built:
            form.is_valid()
        return built


def test_every_form_in_the_project_is_walked():
    found = _project_form_classes()
    assert {placement_forms.HalfDayForm, PDSAForm, SelfAssessmentForm} <= found
    missing = {_name(cls) for cls in found} - {_name(c) for c in BUILDERS}
    assert not missing, f"Add these forms to BUILDERS in {__name__}: {sorted(missing)}"


def _radios(form):
    """The form's radio groups (not its checkboxes, which Django builds on RadioSelect)."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect) and not isinstance(
            widget, forms.CheckboxSelectMultiple
        ):
            yield name, field


def test_every_form_with_radios_uses_the_shared_wording(things):
    for cls in WALKED:
        for form in _build(cls, None, things):
            if any(_radios(form)):
                assert isinstance(form, PlainErrorsMixin), _name(cls)


def _choices(field):
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an option group
            yield from label
        else:
            yield value, label


@pytest.mark.parametrize("cls", WALKED, ids=_name)
def test_no_radio_group_starts_on_an_empty_choice(things, cls):
    """A required radio group offers only real answers, none chosen at first. An optional
    one may offer a way back to no answer, worded as a person would ("Not decided yet")
    and after the real answers, never "---------"."""
    for form in _build(cls, None, things):
        for name, field in _radios(form):
            choices = list(_choices(field))
            assert choices, name
            assert choices[0][0] not in ("", None), f"{name} starts on an empty choice"
            for value, label in choices:
                assert re.match(r"[A-Z0-9]", str(label)), (name, label)
                if value in ("", None):
                    assert not field.required, f"{name}: a required radio offers no answer"


@pytest.mark.parametrize("cls", WALKED, ids=_name)
def test_no_choice_reads_as_dashes(things, cls):
    for form in _build(cls, None, things):
        for name, field in form.fields.items():
            if hasattr(field, "choices"):
                for _value, label in _choices(field):
                    assert "---" not in str(label), f"{name} offers “{label}”"


DJANGO_DEFAULTS = {
    str(message)
    for cls in [
        forms.Field,
        forms.CharField,
        forms.ChoiceField,
        forms.TypedChoiceField,
        forms.MultipleChoiceField,
        forms.ModelChoiceField,
        forms.ModelMultipleChoiceField,
        forms.DateField,
        forms.TimeField,
        forms.URLField,
        forms.EmailField,
        forms.IntegerField,
        forms.DecimalField,
        forms.BooleanField,
    ]
    for message in cls.default_error_messages.values()
} | {
    str(validators.EmailValidator.message),
    str(validators.URLValidator.message),
}
ACRONYMS = ("NMC", "DBS", "PDSA", "I2I", "IHI", "GP", "NHS")


def _assert_reads_as_a_sentence(form, errors):
    endings = set()
    for field, messages in errors.items():
        for message in messages:
            where = f"{type(form).__name__}.{field}: {message!r}"
            assert message[:1].isupper(), where
            assert "  " not in message, where
            assert message.strip() == message, where
            assert message not in DJANGO_DEFAULTS, where
            for phrase in ("This field is required", "Select a valid choice", "Ensure this"):
                assert phrase not in message, where
            assert not re.search(
                r"\bthe (the|their|your|its|his|her|our|my|a|an|who|what|how|why|which|when"
                r"|whether|for|or|and|to|with|of|in|by|from|is|are|I)\b",
                message,
                re.IGNORECASE,
            ), where
            # A question is quoted whole ("Answer “What?”"), never run into the sentence.
            assert "?" not in message or re.search(r"“[^”]*\?”", message), where
            for acronym in ACRONYMS:
                assert not re.search(rf"\b{acronym.lower()}\b", message), where
            endings.add(message.endswith("."))
    # One form, one style: GOV.UK's messages end without a full stop; a form whose own
    # messages are written with one (the self-assessment's) keeps to it throughout.
    assert len(endings) <= 1, f"{type(form).__name__} mixes endings: {errors}"


@pytest.mark.parametrize("cls", WALKED, ids=_name)
def test_errors_for_empty_input_read_as_sentences(things, cls):
    for form in _build(cls, {}, things):
        _assert_reads_as_a_sentence(form, form.errors)


def _wrong_input(form) -> dict:
    """Something wrong in every box a person types in: a date that is not one, a number
    that is not one, text one character over the limit."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.DateField):
            data[key] = "31 February"
        elif isinstance(field, forms.TimeField):
            data[key] = "half nine-ish"
        elif isinstance(field, forms.URLField):
            data[key] = "not a web address"
        elif isinstance(field, forms.EmailField):
            data[key] = "not-an-email"
        elif isinstance(field, forms.IntegerField | forms.DecimalField):
            data[key] = "lots"
        elif isinstance(field, forms.CharField) and field.max_length:
            data[key] = "x" * (field.max_length + 1)
    return data


@pytest.mark.parametrize("cls", WALKED, ids=_name)
def test_errors_for_wrong_input_read_as_sentences(things, cls):
    for i, blank in enumerate(_build(cls, None, things)):
        form = _build(cls, _wrong_input(blank), things)[i]
        _assert_reads_as_a_sentence(form, form.errors)


# Labels and hints, as crispy-forms renders every field ------------------------------------


def _rendered(bound) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(str(as_crispy_field(bound)), create_parent="div")


def _label_element(tree, bound):
    """The field's own label: the legend of a radio or checkbox group, else the label for
    its box (a single checkbox's label comes after the box)."""
    if bound.use_fieldset:
        (legend,) = tree.xpath(".//fieldset/legend")
        return legend
    (label,) = tree.xpath(f'.//label[@for="{bound.id_for_label}"]')
    return label


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _single_checkbox(bound) -> bool:
    return isinstance(bound.field.widget, forms.CheckboxInput)


@pytest.mark.parametrize("cls", WALKED, ids=_name)
def test_optional_fields_say_so_and_no_label_carries_an_asterisk(things, cls):
    """GOV.UK and the NHS mark the optional fields ("Location (optional)"), not the required
    ones with "*". A single checkbox is not marked (its empty answer is "no"), nor a field
    the form names in `conditionally_required` (needed to send a draft, or in the case its
    hint names)."""
    for form in _build(cls, None, things):
        needed = set(getattr(form, "conditionally_required", ()))
        optional_names = {name for name, field in form.fields.items() if not field.required}
        assert needed <= optional_names, f"{_name(cls)}: {sorted(needed - optional_names)}"
        for bound in form.visible_fields():
            if not bound.label:
                continue
            tree = _rendered(bound)
            label = _text(_label_element(tree, bound))
            where = f"{_name(cls)}.{bound.name}: {label!r}"
            assert "*" not in label, where
            assert not tree.xpath('.//*[contains(@class, "asteriskField")]'), where
            if bound.field.required or _single_checkbox(bound) or bound.name in needed:
                assert "(optional)" not in label, where
            else:
                assert label.endswith(" (optional)"), where
                assert label.count("(optional)") == 1, where


def test_an_expression_of_interest_marks_optional_only_what_submitting_does_not_need():
    """A draft may leave any question empty; the ones a submission needs are not marked
    "(optional)": the same list the submission checks."""
    assert participant_forms.EOIForm.conditionally_required == set(recruitment.REQUIRED)


@pytest.mark.parametrize("cls", WALKED, ids=_name)
def test_hints_sit_under_the_label_and_the_field_names_them(things, cls):
    """A hint (help_text) comes after the label and before the box or the choices, once,
    and the box (or the group's fieldset) names it in aria-describedby. A single
    checkbox's hint follows its label, which follows the box."""
    for form in _build(cls, None, things):
        for bound in form.visible_fields():
            if not bound.help_text:
                continue
            where = f"{_name(cls)}.{bound.name}"
            hint_id = f"{bound.auto_id}_helptext"
            html = str(as_crispy_field(bound))
            assert html.count(f'id="{hint_id}"') == 1, where
            tree = _rendered(bound)
            (hint,) = tree.xpath(f'.//*[@id="{hint_id}"]')
            boxes = tree.xpath(f'.//*[@name="{bound.html_name}"]')
            assert boxes or bound.use_fieldset, where  # a group may offer no choice yet
            holder = tree.xpath(".//fieldset")[0] if bound.use_fieldset else boxes[0]
            assert hint_id in holder.get("aria-describedby", "").split(), where
            if not boxes:
                continue
            order = list(tree.iter())
            label, box = _label_element(tree, bound), boxes[0]
            if _single_checkbox(bound):
                assert order.index(box) < order.index(label) < order.index(hint), where
            else:
                assert order.index(label) < order.index(hint) < order.index(box), where


def test_the_walk_meets_hints_on_boxes_and_on_radio_groups(things):
    """The test above would pass on forms without hints: some have them, of both kinds."""
    hinted = {
        (type(form), bound.use_fieldset)
        for cls in WALKED
        for form in _build(cls, None, things)
        for bound in form.visible_fields()
        if bound.help_text
    }
    assert {use_fieldset for _cls, use_fieldset in hinted} == {True, False}


class _DatesForm(PlainErrorsMixin, forms.Form):
    starts = forms.CharField(label="Start")

    def clean(self):
        raise forms.ValidationError("The start must come before the end")


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        # With the summary: there, once, not again above the fields.
        ('{% include "_error_summary.html" %}{{ form|crispy }}', 1),
        # A page without a summary still shows it, once, above the fields.
        ("{{ form|crispy }}", 1),
    ],
)
def test_a_message_about_the_whole_form_is_shown_once(page, shown):
    form = _DatesForm({"starts": "Monday"})
    assert not form.is_valid()
    html = Template("{% load crispy_forms_tags %}" + page).render(Context({"form": form}))
    assert html.count("The start must come before the end") == shown


def test_an_optional_field_and_a_hint_on_a_real_page(client, world):
    placement = ApprovedPlacementFactory(participant=world.participant)
    client.force_login(world.participant.user)
    page = client.get(reverse("half_day_create", args=[placement.pk])).content.decode()
    tree = lxml_html.fromstring(page)
    assert _text(tree.xpath('//label[@for="id_location"]')[0]) == "Location (optional)"
    assert _text(tree.xpath('//label[@for="id_person_met"]')[0]) == "Who you met"
    assert "asteriskField" not in page
    (box,) = tree.xpath('//*[@id="id_person_met"]')
    (hint,) = tree.xpath('//*[@id="id_person_met_helptext"]')
    assert _text(hint) == "A person, team or group."
    assert box.get("aria-describedby") == "id_person_met_helptext"
    order = list(tree.iter())
    label = tree.xpath('//label[@for="id_person_met"]')[0]
    assert order.index(label) < order.index(hint) < order.index(box)


# The wording, label by label --------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "choosing", "message"),
    [
        ("Their level", True, "Select their level"),
        ("Who you met", False, "Enter who you met"),
        ("Your name", False, "Enter your name"),
        ("Job title", False, "Enter the job title"),
        ("Sector", True, "Select the sector"),
        ("Kind of change", True, "Select the kind of change"),
        ("The evidence", False, "Enter the evidence"),
        ("A note for them (optional)", False, "Enter a note for them"),
        ("Its sector", True, "Select its sector"),
        ("NMC registration number", False, "Enter the NMC registration number"),
        ("DBS check date", False, "Enter the DBS check date"),
        ("PDSA cycle", True, "Select the PDSA cycle"),
        ("I2I ideas", False, "Enter the I2I ideas"),
        ("Your ideas for improving I2I", False, "Enter your ideas for improving I2I"),
        ("Learning outcome 3", False, "Enter learning outcome 3"),
        ("Plan: the change to test", False, "Enter the change to test"),
        ("Plan: what you predict will happen", False, "Enter what you predict will happen"),
        ("Has it happened?", True, "Select whether it has happened"),
        ("What would you like them to add?", False, "Enter what you would like them to add"),
        ("Why do you want to take part?", False, "Enter why you want to take part"),
        ("What are we trying to accomplish?", False, "Enter what we are trying to accomplish"),
        (
            "What changes can we make that will result in improvement?",
            False,
            "Enter what changes we can make that will result in improvement",
        ),
        ("What did you learn from it?", False, "Answer “What did you learn from it?”"),
    ],
)
def test_it_words_the_required_message_as_a_person_would(label, choosing, message):
    assert i2i_forms.required_message(label, choosing=choosing) == message


# Pages ------------------------------------------------------------------------------------


# What a browser sends for the half-day form left as it opened: the boxes empty, no radio
# chosen but "Has it happened?", which starts on "Not yet".
EMPTY_HALF_DAY = {
    "date": "",
    "location": "",
    "person_met": "",
    "pathway_connection": "",
    "status": "planned",
}


def test_an_empty_half_day_says_select_their_level_next_to_the_field(client, world):
    placement = ApprovedPlacementFactory(participant=world.participant)
    client.force_login(world.participant.user)
    response = client.post(reverse("half_day_create", args=[placement.pk]), EMPTY_HALF_DAY)
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["form"].errors["level"] == ["Select their level"]
    # Next to the field (crispy-forms renders it under the radios) and in the summary.
    assert re.search(r'id="error_\d+_id_level"[^>]*>\s*<strong>Select their level', page)
    assert page.count("Select their level") == 2
    assert "Select the their level" not in page
    assert "Their level: Select" not in page
    assert "---------" not in page
    # Nothing chosen for them, as GOV.UK starts a radio group.
    assert not re.search(r'<input[^>]*name="(level|session)"[^>]*checked', page)


def test_the_error_summary_links_to_the_first_radio_of_a_group(client, world):
    placement = ApprovedPlacementFactory(participant=world.participant)
    client.force_login(world.participant.user)
    response = client.post(reverse("half_day_create", args=[placement.pk]), EMPTY_HALF_DAY)
    page = response.content.decode()
    assert '<a href="#id_level_0">Select their level</a>' in page
    assert 'id="id_level_0"' in page
    assert 'href="#"' not in page


def test_a_pdsa_cycle_can_be_left_with_its_act_not_decided_yet(db):
    """The act comes after the study: a new cycle starts on "Not decided yet", after the
    three real answers, and a cycle can be put back to it."""
    form = PDSAForm()
    assert list(form.fields["act"].choices) == [
        *PDSACycle.Act.choices,
        ("", "Not decided yet"),
    ]
    assert re.findall(r'value="(\w*)"[^>]*checked', str(form["act"])) == [""]
    bound = PDSAForm(
        {
            "change": "A one-page summary",
            "prediction": "Fewer calls",
            "starts_on": dt.date(2027, 3, 1).isoformat(),
            "act": "",
        }
    )
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["act"] == ""
