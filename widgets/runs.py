"""Background runs of an explorer (training, searches, Play): one worker thread at a time, a progress
bar, Stop as a pause, and frames streamed to the picture from the thread.

Numpy is silenced with np.errstate, which is thread-local; the process-wide warnings filters are never
touched from a worker thread (issue 15, fault 1).
"""
import contextlib
import threading

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

    on_error(error) is called (in the thread) if work raises; on_end(stopped) when it ends.
    """

    def __init__(self, work, on_progress, on_error, on_end):
        self.stop_event = threading.Event()
        self.stopped = False

        def target():
            try:
                with np.errstate(all="ignore"), one_blas_thread():
                    work(on_progress, self.stop_event)
            except Exception as error:  # shown to the person by on_error
                on_error(error)
            finally:
                self.stopped = self.stop_event.is_set()
                on_end(self.stopped)

        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()

    def stop(self):
        self.stop_event.set()

    def wait(self, timeout=None):
        self.thread.join(timeout)

    @property
    def alive(self):
        return self.thread.is_alive()
