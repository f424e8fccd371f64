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
    size: int = 240,
    span: float = 6.0,
) -> bytes:
    """The output f over the plane ``grid`` ``(n, n)`` (top row x2 = span) with the training and test points.

    ``discretize`` shows only the sign of f (the class a point would get); ``test`` is drawn when given.
    """
    g = np.where(np.isfinite(grid), np.sign(grid), np.nan) if discretize else grid
    scale = max(1, size // g.shape[0])
    light = 0.35 if discretize else 0.6  # flat regions lighter: the points keep standing out
    img = np.repeat(np.repeat(shade(g, light), scale, axis=0), scale, axis=1)  # (n * scale, n * scale, 3)
    size = img.shape[0]
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


def loss_svg(curves: dict[str, list[float]], width: int = 360, height: int = 130) -> str:
    """The loss curves (name -> values per epoch) as a small SVG: training solid, test dashed, log-free axes.

    The vertical axis runs from 0 to the largest finite value; the ends are labelled. Text is ours (names
    and numbers), never the user's.
    """
    pad_l, pad_b, pad_t, pad_r = 44, 18, 8, 8
    series = {k: np.asarray(v, dtype=float) for k, v in curves.items()}
    finite = np.concatenate([v[np.isfinite(v)] for v in series.values()] or [np.zeros(1)])
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    n = max(len(v) for v in series.values()) if series else 1
    w, h = width - pad_l - pad_r, height - pad_t - pad_b
    styles = {"training loss": 'stroke="#333" stroke-width="1.6"', "test loss": 'stroke="#0072b2" stroke-width="1.6" '
              'stroke-dasharray="5 3"'}  # fmt: skip
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect x="{pad_l}" y="{pad_t}" width="{w}" height="{h}" fill="none" stroke="#ccc"/>',
        f'<text x="{pad_l - 4}" y="{pad_t + 9}" text-anchor="end">{top:.3g}</text>',
        f'<text x="{pad_l - 4}" y="{pad_t + h}" text-anchor="end">0</text>',
        f'<text x="{pad_l}" y="{height - 4}">epoch 0</text>',
        f'<text x="{pad_l + w}" y="{height - 4}" text-anchor="end">'
        "mean loss (y − f)², training solid, test dashed</text>",
    ]
    for name, v in series.items():
        x = pad_l + np.arange(len(v)) * (w / max(n - 1, 1))
        keep = np.unique(np.linspace(0, len(v) - 1, min(len(v), 240)).astype(int))  # at most 240 points drawn
        x, v = x[keep], v[keep]
        y = pad_t + h - np.clip(np.nan_to_num(v, nan=top, posinf=top), 0, top) / top * h
        pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True))
        parts.append(f'<polyline fill="none" {styles.get(name, styles["training loss"])} points="{pts}"/>')
    return "".join(parts) + "</svg>"
