"""``webext-runtime compare``: the same scenario in a real browser and in webext-runtime.

Exit codes: 0 the normalised traces are the same, 1 a divergence (a diff is printed), 2 the
comparison could not run here (missing browser or Playwright, bad scenario): the message names
what to install.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import sys
from pathlib import Path
from typing import Any

from .normalize import diff, normalize
from .result import RunResult, SetupError
from .scenario import Scenario, ScenarioError, load_scenario


async def run_real(scenario: Scenario, browser: str, executable: str | None) -> RunResult:
    if browser == "firefox":
        from .firefox import run_firefox

        return await run_firefox(scenario, executable)
    from .chromium import run_chromium

    return await run_chromium(scenario, executable)


def golden_document(scenario: Scenario, result: RunResult) -> dict[str, Any]:
    """What ``golden.<browser>.json`` holds: the normalised trace and where it came from."""
    doc: dict[str, Any] = {
        "scenario": scenario.name,
        "browser": result.browser,
        "version": result.version,
        "profile": result.profile,
        "recorded": datetime.date.today().isoformat(),
        "steps": scenario.steps,
    }
    doc.update(normalize(result))
    if result.browser == "firefox":
        doc.pop("console", None)  # Firefox does not hand extension consoles to the harness
    return doc


def main(args: argparse.Namespace) -> int:
    browser = str(getattr(args, "browser", None) or "chromium")
    try:
        scenario = load_scenario(args.dir, getattr(args, "steps", None))
        real = asyncio.run(run_real(scenario, browser, getattr(args, "executable", None)))
        from .runtime_runner import run_runtime

        ours = asyncio.run(run_runtime(scenario, "firefox" if browser == "firefox" else "chrome"))
    except (SetupError, ScenarioError) as exc:
        print(f"webext-runtime compare: {exc}", file=sys.stderr)
        return 2
    expected = golden_document(scenario, real)
    actual = normalize(ours)
    lines = diff(
        expected,
        actual,
        expected_label=f"{browser} ({real.version})",
        actual_label=f"webext-runtime/{ours.profile}",
        compare_console=browser != "firefox",
    )
    if getattr(args, "json", None):
        Path(args.json).write_text(
            json.dumps(
                {"browser": expected, "webext_runtime": actual, "diff": lines},
                indent=1,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
    n_real = sum(len(v) for v in expected["trace"].values())
    n_ours = sum(len(v) for v in actual["trace"].values())
    head = (
        f"{scenario.name}: {real.version} — {n_real} TRACE events in "
        f"{len(expected['trace'])} contexts; webext-runtime ({ours.profile}) — {n_ours} in "
        f"{len(actual['trace'])}"
    )
    if n_real == 0:
        print(head)
        print(
            "webext-runtime compare: the real browser reported no TRACE event: does the "
            "extension load trace.js and call T()?",
            file=sys.stderr,
        )
        return 2
    if not lines:
        print(head + ": same")
        return 0
    print(head + ": DIVERGENCE")
    for line in lines:
        print(line)
    return 1
