"""comlink-extension (npm, shared/CORPUS.md): Comlink RPC over ``runtime.Port``, unmodified.

Bundled with esbuild as an extension would be (``_npm.bundle``: the packages and esbuild come
from the npm registry at test time). The content script wraps a port to the background with
Comlink; the background exposes an object on each port it gets. Calls, async answers on the
virtual clock, thrown errors and object state all cross the port as Comlink's wire messages,
and comlink-extension's adapter leans on the DOM's ``MessageEvent`` / ``MessagePort``.

comlink-extension 1.0.8 targets background *pages*: its ``webextension-polyfill-ts`` returns
an empty ``browser`` where there is no ``window``, so in an MV3 service worker it cannot even
register ``onConnect`` — the test runs it where it was made to run (MV2 background pages).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webext_runtime import Browser

from ._npm import Package, bundle

PACKAGES = [
    Package(
        "comlink-extension",
        "1.0.8",
        "sha512-iFTvW79mu98SReqIxkLy5ll9T5MNbtemSUfI+KbotVXm8eGS5i45CsFpG1lr41FQAJoWY/Hq1hc8ubxJkVa57g==",
    ),
    # its dependency chain, at the newest versions the ranges allow
    Package(
        "webextension-polyfill-ts",
        "0.19.0",
        "sha512-VcA7bdf0dzUc8JXQwQU+spSUTV0Gc0Y7VPsdrEFLbuTxJluC4xBoKVWtfUXRqykVfDvFsfo591+p1MmPSJezsw==",
    ),
    Package(
        "webextension-polyfill",
        "0.6.0",
        "sha512-PlYwiX8e4bNZrEeBFxbFFsLtm0SMPxJliLTGdNCA0Bq2XkWrAn2ejUd+89vZm+8BnfFB1BclJyCz3iKsm2atNg==",
    ),
    # Comlink itself (the adapter's counterpart)
    Package(
        "comlink",
        "4.4.2",
        "sha512-OxGdvBmJuNKSCMO4NTl1L47VRp6xn2wG4F/2hYzB6tiCb709otOxtEYCSvK80PtjODfXXZu8ds+Nw5kVCjqd2g==",
    ),
]

BG = """
import * as Comlink from "comlink";
import { createBackgroundEndpoint, isMessagePort } from "comlink-extension";
const api = {
  counter: 0,
  add(a, b) { return a + b; },
  async slow(n) { await new Promise((r) => setTimeout(r, 100)); return n * 2; },
  boom() { throw new RangeError("boom from the background"); },
  inc() { return ++this.counter; },
};
chrome.runtime.onConnect.addListener((port) => {
  if (isMessagePort(port)) return;
  Comlink.expose(api, createBackgroundEndpoint(port));
});
"""

CS = """
import * as Comlink from "comlink";
import { createEndpoint } from "comlink-extension";
const remote = Comlink.wrap(createEndpoint(chrome.runtime.connect()));
self.run = async () => ({
  add: await remote.add(2, 3),
  slow: await remote.slow(21),
  boom: await remote.boom().then(() => "resolved", (e) => e.name + ": " + e.message),
  inc: [await remote.inc(), await remote.inc()],
  counter: await remote.counter,
});
"""


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("comlink-build")
    return bundle(work, PACKAGES, {"bg.js": BG, "cs.js": CS})


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_comlink_calls_over_a_port(
    bundles: dict[str, str], tmp_path: Path, profile: str
) -> None:
    mf = {
        "manifest_version": 2,
        "name": "comlinked",
        "version": "1",
        "background": {"scripts": ["bg.js"]},
        "content_scripts": [{"matches": ["https://example.com/*"], "js": ["cs.js"]}],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    for name, text in bundles.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    async with Browser(profile) as browser:
        ext = await browser.install(tmp_path)
        tab = await browser.open_tab("https://example.com/")
        started = browser.now
        got = await tab.content_script(ext).evaluate("run()")
        assert got == {
            "add": 5,
            "slow": 42,
            "boom": "RangeError: boom from the background",
            "inc": [1, 2],
            "counter": 2,
        }
        assert browser.now - started == pytest.approx(0.1, abs=0.01)  # the 100 ms timer only
        assert browser.script_errors == []
