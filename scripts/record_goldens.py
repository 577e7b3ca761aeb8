#!/usr/bin/env python3
"""Re-record the conformance goldens from the real browsers, or check them against them.

    python scripts/record_goldens.py                      # every scenario, Chromium + Firefox
    python scripts/record_goldens.py json_values --browser chromium
    python scripts/record_goldens.py --check              # CI: real browsers vs stored goldens
    python scripts/record_goldens.py --repeat 2           # record twice, refuse unstable traces

Writes ``tests/conformance/scenarios/<name>/golden.<browser>.json`` (normalised trace, the
browser's version, the steps). Needs the ``compare`` extra and the browsers: see
``scripts/install_browsers.sh``. Exit codes: 0 fine, 1 a check or a repeat differed, 2 a
browser or Playwright is missing (the message names what to install).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "conformance" / "scenarios"
sys.path.insert(0, str(ROOT / "src"))

from webext_runtime.compare.cli import golden_document, run_real  # noqa: E402
from webext_runtime.compare.normalize import diff  # noqa: E402
from webext_runtime.compare.result import SetupError  # noqa: E402
from webext_runtime.compare.scenario import load_scenario  # noqa: E402


def scenario_dirs(names: list[str]) -> list[Path]:
    all_dirs = sorted(p for p in SCENARIOS.iterdir() if (p / "steps.json").is_file())
    if not names:
        return all_dirs
    chosen = [SCENARIOS / n for n in names]
    missing = [str(p) for p in chosen if p not in all_dirs]
    if missing:
        raise SystemExit(f"no such scenario: {', '.join(missing)}")
    return chosen


async def record(directory: Path, browser: str, executable: str | None) -> dict[str, Any]:
    scenario = load_scenario(directory)
    return golden_document(scenario, await run_real(scenario, browser, executable))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("names", nargs="*", help="scenario names (default: all)")
    p.add_argument("--browser", choices=("chromium", "firefox", "both"), default="both")
    p.add_argument("--chromium", help="Chromium executable (default: chromium on PATH)")
    p.add_argument("--firefox", help="Firefox executable (default: firefox-esr on PATH)")
    p.add_argument("--check", action="store_true", help="compare, do not write")
    p.add_argument("--repeat", type=int, default=1, help="record N times; differing = unstable")
    args = p.parse_args()
    browsers = ["chromium", "firefox"] if args.browser == "both" else [args.browser]
    failed: list[str] = []
    for directory in scenario_dirs(args.names):
        scenario = load_scenario(directory)
        for browser in browsers:
            if browser == "firefox" and scenario.options.get("firefox") is False:
                continue
            exe = args.chromium if browser == "chromium" else args.firefox
            golden = directory / f"golden.{browser}.json"
            try:
                docs = [
                    asyncio.run(record(directory, browser, exe)) for _ in range(max(1, args.repeat))
                ]
            except SetupError as exc:
                print(f"record_goldens: {exc}", file=sys.stderr)
                return 2
            doc = docs[0]
            label = f"{directory.name} [{browser}]"
            unstable = [d for d in docs[1:] if diff(doc, d)]
            if unstable:
                failed.append(label)
                print(f"{label}: UNSTABLE between runs:")
                for line in diff(doc, unstable[0], expected_label="run 1", actual_label="run 2"):
                    print("  " + line)
                continue
            if args.check:
                if not golden.is_file():
                    failed.append(label)
                    print(f"{label}: no golden")
                    continue
                stored = json.loads(golden.read_text(encoding="utf-8"))
                lines = diff(stored, doc, expected_label="golden", actual_label=doc["version"])
                if lines:
                    failed.append(label)
                    print(f"{label}: the real browser no longer matches the golden:")
                    for line in lines:
                        print("  " + line)
                else:
                    print(f"{label}: matches ({doc['version']})")
                continue
            n = sum(len(v) for v in doc["trace"].values())
            golden.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", "utf-8")
            print(f"{label}: {n} events in {len(doc['trace'])} contexts -> {golden.name}")
    if failed:
        print(f"{len(failed)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
