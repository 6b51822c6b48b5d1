"""The organisation directory from the official registers (issue #20): the NHS Organisation
Data Service (ODS) files of GP practices (`epraccur`) and NHS trusts (`etr`), and the CQC care
directory, in the CSV layouts they publish (docs/registers.md).

An organisation is keyed by its ODS code or CQC location id, so a second import updates it
(name through `set_name`, address, postcode, town) instead of adding it again. A row whose
code is not in the directory is matched by name (`Organisation.objects.named`, one key for
every spelling) before one is added, so an organisation typed in by hand gets its code rather
than a duplicate. Rows are streamed and written in batches (`bulk_create`/`bulk_update`) with a
fixed number of queries per batch, however long the file; every row that is left out is
named with its line number and why.
"""

from __future__ import annotations

import csv
import re
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from i2i import audit
from i2i.names import name_key, normalise_name
from participants.models import Organisation, Sector

# Which register a file comes from, and so its layout and key.
ODS_GP_PRACTICES = "ods_gp"
ODS_TRUSTS = "ods_trusts"
CQC = "cqc"
REGISTERS = {
    ODS_GP_PRACTICES: "NHS ODS: GP practices (epraccur)",
    ODS_TRUSTS: "NHS ODS: NHS trusts (etr)",
    CQC: "CQC care directory",
}
# The sector an organisation new to the directory gets, by ODS file (unless told another).
ODS_SECTORS = {ODS_GP_PRACTICES: Sector.GP_PRACTICE, ODS_TRUSTS: Sector.ACUTE}

BATCH = 1000
# How many skipped rows are kept to show, with their line and reason (all are counted).
SKIPPED_SHOWN = 200
# How far into a CQC file its header row may be (the published files start with notes).
CQC_HEADER_WITHIN = 10

ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
CQC_LOCATION_ID = re.compile(r"^1-\d{5,15}$")
# Words kept in capitals when an all-capitals register name is made readable.
ACRONYMS = {"NHS", "GP", "PCN", "ICB", "CIC", "UK", "HMP", "YMCA", "CQC", "LLP", "PLC"}

# ODS layout (no header row): 0-based positions of the columns read.
ODS_COLUMNS = 10  # at least: code, name, national grouping, geography, 5 address lines, postcode
ODS_CLOSE_DATE = 11

# CQC layout (a header row): the columns read, each by any of the names it has been published
# under (the "care directory with filters" and the "active locations" files).
CQC_HEADERS = {
    "id": ("location id", "cqc location id (for office use only)"),
    "name": ("location name", "name"),
    "street": ("location street address", "address"),
    "line2": ("location address line 2",),
    "city": ("location city",),
    "postcode": ("location postal code", "postcode"),
    "sector": ("location type/sector",),
    "category": ("location primary inspection category",),
    "care_home": ("care home?",),
}


class RegisterFileError(ValueError):
    """The file is not in the register's layout: nothing was imported."""


@dataclass(frozen=True)
class RegisterRow:
    """One organisation as the register gives it."""

    line: int
    code: str
    name: str
    address: str = ""
    town: str = ""
    postcode: str = ""
    sector: str = Sector.OTHER


@dataclass(frozen=True)
class Skip:
    line: int
    why: str


@dataclass
class Summary:
    """What an import did: counts, a few names of what was added, and the rows left out."""

    register: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_count: int = 0
    skipped: list[Skip] = field(default_factory=list)

    def skip(self, line: int, why: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < SKIPPED_SHOWN:
            self.skipped.append(Skip(line, why))

    @property
    def register_label(self) -> str:
        return REGISTERS[self.register]

    def as_text(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped_count} skipped"
        )


# Reading ---------------------------------------------------------------------------------


def text_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """Lines of text from a file's bytes, one at a time: UTF-8 (with or without a byte order
    mark), or Windows-1252 for a line that is not, as spreadsheets save CSV either way. A NUL
    byte means the file is not a CSV file at all."""
    first = True
    for raw in chunks:
        if b"\x00" in raw:
            raise RegisterFileError("The file is not a CSV file: save it as CSV and try again.")
        if first:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
            first = False
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def _csv_rows(lines: Iterable[str]) -> Iterator[list[str]]:
    """`csv.reader`, with its error (a quote never closed, a cell past the reader's limit)
    as the file's: it cannot be read further, so none of it is imported."""
    reader = csv.reader(lines)
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise RegisterFileError(
                f"Line {reader.line_num} cannot be read as CSV ({error}): save the file as "
                "CSV again from the register's download, and try again."
            ) from error


def _readable(text: str) -> str:
    """A register's ALL-CAPITALS name or address as people write it ("THE PARK SURGERY" is
    "The Park Surgery", "NHS" stays); mixed case is left as it is."""
    text = normalise_name(text)
    if not text or text != text.upper():
        return text
    words = []
    for word in text.split(" "):
        bare = word.strip("(),.&")
        words.append(word if bare in ACRONYMS else string.capwords(word.lower(), " "))
    return " ".join(words)


def _postcode(text: str) -> str:
    return " ".join(text.upper().split())


def read_ods(lines: Iterable[str], register: str, sector: str | None = None) -> Iterator:
    """Rows of an ODS file (`epraccur` or `etr`): no header row; code, name, national grouping,
    high level health geography, address lines 1 to 5, postcode, open date, close date, …
    Yields `RegisterRow`s, or `Skip`s for rows left out. A closed organisation is left out."""
    sector = sector or ODS_SECTORS[register]
    for index, cells in enumerate(_csv_rows(lines), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if index == 1 and cells and "code" in cells[0].lower():
            continue  # a header row someone added: ODS files have none
        if len(cells) < ODS_COLUMNS:
            if index == 1:
                raise RegisterFileError(
                    f"The first line has {len(cells)} columns, not the ODS layout's "
                    f"{ODS_COLUMNS} or more (code, name, …, postcode): choose the right "
                    "register, or the file as published."
                )
            yield Skip(index, f"{len(cells)} columns, not the ODS layout's {ODS_COLUMNS} or more")
            continue
        code = cells[0].upper()
        if not ODS_CODE.match(code):
            if index == 1:
                raise RegisterFileError(
                    f"The first line starts with “{cells[0][:40]}”, not an ODS code: "
                    "choose the right register, or the file as published."
                )
            yield Skip(index, f"“{cells[0][:40]}” is not an ODS code")
            continue
        if len(cells) > ODS_CLOSE_DATE and cells[ODS_CLOSE_DATE]:
            yield Skip(index, f"{code} is closed on the register ({cells[ODS_CLOSE_DATE]})")
            continue
        lines_ = [_readable(cell) for cell in cells[4:9]]
        town = lines_[3] or lines_[2]
        street = [part for part in (lines_[:3] if lines_[3] else lines_[:2]) if part]
        yield RegisterRow(
            line=index,
            code=code,
            name=_readable(cells[1]),
            address=", ".join(street),
            town=town,
            postcode=_postcode(cells[9]),
            sector=sector,
        )


def _cqc_sector(kind: str, category: str, care_home: str) -> str:
    """The directory's sector for a CQC location (docs/registers.md): care homes and home
    care are the care sector; GP practices, NHS and independent healthcare as named."""
    kind, category = kind.lower(), category.lower()
    if kind == "social care org" or care_home.upper() == "Y":
        return Sector.CARE_SECTOR
    if kind == "primary medical services":
        return Sector.GP_PRACTICE
    if kind == "nhs healthcare organisation":
        if "mental health" in category:
            return Sector.MENTAL_HEALTH
        if "community" in category:
            return Sector.COMMUNITY
        return Sector.ACUTE
    if kind in {"independent healthcare org", "independent ambulance"}:
        return Sector.PVI
    return Sector.OTHER


def read_cqc(lines: Iterable[str]) -> Iterator:
    """Rows of the CQC care directory: a header row (within the first lines, after the notes
    the published file starts with) naming "Location ID", "Location Name", "Location Street
    Address", "Location City", "Location Postal Code", "Location Type/Sector", …"""
    reader = _csv_rows(lines)
    columns = None
    for index, cells in enumerate(islice(reader, CQC_HEADER_WITHIN), start=1):
        names = [cell.strip().lower() for cell in cells]
        found = {
            key: next((names.index(n) for n in aliases if n in names), None)
            for key, aliases in CQC_HEADERS.items()
        }
        if found["id"] is not None and found["name"] is not None:
            columns, header_line = found, index
            break
    if columns is None:
        raise RegisterFileError(
            f"No header row with “Location ID” and “Location Name” in the first "
            f"{CQC_HEADER_WITHIN} lines: choose the right register, or the file as published."
        )

    def cell(cells, key):
        at = columns[key]
        return cells[at].strip() if at is not None and at < len(cells) else ""

    for index, cells in enumerate(reader, start=header_line + 1):
        if not any(c.strip() for c in cells):
            continue
        code = cell(cells, "id")
        if not CQC_LOCATION_ID.match(code):
            yield Skip(index, f"“{code[:40]}” is not a CQC location ID" if code else "no ID")
            continue
        yield RegisterRow(
            line=index,
            code=code,
            name=_readable(cell(cells, "name")),
            address=", ".join(
                part for part in (_readable(cell(cells, "street")), cell(cells, "line2")) if part
            ),
            town=_readable(cell(cells, "city")),
            postcode=_postcode(cell(cells, "postcode")),
            sector=_cqc_sector(
                cell(cells, "sector"), cell(cells, "category"), cell(cells, "care_home")
            ),
        )


def read_register(register: str, chunks: Iterable[bytes], sector: str | None = None) -> Iterator:
    lines = text_lines(chunks)
    if register == CQC:
        return read_cqc(lines)
    if register in ODS_SECTORS:
        return read_ods(lines, register, sector)
    raise RegisterFileError(f"Choose a register: {', '.join(REGISTERS.values())}.")


def check_layout(register: str, chunks: Iterable[bytes], sector: str | None = None) -> None:
    """Read as far as the first row: a file not in the register's layout is refused there,
    while the person who chose it is still on the page, before any of it is imported."""
    next(iter(read_register(register, chunks, sector)), None)


# Importing ---------------------------------------------------------------------------------


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _check(row: RegisterRow) -> str:
    """Why a row cannot be written, or ""."""
    if not row.name:
        return "no name"
    if len(row.name) > 200:
        return "a name longer than 200 characters"
    if len(row.postcode) > 10:
        return f"“{row.postcode[:20]}” is not a postcode"
    return ""


@transaction.atomic
def registers_import(
    *,
    register: str,
    rows: Iterable,
    by=None,
    batch_size: int = BATCH,
    after_batch: Callable[[Summary], None] | None = None,
) -> Summary:
    """Import a register's rows (from `read_register`) into the organisation directory.

    Per batch: one query for the organisations with the batch's codes, one for those with
    its names, one `bulk_create` and one `bulk_update`: the same few queries for 100 rows or
    for 100,000. One transaction: a file that turns out not to be a register (its first line)
    changes nothing."""
    key_field = "cqc_location_id" if register == CQC else "ods_code"
    summary = Summary(register=register)
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    now = timezone.now()
    for batch in _batches(rows, batch_size):
        good: list[RegisterRow] = []
        for row in batch:
            if isinstance(row, Skip):
                summary.skip(row.line, row.why)
                continue
            why = _check(row)
            key = name_key(row.name)
            if not why and row.code in seen_codes:
                why = f"the same code as line {seen_codes[row.code]}"
            if not why and key in seen_names:
                why = f"the same name as line {seen_names[key]}"
            if why:
                summary.skip(row.line, why)
                continue
            seen_codes[row.code] = row.line
            seen_names[key] = row.line
            good.append(row)
        _write(good, key_field, summary, now)
        if after_batch is not None:
            after_batch(summary)
    audit.record(
        "registers_imported",
        actor=by,
        target=REGISTERS[register],
        added=summary.added,
        updated=summary.updated,
        unchanged=summary.unchanged,
        skipped=summary.skipped_count,
    )
    return summary


FIELDS = ("name", "address", "postcode", "town")


def _write(rows: list[RegisterRow], key_field: str, summary: Summary, now) -> None:
    if not rows:
        return
    by_code = {
        getattr(o, key_field): o
        for o in Organisation.objects.filter(**{f"{key_field}__in": [r.code for r in rows]})
    }
    keys = {name_key(r.name) for r in rows}
    by_name = {o.name_key: o for o in Organisation.objects.filter(name_key__in=keys)}
    claimed = {o.pk: o for o in by_code.values()}
    to_create, to_update = [], []
    for row in rows:
        key = name_key(row.name)
        organisation = by_code.get(row.code)
        named = by_name.get(key)
        if organisation is None:
            if named is not None and getattr(named, key_field) not in ("", row.code):
                summary.skip(
                    row.line,
                    f"“{named.name}” is already in the directory with another code "
                    f"({getattr(named, key_field)})",
                )
                continue
            if named is not None and named.pk in claimed:
                summary.skip(row.line, f"“{named.name}” already matched another row's code")
                continue
            organisation = named
        elif named is not None and named.pk != organisation.pk:
            summary.skip(
                row.line,
                f"renamed to “{row.name}”, which another organisation in the directory has: "
                "merge the two first",
            )
            continue
        if organisation is None:
            created = Organisation(
                name=row.name,
                sector=row.sector,
                address=row.address[:300],
                postcode=row.postcode,
                town=row.town[:100],
                is_confirmed=True,
                registers_updated_at=now,
                **{key_field: row.code},
            )
            to_create.append(created)
            continue
        claimed[organisation.pk] = organisation
        if _apply(organisation, row, key_field):
            organisation.registers_updated_at = now
            to_update.append(organisation)
        else:
            summary.unchanged += 1
    Organisation.objects.bulk_create(to_create)
    _update(to_update, key_field)
    summary.added += len(to_create)
    summary.updated += len(to_update)


def _update(organisations: list[Organisation], key_field: str) -> None:
    """Write the changed organisations in one statement. On PostgreSQL an UPDATE … FROM
    (VALUES …): Django's `bulk_update` builds a CASE per row and field, which took 70 s for
    20,000 rows (docs/benchmarks.md). Elsewhere (SQLite) `bulk_update`, with each renamed
    organisation saved on its own, since the directory's `bulk_update` of names goes through
    its `update`, which refuses the CASE expression. Names and keys were set by `set_name`."""
    if not organisations:
        return
    columns = [*FIELDS, "name_key", key_field, "registers_updated_at"]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Organisation._meta.db_table)
        one = "(CAST(%s AS integer), " + ", ".join(["%s"] * (len(columns) - 1))
        one += ", CAST(%s AS timestamp with time zone))"
        assignments = ", ".join(
            f"{connection.ops.quote_name(name)} = v.column{at}"
            for at, name in enumerate(columns, start=2)
        )
        params = [
            value
            for o in organisations
            for value in (o.pk, *(getattr(o, name) for name in columns))
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES "  # noqa: S608 (names quoted)
                + ", ".join([one] * len(organisations))
                + f") AS v WHERE {table}.id = v.column1",
                params,
            )
        return
    for organisation in organisations:
        if getattr(organisation, "_renamed", False):
            organisation.save(update_fields=[*FIELDS, key_field, "registers_updated_at"])
    Organisation.objects.bulk_update(
        [o for o in organisations if not getattr(o, "_renamed", False)],
        [*FIELDS[1:], key_field, "registers_updated_at"],
    )


def _apply(organisation: Organisation, row: RegisterRow, key_field: str) -> bool:
    """Bring the organisation in line with the register; True if anything changed. A name
    that differs only by capitals or spaces is the directory's own spelling, kept. The
    sector is the programme manager's once the organisation is in the directory."""
    changed = False
    if organisation.name_key != name_key(row.name):
        organisation.set_name(row.name)
        organisation._renamed = True
        changed = True
    for name, value in (
        ("address", row.address[:300]),
        ("postcode", row.postcode),
        ("town", row.town[:100]),
        (key_field, row.code),
    ):
        if value and getattr(organisation, name) != value:
            setattr(organisation, name, value)
            changed = True
    return changed
