"""Background runs of an explorer (training, searches, Play): one worker thread at a time, a progress
bar, Stop as a pause, and frames streamed to the picture from the thread.

Numpy is silenced with np.errstate, which is thread-local; the process-wide warnings filters are never
touched from a worker thread (issue 15, fault 1).
"""
import contextlib
import functools
import threading
import time

import numpy as np

try:  # installed with scikit-learn
    from threadpoolctl import ThreadpoolController
    _BLAS = ThreadpoolController()
except ImportError:  # pragma: no cover
    _BLAS = None


def one_blas_thread():
    """Limit BLAS to one thread: for matrices this small, more threads cost more than they save
    (measured on a shared 2-core machine: a retrain took 1200 ms with 2 threads, 155 ms with 1)."""
    return _BLAS.limit(limits=1, user_api="blas") if _BLAS is not None else contextlib.nullcontext()


class Run:
    """One background run: work(progress, stop_event) in a daemon thread.

    on_error(error) is called (in the thread) if work raises; on_end() when it ends.
    """

    def __init__(self, work, on_progress, on_error, on_end):
        self.stop_event = threading.Event()

        def target():
            try:
                with np.errstate(all="ignore"), one_blas_thread():
                    work(on_progress, self.stop_event)
            except Exception as error:  # shown to the person by on_error
                on_error(error)
            finally:
                on_end()

        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()

    def stop(self):
        self.stop_event.set()

    def wait(self, timeout=None):
        self.thread.join(timeout)

    @property
    def alive(self):
        return self.thread.is_alive()


class BackgroundRuns:
    """The Explorer's background runs (a mixin of widgets.base.Explorer; it uses the explorer's lock,
    progress bar, Stop button, status line and render())."""

    after_stop = "Stopped: change any control to carry on."  # what the status line adds when Stop paused a run

    def run_in_background(self, work, total=1.0):
        """Run work(progress, stop_event) in a thread, with the progress bar and Stop button shown.
        work starts once the refresh that started it has drawn, calls progress(value)
        (0..total) and returns soon after stop_event is set; it draws with show_frame(). Any earlier run is
        stopped first. Inside snapshot() work runs here, at once."""
        if self._run is not None:
            self._run.stop()
        self.wait()
        self._paused = False
        if self._inline_runs:
            work(lambda value: None, threading.Event())
            return None
        self.progress.value, self.progress.max = 0, total
        self.progress.layout.visibility = self.stop_button.layout.visibility = "visible"

        def on_progress(value):
            self.progress.value = min(value, total)

        def on_error(error):
            self.last_error = error
            self.show_message(f"Could not finish: {type(error).__name__}: {error}", kind="error")
            with self._lock:
                self.render()

        def on_end():
            self.progress.layout.visibility = self.stop_button.layout.visibility = "hidden"
            if self._paused:
                self.show_message(f"{self.message} {self.after_stop}")

        def after_first_frame(progress, stop):  # the refresh that started the run has drawn (it held the lock)
            if self.show_frame(stop, lambda: None, render=False):
                work(progress, stop)

        self._run = Run(after_first_frame, on_progress, on_error, on_end)
        return self._run.thread

    _jobs_pending = None  # the (name, key) pairs the keyed run in progress has still to train
    frame_share = 0.25    # run_jobs draws a finished run when frames took at most this share of the time

    def paced_frames(self, stop, draw, share=1.0, every=0.0):
        """For a background run: a function frame(force=False) that draws (show_frame(stop, draw)) when a frame is
        due: `every` seconds or more after the last one began, and frames taking at most `share` of the time (the
        first is due at once); force=True draws now. frame() returns whether it drew."""
        last = {"start": -np.inf, "seconds": 0.0}

        def frame(force=False):
            start = time.perf_counter()
            if not force and start - last["start"] < max(every, last["seconds"] / share):
                return False
            drawn = self.show_frame(stop, draw)
            if drawn:
                last.update(start=start, seconds=time.perf_counter() - start)
            return drawn
        return frame

    def run_jobs(self, jobs, kept, train, draw, finish=None, waiting="", background=True):
        """Keyed runs: "these runs are wanted; draw the kept ones, train the missing ones, finish when all are in".

        jobs: {name: key} of the runs wanted, in the order they train (key: hashable, everything a run depends
        on). kept: a widgets.cache.LRU of finished results by key. train(key, stop) -> result (stop: a
        threading.Event to poll, None inline). draw(results) draws {name: result} of the runs in so far (in the
        order of jobs); finish(results) once all are in. Call from refresh(): the kept runs are drawn at once;
        the missing ones train here (background=False, or inside snapshot()) or in the background behind the
        progress bar, one frame (draw) per finished run; runs shorter than a frame are drawn some at a time
        (frames take at most frame_share of the time; the first and the last are always drawn). A run cut
        short by Stop or a change is not kept; the next change carries on with what is missing. While runs
        are missing the status line says `waiting` (before draw, which may say more). Returns the results so
        far."""
        results = {name: kept[key] for name, key in jobs.items() if key in kept}
        missing = [(name, key) for name, key in jobs.items() if name not in results]
        if missing and (self._inline_runs or not background):
            for name, key in missing:
                results[name] = kept[key] = train(key, None)
            results, missing = {name: results[name] for name in jobs}, []
        if missing and waiting:
            self.show_message(waiting)
        draw(results)
        if not missing:
            if self.running:  # a run of jobs no longer wanted: cut short, not kept
                self._run.stop()
                self.wait()
            if finish is not None:
                finish(results)
            return results
        if self.running and self._jobs_pending == missing:
            return results  # already training exactly these
        self._jobs_pending = pending = list(missing)

        def work(progress, stop):
            frame = self.paced_frames(stop, show, self.frame_share)
            for done, (name, key) in enumerate(missing, 1):
                result = train(key, stop)
                if not self.show_frame(stop, functools.partial(keep, name, key, result), render=False):
                    return  # stopped meanwhile: not kept
                frame(force=done == len(missing))
                progress(done)

        def keep(name, key, result):
            kept[key] = results[name] = result
            pending.remove((name, key))

        def show():
            so_far = {name: results[name] for name in jobs if name in results}
            draw(so_far)
            if not pending and finish is not None:
                finish(so_far)

        self.run_in_background(work, total=len(missing))
        return results

    def show_frame(self, stop, draw, render=True):
        """From a background run: draw() then render (unless render is False), under the explorer's lock; False
        (nothing drawn) if the run was stopped meanwhile. Waits for the lock in short slices (the main thread may
        hold it while it waits for this run to stop: a stopped run returns at once, or within 5 ms)."""
        while stop.is_set() or not self._lock.acquire(timeout=0.005):
            if stop.is_set():
                return False
        try:
            if stop.is_set():
                return False
            with self.quiet():
                draw()
            if render:
                self.render()
            return True
        finally:
            self._lock.release()

    def first_frame_drawn(self, stop):
        """From a background run: wait until the refresh that started it has drawn (run_in_background does,
        before work starts). False if stopped."""
        while not self._lock.acquire(timeout=0.02):
            if stop.is_set():
                return False
        self._lock.release()
        return not stop.is_set()

    def stop(self):
        """Pause the background run (the Stop button); the next change carries on or restarts it."""
        if self.running:
            self._paused = True
            self._run.stop()

    def wait(self, timeout=None):
        """Block until the background run (if any) has finished."""
        if self._run is not None:
            self._run.wait(timeout)

    @property
    def running(self):
        return self._run is not None and self._run.alive

    @property
    def stopped(self):
        """True if the last background run ended because Stop was pressed."""
        return self._paused and not self.running

