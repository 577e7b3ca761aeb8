"""Lifecycle benchmarks (the lifecycle issue's `bench/`).

1. Wake-up of a stopped service worker / event page: a content script's sendMessage to a
   stopped background (JS, from the lifecycle fixture) — the virtual time it takes (0: the
   event waits only for the worker's own script) against the wall time it costs here, and
   real Chromium's measured 41-151 ms (observations/chromium-150-lifecycle.md §1).
2. 1,000 tab open / navigate / close cycles, each with a content script connected to the
   background (Python-played, so only the runtime is measured): time per cycle, and RSS
   before and after (after ``gc.collect()``) to show that nothing accumulates.

    python bench/bench_lifecycle.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PROFILES, manifest, now, table

from webext_runtime import Browser

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "bridge" / "fixtures" / "lifecycle"


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def wake(profile: str, rounds: int) -> tuple[float, float]:
    """Median (virtual seconds, wall ms) of a sendMessage that wakes a stopped worker."""
    virtual: list[float] = []
    wall: list[float] = []
    async with Browser(profile=profile) as browser:
        ext = await browser.install(FIXTURE)
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        for _ in range(rounds):
            await ext.stop_service_worker()
            assert not ext.worker_running
            v0, t0 = browser.now, now()
            reply: Any = await cs.evaluate("chrome.runtime.sendMessage({wake: 1})")
            wall.append((now() - t0) * 1000)
            virtual.append(browser.now - v0)
            assert reply["counter"] == 1, reply  # a fresh instance answered
    return statistics.median(virtual), statistics.median(wall)


async def cycles(profile: str, n: int) -> tuple[float, float, float, float]:
    """Per-cycle µs and RSS (MiB) after warm-up, after n cycles, after gc.collect()."""
    async with Browser(profile=profile, trace=False) as browser:
        ext = await browser.install(manifest=manifest(profile))
        bg = ext.background
        assert bg is not None
        bg.runtime.on_connect.add_listener(lambda port: port.post_message({"hi": 1}))

        async def one() -> None:
            tab = await browser.open_tab("https://example.com/a")
            port = tab.content_script(ext).runtime.connect(name="c")
            await tab.navigate("https://example.com/b")
            tab.content_script(ext).runtime.connect(name="d")
            await tab.close()
            assert port.disconnected

        for _ in range(50):  # warm-up
            await one()
        gc.collect()
        rss0 = rss_mib()
        t0 = now()
        for _ in range(n):
            await one()
        per = (now() - t0) / n * 1e6
        rss1 = rss_mib()
        gc.collect()
        rss2 = rss_mib()
        assert not browser._driver.router.channels and not browser._driver.router.tabs
    return per, rss0, rss1, rss2


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10x smaller")
    args = ap.parse_args()
    n = 100 if args.quick else 1000
    rounds = 5 if args.quick else 20
    rows = []
    result: list[str] = []
    for profile in PROFILES:
        v, w = await wake(profile, rounds)
        per, r0, r1, r2 = await cycles(profile, n)
        rows.append(
            [
                profile,
                f"{v * 1000:.1f}",
                f"{w:.2f}",
                f"{per:.0f}",
                f"{r0:.1f}",
                f"{r1:.1f}",
                f"{r2:.1f}",
                f"{r2 - r0:+.1f}",
            ]
        )
        result += [
            f"{profile}_wake_virtual_ms={v * 1000:.1f}",
            f"{profile}_wake_wall_ms={w:.2f}",
            f"{profile}_cycle_us={per:.0f}",
            f"{profile}_rss_growth_mib={r2 - r0:+.1f}",
        ]
    print(f"wake-up: median of {rounds}; real Chromium 150 took 41-151 ms of wall time")
    print(f"cycles: {n} x (open tab, connect, navigate, connect, close), trace off")
    print(
        table(
            [
                "profile",
                "wake virt ms",
                "wake wall ms",
                "µs/cycle",
                "RSS before MiB",
                f"RSS after {n} MiB",
                "after gc MiB",
                "growth MiB",
            ],
            rows,
        )
    )
    print("RESULT bench_lifecycle " + " ".join(result))


if __name__ == "__main__":
    asyncio.run(main())
