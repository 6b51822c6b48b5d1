"""Reflective frameworks as data: adding one is a few lines here, not a new model.

Every framework's answers are kept under their prompt keys, so switching framework
on a draft never loses what was written under another.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    key: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    summary: str
    prompts: tuple[Prompt, ...]
    # The prompt whose answer helps define the next placement's learning outcomes.
    next_learning_key: str = ""
    # The prompt whose answer feeds the service improvement initiative.
    ideas_key: str = ""
    rates_outcomes: bool = False
    asks_code_themes: bool = False

    def prompt(self, key: str) -> Prompt | None:
        return next((p for p in self.prompts if p.key == key), None)


I2I = Framework(
    code="i2i",
    name="I2I reflective account",
    summary="The programme's own account: your professional and personal learning.",
    prompts=(
        Prompt("what_happened", "What happened", "Who you met, what you saw and took part in."),
        Prompt(
            "professional_learning",
            "Your professional learning",
            "What you learned about your practice and other professionals' roles.",
        ),
        Prompt("personal_learning", "Your personal learning", "What you learned about yourself."),
        Prompt(
            "pathway_understanding",
            "What you now understand about the care pathway and the wider system",
            "Where people go before and after your service; what helps and what gets in the way.",
        ),
        Prompt(
            "learn_next",
            "What you want to learn next",
            "This helps define your next placement's learning outcomes.",
        ),
        Prompt(
            "improvement_ideas",
            "Ideas for your service improvement initiative",
            "Small changes that would make the pathway smoother for service users or patients.",
        ),
    ),
    next_learning_key="learn_next",
    ideas_key="improvement_ideas",
    rates_outcomes=True,
)

GIBBS = Framework(
    code="gibbs",
    name="Gibbs' reflective cycle",
    summary="Six stages from what happened to what you would do next time.",
    prompts=(
        Prompt("description", "Description", "What happened?"),
        Prompt("feelings", "Feelings", "What were you thinking and feeling?"),
        Prompt("evaluation", "Evaluation", "What was good and bad about the experience?"),
        Prompt("analysis", "Analysis", "What sense can you make of the situation?"),
        Prompt("conclusion", "Conclusion", "What else could you have done?"),
        Prompt("action_plan", "Action plan", "If it arose again, what would you do?"),
    ),
    next_learning_key="action_plan",
)

DRISCOLL = Framework(
    code="driscoll",
    name="Driscoll's What? model",
    summary="Three questions: what, so what, now what.",
    prompts=(
        Prompt("what", "What?", "Describe the experience."),
        Prompt("so_what", "So what?", "What did you learn? Why does it matter?"),
        Prompt("now_what", "Now what?", "What will you do differently as a result?"),
    ),
    next_learning_key="now_what",
)

NMC_THEMES = (
    ("prioritise_people", "Prioritise people"),
    ("practise_effectively", "Practise effectively"),
    ("preserve_safety", "Preserve safety"),
    ("promote_professionalism", "Promote professionalism and trust"),
)

NMC = Framework(
    code="nmc",
    name="NMC revalidation reflective account",
    summary="Laid out like the NMC form, so nurses and midwives can reuse it for revalidation.",
    prompts=(
        Prompt(
            "nmc_nature",
            "What was the nature of the activity or experience?",
            "The placement and what you did there.",
        ),
        Prompt("nmc_learning", "What did you learn from it?"),
        Prompt("nmc_change", "How did you change or improve your practice as a result?"),
        Prompt(
            "nmc_code",
            "How is this relevant to the Code?",
            "Choose one or more of its themes below and say how.",
        ),
    ),
    next_learning_key="nmc_change",
    asks_code_themes=True,
)

FRAMEWORKS: dict[str, Framework] = {f.code: f for f in (I2I, GIBBS, DRISCOLL, NMC)}
DEFAULT = I2I.code
ALL_PROMPT_LABELS = {p.key: (f, p) for f in FRAMEWORKS.values() for p in f.prompts}

OUTCOME_RATINGS = (("met", "Met"), ("partly", "Partly met"), ("not_yet", "Not yet met"))

# The six principles of workforce integration (Skills for Care and partners, 2014).
PRINCIPLES = (
    ("outcomes", "1. Better outcomes for people with care and support needs"),
    ("whole_system", "2. Workforce integration involves the whole system"),
    ("change", "3. Acknowledging and overcoming resistance to change"),
    ("workforce", "4. A confident, skilled workforce supporting active communities"),
    ("process", "5. Process matters: how the workforce is valued"),
    ("relationships", "6. New relationships, networks and ways of working"),
)

PRINCIPLE_CODES = tuple(code for code, _ in PRINCIPLES)


def principle_labels(codes) -> list[str]:
    """The labels of the chosen principles, in the principles' own order (unknown codes,
    left by an older list, are dropped)."""
    chosen = set(codes or ())
    return [label for code, label in PRINCIPLES if code in chosen]
