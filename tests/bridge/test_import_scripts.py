"""importScripts in an MV3 service worker (chrome profile).

Texts and the basic rules are checked against Chromium 156 by the conformance scenario
``import_scripts``; these tests cover what a scenario cannot drive in the real browser: the
worker stopped and woken again, reload, a module worker, runaway imported code.
"""

from __future__ import annotations

import json
from pathlib import Path

from webext_runtime import Browser

FAILED = "Failed to execute 'importScripts' on 'WorkerGlobalScope': "

BG = """
importScripts("lib.js", "my lib é.js");
if (self.extra) importScripts("extra.js");
chrome.runtime.onMessage.addListener((m, s, reply) => { reply("awake"); });
self.attempt = (name) => {
  try { importScripts(name); return "ran " + name; }
  catch (e) { return e.name + ": " + e.message; }
};
"""


def write_extension(root: Path, bg: str = BG, module: bool = False) -> Path:
    background: dict[str, str] = {"service_worker": "bg.js"}
    if module:
        background["type"] = "module"
    mf = {"manifest_version": 3, "name": "imports", "version": "1", "background": background}
    (root / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    (root / "bg.js").write_text(bg, encoding="utf-8")
    (root / "lib.js").write_text("self.libRuns = (self.libRuns || 0) + 1;", encoding="utf-8")
    (root / "extra.js").write_text("self.extraRan = true;", encoding="utf-8")
    (root / "spin.js").write_text("for (;;) {}", encoding="utf-8")
    (root / "p.html").write_text("<title>p</title>", encoding="utf-8")
    (root / "my lib é.js").write_text("self.spaced = true;", encoding="utf-8")
    return root


async def test_installed_scripts_stay_importable_after_a_restart_new_ones_do_not(
    tmp_path: Path,
) -> None:
    async with Browser("chrome") as browser:
        ext = await browser.install(write_extension(tmp_path))
        bg = ext.background
        assert bg is not None
        assert await bg.evaluate("self.libRuns") == 1
        assert await bg.evaluate("attempt('lib.js')") == "ran lib.js"
        # a file name with a space and a non-ASCII letter, percent-encoded in the URL
        assert await bg.evaluate("self.spaced") is True
        late = f"NetworkError: {FAILED}The script at '{ext.base_url}extra.js' failed to load."
        assert await bg.evaluate("attempt('extra.js')") == late
        # a new instance: its top level is no installation, lib.js still loads, extra.js not
        await ext.stop_service_worker()
        assert not ext.worker_running
        page = await ext.open_page("p.html")
        assert await page.evaluate("chrome.runtime.sendMessage('wake')") == "awake"
        bg = ext.background
        assert bg is not None
        assert await bg.evaluate("self.libRuns") == 1
        assert await bg.evaluate("attempt('extra.js')") == late
        # a reload installs the worker again: during that first run a new script loads
        (tmp_path / "bg.js").write_text("self.extra = true;\n" + BG, encoding="utf-8")
        await ext.reload()
        bg = ext.background
        assert bg is not None
        assert await bg.evaluate("[self.libRuns, self.extraRan]") == [1, True]
        assert await bg.evaluate("attempt('extra.js')") == "ran extra.js"


async def test_module_worker_has_importscripts_that_throws(tmp_path: Path) -> None:
    bg = (
        "self.got = (() => {\n"
        "  try { importScripts('lib.js'); } catch (e) { return [e.name, e.message]; }\n"
        "})();"
    )
    async with Browser("chrome") as browser:
        ext = await browser.install(write_extension(tmp_path, bg, module=True))
        ctx = ext.background
        assert ctx is not None
        assert await ctx.evaluate("self.got") == [
            "TypeError",
            FAILED + "Module scripts don't support importScripts().",
        ]


async def test_runaway_imported_script_stops_the_worker(tmp_path: Path) -> None:
    # an imported script runs inside the importing task: the time limit stops both
    async with Browser("chrome") as browser:
        ext = await browser.install(write_extension(tmp_path, 'importScripts("spin.js");'))
        await browser.settle()
        errors = browser.script_errors
        assert len(errors) == 1 and "time limit" in errors[0].message
        assert not ext.worker_running
