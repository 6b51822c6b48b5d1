"""Names as people type them, compared as one: organisations ("YSBYTY MÔN CARE" is
"Ysbyty Môn Care") and the people met on half-days (one person met by two participants is
one person, before and after either is erased). Pure functions, used by the models, the
erasure and the evaluation alike; and the address an erased account is known by."""

from __future__ import annotations

import functools
import hmac
import re
import unicodedata
from hashlib import sha256

from django.conf import settings
from django.db.models import Q

# A person met, erased: "(erased person #3f9a0c2b71de)". Older erasures numbered each
# participant's people instead ("(erased person 2)"); `evaluation.network` still tells
# those apart by participant.
ERASED_PERSON_PREFIX = "(erased person #"


# What no name holds: C0 and C1 control characters and DEL (a line break, a tab, an escape),
# and Unicode's line and paragraph separators. A name goes into email subjects (where a line
# break is refused), CSV files and PDFs as one line.
_NOT_IN_A_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(text: str) -> bool:
    """Whether a name (or any one-line text) holds a character that is not written."""
    return bool(_NOT_IN_A_NAME.search(text or ""))


def one_line(text: str) -> str:
    """The text on one line: every run of spaces, line breaks or control characters is one
    space. For email subjects, which may hold a name stored before names were checked."""
    return " ".join(_NOT_IN_A_NAME.sub(" ", text or "").split())


def normalise_name(name: str) -> str:
    """Collapse runs of spaces, so 'Norwich  Hospital ' and 'Norwich Hospital' are one name."""
    return " ".join((name or "").split())


def name_key(name: str) -> str:
    """What every spelling of one organisation's name has in common: spaces collapsed, case
    folded the Unicode way ('MÔN' is 'môn', 'STRASSE' is 'straße', a final 'ς' is 'σ') and
    characters normalised (an 'ô' typed as 'o' and a combining accent is 'ô'; a no-break
    space is a space). Accents are kept: 'Môn' and 'Mon' are different places.

    Computed here rather than with the database's lower(), because SQLite's folds ASCII
    only and PostgreSQL's leaves 'ß' and decomposed accents as they are: a duplicate that
    either let through would count as a second organisation towards the three placements."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name or "").casefold())
    return normalise_name(folded)


def person_met_key(name: str | None) -> str | None:
    """Who a half-day was with, as a key that is the same for every spelling of one name
    (spaces, case and Unicode forms as `name_key` folds them) and that
    does not say the name: an HMAC with the site's secret key, so the key cannot be checked
    against a list of likely names without it. Erasure writes this key in place of the name;
    `evaluation.network` compares names still held through the same function, so a person
    met by an erased participant and by another still counts once. None for no one (a
    blank name). Rotating SECRET_KEY makes names erased before the rotation count apart
    from the same names still held."""
    if name is None or not name.strip():
        return None
    if name.startswith(ERASED_PERSON_PREFIX):
        return name
    digest = hmac.new(_person_met_secret(settings.SECRET_KEY), name_key(name).encode(), sha256)
    return f"{ERASED_PERSON_PREFIX}{digest.hexdigest()[:12]})"


@functools.lru_cache(maxsize=2)
def _person_met_secret(secret_key: str) -> bytes:
    """Django's `salted_hmac` key for the salt "i2i.person_met", derived once rather than
    for each of the thousands of names a region's network compares."""
    return sha256(("i2i.person_met" + secret_key).encode()).digest()


# An erased account keeps its row (its history counts) under an address nobody can hold.
ERASED_EMAIL_DOMAIN = "erased.invalid"


def erased_email(pk: int) -> str:
    return f"erased-{pk}@{ERASED_EMAIL_DOMAIN}"


def erased(prefix: str = "") -> Q:
    """Users (or, with `prefix` "user__", participants) whose records were erased."""
    return Q(**{f"{prefix}email__endswith": "@" + ERASED_EMAIL_DOMAIN})
