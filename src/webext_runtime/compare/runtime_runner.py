"""The same steps through webext-runtime's Python API (no browser needed)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .result import FAKE_PORT, RunResult, SetupError
from .scenario import Scenario, stage, step_kind

SETTLE_SECONDS = 1.0  # virtual time after each step (the real runners wait for quiet)


def resolve_url(url: str, port: int) -> str:
    url = url.replace("{{PORT}}", str(port))
    if url.startswith("/"):
        return f"http://127.0.0.1:{port}{url}"
    return url


#: console lines the runtime logs on the browser's behalf (not console.* calls)
_BROWSER_LOGGED = ("Error in event handler: ", "Unchecked runtime.lastError: ")


async def run_runtime(scenario: Scenario, profile: str = "chrome") -> RunResult:
    from .. import Browser, __version__

    firefox = profile.startswith("firefox")
    result = RunResult("webext-runtime", "firefox" if firefox else "chrome", __version__)
    with tempfile.TemporaryDirectory(prefix="wxr-compare-") as tmp:
        dirs = stage(scenario, Path(tmp), report_url=None, firefox=firefox)
        browser = Browser(profile=profile, bfcache=False)  # goldens: Playwright disables bfcache
        try:
            exts = [await browser.install(d) for d in dirs]
            by_name = {d.name: e for d, e in zip(dirs, exts, strict=True)}
            tabs: list[Any] = []

            def ext_for(step: dict[str, Any]) -> Any:
                name = step.get("ext")
                if name is None:
                    return exts[0]
                if name not in by_name:
                    raise SetupError(f"step {step!r}: no extension named {name!r}")
                return by_name[name]

            def tab_for(step: dict[str, Any]) -> Any:
                if not tabs:
                    raise SetupError(f"step {step!r} needs a tab: open one first")
                return tabs[int(step.get("tab", -1))]

            async def add_frames(tab: Any, url: str, frame_id: int) -> None:
                path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
                if not url.startswith(("http://127.0.0.1", "http://localhost")):
                    return
                for src in scenario.iframes(path):
                    child = resolve_url(src, FAKE_PORT)
                    if child.startswith("/") or "://" not in child:
                        child = f"http://127.0.0.1:{FAKE_PORT}/{child.lstrip('/')}"
                    fid = await tab.add_frame(child, frame_id)
                    await add_frames(tab, child, fid)

            for step in scenario.steps:
                kind = step_kind(step)
                if kind == "open":
                    url = resolve_url(str(step["open"]), FAKE_PORT)
                    path = url.split(str(FAKE_PORT), 1)[-1] if str(FAKE_PORT) in url else "/"
                    tab = await browser.open_tab(url, title=scenario.title(path))
                    tabs.append(tab)
                    await add_frames(tab, url, 0)
                elif kind == "open_page":
                    ctx = await ext_for(step).open_page(str(step["open_page"]))
                    tabs.append(ctx.tab)
                elif kind == "click":
                    await tab_for(step).click(str(step["click"]))
                elif kind == "close_tab":
                    await tabs[int(step["close_tab"])].close()
                elif kind == "navigate":
                    tab = tab_for(step)
                    url = resolve_url(str(step["navigate"]), FAKE_PORT)
                    await tab.navigate(url)
                    await add_frames(tab, url, 0)
                elif kind == "click_action":
                    await ext_for(step).click_action()
                elif kind == "wait":
                    await browser.advance(float(step["wait"]))
                    continue
                elif kind == "eval_background":
                    bg = ext_for(step).background
                    await bg.evaluate(f"{step['eval_background']}()")
                await browser.advance(SETTLE_SECONDS)
            await browser.settle()
            for c in browser.console:
                if c.context == "browser":
                    result.notes.append(f"{c.level}: {c.text}")
                    continue
                if (
                    not firefox
                    and c.context.startswith("background")
                    and (c.text.startswith(_BROWSER_LOGGED))
                ):
                    # lines Chromium itself logs in a service worker (an extension
                    # ExceptionHandler / console::AddMessage: CDP Log.entryAdded) never reach
                    # Playwright's worker "console" event, which carries console.* calls
                    # only; the recorder cannot see them [conformance sm_reply_promises]
                    continue
                if not firefox and c.text.startswith("Uncaught "):
                    # uncaught errors and unhandled rejections are exceptions in Chromium
                    # (CDP Runtime.exceptionThrown), not console.* calls: Playwright's
                    # "console" events do not carry them [conformance unhandled_rejection]
                    continue
                result.add_console_text(c.context, c.level, c.text)
        finally:
            await browser.close(raise_errors=False)
    return result
