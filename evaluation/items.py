"""The self-assessment questions a new cohort starts with, from the leaflet's benefits for
participants ("As a result of participating… the Participant will have…").

`key`s are stable across cohorts so that the same question can be compared cohort by
cohort; the programme manager may reword a question before anyone answers.
"""

UNDERSTANDING = ["Very little", "A little", "Some", "A good deal", "A great deal"]
CONFIDENCE = ["Not at all confident", "Slightly", "Moderately", "Very", "Completely confident"]
SKILL = ["Poor", "Fair", "Good", "Very good", "Excellent"]

# The most people a participant may count: a typo of 1,000 must not swing a median.
MAX_COUNT = 200

DEFAULT_ITEMS = [
    {
        "key": "challenges",
        "kind": "scale",
        "short_label": "Challenges of other organisations",
        "question": "How well do you understand the challenges faced by staff in other "
        "organisations along your patients’ or service users’ care pathway?",
        "scale_labels": UNDERSTANDING,
    },
    {
        "key": "whole_system",
        "kind": "scale",
        "short_label": "Whole-system working",
        "question": "How well do you understand the practical issues of delivering "
        "integrated, whole-system working?",
        "scale_labels": UNDERSTANDING,
    },
    {
        "key": "capabilities",
        "kind": "scale",
        "short_label": "Capabilities along the pathway",
        "question": "How well do you know the capabilities of other people and services "
        "along the pathway?",
        "scale_labels": UNDERSTANDING,
    },
    {
        "key": "new_ideas",
        "kind": "scale",
        "short_label": "Spotting ideas that reduce duplication",
        "question": "How confident are you to spot and introduce ideas that reduce "
        "duplication and make the journey smoother for patients and service users?",
        "scale_labels": CONFIDENCE,
    },
    {
        "key": "communication",
        "kind": "scale",
        "short_label": "Communication skills",
        "question": "How would you rate your communication skills with people in other "
        "organisations?",
        "scale_labels": SKILL,
    },
    {
        "key": "leadership",
        "kind": "scale",
        "short_label": "Leadership skills",
        "question": "How would you rate your leadership skills?",
        "scale_labels": SKILL,
    },
    {
        "key": "contacts",
        "kind": "count",
        "short_label": "People you could call",
        "question": "How many people in other organisations could you call for advice?",
        "scale_labels": [],
    },
]
