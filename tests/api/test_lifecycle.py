"""Lifecycle played from Python (SEMANTICS.md §2, §6): worker idle stop and wake-up,
extension disable/enable/uninstall/reload, history with and without the back/forward cache."""

from __future__ import annotations

from typing import Any

import pytest

from webext_runtime import Browser, ExtensionAPIError, Port

from ._helpers import manifest

BOTH = pytest.mark.parametrize("profile", ["chrome", "firefox"])


def _event_manifest(profile: str) -> dict[str, Any]:
    mf = manifest(profile, matches=["https://example.com/*"])
    if profile == "firefox":
        mf["background"] = {"scripts": ["bg.js"], "persistent": False}  # an event page
    return mf


@BOTH
async def test_python_worker_idles_out_and_wakes_with_fresh_listeners(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=_event_manifest(profile))
        bg = ext.background
        assert bg is not None
        got: list[Port] = []
        bg.runtime.on_connect.add_listener(got.append)
        suspended: list[bool] = []
        bg.runtime.on_suspend.add_listener(lambda: suspended.append(True))
        tab = await browser.open_tab("https://example.com/")
        port = tab.content_script(ext).runtime.connect(name="p")
        await browser.settle()
        assert len(got) == 1
        await browser.advance(30.0)
        assert not ext.worker_running and not bg.alive
        assert port.disconnected and port.error is None
        assert suspended == ([True] if profile == "firefox" else [])
        # the next connect starts a new background whose Python listeners are gone, like a
        # worker's globals: the opener gets the no-receiver error
        port2 = tab.content_script(ext).runtime.connect(name="q")
        await port2.wait_disconnect()
        assert ext.worker_running and ext.background is not None and ext.background is not bg


@BOTH
async def test_disable_enable_uninstall(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None
        bg.runtime.on_connect.add_listener(lambda p: None)
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        port = cs.runtime.connect()
        await browser.settle()
        await ext.disable()
        assert port.disconnected and not bg.alive and ext.background is None
        if profile == "chrome":
            # the old content script is orphaned: its API calls throw [C150 lifecycle §5]
            assert cs.runtime.id is None
            with pytest.raises(ExtensionAPIError, match=r"Extension context invalidated\."):
                cs.runtime.connect()
        await ext.enable()
        assert ext.background is not None and ext.background.alive
        if profile == "firefox":
            assert tab.content_script(ext).alive  # injected into the open tab again
        await ext.uninstall()
        assert browser.extensions == []
        kinds = [(r["data"] or {}).get("event") for r in browser.trace if r["kind"] == "lifecycle"]
        assert "extension_disabled" in kinds and "extension_enabled" in kinds
        assert "extension_uninstalled" in kinds


async def test_stop_a_persistent_page_is_refused() -> None:
    async with Browser(profile="firefox") as browser:
        ext = await browser.install(manifest=manifest("firefox"))
        with pytest.raises(Exception, match="persistent background page"):
            await ext.stop_service_worker()


@BOTH
async def test_history_without_and_with_bfcache(profile: str) -> None:
    for bfcache in (False, True):
        async with Browser(profile=profile, bfcache=bfcache) as browser:
            ext = await browser.install(manifest=manifest(profile, matches=["https://*/*"]))
            tab = await browser.open_tab("https://a.example/")
            first = tab.content_script(ext)
            await tab.navigate("https://b.example/")
            assert tab.url == "https://b.example/"
            await tab.go_back()
            assert tab.url == "https://a.example/"
            cached = profile == "chrome" and bfcache
            assert (tab.content_script(ext).ctx_id == first.ctx_id) is cached
            await tab.go_forward()
            assert tab.url == "https://b.example/"
            await tab.go_forward()  # nothing forward: ignored
            assert tab.url == "https://b.example/"
            before = tab.content_script(ext).ctx_id
            await tab.reload()
            assert tab.content_script(ext).ctx_id != before  # a reload is a new document
