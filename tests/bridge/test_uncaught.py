"""Uncaught exceptions and unhandled rejections: the global's events, then the console and
``Browser.script_errors``.

The events' order and shapes are checked against Chromium 156 and Firefox 153 by the
conformance scenarios ``unhandled_rejection`` and ``uncaught_error_event``; these tests pin
what those cannot see: what reaches the console and ``script_errors``, and the engine
without a hook.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webext_runtime import Browser, Context
from webext_runtime._bridge.quickjs_engine import QuickJSEngine


async def page_running(browser: Browser, script: str) -> Context:
    """A web page's context (opened in a new tab) after ``script`` ran in it."""
    page = (await browser.open_tab("https://example.com/")).page
    await page.evaluate(script)
    return page


SCRIPT = """
globalThis.log = [];
self.addEventListener('unhandledrejection', (e) => {
  log.push('unhandled ' + e.reason);
  if (e.reason === 'quiet') e.preventDefault();
  // a listener's own promise work runs before the next task
  Promise.resolve().then(() => log.push('after ' + e.reason));
});
self.onrejectionhandled = (e) => log.push('handled ' + e.reason);
Promise.reject('loud');
Promise.reject('quiet');
globalThis.late = Promise.reject('late');
setTimeout(() => late.catch(() => {}), 10);
0
"""


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_cancelled_rejections_stay_off_the_console(profile: str) -> None:
    async with Browser(profile) as browser:
        page = await page_running(browser, SCRIPT)
        await browser.advance(1)
        assert await page.evaluate("log") == [
            "unhandled loud",
            "after loud",
            "unhandled quiet",
            "after quiet",
            "unhandled late",
            "after late",
            "handled late",
        ]
        uncaught = [c.text for c in browser.console if c.text.startswith("Uncaught")]
        assert uncaught == ["Uncaught (in promise) loud", "Uncaught (in promise) late"]
        assert [e.message for e in browser.script_errors] == ["loud", "late"]


def test_engine_without_a_hook_reports_every_rejection() -> None:
    realm = QuickJSEngine().new_realm("bare")
    try:
        realm.eval_script("Promise.reject(new RangeError('r1')); Promise.reject(2);", "a.js")
        realm.run_jobs()
        errors = realm.take_errors()
        assert [(e.name, e.message, e.in_promise) for e in errors] == [
            ("RangeError", "r1", True),
            ("", "2", True),
        ]
    finally:
        realm.close()


def test_a_throwing_hook_does_not_lose_the_rejection() -> None:
    realm = QuickJSEngine().new_realm("broken hook")
    try:
        realm.eval_script(
            "Object.defineProperty(globalThis, '__wxRejectionHook', { value: () => { throw 1 } });"
            "Promise.reject('kept');",
            "a.js",
        )
        realm.run_jobs()
        assert [e.message for e in realm.take_errors()] == ["kept"]
    finally:
        realm.close()


ERRORS = """
globalThis.log = [];
self.addEventListener('error', (e) => {
  log.push(e.message);
  if (e.error.message === 'quiet') e.preventDefault();
});
setTimeout(() => { throw new Error('loud'); }, 10);
setTimeout(() => { throw new Error('quiet'); }, 20);
queueMicrotask(() => { throw new TypeError('micro'); });
document.body.addEventListener('click', () => { throw new RangeError('clicked'); });
document.body.addEventListener('click', () => log.push('second listener ran'));
0
"""


@pytest.mark.parametrize(("profile", "prefix"), [("chrome", "Uncaught "), ("firefox", "")])
async def test_uncaught_errors_reach_the_global_then_the_console(profile: str, prefix: str) -> None:
    async with Browser(profile) as browser:
        page = await page_running(browser, ERRORS)
        await browser.advance(1)
        await browser.tabs[0].click("body")
        assert await page.evaluate("log") == [
            f"{prefix}TypeError: micro",
            f"{prefix}Error: loud",
            f"{prefix}Error: quiet",
            f"{prefix}RangeError: clicked",
            "second listener ran",
        ]
        uncaught = [c.text for c in browser.console if c.text.startswith("Uncaught")]
        assert uncaught == [
            "Uncaught TypeError: micro",
            "Uncaught Error: loud",
            "Uncaught RangeError: clicked",
        ]
        assert [e.message for e in browser.script_errors] == [
            "TypeError: micro",
            "Error: loud",
            "RangeError: clicked",
        ]


async def test_a_handler_added_by_the_listener_brings_no_rejectionhandled() -> None:
    async with Browser("chrome") as browser:
        page = await page_running(
            browser,
            "globalThis.log = [];"
            "self.onunhandledrejection = (e) => {"
            "  log.push('unhandled'); e.promise.catch(() => {}); };"
            "self.onrejectionhandled = () => log.push('rejectionhandled');"
            "Promise.reject('x'); 0",
        )
        await browser.advance(1)
        assert await page.evaluate("log") == ["unhandled"]


async def test_a_runaway_unhandledrejection_listener_hits_the_time_limit() -> None:
    async with Browser("chrome") as browser:
        page = await page_running(
            browser, "self.onunhandledrejection = () => { for (;;) {} }; Promise.reject('x'); 0"
        )
        await browser.settle()
        assert any("time limit" in e.message for e in browser.script_errors)
        assert not page.alive


async def test_errors_in_callbacks_are_placed_in_the_script(tmp_path: Path) -> None:
    mf = {
        "manifest_version": 3,
        "name": "m",
        "version": "1",
        "background": {"service_worker": "bg.js"},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    (tmp_path / "bg.js").write_text(
        "queueMicrotask(() => {\n  undefinedThing();\n});\nsetTimeout(() => {\n  null.x;\n}, 5);\n",
        encoding="utf-8",
    )
    async with Browser("chrome") as browser:
        await browser.install(tmp_path)
        await browser.advance(1)
        assert [(e.message, e.file, e.line) for e in browser.script_errors] == [
            ("ReferenceError: undefinedThing is not defined", "bg.js", 2),
            ("TypeError: Cannot read properties of null (reading 'x')", "bg.js", 5),
        ]
