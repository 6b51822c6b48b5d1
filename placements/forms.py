from django import forms

from i2i.forms import DateInput, PlainErrorsMixin, TimeInput
from i2i.templatetags.i2i_formats import clock_text
from participants.models import Sector
from participants.widgets import OrganisationChoiceField, OrganisationSelect
from placements.models import (
    TYPICAL_TIMES,
    HalfDay,
    HalfDayStatus,
    Placement,
    PlacementStatus,
    Session,
)
from placements.services import end_time_message

MAX_OUTCOMES = 12


class PlacementForm(PlainErrorsMixin, forms.ModelForm):
    """Choose a host from the directory, or propose one that is not there yet."""

    # One or the other is needed, and a proposed organisation's sector (`clean`).
    conditionally_required = frozenset({"organisation", "proposed_name", "proposed_sector"})

    proposed_name = forms.CharField(
        label="Or propose an organisation that is not listed",
        required=False,
        max_length=200,
        help_text="The programme manager will check it and add it to the directory.",
        error_messages={
            "max_length": "Enter the name of the organisation you propose in %(limit_value)d "
            "characters or fewer (it has %(show_value)d)"
        },
    )
    proposed_sector = forms.ChoiceField(
        label="Its sector", choices=[("", "Choose a sector")] + Sector.choices, required=False
    )
    proposed_town = forms.CharField(label="Its town", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (PlacementStatus.PLANNED, "Planned: still arranging it"),
            (PlacementStatus.AGREED, "Agreed with the host"),
        ],
        initial=PlacementStatus.PLANNED,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Placement
        fields = [
            "organisation",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "relevance_services",
            "relevance_interfaces",
            "relevance_career",
            # The host's offer chosen above the form (issue #20), carried in a hidden field.
            "offer",
        ]
        field_classes = {"organisation": OrganisationChoiceField}
        widgets = {
            # With no match, the picker offers to propose the organisation (`proposed_name`).
            "organisation": OrganisationSelect(attrs={"data-propose": "id_proposed_name"}),
            "relevance_services": forms.Textarea(attrs={"rows": 3}),
            "relevance_interfaces": forms.Textarea(attrs={"rows": 3}),
            "relevance_career": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "offer": forms.HiddenInput,
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations
        field.required = False
        field.empty_label = "Choose an organisation"
        field.help_text = "Start typing its name, sector or town, then choose it from the list."
        if self.instance.pk and self.instance.status in {
            PlacementStatus.IN_PROGRESS,
            PlacementStatus.COMPLETE,
        }:
            # Derived from the half-days; not the participant's to set.
            del self.fields["status"]
        elif self.instance.pk:
            self.fields["status"].initial = self.instance.status

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("proposed_name"):
            self.add_error(
                "organisation", "Choose the host organisation, or propose one that is not listed"
            )
        offer = data.get("offer")
        if offer and data.get("organisation") != offer.organisation:
            data["offer"] = None  # another host was chosen: the offer no longer applies
        proposing = data.get("proposed_name") and not data.get("organisation")
        if proposing and not data.get("proposed_sector"):
            self.add_error("proposed_sector", "Select the sector of the organisation you propose")
        return data


class OutcomesForm(PlainErrorsMixin, forms.Form):
    """Up to twelve learning outcomes, one per box; empty boxes are ignored."""

    # At least one is needed to send them (`clean`); the others say "(optional)".
    conditionally_required = frozenset({"outcome_1"})

    def __init__(self, *args, texts: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        count = min(MAX_OUTCOMES, max(3, len(texts) + 1))
        for i in range(count):
            self.fields[f"outcome_{i + 1}"] = forms.CharField(
                label=f"Learning outcome {i + 1}",
                required=False,
                max_length=2000,
                initial=texts[i] if i < len(texts) else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def texts(self) -> list[str]:
        return [
            self.cleaned_data[name].strip()
            for name in self.fields
            if self.cleaned_data.get(name, "").strip()
        ]

    def clean(self):
        data = super().clean()
        if self.data.get("action") == "submit" and not self.texts():
            self.add_error("outcome_1", "Write at least one learning outcome before you send them")
        return data


class HalfDayForm(PlainErrorsMixin, forms.ModelForm):
    status = forms.ChoiceField(
        label="Has it happened?",
        choices=[
            (HalfDayStatus.PLANNED, "Not yet: it is planned"),
            (HalfDayStatus.COMPLETED, "Yes: it is completed"),
        ],
        widget=forms.RadioSelect,
        initial=HalfDayStatus.PLANNED,
    )

    class Meta:
        model = HalfDay
        fields = [
            "date",
            "session",
            "starts_at",
            "ends_at",
            "location",
            "person_met",
            "level",
            "pathway_connection",
        ]
        widgets = {
            "date": DateInput(),
            # static/js/half-day-times.js fills the times from the session chosen.
            "session": forms.RadioSelect(attrs={"data-module": "half-day-session"}),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "level": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left blank, the times are the session's typical times (`HalfDay.fill_typical_times`).
        typical = "; ".join(
            f"{Session(session).label.lower()} {clock_text(starts)} to {clock_text(ends)}"
            for session, (starts, ends) in TYPICAL_TIMES.items()
        )
        for name in ("starts_at", "ends_at"):
            field = self.fields[name]
            field.required = False
            field.widget.attrs["data-typical"] = " ".join(
                f"{session}={times[0 if name == 'starts_at' else 1]:%H:%M}"
                for session, times in TYPICAL_TIMES.items()
            )
        self.fields["starts_at"].help_text = f"Leave the times blank for the usual ones: {typical}."

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        typical = TYPICAL_TIMES.get(data.get("session"))
        if typical:
            starts, ends = starts or typical[0], ends or typical[1]
        if starts and ends and ends <= starts:
            self.add_error("ends_at", end_time_message(starts))
        return data


class ConfirmForm(PlainErrorsMixin, forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
