"""What an idle open channel and an idle tab cost the cyclic GC.

``bench/bench_scale.py`` showed that connect cost at 10,000 open ports grows with the number
of objects CPython's cyclic GC has to walk (a full collection visits every tracked object;
with the GC disabled the per-connect cost is flat). These tests pin the number of
GC-tracked objects an idle channel and an idle tab add, so a change that puts lists, Events
or closures back on every Port or host fails here rather than silently in the benchmark.
"""

from __future__ import annotations

import gc

import pytest

from webext_runtime import Browser, Context

from ._helpers import PROFILES, manifest

N = 200


def _tracked() -> int:
    gc.collect()  # also untracks tuples and dicts that only hold plain values
    return len(gc.get_objects())


async def _extension(profile: str) -> tuple[Browser, Context]:
    """A Browser with one extension whose content script matches example.com; its background."""
    browser = Browser(profile)
    ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
    assert ext.background is not None
    return browser, ext.background


@pytest.mark.parametrize("profile", PROFILES)
async def test_idle_channel_adds_few_gc_tracked_objects(profile: str) -> None:
    browser, bg = await _extension(profile)
    ext = browser.extensions[0]
    accepted: list[object] = []
    bg.runtime.on_connect.add_listener(accepted.append)
    tab = await browser.open_tab("https://example.com/")
    runtime = tab.content_script(ext).runtime
    await browser.settle()
    before = _tracked()
    ports = [runtime.connect(name="p") for _ in range(N)]
    await browser.settle()
    per_channel = (_tracked() - before) / N
    assert len(accepted) == N and not ports[-1].disconnected
    # two Port objects, the router's Channel, the receiver's sender dict and its tab dict;
    # no Event, listener list, message log or waiter list until a test asks for one
    assert per_channel <= 6, per_channel
    await browser.close()


@pytest.mark.parametrize("profile", PROFILES)
async def test_idle_tab_adds_few_gc_tracked_objects(profile: str) -> None:
    browser = Browser(profile)
    await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
    await browser.open_tab("https://example.com/")
    before = _tracked()
    tabs = [await browser.open_tab("https://example.com/") for _ in range(N)]
    per_tab = (_tracked() - before) / N
    assert len(tabs) == N
    # tab and frame state, two contexts (page, content script) with their hosts; no
    # per-host closures, no empty Events
    assert per_tab <= 20, per_tab
    await browser.close()


@pytest.mark.parametrize("profile", PROFILES)
async def test_lazy_port_pieces_still_work(profile: str) -> None:
    """Listeners, the message log and waiters appear on first use and behave as before."""
    browser, bg = await _extension(profile)
    ext = browser.extensions[0]
    got: list[object] = []
    bg.runtime.on_connect.add_listener(
        lambda port: port.on_message.add_listener(lambda msg, p: got.append(msg))
    )
    tab = await browser.open_tab("https://example.com/")
    port = tab.content_script(ext).runtime.connect(name="x")
    assert port.messages == [] and not port.on_message.has_listeners()
    port.post_message({"n": 1})
    await browser.settle()
    assert got == [{"n": 1}]
    closed: list[object] = []
    port.on_disconnect.add_listener(closed.append)
    assert port.on_disconnect.has_listener(closed.append)
    port.on_disconnect.remove_listener(closed.append)
    assert not port.on_disconnect.has_listeners()
    await browser.close()
