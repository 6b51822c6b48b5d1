"""Form helpers shared by every app."""

import calendar
import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH
from django.template.loader import render_to_string
from django.utils.safestring import SafeData, mark_safe

from i2i.names import has_control_characters

# Month names a person may type in the Month box instead of its number: "March", "Mar",
# "mar", and "Sept" (GOV.UK's date input accepts them).
_MONTHS = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
DATE_PARTS = ("day", "month", "year")
_ISO_LIKE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class TypedDate(str):
    """What a person typed in a date's Day, Month and Year boxes, kept as typed (`parts`) so
    that a page shown again with errors gives it all back, never lost.

    As a string it is the date in ISO form ("2026-12-03"), which `forms.DateField` reads as
    it always has; when the parts make no date it is a string no date format reads, so that
    the field refuses it, and `problem` (a message with "{label}" in it) and `wrong` (the
    parts to mark) say why, in GOV.UK's words."""

    parts: dict[str, str]
    problem: str
    wrong: tuple[str, ...]

    def __new__(cls, day: str, month: str, year: str):
        parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
        problem, wrong, date = _read_parts(parts)
        if date:
            text = date.isoformat()
        elif any(parts.values()):
            text = "?".join(parts.values()) + "?"  # no date format reads it
        else:
            text = ""  # nothing typed: the field's "required"
        typed = super().__new__(cls, text)
        typed.parts, typed.problem, typed.wrong = parts, problem, wrong
        return typed


def _number(text: str) -> bool:
    # ASCII digits only: "²" is a digit to `str.isdigit` but not to `int`.
    return text.isascii() and text.isdigit()


def whole_number(text) -> int | None:
    """A whole number typed or sent in a query string ("12"), or None: "²" and "١٢" are
    digits to `str.isdigit` but not to `int`, and a number too long for a database key is
    no key (nor a count anyone meant)."""
    text = str(text or "").strip()
    return int(text) if _number(text) and len(text) <= 18 else None


def _read_parts(parts: dict[str, str]) -> tuple[str, tuple[str, ...], dt.date | None]:
    """(problem, the parts in error, the date): GOV.UK's order, a part left out first, then
    a part that is no number, then a year without 4 numbers, then a day the month lacks."""
    if not any(parts.values()):
        return "", (), None
    missing = tuple(p for p in DATE_PARTS if not parts[p])
    if missing:
        return f"{{label}} must include a {' and '.join(missing)}", missing, None
    day, year = parts["day"], parts["year"]
    month = parts["month"].lower().rstrip(".")
    month = str(_MONTHS[month]) if month in _MONTHS else month
    wrong = tuple(
        p
        for p, text, top in (("day", day, 31), ("month", month, 12))
        if not (_number(text) and len(text) <= 2 and 1 <= int(text) <= top)
    )
    if not (_number(year) and len(year) == 4 and int(year) >= dt.MINYEAR):
        if wrong:
            return "{label} must be a real date", (*wrong, "year"), None
        return "{label} must include a year with 4 numbers", ("year",), None
    if wrong:
        return "{label} must be a real date", wrong, None
    try:
        return "", (), dt.date(int(year), int(month), int(day))
    except ValueError:  # the 30th of February, the 29th in a year that is not a leap year
        return "{label} must be a real date", ("day",), None


def date_problem(value, label: str) -> str | None:
    """The message for a date typed in parts that makes no date: "Date must include a
    month", "Start date must be a real date"; None when there is none."""
    if isinstance(value, TypedDate) and value.problem:
        return value.problem.format(label=label[:1].upper() + label[1:])
    return None


class DateInput(forms.Widget):
    """A date as GOV.UK and the NHS ask for one: Day, Month and Year boxes in a fieldset whose
    legend is the field's label, under the hint "For example, 27 3 2026"; never the browser's
    date picker, which shows mm/dd/yyyy in an American browser.

    The boxes are `<name>-day`, `<name>-month` and `<name>-year`; a post with `<name>` alone
    ("2026-03-27", as the tests and scripts send) is read as before. The value the field
    gets is a `TypedDate`; `PlainErrorsMixin` words its problem, and only the parts in error
    are marked. `autocomplete` ("bday") names the parts for a browser to fill; an ordinary
    date has none."""

    template_name = "widgets/date_input.html"
    use_fieldset = True
    WIDTHS = {"day": 2, "month": 2, "year": 4}
    HINT = "For example, 27 3 2026"

    def __init__(self, attrs=None, *, autocomplete: str | None = None):
        super().__init__(attrs)
        self.autocomplete = autocomplete

    def render(self, name, value, attrs=None, renderer=None):
        # From the project's templates (templates/widgets/), which Django's default form
        # renderer does not read.
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))  # noqa: S308

    def id_for_label(self, id_):
        # The legend names the group; a legend has no `for`. The error summary links to the
        # first part in error (`i2i.templatetags.i2i_forms.error_link`).
        return ""

    def format_value(self, value) -> dict[str, str]:
        if isinstance(value, TypedDate):
            return value.parts
        if isinstance(value, str) and value:
            # Posted whole, as the fallback allows: a date in its parts as typed ("0001-01-01"),
            # anything else whole in the Day box ("31/02/2027"); never lost.
            iso = _ISO_LIKE.fullmatch(value.strip())
            try:
                dt.date.fromisoformat(value.strip())
            except ValueError:
                iso = None
            if iso:
                year, month, day = iso.groups()
                return {"day": day, "month": month, "year": year}
            return {"day": value, "month": "", "year": ""}
        if isinstance(value, dt.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return dict.fromkeys(DATE_PARTS, "")

    def value_from_datadict(self, data, files, name):
        keys = [f"{name}-{part}" for part in DATE_PARTS]
        if any(key in data for key in keys):
            return TypedDate(*(data.get(key) or "" for key in keys))
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{part}" in data for part in DATE_PARTS)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        invalid = attrs.pop("aria-invalid", None) == "true"
        classes = attrs.pop("class", "form-control").split()
        base = " ".join(c for c in classes if c != "is-invalid") or "form-control"
        # A part in error is marked only when the field shows an error; then the parts that
        # the message is about, or all three when it is about the whole date (its range).
        own = value.wrong if isinstance(value, TypedDate) and value.problem else ()
        wrong = (own or DATE_PARTS) if invalid else ()
        values = self.format_value(value)
        id_ = attrs.pop("id", None)
        parts = []
        for part in DATE_PARTS:
            part_attrs = {
                **attrs,
                "class": f"{base} date-input-width-{self.WIDTHS[part]}"
                + (" is-invalid" if part in wrong else ""),
                "inputmode": "numeric",
            }
            if id_:
                part_attrs["id"] = f"{id_}-{part}"
            if part in wrong:
                part_attrs["aria-invalid"] = "true"
            if self.autocomplete:
                part_attrs["autocomplete"] = f"{self.autocomplete}-{part}"
            parts.append(
                {
                    "name": f"{name}-{part}",
                    "label": part.capitalize(),
                    "value": values[part],
                    "attrs": part_attrs,
                }
            )
        context["widget"]["parts"] = parts
        context["widget"]["hint"] = self.HINT
        context["widget"]["hint_id"] = f"{id_}-hint" if id_ else ""
        return context

    @staticmethod
    def first_in_error(bound_field) -> str:
        """The id of the first part in error, where the error summary's link goes."""
        data = bound_field.data if bound_field.form.is_bound else None
        own = data.wrong if isinstance(data, TypedDate) and data.problem else ()
        return f"{bound_field.auto_id}-{own[0] if own else 'day'}"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


# Words after which "the" would be wrong: "Select their level", "Enter who you met".
_DETERMINERS = {
    "a", "an", "the", "this", "that", "these", "those", "each", "every", "any", "some",
    "my", "your", "his", "her", "its", "our", "their",
}  # fmt: skip
_QUESTION_WORDS = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how"}
_AUXILIARIES = {
    "is", "are", "was", "were", "has", "have", "had", "do",
    "can", "could", "will", "would", "shall", "should", "may", "might", "must",
}  # fmt: skip
_SUBJECTS = {"i", "you", "we", "they", "it", "he", "she"}
_DASHES = BLANK_CHOICE_DASH[0][1]


def _in_sentence(label: str) -> str:
    """The label as it reads inside a sentence: its first word lower-cased, unless it is
    "I" or an acronym that keeps its capitals ("NMC", "DBS", "PDSA", "I2I")."""
    first, space, rest = label.partition(" ")
    if first == "I" or any(c.isupper() or c.isdigit() for c in first[1:]):
        return label
    return first[:1].lower() + first[1:] + space + rest


def _clause(question: str) -> str | None:
    """A question as it reads inside a sentence, or None when it cannot be turned round
    safely: "What would you like them to add?" → "what you would like them to add",
    "Has it happened?" → "whether it has happened". "Does"/"did" are left alone: turning
    them round changes the verb ("what did you learn" → "what you learnt")."""
    words = question.rstrip("?").split()
    lowered = [w.lower() for w in words]
    # The auxiliary comes first in a yes/no question, after "what" or "what changes" in
    # the others.
    wh = bool(lowered) and lowered[0] in _QUESTION_WORDS
    for i in (1, 2) if wh else (0,):
        if i + 1 < len(words) and lowered[i] in _AUXILIARIES and lowered[i + 1] in _SUBJECTS:
            head = words[:i] if wh else ["whether"]
            # "Why do you want…" → "why you want…": the "do" only served the question.
            aux = [] if lowered[i] == "do" else [lowered[i]]
            return _in_sentence(" ".join([*head, words[i + 1], *aux, *words[i + 2 :]]))
    return None


def _what(label: str) -> str | None:
    """What the person is asked for, as the object of "Enter" or "Select": "their level",
    "who you met", "the job title"; None for a question that cannot be turned round."""
    label = label.strip().removesuffix("(optional)").strip()
    # "Plan: the change to test": the stage before the colon is a heading, not the thing.
    stage, colon, thing = label.partition(": ")
    if colon and " " not in stage and thing:
        label = thing
    if label.endswith("?"):
        return _clause(label)
    phrase = _in_sentence(label)
    words = phrase.split(" ")
    first, last = words[0], words[-1]
    # "Enter their level", "Enter who you met", "Enter learning outcome 3".
    if first.lower() in _DETERMINERS | _QUESTION_WORDS or last.isdigit():
        return phrase
    return f"the {phrase}"


def required_message(label: str, *, choosing: bool = False) -> str:
    """What to do when a field is left empty, as GOV.UK words it: "Select their level",
    "Enter who you met", "Enter what you would like them to add". No full stop."""
    what = _what(label)
    if what is None:
        return f"Answer “{label.strip()}”"
    return f"{'Select' if choosing else 'Enter'} {what}"


def _django_default(field, code: str) -> str:
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return str(defaults.get(code, ""))


class PlainErrorsMixin:
    """Error messages that say what to do ("Select their level", "Enter who you met"), as
    GOV.UK and the NHS service manual ask, instead of Django's "This field is required.";
    and radio groups that offer only real answers.

    A message a form sets itself is kept. Fields added after `__init__` (by a subclass, or
    by allauth on the sign-up form) get their wording when the form is validated."""

    def __init__(self, *args, **kwargs):
        self._worded = {}
        super().__init__(*args, **kwargs)
        self._plain_wording()

    def full_clean(self):
        self._plain_wording()
        super().full_clean()

    def _plain_wording(self):
        for name, field in self.fields.items():
            label = str(field.label or name.replace("_", " ").capitalize())
            _plain_choices(field, label)
            _one_line(field, label)
            messages = _plain_messages(field, label)
            if self.is_bound and isinstance(field.widget, DateInput):
                # A date typed in parts says which part is wrong ("Date must include a month").
                typed = field.widget.value_from_datadict(
                    self.data, self.files, self.add_prefix(name)
                )
                if problem := date_problem(typed, label):
                    messages["invalid"] = problem
            for code, message in messages.items():
                current = field.error_messages.get(code)
                ours = self._worded.get((name, code))
                if current is None or str(current) in (_django_default(field, code), ours):
                    field.error_messages[code] = self._worded[name, code] = message


def _plain_choices(field, label: str) -> None:
    """Django starts a choice from a model field with "---------". A radio group should
    start with nothing chosen (GOV.UK), so the dashes go; a form whose optional radio group
    needs a way back to "no answer" adds a choice worded for it. A drop-down keeps its
    empty first option, worded "Choose the sector"."""
    if not hasattr(field, "choices"):
        return
    radios = isinstance(field.widget, forms.RadioSelect) and not isinstance(
        field.widget, forms.CheckboxSelectMultiple
    )
    placeholder = f"Choose {_what(label) or 'one'}"
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == _DASHES:
            field.empty_label = None if radios else placeholder
        return
    choices = list(field.choices)
    dashes = [(v, t) for v, t in choices if v in ("", None) and t == _DASHES]
    if dashes:
        field.choices = [
            (v, placeholder if (v, t) in dashes else t)
            for v, t in choices
            if not (radios and (v, t) in dashes)
        ]


class OneLineValidator:
    """A one-line box (a name, a job title, a place) holds no tab, line break or other
    control character: they are never typed into one, and a name goes on into email
    subjects, CSV files and PDFs, where a line break breaks them. Browsers strip line breaks
    from such a box, so only a crafted or pasted request brings one."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(self.message, code="control_characters")

    def __eq__(self, other) -> bool:
        return isinstance(other, OneLineValidator) and other.message == self.message


def _one_line(field, label: str) -> None:
    """Every one-line text box refuses control characters, next to the field; boxes for
    paragraphs (which take line breaks) and passwords (whatever the person chose) do not."""
    if not isinstance(field, forms.CharField) or isinstance(
        field.widget, forms.Textarea | forms.PasswordInput
    ):
        return
    if any(isinstance(v, OneLineValidator) for v in field.validators):
        return
    # The form's own words for the box where it has them ("Enter your full name").
    own = str(field.error_messages.get("required", ""))
    ask = own if own and own != _django_default(field, "required") else required_message(label)
    field.validators.append(
        OneLineValidator(f"{ask} without tabs, line breaks or hidden characters")
    )


# How to write what goes in a box, for the boxes that take a particular form. DecimalField
# and FloatField come before IntegerField, whose subclasses they are.
_EXAMPLES = {
    forms.DateField: "as a real date, for example 3 March 2027",
    forms.TimeField: "as a time, for example 9:30am",
    forms.URLField: "as a web address, for example https://www.example.org",
    forms.EmailField: "in the right format, for example name@example.org",
    forms.DecimalField: "as a number, for example 12 or 4.5",
    forms.FloatField: "as a number, for example 12 or 4.5",
    forms.IntegerField: "as a whole number, for example 12",
}


def _plain_messages(field, label: str) -> dict[str, str]:
    ask = required_message(
        label, choosing=isinstance(field.widget, forms.Select | forms.RadioSelect)
    )
    messages = {"required": ask}
    for kind, example in _EXAMPLES.items():
        if isinstance(field, kind):
            messages["invalid"] = f"{ask} {example}"
            break
    if getattr(field, "max_length", None):
        messages["max_length"] = (
            ask.replace("%", "%%")
            + " in %(limit_value)d characters or fewer (it has %(show_value)d)"
        )
    return messages


class OneRowChoiceField(forms.ModelChoiceField):
    """Reads its one row with filter() instead of get(). A form with two choices of one model
    (a line manager and a sponsor; a duplicate organisation and the one to merge it into)
    reads two rows from one `is_valid()` line, which django-zeal (under pytest) would take
    for an N+1; two different fields are not one."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            found = self.queryset.filter(pk=value).first()
        except (ValueError, TypeError, ValidationError):
            found = None
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


OPTIONAL = "(optional)"


def is_marked_optional(bound_field) -> bool:
    """Whether the field's label says "(optional)" (GOV.UK and the NHS mark the optional
    fields, not the required ones): every field a person may leave empty, except

    - a single checkbox, whose empty answer is "no";
    - a field the form names in `conditionally_required`: one a saved draft may leave empty
      but that is needed to send it (an Expression of Interest's questions), or needed in
      the case its hint names ("Needed if you return the outcomes").

    Used by the crispy-forms field template (`i2i.templatetags.i2i_forms.label_text`)."""
    field = bound_field.field
    return not (
        field.required
        or bound_field.is_hidden
        or isinstance(field.widget, forms.CheckboxInput)
        or bound_field.name in getattr(bound_field.form, "conditionally_required", ())
    )


def label_text(bound_field) -> str:
    """The field's label as it is shown: "Notes (optional)" for an optional field, the
    label alone for a required one (never with "*"). A label that already ends with
    "(optional)" is left as it is."""
    label = str(bound_field.label or "").strip()
    if label and is_marked_optional(bound_field) and not label.endswith(OPTIONAL):
        label = f"{label} {OPTIONAL}"
    # A label a form marked as safe HTML stays so.
    return mark_safe(label) if isinstance(bound_field.label, SafeData) else label  # noqa: S308


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it concerns (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
