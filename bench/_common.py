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
