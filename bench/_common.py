"""Shared helpers of the benchmark scripts (not a test module; no pytest here)."""

from __future__ import annotations

import gc
import time
from collections.abc import Awaitable, Callable
from typing import Any

PROFILES = ("chrome", "firefox")
PAGE_URL = "https://example.com/"


def manifest(profile: str) -> dict[str, Any]:
    """An MV3 manifest: a background and a content script matching ``PAGE_URL``.

    Chrome runs a service worker; Firefox refuses ``background.service_worker`` and takes
    ``background.scripts`` (an event page).
    """
    background: dict[str, Any] = (
        {"service_worker": "bg.js"} if profile == "chrome" else {"scripts": ["bg.js"]}
    )
    return {
        "manifest_version": 3,
        "name": "bench",
        "version": "1.0",
        "background": background,
        "content_scripts": [{"matches": ["https://example.com/*"], "js": ["cs.js"]}],
    }


async def best_of(runs: int, once: Callable[[], Awaitable[float]]) -> float:
    """The smallest of ``runs`` timings (seconds); a full GC before each run."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        best = min(best, await once())
    return best


def now() -> float:
    return time.perf_counter()


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain left/right aligned text table (numbers right-aligned)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def fmt(cells: list[str]) -> str:
        out = []
        for i, c in enumerate(cells):
            numeric = c[:1].isdigit() or c[:1] == "-"
            out.append(c.rjust(widths[i]) if numeric else c.ljust(widths[i]))
        return "  ".join(out).rstrip()

    lines = [fmt(headers), fmt(["-" * w for w in widths])]
    lines += [fmt(r) for r in rows]
    return "\n".join(lines)


def si(x: float) -> str:
    """A rate with thousands separators (no decimals)."""
    return f"{x:,.0f}"


def ratio_row(
    rows: list[list[str]],
    result: dict[str, str],
    cells: tuple[str, str, int],
    rate: float,
    base: float,
    keys: tuple[str, str, str],
) -> float:
    """Append a ``profile, label, count, rate, baseline, ratio, µs`` row and its RESULT keys."""
    profile, label, count = cells
    ratio = rate / base
    rows.append(
        [profile, label, f"{count}", si(rate), si(base), f"{ratio:.3f}", f"{1e6 / rate:.1f}"]
    )
    result[keys[0]] = f"{rate:.0f}"
    result[keys[1]] = f"{base:.0f}"
    result[keys[2]] = f"{ratio:.3f}"
    return ratio


def report(
    name: str, note: str, headers: list[str], rows: list[list[str]], result: dict[str, str]
) -> None:
    """Print the note, the table and the final ``RESULT <name> k=v ...`` line."""
    print(note)
    print(table(headers, rows))
    print(f"RESULT {name} " + " ".join(f"{k}={v}" for k, v in result.items()))


def cli(run: Callable[[bool], Awaitable[None]], doc: str | None) -> None:
    """``python bench/<name>.py [--quick]``."""
    import argparse
    import asyncio

    ap = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    ap.add_argument("--quick", action="store_true", help="10x smaller (smoke test)")
    args = ap.parse_args()
    asyncio.run(run(args.quick))
