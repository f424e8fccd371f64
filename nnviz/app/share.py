"""Share links: the network, its preset and seed as URL query parameters.

One declarative table, :data:`FIELDS`, says what a link holds. A link always
names the preset (and for fully connected layers its sizes and functions) and
the seed; when the network differs from what the preset builds (after edits,
training or an upload) it also carries the whole network as ``net``: the
compact ``nnviz.network/1`` JSON, zlib-compressed, base64url without padding.

Everything read from a URL is untrusted: :func:`decode` checks lengths before
decoding, caps the decompressed size (no zip bombs), validates every value
through :class:`~nnviz.edit.Preset` and :func:`~nnviz.files.from_json`, clamps
the seed (and says so in :attr:`Shared.notes`), and reports a problem as a
message instead of raising.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from nnviz import presets
from nnviz.activations import ACTIVATIONS
from nnviz.app import settings
from nnviz.edit import MAX_SEED, Preset, parse_sizes
from nnviz.files import MAX_JSON_BYTES, from_json, to_dict
from nnviz.network import Network, NetworkError

#: Query parameter -> what it holds. The only keys a link may set.
FIELDS: dict[str, str] = {
    "preset": f"starting network: one of {', '.join(presets.PRESETS)}",
    "sizes": 'layer sizes of the "layered" preset, e.g. 2,4,1',
    "act": "function of hidden neurons in the preset",
    "out": "function of output neurons in the preset",
    "seed": f"seed for random weights, clamped to 0..{MAX_SEED} (with a note saying so)",
    "pseed": "seed the layered preset was built with, when it differs from seed",
    "net": "the whole network when it differs from the preset: zlib + base64url of its JSON",
    "pg": "the Training page's playground knobs that differ from their defaults: JSON {name: value}",
}
#: The playground's settings a link carries (their declared keys are ``train_`` + the name).
PLAYGROUND_PREFIX = "pg_"
MAX_PG_CHARS = 600
MAX_NET_CHARS = 60_000  # longest "net" value written or read; bigger networks share their preset only
MAX_PARAM_CHARS = 200  # every other value
#: Longest query string a link written by the app can have: a "net" at its limit and every other
#: field at its own ("pg" percent-encoded: up to 3 characters each). The web server refuses a request
#: line of about 128 KB with a bare HTTP 400 before the app runs, so the app stays at half of that
#: (tests/browser/test_share_limits.py).
MAX_LINK_CHARS = MAX_NET_CHARS + 3 * MAX_PG_CHARS + len(FIELDS) * (MAX_PARAM_CHARS + 16)


@dataclass(frozen=True)
class Shared:
    """What a link decodes to: the network to show, its preset and seed."""

    network: Network
    preset: Preset
    seed: int
    notes: tuple[str, ...] = ()  # values that were changed to fit (a clamped seed), said to the user


class ShareError(ValueError):
    """A share link that cannot be used; the message says which parameter is wrong."""


def _pack(net: Network) -> str:
    text = json.dumps(to_dict(net), separators=(",", ":"))
    return base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).decode().rstrip("=")


def _unpack(blob: str) -> Network:
    if len(blob) > MAX_NET_CHARS:
        raise ShareError(f"the link's network is {len(blob):,} characters; the limit is {MAX_NET_CHARS:,}")
    try:
        raw = base64.b64decode(blob + "=" * (-len(blob) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ShareError("the link's network is not valid base64url text") from None
    if not raw:
        raise ShareError("the link's network is empty")
    d = zlib.decompressobj()
    try:
        text = d.decompress(raw, MAX_JSON_BYTES + 1)
    except zlib.error:
        raise ShareError("the link's network is not zlib-compressed data (the link may be cut short)") from None
    if len(text) > MAX_JSON_BYTES or d.unconsumed_tail:
        raise ShareError(f"the link's network unpacks to more than {MAX_JSON_BYTES:,} bytes")
    try:
        return from_json(text)
    except NetworkError as exc:
        raise ShareError(f"the link's network is invalid: {exc}") from None


def encode(net: Network, preset: Preset, seed: int) -> tuple[dict[str, str], bool]:
    """Query parameters for a link to ``net``; and whether the link restores it exactly.

    The second value is False when the network differs from its preset but is
    too large for a link (its ``net`` would exceed :data:`MAX_NET_CHARS`): the
    link then restores only the preset.
    """
    params = {"preset": preset.name}
    if preset.name == "layered":
        params["sizes"] = ",".join(map(str, preset.sizes))
    if preset.name in ("layered", "paper"):
        params["act"] = preset.activation
        params["out"] = preset.output_activation
    params["seed"] = str(int(seed))
    if preset.name == "layered" and preset.seed != seed:
        params["pseed"] = str(int(preset.seed))
    try:
        same = preset.build() == net
    except NetworkError:
        same = False
    if same:
        return params, True
    blob = _pack(net)
    if len(blob) > MAX_NET_CHARS:
        return params, False
    params["net"] = blob
    if link_chars(params) > MAX_LINK_CHARS:  # cannot happen while each field keeps its own limit
        del params["net"]
        return params, False
    return params, True


def link_chars(params: Mapping[str, str]) -> int:
    """Length of the query string ``params`` make in a URL (what the web server's limit counts)."""
    return len(urlencode(params))


def _get(params: Mapping[str, str | list[str]], key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, list):  # st.query_params.to_dict() gives the last value; a raw parse gives lists
        value = value[-1] if value else None
    if value is None:
        return None
    if not isinstance(value, str):
        raise ShareError(f"the link's {key!r} is not text")
    if key != "net" and len(value) > MAX_PARAM_CHARS:
        raise ShareError(f"the link's {key!r} is too long")
    return value


def has_link(params: Mapping[str, object]) -> bool:
    """True when ``params`` hold any of the share-link fields of the network (``pg`` alone is not one)."""
    return any(key in params for key in FIELDS if key != "pg")


def _seed(text: str | None, key: str = "seed", notes: list[str] | None = None) -> int:
    """The seed in ``text``, clamped to 0..MAX_SEED; a clamp is noted in ``notes``."""
    if text is None:
        return 0
    text = text.strip()
    if not (text.lstrip("-").isdecimal() and text.isascii()) or len(text) > 30:
        raise ShareError(f"the link's {key} {text[:20]!r} is not a whole number")
    seed = min(max(int(text), 0), MAX_SEED)
    if seed != int(text) and notes is not None:
        notes.append(f"the link's {key} {text[:20]} is outside 0 to {MAX_SEED:,}; {seed:,} is used instead")
    return seed


def decode(params: Mapping[str, str | list[str]]) -> Shared:
    """The network a link describes; ``ShareError`` naming the parameter that is wrong."""
    name = _get(params, "preset") or "paper"
    if name not in presets.PRESETS:
        raise ShareError(f"the link names an unknown preset {name[:30]!r} (use one of {', '.join(presets.PRESETS)})")
    notes: list[str] = []
    seed = _seed(_get(params, "seed"), "seed", notes)
    kwargs: dict[str, object] = {"name": name}
    for key, field in (("act", "activation"), ("out", "output_activation")):
        act = _get(params, key)
        if act is not None:
            if act not in ACTIVATIONS:
                raise ShareError(f"the link's {key!r} names an unknown function {act[:30]!r}")
            kwargs[field] = act
    sizes = _get(params, "sizes")
    if name == "layered" and sizes is not None:
        try:
            kwargs["sizes"] = parse_sizes(sizes)
        except NetworkError as exc:
            raise ShareError(f"the link's sizes are invalid: {exc}") from None
    if name == "layered":
        pseed = _get(params, "pseed")
        kwargs["seed"] = seed if pseed is None else _seed(pseed, "pseed", notes)
    preset = Preset(**kwargs)  # type: ignore[arg-type]
    blob = _get(params, "net")
    if blob is not None:
        return Shared(_unpack(blob), preset, seed, tuple(notes))
    try:
        return Shared(preset.build(), preset, seed, tuple(notes))
    except NetworkError as exc:
        raise ShareError(f"the link's preset cannot be built: {exc}") from None


def _playground_settings() -> dict[str, settings.Setting]:
    return {
        s.name: s for s in settings.SETTINGS.values() if s.page == "training" and s.name.startswith(PLAYGROUND_PREFIX)
    }


def encode_playground(form: Mapping[str, object]) -> str | None:
    """The ``pg`` value of a link: the playground knobs in ``form`` (the Training page's values by name)
    that differ from their defaults, as compact JSON; None when all are at their defaults.

    ``pg_seed`` and the knobs that only change how the output is drawn are kept too, so the link shows the same
    points. Values that do not pass their declared setting are left out.
    """
    out = {}
    for name, setting in sorted(_playground_settings().items()):
        value = form.get(name)
        if value is None or value == setting.default:
            continue
        try:
            out[name[len(PLAYGROUND_PREFIX) :]] = setting.check(value)
        except settings.SettingError:
            continue
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False) if out else None


def decode_playground(params: Mapping[str, str | list[str]]) -> dict[str, object]:
    """The playground knobs of a link's ``pg`` (name -> value, e.g. ``{"pg_data": "spiral"}``); ``{}`` without one.

    Every value is checked against its declared setting; ``ShareError`` names the first knob that is wrong.
    """
    value = params.get("pg")
    if isinstance(value, list):
        value = value[-1] if value else None
    if value is None:
        return {}
    if not isinstance(value, str) or len(value) > MAX_PG_CHARS:
        raise ShareError(f"the link's 'pg' is not text of at most {MAX_PG_CHARS} characters")
    try:
        doc = json.loads(value)
    except ValueError:
        raise ShareError("the link's 'pg' is not valid JSON (the link may be cut short)") from None
    if not isinstance(doc, dict):
        raise ShareError("the link's 'pg' must be a JSON object of playground knobs")
    known = _playground_settings()
    out: dict[str, object] = {}
    for key, raw in doc.items():
        setting = known.get(PLAYGROUND_PREFIX + str(key))
        if setting is None:
            raise ShareError(f"the link's 'pg' holds {str(key)[:30]!r}, which is not a playground knob")
        try:
            out[setting.name] = setting.check(raw)
        except settings.SettingError as exc:
            raise ShareError(f"the link's playground knob is refused: {exc}") from None
    return out
