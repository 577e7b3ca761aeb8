"""Mozilla's webextension-polyfill (npm, shared/CORPUS.md) running unmodified in the runtime.

The polyfill wraps ``chrome.runtime.sendMessage`` / ``onMessage`` in promises where the browser
has no ``browser`` namespace (here: the chrome profile's MV2 contexts) and depends on Chrome's
exact texts: a sender whose receivers all declined to answer gets "The message port closed
before a response was received." and the polyfill turns exactly that into ``undefined``; any
other lastError becomes a rejection. Where ``browser`` exists (Firefox; Chrome MV3) it hands
back the native namespace.

The package is never stored here: ``_npm.fetch`` downloads it from the npm registry at test
time (pinned version and integrity) into a cache; the tests skip when the registry cannot be
reached.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from webext_runtime import Browser

from ._npm import POLYFILL, fetch


@pytest.fixture(scope="module")
def polyfill() -> str:
    return (fetch(POLYFILL) / "dist" / "browser-polyfill.js").read_text(encoding="utf-8")


BG = """
if (typeof importScripts === "function") importScripts("browser-polyfill.js");
browser.runtime.onMessage.addListener((msg, sender) => {
  if (msg.kind === "add") return Promise.resolve({ sum: msg.a + msg.b, fromTab: !!sender.tab });
  if (msg.kind === "fail") return Promise.reject(new Error("nope: " + msg.why));
  if (msg.kind === "later") return new Promise((r) => setTimeout(() => r("late " + msg.n), 50));
  return undefined; // declines to answer
});
browser.runtime.onConnect.addListener((port) => {
  port.onMessage.addListener((m) => port.postMessage(m * 2));
});
self.askTab = async (tabId) => {
  try { return await browser.tabs.sendMessage(tabId, "nobody listens in tabs"); }
  catch (e) { return "rejected: " + e.message; }
};
"""

CS = """
self.results = {};
self.done = (async () => {
  const r = self.results;
  r.native = self.hadBrowser; // the polyfill hands back a `browser` that existed before it
  r.add = await browser.runtime.sendMessage({ kind: "add", a: 2, b: 3 });
  try { await browser.runtime.sendMessage({ kind: "fail", why: "x" }); r.fail = "resolved"; }
  catch (e) { r.fail = e.message; }
  r.later = await browser.runtime.sendMessage({ kind: "later", n: 7 });
  try { r.declined = String(await browser.runtime.sendMessage({ kind: "declined" })); }
  catch (e) { r.declined = "rejected: " + e.message; }
  const port = browser.runtime.connect({ name: "double" });
  r.port = await new Promise((resolve) => {
    port.onMessage.addListener((m) => resolve(m));
    port.postMessage(21);
  });
  return r;
})();
"""


def write_extension(root: Path, polyfill: str, *, mv: int) -> Path:
    mf: dict[str, Any] = {"manifest_version": mv, "name": "polyfilled", "version": "1"}
    cs = {"matches": ["https://example.com/*"], "js": ["pre.js", "browser-polyfill.js", "cs.js"]}
    mf["content_scripts"] = [cs]
    if mv == 3:
        mf["background"] = {"service_worker": "bg.js"}
    else:
        mf["background"] = {"scripts": ["browser-polyfill.js", "bg.js"]}
    (root / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    (root / "browser-polyfill.js").write_text(polyfill, encoding="utf-8")
    (root / "bg.js").write_text(BG, encoding="utf-8")
    (root / "cs.js").write_text(CS, encoding="utf-8")
    (root / "pre.js").write_text(
        'self.hadBrowser = typeof browser !== "undefined";', encoding="utf-8"
    )
    return root


@pytest.mark.parametrize(
    ("profile", "mv", "wrapped"),
    [("chrome", 2, True), ("chrome", 3, False), ("firefox", 2, False)],
    ids=["chrome-mv2-wrapped", "chrome-mv3-native", "firefox-native"],
)
async def test_polyfill_round_trips(
    polyfill: str, tmp_path: Path, profile: str, mv: int, wrapped: bool
) -> None:
    async with Browser(profile) as browser:
        ext = await browser.install(write_extension(tmp_path, polyfill, mv=mv))
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        r = await cs.evaluate("self.done")
        assert browser.script_errors == []
        assert r["native"] is not wrapped
        assert r["add"] == {"sum": 5, "fromTab": True}
        assert r["fail"] == "nope: x"
        assert r["later"] == "late 7"
        assert r["port"] == 42
        # receivers that all decline: wrapped, the polyfill turns exactly Chrome's "The message
        # port closed before a response was received." into undefined; native promises
        # resolve undefined too (Chromium 156 and Firefox 153: scenario sm_reply_matrix)
        assert r["declined"] == "undefined"
        bg = ext.background
        assert bg is not None
        # no listener in the tab: the "Receiving end does not exist" text becomes the rejection
        assert await bg.evaluate(f"self.askTab({tab.id})") == (
            "rejected: Could not establish connection. Receiving end does not exist."
        )
