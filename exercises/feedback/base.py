"""What every check shares: the result it prints, the way it calls the student's code, and the
properties that many exercises have in common (inputs left unchanged, randomness drawn from the rng
that is given, the smallest input that shows a wrong value).

A check body raises Fail(message) at the first property that does not hold; the @check decorator
turns that into a printed line and a CheckResult. NotImplementedError from the student's function
becomes "not implemented yet"; any other exception is reported with what the function was given.
"""
import warnings

import numpy as np

NOT_IMPLEMENTED = "not implemented yet"


class CheckResult:
    """What a check found. bool(result) is True when the check passed.

    name: the exercise; status: "pass", "fail" or "not implemented"; message: the explanation.
    """

    def __init__(self, name, status, message):
        self.name, self.status, self.message = name, status, message

    @property
    def passed(self):
        return self.status == "pass"

    def __bool__(self):
        return self.passed

    @property
    def line(self):
        label = {"pass": "PASS", "fail": "FAIL", "not implemented": "NOT YET"}[self.status]
        return f"{label} {self.name}: {self.message}"

    def __str__(self):
        return self.line

    def __repr__(self):
        return f"CheckResult({self.name!r}, {self.status!r})"


class Fail(Exception):
    """Raised inside a check body to stop it with a message."""


class NotYet(Exception):
    """The student's function raised NotImplementedError."""


def check(name):
    """Decorator: a check body (returns the pass message or raises Fail) becomes a check that prints
    one line and returns a CheckResult; it never raises."""
    def wrap(body):
        def run(*args, **kwargs):
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    result = CheckResult(name, "pass", body(*args, **kwargs))
            except NotYet as error:
                result = CheckResult(name, "not implemented", f"{NOT_IMPLEMENTED}{error}")
            except Fail as error:
                result = CheckResult(name, "fail", str(error))
            except Exception as error:  # e.g. the check itself called with the wrong arguments
                result = CheckResult(name, "fail", f"the check could not run: {type(error).__name__}: {error}")
            print(result.line)
            return result
        run.__name__ = body.__name__
        run.__doc__ = body.__doc__
        run.__wrapped__ = body
        return run
    return wrap


def call(fn, *args, helper=None, given="", **kwargs):
    """Call the student's fn; NotImplementedError becomes "not implemented", other errors a failure.

    helper: the name of a function the check needs besides the one it is about (e.g. the forward
    pass for a backward check). given: a description of the inputs, added to an error message.
    """
    what = helper or getattr(fn, "__name__", "your function")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise NotYet(f" ({helper} is {NOT_IMPLEMENTED}, and this check needs it)" if helper else "") from None
    except Exception as error:
        raise Fail(f"{what} raised {type(error).__name__}: {str(error).strip()}{given}") from None


def close(a, b, rtol=1e-6, atol=1e-9):
    """a and b have the same shape and values (as float64)."""
    try:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def array(value, what):
    """value as a float64 array, or a failure naming what was returned."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Fail(f"{what} must be a numpy array, got {type(value).__name__}") from None


def shaped(value, expected, what, hint=""):
    """value as a float64 array of shape expected, or a failure that says which shape it has."""
    arr = array(value, what)
    if arr.shape != tuple(expected):
        raise Fail(f"{what} has the wrong shape {arr.shape}; expected {tuple(expected)}{hint}")
    return arr


def keeps_float64(value, what, inputs):
    """A float64 computation must give float64: float32 keeps about 7 digits, which a gradient
    check (relative error < 1e-7) cannot tell from a wrong formula."""
    dtype = getattr(value, "dtype", None)
    if dtype is not None and dtype != np.float64 and np.issubdtype(dtype, np.floating):
        raise Fail(f"{what} is {dtype} although {inputs} are float64: {dtype} keeps about "
                   f"{np.finfo(dtype).precision} digits, so its values cannot match to 1e-7; keep the inputs' "
                   "dtype (no astype(np.float32), no dtype=np.float32 when you create arrays)")


def is_float64(value, what, how):
    """Fail when value is an array of another dtype than float64, the dtype every array of the exercises
    has (numpy's Generator draws float64); how: the call that gives float64."""
    dtype = getattr(value, "dtype", None)
    if dtype is not None and dtype != np.float64:
        digits = f" keeps about {np.finfo(dtype).precision} digits and" if np.issubdtype(dtype, np.floating) else ""
        raise Fail(f"{what} is {dtype}, not float64: {dtype}{digits} is not what the rest of the suite computes with "
                   f"(the data and core's nets are float64); return what {how} gives, without astype(...) or "
                   "dtype=...")


def pair(value, size, what):
    """value as a tuple of size items, or a failure that says what it is."""
    if not isinstance(value, tuple) or len(value) != size:
        got = f"a tuple of {len(value)}" if isinstance(value, tuple) else type(value).__name__
        raise Fail(f"{what}; got {got}")
    return value


def unchanged(copies, arrays, fn_name, whose="its input"):
    """Fail when an array given to the student's function was changed in place.

    copies, arrays: {name: copy before the call}, {name: the array passed}."""
    for name, before in copies.items():
        after = arrays[name]
        if before.shape != np.shape(after) or not np.array_equal(before, after, equal_nan=True):
            raise Fail(f"{fn_name} changed {whose} {name} in place ({name}[...] = ..., {name} -= ... or "
                       f"{name} *= ...): the caller still needs {name} as it was; compute a new array instead")


def copies(**arrays):
    """{name: a copy} of the arrays, to compare with after a call."""
    return {name: np.array(value, copy=True) for name, value in arrays.items()}


def diagnose(got, mistakes, generic):
    """Fail with the message of the first mistake model whose value matches got, else generic."""
    for message, value in mistakes:
        if value is not None and close(got, value):
            raise Fail(message)
    raise Fail(generic)


def show(value):
    """A short one-line text of a number or a small array."""
    arr = np.asarray(value)
    if arr.dtype.kind in "iub":
        return np.array2string(arr, separator=", ").replace("\n", "")
    return np.array2string(arr.astype(np.float64), precision=4, separator=", ", suppress_small=True).replace("\n", "")


def smallest_failing(run, reference, cases):
    """The smallest input (cases are ordered smallest first) on which run differs from reference,
    as text: "on x = [[1.]], w = [[2.]], b = [3.]: expected out = [[5.]], got [[2.]]"; None when all agree.

    run(**case) and reference(**case) return {output name: value}; an exception from run is shown.
    """
    for case in cases:
        want = reference(**case)
        try:
            got = run(**case)
        except NotImplementedError:
            return None
        except Exception as error:
            inputs = ", ".join(f"{k} = {show(v)}" for k, v in case.items())
            return f"on {inputs}: expected {_outputs(want)}; your code raised {type(error).__name__}: {error}"
        wrong = [k for k in want if not close(got.get(k), want[k])]
        if wrong:
            inputs = ", ".join(f"{k} = {show(v)}" for k, v in case.items())
            shown = ", ".join(f"{k} = {show(got.get(k)) if got.get(k) is not None else 'nothing'}" for k in wrong)
            return f"on {inputs}: expected {_outputs({k: want[k] for k in wrong})}, got {shown}"
    return None


def _outputs(values):
    return ", ".join(f"{k} = {show(v)}" for k, v in values.items())


def generator(seed, *stream):
    """A numpy Generator for the check's own inputs: seed (the check's argument) and a stream number."""
    return np.random.default_rng([seed, *stream])


def randomness(draw, what, how):
    """The properties of a function that draws random numbers from the rng it is given.

    draw(rng) -> array, calling the student's function once. what: what it draws ("weights");
    how: how to draw them right ("rng.standard_normal((fan_in, fan_out))").
      - reproducible: two generators with the same seed give the same values;
      - it depends on the rng: generators with other seeds give other values (not the same ones
        shuffled, as from a fixed grid);
      - fresh on every call: two calls with one generator give different values.
    """
    rngs = [np.random.default_rng(seed) for seed in (101, 101, 202, 303)]  # all alive: no two share an id()
    first, again = draw(rngs[0]), draw(rngs[1])
    if not np.array_equal(first, again, equal_nan=True):
        raise Fail(f"two generators with the same seed gave different {what}: draw from the rng you are given "
                   f"({how}), not from np.random or a generator you make yourself")
    other = draw(rngs[2])
    if np.array_equal(first, other, equal_nan=True):
        raise Fail(f"generators with different seeds gave the same {what}: your function does not use the rng it "
                   f"is given (a fixed seed inside, np.random.default_rng(0), np.random.seed(...), or {what} "
                   f"computed once and reused); draw them with {how}")
    if first.shape == other.shape and np.array_equal(np.sort(first, axis=None), np.sort(other, axis=None)):
        raise Fail(f"generators with different seeds gave the same {what} in another order: a fixed grid "
                   f"(np.linspace, np.logspace) shuffled is not a random sample; draw them with {how}")
    one, two = draw(rngs[3]), draw(rngs[3])
    if np.array_equal(one, two, equal_nan=True):
        raise Fail(f"two calls with the same generator gave the same {what}: draw fresh {what} at every call "
                   f"({how}); do not re-seed the generator or keep {what} from an earlier call")
