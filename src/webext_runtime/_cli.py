"""The ``webext-runtime`` command line (also ``python -m webext_runtime``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._api.browser import Browser
from ._core.errors import UsageError, WebExtRuntimeError
from ._core.profiles import PROFILE_NAMES

_STEP_HELP = """\
steps run in the order given on the command line, then the runtime settles:
  --open URL          open a tab (matching content scripts are injected)
  --click SELECTOR    click the first element matching SELECTOR in the newest tab
  --click-action      click the first extension's toolbar button (action.onClicked)
  --advance SECONDS   move the virtual clock (timers fire; no real waiting)

example:
  webext-runtime run examples/ports-demo --open https://example.com/ --click body --click-action
"""


class _Step(argparse.Action):
    """Keeps --open/--click/--click-action/--advance in command-line order."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        steps = getattr(namespace, "steps", None) or []
        steps.append((self.dest, values))
        namespace.steps = steps


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="webext-runtime",
        description="A headless WebExtensions runtime: run unpacked extensions' messaging "
        "(runtime.connect, ports, tabs.connect) as Chromium or Firefox would, on a virtual "
        "clock.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="load extensions, perform steps, print console output and a message trace",
        description="Load unpacked extensions, perform the steps, settle, then print every "
        "console line (prefixed by its context) and a readable message trace.",
        epilog=_STEP_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("dirs", nargs="+", metavar="DIR", help="unpacked extension directory")
    run.add_argument(
        "--profile",
        default="chrome",
        choices=PROFILE_NAMES,
        help="browser to behave like (default: chrome)",
    )
    run.add_argument("--open", dest="open", action=_Step, metavar="URL", help="open a tab")
    run.add_argument(
        "--click",
        dest="click",
        action=_Step,
        metavar="SELECTOR",
        help="click an element in the newest tab",
    )
    run.add_argument(
        "--click-action",
        dest="click_action",
        action=_Step,
        nargs=0,
        help="click the toolbar button of the first extension",
    )
    run.add_argument(
        "--advance",
        dest="advance",
        action=_Step,
        type=float,
        metavar="SECONDS",
        help="advance the virtual clock",
    )
    run.add_argument("--trace", metavar="FILE.json", help="write the full trace as JSON")
    run.add_argument(
        "--quiet",
        action="store_true",
        help="print only console lines (no warnings, no message trace)",
    )
    run.set_defaults(steps=[])
    compare = sub.add_parser(
        "compare",
        help="run the same steps in a real browser and in webext-runtime; diff",
        description="Run an unpacked extension and the same steps in real headless Chromium "
        "(or Firefox) and in webext-runtime, record both traces, normalise what legitimately "
        "differs and print a diff. Exits non-zero on divergence. Needs the `compare` extra: "
        "pip install 'webext-runtime[compare]'.",
    )
    compare.add_argument("dir", metavar="DIR", help="unpacked extension directory")
    compare.add_argument("--browser", choices=("chromium", "firefox"), default="chromium")
    compare.add_argument("--executable", metavar="PATH", help="the browser binary to use")
    compare.add_argument(
        "--steps",
        metavar="FILE",
        help="steps file (JSON); default: the extension's steps.json, else open one page",
    )
    compare.add_argument("--json", metavar="FILE", help="write both traces and the diff as JSON")
    return p


def _short(value: Any, limit: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_trace(records: list[dict[str, Any]]) -> list[str]:
    """A readable message trace (connects, messages, disconnects, lifecycle, errors)."""
    lines: list[str] = []
    for r in records:
        kind = r["kind"]
        if kind == "console":
            continue
        d = r.get("data") or {}
        src = r.get("source") or ""
        tgt = r.get("target") or ""
        arrow = f"{src} -> {tgt}" if src and tgt else (src or tgt)
        port = f" port {r['port']}" if r.get("port") is not None else ""
        if kind == "message":
            detail = _short(d.get("message"))
        elif kind in ("connect", "connect_failed", "disconnect", "disconnect_called"):
            parts = [f"name={d.get('name', '')!r}"]
            if d.get("error"):
                parts.append(f"error={d['error']!r}")
            if d.get("external"):
                parts.append("external")
            detail = " ".join(parts)
        elif kind == "lifecycle":
            detail = " ".join(f"{k}={v}" for k, v in d.items())
        else:
            detail = _short(d) if d else ""
        lines.append(f"{r['time']:9.3f}s  {kind:<17} {arrow}{port}  {detail}".rstrip())
    return lines


async def _run(args: argparse.Namespace) -> int:
    browser = Browser(profile=args.profile)
    try:
        exts = [await browser.install(d) for d in args.dirs]
        tab = None
        for step, value in args.steps:
            if step == "open":
                tab = await browser.open_tab(value)
            elif step == "click":
                if tab is None:
                    raise UsageError("--click needs a tab: put --open URL before it")
                await tab.click(value)
            elif step == "click_action":
                await exts[0].click_action()
            elif step == "advance":
                await browser.advance(value)
        await browser.settle()
        for c in browser.console:
            if args.quiet and c.context == "browser":
                continue
            print(f"{c.context}: {c.text}")
        if args.trace:
            Path(args.trace).write_text(
                json.dumps(browser.trace_json(), indent=1) + "\n", encoding="utf-8"
            )
        if not args.quiet:
            print("--- message trace ---")
            for line in format_trace(browser.trace_json()):
                print(line)
        errors = browser.script_errors
        if errors:
            print(f"webext-runtime: {len(errors)} uncaught extension error(s):", file=sys.stderr)
            for e in errors:
                print(f"  {e}", file=sys.stderr)
            return 1
        return 0
    finally:
        await browser.close(raise_errors=False)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "compare":
            from .compare import cli as compare_cli

            return compare_cli.main(args)
        return asyncio.run(_run(args))
    except WebExtRuntimeError as exc:
        print(f"webext-runtime: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"webext-runtime: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
