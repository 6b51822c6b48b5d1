from django import forms

from evaluation.items import MAX_COUNT
from evaluation.models import MAX_CONTACTS, Band, ItemKind, SelfAssessmentItem
from i2i.forms import PlainErrorsMixin


def _field_name(item: SelfAssessmentItem) -> str:
    return f"item_{item.pk}"


class _BootstrapBoundField(forms.BoundField):
    """Bootstrap shows a field in error by its `is-invalid` class. Django adds
    aria-invalid and aria-describedby when the field renders, so the class is added then
    too, whether the error came from the form or from the service."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            base = attrs.get("class") or (widget or self.field.widget).attrs.get("class", "")
            attrs["class"] = f"{base} is-invalid".strip()
        return attrs


class SelfAssessmentForm(PlainErrorsMixin, forms.Form):
    """One field per question of the cohort: five labelled points, or a number. Errors say
    what to do; the question they belong to is the one shown above them (and in the error
    summary), never the short label that only charts use."""

    bound_field_class = _BootstrapBoundField

    def __init__(self, items: list[SelfAssessmentItem], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            if item.kind == ItemKind.SCALE:
                field = forms.TypedChoiceField(
                    label=item.question,
                    choices=[(value, f"{value} – {label}") for value, label in item.points],
                    coerce=int,
                    # Bootstrap's form-check, larger than the browser's 13px default, so
                    # that it can be seen and tapped on a phone.
                    widget=forms.RadioSelect(attrs={"class": "form-check-input fs-4 m-0"}),
                    error_messages={
                        "required": "Choose one answer.",
                        "invalid_choice": "Choose one of the five answers.",
                    },
                )
            else:
                field = forms.IntegerField(
                    label=item.question,
                    min_value=0,
                    max_value=MAX_COUNT,
                    help_text="A whole number: your best estimate. Enter 0 if there is no one yet.",
                    error_messages={
                        "required": "Enter a number (0 if there is no one yet).",
                        "invalid": "Enter a whole number, like 4.",
                        "min_value": "Enter 0 or more.",
                        "max_value": f"Enter a number up to {MAX_COUNT}.",
                    },
                    # A text box that opens the number keypad: a number input would change
                    # the answer when someone scrolls over it (GOV.UK's advice).
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control w-auto",
                            "inputmode": "numeric",
                            "spellcheck": "false",
                            "size": 5,
                        }
                    ),
                )
            self.fields[_field_name(item)] = field

    def values(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[_field_name(item)] for item in self.items}


class ItemForm(PlainErrorsMixin, forms.ModelForm):
    """Reword a question and, for a scale, its five points."""

    class Meta:
        model = SelfAssessmentItem
        fields = ["question", "short_label"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].error_messages["required"] = "Enter the question"
        self.fields["short_label"].error_messages["required"] = "Enter a short label"
        if self.instance.kind == ItemKind.SCALE:
            for point, label in self.instance.points:
                self.fields[f"point_{point}"] = forms.CharField(
                    label=f"Point {point}",
                    initial=label,
                    max_length=40,
                    error_messages={
                        "required": f"Enter a label for point {point}",
                        "max_length": f"Enter a label for point {point} in %(limit_value)d "
                        "characters or fewer (it has %(show_value)d)",
                    },
                )

    def save(self, commit=True):
        if self.instance.kind == ItemKind.SCALE:
            self.instance.scale_labels = [
                self.cleaned_data[f"point_{point}"] for point in range(1, 6)
            ]
        return super().save(commit=commit)


def item_forms(items: list[SelfAssessmentItem], data=None) -> list[ItemForm]:
    """One form per question, prefixed by its id (a model formset would fetch each
    question again to check its hidden id)."""
    return [ItemForm(data, instance=item, prefix=f"item-{item.pk}") for item in items]


YES_NO = [("yes", "Yes"), ("no", "No")]


class FollowUpForm(PlainErrorsMixin, forms.Form):
    """The follow-up questionnaire, 6 or 12 months after the workshop: one page, short enough
    for a phone. Yes/no questions are radios that start with nothing chosen."""

    role = forms.CharField(
        label="Your job title now",
        max_length=120,
        help_text="For example, Senior staff nurse or Team manager.",
        error_messages={"required": "Enter your job title now"},
    )
    band = forms.ChoiceField(
        label="Your band now",
        choices=Band.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your band now, or Prefer not to say"},
    )
    promoted = forms.ChoiceField(
        label="Since the programme, have you been promoted or moved to a new role?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have been promoted or moved to a new role"},
    )
    same_employer = forms.ChoiceField(
        label="Are you still with the same employer?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you are still with the same employer"},
    )
    contacts = forms.IntegerField(
        label="How many people you met on your placements are you still in touch with?",
        min_value=0,
        max_value=MAX_CONTACTS,
        help_text="A whole number from 0 to 50: your best estimate.",
        error_messages={
            "required": "Enter how many people you are still in touch with (0 if none)",
            "invalid": "Enter a whole number, like 4",
            "min_value": "Enter 0 or more",
            "max_value": f"Enter a number up to {MAX_CONTACTS}",
        },
        # A text box that opens the number keypad: a number input would change the answer
        # when someone scrolls over it (GOV.UK's advice).
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "size": 5}),
    )
    learning_use = forms.CharField(
        label="How are you using what you learned on the programme?",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In your work, your team or your career. Please do not name patients.",
    )

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "band": data["band"],
            "promoted": data["promoted"] == "yes",
            "same_employer": data["same_employer"] == "yes",
            "contacts": data["contacts"],
            "learning_use": data["learning_use"],
        }
