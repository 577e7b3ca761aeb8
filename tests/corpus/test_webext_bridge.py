"""webext-bridge (npm, shared/CORPUS.md): RPC over reconnecting ports, run unmodified.

Extensions use it through a bundler; so does this test: the package, its dependencies and
esbuild's own binary (``@esbuild/linux-x64``) come from the npm registry at test time
(``_npm.fetch``, pinned), esbuild bundles a small background and content script that import
``webext-bridge/background`` / ``webext-bridge/content-script`` into classic scripts, and the
runtime runs them. What it exercises: ``runtime.connect`` from the content script, the
background's ``onConnect`` keeping ports by tab, messages both ways with replies, errors
serialized back to the caller, and the content script reconnecting after the service worker
was stopped. Skips when the registry cannot be reached or esbuild's binary cannot run here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webext_runtime import Browser

from ._npm import Package, bundle

BRIDGE = Package(
    "webext-bridge",
    "6.0.1",
    "sha512-GruIrN+vNwbxVCi8UW4Dqk5YkcGA9V0ZfJ57jXP9JXHbrsDs5k2N6NNYQR5e+wSCnQpGYOGAGihwUpKlhg8QIw==",
)
#: webext-bridge 6.0.1's dependencies, at the newest versions its ranges allow
DEPENDENCIES = [
    Package(
        "webextension-polyfill",
        "0.9.0",
        "sha512-LTtHb0yR49xa9irkstDxba4GATDAcDw3ncnFH9RImoFwDlW47U95ME5sn5IiQX2ghfaECaf6xyXM8yvClIBkkw==",
    ),
    Package(
        "nanoevents",
        "6.0.2",
        "sha512-FRS2otuFcPPYDPYViNWQ42+1iZqbXydinkRHTHFxrF4a1CpBfmydR9zkI44WSXAXCyPrkcGtPk5CnpW6Y3lFKQ==",
    ),
    Package(
        "serialize-error",
        "9.1.1",
        "sha512-6uZQLGyUkNA4N+Zii9fYukmNu9PEA1F5rqcwXzN/3LtBjwl2dFBbVZ1Zyn08/CGkB4H440PIemdOQBt1Wvjbrg==",
    ),
    Package(
        "tiny-uid",
        "1.1.2",
        "sha512-0beRFXR+fv4C40ND2PqgNjq6iyB1dKXciKJjslLw0kPYCcR82aNd2b+Tt2yy06LimIlvtoehgvrm/fUZCutSfg==",
    ),
]
BG = """
import { onMessage, sendMessage } from "webext-bridge/background";
onMessage("add", ({ data, sender }) => ({
  sum: data.a + data.b, from: sender.context, tab: sender.tabId,
}));
onMessage("fail", () => { throw new Error("nope from the background"); });
onMessage("slow", async ({ data }) => {
  await new Promise((r) => setTimeout(r, 200));
  return data.n * 2;
});
self.askTab = (tabId) => sendMessage("whoami", { q: 1 }, { context: "content-script", tabId });
"""

CS = """
import { onMessage, sendMessage } from "webext-bridge/content-script";
onMessage("whoami", ({ data, sender }) => ({
  iam: "content-script", got: data, from: sender.context,
}));
self.call = async (id, data) => {
  try { return { ok: await sendMessage(id, data, "background") }; }
  catch (e) { return { error: e.message }; }
};
"""


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("bridge-build")
    return bundle(work, [BRIDGE, *DEPENDENCIES], {"bg.js": BG, "cs.js": CS})


def write_extension(root: Path, bundles: dict[str, str]) -> Path:
    mf = {
        "manifest_version": 3,
        "name": "bridge",
        "version": "1",
        "background": {"service_worker": "bg.js"},
        "content_scripts": [{"matches": ["https://example.com/*"], "js": ["cs.js"]}],
    }
    (root / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    for name, text in bundles.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


async def test_bridge_calls_both_ways(bundles: dict[str, str], tmp_path: Path) -> None:
    async with Browser("chrome") as browser:
        ext = await browser.install(write_extension(tmp_path, bundles))
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        assert await cs.evaluate("call('add', { a: 2, b: 3 })") == {
            "ok": {"sum": 5, "from": "content-script", "tab": tab.id}
        }
        assert await cs.evaluate("call('fail', {})") == {"error": "nope from the background"}
        # webext-bridge 6.0.1 answers the caller, then re-throws `reply` (undefined) from its
        # async handler: an unhandled rejection in the worker, which Chrome logs as below
        assert [e.message for e in browser.script_errors] == ["undefined"]
        bg_console = [c.text for c in browser.console if c.context == "background"]
        assert bg_console == ["Uncaught (in promise) undefined"]
        # an answer that takes virtual time
        assert await cs.evaluate("call('slow', { n: 21 })") == {"ok": 42}
        bg = ext.background
        assert bg is not None
        assert await bg.evaluate(f"askTab({tab.id})") == {
            "iam": "content-script",
            "got": {"q": 1},
            "from": "background",
        }
        assert len(browser.script_errors) == 1  # nothing more than the library's own


async def test_bridge_survives_a_service_worker_restart(
    bundles: dict[str, str], tmp_path: Path
) -> None:
    async with Browser("chrome") as browser:
        ext = await browser.install(write_extension(tmp_path, bundles))
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        assert (await cs.evaluate("call('add', { a: 1, b: 1 })"))["ok"]["sum"] == 2
        bg = ext.background
        assert bg is not None
        await bg.evaluate("self.marker = 'first instance'")
        await ext.stop_service_worker()
        # the bridge's port dropped and its content script connected again, which started a
        # new worker (the old one's globals are gone); calls go on working
        assert ext.worker_running
        bg = ext.background
        assert bg is not None
        assert await bg.evaluate("typeof self.marker") == "undefined"
        assert (await cs.evaluate("call('add', { a: 20, b: 22 })"))["ok"]["sum"] == 42
        assert browser.script_errors == []
