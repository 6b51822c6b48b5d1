"""Organisation names compare by a stored key (Unicode case-folding, collapsed spaces) instead
of the database's lower(), which folds only ASCII on SQLite.

Existing rows get their key. Two rows that lower() let through but the key calls one
organisation (on SQLite 'Ysbyty Môn Care' and 'YSBYTY MÔN CARE'; on PostgreSQL 'Straße' and
'STRASSE') cannot both have it: the older keeps the key, and each later one gets the key
followed by a line break and its id (a line break is never in a real key) and is marked
unconfirmed, so it waits on the programme manager's "proposed organisations" page to be
merged into the older one.
"""

import unicodedata

from django.db import migrations, models


def _key(name):
    # participants.models.name_key as it was written for this migration.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name or "").casefold())
    return " ".join(folded.split())


def assign_keys(rows):
    """(pk, name) pairs in any order -> {pk: (key, duplicate of an older row?)}."""
    seen, keys = set(), {}
    for pk, name in sorted(rows):
        key = _key(name)
        if key in seen:
            keys[pk] = (f"{key}\n{pk}", True)
        else:
            seen.add(key)
            keys[pk] = (key, False)
    return keys


def fill_name_keys(apps, schema_editor):
    Organisation = apps.get_model("participants", "Organisation")
    organisations = list(Organisation.objects.only("pk", "name", "is_confirmed"))
    keys = assign_keys([(o.pk, o.name) for o in organisations])
    for organisation in organisations:
        organisation.name_key, duplicate = keys[organisation.pk]
        if duplicate:
            organisation.is_confirmed = False
    Organisation.objects.bulk_update(organisations, ["name_key", "is_confirmed"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0005_alter_cohort_workshop_agenda_alter_eoievent_comment_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="name_key",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop, elidable=False),
        migrations.RemoveConstraint(
            model_name="organisation",
            name="organisation_name_unique_any_case",
        ),
        migrations.AlterField(
            model_name="organisation",
            name="name_key",
            field=models.TextField(
                editable=False,
                error_messages={"unique": "An organisation with this name already exists."},
                unique=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(("name", ""), models.Q(("name_key", ""), _negated=True), _connector="OR"),
                name="organisation_name_key_set",
            ),
        ),
    ]
