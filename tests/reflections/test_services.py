import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reflections import services
from reflections.frameworks import FRAMEWORKS
from reflections.privacy import identifying_details
from tests.factories import ApprovedPlacementFactory


def test_an_account_starts_once_a_half_day_is_completed(world, started_placement):
    account = services.account_start(placement=started_placement, by=world.participant.user)
    assert account.framework == "i2i"
    again = services.account_start(placement=started_placement, by=world.participant.user)
    assert again == account


def test_an_account_cannot_start_before_any_half_day(world):
    placement = ApprovedPlacementFactory(participant=world.participant)
    with pytest.raises(ValidationError) as error:
        services.account_start(placement=placement, by=world.participant.user)
    assert "at least one half-day" in error.value.messages[0]


def test_only_the_participant_starts_their_account(world, started_placement):
    with pytest.raises(PermissionDenied):
        services.account_start(placement=started_placement, by=world.line_manager)


def test_switching_framework_keeps_what_was_written(world, account):
    user = world.participant.user
    services.account_save(
        account=account,
        by=user,
        framework="i2i",
        answers={"professional_learning": "How social workers assess for care packages."},
    )
    account, _ = services.account_save(
        account=account, by=user, framework="gibbs", answers={"feelings": "Out of my depth."}
    )
    assert account.framework == "gibbs"
    assert account.answer("professional_learning") == (
        "How social workers assess for care packages."
    )
    assert account.answer("what_happened").startswith("I shadowed")
    kept = {prompt.key for _, prompt, _ in account.other_answers()}
    assert {"professional_learning", "what_happened"} <= kept
    account, _ = services.account_save(account=account, by=user, framework="i2i", answers={})
    assert account.answer("professional_learning").startswith("How social workers")


def test_an_unknown_framework_is_refused(world, account):
    with pytest.raises(ValidationError) as error:
        services.account_save(account=account, by=world.participant.user, framework="made-up")
    assert "Choose one of the frameworks" in error.value.message_dict["framework"][0]


def test_every_framework_has_prompts_and_unique_keys():
    keys = [p.key for f in FRAMEWORKS.values() for p in f.prompts]
    assert len(keys) == len(set(keys))
    assert set(FRAMEWORKS) == {"i2i", "gibbs", "driscoll", "nmc"}
    assert [p.label for p in FRAMEWORKS["driscoll"].prompts] == ["What?", "So what?", "Now what?"]


def test_outcome_ratings_keep_only_this_placements_outcomes(world, account):
    outcome = account.placement.outcomes.get()
    account, _ = services.account_save(
        account=account,
        by=world.participant.user,
        outcome_ratings={
            str(outcome.pk): {"rating": "partly", "comment": "Saw triage once."},
            "99999": {"rating": "met", "comment": "not mine"},
        },
    )
    assert account.outcome_ratings == {
        str(outcome.pk): {"rating": "partly", "comment": "Saw triage once."}
    }


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("His NHS number is 943 476 5919.", ["an NHS number"]),
        ("9434765919", ["an NHS number"]),
        ("A reference 1234567890 on the form", []),  # fails the NHS check digit
        ("DOB 12/03/1950, lives alone", ["a date of birth"]),
        ("born on 4.7.1961", ["a date of birth"]),
        ("we met on 12/03/2027", []),  # a visit date, not a birth date
        ("call her on 07700 900123", ["a phone number"]),
        ("the ward on 01603 286286", ["a phone number"]),
        ("Two people and 3 teams in 14 days", []),
    ],
)
def test_it_spots_what_could_identify_someone(text, found):
    assert identifying_details(text) == found


def test_saving_warns_but_does_not_block(world, account):
    account, warnings = services.account_save(
        account=account, by=world.participant.user, answers={"what_happened": "DOB 01/02/1948"}
    )
    assert account.answer("what_happened") == "DOB 01/02/1948"
    assert "a date of birth" in warnings[0]
    assert "must not identify service users or patients" in warnings[0]


def test_sharing_discussing_and_the_history(world, account, django_capture_on_commit_callbacks):
    user, manager = world.participant.user, world.line_manager
    with django_capture_on_commit_callbacks(execute=True):
        services.account_share(account=account, by=user)
    assert [m.to for m in mail.outbox] == [[manager.email]]
    with pytest.raises(ValidationError):
        services.account_save(account=account, by=user, answers={"what_happened": "changed"})
    with django_capture_on_commit_callbacks(execute=True):
        services.account_discuss(
            account=account, by=manager, discussed_on=timezone.localdate(), comment="Great"
        )
    account.refresh_from_db()
    assert account.status == "discussed"
    assert [m.to for m in mail.outbox[1:]] == [[user.email]]  # not back to the line manager
    assert list(account.events.values_list("action", "by", "comment")) == [
        ("shared", user.pk, ""),
        ("discussed", manager.pk, "Great"),
    ]


def test_asking_for_more_reopens_the_account(world, account):
    services.account_share(account=account, by=world.participant.user)
    with pytest.raises(ValidationError) as error:
        services.account_ask_more(account=account, by=world.line_manager, comment="")
    assert "Say what more" in error.value.message_dict["comment"][0]
    account = services.account_ask_more(
        account=account, by=world.line_manager, comment="Say more about the pathway."
    )
    assert account.status == "draft"
    services.account_save(account=account, by=world.participant.user, answers={"learn_next": "x"})


@pytest.mark.parametrize("who", ["sponsor", "education_lead", "programme_manager"])
def test_only_the_line_manager_records_the_discussion(world, account, who):
    services.account_share(account=account, by=world.participant.user)
    with pytest.raises(PermissionDenied):
        services.account_discuss(
            account=account, by=getattr(world, who), discussed_on=timezone.localdate()
        )


def test_a_discussion_cannot_be_dated_in_the_future(world, account):
    services.account_share(account=account, by=world.participant.user)
    with pytest.raises(ValidationError) as error:
        services.account_discuss(
            account=account,
            by=world.line_manager,
            discussed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "today or earlier" in error.value.message_dict["discussed_on"][0]


def test_an_empty_account_cannot_be_shared(world, account):
    account.answers = {}
    account.save()
    with pytest.raises(ValidationError) as error:
        services.account_share(account=account, by=world.participant.user)
    assert "Write your reflective account" in error.value.messages[0]
