"""The seed's flow played from Python (shared/seed-example): content script connects with
name "port-from-cs", the background replies, then a later message."""

from __future__ import annotations

from typing import Any

import pytest

from webext_runtime import Browser, Port

SEED_MANIFEST: dict[str, Any] = {
    "manifest_version": 2,
    "name": "seed-port-example",
    "version": "1.0",
    "browser_specific_settings": {"gecko": {"id": "seed-port-example@example.org"}},
    "background": {"scripts": ["background-script.js"]},
    "browser_action": {"default_title": "Say hi"},
    "content_scripts": [{"matches": ["<all_urls>"], "js": ["content-script.js"]}],
}


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_seed_flow(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=SEED_MANIFEST)
        bg = ext.background
        assert bg is not None
        log: list[str] = []
        ports: list[Port] = []

        def connected(p: Port) -> None:
            ports.append(p)
            p.post_message({"greeting": "hi there content script!"})
            p.on_message.add_listener(lambda m: log.append(f"bg: {m['greeting']}"))

        bg.runtime.on_connect.add_listener(connected)
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        port = cs.runtime.connect(name="port-from-cs")
        port.post_message({"greeting": "hello from content script"})
        port.on_message.add_listener(lambda m, p: log.append(f"cs: {m['greeting']}"))
        await browser.settle()
        assert log == ["bg: hello from content script", "cs: hi there content script!"]
        (bp,) = ports
        assert bp.name == "port-from-cs"
        assert bp.sender is not None and bp.sender.tab is not None
        assert bp.sender.tab.id == tab.id
        assert bp.sender.url == "https://example.com/"
        assert bp.sender.frame_id == 0
        assert port.sender is None
        port.post_message({"greeting": "they clicked the page!"})
        bp.post_message({"greeting": "they clicked the button!"})
        await browser.settle()
        assert log[2:] == ["bg: they clicked the page!", "cs: they clicked the button!"]
        if profile == "chrome":
            assert list(bp.sender.to_js()) == [
                "id",
                "url",
                "origin",
                "frameId",
                "documentId",
                "documentLifecycle",
                "tab",
            ]
        else:
            assert list(bp.sender.to_js()) == [
                "contextId",
                "id",
                "envType",
                "url",
                "tab",
                "frameId",
                "documentId",
                "origin",
            ]
            assert bp.sender.id == "seed-port-example@example.org"
