"""The line manager reads a copy of what was shared (`shared_version`), never the live draft.

Existing accounts get a copy only where the live text is certainly what was shared: accounts
shared or discussed now (the participant cannot change a shared account), and accounts
returned by "Ask for more" that the participant has not saved since. An account returned
and changed since gets none: its line manager sees the status until it is shared again,
because what they read before is no longer known and the draft must not stand in for it.
"""

from django.db import migrations, models

# The frameworks are data, not models: which prompts each has and whether it rates the
# learning outcomes or asks for the Code's themes.
from reflections.frameworks import DEFAULT, FRAMEWORKS


def _snapshot(account, outcomes):
    """As `ReflectiveAccount.snapshot()` did when this migration was written."""
    framework = FRAMEWORKS.get(account.framework, FRAMEWORKS[DEFAULT])
    saved = account.outcome_ratings or {}
    return {
        "framework": framework.code,
        "answers": {
            key: text for key, text in (account.answers or {}).items() if framework.prompt(key)
        },
        "outcome_ratings": [
            {
                "outcome_id": pk,
                "outcome": text,
                "rating": saved.get(str(pk), {}).get("rating", ""),
                "comment": saved.get(str(pk), {}).get("comment", ""),
            }
            for pk, text in outcomes.get(account.placement_id, [])
        ]
        if framework.rates_outcomes
        else [],
        "code_themes": list(account.code_themes or []) if framework.asks_code_themes else [],
        "principles": list(account.principles or []),
        "workshop_learning": account.workshop_learning,
        "shared_at": account.shared_at.isoformat() if account.shared_at else None,
    }


def copy_what_was_shared(apps, schema_editor):
    ReflectiveAccount = apps.get_model("reflections", "ReflectiveAccount")
    AccountEvent = apps.get_model("reflections", "AccountEvent")
    LearningOutcome = apps.get_model("placements", "LearningOutcome")

    returned_at = {}
    for account_id, at in AccountEvent.objects.filter(action="more_asked").values_list(
        "account_id", "at"
    ):
        returned_at[account_id] = max(at, returned_at.get(account_id, at))
    candidates = ReflectiveAccount.objects.filter(
        models.Q(status__in=["shared", "discussed"]) | models.Q(pk__in=list(returned_at))
    )
    outcomes = {}
    for placement_id, pk, text in (
        LearningOutcome.objects.filter(placement__reflective_account__in=candidates)
        .order_by("position", "id")
        .values_list("placement_id", "pk", "text")
    ):
        outcomes.setdefault(placement_id, []).append((pk, text))
    copied = []
    for account in candidates.iterator(chunk_size=500):
        unchanged_since_returned = (
            account.pk in returned_at and account.updated_at <= returned_at[account.pk]
        )
        if account.status in {"shared", "discussed"} or unchanged_since_returned:
            account.shared_version = _snapshot(account, outcomes)
            copied.append(account)
    ReflectiveAccount.objects.bulk_update(copied, ["shared_version"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0002_alter_outcomesdecision_comment_and_more"),
        ("reflections", "0002_alter_accountevent_comment"),
    ]

    operations = [
        migrations.AddField(
            model_name="reflectiveaccount",
            name="shared_version",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_what_was_shared, migrations.RunPython.noop),
    ]
