"""A person's data: everything held about them (to download), and erasure (to forget them
while keeping the cohort's counts). Both read one registry, `programme.personal_data_registry`,
so that what is downloaded and what is erased cannot drift apart."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst

from i2i import access, audit, rules
from i2i.jobs import jobs_delete
from i2i.models import Job, Notification
from i2i.names import person_met_key
from improvements.attachments import attachments_erase
from improvements.models import AgreementDecision, Attachment, ImprovementInitiative
from participants.models import (
    Cohort,
    EOIEvent,
    ExpressionOfInterest,
    Participant,
    SponsorMeeting,
    User,
)
from placements.models import OutcomesDecision
from programme.personal_data_registry import (
    ERASED_NAME,
    HOLDINGS,
    Erase,
    Holding,
    Person,
    Pseudonymise,
)
from reflections.models import AccountEvent, ReflectiveAccount

# The download --------------------------------------------------------------------------------


def _value(obj, f: models.Field):
    """A field's value as a person reads it: a choice's label, a related record's name, dates
    as ISO 8601 (times in the programme's time zone)."""
    if f.is_relation:
        related = getattr(obj, f.name)
        return str(related) if related is not None else None
    value = getattr(obj, f.attname)
    if f.choices and value not in (None, ""):
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _path(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part, None) if obj is not None else None
    return str(obj) if isinstance(obj, models.Model) else obj


def _parent(holding: Holding) -> Holding | None:
    if holding.parent is None:
        return None
    key = holding.parent[0]
    return next(h for h in HOLDINGS if h.key == key and h.export and h.whose is not None)


def _rows(holding: Holding, person: Person):
    model = holding.model_class
    names = holding.exported()
    related = [n for n in names if model._meta.get_field(n).is_relation]
    related += [
        path.rsplit(".", 1)[0].replace(".", "__")
        for _, path in holding.context.values()
        if "." in path
    ]
    queryset = model._default_manager.filter(holding.q(person)).select_related(*related)
    for obj in queryset:
        row = {name: _value(obj, model._meta.get_field(name)) for name in names}
        for key, (_, path) in holding.context.items():
            row[key] = _path(obj, path)
        yield obj, row


def personal_data(user: User) -> dict:
    """Everything the product holds about one person, as plain data (JSON-ready): every
    holding of `programme.personal_data_registry` whose rows are theirs, nested as the programme
    is (a cohort's placements, a placement's half-days…). One query per holding, whatever
    they hold."""
    person = Person.of(user)
    data: dict = {
        "generated": timezone.localtime().isoformat(),
        "about": "Everything I2I Cohorts holds about you. Each section is one kind of record; "
        "dates are ISO 8601.",
    }
    by_holding: dict[int, dict[int, dict]] = {}
    for holding in HOLDINGS:
        if not holding.export or holding.whose is None:
            continue
        rows = list(_rows(holding, person))
        by_holding[id(holding)] = {obj.pk: row for obj, row in rows}
        parent = _parent(holding)
        if parent is None:
            data[holding.key] = (
                [row for _, row in rows] if holding.many else (rows[0][1] if rows else None)
            )
            continue
        fk = holding.parent[1]
        parents = by_holding[id(parent)]
        for row in parents.values():
            row[holding.key] = [] if holding.many else None
        for obj, row in rows:
            into = parents.get(getattr(obj, fk))
            if into is None:
                continue
            if holding.many:
                into[holding.key].append(row)
            else:
                into[holding.key] = row
    if data.get("you") is not None:
        data["you"]["roles"] = [name for name, held in vars(access.roles_for(user)).items() if held]
    return data


# The download as a document (the PDF) ---------------------------------------------------------


@dataclass
class Value:
    """A value laid out for print: text, a list, or label/value pairs (for the JSON kept
    in a reflective account, or an outcome's rating)."""

    text: str = ""
    items: list[Value] = field(default_factory=list)
    pairs: list[tuple[str, Value]] = field(default_factory=list)
    kind: str = "text"


@dataclass
class Section:
    heading: str
    level: int
    pairs: list[tuple[str, Value]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Value]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def _humanise(key) -> str:
    return capfirst(str(key).replace("_", " "))


ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2})?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _readable(text: str) -> str:
    """Dates and times as people write them (3 March 2027, 9:30am), on paper."""
    if ISO_MOMENT.fullmatch(text) and (moment := parse_datetime(text)) is not None:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        hour, noon = moment.hour % 12 or 12, "am" if moment.hour < 12 else "pm"
        return f"{date_format(moment, 'j F Y')}, {hour}:{moment:%M}{noon}"
    if ISO_DATE.fullmatch(text) and (day := parse_date(text)) is not None:
        return date_format(day, "j F Y")
    return text


def _laid_out(value) -> Value:
    if value is None or value == "":
        return Value(text="–")
    if isinstance(value, bool):
        return Value(text="Yes" if value else "No")
    if isinstance(value, dict):
        return Value(kind="pairs", pairs=[(_humanise(k), _laid_out(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        if not value:
            return Value(text="–")
        return Value(kind="list", items=[_laid_out(v) for v in value])
    return Value(text=_readable(str(value)))


def _label(holding: Holding, name: str) -> str:
    if name in holding.context:
        return holding.context[name][0]
    if name in holding.labels:
        return holding.labels[name]
    return capfirst(str(holding.model_class._meta.get_field(name).verbose_name))


def _children(holding: Holding) -> list[Holding]:
    return [h for h in HOLDINGS if h.export and h.whose is not None and _parent(h) is holding]


def _section(holding: Holding, rows: list[dict], level: int) -> Section | None:
    if not rows:
        return None
    names = [*holding.exported(), *holding.context]
    section = Section(heading=holding.title, level=min(level, 6))
    if holding.columns:
        section.columns = [_label(holding, n) for n in names]
        section.rows = [[_laid_out(row.get(n)) for n in names] for row in rows]
        return section
    children = _children(holding)
    for number, row in enumerate(rows, start=1):
        record = Section(
            heading=f"{holding.title} {number}" if holding.many else holding.title,
            level=min(level + (1 if holding.many else 0), 6),
            pairs=[(_label(holding, n), _laid_out(row.get(n))) for n in names],
        )
        for child in children:
            nested = row.get(child.key)
            nested = nested if isinstance(nested, list) else [nested] if nested else []
            sub = _section(child, nested, record.level + 1)
            if sub is not None:
                record.sections.append(sub)
        if holding.many:
            section.sections.append(record)
        else:
            return record
    return section


def data_document(data: dict) -> list[Section]:
    """The download laid out as a document: a section per kind of record, a table per
    record (or one table for short rows), in the order of the registry."""
    sections = []
    for holding in HOLDINGS:
        if not holding.export or holding.whose is None or holding.parent is not None:
            continue
        rows = data.get(holding.key)
        rows = rows if isinstance(rows, list) else [rows] if rows else []
        section = _section(holding, rows, 2)
        if section is not None:
            sections.append(section)
    if sections and data.get("you"):
        sections[0].pairs.append(("Roles", _laid_out(data["you"].get("roles"))))
    return sections


# Erasure ----------------------------------------------------------------------------------


@dataclass
class Subject:
    """The records erasure starts from, read once before anything changes."""

    person: Person
    participant_ids: list[int]
    cohort_ids: list[int]
    account_ids: list[int]
    initiative_titles: list[str]

    @classmethod
    def of(cls, user: User) -> Subject:

        participations = list(Participant.objects.filter(user=user).values_list("pk", "cohort_id"))
        return cls(
            person=Person.of(user),
            participant_ids=[pk for pk, _ in participations],
            cohort_ids=sorted({cohort for _, cohort in participations}),
            account_ids=list(
                ReflectiveAccount.objects.filter(participant__user=user).values_list(
                    "pk", flat=True
                )
            ),
            initiative_titles=list(
                ImprovementInitiative.objects.filter(participant__user=user).values_list(
                    "title", flat=True
                )
            ),
        )


FILE_KINDS = {
    "personal_data_pdf": "A data export (theirs, or of someone whose records named them)",
    "reflective_account_pdf": "A reflective account PDF",
    "workshop_pack": "A workshop pack of their cohort",
    "evaluation_report": "An evaluation report of their cohort",
}


def _whose_exports_name_them(subject: Subject):
    """People whose own data export can hold this person's name or the words written about
    them: those sent a reminder about them, and those who decided, commented or met on
    their records (their line manager, sponsor, education lead)."""

    user = subject.person.user
    return (
        Notification.objects.filter(participant__user=user)
        .order_by()
        .values_list("recipient_id")
        .union(
            OutcomesDecision.objects.filter(placement__participant__user=user)
            .order_by()
            .values_list("by_id"),
            AgreementDecision.objects.filter(initiative__participant__user=user)
            .order_by()
            .values_list("by_id"),
            AccountEvent.objects.filter(account__participant__user=user)
            .order_by()
            .values_list("by_id"),
            EOIEvent.objects.filter(eoi__applicant=user).order_by().values_list("by_id"),
            SponsorMeeting.objects.filter(participant__user=user)
            .order_by()
            .values_list("recorded_by_id"),
            ExpressionOfInterest.objects.filter(applicant=user)
            .order_by()
            .values_list("support_by_id"),
            ExpressionOfInterest.objects.filter(applicant=user)
            .order_by()
            .values_list("decided_by_id"),
            Participant.objects.filter(user=user).order_by().values_list("line_manager_id"),
            Participant.objects.filter(user=user).order_by().values_list("sponsor_id"),
        )
    )


def _files(subject: Subject):
    """Every stored file that holds the person: the files they made, the PDFs of their
    reflective accounts (their line manager's too), the data exports of people whose
    records name them, and the workshop packs and evaluation reports of their cohorts
    (which may have a section about them, name them or quote their ideas)."""

    user = subject.person.user
    named = [pk for (pk,) in _whose_exports_name_them(subject) if pk is not None]
    return Job.objects.filter(
        Q(owner=user)
        | Q(kind="reflective_account_pdf", params__account_id__in=subject.account_ids)
        | Q(kind="personal_data_pdf", owner__in=named)
        | Q(
            kind__in=["workshop_pack", "evaluation_report"],
            params__cohort_id__in=subject.cohort_ids,
        )
    )


def _described(job: dict) -> dict:
    cohort_id = (job["params"] or {}).get("cohort_id")
    return {
        "kind": job["kind"],
        "what": FILE_KINDS.get(job["kind"], "A file"),
        "title": job["title"] if job["kind"] in {"workshop_pack", "evaluation_report"} else "",
        "made": timezone.localtime(job["created_at"]).date().isoformat(),
        "cohort_id": cohort_id if job["kind"] in {"workshop_pack", "evaluation_report"} else None,
    }


def erasure_files(user: User) -> list[dict]:
    """The files erasing this person would delete, described for the programme manager."""
    return [
        _described(job)
        for job in _files(Subject.of(user)).values("kind", "title", "params", "created_at")
    ]


def _end_sessions(subject: Subject, scrubber: audit.Scrubber) -> int:
    """End every session signed in as them (the database's sessions; the cached copy too)."""
    from django.contrib.auth import SESSION_KEY

    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore
    if not hasattr(store, "get_model_class"):
        return 0  # signed-cookie or cache-only sessions: nothing stored to end here
    model = store.get_model_class()
    pk = str(subject.person.user.pk)
    ended = [
        session.session_key
        for session in model.objects.only("session_key", "session_data").iterator()
        if str(store().decode(session.session_data).get(SESSION_KEY)) == pk
    ]
    model.objects.filter(session_key__in=ended).delete()
    if hasattr(engine, "KEY_PREFIX"):
        from django.core.cache import caches

        caches[settings.SESSION_CACHE_ALIAS].delete_many([engine.KEY_PREFIX + k for k in ended])
    return len(ended)


def _scrub_notifications(subject: Subject, scrubber: audit.Scrubber) -> int:
    """Other people's emails about them keep their wording, without the name or address."""

    user = subject.person.user
    found = (
        Notification.objects.filter(
            Q(participant__user=user) | scrubber.q("subject") | scrubber.q("body")
        )
        .exclude(recipient=user)
        .only("pk", "subject", "body")
    )
    changed = []
    for notification in found:
        notification.subject = scrubber.text(notification.subject)
        notification.body = scrubber.text(notification.body)
        changed.append(notification)
    Notification.objects.bulk_update(changed, ["subject", "body"], batch_size=500)
    return len(changed)


def _scrub_admin_log(subject: Subject, scrubber: audit.Scrubber) -> int:
    from django.contrib.admin.models import LogEntry

    q = scrubber.q("object_repr") | scrubber.q("change_message")
    changed = []
    for entry in LogEntry.objects.filter(q).only("pk", "object_repr", "change_message"):
        entry.object_repr = scrubber.text(entry.object_repr)
        entry.change_message = scrubber.text(entry.change_message)
        changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["object_repr", "change_message"], batch_size=500)
    return len(changed)


def _pseudonymise(holding: Holding, name: str, subject: Subject) -> int:
    """Names of people met become a key shared by everyone who met the same name
    (`person_met_key`), so the evaluation counts one person met by two participants once,
    before and after either is erased."""
    model = holding.model_class
    changed = []
    for row in model.objects.filter(holding.q(subject.person)).only("pk", name):
        before = getattr(row, name)
        after = person_met_key(before) or ""
        if after != before:
            setattr(row, name, after)
            changed.append(row)
    model.objects.bulk_update(changed, [name], batch_size=500)
    return len(changed)


def _erase_holding(holding: Holding, subject: Subject) -> None:
    person = subject.person
    model = holding.model_class
    if holding.on_erase == "delete":
        model._default_manager.filter(holding.q(person)).delete()
        return
    if holding.on_erase != "update":
        return  # a step of its own (below)
    for name, declared in holding.fields.items():
        if isinstance(declared, Pseudonymise):
            _pseudonymise(holding, name, subject)
    values = {name: d.value(person) for name, d in holding.fields.items() if isinstance(d, Erase)}
    if values:
        model._default_manager.filter(holding.q(person)).update(**values)


def _delete_files(subject: Subject, scrubber: audit.Scrubber) -> list[dict]:

    return [_described(job) for job in jobs_delete(_files(subject))]


def _delete_attachments(subject: Subject, scrubber: audit.Scrubber) -> int:
    """Their initiative's files: the rows, and the stored files once erasure commits."""
    return attachments_erase(
        Attachment.objects.filter(initiative__participant__user=subject.person.user)
    )


def _scrub_audit(subject: Subject, scrubber: audit.Scrubber) -> int:
    return audit.scrub_person(
        user=subject.person.user,
        scrubber=scrubber,
        participant_ids=subject.participant_ids,
        initiative_titles=subject.initiative_titles,
    )


# The steps the registry names (`Holding.on_erase`) for what a plain update cannot do.
STEPS = {
    "delete_files": _delete_files,
    "delete_attachments": _delete_attachments,
    "scrub_audit": _scrub_audit,
    "scrub_notifications": _scrub_notifications,
    "scrub_admin_log": _scrub_admin_log,
    "end_sessions": _end_sessions,
}


@transaction.atomic
def person_erase(*, user: User, by: User | None) -> list[dict]:
    """Erase a person, as the registry declares: their name, addresses, sign-in and
    everything they wrote (or was written about them) go; the files that hold them are
    deleted; their sessions end; the audit trail, the admin's log and other people's
    emails keep every row, without their name or address. What the cohort's counts and the
    evaluation's figures read (statuses, dates, choices, scores, organisations) stays, so
    erasure changes no figure. `by` is the programme manager, or None for the retention
    schedule (`manage.py anonymise_expired`). Returns the files deleted, described, so the
    programme manager can make them again. A fixed number of queries, whatever the person
    holds (one more per 500 half-days, events or emails rewritten)."""
    if by is not None:
        if not access.is_programme_manager(by):
            raise PermissionDenied("Only the programme manager erases a person.")
        if user.pk == by.pk:
            raise PermissionDenied("Ask another programme manager to erase your own account.")
    subject = Subject.of(user)
    person = subject.person
    scrubber = audit.Scrubber(
        names=person.names, emails=person.emails, name_to=ERASED_NAME, email_to=person.erased_email
    )
    # Everything the steps need was read into `subject` first, so their order is free.
    steps = {h.on_erase for h in HOLDINGS} - {"update", "delete"}
    done = {name: STEPS[name](subject, scrubber) for name in STEPS if name in steps}
    # Children before parents: a row is found through its parent's fields (an Expression
    # of Interest's nominee address) before those are erased.
    for holding in reversed(HOLDINGS):
        if holding.whose is not None:
            _erase_holding(holding, subject)
    removed = done.get("delete_files", [])
    audit.record(
        "erasure",
        target=f"user {user.pk}",
        actor=by,
        files=removed,
        sessions_ended=done.get("end_sessions", 0),
        **({} if by is not None else {"actor_label": "retention schedule"}),
    )
    return removed


def expired_people(today: dt.date | None = None, years: int | None = None):
    """People whose every cohort ended more than the retention period ago, and who hold no
    role in a later cohort."""
    today = today or timezone.localdate()
    years = years if years is not None else settings.RETENTION_YEARS
    cutoff = rules.add_months(today, -12 * years)
    # A cohort has ended when its window has; the window is six months from its start.
    ended_starts_before = rules.add_months(cutoff, -rules.WINDOW_MONTHS)
    recent = Cohort.objects.filter(programme_start__gte=ended_starts_before)
    return (
        User.objects.filter(participations__isnull=False, is_active=True)
        .exclude(participations__cohort__in=recent)
        .exclude(is_programme_manager=True)
        .distinct()
    )


def remake_links(files: list[dict]) -> list[dict]:
    """The removed files, each with where the programme manager makes it again."""
    links = {"workshop_pack": "workshop_pack", "evaluation_report": "cohort_evaluation"}
    return [
        {**f, "url": reverse(links[f["kind"]], args=[f["cohort_id"]])}
        if f.get("cohort_id") and f["kind"] in links
        else {**f, "url": ""}
        for f in files
    ]
