from django import forms

from evaluation.items import MAX_COUNT
from evaluation.models import ItemKind, SelfAssessmentItem


def _field_name(item: SelfAssessmentItem) -> str:
    return f"item_{item.pk}"


class SelfAssessmentForm(forms.Form):
    """One field per question of the cohort: five labelled points, or a number."""

    def __init__(self, items: list[SelfAssessmentItem], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            name = item.short_label
            if item.kind == ItemKind.SCALE:
                field = forms.TypedChoiceField(
                    label=item.question,
                    choices=[(value, f"{value} – {label}") for value, label in item.points],
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": f"Choose one answer for “{name}”",
                        "invalid_choice": f"Choose one of the five answers for “{name}”",
                    },
                )
            else:
                field = forms.IntegerField(
                    label=item.question,
                    min_value=0,
                    max_value=MAX_COUNT,
                    help_text="A whole number: your best estimate. Enter 0 if there is no one yet.",
                    error_messages={
                        "required": f"Enter a number for “{name}” (0 if no one)",
                        "invalid": f"Enter a whole number for “{name}”, like 4",
                        "min_value": f"Enter 0 or more for “{name}”",
                        "max_value": f"Enter a number up to {MAX_COUNT} for “{name}”",
                    },
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
            self.fields[_field_name(item)] = field

    def values(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[_field_name(item)] for item in self.items}


class ItemForm(forms.ModelForm):
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
                    error_messages={"required": f"Enter a label for point {point}"},
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
