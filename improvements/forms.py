from decimal import Decimal

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from i2i.forms import DateInput, PlainErrorsMixin
from improvements.models import (
    PROGRESS_SCALE,
    DataPoint,
    ImprovementInitiative,
    InitiativeStatus,
    Measure,
    PDSACycle,
)
from improvements.services import ENDS_BEFORE_IT_STARTS, MAX_VALUE
from participants.models import Organisation
from reflections.frameworks import PRINCIPLES


class Within:
    """A number within what its column holds, refused in words that name the field ("Enter a
    value of 999,999,999 or less") instead of Django's "Ensure that there are no more than
    12 digits in total.": one message, however far out the number is."""

    def __init__(self, *, smallest, largest, places, too_small, too_large, too_precise=""):
        self.smallest, self.largest, self.places = smallest, largest, places
        self.too_small, self.too_large, self.too_precise = too_small, too_large, too_precise

    def __call__(self, value) -> None:
        if value is None:
            return
        if value > self.largest:
            raise ValidationError(self.too_large, code="max_value")
        if value < self.smallest:
            raise ValidationError(self.too_small, code="min_value")
        if self.places is not None and isinstance(value, Decimal):
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > self.places:
                raise ValidationError(self.too_precise, code="max_decimal_places")

    def __eq__(self, other) -> bool:
        return isinstance(other, Within) and vars(self) == vars(other)


def limit_number(
    field,
    *,
    what: str,
    largest,
    smallest=None,
    money: bool = False,
    too_small: str = "",
    too_large: str = "",
) -> None:
    """Put `Within` in place of Django's digit and value checks on a number field: `what`
    is the field in words ("a value", "a cost"); `smallest` defaults to -`largest`; a money
    field asks for pounds and pence; `too_small` and `too_large` replace the messages."""
    places = getattr(field, "decimal_places", None)
    smallest = -largest if smallest is None else smallest
    pound = "£" if money else ""
    if places is None:
        too_precise = ""
    elif money:
        too_precise = f"Enter {what} in pounds and pence, to {places} decimal places"
    elif places == 1:
        too_precise = f"Enter {what} to 1 decimal place"
    else:
        too_precise = f"Enter {what} with no more than {places} decimal places"
    replaced = (
        validators.DecimalValidator,
        validators.MaxValueValidator,
        validators.MinValueValidator,
    )
    field.validators = [v for v in field.validators if not isinstance(v, replaced)]
    field.validators.append(
        Within(
            smallest=smallest,
            largest=largest,
            places=places,
            too_small=too_small
            or f"Enter {what} of {pound if smallest else ''}{smallest:,} or more",
            too_large=too_large or f"Enter {what} of {pound}{largest:,} or less",
            too_precise=too_precise,
        )
    )
    field.min_value, field.max_value = smallest, largest
    field.widget.attrs.pop("max", None)
    field.widget.attrs.pop("min", None)


# What a measure's values and a data point's value hold (`services.MAX_VALUE`, as pasting).
LARGEST_VALUE = MAX_VALUE


class InitiativeForm(PlainErrorsMixin, forms.ModelForm):
    principles = forms.MultipleChoiceField(
        label="Which principles of workforce integration does your initiative show? (optional)",
        choices=PRINCIPLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ImprovementInitiative
        fields = [
            "title",
            "problem",
            "placements",
            "aim",
            "measures_summary",
            "change_ideas",
            "kind",
            "organisations",
            "teams",
            "co_production",
            "principles",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "aim": forms.Textarea(attrs={"rows": 3}),
            "measures_summary": forms.Textarea(attrs={"rows": 3}),
            "change_ideas": forms.Textarea(attrs={"rows": 4}),
            "co_production": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
            "placements": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        placements = participant.placements.select_related("organisation").exclude(
            status="withdrawn"
        )
        self.fields["placements"].queryset = placements
        self.fields["placements"].label_from_instance = lambda p: str(p.organisation)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            pk__in=[participant.organisation_id, *placements.values_list("organisation", flat=True)]
        )
        self.fields[
            "organisations"
        ].help_text = "Your employer and the organisations of your placements."


class ProgressForm(PlainErrorsMixin, forms.ModelForm):
    conditionally_required = frozenset({"stopped_reason"})  # needed when it stopped
    progress_score = forms.TypedChoiceField(
        label="Progress score",
        choices=[("", "Use the suggested score")]
        + [(str(v), label) for v, label in PROGRESS_SCALE],
        required=False,
        coerce=Decimal,
        empty_value=None,
        help_text="The IHI progress scale, from 1.0 (forming team) to 5.0 (outstanding "
        "sustainable results).",
    )

    class Meta:
        model = ImprovementInitiative
        fields = ["status", "stopped_reason", "progress_score"]
        widgets = {"stopped_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label)
            for value, label in InitiativeStatus.choices
            if value != InitiativeStatus.AGREED or self.instance.status == value
        ]
        if self.instance.progress_score is not None:
            self.initial["progress_score"] = str(self.instance.progress_score)


class OutcomeForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = ImprovementInitiative
        fields = [
            "outcome_what_changed",
            "outcome_for_whom",
            "outcome_evidence",
            "outcome_learning",
            "outcome_sustain",
            "i2i_ideas",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}
        error_messages = {
            # Its label, "For whom", does not follow "Enter" as the others do.
            "outcome_for_whom": {
                "max_length": "Enter who the change was for in %(limit_value)d characters "
                "or fewer (it has %(show_value)d)"
            }
        }


class PDSAForm(PlainErrorsMixin, forms.ModelForm):
    """Plan, Do, Study, Act. The act is decided only after the study, so a cycle is
    recorded (and often revisited) before it has one: "Not decided yet" says so, comes
    after the three real answers, and is the way back if one was chosen too early."""

    class Meta:
        model = PDSACycle
        fields = [
            "change",
            "prediction",
            "starts_on",
            "do_notes",
            "study_notes",
            "act",
            "next_steps",
            "ends_on",
        ]
        widgets = {
            "change": forms.Textarea(attrs={"rows": 2}),
            "prediction": forms.Textarea(attrs={"rows": 2}),
            "do_notes": forms.Textarea(attrs={"rows": 3}),
            "study_notes": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
            "act": forms.RadioSelect,
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["act"].choices = [*PDSACycle.Act.choices, ("", "Not decided yet")]

    def clean(self):
        """Next to the end date, before the database's constraint (which names no field)."""
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", ENDS_BEFORE_IT_STARTS)
        return data


class MeasureForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "name",
            "kind",
            "about_experience",
            "definition",
            "unit",
            "direction",
            "baseline",
            "target",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 2}),
            "direction": forms.RadioSelect,
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_number(self.fields["baseline"], what="a baseline", largest=LARGEST_VALUE)
        limit_number(self.fields["target"], what="a target", largest=LARGEST_VALUE)


CHANGE_HELP = (
    "For example “referral summary sent with every referral”. Making Data Count "
    "recalculates the mean and limits from this point, so the time before the change "
    "is judged on its own."
)


def _check_change(form, cleaned_data: dict) -> dict:
    """A change starts here (the limits are recalculated) needs the change's name."""
    label = cleaned_data.get("phase_label", "").strip()
    if cleaned_data.get("starts_phase") and not label:
        form.add_error("phase_label", "Enter the change that starts at this point")
    elif label and not cleaned_data.get("starts_phase"):
        form.add_error(
            "starts_phase",
            "Tick “a change starts here” to recalculate the limits from this point, or "
            "leave the change empty",
        )
    return cleaned_data


class DataPointForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = DataPoint
        fields = ["date", "value", "note", "starts_phase", "phase_label"]
        widgets = {"date": DateInput()}
        help_texts = {"phase_label": CHANGE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_number(self.fields["value"], what="a value", largest=LARGEST_VALUE)

    def clean(self):
        return _check_change(self, super().clean())


class ChangePointForm(PlainErrorsMixin, forms.Form):
    """Mark a point already entered (typed or pasted) as the first after a change."""

    point = forms.ModelChoiceField(
        label="The first point after the change",
        queryset=DataPoint.objects.none(),
        empty_label="Choose a date",
        error_messages={"required": "Choose the first point after the change"},
    )
    phase_label = forms.CharField(
        label="The change",
        max_length=100,
        help_text=CHANGE_HELP,
        error_messages={"required": "Enter the change that starts at this point"},
    )

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = measure.points.all()
        self.fields["point"].label_from_instance = lambda p: date_format(p.date)


class PasteForm(PlainErrorsMixin, forms.Form):
    data = forms.CharField(
        label="Paste two columns from a spreadsheet: date and value",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="One row a line, for example “03/03/2027⇥9”. A header row is ignored.",
        max_length=50_000,
        error_messages={
            "required": "Paste the dates and values from your spreadsheet",
            "max_length": "Paste at most %(limit_value)d characters at a time "
            "(this has %(show_value)d): split the rows into smaller pastes",
        },
    )


class ChangeUnmarkForm(PlainErrorsMixin, forms.Form):
    """Stop recalculating the limits at a point: the change joins the phase before it."""

    point = forms.ModelChoiceField(
        queryset=DataPoint.objects.none(),
        error_messages={"required": "Choose the change to remove"},
    )

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = measure.points.filter(starts_phase=True)
