"""nnviz.app.share: links round-trip exactly; anything malformed in a URL gives a ShareError, never a crash."""

from __future__ import annotations

import base64
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz import edit, presets
from nnviz.app import share
from nnviz.edit import Preset


def _roundtrip(net, preset, seed):
    params, exact = share.encode(net, preset, seed)
    assert exact
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
    assert set(params) <= set(share.FIELDS)
    return params, share.decode(params)


def test_unedited_preset_link_is_short_and_has_no_network():
    params, shared = _roundtrip(presets.paper_network(), Preset(), 0)
    assert params == {"preset": "paper", "act": "sigmoid", "out": "identity", "seed": "0"}
    assert shared.network == presets.paper_network()
    assert shared.preset == Preset()


def test_edited_network_travels_in_the_link():
    net = edit.add_edge(edit.randomise(presets.paper_network(), 5), "1", "9", 0.125)
    params, shared = _roundtrip(net, Preset(), 5)
    assert "net" in params and len(params["net"]) < 1000
    assert shared.network == net  # bit-exact weights, same edges, same order
    assert shared.seed == 5


def test_layered_preset_round_trip_with_its_own_seed():
    preset = Preset("layered", (3, 5, 2), "tanh", "sigmoid", seed=11)
    params, shared = _roundtrip(preset.build(), preset, 4)
    assert params["sizes"] == "3,5,2" and params["pseed"] == "11" and "net" not in params
    assert shared.preset == preset and shared.seed == 4
    assert shared.network == preset.build()


def test_too_large_network_shares_its_preset_only():
    preset = Preset("layered", (60, 60, 60, 10), seed=0)
    net = edit.randomise(preset.build(), 1)
    params, exact = share.encode(net, preset, 1)
    assert not exact and "net" not in params
    assert share.decode(params).network == preset.build()


def test_lists_from_a_raw_query_parse_use_the_last_value():
    assert share.decode({"preset": ["paper", "xor"]}).network == presets.xor()


def test_seed_is_clamped():
    assert share.decode({"seed": "-5"}).seed == 0
    assert share.decode({"seed": str(2**40)}).seed == edit.MAX_SEED


def test_has_link():
    assert share.has_link({"preset": "xor"})
    assert not share.has_link({"page": "x"})


def _blob(text: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(text)).decode().rstrip("=")


@pytest.mark.parametrize(("params", "message"), [
    ({"preset": "evil"}, "unknown preset 'evil'"),
    ({"preset": "layered", "sizes": "2,0,1"}, "layer 2 is empty"),
    ({"preset": "layered", "sizes": "2,x"}, "not a whole number"),
    ({"act": "exec"}, "unknown function 'exec'"),
    ({"seed": "1e3"}, "seed '1e3' is not a whole number"),
    ({"seed": "x" * 500}, "too long"),
    ({"net": "!!!"}, "not valid base64url"),
    ({"net": "AAAA"}, "not zlib-compressed"),
    ({"net": "x" * (share.MAX_NET_CHARS + 1)}, "the limit is"),
    ({"net": _blob(b"[1, 2]")}, "invalid: the file is not a JSON object"),
    ({"net": _blob(b"{not json")}, "invalid: the file is not valid JSON"),
    ({"net": _blob(b'{"format": "nnviz.network/1", "neurons": [], "edges": []}')}, "no input neuron"),
    ({"net": _blob(b" " * 6_000_000)}, "unpacks to more than"),
])  # fmt: skip
def test_bad_links_raise_share_error(params, message):
    with pytest.raises(share.ShareError, match=message):
        share.decode(params)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from([*share.FIELDS, "other"]), st.text(max_size=300), max_size=7))
def test_any_query_string_decodes_or_raises_share_error(params):
    try:
        shared = share.decode(params)
    except share.ShareError as exc:
        assert str(exc)
    else:
        assert shared.network.neurons


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.sampled_from(list(presets.PRESETS)))
def test_random_edits_round_trip(seed, wseed, name):
    preset = Preset(name, (2, 3, 1), seed=seed)
    net = edit.randomise(preset.build(), wseed)
    _, shared = _roundtrip(net, preset, wseed)
    assert shared.network == net


def test_a_network_near_the_limit_travels_whole_and_the_link_stays_under_its_limit():
    preset = Preset("layered", (2, 55, 55, 1), seed=0)
    net = edit.randomise(preset.build(), 1)
    params, exact = share.encode(net, preset, 1)
    assert exact and len(params["net"]) > 0.9 * share.MAX_NET_CHARS
    assert share.link_chars(params) <= share.MAX_LINK_CHARS
    assert share.decode(params).network == net


def test_a_link_over_its_limit_drops_the_network(monkeypatch):
    """The total-length guard: with a lower limit the same network shares its preset only."""
    net = edit.randomise(presets.paper_network(), 3)
    params, exact = share.encode(net, Preset(), 3)
    assert exact and "net" in params
    monkeypatch.setattr(share, "MAX_LINK_CHARS", share.link_chars(params) - 1)
    params, exact = share.encode(net, Preset(), 3)
    assert not exact and "net" not in params
