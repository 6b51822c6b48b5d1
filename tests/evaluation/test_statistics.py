"""Paired before/after figures: only people who answered both count."""

from hypothesis import given
from hypothesis import strategies as st

from evaluation.statistics import item_change


def test_unpaired_answers_are_ignored():
    before = {1: 2, 2: 3, 3: 1}  # 3 answered only at the start
    after = {1: 4, 2: 3, 4: 5}  # 4 answered only at the end
    change = item_change(before, after)
    assert change.paired == 2
    assert (change.only_before, change.only_after) == (1, 1)
    assert change.before_median == 2.5  # of 2 and 3, not of 2, 3 and 1
    assert change.after_median == 3.5  # of 4 and 3, not of 4, 3 and 5
    assert change.median_change == 1.0  # the median of +2 and 0
    assert (change.better, change.same, change.worse) == (1, 1, 0)


def test_the_distribution_counts_each_scale_point_before_and_after():
    change = item_change({1: 2, 2: 2, 3: 5}, {1: 4, 2: 5, 3: 5})
    assert change.distribution == (
        ("1", 0, 0),
        ("2", 2, 0),
        ("3", 0, 0),
        ("4", 0, 1),
        ("5", 1, 2),
    )


def test_the_median_change_is_each_persons_own_change():
    # Medians of the columns move by 0, but every person moved: the paired median says so.
    change = item_change({1: 1, 2: 3, 3: 5}, {1: 3, 2: 5, 3: 1})
    assert change.before_median == change.after_median == 3
    assert change.median_change == 2
    assert (change.better, change.worse) == (2, 1)


def test_counts_are_shown_in_bands():
    change = item_change({1: 0, 2: 4, 3: 30}, {1: 2, 2: 12, 3: 40}, kind="count")
    assert change.distribution == (
        ("0", 1, 0),
        ("1–2", 0, 1),
        ("3–5", 1, 0),
        ("6–10", 0, 0),
        ("11–20", 0, 1),
        ("21 or more", 1, 1),
    )
    assert change.median_change == 8


def test_nobody_paired_gives_no_medians():
    change = item_change({1: 3}, {2: 4})
    assert not change.has_pairs
    assert change.before_median is change.after_median is change.median_change is None
    assert change.distribution == tuple((str(p), 0, 0) for p in range(1, 6))


answers = st.dictionaries(st.integers(1, 40), st.integers(1, 5), max_size=25)


@given(answers, answers, answers, answers)
def test_answers_from_people_who_did_not_answer_both_never_change_the_figures(
    before, after, extra_before, extra_after
):
    paired_only = item_change(before, after)
    # People numbered above 100 answered at only one moment.
    padded = item_change(
        before | {100 + k: v for k, v in extra_before.items()},
        after | {200 + k: v for k, v in extra_after.items()},
    )
    assert padded.paired == paired_only.paired
    assert padded.before_median == paired_only.before_median
    assert padded.after_median == paired_only.after_median
    assert padded.median_change == paired_only.median_change
    assert padded.distribution == paired_only.distribution
    assert sum(b for _, b, _ in padded.distribution) == padded.paired
