"""Real headless Firefox (Debian ``firefox-esr``) over WebDriver BiDi; the scenario's MV2
form is installed as a temporary add-on, and TRACE records come back over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from .bidi import BiDi, BiDiError, WebSocket
from .chromium import browser_version, resolve, wait_quiet
from .result import RunResult, SetupError, merge_records
from .scenario import Scenario, stage, step_kind
from .server import TraceServer

FIREFOX_HINT = "apt-get install firefox-esr"
PREFS = {
    "remote.active-protocols": 1,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "extensions.autoDisableScopes": 0,
    "browser.aboutwelcome.enabled": False,
    "network.captive-portal-service.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "browser.sessionstore.resume_from_crash": False,
    "network.proxy.type": 0,
    "devtools.console.stdout.content": True,
    "devtools.console.stdout.chrome": True,
    # background tabs (extension pages opened before the page under test) must keep their
    # timers: Firefox clamps them to 1 s by default, Chromium headless and webext-runtime do not
    "dom.min_background_timeout_value": 4,
    "dom.min_background_timeout_value_without_budget_throttling": 4,
    "dom.timeout.enable_budget_timer_throttling": False,
}


def find_firefox(executable: str | None) -> str:
    if executable:
        if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
            raise SetupError(f"--executable {executable}: not an executable file")
        return executable
    for name in ("firefox-esr", "firefox"):
        found = shutil.which(name)
        if found:
            return found
    raise SetupError(f"no Firefox found on PATH; install it: {FIREFOX_HINT}")


def _pref(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace('"', '\\"') + '"'


async def _start(exe: str, profile: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "user.js").write_text(
        "".join(f'user_pref("{k}", {_pref(v)});\n' for k, v in PREFS.items()), encoding="utf-8"
    )
    log = profile.parent / "firefox.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                exe,
                "--headless",
                "--remote-debugging-port=0",
                "--profile",
                str(profile),
                "--no-remote",
                "about:blank",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    pattern = re.compile(r"WebDriver BiDi listening on (ws://\S+)")
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        mt = pattern.search(text)
        if mt:
            return proc, mt.group(1).rstrip("/"), log
        if proc.poll() is not None:
            raise SetupError(f"{exe} exited at start-up:\n{text[-2000:]}")
        await asyncio.sleep(0.1)
    _stop(proc)
    raise SetupError(f"{exe} did not open WebDriver BiDi within 60 s (log: {log})")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


async def run_firefox(scenario: Scenario, executable: str | None = None) -> RunResult:
    exe = find_firefox(executable)
    result = RunResult("firefox", "firefox", browser_version(exe))
    with (
        tempfile.TemporaryDirectory(prefix="wxr-firefox-") as tmp,
        TraceServer(scenario) as server,
    ):
        dirs = stage(scenario, Path(tmp) / "ext", report_url=server.report_url, firefox=True)
        proc, ws_url, _log = await _start(exe, Path(tmp) / "profile")
        bidi: BiDi | None = None
        try:
            bidi = BiDi(await WebSocket.connect(ws_url + "/session"))
            await bidi.send("session.new", {"capabilities": {}})
            ids: dict[str, str] = {}
            for d in dirs:
                res = await bidi.send(
                    "webExtension.install",
                    {"extensionData": {"type": "path", "path": str(d)}},
                )
                ids[d.name] = str(res.get("extension"))

            def count() -> int:
                return len(server.snapshot()) + len(_log_records(_log))

            await wait_quiet(count, minimum=0.5)
            tree = await bidi.send("browsingContext.getTree", {"maxDepth": 0})
            blank: str | None = tree["contexts"][0]["context"] if tree["contexts"] else None
            tabs: list[str] = []

            def ext_base(name: str) -> str:
                for rec in server.snapshot() + _log_records(_log):
                    s = rec.get("s") or {}
                    if s.get("name") == name or str(rec.get("c", "")).startswith(name + "/"):
                        base = str(s.get("base", ""))
                        if base.startswith("moz-extension://"):
                            return base
                raise SetupError(
                    f"moz-extension base URL of {name!r} unknown: its background must call T()"
                )

            def tab_for(step: dict[str, Any]) -> str:
                if not tabs:
                    raise SetupError(f"step {step!r} needs a tab: open one first")
                return tabs[int(step.get("tab", -1))]

            for step in scenario.steps:
                kind = step_kind(step)
                if kind in ("open", "open_page"):
                    if kind == "open":
                        url = resolve(str(step["open"]), server.port)
                    else:
                        name = str(step.get("ext") or dirs[0].name)
                        url = ext_base(_manifest_name(scenario, name)) + str(step["open_page"])
                    if blank is not None and not tabs:
                        ctx = blank
                    else:
                        ctx = (await bidi.send("browsingContext.create", {"type": "tab"}))[
                            "context"
                        ]
                    blank = None
                    tabs.append(ctx)
                    if kind == "open":
                        await bidi.send(
                            "browsingContext.navigate",
                            {"context": ctx, "url": url, "wait": "complete"},
                        )
                    else:
                        await _open_extension_page(bidi, ctx, url)
                elif kind == "click":
                    await _click(bidi, tab_for(step), str(step["click"]))
                elif kind == "close_tab":
                    await bidi.send(
                        "browsingContext.close", {"context": tabs[int(step["close_tab"])]}
                    )
                elif kind == "navigate":
                    url = resolve(str(step["navigate"]), server.port)
                    await bidi.send(
                        "browsingContext.navigate",
                        {"context": tab_for(step), "url": url, "wait": "complete"},
                    )
                elif kind == "wait":
                    await asyncio.sleep(float(step["wait"]))
                else:
                    raise SetupError(f"step {kind!r} is not possible in real Firefox over BiDi")
                await wait_quiet(count)
            await wait_quiet(count, quiet=0.8, minimum=0.8)
            # what happened before shutdown only: closing the browser disconnects ports
            final = merge_records(_log_records(_log), server.snapshot())
            result.notes.append(f"extension ids: {ids}")
        except BiDiError as exc:
            raise SetupError(f"WebDriver BiDi: {exc}") from exc
        finally:
            if bidi is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(bidi.send("session.end", {}), 5)
                await bidi.close()
            _stop(proc)
            if os.environ.get("WXR_COMPARE_DEBUG"):
                print(_log.read_text(encoding="utf-8", errors="replace")[-20000:])
        result.records = final
    return result


_CONSOLE_LINE = re.compile(r'^console\.log: ("TRACE .*")$', re.MULTILINE)


def _log_records(log: Path) -> list[dict[str, Any]]:
    """TRACE lines Firefox dumped to stdout (``devtools.console.stdout.*`` prefs): every
    context's console, content scripts included."""
    import json

    from .result import parse_trace_line

    out: list[dict[str, Any]] = []
    text = log.read_text(encoding="utf-8", errors="replace")
    for mt in _CONSOLE_LINE.finditer(text):
        try:
            line = json.loads(mt.group(1))
        except ValueError:
            continue
        rec = parse_trace_line(str(line))
        if rec is not None:
            out.append(rec)
    return out


def _manifest_name(scenario: Scenario, dirname: str) -> str:
    import json

    for ext in scenario.extensions:
        if ext.name == dirname:
            mf = json.loads((ext / "manifest.json").read_text(encoding="utf-8-sig"))
            return str(mf.get("name", dirname))
    return dirname


async def _open_extension_page(bidi: BiDi, context: str, url: str) -> None:
    """BiDi refuses ``browsingContext.navigate`` to ``moz-extension:`` URLs ("not allowed in
    this context"), so the blank tab navigates itself there (the staged MV2 form lists the
    extension's pages as web_accessible_resources), then we wait for the load."""
    await bidi.send(
        "browsingContext.navigate", {"context": context, "url": "about:blank", "wait": "complete"}
    )
    await bidi.send(
        "script.evaluate",
        {
            "expression": f"location.href = {_js(url)}; 0",
            "target": {"context": context},
            "awaitPromise": False,
        },
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        tree = await bidi.send("browsingContext.getTree", {"root": context, "maxDepth": 0})
        current = tree["contexts"][0]["url"] if tree["contexts"] else ""
        if current.split("?")[0] == url.split("?")[0]:
            try:
                res = await bidi.send(
                    "script.evaluate",
                    {
                        "expression": "document.readyState",
                        "target": {"context": context},
                        "awaitPromise": False,
                    },
                )
                if res["result"].get("value") == "complete":
                    return
            except BiDiError:
                pass
        await asyncio.sleep(0.1)
    raise SetupError(f"Firefox did not open {url} (is it listed in web_accessible_resources?)")


async def _click(bidi: BiDi, context: str, selector: str) -> None:
    """A real (trusted) pointer click on the element's centre."""
    res = await bidi.send(
        "script.evaluate",
        {
            "expression": (
                "(() => { const r = document.querySelector(" + _js(selector) + ")"
                ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
            ),
            "target": {"context": context},
            "awaitPromise": False,
        },
    )
    values = res["result"]["value"]
    x, y = (int(v["value"]) for v in values)
    await bidi.send(
        "input.performActions",
        {
            "context": context,
            "actions": [
                {
                    "type": "pointer",
                    "id": "mouse",
                    "parameters": {"pointerType": "mouse"},
                    "actions": [
                        {"type": "pointerMove", "x": x, "y": y},
                        {"type": "pointerDown", "button": 0},
                        {"type": "pointerUp", "button": 0},
                    ],
                }
            ],
        },
    )


def _js(text: str) -> str:
    import json

    return json.dumps(text)
