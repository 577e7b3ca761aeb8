"""runtime.connect / tabs.connect / Port, played from Python (SEMANTICS.md §1, §2)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from webext_runtime import (
    Browser,
    Context,
    Extension,
    ExtensionAPIError,
    NamespaceUnavailableError,
    Port,
    Tab,
    UsageError,
)

from ._helpers import NO_RECEIVER, PROFILES, UNCHECKED, manifest

DISCONNECTED = {
    "chrome": "Attempting to use a disconnected port object",
    "firefox": "Attempt to postMessage on disconnected port",
}

pytestmark = pytest.mark.parametrize("profile", PROFILES)


async def _setup(
    browser: Browser, profile: str, *, all_frames: bool = False
) -> tuple[Extension, Context, Tab, Context]:
    ext = await browser.install(
        manifest=manifest(profile, matches=["https://example.com/*"], all_frames=all_frames)
    )
    bg = ext.background
    assert bg is not None
    tab = await browser.open_tab("https://example.com/")
    return ext, bg, tab, tab.content_script(ext)


def _collect(ctx: Context) -> list[Port]:
    got: list[Port] = []
    ctx.runtime.on_connect.add_listener(got.append)
    return got


# -- connecting ----------------------------------------------------------------------------


async def test_on_connect_is_asynchronous(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        got = _collect(bg)
        port = cs.runtime.connect()
        assert isinstance(port, Port)  # returned synchronously
        assert got == []  # the listener has not run yet
        assert port.name == ""
        assert port.sender is None
        assert not port.disconnected
        await browser.settle()
        assert len(got) == 1
        (rp,) = got
        assert rp.name == ""
        assert rp.sender is not None
        assert rp is not port


async def test_named_port(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        got = _collect(bg)
        port = cs.runtime.connect(name="port-from-cs")
        assert port.name == "port-from-cs"
        await browser.settle()
        assert got[0].name == "port-from-cs"


async def test_two_listeners_get_the_same_port(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        first = _collect(bg)
        second: list[Port] = []
        bg.runtime.on_connect.add_listener(second.append)
        cs.runtime.connect()
        await browser.settle()
        assert len(first) == 1 and len(second) == 1
        assert first[0] is second[0]


async def test_runtime_connect_never_reaches_content_scripts_or_self(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        cs_got = _collect(cs)
        bg_got = _collect(bg)
        port = bg.runtime.connect()
        errors: list[Any] = []
        port.on_disconnect.add_listener(lambda p: errors.append(p.error or bg.runtime.last_error))
        await browser.settle()
        assert cs_got == [] and bg_got == []
        assert len(errors) == 1 and str(errors[0]) == NO_RECEIVER


# -- no receiver ---------------------------------------------------------------------------


async def test_no_receiver_last_error_read(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)  # bg has no onConnect listener
        port = cs.runtime.connect(name="x")
        seen: list[tuple[Any, Any]] = []
        port.on_disconnect.add_listener(lambda p: seen.append((cs.runtime.last_error, p.error)))
        assert cs.runtime.last_error is None
        await browser.settle()
        assert len(seen) == 1
        last_error, error = seen[0]
        if profile == "chrome":
            assert last_error is not None and last_error.message == NO_RECEIVER
            assert error is None
            assert port.error is None
        else:
            assert last_error is None
            assert error is not None and str(error) == NO_RECEIVER
            assert isinstance(port.error, ExtensionAPIError)
            assert port.error.message == NO_RECEIVER  # stays set afterwards
        assert cs.runtime.last_error is None  # only set while the listener runs
        assert port.disconnected
        assert [c.text for c in browser.console] == []


async def test_no_receiver_last_error_unchecked(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        port = cs.runtime.connect()
        calls: list[Port] = []
        port.on_disconnect.add_listener(calls.append)  # does not read lastError
        await browser.settle()
        assert calls == [port]
        texts = [c.text for c in browser.console]
        if profile == "chrome":
            assert texts == [UNCHECKED]
            assert browser.console[0].context == cs.label
        else:
            assert UNCHECKED not in texts
            assert port.error is not None and str(port.error) == NO_RECEIVER


async def test_no_receiver_without_listener_chrome_logs(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        port = cs.runtime.connect()
        await browser.settle()
        assert port.disconnected
        texts = [c.text for c in browser.console]
        assert texts == ([UNCHECKED] if profile == "chrome" else [])


async def test_receiver_without_listener_is_no_receiver(profile: str) -> None:
    """A context that exists but has no onConnect listener does not take the connection."""
    async with Browser(profile=profile) as browser:
        ext, bg, _, cs = await _setup(browser, profile)
        page = await ext.open_page("page.html")
        page.runtime.on_message.add_listener(lambda *a: None)  # not an onConnect listener
        port = cs.runtime.connect()
        await port.wait_disconnect()
        assert port.disconnected
        if profile == "firefox":
            assert str(port.error) == NO_RECEIVER


# -- ordering ------------------------------------------------------------------------------


async def test_fifo_both_ways_and_not_echoed(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        got = _collect(bg)
        port = cs.runtime.connect()
        for i in range(50):
            port.post_message({"i": i})
        await browser.settle()
        (bp,) = got
        # messages posted before the receiver's listener ran are still delivered in order
        assert bp.messages == [{"i": i} for i in range(50)]
        for i in range(50):
            bp.post_message(i)
        await browser.settle()
        assert port.messages == list(range(50))
        assert bp.messages == [{"i": i} for i in range(50)]  # nothing came back to the sender


async def test_messages_before_disconnect_arrive_first(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        got = _collect(bg)
        port = cs.runtime.connect()
        await browser.settle()
        (bp,) = got
        log: list[Any] = []
        bp.on_message.add_listener(lambda m: log.append(("msg", m)))
        bp.on_disconnect.add_listener(
            lambda p: log.append(("disc", bg.runtime.last_error, p.error))
        )
        closer_calls: list[Port] = []
        port.on_disconnect.add_listener(closer_calls.append)
        port.post_message(1)
        port.post_message(2)
        port.disconnect()
        assert port.disconnected
        await browser.settle()
        assert log == [("msg", 1), ("msg", 2), ("disc", None, None)]
        assert closer_calls == []  # never on the closer
        port.disconnect()  # second disconnect is silently ignored
        await browser.settle()
        assert len([e for e in log if e[0] == "disc"]) == 1
        assert browser.console == []


async def test_receiver_disconnect_reaches_opener_after_messages(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)

        def on_connect(p: Port) -> None:
            p.post_message("bye")
            p.disconnect()

        bg.runtime.on_connect.add_listener(on_connect)
        port = cs.runtime.connect()
        log: list[Any] = []
        port.on_message.add_listener(lambda m: log.append(m))
        port.on_disconnect.add_listener(lambda p: log.append(("disc", cs.runtime.last_error)))
        await browser.settle()
        assert log == ["bye", ("disc", None)]
        if profile == "firefox":
            assert port.error is None


async def test_post_on_disconnected_port_raises(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        got = _collect(bg)
        port = cs.runtime.connect()
        await browser.settle()
        (bp,) = got
        port.disconnect()
        with pytest.raises(ExtensionAPIError) as info:
            port.post_message("x")
        assert str(info.value) == DISCONNECTED[profile]
        assert info.value.message == DISCONNECTED[profile]
        await browser.settle()
        assert bp.disconnected
        with pytest.raises(ExtensionAPIError, match=re.escape(DISCONNECTED[profile])):
            bp.post_message("y")
        assert bp.error is None  # the receiver's port.error stays null


# -- fan-out -------------------------------------------------------------------------------


async def test_fan_out_to_background_and_page(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext, bg, _, cs = await _setup(browser, profile)
        page = await ext.open_page("page.html")
        bg_got = _collect(bg)
        page_got = _collect(page)
        port = cs.runtime.connect(name="fan")
        port.post_message("hello")
        await browser.settle()
        (bp,) = bg_got
        (pp,) = page_got
        assert bp.messages == ["hello"] and pp.messages == ["hello"]
        bp.post_message("from-bg")
        pp.post_message("from-page")
        await browser.settle()
        assert port.messages == ["from-bg", "from-page"]

        log: list[str] = []
        port.on_disconnect.add_listener(lambda p: log.append("opener"))
        pp.on_disconnect.add_listener(lambda p: log.append(f"page:{p.error}"))
        bp.disconnect()
        await browser.settle()
        if profile == "chrome":
            # the opener is closed at once; the other receiver gets nothing ...
            assert log == ["opener"]
            assert not pp.disconnected
            pp.post_message("dropped")  # ... and its later posts are dropped silently
            await browser.settle()
            assert port.messages == ["from-bg", "from-page"]
        else:
            # one connect is one port: everyone is disconnected, error null
            assert sorted(log) == ["opener", "page:None"]
            assert pp.disconnected and pp.error is None
        assert port.disconnected and port.error is None


async def test_fan_out_receiver_leaving(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(
            manifest=manifest(profile, matches=["https://example.com/*"], background=False)
        )
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        p1 = await ext.open_page("one.html")
        p2 = await ext.open_page("two.html")
        got1, got2 = _collect(p1), _collect(p2)
        port = cs.runtime.connect()
        log: list[Any] = []
        port.on_disconnect.add_listener(lambda p: log.append(("opener", cs.runtime.last_error)))
        await browser.settle()
        (_r1,), (r2,) = got1, got2
        r2.on_disconnect.add_listener(lambda p: log.append(("r2", p.error)))
        await p1.close()
        if profile == "chrome":
            assert log == []  # only leaves; the opener stays open while r2 lives
            port.post_message("still")
            await browser.settle()
            assert r2.messages == ["still"]
            await p2.close()
            assert log == [("opener", None)]  # the last receiver gone: no lastError
        else:
            assert sorted(log, key=str) == [("opener", None), ("r2", None)]
            assert port.error is None
        assert port.disconnected
        assert browser.console == []


# -- tabs.connect --------------------------------------------------------------------------


async def test_tabs_connect_all_frames_and_one_frame(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext, bg, tab, top = await _setup(browser, profile, all_frames=True)
        fid = await tab.add_frame("https://example.com/inner")
        inner = tab.content_script(ext, frame_id=fid)
        top_got, inner_got = _collect(top), _collect(inner)

        port = bg.tabs.connect(tab.id, name="all")
        port.post_message("m")
        await browser.settle()
        assert len(top_got) == 1 and len(inner_got) == 1
        assert top_got[0].name == "all" and top_got[0].messages == ["m"]
        assert inner_got[0].messages == ["m"]

        bg.tabs.connect(tab.id, name="inner", frame_id=fid)
        await browser.settle()
        assert [p.name for p in inner_got] == ["all", "inner"]
        assert [p.name for p in top_got] == ["all"]

        bg.tabs.connect(tab.id, name="top", frame_id=0)
        await browser.settle()
        assert [p.name for p in top_got] == ["all", "top"]

        bg.tabs.connect(tab.id, name="doc", document_id=inner.document_id)
        await browser.settle()
        assert [p.name for p in inner_got] == ["all", "inner", "doc"]
        assert [p.name for p in top_got] == ["all", "top"]


@pytest.mark.parametrize(
    "target",
    [{"tab": 9999}, {"frame_id": 12345}, {"document_id": "NOPE"}],
    ids=["tab", "frame", "document"],
)
async def test_tabs_connect_missing_target(profile: str, target: dict[str, Any]) -> None:
    async with Browser(profile=profile) as browser:
        ext, bg, tab, cs = await _setup(browser, profile)
        cs_got = _collect(cs)
        target = dict(target)
        tab_id = target.pop("tab", tab.id)
        port = bg.tabs.connect(tab_id, name="bad", **target)  # does not raise
        seen: list[Any] = []
        port.on_disconnect.add_listener(lambda p: seen.append(p.error or bg.runtime.last_error))
        await browser.settle()
        assert cs_got == []
        assert len(seen) == 1 and str(seen[0]) == NO_RECEIVER


async def test_content_script_has_no_tabs(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, tab, cs = await _setup(browser, profile)
        with pytest.raises(NamespaceUnavailableError):
            cs.tabs  # noqa: B018
        with pytest.raises(AttributeError):
            cs.tabs  # noqa: B018
        assert not hasattr(cs, "tabs")
        assert hasattr(bg, "tabs")


# -- teardown ------------------------------------------------------------------------------


async def test_tab_close_disconnects_far_end(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, tab, cs = await _setup(browser, profile)
        got = _collect(bg)
        port = cs.runtime.connect()
        cs_calls: list[Port] = []
        port.on_disconnect.add_listener(cs_calls.append)
        await browser.settle()
        (bp,) = got
        seen: list[Any] = []
        bp.on_disconnect.add_listener(lambda p: seen.append((bg.runtime.last_error, p.error)))
        await tab.close()
        assert seen == [(None, None)]
        assert cs_calls == []
        assert port.disconnected and bp.disconnected
        assert browser.console == []


async def test_closing_extension_page_closes_its_ports(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext, bg, tab, cs = await _setup(browser, profile)
        page = await ext.open_page("page.html")
        cs_got = _collect(cs)
        port = page.tabs.connect(tab.id)
        await browser.settle()
        (cp,) = cs_got
        await page.close()
        assert not page.alive
        assert cp.disconnected
        assert port.disconnected


# -- helpers and listener shapes -----------------------------------------------------------


async def test_next_message_and_wait_disconnect(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        got = _collect(bg)
        port = cs.runtime.connect()
        await browser.settle()
        (bp,) = got
        bp.post_message("a")
        bp.post_message({"b": 2})
        assert await port.next_message() == "a"
        assert await port.next_message() == {"b": 2}
        bp.disconnect()
        await port.wait_disconnect()
        assert port.disconnected
        with pytest.raises(UsageError, match="never"):
            await port.next_message()


async def test_listeners_with_fewer_params(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        calls: list[str] = []
        bg.runtime.on_connect.add_listener(lambda: calls.append("connect0"))
        got = _collect(bg)
        port = cs.runtime.connect()
        port.on_message.add_listener(lambda: calls.append("msg0"))
        port.on_message.add_listener(lambda m: calls.append(f"msg1:{m}"))
        port.on_message.add_listener(lambda m, p: calls.append(f"msg2:{m}:{p is port}"))
        port.on_disconnect.add_listener(lambda: calls.append("disc0"))
        await browser.settle()
        assert calls == ["connect0"]
        (bp,) = got
        bp.post_message(7)
        await browser.settle()
        assert calls == ["connect0", "msg0", "msg1:7", "msg2:7:True"]
        bp.disconnect()
        await browser.settle()
        assert calls[-1] == "disc0"


async def test_async_listeners(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)

        async def on_connect(p: Port) -> None:
            msg = await p.next_message()
            p.post_message({"echo": msg})

        bg.runtime.on_connect.add_listener(on_connect)
        port = cs.runtime.connect()
        port.post_message("ping")
        assert await port.next_message() == {"echo": "ping"}

        seen: list[Any] = []

        async def on_message(m: Any, p: Port) -> None:
            seen.append(m)

        port.on_message.add_listener(on_message)
        assert port.on_message.has_listener(on_message)
        assert port.on_message.has_listeners()
        port.on_message.remove_listener(on_message)
        assert not port.on_message.has_listener(on_message)
        port.on_message.add_listener(on_message)
        port.on_message.add_listener(on_message)  # adding twice is a no-op
        await browser.settle()


# -- more edges ----------------------------------------------------------------------------


async def test_opener_disconnect_reaches_every_receiver(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext, bg, _, cs = await _setup(browser, profile)
        page = await ext.open_page("page.html")
        bg_got, page_got = _collect(bg), _collect(page)
        port = cs.runtime.connect()
        await browser.settle()
        log: list[Any] = []
        bg_got[0].on_disconnect.add_listener(lambda p: log.append(("bg", p.error)))
        page_got[0].on_disconnect.add_listener(lambda p: log.append(("page", p.error)))
        port.post_message("last")
        port.disconnect()
        await browser.settle()
        assert sorted(log, key=str) == [("bg", None), ("page", None)]
        assert bg_got[0].messages == ["last"] and page_got[0].messages == ["last"]


async def test_disconnect_inside_on_message_stops_delivery(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        got = _collect(bg)
        port = cs.runtime.connect()
        await browser.settle()
        (bp,) = got
        seen: list[Any] = []

        def on_message(m: Any, p: Port) -> None:
            seen.append(m)
            p.disconnect()

        bp.on_message.add_listener(on_message)
        closer_calls: list[Port] = []
        bp.on_disconnect.add_listener(closer_calls.append)
        for i in range(3):
            port.post_message(i)
        opener_log: list[Any] = []
        port.on_disconnect.add_listener(lambda p: opener_log.append(p.error))
        await browser.settle()
        assert seen == [0]  # nothing after its own disconnect()
        assert closer_calls == []
        assert opener_log == [None]


async def test_listener_removed_before_dispatch_is_no_receiver(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        got: list[Port] = []
        bg.runtime.on_connect.add_listener(got.append)
        port = cs.runtime.connect()
        bg.runtime.on_connect.remove_listener(got.append)
        assert not bg.runtime.on_connect.has_listeners()
        await port.wait_disconnect()
        assert got == []
        if profile == "firefox":
            assert str(port.error) == NO_RECEIVER


async def test_listener_added_during_dispatch_waits_for_next_event(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        calls: list[str] = []

        def late(p: Port) -> None:
            calls.append("late")

        def first(p: Port) -> None:
            calls.append("first")
            bg.runtime.on_connect.add_listener(late)

        bg.runtime.on_connect.add_listener(first)
        cs.runtime.connect()
        await browser.settle()
        assert calls == ["first"]
        cs.runtime.connect()
        await browser.settle()
        assert calls == ["first", "first", "late"]


async def test_remove_frame_in_tabs_connect_fan_out(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext, bg, tab, top = await _setup(browser, profile, all_frames=True)
        fid = await tab.add_frame("https://example.com/inner")
        inner = tab.content_script(ext, frame_id=fid)
        top_got, inner_got = _collect(top), _collect(inner)
        port = bg.tabs.connect(tab.id)
        log: list[Any] = []
        port.on_disconnect.add_listener(lambda p: log.append(("opener", bg.runtime.last_error)))
        await browser.settle()
        top_got[0].on_disconnect.add_listener(lambda p: log.append(("top", p.error)))
        await tab.remove_frame(fid)
        assert not inner.alive
        if profile == "chrome":
            assert log == []  # the frame only leaves
            port.post_message("to-top")
            await browser.settle()
            assert top_got[0].messages == ["to-top"]
            assert inner_got[0].messages == []
        else:
            assert sorted(log, key=str) == [("opener", None), ("top", None)]


async def test_navigate_iframe_only_replaces_its_contexts(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext, bg, tab, top = await _setup(browser, profile, all_frames=True)
        fid = await tab.add_frame("https://example.com/inner")
        inner = tab.content_script(ext, frame_id=fid)
        await tab.navigate("https://example.com/inner2", frame_id=fid)
        assert top.alive
        assert not inner.alive
        new_inner = tab.content_script(ext, frame_id=fid)
        assert new_inner.url == "https://example.com/inner2"
        assert tab.url == "https://example.com/"


async def test_next_message_timeout_is_virtual(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        _, bg, _, cs = await _setup(browser, profile)
        _collect(bg)
        port = cs.runtime.connect()
        await browser.settle()
        before = browser.now
        with pytest.raises(TimeoutError):
            await port.next_message(timeout=2.0)
        assert browser.now == pytest.approx(before + 2.0)
