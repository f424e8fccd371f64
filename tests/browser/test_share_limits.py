"""Share links at their size limit: the longest link the app writes opens the app, and the web server's own
limit (a bare HTTP 400 before the app runs) lies well past it."""

from __future__ import annotations

import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from nnviz import edit
from nnviz.app import share
from nnviz.edit import Preset

pytestmark = pytest.mark.browser


def _largest_link() -> tuple[dict[str, str], object]:
    """A link whose "net" is within 10% of MAX_NET_CHARS: an edited 2,55,55,1 network."""
    preset = Preset("layered", (2, 55, 55, 1), seed=0)
    net = edit.randomise(preset.build(), 1)
    params, exact = share.encode(net, preset, 1)
    assert exact and 0.9 * share.MAX_NET_CHARS < len(params["net"]) <= share.MAX_NET_CHARS
    return params, net


def test_the_largest_link_the_app_writes_opens_the_network(page, open_app, app_url, wait_idle):
    params, net = _largest_link()
    open_app(page)  # a first visit of "/" (a deep link as the server's very first request skips app.py)
    page.goto(f"{app_url}/?{urlencode(params)}")
    wait_idle(page)
    main = page.locator("[data-testid=stMain]")
    assert "could not be used" not in main.inner_text()
    assert f"This network has {len(net.edges):,} edges" in main.inner_text()
    # the address bar holds the restored network's own link again: its weights, not the preset's
    assert parse_qs(urlsplit(page.url).query)["net"] == [params["net"]]


def test_the_web_server_serves_twice_the_longest_link_the_app_writes(app_url):
    """Past about 128 KB the server itself answers 400 without the app; the app's links stay under half."""
    query = urlencode({"net": "a" * (2 * share.MAX_LINK_CHARS)})
    with urllib.request.urlopen(f"{app_url}/?{query}", timeout=30) as response:
        assert response.status == 200
