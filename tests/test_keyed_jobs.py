"""BackgroundRuns.run_jobs, the one mechanism for background training (issue 11): keyed runs drawn from an LRU
when kept, trained inline or in the background (one frame per finished run), finished when all are in; a run
cut short by Stop or a change is not kept, and the next change carries on with what is missing.

A small explorer drives it: job i of setting a is key (a, i); a background job finishes only when the test
hands it a permit, so the tests decide what is finished when Stop is pressed.
"""
import threading
import time
import types

import pytest

from widgets import runs
from widgets.base import LRU, Explorer, slider

MADE = []


@pytest.fixture(autouse=True)
def _stop_every_run():
    """No run of a test outlives it (a job waits for permits)."""
    yield
    while MADE:
        explorer = MADE.pop()
        explorer.stop()
        explorer.wait(5)


class Jobs(Explorer):
    """n keyed jobs (a, i), i < n; control b changes nothing the jobs depend on."""

    frame_share = 1.0  # every finished run gets its frame (the default draws runs shorter than a frame some at a time)

    def __init__(self, n=4, background=True, size=8):
        self.n, self.background, self.kept = n, background, LRU(size, "(a, i) -> a test job's result")
        self.trained, self.drawn, self.finished, self.fail = [], [], [], set()
        self.permits = threading.Semaphore(0)
        MADE.append(self)
        super().__init__()

    def make_controls(self):
        return {"a": slider("a", 1, 0, 100, 1, integer=True), "b": slider("b", 0, 0, 10, 1, integer=True)}

    def build_figure(self):
        (self.line,) = self.fig.subplots().plot([], [])
        self.animate(self.line)

    def refresh(self):
        self.run_jobs({i: (self.a.value, i) for i in range(self.n)}, self.kept, self.train, self.draw, self.finish,
                      "waiting for the jobs ...", self.background)

    def train(self, key, stop):
        self.trained.append(key)
        if key in self.fail:
            raise ValueError(f"job {key} cannot run")
        while stop is not None and not self.permits.acquire(timeout=0.005):
            if stop.is_set():
                return ("cut short", key)  # as core.train returns a stopped run's result
        return ("finished", key)

    def draw(self, results):
        self.drawn.append(dict(results))
        self.line.set_data(range(len(results)), range(len(results)))
        if results:
            self.show_message(f"{len(results)} of {self.n} jobs so far")

    def finish(self, results):
        self.finished.append(dict(results))
        self.show_message(f"all {len(results)} jobs in")


def until(condition, seconds=10):
    deadline = time.perf_counter() + seconds
    while not condition() and time.perf_counter() < deadline:
        time.sleep(0.002)
    return condition()


def test_inline_trains_the_missing_jobs_in_refresh_and_finishes():
    e = Jobs(background=False)
    assert e.trained == [(1, i) for i in range(4)] and not e.running
    assert e.finished == [{i: ("finished", (1, i)) for i in range(4)}] and e.message == "all 4 jobs in"
    assert list(e.drawn[-1]) == [0, 1, 2, 3]  # in the order of the jobs
    e.b.value = 3  # kept: nothing is trained again
    assert len(e.trained) == 4 and len(e.finished) == 2


def test_results_come_in_the_order_of_the_jobs_whatever_is_kept():
    e = Jobs(background=False)
    e.kept[(5, 2)] = ("finished", (5, 2))  # any subset may be kept (the LRU drops the least recently used)
    e.a.value = 5
    assert e.trained[-3:] == [(5, 0), (5, 1), (5, 3)]
    assert list(e.drawn[-1]) == list(e.finished[-1]) == [0, 1, 2, 3]


def test_snapshot_trains_inline_and_keeps_what_it_trained():
    e = Jobs()
    e.stop()
    e.wait(5)
    shot = e.snapshot(a=7)
    assert shot.status == "all 4 jobs in" and all((7, i) in e.kept for i in range(4))


def test_background_draws_one_frame_per_finished_job_then_finishes():
    e = Jobs()
    assert e.running and e.message == "waiting for the jobs ..." and e.progress.layout.visibility == "visible"
    for done in range(1, 5):
        e.permits.release()
        assert until(lambda done=done: len(e.drawn[-1]) == done)
    e.wait(5)
    assert not e.running
    assert [len(d) for d in e.drawn] == [0, 1, 2, 3, 4] and e.message == "all 4 jobs in"
    assert e.progress.value == 4 and e.progress.layout.visibility == "hidden"


def test_stop_then_a_change_carries_on_with_what_is_missing():
    e = Jobs()
    e.permits.release(2)
    assert until(lambda: len(e.kept) == 2)
    e.stop()  # job (1, 2) is cut short
    e.wait(5)
    assert e.stopped and "Stopped" in e.message and "2 of 4 jobs so far" in e.message
    assert (1, 2) not in e.kept and len(e.kept) == 2  # a run cut short is not kept
    e.b.value = 1  # any change carries on
    assert e.running
    e.permits.release(2)
    e.wait(5)
    assert e.trained == [(1, 0), (1, 1), (1, 2), (1, 2), (1, 3)]  # only the missing ones again
    assert e.message == "all 4 jobs in" and all(r[0] == "finished" for r in e.finished[-1].values())


def test_a_change_of_settings_cuts_the_run_and_its_old_jobs_never_draw():
    e = Jobs()
    e.permits.release(1)
    assert until(lambda: len(e.kept) == 1)
    e.a.value = 2  # new jobs (2, i): the run of (1, i) is stopped, (1, 1) not kept
    assert (1, 1) not in e.kept
    e.permits.release(4)
    e.wait(5)
    assert e.finished[-1] == {i: ("finished", (2, i)) for i in range(4)}
    assert all(key[0] == 2 for d in e.drawn[2:] for _, key in d.values())


def test_back_to_kept_settings_stops_the_run_that_is_no_longer_wanted():
    e = Jobs()
    e.permits.release(4)
    e.wait(5)
    e.a.value = 2
    assert e.running
    e.a.value = 1  # all kept: finished at once, and the run of (2, i) is cut
    assert not e.running and e.message == "all 4 jobs in" and (2, 0) not in e.kept
    drawn = len(e.drawn)
    e.permits.release(4)
    time.sleep(0.05)
    assert len(e.drawn) == drawn  # nothing of a = 2 drawn over it


def test_the_same_jobs_while_running_do_not_restart_the_run():
    e = Jobs()
    e.permits.release(1)
    assert until(lambda: len(e.kept) == 1)
    thread = e._run.thread
    e.b.value = 5  # the same missing jobs: the run goes on
    assert e._run.thread is thread and e.trained == [(1, 0), (1, 1)]
    e.permits.release(3)
    e.wait(5)
    assert e.trained == [(1, i) for i in range(4)] and e.message == "all 4 jobs in"


def test_kept_runs_are_bounded_by_the_lru():
    e = Jobs(background=False, size=6)
    for a in range(10):
        e.a.value = a
    assert len(e.kept) == 6 and all((9, i) in e.kept for i in range(4))


@pytest.mark.parametrize("background", [True, False])
def test_an_error_in_a_job_is_shown_in_the_status_line(background):
    e = Jobs(background=background)
    e.permits.release(4)
    e.wait(5)
    e.fail.add((3, 1))
    e.a.value = 3
    e.permits.release(1)
    e.wait(5)
    said = "Could not finish" if background else "Could not update"
    assert f"{said}: ValueError: job (3, 1) cannot run" in e.message and isinstance(e.last_error, ValueError)
    assert (3, 0) in e.kept and (3, 1) not in e.kept
    e.fail.clear()
    e.b.value = 2  # the next change carries on
    e.permits.release(3)
    e.wait(5)
    assert e.message == "all 4 jobs in" and e.last_error is None


def test_runs_shorter_than_a_frame_are_drawn_some_at_a_time():
    e = Jobs(n=40)
    e.frame_share = 0.01  # a frame may take 1% of the time: the jobs below take far less than 100 frames
    e.permits.release(40)
    e.wait(5)
    sizes = [len(d) for d in e.drawn]
    assert sizes[0] == 0 and sizes[1] == 1 and sizes[-1] == 40 and len(sizes) < 20  # the first and the last
    assert len(e.kept) == 8 and e.message == "all 40 jobs in"


def test_paced_frames_keep_their_interval_and_share(monkeypatch):
    """On a clock the test moves (widgets.runs reads time.perf_counter): a real sleep made this test flaky
    on a loaded machine, where a 20-ms frame took longer and the next one was rightly not yet due."""
    clock = [0.0]
    monkeypatch.setattr(runs, "time", types.SimpleNamespace(perf_counter=lambda: clock[0]))
    e = Jobs(background=False)
    drawn, stop = [], threading.Event()

    def slow_frame():  # a frame that takes 0.02 s
        clock[0] += 0.02
        drawn.append(clock[0])

    frame = e.paced_frames(stop, slow_frame, share=0.5, every=0.0)
    assert frame() and drawn == [0.02]  # the first at once
    assert not frame()  # frames may take half the time: the next is due 0.04 s after the last began
    clock[0] = 0.039
    assert not frame()
    clock[0] = 0.04
    assert frame() and len(drawn) == 2
    assert frame(force=True) and len(drawn) == 3  # force: now, whatever the pace
    every = e.paced_frames(stop, lambda: drawn.append(None), every=60.0)
    assert every() and not every() and len(drawn) == 4
    clock[0] += 59.9
    assert not every()
    clock[0] += 0.1
    assert every() and len(drawn) == 5  # 60 s after the last began
    stop.set()
    assert not every(force=True) and len(drawn) == 5  # a stopped run draws nothing
