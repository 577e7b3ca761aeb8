"""One-shot messages from Python-played contexts, both profiles (SEMANTICS.md §4; issue 5:
``await ctx.runtime.send_message(message, ext_id=None)``, ``ctx.tabs.send_message(tab_id,
message, frame_id=None)``, ``on_message`` listeners ``fn(message, sender, send_response)``)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from webext_runtime import (
    UNDEFINED,
    Browser,
    ExtensionAPIError,
    ExtensionTypeError,
    MessagingError,
    WebExtRuntimeError,
)
from webext_runtime._core import model as m

PROFILES = ["chrome", "firefox"]
NO_RECEIVER = "Could not establish connection. Receiving end does not exist."
ASYNC_LOST = (
    "A listener indicated an asynchronous response by returning true, but the message "
    "channel closed before a response was received"
)
SIG = (
    "Error in invocation of runtime.sendMessage(optional string extensionId, any message, "
    "optional object options, optional function callback): "
)


def manifest(profile: str, name: str = "py", gecko: str = "py@test") -> dict[str, Any]:
    return {
        "manifest_version": 3 if profile == "chrome" else 2,
        "name": name,
        "version": "1",
        "background": {"service_worker": "bg.js"}
        if profile == "chrome"
        else {"scripts": ["bg.js"]},
        "content_scripts": [
            {"matches": ["https://example.com/*"], "js": ["cs.js"], "all_frames": True}
        ],
        "browser_specific_settings": {"gecko": {"id": gecko}},
    }


@pytest.mark.parametrize("profile", PROFILES)
async def test_shapes_and_errors(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile))
        bg = ext.background
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        # no listener anywhere
        with pytest.raises(MessagingError) as err:
            await cs.runtime.send_message({"x": 1})
        assert err.value.message == NO_RECEIVER
        got: list[Any] = []

        def listener(message: Any, sender: Any, send_response: Any) -> None:
            got.append((message, sender.id))
            send_response({"echo": message})

        bg.runtime.on_message.add_listener(listener)
        assert await cs.runtime.send_message({"x": 1}) == {"echo": {"x": 1}}
        # (extensionId, message) with the own id is internal
        assert await cs.runtime.send_message("s", ext.id) == {"echo": "s"}
        # options
        if profile == "chrome":
            assert await cs.runtime.send_message(2, include_tls_channel_id=True) == {"echo": 2}
            assert got == [({"x": 1}, ext.id), ("s", ext.id), (2, ext.id)]
        else:
            # Firefox refuses includeTlsChannelId (tests/conformance/scenarios/sm_args)
            with pytest.raises(ExtensionAPIError, match="options argument is invalid"):
                await cs.runtime.send_message(2, include_tls_channel_id=True)
            assert got == [({"x": 1}, ext.id), ("s", ext.id)]
        # an id that is not an id: Chrome throws synchronously (before anything is sent),
        # Firefox finds no receiver
        if profile == "chrome":
            with pytest.raises(ExtensionTypeError) as terr:
                await cs.runtime.send_message("x", "m")
            assert terr.value.message == SIG + "Invalid extension id: 'm'"
        else:
            with pytest.raises(MessagingError) as err:
                await cs.runtime.send_message("x", "m")
            assert err.value.message == NO_RECEIVER
        delivered = len(got)
        # a message that cannot be serialized raises before anything is sent
        with pytest.raises(WebExtRuntimeError) as serr:
            await cs.runtime.send_message(lambda: 1)
        assert getattr(serr.value, "message", None) == (
            SIG + "Could not serialize message."
            if profile == "chrome"
            else "Function object could not be cloned."
        )
        assert len(got) == delivered


@pytest.mark.parametrize("profile", PROFILES)
async def test_reply_rules(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile))
        bg = ext.background
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        later: list[Any] = []

        def first(message: Any, sender: Any, send_response: Any) -> Any:
            if message == "none":
                return None
            if message == "undef":
                send_response()
                return None
            if message == "keep":
                # answered later (a virtual-clock timer, as a JS setTimeout would), after
                # returning true
                browser._driver.call_later(0.5, lambda: send_response({"late": 1}))
                return True
            if message == "truthy":
                later.append(send_response)
                return 1  # only a literal True keeps the channel open
            if message == "two":
                send_response("first")
            return None

        def second(message: Any, sender: Any, send_response: Any) -> Any:
            if message == "two":
                send_response("second")  # later replies are ignored
            if message == "awaitable":
                return asyncio.sleep(0, result={"awaited": True})
            return None

        bg.runtime.on_message.add_listener(first)
        bg.runtime.on_message.add_listener(second)
        assert await cs.runtime.send_message("two") == "first"
        assert await cs.runtime.send_message("none") is UNDEFINED
        # explicit undefined: Chrome null, Firefox undefined (no answer) [SEMANTICS §4]
        assert await cs.runtime.send_message("undef") is (
            None if profile == "chrome" else UNDEFINED
        )
        assert await cs.runtime.send_message("truthy") is UNDEFINED
        assert await cs.runtime.send_message("awaitable") == {"awaited": True}
        assert await cs.runtime.send_message("keep") == {"late": 1}
        # a late sendResponse after a non-true return is ignored: the request is over
        assert later and later[-1]("too late") is None


@pytest.mark.parametrize("profile", PROFILES)
async def test_async_reply_lost_when_page_tab_closes(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile))
        page = await ext.open_page("page.html")
        kept: list[Any] = []

        page_tab = page.tab
        assert page_tab is not None

        def keep(message: Any, sender: Any, send_response: Any) -> bool:
            kept.append(send_response)
            # the responder's tab closes 1 s later, the answer never sent
            browser._driver.call_later(1.0, lambda: browser._driver.submit(m.CloseTab(page_tab.id)))
            return True

        page.runtime.on_message.add_listener(keep)
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        if profile == "chrome":
            with pytest.raises(MessagingError) as err:
                await cs.runtime.send_message({"c": "keep"})
            assert err.value.message == ASYNC_LOST
        else:
            # Firefox resolves undefined (tests/conformance/scenarios/sm_reply_tab_closed)
            assert await cs.runtime.send_message({"c": "keep"}) is UNDEFINED
        assert kept and not page_tab.is_open


@pytest.mark.parametrize("profile", PROFILES)
async def test_tabs_send_message_frames_and_missing_tab(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile))
        tab = await browser.open_tab("https://example.com/")
        child = await tab.add_frame("https://example.com/child.html")
        seen: list[int] = []
        for frame in (0, child):
            cs = tab.content_script(ext, frame)

            def answer(m: Any, sender: Any, sr: Any, _f: int = frame) -> None:
                seen.append(_f)
                sr(_f)

            cs.runtime.on_message.add_listener(answer)
        bg = ext.background
        first = await bg.tabs.send_message(tab.id, "all")
        assert first in (0, child) and sorted(seen) == sorted([0, child])
        seen.clear()
        assert await bg.tabs.send_message(tab.id, "one", frame_id=child) == child
        assert seen == [child]
        for kwargs in ({"frame_id": 4242}, {"document_id": "NOPE"}):
            with pytest.raises(MessagingError) as err:
                await bg.tabs.send_message(tab.id, "x", **kwargs)
            assert err.value.message == NO_RECEIVER
        with pytest.raises(MessagingError) as err:
            await bg.tabs.send_message(99999, "x")
        assert err.value.message == NO_RECEIVER


@pytest.mark.parametrize("profile", PROFILES)
async def test_on_message_external(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        a = await browser.install(manifest=manifest(profile, "a", "a@test"))
        b = await browser.install(manifest=manifest(profile, "b", "b@test"))
        internal: list[Any] = []
        external: list[Any] = []
        a.background.runtime.on_message.add_listener(lambda m, s, r: internal.append(m))

        def ext_listener(m: Any, sender: Any, respond: Any) -> None:
            external.append((m, sender.id))
            respond({"from": "A"})

        a.background.runtime.on_message_external.add_listener(ext_listener)
        assert await b.background.runtime.send_message("hi", a.id) == {"from": "A"}
        assert external == [("hi", b.id)] and internal == []


@pytest.mark.parametrize("profile", PROFILES)
async def test_trace_records_for_python_sends(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile))
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        with pytest.raises(MessagingError):
            await cs.runtime.send_message({"n": 0})
        ext.background.runtime.on_message.add_listener(lambda m, s, r: r({"ok": m}))
        await cs.runtime.send_message({"n": 1})
        trace = browser.trace_json()
    sends = [r for r in trace if r["kind"] == "send_message"]
    replies = [r for r in trace if r["kind"] == "reply"]
    assert [s["data"]["message"] for s in sends] == [{"n": 0}, {"n": 1}]
    assert sends[1]["target"] == "background"
    assert all(s["data"]["api"] == "runtime" for s in sends)
    by_req = {r["data"]["request"]: r for r in replies}
    assert by_req[sends[0]["data"]["request"]]["data"]["error"] == NO_RECEIVER
    ok = by_req[sends[1]["data"]["request"]]
    assert ok["data"]["message"] == {"ok": {"n": 1}} and ok["target"] == sends[1]["source"]


async def test_trace_names_each_delivery_and_the_responder() -> None:
    async with Browser() as browser:
        ext = await browser.install(manifest=manifest("chrome"))
        page = await ext.open_page("page.html")
        page.runtime.on_message.add_listener(lambda msg, s, r: None)
        ext.background.runtime.on_message.add_listener(lambda msg, s, r: r("bg"))
        tab = await browser.open_tab("https://example.com/")
        await tab.content_script(ext).runtime.send_message("hi")
        trace = browser.trace_json()
    reply = next(r for r in trace if r["kind"] == "reply")
    assert reply["source"] == "background"
    deliveries = [r for r in trace if r["kind"] == "send_message_delivery"]
    assert {d["target"] for d in deliveries} == {"background", page.label}
