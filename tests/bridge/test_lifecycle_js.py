"""Lifecycle with real extension JS (SEMANTICS.md §6, observations/chromium-150-lifecycle.md,
firefox-153-lifecycle.md): idle stop and wake-up of the service worker / event page, lost
globals, late listeners, reconnecting ports, reload orphaning, back/forward cache, popups."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from webext_runtime import Browser

FIXTURE = Path(__file__).parent / "fixtures" / "lifecycle"
BOTH = pytest.mark.parametrize("profile", ["chrome", "firefox"])
PAGE = "https://example.com/"


def _bg_lines(browser: Browser) -> list[str]:
    return [c.text for c in browser.console if c.context == "background"]


@BOTH
async def test_idle_stop_loses_globals_and_wakes_on_message(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(FIXTURE)
        tab = await browser.open_tab(PAGE)
        cs = tab.content_script(ext)
        assert await cs.evaluate("got.length") == 1
        first = await cs.evaluate("got[0].startedAt")
        await browser.advance(29.9)
        assert ext.worker_running  # an open port alone does not keep it, but 30 s have not passed
        await browser.advance(0.2)
        assert not ext.worker_running  # 30 s after the last port message [C150 lifecycle §1]
        assert await cs.evaluate("disconnects") == 1
        assert "cs onDisconnect no error" in [c.text for c in browser.console]
        if profile == "firefox":
            assert "bg onSuspend" in _bg_lines(browser)  # [F153 lifecycle]
        # a sendMessage starts it again: top-level script first, globals are new
        await browser.advance(5)
        reply = await cs.evaluate("chrome.runtime.sendMessage({again: 1})")
        assert reply["counter"] == 1
        assert reply["startedAt"] > first
        assert _bg_lines(browser).count("bg start " + str(reply["startedAt"])) == 1
        kinds = [(r["kind"], (r["data"] or {}).get("event")) for r in browser.trace]
        assert ("lifecycle", "worker_stopped") in kinds and ("lifecycle", "worker_waking") in kinds
        starts = [
            r["data"]["reason"]
            for r in browser.trace
            if (r["data"] or {}).get("event") == "worker_started"
        ]
        assert starts == ["install", "event"]


@BOTH
async def test_messages_keep_it_alive_timers_do_not(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(FIXTURE)
        tab = await browser.open_tab(PAGE)
        cs = tab.content_script(ext)
        for _ in range(5):  # a message every 20 s for 100 s keeps the worker [C150 §1]
            await browser.advance(20)
            await cs.evaluate("port.postMessage({tick: 1})")
        await browser.settle()
        assert ext.worker_running
        assert await cs.evaluate("got[got.length - 1].counter") == 7  # same globals
        await ext.background.evaluate("setInterval(() => {}, 5000)")
        await browser.advance(31)
        assert not ext.worker_running  # a timer does not extend its life


@BOTH
async def test_stop_on_demand_and_reconnect(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(FIXTURE)
        tab = await browser.open_tab(PAGE)
        cs = tab.content_script(ext)
        await cs.evaluate("globalThis.RECONNECT = true")
        await ext.stop_service_worker()
        # the port dropped without an error, the content script reconnected: that connect
        # woke the worker, which got onConnect (a new instance: counter 1)
        assert await cs.evaluate("disconnects") == 1
        assert ext.worker_running
        await cs.evaluate("port.postMessage({after: 'restart'})")
        await browser.settle()
        assert await cs.evaluate("got[got.length - 1].counter") == 2
        assert await cs.evaluate("got[got.length - 1].echo") == {"after": "restart"}


@BOTH
async def test_message_posted_before_wake_is_queued(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(FIXTURE)
        tab = await browser.open_tab(PAGE)
        cs = tab.content_script(ext)
        await ext.stop_service_worker()
        await cs.evaluate(
            "var p2 = chrome.runtime.connect({name: 'p2'}); var got2 = [];"
            "p2.onMessage.addListener((m) => got2.push(m));"
            "p2.postMessage({queued: true});"
        )
        await browser.settle()
        got2 = await cs.evaluate("got2")
        assert got2 == [{"counter": 2, "startedAt": got2[0]["startedAt"], "echo": {"queued": True}}]


@BOTH
@pytest.mark.parametrize(("late", "delivered"), [(0, True), (50, False)])
async def test_late_listener_and_the_waking_event(
    profile: str, late: int, delivered: bool, tmp_path: Path
) -> None:
    ext_dir = tmp_path / "ext"
    shutil.copytree(FIXTURE, ext_dir)
    # this worker registers its listeners in setTimeout(..., late)
    bg = ext_dir / "bg.js"
    bg.write_text(f"globalThis.LATE = {late};\n" + bg.read_text())
    async with Browser(profile=profile) as browser:
        ext = await browser.install(ext_dir)
        tab = await browser.open_tab(PAGE)
        cs = tab.content_script(ext)
        await browser.advance(1)
        await ext.stop_service_worker()
        result = await cs.evaluate(
            "chrome.runtime.sendMessage({wake: 1}).then((r) => 'ok', (e) => e.message)"
        )
        # [C150 lifecycle §2]: a listener added in setTimeout(0) still gets the waking event;
        # one added after >= 50 ms misses it and the sender gets the no-receiver error
        expected = (
            "ok" if delivered else "Could not establish connection. Receiving end does not exist."
        )
        assert result == expected


async def test_reload_orphans_content_scripts_chrome() -> None:
    async with Browser(profile="chrome") as browser:
        ext = await browser.install(FIXTURE)
        tab = await browser.open_tab(PAGE)
        cs = tab.content_script(ext)
        await ext.reload()
        # the port dropped without error while runtime.id was still set, then orphaned
        assert "cs onDisconnect no error" in [c.text for c in browser.console]
        assert await cs.evaluate("typeof chrome.runtime.id") == "undefined"
        assert (
            await cs.evaluate("try { port.postMessage(1); 'no throw' } catch (e) { e.message }")
            == "Extension context invalidated."
        )
        assert (
            await cs.evaluate(
                "try { chrome.runtime.connect(); 'no throw' } catch (e) { e.message }"
            )
            == "Extension context invalidated."
        )
        # Chrome injects no new content script until the next navigation [SEMANTICS §6]
        with pytest.raises(Exception, match="no content script"):
            tab.content_script(ext)
        await tab.navigate("https://example.com/next")
        assert tab.content_script(ext).alive


async def test_reload_firefox_reinjects_into_open_tabs() -> None:
    async with Browser(profile="firefox") as browser:
        ext = await browser.install(FIXTURE)
        tab = await browser.open_tab(PAGE)
        old = tab.content_script(ext)
        await ext.reload()
        new = tab.content_script(ext)
        assert new.ctx_id != old.ctx_id and not old.alive
        assert await new.evaluate("got.length") == 1  # it connected to the new background


async def test_bfcache_chrome_text_and_zombie_port() -> None:
    async with Browser(profile="chrome") as browser:
        ext = await browser.install(FIXTURE)
        tab = await browser.open_tab("https://example.com/a")
        first = tab.content_script(ext)
        bg = ext.background
        assert bg is not None
        seen: list[str | None] = []
        await bg.evaluate(
            "self.errs = []; chrome.runtime.onConnect.addListener((p) => "
            "p.onDisconnect.addListener(() => "
            "self.errs.push(chrome.runtime.lastError?.message ?? null)))"
        )
        await first.evaluate("connect()")
        await tab.navigate("https://example.com/b")
        errs = await bg.evaluate("self.errs")
        assert errs == [
            "The page keeping the extension port is moved into back/forward "
            "cache, so the message channel is closed."
        ]
        await tab.go_back()
        restored = tab.content_script(ext)
        assert restored.ctx_id == first.ctx_id  # the same document, not re-run
        before = await first.evaluate("got.length")
        assert (
            await first.evaluate(
                "try { port.postMessage({zombie: 1}); 'no throw' } catch (e) { e.message }"
            )
            == "no throw"
        )
        await browser.settle()
        assert await first.evaluate("got.length") == before  # nothing arrives
        assert await first.evaluate("disconnects") == 0  # and no onDisconnect
        del seen


async def test_bfcache_off() -> None:
    async with Browser(profile="chrome", bfcache=False) as browser:
        ext = await browser.install(FIXTURE)
        tab = await browser.open_tab("https://example.com/a")
        first = tab.content_script(ext)
        await tab.navigate("https://example.com/b")
        await tab.go_back()
        assert tab.content_script(ext).ctx_id != first.ctx_id
        assert not first.alive


@BOTH
async def test_popup_open_and_close(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(FIXTURE)
        popup = await ext.open_popup()
        assert popup.subkind == "popup"
        assert "bg onConnect popup 1" in _bg_lines(browser)
        await ext.background.evaluate(
            "self.closed = 0; chrome.runtime.onConnect.addListener((p) => "
            "p.onDisconnect.addListener(() => self.closed++))"
        )
        await popup.evaluate("chrome.runtime.connect({name: 'popup2'})")
        await popup.close()
        assert not popup.alive
        assert await ext.background.evaluate("self.closed") == 1
