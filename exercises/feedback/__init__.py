"""Feedback for the exercises: one check per function a student writes.

A check runs the student's function on inputs it chooses and tests the properties that define a
right answer, not one example: values on several shapes (non-square, N = 1, other ranks where the
docstring allows them), inputs and the caller's data left unchanged, randomness drawn fresh from the
rng that is given, every argument honoured, state kept only in the returned config. It prints one
line, PASS / FAIL / NOT YET, and returns a CheckResult (true when passed); it never raises, so a
notebook keeps running. A FAIL names the cause when it can (a classic wrong version that reproduces
the student's numbers, or the property that fails); otherwise it shows the smallest input on which
the values are wrong, with the expected and the actual values.

The graded cells of the exercise notebooks turn a result into an exception for nbgrader:
`assert result, result.message`.

Until issue 12 these checks were one module, exercises/checks.py (a name that clashed with
core/checks.py, the library's argument checks); one module per exercise notebook now.
"""
from .base import NOT_IMPLEMENTED, CheckResult
from .dropout import check_inverted_dropout
from .initialization import check_he_init, check_xavier_init
from .layers import (
    check_affine_backward,
    check_affine_forward,
    check_relu_backward,
    check_relu_forward,
    check_softmax_loss,
)
from .sampling import check_log_uniform
from .sanity import check_overfit_tiny_subset
from .updates import check_adam, check_momentum, check_nesterov

__all__ = ["NOT_IMPLEMENTED", "CheckResult", "check_affine_forward", "check_affine_backward", "check_relu_forward",
           "check_relu_backward", "check_softmax_loss", "check_xavier_init", "check_he_init",
           "check_inverted_dropout", "check_momentum", "check_nesterov", "check_adam", "check_log_uniform",
           "check_overfit_tiny_subset"]
