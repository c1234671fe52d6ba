"""One BLAS thread while retraining: for matrices this small, extra threads cost more than they save.

Measured on the shared 2-core machine under load: retraining the regularization explorer's net took
1200 ms with OpenBLAS's default 2 threads and 155 ms with 1 thread.
"""
import contextlib

try:  # installed with scikit-learn
    from threadpoolctl import ThreadpoolController
    _CONTROLLER = ThreadpoolController()
except ImportError:  # pragma: no cover
    _CONTROLLER = None


def one_blas_thread():
    """A context manager limiting BLAS to one thread (a no-op without threadpoolctl)."""
    return _CONTROLLER.limit(limits=1, user_api="blas") if _CONTROLLER is not None else contextlib.nullcontext()
