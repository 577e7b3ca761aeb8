"""The cost of JS realms: N tabs, each with its own content-script realm.

An extension is written to a temporary directory (`_common.manifest(profile)`: a
background and a trivial content script ``self.n = 1;`` on ``https://example.com/*``) and
installed; then N tabs are opened (``open_tab`` settles, so each content script has run).
Reported per profile:

* µs per realm: the time to open the N tabs / N, best of 3 (a fresh Browser each run);
* the same with the Python-played extension (the manifest as a dict: same contexts, no
  realm), measured in the same run; the difference is what a realm adds;
* RSS with the N tabs open (``/proc/self/status`` VmRSS after a GC), measured in a fresh
  child process (so that memory freed by the timed runs and kept by the allocator does not
  hide the growth): the whole process's RSS, its growth over the RSS before the tabs and
  that growth / N. The target is <= 1 GiB of RSS with 1,000 live realms (``met`` compares
  the whole RSS with 1 GiB, whatever N is).

    python bench/bench_realms.py [--quick] [--n N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import PAGE_URL, PROFILES, best_of, manifest, now, table

from webext_runtime import Browser

RUNS = 3
TARGET_BYTES = 2**30


def rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def write_extension(profile: str, root: Path) -> Path:
    d = root / profile
    d.mkdir(parents=True, exist_ok=True)
    (d / "manifest.json").write_text(json.dumps(manifest(profile)))
    (d / "bg.js").write_text("self.started = true;\n")
    (d / "cs.js").write_text("self.n = 1;\n")
    return d


async def _install(browser: Browser, profile: str, directory: Path | None) -> Any:
    if directory is None:
        return await browser.install(manifest=manifest(profile))
    return await browser.install(directory)


async def open_tabs(profile: str, n: int, directory: Path | None) -> float:
    browser = Browser(profile)
    ext = await _install(browser, profile, directory)
    t0 = now()
    for _ in range(n):
        await browser.open_tab(PAGE_URL)
    elapsed = now() - t0
    if directory is not None:
        last = browser.tabs[-1].content_script(ext)
        assert await last.evaluate("self.n") == 1
        assert not browser.script_errors
    await browser.close()
    return elapsed


async def rss_with_tabs(profile: str, n: int, directory: Path) -> tuple[int, int]:
    """(RSS before the tabs, RSS with n live realms)."""
    browser = Browser(profile)
    ext = await _install(browser, profile, directory)
    gc.collect()
    before = rss_bytes()
    for _ in range(n):
        await browser.open_tab(PAGE_URL)
    gc.collect()
    after = rss_bytes()
    assert len(browser.tabs) == n
    assert await browser.tabs[0].content_script(ext).evaluate("self.n") == 1
    await browser.close()
    return before, after


def rss_in_child(profile: str, n: int, directory: Path) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", profile, str(n), str(directory)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[-2]), int(out[-1])


async def run(n: int) -> None:
    rows: list[list[str]] = []
    result: dict[str, str] = {"n": str(n)}
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-realms-") as tmp:
        for profile in PROFILES:
            directory = write_extension(profile, Path(tmp))
            t_js = await best_of(RUNS, lambda p=profile, d=directory: open_tabs(p, n, d))
            t_py = await best_of(RUNS, lambda p=profile: open_tabs(p, n, None))
            before, after = rss_in_child(profile, n, directory)
            us_js, us_py = 1e6 * t_js / n, 1e6 * t_py / n
            grow = after - before
            met = after <= TARGET_BYTES
            ok = ok and met
            rows.append(
                [
                    profile,
                    f"{n}",
                    f"{us_js:.0f}",
                    f"{us_py:.0f}",
                    f"{us_js - us_py:.0f}",
                    f"{after / 2**20:.0f}",
                    f"{grow / 2**20:.0f}",
                    f"{grow / n / 1024:.0f}",
                    "ok" if met else "ABOVE",
                ]
            )
            result[f"{profile}_us_per_realm"] = f"{us_js:.0f}"
            result[f"{profile}_us_per_tab_python"] = f"{us_py:.0f}"
            result[f"{profile}_rss_mib"] = f"{after / 2**20:.0f}"
            result[f"{profile}_rss_growth_mib"] = f"{grow / 2**20:.0f}"
            result[f"{profile}_kib_per_realm"] = f"{grow / n / 1024:.0f}"
    headers = [
        "profile",
        "tabs",
        "µs/tab JS",
        "µs/tab Python",
        "realm adds µs",
        "RSS MiB",
        "RSS growth MiB",
        "KiB/realm",
        "<=1GiB",
    ]
    print(f"best of {RUNS} for times; RSS from a separate run with all {n} tabs open")
    print(table(headers, rows))
    result["target_rss_mib_per_1000"] = "1024"
    result["met"] = "yes" if ok else "no"
    print("RESULT bench_realms " + " ".join(f"{k}={v}" for k, v in result.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="10x fewer tabs (smoke test)")
    ap.add_argument("--n", type=int, default=1000, help="tabs (realms) per run (default 1000)")
    ap.add_argument("--rss-child", nargs=3, metavar=("PROFILE", "N", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rss_child:
        profile, n, directory = args.rss_child
        before, after = asyncio.run(rss_with_tabs(profile, int(n), Path(directory)))
        print(before, after)
        return
    asyncio.run(run(args.n // 10 if args.quick else args.n))


if __name__ == "__main__":
    main()
