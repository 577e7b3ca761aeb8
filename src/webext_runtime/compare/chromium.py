"""Real headless Chromium through Playwright (imported lazily: the ``compare`` extra)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from .result import RunResult, SetupError, merge_records
from .scenario import Scenario, stage, step_kind
from .server import TraceServer

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
INSTALL_HINT = (
    "pip install 'webext-runtime[compare]' (Playwright's Python package only; no "
    "`playwright install` needed) and apt-get install chromium"
)


def find_chromium(executable: str | None) -> str:
    if executable:
        if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
            raise SetupError(f"--executable {executable}: not an executable file")
        return executable
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SetupError(f"no Chromium found on PATH; install it: {INSTALL_HINT}")


def browser_version(executable: str) -> str:
    try:
        out = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SetupError(f"{executable} --version failed: {exc}") from exc
    return out.stdout.strip() or out.stderr.strip() or "unknown"


def import_playwright() -> Any:
    import importlib

    try:  # imported by name: the core install (and its mypy run) never needs Playwright
        module = importlib.import_module("playwright.async_api")
    except ImportError as exc:
        raise SetupError(f"Playwright for Python is not installed: {INSTALL_HINT}") from exc
    return module.async_playwright


async def wait_quiet(
    counter: Any, *, quiet: float = 0.4, minimum: float = 0.3, maximum: float = 5.0
) -> None:
    """Wait until no new TRACE record arrived for ``quiet`` seconds (at least ``minimum``,
    at most ``maximum``). ``counter()`` returns how many records have arrived so far."""
    start = time.monotonic()
    last_n = counter()
    last_change = start
    while True:
        await asyncio.sleep(0.05)
        now = time.monotonic()
        n = counter()
        if n != last_n:
            last_n, last_change = n, now
        if now - start >= maximum:
            return
        if now - start >= minimum and now - last_change >= quiet:
            return


def resolve(url: str, port: int) -> str:
    url = url.replace("{{PORT}}", str(port))
    return f"http://127.0.0.1:{port}{url}" if url.startswith("/") else url


async def run_chromium(
    scenario: Scenario, executable: str | None = None, *, headless: bool = True
) -> RunResult:
    exe = find_chromium(executable)
    async_playwright = import_playwright()
    version = browser_version(exe)
    result = RunResult("chromium", "chrome", version)
    console_records: list[dict[str, Any]] = []

    def on_console(label: str, msg: Any) -> None:
        try:
            text = str(msg.text)
            level = str(msg.type)
        except Exception:  # a console message of a context already gone
            return
        before = len(result.records)
        result.add_console_text(label, level, text)
        if len(result.records) > before:
            console_records.append(result.records.pop())

    with (
        tempfile.TemporaryDirectory(prefix="wxr-chromium-") as tmp,
        TraceServer(scenario) as server,
    ):
        dirs = stage(scenario, Path(tmp) / "ext", report_url=server.report_url, firefox=False)
        paths = ",".join(str(d) for d in dirs)
        args = [
            *CHROMIUM_FLAGS,
            f"--disable-extensions-except={paths}",
            f"--load-extension={paths}",
        ]

        def count() -> int:
            return len(console_records) + len(server.snapshot())

        async with async_playwright() as pw:
            try:
                context = await pw.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"),
                    executable_path=exe,
                    headless=headless,
                    args=args,
                    ignore_default_args=["--disable-extensions"],
                )
            except Exception as exc:
                raise SetupError(f"could not start {exe}: {exc}") from exc
            try:
                workers_seen: set[int] = set()

                def watch_worker(worker: Any) -> None:
                    if id(worker) in workers_seen:
                        return
                    workers_seen.add(id(worker))
                    worker.on("console", lambda m: on_console(f"worker:{worker.url}", m))

                def watch_page(page: Any) -> None:
                    page.on("console", lambda m: on_console(f"page:{page.url}", m))

                context.on("serviceworker", watch_worker)
                context.on("page", watch_page)
                for w in context.service_workers:
                    watch_worker(w)
                for p in context.pages:
                    watch_page(p)
                # extension ids from the workers' URLs (chrome-extension://ID/...)
                ids: dict[str, str] = {}
                deadline = time.monotonic() + 10
                want = sum(1 for d in dirs if _has_worker(d))
                while len(context.service_workers) < want and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                for w in context.service_workers:
                    watch_worker(w)
                hosts = {str(w.url).split("/")[2] for w in context.service_workers}
                for d in dirs:
                    expected = chromium_extension_id(d)
                    ids[d.name] = expected
                    if expected not in hosts and _has_worker(d):
                        result.notes.append(f"{d.name}: no worker seen at {expected}")
                await wait_quiet(count)
                tabs: list[Any] = []

                def ext_name(step: dict[str, Any]) -> str:
                    return str(step.get("ext") or dirs[0].name)

                def tab_for(step: dict[str, Any]) -> Any:
                    if not tabs:
                        raise SetupError(f"step {step!r} needs a tab: open one first")
                    return tabs[int(step.get("tab", -1))]

                state: dict[str, Any] = {"blank": context.pages[0] if context.pages else None}

                async def do_step(step: dict[str, Any]) -> None:
                    kind = step_kind(step)
                    if kind in ("open", "open_page"):
                        if kind == "open":
                            url = resolve(str(step["open"]), server.port)
                        else:
                            url = f"chrome-extension://{ids[ext_name(step)]}/{step['open_page']}"
                        page = state["blank"] if state["blank"] is not None and not tabs else None
                        if page is None:
                            page = await context.new_page()
                        state["blank"] = None
                        tabs.append(page)
                        await page.goto(url, wait_until="load")
                    elif kind == "click":
                        await tab_for(step).click(str(step["click"]))
                    elif kind == "close_tab":
                        await tabs[int(step["close_tab"])].close()
                    elif kind == "navigate":
                        url = resolve(str(step["navigate"]), server.port)
                        await tab_for(step).goto(url, wait_until="load")
                    elif kind == "wait":
                        await asyncio.sleep(float(step["wait"]))
                    elif kind == "eval_background":
                        host = ids[ext_name(step)]
                        worker = next((w for w in context.service_workers if host in w.url), None)
                        if worker is None:
                            raise SetupError(f"step {step!r}: no service worker running")
                        await worker.evaluate(f"{step['eval_background']}()")
                    elif kind == "click_action":
                        await _click_action(context, tabs, ids[ext_name(step)])

                for step in scenario.steps:
                    if step.get("ext") is not None and step["ext"] not in ids:
                        raise SetupError(f"step {step!r}: no extension directory {step['ext']!r}")
                    try:
                        await do_step(step)
                    except SetupError:
                        raise
                    except Exception as exc:
                        raise SetupError(f"step {step!r} failed in Chromium: {exc}") from exc
                    await wait_quiet(count)
                await wait_quiet(count, quiet=0.6, minimum=0.6)
                # what happened before shutdown only: closing the browser disconnects ports
                final = merge_records(console_records, server.snapshot())
            finally:
                await context.close()
        result.records = final
        result.notes.append(f"extension ids: {ids}")
    return result


def chromium_extension_id(ext_dir: Path) -> str:
    """Chromium's id of an unpacked extension: SHA-256 of the manifest ``key`` (DER) or of
    the absolute path, first 32 hex digits mapped 0-f → a-p."""
    import base64
    import hashlib
    import json

    mf = json.loads((ext_dir / "manifest.json").read_text(encoding="utf-8-sig"))
    key = mf.get("key")
    data = base64.b64decode(key) if isinstance(key, str) else str(ext_dir.resolve()).encode()
    digest = hashlib.sha256(data).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def _worker_file(ext_dir: Path) -> str:
    import json

    mf = json.loads((ext_dir / "manifest.json").read_text(encoding="utf-8"))
    bg = mf.get("background") or {}
    return str(bg.get("service_worker") or "").lstrip("/")


def _has_worker(ext_dir: Path) -> bool:
    return bool(_worker_file(ext_dir))


async def _click_action(context: Any, tabs: list[Any], ext_id: str) -> None:
    """No toolbar in headless Chromium: CDP ``Extensions.triggerAction`` (needs a browser
    session, not available from a persistent context in every Playwright version)."""
    browser = context.browser
    if browser is None:
        raise SetupError("click_action: no browser-level CDP session in this Playwright")
    session = await browser.new_browser_cdp_session()
    targets = await session.send("Target.getTargets")
    page_url = tabs[-1].url if tabs else ""
    target = next(
        (t for t in targets["targetInfos"] if t["type"] == "page" and t["url"] == page_url), None
    )
    if target is None:
        raise SetupError("click_action: no tab to click the action in")
    await session.send("Extensions.triggerAction", {"id": ext_id, "targetId": target["targetId"]})
