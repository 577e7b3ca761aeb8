"""What a runner hands back, and TRACE-line parsing shared by all runners."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

TRACE_PREFIX = "TRACE "
FAKE_PORT = 8000  # the "server port" webext-runtime pretends to use (normalised away)


class SetupError(Exception):
    """The comparison cannot run here (missing browser, Playwright, ...): exit code 2."""


@dataclass
class RunResult:
    browser: str  # "chromium", "firefox", "webext-runtime"
    profile: str  # "chrome" or "firefox"
    version: str
    records: list[dict[str, Any]] = field(default_factory=list)  # TRACE records {c, n, e, d, s}
    console: list[dict[str, str]] = field(
        default_factory=list
    )  # other lines {context, level, text}
    notes: list[str] = field(default_factory=list)

    def add_console_text(self, context: str, level: str, text: str) -> None:
        rec = parse_trace_line(text)
        if rec is not None:
            self.records.append(rec)
        else:
            self.console.append({"context": context, "level": level, "text": text})


def parse_trace_line(text: str) -> dict[str, Any] | None:
    if not text.startswith(TRACE_PREFIX):
        return None
    try:
        rec = json.loads(text[len(TRACE_PREFIX) :])
    except ValueError:
        return None
    return rec if isinstance(rec, dict) and "c" in rec and "e" in rec else None


def merge_records(*sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per (context, sequence number): console capture and HTTP reports of the
    same event are the same record."""
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    for src in sources:
        for rec in src:
            key = (str(rec.get("c")), int(rec.get("n") or 0))
            seen.setdefault(key, rec)
    return sorted(seen.values(), key=lambda r: (str(r.get("c")), int(r.get("n") or 0)))
