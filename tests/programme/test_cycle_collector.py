"""Judging a cohort pauses CPython's cycle collector (`programme.progress`); whatever happens
inside, the process gets its collector back as it was."""

import gc

import pytest

from programme.progress import cycle_collector_paused


@pytest.fixture
def collector_enabled():
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_and_enabled_again_after(collector_enabled):
    @cycle_collector_paused()
    def judge():
        return gc.isenabled()

    assert judge() is False
    assert gc.isenabled() is True


def test_enabled_again_after_an_error(collector_enabled):
    @cycle_collector_paused()
    def judge():
        raise ValueError("a bad record")

    with pytest.raises(ValueError, match="a bad record"):
        judge()
    assert gc.isenabled() is True


def test_nested_pauses_leave_it_to_the_outermost(collector_enabled):
    with cycle_collector_paused():
        with cycle_collector_paused():
            pass
        assert gc.isenabled() is False
    assert gc.isenabled() is True


def test_a_collector_switched_off_by_someone_else_stays_off(collector_enabled):
    gc.disable()
    with cycle_collector_paused():
        pass
    assert gc.isenabled() is False
