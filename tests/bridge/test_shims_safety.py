"""Safety: runaway scripts and memory bombs are stopped, that context alone dies (its ports
disconnect), the rest keeps running; syntax errors, uncaught exceptions and unhandled
rejections are recorded with file, line and stack; the pytest plugin fails a test that
leaves one unless the test opts out."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from webext_runtime import Browser, ExtensionScriptError, UsageError

FAULTS = Path(__file__).parent / "fixtures" / "shims_faults"
BOTH = pytest.mark.parametrize("profile", ["chrome", "firefox"])

pytest_plugins = ["pytester"]


async def _open(profile: str, host: str) -> tuple[Browser, Any, float]:
    browser = Browser(profile)
    ext = await browser.install(FAULTS)
    t0 = time.perf_counter()
    await browser.open_tab(f"https://{host}.example/")
    return browser, ext, time.perf_counter() - t0


@BOTH
@pytest.mark.parametrize(
    ("host", "limit", "file"),
    [("loop", "time limit", "loop.js"), ("bomb", "memory limit", "bomb.js")],
)
async def test_runaway_content_script_dies_alone(
    profile: str, host: str, limit: str, file: str
) -> None:
    browser, ext, elapsed = await _open(profile, host)
    assert elapsed < 10.0  # stopped (the realm's limit is 1 s of wall time), not hung
    label = "content[tab 1, frame 0]"
    errors = list(browser.script_errors)
    assert len(errors) == 1
    err = errors[0]
    assert isinstance(err, ExtensionScriptError)
    assert err.context == label
    assert err.message.startswith(f"script stopped by the {limit}")
    assert file in err.stack
    assert (label, "error") in [(c.context, c.level) for c in browser.console]
    # the context is gone, its port to the background disconnected
    tab = browser.tabs[0]
    with pytest.raises(UsageError):
        tab.content_script(ext)
    bg = ext.background
    assert await bg.evaluate("self.events") == [
        f"connect https://{host}.example/",
        f"disconnect https://{host}.example/",
    ]
    # the background keeps running: its interval ticks, other tabs get content scripts
    await browser.advance(3)
    assert await bg.evaluate("self.ticks") == 3
    other = await browser.open_tab("https://fine.example/")
    assert await other.content_script(ext).evaluate("self.port.name") == "fine.example"
    await browser.close(raise_errors=False)


async def test_runaway_evaluate_kills_the_context() -> None:
    browser = Browser("chrome")
    ext = await browser.install(FAULTS)
    tab = await browser.open_tab("https://fine.example/")
    cs = tab.content_script(ext)
    with pytest.raises(Exception):  # noqa: B017 - the engine's own timeout error
        await cs.evaluate("for (;;) {}")
    await browser.settle()
    assert not cs.alive
    assert await ext.background.evaluate("self.events") == [
        "connect https://fine.example/",
        "disconnect https://fine.example/",
    ]
    assert [e.context for e in browser.script_errors] == ["content[tab 1, frame 0]"]
    await browser.close(raise_errors=False)


EXPECTED = {
    # host -> (message, file, line, a stack fragment)
    "syntax": ("SyntaxError", "syntax.js", 4, "syntax.js:4"),
    "throw": ("RangeError: thrown at top level", "throw.js", 2, "at explode (throw.js:2"),
    "reject": ("TypeError: rejected and nobody caught it", "reject.js", 3, "at later (reject.js:3"),
}


@BOTH
@pytest.mark.parametrize("host", sorted(EXPECTED))
async def test_script_errors_have_file_line_stack(profile: str, host: str) -> None:
    browser, ext, _ = await _open(profile, host)
    message, file, line, fragment = EXPECTED[host]
    errors = list(browser.script_errors)
    assert len(errors) == 1
    err = errors[0]
    assert err.context == "content[tab 1, frame 0]"
    assert err.message.startswith(message)
    assert (err.file, err.line) == (file, line)
    assert fragment in err.stack
    # the error is on the console with "Uncaught" (a rejection: "Uncaught (in promise)", as
    # Chrome's and Firefox's consoles say), and in the trace
    where = "Uncaught (in promise)" if host == "reject" else "Uncaught"
    assert f"{where} {err.message}" in [c.text for c in browser.console]
    assert [r["data"]["file"] for r in browser.trace if r["kind"] == "error"] == [file]
    # an uncaught error does not kill the context (unlike a limit)
    cs = browser.tabs[0].content_script(ext)
    assert cs.alive
    assert await cs.evaluate("self.port.name") == f"{host}.example"
    await browser.close(raise_errors=False)


@BOTH
async def test_listener_exception_is_recorded_and_others_still_run(profile: str) -> None:
    browser, ext, _ = await _open(profile, "explode")
    errors = list(browser.script_errors)
    assert [(e.context, e.message) for e in errors] == [
        ("background", "Error: listener exploded for explode.example")
    ]
    assert "explodeOnDemand (bg.js:" in errors[0].stack
    # the listener registered before it ran; the background is fine
    bg = ext.background
    assert await bg.evaluate("self.events") == ["connect https://explode.example/"]
    await browser.close(raise_errors=False)


# -- the pytest plugin ---------------------------------------------------------------------------

PLUGIN_TEST = f"""
import pytest

FAULTS = {str(FAULTS)!r}


async def test_leaves_an_error(browser):
    await browser.install(FAULTS)
    await browser.open_tab("https://throw.example/")


@pytest.mark.webext(allow_errors=True)
async def test_allowed(browser):
    await browser.install(FAULTS)
    await browser.open_tab("https://throw.example/")
    assert len(browser.script_errors) == 1


async def test_clean(browser):
    await browser.install(FAULTS)
    await browser.open_tab("https://fine.example/")
"""


def test_plugin_fails_a_test_that_leaves_an_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plugin_errors=PLUGIN_TEST)
    pytester.makeini(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q")
    # the failing test's call passed; its teardown is the error
    result.assert_outcomes(passed=3, errors=1)
    out = result.stdout.str()
    assert "ERROR test_plugin_errors.py::test_leaves_an_error[chrome]" in out
    assert "uncaught extension error(s) left at the end of the test" in out
    assert "[content[tab 1, frame 0]] RangeError: thrown at top level" in out
