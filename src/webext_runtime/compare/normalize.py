"""Normalisation of traces and the per-context comparison.

What legitimately differs between two runs of the same scenario, and is replaced:

* extension ids and ``moz-extension://`` UUIDs → ``<id:NAME>`` / ``<uuid:NAME>`` (NAME = the
  manifest name; every TRACE record carries its own extension's id and base URL);
* the local server's port (``127.0.0.1:PORT``, ``localhost:PORT``) → ``<port>``;
* tab and window ids (keys ``tabId``, ``windowId``, ``id`` inside a ``tab`` object) → rank
  among the ids seen (``<tab:1>`` is the lowest id): browsers hand out increasing ids, the
  values themselves are random in Chromium;
* frame ids other than 0 and -1 → rank (Chromium numbers iframes from an internal counter,
  Firefox uses large outer-window ids);
* ``documentId`` → its format only (``<document-id:hex32>`` Chromium, ``<document-id:uuid>``
  Firefox): the values are random per document;
* times (``lastAccessed``, keys ``t``, ``time``, ``timeStamp``) → ``<time>``;
* ``contextId`` (Firefox sender) → ``<context-id>``: a random per-context id;
* a ``tab`` object's ``width``/``height`` → ``<size>`` (the harness's window size) and
  ``status`` → ``<status>`` (``loading``/``complete`` depends on when the page's load finished
  relative to the event: a real race);
* ``openerTabId`` is dropped from tab objects and tab key lists: Playwright opens tabs from
  the first one, real users' tabs (and webext-runtime's) have no opener.

Comparison: the order of events *within* one context is exact in every browser, across
contexts it is not (measured: the same run in Chromium interleaves worker and page differently
from one launch to the next), so each context's sequence is compared on its own. Non-TRACE
console lines of level error/warning are compared as a multiset (Chromium only: Firefox does
not hand over extension consoles).
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from .result import RunResult

Trace = dict[str, list[dict[str, Any]]]

_PORT = re.compile(r"\b(127\.0\.0\.1|localhost):\d+")
_MOZ = re.compile(r"moz-extension://([0-9a-f-]{36})")
_HEX32 = re.compile(r"^[0-9A-F]{32}$")
_UUID = re.compile(r"^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$", re.I)
_TIME_KEYS = {"lastAccessed", "t", "time", "timeStamp"}
_TAB_SHAPE = {"id", "index", "windowId"}
CONSOLE_LEVELS = {"error", "warning", "warn"}
_CONSOLE_NOISE = ("Failed to load resource", "favicon")


class _Ctx:
    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.ids: dict[str, str] = {}
        self.uuids: dict[str, str] = {}
        for r in records:
            s = r.get("s") or {}
            name = str(s.get("name", "?"))
            if s.get("id") and s.get("id") != "?":
                self.ids[str(s["id"])] = name
            mt = _MOZ.match(str(s.get("base", "")))
            if mt:
                self.uuids[mt.group(1)] = name
        self.tabs: set[int] = set()
        self.windows: set[int] = set()
        self.frames: set[int] = set()

    def text(self, v: str) -> str:
        v = _PORT.sub(lambda m: f"{m.group(1)}:<port>", v)
        v = _MOZ.sub(lambda m: f"moz-extension://<uuid:{self.uuids.get(m.group(1), '?')}>", v)
        for ext_id, name in sorted(self.ids.items(), key=lambda kv: -len(kv[0])):
            if ext_id in v:
                v = v.replace(ext_id, f"<id:{name}>")
        return v

    # pass 1: collect ids so ranks do not depend on the order of appearance
    def collect(self, v: Any, key: str = "", parent: str = "") -> None:
        if isinstance(v, dict):
            is_tab = parent == "tab" or set(v) >= _TAB_SHAPE
            for k, x in v.items():
                if isinstance(x, int) and not isinstance(x, bool):
                    if k == "tabId" or (is_tab and k == "id"):
                        self.tabs.add(x)
                    elif k == "windowId":
                        self.windows.add(x)
                    elif k in ("frameId", "parentFrameId") and x > 0:
                        self.frames.add(x)
                self.collect(x, k, key)
        elif isinstance(v, list):
            for x in v:
                self.collect(x, key, parent)

    def value(self, v: Any, key: str = "", parent: str = "") -> Any:
        if isinstance(v, dict):
            is_tab = parent == "tab" or key == "tab" or set(v) >= _TAB_SHAPE
            out: dict[str, Any] = {}
            for k, x in v.items():
                if is_tab and k == "openerTabId":
                    continue
                out[k] = self.field(k, x, is_tab, key)
            return out
        if isinstance(v, list):
            items = [self.value(x, key, parent) for x in v]
            if key in ("tabKeys",) or (
                items and all(isinstance(i, str) for i in items) and "windowId" in items
            ):
                items = [i for i in items if i != "openerTabId"]
            return items
        if isinstance(v, str):
            return self.text(v)
        return v

    def field(self, k: str, x: Any, is_tab: bool, parent: str) -> Any:
        if isinstance(x, bool) or x is None:
            return x
        if k in _TIME_KEYS and isinstance(x, int | float):
            return "<time>"
        if isinstance(x, int):
            if k == "tabId" or (is_tab and k == "id"):
                return f"<tab:{sorted(self.tabs).index(x) + 1}>" if x in self.tabs else x
            if k == "windowId":
                return f"<window:{sorted(self.windows).index(x) + 1}>" if x in self.windows else x
            if k in ("frameId", "parentFrameId") and x in self.frames:
                return f"<frame:{sorted(self.frames).index(x) + 1}>"
            if is_tab and k in ("width", "height"):
                return "<size>"
        if k == "documentId" and isinstance(x, str):
            fmt = "hex32" if _HEX32.match(x) else "uuid" if _UUID.match(x) else "other"
            return f"<document-id:{fmt}>"
        if k == "contextId" and isinstance(x, str | int):
            return "<context-id>"
        if is_tab and k == "status" and isinstance(x, str):
            return "<status>"
        return self.value(x, k, "tab" if is_tab else parent)


def normalize(result: RunResult) -> dict[str, Any]:
    """``{"trace": {context: [{"e": event, "d": data}, ...]}, "console": [[level, text]]}``."""
    records = sorted(result.records, key=lambda r: (str(r.get("c")), int(r.get("n") or 0)))
    nz = _Ctx(records)
    for r in records:
        nz.collect(r.get("d"))
    trace: Trace = {}
    for r in records:
        ctx = nz.text(str(r.get("c")))
        trace.setdefault(ctx, []).append({"e": r.get("e"), "d": nz.value(r.get("d"))})
    console: list[list[str]] = []
    for c in result.console:
        level = "warning" if c["level"] == "warn" else c["level"]
        if level not in CONSOLE_LEVELS or any(n in c["text"] for n in _CONSOLE_NOISE):
            continue
        text = nz.text(c["text"].split("\n    at ", 1)[0])
        console.append([level, text])
    console.sort()
    return {"trace": trace, "console": console}


def _lines(events: list[dict[str, Any]]) -> list[str]:
    return [
        f"{ev['e']} {json.dumps(ev['d'], sort_keys=False, ensure_ascii=False)}" for ev in events
    ]


def diff(
    expected: dict[str, Any],
    actual: dict[str, Any],
    *,
    expected_label: str = "browser",
    actual_label: str = "webext-runtime",
    compare_console: bool = True,
) -> list[str]:
    """A readable diff, per context; empty when the normalised traces are the same."""
    out: list[str] = []
    et: Trace = expected.get("trace", {})
    at: Trace = actual.get("trace", {})
    for ctx in sorted(set(et) | set(at)):
        a, b = et.get(ctx), at.get(ctx)
        if a is None:
            out.append(f"context {ctx}: only in {actual_label} ({len(b or [])} events)")
            out += [f"  + {line}" for line in _lines(b or [])]
            continue
        if b is None:
            out.append(f"context {ctx}: only in {expected_label} ({len(a)} events)")
            out += [f"  - {line}" for line in _lines(a)]
            continue
        if a == b:
            continue
        out.append(f"context {ctx}:")
        out += [
            "  " + line.rstrip("\n")
            for line in difflib.unified_diff(
                _lines(a), _lines(b), expected_label, actual_label, n=2, lineterm=""
            )
        ]
    if compare_console and "console" in expected and expected["console"] != actual.get("console"):
        out.append("console errors/warnings (other than TRACE lines):")
        out += [
            "  " + line
            for line in difflib.unified_diff(
                [" ".join(x) for x in expected["console"]],
                [" ".join(x) for x in actual.get("console", [])],
                expected_label,
                actual_label,
                lineterm="",
            )
        ]
    return out
