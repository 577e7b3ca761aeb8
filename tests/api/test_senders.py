"""MessageSender shapes per profile (SEMANTICS.md §8), filled by the runtime only."""

from __future__ import annotations

import dataclasses
import re

import pytest

from webext_runtime import Browser, Context, MessageSender, Port, TabInfo

from ._helpers import manifest

CHROME_TAB_KEYS = [
    "active",
    "audible",
    "autoDiscardable",
    "discarded",
    "frozen",
    "groupId",
    "height",
    "highlighted",
    "id",
    "incognito",
    "index",
    "lastAccessed",
    "mutedInfo",
    "pinned",
    "selected",
    "splitViewId",
    "status",
    "title",
    "url",
    "width",
    "windowId",
]
CHROME_FRAME_KEYS = ["id", "url", "origin", "frameId", "documentId", "documentLifecycle", "tab"]
FIREFOX_FRAME_KEYS = ["contextId", "id", "envType", "url", "tab", "frameId", "documentId", "origin"]
FIREFOX_BG_KEYS = ["contextId", "id", "envType", "url", "documentId", "origin"]


async def _received(browser: Browser, ctx: Context, opener: Context) -> Port:
    got: list[Port] = []
    ctx.runtime.on_connect.add_listener(got.append)
    opener.runtime.connect(name="s")
    await browser.settle()
    (p,) = got
    ctx.runtime.on_connect.remove_listener(got.append)
    return p


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_sender_from_content_script_top_frame(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(
            manifest=manifest(profile, matches=["https://example.com/*"], all_frames=True)
        )
        bg = ext.background
        assert bg is not None
        tab = await browser.open_tab("https://example.com:8443/page?q=1")
        cs = tab.content_script(ext)
        p = await _received(browser, bg, cs)
        s = p.sender
        assert isinstance(s, MessageSender)
        js = s.to_js()
        assert s.id == ext.id and js["id"] == ext.id
        assert s.url == "https://example.com:8443/page?q=1"
        assert s.origin == "https://example.com:8443"
        assert s.frame_id == 0
        assert s.document_id == cs.document_id
        assert s.tls_channel_id is None and "tlsChannelId" not in js
        assert isinstance(s.tab, TabInfo)
        assert s.tab.id == tab.id
        # Firefox hides the tab's url/title from an extension without the tabs permission or
        # a host permission for it (tests/conformance/scenarios/ext_page_to_cs, Firefox 153)
        expected_url = None if profile == "firefox" else "https://example.com:8443/page?q=1"
        assert s.tab.url == expected_url
        assert s.tab.window_id == js["tab"]["windowId"]
        assert s.tab.index == js["tab"]["index"]
        assert js["tab"] == s.tab.to_js()
        if profile == "chrome":
            assert list(js) == CHROME_FRAME_KEYS
            assert s.document_lifecycle == "active"
            assert re.fullmatch(r"[0-9A-F]{32}", js["documentId"])
            assert list(js["tab"]) == CHROME_TAB_KEYS
            assert s.context_id is None and s.env_type is None
        else:
            assert list(js) == FIREFOX_FRAME_KEYS
            assert s.env_type == "content_child"
            assert isinstance(s.context_id, int) and s.context_id == js["contextId"]
            assert s.document_lifecycle is None and "documentLifecycle" not in js
            assert re.fullmatch(
                r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", js["documentId"]
            )
        # frozen dataclass
        with pytest.raises(dataclasses.FrozenInstanceError):
            s.id = "x"  # type: ignore[misc]
        # to_js() returns a copy
        js["id"] = "tampered"
        assert p.sender is not None and p.sender.to_js()["id"] == ext.id


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_sender_from_iframe(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(
            manifest=manifest(profile, matches=["https://*/*"], all_frames=True)
        )
        bg = ext.background
        assert bg is not None
        tab = await browser.open_tab("https://example.com/top")
        fid = await tab.add_frame("https://inner.example/frame")
        inner = tab.content_script(ext, frame_id=fid)
        top = tab.content_script(ext)
        s = (await _received(browser, bg, inner)).sender
        assert s is not None
        assert s.frame_id == fid != 0
        assert s.url == "https://inner.example/frame"
        assert s.origin == "https://inner.example"
        assert s.tab is not None
        assert s.tab.url == (None if profile == "firefox" else "https://example.com/top")
        assert s.document_id == inner.document_id != top.document_id
        assert list(s.to_js()) == (CHROME_FRAME_KEYS if profile == "chrome" else FIREFOX_FRAME_KEYS)
        if profile == "firefox":
            t = (await _received(browser, bg, top)).sender
            assert t is not None and t.context_id != s.context_id


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_sender_from_extension_page_in_tab(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile))
        bg = ext.background
        assert bg is not None
        page = await ext.open_page("page.html?x=1")
        s = (await _received(browser, bg, page)).sender
        assert s is not None
        assert s.url == ext.get_url("page.html?x=1")
        assert s.origin == ext.get_url("").rstrip("/")
        assert s.frame_id == 0
        assert s.tab is not None and s.tab.id == page.tab_id
        js = s.to_js()
        if profile == "chrome":
            assert list(js) == CHROME_FRAME_KEYS
            # an extension page's tab carries favIconUrl between discarded and frozen
            keys = list(js["tab"])
            assert keys.index("favIconUrl") == keys.index("discarded") + 1
            assert keys.index("frozen") == keys.index("favIconUrl") + 1
        else:
            assert list(js) == FIREFOX_FRAME_KEYS
            assert s.env_type == "addon_child"


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_sender_from_background(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None
        page = await ext.open_page("page.html")
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        to_page = (await _received(browser, page, bg)).sender
        assert to_page is not None
        cs_got: list[Port] = []
        cs.runtime.on_connect.add_listener(cs_got.append)
        bg.tabs.connect(tab.id, name="to-cs")
        await browser.settle()
        to_cs = cs_got[0].sender
        assert to_cs is not None
        if profile == "chrome":
            worker = {"id": ext.id, "url": bg.url}
            assert to_page.to_js() == worker  # a worker sender is {id, url}
            assert list(to_page.to_js()) == ["id", "url"]
            assert to_page.origin is None and to_page.tab is None and to_page.frame_id is None
            assert to_cs.to_js() == {
                "id": ext.id,
                "url": bg.url,
                "origin": bg.url[: -len("/bg.js")],
            }
            assert list(to_cs.to_js()) == ["id", "url", "origin"]
        else:
            for s in (to_page, to_cs):
                js = s.to_js()
                assert list(js) == FIREFOX_BG_KEYS
                assert s.env_type == "addon_child"
                assert s.url == bg.url and s.tab is None and s.frame_id is None
                assert s.document_id == bg.document_id


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_sender_from_extension_page_to_content_script(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        page = await ext.open_page("page.html")
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        got: list[Port] = []
        cs.runtime.on_connect.add_listener(got.append)
        page.tabs.connect(tab.id, name="from-page")
        await browser.settle()
        s = got[0].sender
        assert s is not None
        if profile == "chrome":
            assert s.to_js() == {
                "id": ext.id,
                "url": page.url,
                "origin": ext.get_url("").rstrip("/"),
            }
        else:
            assert list(s.to_js()) == FIREFOX_FRAME_KEYS
            assert s.url == page.url


async def test_no_tls_channel_id_even_when_asked() -> None:
    async with Browser(profile="chrome") as browser:
        ext = await browser.install(manifest=manifest("chrome", matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None
        tab = await browser.open_tab("https://example.com/")
        got: list[Port] = []
        bg.runtime.on_connect.add_listener(got.append)
        tab.content_script(ext).runtime.connect(include_tls_channel_id=True)
        await browser.settle()
        s = got[0].sender
        assert s is not None and s.tls_channel_id is None
        assert "tlsChannelId" not in s.to_js()
