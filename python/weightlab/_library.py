"""Loads libWeightLabC (built by `swift build --product WeightLabC`) and declares its functions."""
import ctypes
import os
from pathlib import Path

OK, ERROR_ARGUMENT, ERROR_HANDLE, ERROR_SPEC, ERROR_SEQUENCE, ERROR_OPTIMIZER, FINISHED = range(7)
NAMES = ["libWeightLabC.so", "libWeightLabC.dylib"]


def _candidates():
    if os.environ.get("WEIGHTLAB_LIBRARY"):
        yield Path(os.environ["WEIGHTLAB_LIBRARY"])
    here = Path(__file__).resolve().parent
    for name in NAMES:
        yield here / name  # copied in by `make python`
    for build in ("release", "debug"):  # a source checkout: python/weightlab -> .build/<build>
        for name in NAMES:
            yield here.parent.parent / ".build" / build / name


def load():
    for path in _candidates():
        if path.is_file():
            return _declare(ctypes.CDLL(str(path)))
    raise OSError("libWeightLabC not found: run `make python` (or `swift build -c release --product WeightLabC`) "
                  "or set WEIGHTLAB_LIBRARY to the library's path")


def _declare(lib):
    handle = ctypes.c_void_p
    dp = ctypes.POINTER(ctypes.c_double)
    i64 = ctypes.c_int64
    signatures = {
        "wl_create": [ctypes.c_char_p, i64, ctypes.c_uint64, dp, dp, dp, ctypes.POINTER(handle)],
        "wl_restore": [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(handle)],
        "wl_ask": [handle, ctypes.POINTER(i64)],
        "wl_population_float": [handle, ctypes.POINTER(ctypes.c_float), i64, i64],
        "wl_population_double": [handle, dp, i64, i64],
        "wl_tell": [handle, dp, i64],
        "wl_needs_gradient": [handle, ctypes.POINTER(ctypes.c_int)],
        "wl_tell_gradient": [handle, ctypes.c_double, dp, i64],
        "wl_best": [handle, dp, i64, dp],
        "wl_dimension": [handle, ctypes.POINTER(i64)],
        "wl_counts": [handle, ctypes.POINTER(i64), ctypes.POINTER(i64)],
        "wl_state_bytes": [handle, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)],
        "wl_free": [handle],
    }
    for name, arguments in signatures.items():
        function = getattr(lib, name)
        function.argtypes = arguments
        function.restype = ctypes.c_int32
    lib.wl_last_error.argtypes = []
    lib.wl_last_error.restype = ctypes.c_char_p
    return lib
