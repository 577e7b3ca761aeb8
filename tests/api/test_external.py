"""Cross-extension and web-page connections: externally_connectable (SEMANTICS.md §1,
observations/chromium-150-external.md)."""

from __future__ import annotations

from typing import Any

import pytest

from webext_runtime import (
    Browser,
    Context,
    Extension,
    ExtensionTypeError,
    NamespaceUnavailableError,
    Port,
)

from ._helpers import NO_RECEIVER, manifest

CONNECT = (
    "Error in invocation of runtime.connect(optional string extensionId, "
    "optional object connectInfo): "
)
NOT_INSTALLED = "a" * 32


class Listeners:
    """Records onConnect / onConnectExternal of one context."""

    def __init__(self, ctx: Context) -> None:
        self.internal: list[Port] = []
        self.external: list[Port] = []
        ctx.runtime.on_connect.add_listener(self.internal.append)
        ctx.runtime.on_connect_external.add_listener(self.external.append)


async def _install(browser: Browser, profile: str, name: str, **extra: Any) -> Extension:
    return await browser.install(manifest=manifest(profile, name, **extra))


def _bg(ext: Extension) -> Context:
    assert ext.background is not None
    return ext.background


async def _chrome_no_receiver(browser: Browser, ctx: Context, port: Port) -> bool:
    seen: list[Any] = []
    port.on_disconnect.add_listener(lambda p: seen.append(ctx.runtime.last_error))
    await browser.settle()
    return len(seen) == 1 and seen[0] is not None and seen[0].message == NO_RECEIVER


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_absent_externally_connectable_every_extension(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        a = await _install(browser, profile, "A")
        b = await _install(browser, profile, "B", matches=["https://example.com/*"])
        c = await _install(browser, profile, "C")
        la = Listeners(_bg(a))
        lb = Listeners(_bg(b))
        port = _bg(b).runtime.connect(a.id, name="x")
        port.post_message("hi")
        await browser.settle()
        assert la.internal == []  # never onConnect
        (ext_port,) = la.external
        assert ext_port.name == "x"
        assert ext_port.messages == ["hi"]
        assert lb.internal == [] and lb.external == []
        s = ext_port.sender
        assert s is not None and s.id == b.id and s.url == _bg(b).url
        if profile == "chrome":
            assert s.to_js() == {"id": b.id, "url": _bg(b).url}
        ext_port.post_message("back")
        await browser.settle()
        assert port.messages == ["back"]

        # a content script of B connects to A too; sender id is B's, url the page's
        tab = await browser.open_tab("https://example.com/p")
        tab.content_script(b).runtime.connect(a.id, name="from-cs")
        # an unrelated third extension connects fine
        _bg(c).runtime.connect(a.id, name="from-c")
        await browser.settle()
        by_name = {p.name: p for p in la.external}
        cs_sender = by_name["from-cs"].sender
        assert cs_sender is not None
        assert cs_sender.id == b.id and cs_sender.url == "https://example.com/p"
        assert cs_sender.tab is not None and cs_sender.tab.id == tab.id
        c_sender = by_name["from-c"].sender
        assert c_sender is not None and c_sender.id == c.id
        assert la.internal == []


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_own_id_is_internal(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        b = await _install(browser, profile, "B", matches=["https://example.com/*"])
        lb = Listeners(_bg(b))
        tab = await browser.open_tab("https://example.com/")
        tab.content_script(b).runtime.connect(b.id, name="self")
        await browser.settle()
        assert [p.name for p in lb.internal] == ["self"]
        assert lb.external == []


async def test_ids_list_allows_listed_only() -> None:
    async with Browser(profile="chrome") as browser:
        b = await _install(browser, "chrome", "B")
        c = await _install(browser, "chrome", "C")
        a2 = await _install(browser, "chrome", "A2", externally_connectable={"ids": [b.id]})
        la2 = Listeners(_bg(a2))
        ok = _bg(b).runtime.connect(a2.id, name="B_to_A2")
        refused = _bg(c).runtime.connect(a2.id, name="C_to_A2")
        assert refused.name == "C_to_A2"  # a Port is returned normally
        assert await _chrome_no_receiver(browser, _bg(c), refused)
        assert not ok.disconnected
        assert [p.name for p in la2.external] == ["B_to_A2"]  # A2 sees nothing from C
        assert la2.internal == []


async def test_ids_star_allows_every_extension() -> None:
    async with Browser(profile="chrome") as browser:
        c = await _install(browser, "chrome", "C")
        a4 = await _install(
            browser,
            "chrome",
            "A4",
            externally_connectable={"matches": ["http://localhost/*"], "ids": ["*"]},
        )
        la4 = Listeners(_bg(a4))
        port = _bg(c).runtime.connect(a4.id)
        await browser.settle()
        assert not port.disconnected
        assert len(la4.external) == 1


async def test_matches_only_refuses_extensions() -> None:
    async with Browser(profile="chrome") as browser:
        b = await _install(browser, "chrome", "B")
        a3 = await _install(
            browser, "chrome", "A3", externally_connectable={"matches": ["http://127.0.0.1/*"]}
        )
        la3 = Listeners(_bg(a3))
        port = _bg(b).runtime.connect(a3.id)
        assert await _chrome_no_receiver(browser, _bg(b), port)
        assert la3.external == [] and la3.internal == []


async def test_not_installed_and_no_external_listener_look_the_same() -> None:
    async with Browser(profile="chrome") as browser:
        b = await _install(browser, "chrome", "B")
        d = await _install(browser, "chrome", "D")
        d_internal: list[Port] = []
        _bg(d).runtime.on_connect.add_listener(d_internal.append)  # only onConnect
        p1 = _bg(b).runtime.connect(NOT_INSTALLED)
        assert await _chrome_no_receiver(browser, _bg(b), p1)
        p2 = _bg(b).runtime.connect(d.id)
        assert await _chrome_no_receiver(browser, _bg(b), p2)
        assert d_internal == []
        texts = [m.text for m in browser.console]
        assert texts == []  # lastError was read in both listeners


async def test_firefox_unknown_ids_are_no_receiver() -> None:
    async with Browser(profile="firefox") as browser:
        b = await _install(browser, "firefox", "B")
        for target in ("x", "nobody@example.org"):
            port = _bg(b).runtime.connect(target)  # does not throw
            await port.wait_disconnect()
            assert str(port.error) == NO_RECEIVER


# -- web pages (Chrome) --------------------------------------------------------------------


async def test_web_page_connects_when_matches() -> None:
    async with Browser(profile="chrome") as browser:
        a = await _install(browser, "chrome", "A")
        a3 = await _install(
            browser, "chrome", "A3", externally_connectable={"matches": ["http://127.0.0.1/*"]}
        )
        la3 = Listeners(_bg(a3))
        la = Listeners(_bg(a))
        tab = await browser.open_tab("http://127.0.0.1:8080/page.html")
        page = tab.page
        rt = page.runtime
        assert rt.id is None
        port = rt.connect(a3.id, name="web")
        port.post_message({"web": 1})
        await browser.settle()
        (ep,) = la3.external
        assert la3.internal == []
        assert ep.name == "web" and ep.messages == [{"web": 1}]
        s = ep.sender
        assert s is not None and s.id is None
        js = s.to_js()
        assert list(js) == ["url", "origin", "frameId", "documentId", "documentLifecycle", "tab"]
        assert js["url"] == "http://127.0.0.1:8080/page.html"
        assert js["origin"] == "http://127.0.0.1:8080"
        assert js["frameId"] == 0 and js["tab"]["id"] == tab.id
        ep.post_message("reply")
        await browser.settle()
        assert port.messages == ["reply"]

        unnamed = rt.connect(a3.id)
        await browser.settle()
        assert la3.external[-1].name == "" and not unnamed.disconnected

        # a page may not reach an extension without externally_connectable
        refused = rt.connect(a.id)
        assert await _chrome_no_receiver(browser, page, refused)
        assert la.external == [] and la.internal == []


async def test_web_page_must_pass_an_id() -> None:
    async with Browser(profile="chrome") as browser:
        await _install(
            browser, "chrome", "A3", externally_connectable={"matches": ["http://127.0.0.1/*"]}
        )
        tab = await browser.open_tab("http://127.0.0.1/page.html")
        rt = tab.page.runtime
        needs_id = (
            CONNECT + "chrome.runtime.connect() called from a webpage must specify an "
            "Extension ID (string) for its first argument."
        )
        for call in (lambda: rt.connect(), lambda: rt.connect(name="x"), lambda: rt.connect({})):
            with pytest.raises(ExtensionTypeError) as info:
                call()
            assert str(info.value) == needs_id
        with pytest.raises(ExtensionTypeError) as info:
            rt.connect("not-an-id", name="x")
        assert str(info.value) == CONNECT + "Invalid extension id: 'not-an-id'"
        with pytest.raises(NamespaceUnavailableError):
            rt.on_connect  # noqa: B018  (pages have no onConnect)


async def test_web_page_without_matching_extension_has_no_runtime() -> None:
    async with Browser(profile="chrome") as browser:
        await _install(
            browser, "chrome", "A3", externally_connectable={"matches": ["http://127.0.0.1/*"]}
        )
        tab = await browser.open_tab("http://localhost/page.html")
        with pytest.raises(NamespaceUnavailableError):
            tab.page.runtime  # noqa: B018
        with pytest.raises(AttributeError):
            tab.page.runtime  # noqa: B018
        # each frame is judged by its own URL
        top = await browser.open_tab("http://127.0.0.1/frames.html")
        fid = await top.add_frame("http://localhost/child.html")
        assert top.page.runtime.id is None
        with pytest.raises(NamespaceUnavailableError):
            top.frame_page(fid).runtime  # noqa: B018


async def test_firefox_web_pages_have_no_runtime() -> None:
    async with Browser(profile="firefox") as browser:
        await _install(
            browser, "firefox", "A3", externally_connectable={"matches": ["http://127.0.0.1/*"]}
        )
        tab = await browser.open_tab("http://127.0.0.1/page.html")
        with pytest.raises(NamespaceUnavailableError):
            tab.page.runtime  # noqa: B018
