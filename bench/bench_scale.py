"""How connect cost and memory grow with the number of open ports on one background.

Two shapes, each at a small N (100) and a large N (10,000), under chrome and firefox:

* one tab: ONE tab's content script connects N ports to its background;
* N tabs: N tabs are opened (timed on its own: the per-tab cost), then each tab's content
  script connects once.

For each: the per-port connect cost in µs (N ``runtime.connect`` calls plus one
``settle()`` that dispatches every ``onConnect``, divided by N; best of 5), the ratio of the
large-N cost to the small-N cost (target <= 1.5: connecting must not get slower as ports
accumulate) and the memory each open channel holds (tracemalloc, in a separate run: the
traced-memory delta of connect + settle divided by N, both ends' Port objects, the router's
channel and trace records included).

    python bench/bench_scale.py [--quick] [--no-trace]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

from _common import PAGE_URL, PROFILES, manifest, now, table

from webext_runtime import Browser

RUNS = 5
TARGET = 1.5


class Result:
    """One measured run: seconds (or bytes) of each phase."""

    def __init__(self) -> None:
        self.tabs = 0.0  # opening the tabs (N-tabs shape only)
        self.connect = 0.0  # N connects + settle
        self.close = 0.0  # Browser.close()


async def _browser(profile: str, trace: bool) -> tuple[Browser, Any]:
    browser = Browser(profile, trace=trace)
    ext = await browser.install(manifest=manifest(profile))
    bg = ext.background
    assert bg is not None
    accepted: list[Any] = []
    bg.runtime.on_connect.add_listener(accepted.append)
    return browser, ext


async def one_tab(profile: str, n: int, trace: bool, measure: Callable[[], float]) -> Result:
    """One content script opens ``n`` ports to its background."""
    browser, ext = await _browser(profile, trace)
    tab = await browser.open_tab(PAGE_URL)
    runtime = tab.content_script(ext).runtime
    res = Result()
    gc.collect()
    t0 = measure()
    ports = [runtime.connect(name="p") for _ in range(n)]
    await browser.settle()
    res.connect = measure() - t0
    assert len(browser._driver.router.channels) == n and not ports[-1].disconnected
    t0 = now()
    await browser.close()
    res.close = now() - t0
    return res


async def n_tabs(profile: str, n: int, trace: bool, measure: Callable[[], float]) -> Result:
    """``n`` tabs, each content script connecting once."""
    browser, ext = await _browser(profile, trace)
    res = Result()
    gc.collect()
    t0 = measure()
    tabs = [await browser.open_tab(PAGE_URL) for _ in range(n)]
    res.tabs = measure() - t0
    runtimes = [t.content_script(ext).runtime for t in tabs]
    gc.collect()
    t0 = measure()
    ports = [rt.connect(name="p") for rt in runtimes]
    await browser.settle()
    res.connect = measure() - t0
    assert len(browser._driver.router.channels) == n and not ports[-1].disconnected
    t0 = now()
    await browser.close()
    res.close = now() - t0
    return res


Shape = Callable[[str, int, bool, Callable[[], float]], Awaitable[Result]]


async def timed(shape: Shape, profile: str, n: int, trace: bool) -> Result:
    """Best of RUNS, phase by phase."""
    best = Result()
    best.tabs = best.connect = best.close = float("inf")
    for _ in range(RUNS):
        r = await shape(profile, n, trace, now)
        best.tabs = min(best.tabs, r.tabs)
        best.connect = min(best.connect, r.connect)
        best.close = min(best.close, r.close)
    return best


def _traced() -> float:
    gc.collect()
    return float(tracemalloc.get_traced_memory()[0])


async def memory(shape: Shape, profile: str, n: int, trace: bool) -> Result:
    """Bytes held per phase (tracemalloc current-size deltas)."""
    tracemalloc.start()
    try:
        return await shape(profile, n, trace, _traced)
    finally:
        tracemalloc.stop()


async def run(quick: bool, trace: bool) -> None:
    small, large = (10, 1_000) if quick else (100, 10_000)
    shapes: list[tuple[str, Shape]] = [("one-tab", one_tab), ("n-tabs", n_tabs)]
    rows: list[list[str]] = []
    result: dict[str, str] = {"n_small": str(small), "n_large": str(large)}
    ok = True
    for profile in PROFILES:
        for label, shape in shapes:
            t_small = await timed(shape, profile, small, trace)
            t_large = await timed(shape, profile, large, trace)
            mem = await memory(shape, profile, large, trace)
            us_small = t_small.connect / small * 1e6
            us_large = t_large.connect / large * 1e6
            ratio = us_large / us_small
            ok = ok and ratio <= TARGET
            per_chan = mem.connect / large
            tab_cells = ["-", "-", "-", "-"]
            if label == "n-tabs":
                tab_small = t_small.tabs / small * 1e6
                tab_large = t_large.tabs / large * 1e6
                tab_cells = [
                    f"{tab_small:.1f}",
                    f"{tab_large:.1f}",
                    f"{tab_large / tab_small:.2f}",
                    f"{mem.tabs / large / 1024:.1f}",
                ]
                result[f"{profile}_tab_open_ratio"] = f"{tab_large / tab_small:.2f}"
                result[f"{profile}_tab_kib"] = f"{mem.tabs / large / 1024:.1f}"
            rows.append(
                [
                    profile,
                    label,
                    f"{us_small:.1f}",
                    f"{us_large:.1f}",
                    f"{ratio:.2f}",
                    "ok" if ratio <= TARGET else "ABOVE",
                    f"{per_chan:,.0f}",
                    *tab_cells,
                    f"{t_large.close * 1e6 / large:.1f}",
                ]
            )
            key = f"{profile}_{label.replace('-', '')}"
            result[f"{key}_us_small"] = f"{us_small:.1f}"
            result[f"{key}_us_large"] = f"{us_large:.1f}"
            result[f"{key}_ratio"] = f"{ratio:.2f}"
            result[f"{key}_bytes_per_channel"] = f"{per_chan:.0f}"
    headers = [
        "profile",
        "shape",
        f"µs/port@{small}",
        f"µs/port@{large}",
        "ratio",
        f"<={TARGET}",
        "B/channel",
        f"µs/tab@{small}",
        f"µs/tab@{large}",
        "tab ratio",
        "KiB/tab",
        f"close µs/port@{large}",
    ]
    print(f"trace={'on' if trace else 'off'}; best of {RUNS}; memory by tracemalloc at N={large}")
    print(table(headers, rows))
    result["trace"] = "on" if trace else "off"
    result["target"] = str(TARGET)
    result["met"] = "yes" if ok else "no"
    print("RESULT bench_scale " + " ".join(f"{k}={v}" for k, v in result.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="10x smaller (smoke test)")
    ap.add_argument("--no-trace", action="store_true", help="Browser(trace=False)")
    args = ap.parse_args()
    asyncio.run(run(args.quick, not args.no_trace))


if __name__ == "__main__":
    main()
