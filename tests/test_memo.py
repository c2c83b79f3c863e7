"""hæfte.memo: a result is kept for exactly its inputs, and only while there is room for it."""

import pandas as pd
import pytest

from hæfte.memo import Memo


class Counted:
    def __init__(self):
        self.calls = 0

    def __call__(self, value=None):
        self.calls += 1
        return value if value is not None else self.calls


def test_the_same_inputs_are_computed_once_and_any_difference_computes_again():
    memo, compute = Memo(size=8), Counted()
    frame = pd.DataFrame({"svar": ["Ja", "Nej"]}, index=[2, 3])
    assert memo.get(frame, compute) == 1
    assert memo.get(frame.copy(), compute) == 1  # equal, not the same object
    for other in (pd.DataFrame({"svar": ["Ja", "Ja"]}, index=[2, 3]),  # a cell
                  pd.DataFrame({"svar": ["Ja", "Nej"]}, index=[2, 4]),  # a row number
                  pd.DataFrame({"svar": ["Ja", "Nej"]}, index=[2, 3], dtype="string"),  # a dtype
                  pd.DataFrame({"Svar": ["Ja", "Nej"]}, index=[2, 3])):  # a column name
        memo.get(other, compute)
    assert compute.calls == 5
    assert memo.get((1, 1.0), compute) == 6 and memo.get((1, 1), compute) == 7  # 1.0 and 1 pickle apart


def test_the_least_recently_used_is_dropped_beyond_the_size():
    memo, compute = Memo(size=2), Counted()
    memo.get("a", compute), memo.get("b", compute), memo.get("a", compute)  # a used last
    memo.get("c", compute)  # b goes
    assert compute.calls == 3
    assert memo.get("a", compute) == 1 and memo.get("c", compute) == 3
    assert memo.get("b", compute) == 4


def test_an_error_is_not_kept_and_inputs_pickle_cannot_write_are_computed_each_time():
    memo, compute = Memo(size=4), Counted()

    def fail():
        raise ValueError("ikke i dag")

    with pytest.raises(ValueError, match="ikke i dag"):
        memo.get("x", fail)
    assert memo.get("x", compute) == 1
    unpicklable = (lambda: None,)
    assert memo.get(unpicklable, compute) == 2 and memo.get(unpicklable, compute) == 3


def test_a_caller_changes_its_copy_not_the_kept_value():
    memo = Memo(size=4, copy=lambda frame: frame.copy())
    made = memo.get("t", lambda: pd.DataFrame({"n": [1, 2]}))
    made.loc[0, "n"] = 99
    assert memo.get("t", lambda: pd.DataFrame({"n": [0]}))["n"].tolist() == [1, 2]


def test_a_reload_of_haeftes_code_computes_again_and_clear_all_forgets(monkeypatch):
    # a notebook that reloads an edited module (%autoreload) gets the new code's results
    import colorsys
    import copy
    import importlib

    from hæfte import lix, memo as module

    spec = colorsys.__spec__
    assert importlib.reload(colorsys).__spec__ is not spec  # a reload finds the module anew
    memo, compute = Memo(size=4), Counted()
    assert memo.get("x", compute) == 1 and memo.get("x", compute) == 1
    monkeypatch.setattr(lix, "__spec__", copy.copy(lix.__spec__))  # lix reloaded, without its side effects
    assert memo.get("x", compute) == 2 and memo.get("x", compute) == 2
    module.clear_all()  # after a function was replaced in the running process
    assert memo.get("x", compute) == 3


def test_a_haefte_module_imported_since_keeps_the_result_and_one_unloaded_computes_again(monkeypatch):
    # the code that computed a value is the modules loaded then: an import since did not run
    import sys
    import types

    from hæfte import lix

    memo, compute = Memo(size=4), Counted()
    assert memo.get("x", compute) == 1
    monkeypatch.setitem(sys.modules, "hæfte.ny_regel", types.ModuleType("hæfte.ny_regel"))
    assert memo.get("x", compute) == 1
    monkeypatch.delitem(sys.modules, "hæfte.lix")  # a module the value was computed with, gone
    assert memo.get("x", compute) == 2 and memo.get("x", compute) == 2
    monkeypatch.setitem(sys.modules, "hæfte.lix", lix)  # the value computed without it did not run it
    assert memo.get("x", compute) == 2


def test_a_value_computed_while_its_code_was_reloaded_is_not_kept(monkeypatch):
    # the preview rebuilds in a thread while a notebook's %autoreload reloads an edited module
    import copy

    from hæfte import lix

    memo, compute = Memo(size=4), Counted()

    def reloaded_midway():
        monkeypatch.setattr(lix, "__spec__", copy.copy(lix.__spec__))
        return compute()
    assert memo.get("x", reloaded_midway) == 1
    assert memo.get("x", compute) == 2 and memo.get("x", compute) == 2


def test_a_forked_worker_is_not_stuck_on_a_lock_a_thread_held_at_the_fork():
    import multiprocessing

    memo = Memo(size=4)
    memo._lock.acquire()  # a thread of the parent, in the middle of a lookup, when the build forks
    try:
        worker = multiprocessing.get_context("fork").Process(target=memo.get, args=("x", lambda: 1))
        worker.start()
        worker.join(timeout=20)
        assert worker.exitcode == 0
    finally:
        memo._lock.release()
