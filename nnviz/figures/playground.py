"""The playground's pictures as PNG bytes: the output over the (x1, x2) plane with the data, and the data chips.

Drawn with numpy and written as PNG by hand (zlib, no imaging library), so a
frame costs a few milliseconds and the browser shows it as an image without
laying anything out: the playground redraws it after every few epochs. The
colours are a diverging scale from orange (-1) through white (0) to blue (+1),
TF Playground's convention, in the colour-blind-safe palette's hues. Training
points have a white ring, test points a black one.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

NEG = np.array([213.0, 94.0, 0.0])  # -1: orange (#d55e00)
POS = np.array([0.0, 114.0, 178.0])  # +1: blue (#0072b2)
WHITE = np.array([255.0, 255.0, 255.0])


def png(rgb: np.ndarray) -> bytes:
    """An ``(h, w, 3)`` uint8 image as PNG bytes."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(h))  # filter 0 on each row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    head = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(raw, 3)) + chunk(b"IEND", b"")


def shade(values: np.ndarray, strength: float = 0.85) -> np.ndarray:
    """``(..., 3)`` colours of ``values`` (clipped to [-1, 1]): orange below 0, white at 0, blue above; NaN grey."""
    v = np.clip(np.nan_to_num(values, nan=0.0), -1.0, 1.0)[..., None] * strength  # (..., 1)
    out = np.where(v >= 0, WHITE + (POS - WHITE) * v, WHITE + (NEG - WHITE) * -v)
    out[~np.isfinite(values)] = 180.0
    return out


def _dots(img: np.ndarray, X: np.ndarray, Y: np.ndarray, span: float, radius: float, ring: np.ndarray) -> None:
    """Draw points ``X`` ``(n, 2)`` coloured by ``Y`` ``(n, 1)`` on ``img`` ``(s, s, 3)`` in place, each with a ring."""
    s = img.shape[0]
    if X is None or len(X) == 0:
        return
    px = (X[:, 0] + span) / (2 * span) * (s - 1)  # (n,)
    py = (span - X[:, 1]) / (2 * span) * (s - 1)
    colour = shade(np.asarray(Y, dtype=float)[:, 0], 1.0)  # (n, 3)
    r_out = int(np.ceil(radius + 1))
    dy, dx = np.mgrid[-r_out : r_out + 1, -r_out : r_out + 1]  # (m, m)
    dist = np.hypot(dx, dy)
    for ring_part, fill in ((dist <= radius + 1, True), (dist <= radius, False)):
        oy, ox = dy[ring_part], dx[ring_part]  # (k,)
        yy = np.rint(py)[:, None].astype(int) + oy[None, :]  # (n, k)
        xx = np.rint(px)[:, None].astype(int) + ox[None, :]
        ok = (yy >= 0) & (yy < s) & (xx >= 0) & (xx < s)
        if fill:
            img[yy[ok], xx[ok]] = ring
        else:
            img[yy[ok], xx[ok]] = np.repeat(colour, ok.shape[1], axis=0).reshape(*ok.shape, 3)[ok]


def output_png(
    grid: np.ndarray,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray] | None,
    *,
    discretize: bool = False,
    size: int = 256,
    span: float = 6.0,
) -> bytes:
    """The output f over the plane ``grid`` ``(n, n)`` (top row x2 = span) with the training and test points.

    ``discretize`` shows only the sign of f (the class a point would get); ``test`` is drawn when given.
    """
    g = np.where(np.isfinite(grid), np.sign(grid), np.nan) if discretize else grid
    n = g.shape[0]
    idx = (np.arange(size) * n // size).clip(0, n - 1)  # nearest cell of each pixel
    img = shade(g[np.ix_(idx, idx)], 0.6)  # (size, size, 3)
    radius = max(1.5, size / 110)
    _dots(img, train[0], train[1], span, radius, np.array([255.0, 255.0, 255.0]))
    if test is not None:
        _dots(img, test[0], test[1], span, radius, np.array([0.0, 0.0, 0.0]))
    return png(np.clip(img, 0, 255).astype(np.uint8))


def data_png(X: np.ndarray, Y: np.ndarray, size: int = 48, span: float = 6.0) -> bytes:
    """A small picture of a data set (its chip): the points on white, coloured by their labels or values."""
    img = np.full((size, size, 3), 255.0)
    _dots(img, X, Y, span, 0.8, np.array([235.0, 235.0, 235.0]))
    return png(img.astype(np.uint8))
