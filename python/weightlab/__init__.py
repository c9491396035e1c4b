"""WeightLab's gradient-free optimizers from Python (ctypes + numpy over libWeightLabC).

    import weightlab
    opt = weightlab.Optimizer("cma-es", dimension=10, seed=1, bounds=(-5, 5))
    for _ in range(100):
        x = opt.ask()                        # (P, D) ndarray, row-major
        opt.tell([f(row) for row in x])      # minimizing; NaN/inf count as +inf
    x_best, f_best = opt.best

    result = weightlab.minimize(f, bounds=(-5, 5), dimension=10, optimizer="cma-es", budget=20000, seed=1)

Weights are float32 inside WeightLab; asks come back as float64 arrays of float32 values.
"""
import ctypes
import json

import numpy as np

from . import _library

__all__ = ["Optimizer", "OptimizeResult", "WeightLabError", "minimize"]

_lib = None


def _c():
    global _lib
    if _lib is None:
        _lib = _library.load()
    return _lib


class WeightLabError(RuntimeError):
    """An error from WeightLab, with its code (`code`) and message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class FinishedError(WeightLabError):
    """The optimizer can make no further progress (CMA-ES's step size collapsed)."""


def _check(code):
    if code != _library.OK:
        message = _c().wl_last_error().decode("utf-8", "replace")
        raise (FinishedError if code == _library.FINISHED else WeightLabError)(code, message)


def _doubles(values, count, name):
    array = np.ascontiguousarray(np.broadcast_to(np.asarray(values, dtype=np.float64), (count,)))
    if array.shape != (count,):
        raise ValueError(f"{name} must have {count} values")
    return array


class Optimizer:
    """A registered WeightLab optimizer in ask/tell form.

    `spec` is a name ("cma-es", "de", "pso", ...) or a JSON specification, as a string or a
    dict ({"optimizer": "ipop", "inner": {"optimizer": "cma-es"}}). `bounds` is (low, high)
    for every coordinate, or two sequences of `dimension` values; `x0` the start (default: a
    uniform draw in the box, N(0, 1) per coordinate without one).
    """

    def __init__(self, spec, dimension, seed=0, bounds=None, x0=None):
        text = json.dumps(spec) if isinstance(spec, dict) else str(spec)
        self.dimension = int(dimension)
        lower = upper = None
        if bounds is not None:
            low, high = bounds
            lower = _doubles(low, self.dimension, "bounds[0]")
            upper = _doubles(high, self.dimension, "bounds[1]")
        start = None if x0 is None else _doubles(x0, self.dimension, "x0")
        pointer = lambda a: None if a is None else a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
        handle = ctypes.c_void_p()
        _check(_c().wl_create(text.encode(), self.dimension, int(seed), pointer(lower), pointer(upper), pointer(start), ctypes.byref(handle)))
        self._handle = handle
        self._closed = False

    @classmethod
    def from_state(cls, state):
        """The optimizer whose `state_bytes()` are `state`, continuing exactly where it was."""
        self = cls.__new__(cls)
        handle = ctypes.c_void_p()
        _check(_c().wl_restore(bytes(state), len(state), ctypes.byref(handle)))
        self._handle = handle
        self._closed = False
        dimension = ctypes.c_int64()
        _check(_c().wl_dimension(handle, ctypes.byref(dimension)))
        self.dimension = dimension.value
        return self

    def ask(self, dtype=np.float64):
        """The next population to price: a (P, D) array (row-major)."""
        rows = ctypes.c_int64()
        _check(_c().wl_ask(self._handle, ctypes.byref(rows)))
        if np.dtype(dtype) == np.float32:
            x = np.empty((rows.value, self.dimension), dtype=np.float32)
            _check(_c().wl_population_float(self._handle, x.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), rows.value, self.dimension))
        else:
            x = np.empty((rows.value, self.dimension), dtype=np.float64)
            _check(_c().wl_population_double(self._handle, x.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), rows.value, self.dimension))
        return x

    @property
    def needs_gradient(self):
        """Whether the last ask wants the gradient too (a gradient method: one row)."""
        flag = ctypes.c_int()
        _check(_c().wl_needs_gradient(self._handle, ctypes.byref(flag)))
        return bool(flag.value)

    def tell(self, fitness, gradient=None):
        """Prices the last population: one value per row, lower is better, NaN/inf count as +inf;
        with `gradient`, the gradient at the one point a gradient method asked for."""
        values = np.ascontiguousarray(np.asarray(fitness, dtype=np.float64).reshape(-1))
        if gradient is not None:
            g = np.ascontiguousarray(np.asarray(gradient, dtype=np.float64).reshape(-1))
            if values.size != 1:
                raise ValueError("a gradient goes with one fitness value")
            _check(_c().wl_tell_gradient(self._handle, float(values[0]), g.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), g.size))
            return
        _check(_c().wl_tell(self._handle, values.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), values.size))

    @property
    def best(self):
        """(x, f): the incumbent and its fitness (+inf before the first generation)."""
        x = np.empty(self.dimension, dtype=np.float64)
        value = ctypes.c_double()
        _check(_c().wl_best(self._handle, x.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), self.dimension, ctypes.byref(value)))
        return x, value.value

    @property
    def counts(self):
        """(generations, evaluations) so far."""
        steps, evaluations = ctypes.c_int64(), ctypes.c_int64()
        _check(_c().wl_counts(self._handle, ctypes.byref(steps), ctypes.byref(evaluations)))
        return steps.value, evaluations.value

    def state_bytes(self):
        """The whole state between generations, for `Optimizer.from_state`."""
        size = ctypes.c_size_t()
        _check(_c().wl_state_bytes(self._handle, None, 0, ctypes.byref(size)))
        buffer = ctypes.create_string_buffer(size.value)
        _check(_c().wl_state_bytes(self._handle, buffer, size.value, ctypes.byref(size)))
        return buffer.raw[: size.value]

    def close(self):
        """Frees the optimizer; using it afterwards raises WeightLabError."""
        if not self._closed:
            self._closed = True
            _check(_c().wl_free(self._handle))

    def __del__(self):
        if not getattr(self, "_closed", True):
            self._closed = True
            _c().wl_free(self._handle)


class OptimizeResult(dict):
    """scipy.optimize.OptimizeResult's fields: x, fun, nfev, nit, success, message."""
    __getattr__ = dict.__getitem__


def minimize(f, x0=None, optimizer="cma-es", bounds=None, budget=10_000, seed=0, dimension=None, vectorized=False, target=None, jac=None):
    """Minimizes f with a WeightLab optimizer until `budget` evaluations (or `target`).

    f takes one point (a 1-D array), or with `vectorized=True` the whole population (a 2-D
    array, one row per point) and returns one value per row. The dimension comes from x0, from
    per-coordinate bounds, or from `dimension`. Gradient methods ("adam", "bfgs2", ...) need
    `jac`, the gradient of f at a point (as scipy's).
    """
    if dimension is None:
        if x0 is not None:
            dimension = np.asarray(x0).size
        elif bounds is not None and np.ndim(bounds[0]) == 1:
            dimension = len(bounds[0])
        else:
            raise ValueError("minimize needs x0, per-coordinate bounds or dimension")
    opt = Optimizer(optimizer, dimension=dimension, seed=seed, bounds=bounds, x0=x0)
    message, success = "budget spent", False
    try:
        while opt.counts[1] < budget:
            try:
                x = opt.ask()
            except FinishedError as error:
                message, success = str(error), True
                break
            if opt.needs_gradient:
                if jac is None:
                    raise WeightLabError(_library.ERROR_SEQUENCE, f"{optimizer} is a gradient method: give minimize a jac")
                value = f(x) if vectorized else f(x[0])
                opt.tell([float(np.asarray(value).reshape(-1)[0])], gradient=jac(x[0]))
            else:
                values = np.asarray(f(x), dtype=np.float64).reshape(-1) if vectorized else np.array([f(row) for row in x], dtype=np.float64)
                opt.tell(values)
            if target is not None and opt.best[1] <= target:
                message, success = "target reached", True
                break
        x, fun = opt.best
        steps, evaluations = opt.counts
        if target is None and not success:
            success = bool(np.isfinite(fun))
        return OptimizeResult(x=x, fun=fun, nfev=evaluations, nit=steps, success=success, message=message)
    finally:
        opt.close()
