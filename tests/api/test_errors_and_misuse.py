"""Misuse of the Python API and listener exceptions: clear errors from one root."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from webext_runtime import (
    Browser,
    JSError,
    ManifestError,
    Port,
    UsageError,
    WebExtRuntimeError,
)

from ._helpers import A_KEY, manifest

# -- a closed Browser ----------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_closed_browser_refuses_everything(profile: str) -> None:
    browser = Browser(profile=profile)
    ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
    bg = ext.background
    assert bg is not None
    tab = await browser.open_tab("https://example.com/")
    cs = tab.content_script(ext)
    got: list[Port] = []
    bg.runtime.on_connect.add_listener(got.append)
    port = cs.runtime.connect()
    await browser.settle()
    await browser.close()
    assert browser.closed
    await browser.close()  # closing twice is fine

    calls: list[Any] = [
        lambda: browser.install(manifest=manifest(profile, "late")),
        lambda: browser.open_tab("https://example.com/"),
        browser.settle,
        lambda: browser.advance(1.0),
        lambda: ext.open_page("p.html"),
        lambda: tab.navigate("https://example.com/x"),
        lambda: tab.add_frame("https://example.com/f"),
    ]
    for call in calls:
        with pytest.raises(UsageError):
            await call()
    for sync_call in (
        lambda: bg.runtime.connect(),
        lambda: port.post_message("x"),
    ):
        with pytest.raises(WebExtRuntimeError):
            sync_call()
    assert not bg.alive and not cs.alive


async def test_browser_closing_disconnects_without_error() -> None:
    browser = Browser(profile="chrome")
    ext = await browser.install(manifest=manifest("chrome", matches=["https://example.com/*"]))
    bg = ext.background
    assert bg is not None
    tab = await browser.open_tab("https://example.com/")
    page = await ext.open_page("p.html")
    got: list[Port] = []
    page.runtime.on_connect.add_listener(got.append)
    port = tab.content_script(ext).runtime.connect()
    await browser.settle()
    await browser.close()
    assert port.disconnected and got[0].disconnected
    assert browser.console == []


# -- contexts of closed tabs ---------------------------------------------------------------


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_context_of_closed_tab(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        page = await ext.open_page("p.html")
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        port = cs.runtime.connect()
        await tab.close()
        with pytest.raises(UsageError, match="gone"):
            cs.runtime.connect()
        with pytest.raises(WebExtRuntimeError):
            port.post_message("x")
        with pytest.raises(UsageError):
            tab.page  # noqa: B018
        with pytest.raises(UsageError):
            await tab.navigate("https://example.com/")
        with pytest.raises(UsageError):
            browser.tab(tab.id)
        await page.close()
        with pytest.raises(UsageError):
            page.tabs.connect(tab.id)


# -- install problems ----------------------------------------------------------------------


async def test_installing_same_id_twice_chrome() -> None:
    async with Browser(profile="chrome") as browser:
        await browser.install(manifest=manifest("chrome", "one", key=A_KEY))
        with pytest.raises(UsageError, match="already installed"):
            await browser.install(manifest=manifest("chrome", "two", key=A_KEY))
        assert len(browser.extensions) == 1


async def test_installing_same_id_twice_firefox() -> None:
    gecko = {"gecko": {"id": "same@example.org"}}
    async with Browser(profile="firefox") as browser:
        await browser.install(manifest=manifest("firefox", "one", browser_specific_settings=gecko))
        with pytest.raises(UsageError, match=re.escape("same@example.org")):
            await browser.install(
                manifest=manifest("firefox", "two", browser_specific_settings=gecko)
            )
        assert len(browser.extensions) == 1


async def test_installing_same_directory_twice(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps({"manifest_version": 3, "name": "d", "version": "1"}), encoding="utf-8"
    )
    async with Browser() as browser:
        await browser.install(tmp_path)
        with pytest.raises(UsageError):
            await browser.install(tmp_path)


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_manifest_not_json(profile: str, tmp_path: Path) -> None:
    mf = tmp_path / "manifest.json"
    mf.write_text('{"manifest_version": 3, "name": ', encoding="utf-8")
    async with Browser(profile=profile) as browser:
        with pytest.raises(ManifestError) as info:
            await browser.install(tmp_path)
        assert str(mf) in str(info.value)
        assert "JSON" in str(info.value)
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, WebExtRuntimeError)
        assert browser.extensions == []


@pytest.mark.parametrize("missing", ["name", "version", "manifest_version"])
@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_manifest_missing_key(profile: str, missing: str, tmp_path: Path) -> None:
    data = {"manifest_version": 2, "name": "m", "version": "1.0"}
    del data[missing]
    mf = tmp_path / "manifest.json"
    mf.write_text(json.dumps(data), encoding="utf-8")
    async with Browser(profile=profile) as browser:
        with pytest.raises(ManifestError) as info:
            await browser.install(tmp_path)
        assert info.value.key == missing
        assert info.value.file == str(mf)
        assert str(mf) in str(info.value) and repr(missing) in str(info.value)
        with pytest.raises(ManifestError) as info2:
            await browser.install(manifest=data)
        assert info2.value.key == missing
        assert browser.extensions == []


async def test_manifest_file_missing(tmp_path: Path) -> None:
    async with Browser() as browser:
        with pytest.raises(ManifestError) as info:
            await browser.install(tmp_path)
        assert str(tmp_path / "manifest.json") in str(info.value)


async def test_install_needs_exactly_one_source(tmp_path: Path) -> None:
    async with Browser() as browser:
        with pytest.raises(UsageError):
            await browser.install()
        with pytest.raises(UsageError):
            await browser.install(tmp_path, manifest=manifest("chrome"))
        assert browser.extensions == []


# -- listener exceptions -------------------------------------------------------------------


class Boom(Exception):
    pass


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_listener_exception_reraised_from_next_driver_call(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None
        got: list[Port] = []

        def on_connect(p: Port) -> None:
            got.append(p)
            raise Boom("in onConnect")

        bg.runtime.on_connect.add_listener(on_connect)
        tab = await browser.open_tab("https://example.com/")
        port = tab.content_script(ext).runtime.connect()
        with pytest.raises(Boom, match="in onConnect"):
            await browser.settle()
        await browser.settle()  # reported once, then cleared
        # the connection itself was still made (the listener ran)
        assert len(got) == 1 and not port.disconnected

        def on_message(m: Any) -> None:
            raise Boom(f"msg {m}")

        got[0].on_message.add_listener(on_message)
        port.post_message(1)
        with pytest.raises(Boom, match="msg 1"):
            await browser.advance(0.5)


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_two_listener_exceptions_make_a_group(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None

        def first(p: Port) -> None:
            raise Boom("first")

        async def second(p: Port) -> None:
            raise KeyError("second")

        bg.runtime.on_connect.add_listener(first)
        bg.runtime.on_connect.add_listener(second)
        tab = await browser.open_tab("https://example.com/")
        tab.content_script(ext).runtime.connect()
        with pytest.raises(ExceptionGroup) as info:
            await browser.settle()
        kinds = sorted(type(e).__name__ for e in info.value.exceptions)
        assert kinds == ["Boom", "KeyError"]


async def test_async_listener_exception_from_next_message() -> None:
    async with Browser(profile="chrome") as browser:
        ext = await browser.install(manifest=manifest("chrome", matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None

        async def on_connect(p: Port) -> None:
            await p.next_message()
            raise Boom("after first message")

        bg.runtime.on_connect.add_listener(on_connect)
        tab = await browser.open_tab("https://example.com/")
        port = tab.content_script(ext).runtime.connect()
        port.post_message("go")
        with pytest.raises(Boom):
            await port.next_message()


async def test_exception_not_swallowed_by_close() -> None:
    browser = Browser()
    ext = await browser.install(manifest=manifest("chrome", matches=["https://example.com/*"]))
    bg = ext.background
    assert bg is not None
    got: list[Port] = []
    bg.runtime.on_connect.add_listener(got.append)
    tab = await browser.open_tab("https://example.com/")
    tab.content_script(ext).runtime.connect()
    await browser.settle()

    def on_disconnect() -> None:
        raise Boom("during shutdown")

    got[0].on_disconnect.add_listener(on_disconnect)
    with pytest.raises(Boom):
        await browser.close()
    assert browser.closed


def test_add_listener_needs_a_callable() -> None:
    browser = Browser()
    try:
        with pytest.raises(UsageError):
            from webext_runtime import Event

            Event("x").add_listener(42)  # type: ignore[arg-type]
    finally:
        browser.close_sync()


@pytest.mark.parametrize(
    ("profile", "read_error"),
    [
        ("chrome", "Cannot read properties of undefined (reading 'connect')"),
        ("firefox", 'can\'t access property "connect", chrome.noSuchNamespace is undefined'),
    ],
)
async def test_engine_errors_use_the_browsers_words(
    profile: str, read_error: str, tmp_path: Path
) -> None:
    # evaluate() and the extension's own files: QuickJS's terse "not a function" becomes the
    # browser's text naming the expression (scenario js_error_messages has the recordings)
    (tmp_path / "manifest.json").write_text(json.dumps(manifest(profile)), encoding="utf-8")
    (tmp_path / "bg.js").write_text(
        "self.run = () => {\n  try { chrome.runtime.missing() } catch (e) { return e.message }\n};",
        encoding="utf-8",
    )
    async with Browser(profile=profile) as browser:
        ext = await browser.install(tmp_path)
        bg = ext.background
        assert bg is not None
        assert await bg.evaluate("self.run()") == "chrome.runtime.missing is not a function"
        with pytest.raises(JSError) as info:
            await bg.evaluate("const x = 1;\nchrome.noSuchNamespace.connect()")
        assert (info.value.name, info.value.message) == ("TypeError", read_error)
        later = (
            "(async () => { await 0;\n"
            "  try { chrome.tabs.nope(1) } catch (e) { return e.message } })()"
        )
        assert await bg.evaluate(later) == "chrome.tabs.nope is not a function"


def test_enable_benchmarking_is_a_chromium_switch() -> None:
    with pytest.raises(UsageError, match="enable_benchmarking"):
        Browser("firefox", enable_benchmarking=True)


async def test_benchmarking_interval_reads_the_virtual_clock() -> None:
    timed = (
        "(async () => { const t = new chrome.Interval(); t.start();"
        " await new Promise((r) => setTimeout(r, 25)); t.stop();"
        " return [typeof chrome.benchmarking, t.microseconds()]; })()"
    )
    async with Browser("chrome", enable_benchmarking=True) as browser:
        tab = await browser.open_tab("https://example.com/")
        assert await tab.page.evaluate(timed) == ["object", 25000]
    async with Browser("chrome") as browser:
        tab = await browser.open_tab("https://example.com/")
        assert await tab.page.evaluate("typeof chrome.Interval") == "undefined"
        # window dialogs answer as dismissed ones (no user here)
        assert await tab.page.evaluate("[alert('x'), confirm('y'), prompt('z')]") == [
            None,
            False,
            None,
        ]
