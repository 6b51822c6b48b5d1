from django import forms

from i2i.forms import DateInput, PlainErrorsMixin
from reflections.frameworks import FRAMEWORKS, NMC_THEMES, OUTCOME_RATINGS, PRINCIPLES


class AccountForm(PlainErrorsMixin, forms.Form):
    """The account's fields for its current framework, built from the framework's data."""

    framework = forms.ChoiceField(
        label="Framework",
        choices=[(f.code, f.name) for f in FRAMEWORKS.values()],
        help_text="Switching keeps everything you have written.",
    )
    principles = forms.MultipleChoiceField(
        label="Which principles of workforce integration does your learning touch? (optional)",
        choices=PRINCIPLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    workshop_learning = forms.CharField(
        label="Learning I will share at the workshop",
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A short paragraph for the workshop pack. It is the only part of your "
        "account anyone other than your line manager reads.",
    )

    def __init__(self, *args, account, framework_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        framework = FRAMEWORKS.get(framework_code or account.framework, account.framework_spec)
        self.framework = framework
        self.initial.setdefault("framework", framework.code)
        self.initial.setdefault("principles", account.principles)
        self.initial.setdefault("workshop_learning", account.workshop_learning)
        for prompt in framework.prompts:
            self.fields[f"answer_{prompt.key}"] = forms.CharField(
                label=prompt.label,
                help_text=prompt.help,
                required=False,
                max_length=20_000,
                initial=account.answer(prompt.key),
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        self.outcomes = []
        if framework.rates_outcomes:
            for outcome in account.placement.outcomes.all():
                saved = (account.outcome_ratings or {}).get(str(outcome.pk), {})
                self.fields[f"rating_{outcome.pk}"] = forms.ChoiceField(
                    label=f"How far was this outcome met: “{outcome.text}”",
                    choices=OUTCOME_RATINGS,
                    required=False,
                    widget=forms.RadioSelect,
                    initial=saved.get("rating", ""),
                )
                self.fields[f"rating_comment_{outcome.pk}"] = forms.CharField(
                    label="Comment",
                    required=False,
                    max_length=2000,
                    initial=saved.get("comment", ""),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                self.outcomes.append(outcome)
        # The framework's prompts are the account: sharing needs them written, though a
        # draft may leave any empty. Their labels do not say "(optional)".
        self.conditionally_required = {n for n in self.fields if n.startswith("answer_")}
        if framework.asks_code_themes:
            self.fields["code_themes"] = forms.MultipleChoiceField(
                label="Themes of the Code this relates to",
                choices=NMC_THEMES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=account.code_themes,
            )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "framework": data["framework"],
            "answers": {
                name.removeprefix("answer_"): value
                for name, value in data.items()
                if name.startswith("answer_")
            },
            "principles": data.get("principles", []),
            "workshop_learning": data.get("workshop_learning", ""),
        }
        if self.outcomes:
            kwargs["outcome_ratings"] = {
                str(o.pk): {
                    "rating": data.get(f"rating_{o.pk}", ""),
                    "comment": data.get(f"rating_comment_{o.pk}", ""),
                }
                for o in self.outcomes
            }
        if "code_themes" in self.fields:
            kwargs["code_themes"] = data.get("code_themes", [])
        return kwargs


class DiscussionForm(PlainErrorsMixin, forms.Form):
    discussed_on = forms.DateField(label="Date you discussed it", widget=DateInput())
    comment = forms.CharField(
        label="Comments for the participant",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AskMoreForm(PlainErrorsMixin, forms.Form):
    """On the same page as `DiscussionForm`, which also has a `comment`: its own ids, so that
    each label names its own box."""

    comment = forms.CharField(
        label="What would you like them to add?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_ask_more_%s")
        super().__init__(*args, **kwargs)


class MidProgrammeReviewForm(PlainErrorsMixin, forms.Form):
    """The line manager's record of the mid-programme review: short, for a phone."""

    held_on = forms.DateField(label="Date you held the review", widget=DateInput())
    going_well = forms.CharField(
        label="What is going well",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what is going well"},
    )
    help_needed = forms.CharField(
        label="What help is needed",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="From you, their sponsor or the programme.",
    )
    plan = forms.CharField(
        label="The plan to the end of the programme",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What they will do, and by when, before their six months end.",
        error_messages={"required": "Enter the plan to the end of the programme"},
    )
