#!/usr/bin/env python3
"""Re-record the conformance goldens from the real browsers, or check them against them.

    python scripts/record_goldens.py                      # every scenario, Chromium + Firefox
    python scripts/record_goldens.py json_values --browser chromium
    python scripts/record_goldens.py --check              # CI: real browsers vs stored goldens
    python scripts/record_goldens.py --repeat 2           # record twice, refuse unstable traces
    python scripts/record_goldens.py --check --skip-missing   # check what this machine has

Writes ``tests/conformance/scenarios/<name>/golden.<browser>.json`` (normalised trace, the
browser's version, the steps). Needs the ``compare`` extra and the browsers: see
``scripts/install_browsers.sh``.

``--check`` re-runs every scenario in the real browsers and compares with the stored golden;
a scenario that differs is run once more before it counts as a divergence (real browsers
have rare timing flakes: a loaded machine, a slow worker start), and one that matches on the
retry is reported as FLAKY. A summary line ends the output.

Exit codes: 0 fine, 1 a check or a repeat differed, 2 a browser or Playwright is missing (the
message names what to install; with ``--skip-missing`` a missing browser is skipped instead,
and 2 only when no browser at all could run), 3 with ``--check``: nothing differed but a
scenario could not be run in a browser that ran others (twice: it is retried once).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
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
    p.add_argument(
        "--retries",
        type=int,
        default=1,
        help="--check: extra runs of a scenario that differs before it counts (default 1)",
    )
    p.add_argument(
        "--skip-missing",
        action="store_true",
        help="skip a browser that is not installed instead of stopping (exit 2 if none ran)",
    )
    args = p.parse_args()
    browsers = ["chromium", "firefox"] if args.browser == "both" else [args.browser]
    started = time.monotonic()
    failed: list[str] = []
    broken: list[str] = []
    flaky: list[str] = []
    matched: list[str] = []
    missing: dict[str, str] = {}
    worked: set[str] = set()
    for directory in scenario_dirs(args.names):
        scenario = load_scenario(directory)
        for browser in browsers:
            if browser in missing:
                continue
            if browser == "firefox" and scenario.options.get("firefox") is False:
                continue
            exe = args.chromium if browser == "chromium" else args.firefox
            golden = directory / f"golden.{browser}.json"
            label = f"{directory.name} [{browser}]"
            t0 = time.monotonic()
            try:
                docs = [
                    asyncio.run(record(directory, browser, exe)) for _ in range(max(1, args.repeat))
                ]
            except SetupError as exc:
                print(f"record_goldens: {label}: {exc}", file=sys.stderr)
                if not args.skip_missing:
                    return 2
                if browser not in worked:  # not installed, or cannot start here at all
                    missing[browser] = str(exc)
                    print(f"record_goldens: skipping {browser}: unusable here (--skip-missing)")
                    continue
                # it ran other scenarios: once more (a loaded machine), then it is broken
                try:
                    docs = [asyncio.run(record(directory, browser, exe))]
                except SetupError as again:
                    print(f"{label}: BROKEN: could not run it twice: {again}")
                    (broken if args.check else failed).append(label)
                    continue
            worked.add(browser)
            doc = docs[0]
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
                tries = 0
                while lines and tries < max(0, args.retries):
                    tries += 1
                    try:
                        again = asyncio.run(record(directory, browser, exe))
                    except SetupError as exc:
                        print(f"record_goldens: {browser}: {exc}", file=sys.stderr)
                        break
                    lines = diff(
                        stored, again, expected_label="golden", actual_label=again["version"]
                    )
                secs = f"{time.monotonic() - t0:.1f} s"
                if lines:
                    failed.append(label)
                    print(
                        f"{label}: DIVERGES from the golden ({1 + tries} runs, {secs}); "
                        f"the real browser now gives:"
                    )
                    for line in lines:
                        print("  " + line)
                elif tries:
                    flaky.append(label)
                    print(f"{label}: FLAKY: matched on retry {tries} ({doc['version']}, {secs})")
                else:
                    matched.append(label)
                    print(f"{label}: matches ({doc['version']}, {secs})")
                continue
            n = sum(len(v) for v in doc["trace"].values())
            golden.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", "utf-8")
            matched.append(label)
            print(f"{label}: {n} events in {len(doc['trace'])} contexts -> {golden.name}")
    elapsed = time.monotonic() - started
    ran = [b for b in browsers if b not in missing]
    verb = "checked" if args.check else "recorded"
    summary = (
        f"record_goldens: {verb} {len(matched) + len(flaky) + len(failed)} scenario runs in "
        f"{', '.join(ran) or 'no browser'} in {elapsed:.0f} s: {len(matched)} ok, "
        f"{len(flaky)} flaky (matched on retry), {len(failed)} failed"
        + (f", {len(broken)} could not run" if broken else "")
    )
    if missing:
        summary += f"; skipped (not installed): {', '.join(sorted(missing))}"
    print(summary)
    if flaky:
        print(f"flaky: {', '.join(flaky)}")
    if broken:
        print(f"{len(broken)} could not run: {', '.join(broken)}", file=sys.stderr)
    if failed:
        print(f"{len(failed)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    if not ran:
        return 2
    return 3 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
