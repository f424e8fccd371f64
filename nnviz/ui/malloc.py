"""Keep a long-running server's C heap from growing one arena per session (glibc only; elsewhere a no-op).

Each Streamlit session runs its script in a thread of its own, and glibc gives
threads their own malloc arenas (up to 8 per core). Memory a run frees in its
arena (numpy arrays, protobuf buffers) stays with that arena, so the server's
resident memory grew by the high-water mark of every session. Two settings
bound it, through ``mallopt``: at most two arenas, and a fixed mmap threshold,
so large arrays are mapped and returned to the system when freed (glibc raises
the threshold after such a free, which would put the next ones on the heap).
Measured in ``tests/browser/test_concurrency.py``.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter numbers (malloc.h)
M_ARENA_MAX = -8
ARENAS = 2
MMAP_THRESHOLD = 256 * 1024  # bytes: arrays at least this large are mapped, and unmapped when freed

_done: list[bool] = []


def bound_heap() -> bool:
    """Apply the two settings once per process; True when glibc took them."""
    if _done:
        return _done[0]
    ok = False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        ok = bool(libc.mallopt(M_ARENA_MAX, ARENAS)) and bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):  # not glibc (macOS, musl, Windows): nothing to do
        ok = False
    _done.append(ok)
    return ok
