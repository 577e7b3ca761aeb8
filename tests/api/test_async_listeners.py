"""``async def`` listeners (API.md: listeners "may be plain functions or async def").

In a browser an ``async function`` listener runs synchronously up to its first ``await``
(ECMAScript AsyncFunction semantics): ``port.onMessage.addListener`` inside an async onConnect
listener is in place before the next queued message is dispatched, and ``runtime.lastError``
read at the top of an async onDisconnect listener is still set (Chrome sets it "only during
the callback", SEMANTICS.md §2/§7 — the callback's synchronous part).
"""

from __future__ import annotations

from typing import Any

import pytest

from webext_runtime import Browser, Port

from ._helpers import NO_RECEIVER, manifest


async def _cs_and_bg(browser: Browser, profile: str) -> tuple[Any, Any]:
    ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
    tab = await browser.open_tab("https://example.com/")
    return ext.background, tab.content_script(ext)


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_async_on_connect_registers_before_queued_messages(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        bg, cs = await _cs_and_bg(browser, profile)
        seen: list[Any] = []

        async def on_connect(p: Port) -> None:
            p.on_message.add_listener(seen.append)

        bg.runtime.on_connect.add_listener(on_connect)
        port = cs.runtime.connect()
        port.post_message("hi")
        await browser.settle()
        assert seen == ["hi"]


async def test_async_on_disconnect_sees_last_error_chrome() -> None:
    async with Browser(profile="chrome") as browser:
        bg, cs = await _cs_and_bg(browser, "chrome")
        port = cs.runtime.connect()
        seen: list[Any] = []

        async def on_disconnect(p: Port) -> None:
            seen.append(cs.runtime.last_error)

        port.on_disconnect.add_listener(on_disconnect)
        await browser.settle()
        assert len(seen) == 1 and seen[0] is not None and seen[0].message == NO_RECEIVER
        assert browser.console == []


async def test_async_on_disconnect_sees_port_error_firefox() -> None:
    async with Browser(profile="firefox") as browser:
        bg, cs = await _cs_and_bg(browser, "firefox")
        port = cs.runtime.connect()
        seen: list[Any] = []

        async def on_disconnect(p: Port) -> None:
            seen.append((cs.runtime.last_error, str(p.error)))

        port.on_disconnect.add_listener(on_disconnect)
        await browser.settle()
        assert seen == [(None, NO_RECEIVER)]
