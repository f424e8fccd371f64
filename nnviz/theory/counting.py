"""The paper's counting argument with exact powers of ten.

An image of W x H pixels at b bits per pixel is one of 2^(b*W*H) bit strings.
A network with P parameters, each able to take v meaningfully different values,
has v^P configurations, so it can tell apart at most v^P cases. These numbers
are far too large to write out; :func:`power` gives base^exponent as
mantissa x 10^k exactly enough for display (the logarithm is computed with
60 significant digits, so k is exact and the mantissa good to 12 digits).

:data:`PAPER_CLAIMS` lists the round figures the paper gives next to the exact
ones (Part II; the brute-force count 2^(64*12) is from Part III).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass

from nnviz.network import NetworkError

MAX_EXPONENT = 10**15  # bits or parameters beyond this are rejected as typos
MAX_BASE = 10**18
_CTX = decimal.Context(prec=60)


@dataclass(frozen=True)
class Power:
    """base^exponent = mantissa x 10^k, with 1 <= mantissa < 10.

    ``log10`` is the exact-enough decimal logarithm (a :class:`decimal.Decimal`).
    """

    base: int
    exponent: int
    log10: decimal.Decimal
    k: int
    mantissa: float

    def text(self, digits: int = 3) -> str:
        """E.g. ``"4.27 x 10^96329"`` (plain text)."""
        return f"{self.mantissa:.{digits - 1}f} × 10^{self.k:,}"

    def latex(self, digits: int = 3) -> str:
        """E.g. ``4.27 \\times 10^{96{,}329}``."""
        return rf"{self.mantissa:.{digits - 1}f} \times 10^{{{int_latex(self.k)}}}"

    @property
    def digits(self) -> int:
        """How many decimal digits the number has when written out."""
        return self.k + 1


def int_latex(value: int) -> str:
    """A whole number with thousands separators that LaTeX keeps tight: ``320{,}000``."""
    return f"{int(value):,}".replace(",", "{,}")


def _whole(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            as_float = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise NetworkError(f"{what} must be a whole number, not {value!r}") from None
        if not as_float.is_integer():
            raise NetworkError(f"{what} must be a whole number, not {value!r}")
        value = int(as_float)
    if not low <= value <= high:
        raise NetworkError(f"{what} is {value:,}; it must be between {low:,} and {high:,}")
    return value


def power(base: int, exponent: int) -> Power:
    """base^exponent as mantissa x 10^k (base >= 2, exponent >= 0)."""
    base = _whole(base, "the base", 2, MAX_BASE)
    exponent = _whole(exponent, "the exponent", 0, MAX_EXPONENT)
    log = _CTX.multiply(_CTX.log10(decimal.Decimal(base)), decimal.Decimal(exponent))
    k = int(log.to_integral_value(rounding=decimal.ROUND_FLOOR))
    frac = _CTX.subtract(log, decimal.Decimal(k))
    mantissa = float(_CTX.power(decimal.Decimal(10), frac))
    if mantissa >= 10.0:  # rounding right under a power of ten
        mantissa, k = 1.0, k + 1
    return Power(base, exponent, log, k, mantissa)


def image_bits(width: int, height: int, bits: int) -> int:
    """b * W * H: the number of bits that encode one image."""
    w = _whole(width, "the width", 1, 10**6)
    h = _whole(height, "the height", 1, 10**6)
    b = _whole(bits, "bits per pixel", 1, 256)
    return b * w * h


def images(width: int, height: int, bits: int) -> Power:
    """2^(b*W*H): how many different images of W x H pixels at b bits there are."""
    return power(2, image_bits(width, height, bits))


def configurations(values: int, parameters: int) -> Power:
    """v^P: configurations of P parameters taking v values each."""
    v = _whole(values, "values per parameter", 2, MAX_BASE)
    p = _whole(parameters, "the number of parameters", 0, MAX_EXPONENT)
    return power(v, p)


def parameters_needed(images_power: Power, values: int) -> int:
    """The smallest P with v^P >= the number of images (P = ceil(log_v of it))."""
    v = _whole(values, "values per parameter", 2, MAX_BASE)
    ratio = _CTX.divide(images_power.log10, _CTX.log10(decimal.Decimal(v)))
    p = int(ratio.to_integral_value(rounding=decimal.ROUND_CEILING))
    return p


@dataclass(frozen=True)
class Claim:
    """One number as the paper states it and as computed exactly."""

    what: str
    base: int
    exponent: int
    paper_k: int  # the paper says about 10^paper_k (0 when it gives no power of ten)
    paper_text: str
    images: bool  # True for a count of images, False for a count of network configurations

    @property
    def exact(self) -> Power:
        """The exact value."""
        return power(self.base, self.exponent)

    @property
    def agrees(self) -> bool:
        """True when the paper's power of ten is within one of the exact one."""
        return self.paper_k > 0 and abs(self.exact.log10 - self.paper_k) < 1


PAPER_CLAIMS: tuple[Claim, ...] = (
    Claim("200 x 200 grey-scale image, 8 bits a pixel", 2, 8 * 200 * 200, 10_000, "2^320000, roughly 10^10000", True),
    Claim(
        "1000 x 1000 image, 4 bytes a pixel", 2, 32 * 1000 * 1000, 10_000_000, "2^32000000, around 10^10000000", True
    ),
    Claim("1000 weights with 100 values each", 100, 1000, 10_000, "at most 10^10000 cases", False),
    Claim("the paper's 12 weights at 64 bits each (Part III)", 2, 64 * 12, 0, "2^(64*12) combinations", False),
)
