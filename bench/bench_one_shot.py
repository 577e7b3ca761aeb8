"""One-shot round trips (``runtime.sendMessage`` answered by ``sendResponse``) against port
round trips, in the same run, Python-played and JS.

A content script sends to its background; the background's ``onMessage`` listener answers
with ``sendResponse(message)``. Each next message is sent when the previous reply arrives
(sequential, like the browsers' measured 1,000-round-trip scenario). The port figure is
the same shape over one ``runtime.connect`` port (the background echoes each message).

* Python: ``await cs.runtime.send_message({"i": n})`` N times; the port side is
  ``bench_ports_python.ours_round_trip``.
* JS: the content script's code chains ``chrome.runtime.sendMessage(msg, callback)``
  (callback form: the same in both profiles) from one ``evaluate()``, then one ``settle()``;
  the port side chains ``port.postMessage`` from ``port.onMessage``.

Best of 3 each, interleaved (port run, one-shot run, ×3) so load drift hits both alike.
Reported in round trips/s; ratio = one-shot / port. Real browsers for reference
(shared/observations): Chromium ~450–730 sendMessage round trips/s vs ~1.4k–1.9k port round
trips/s; Firefox 720/s vs 1,511/s.

    python bench/bench_one_shot.py [--quick]
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from _common import PAGE_URL, PROFILES, cli, manifest, now, ratio_row, report
from bench_ports_python import ours_round_trip

from webext_runtime import Browser

RUNS = 3

BG_JS = """
self.received = 0;
chrome.runtime.onMessage.addListener(function (msg, sender, sendResponse) {
  self.received += 1;
  sendResponse(msg);
});
chrome.runtime.onConnect.addListener(function (port) {
  port.onMessage.addListener(function (msg) { self.received += 1; port.postMessage(msg); });
});
"""

CS_JS = """
self.oneShot = function (n) {
  self.trips = 0;
  var step = function (reply) {
    self.trips += 1;
    if (self.trips < n) chrome.runtime.sendMessage({i: reply.i + 1}, step);
  };
  chrome.runtime.sendMessage({i: 0}, step);
  return n;
};
self.portTrips = function (n) {
  self.trips = 0;
  var port = chrome.runtime.connect({name: "rt"});
  port.onMessage.addListener(function (msg) {
    self.trips += 1;
    if (self.trips < n) port.postMessage({i: msg.i + 1});
  });
  port.postMessage({i: 0});
  return n;
};
"""


# -- Python-played -----------------------------------------------------------------------------


async def py_one_shot(profile: str, n: int) -> float:
    browser = Browser(profile)
    ext = await browser.install(manifest=manifest(profile))
    tab = await browser.open_tab(PAGE_URL)
    cs = tab.content_script(ext)
    bg = ext.background
    assert bg is not None
    bg.runtime.on_message.add_listener(lambda m, s, respond: respond(m))
    await browser.settle()
    reply: Any = {"i": -1}
    t0 = now()
    for _ in range(n):
        reply = await cs.runtime.send_message({"i": reply["i"] + 1})
    elapsed = now() - t0
    assert reply == {"i": n - 1}, reply
    await browser.close()
    return elapsed


# -- JS ----------------------------------------------------------------------------------------


def write_extension(profile: str, root: Path) -> Path:
    d = root / profile
    d.mkdir(parents=True, exist_ok=True)
    (d / "manifest.json").write_text(json.dumps(manifest(profile)))
    (d / "bg.js").write_text(BG_JS)
    (d / "cs.js").write_text(CS_JS)
    return d


async def js_run(directory: Path, profile: str, fn: str, n: int) -> float:
    browser = Browser(profile)
    ext = await browser.install(directory)
    tab = await browser.open_tab(PAGE_URL)
    cs = tab.content_script(ext)
    await browser.settle()
    t0 = now()
    await cs.evaluate(f"{fn}({n})")
    await browser.settle()
    elapsed = now() - t0
    assert await cs.evaluate("self.trips") == n
    assert not browser.script_errors, browser.script_errors
    await browser.close()
    return elapsed


async def run(quick: bool) -> None:
    scale = 10 if quick else 1
    n = 2_000 // scale
    rows: list[list[str]] = []
    result: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-one-shot-") as tmp:
        for profile in PROFILES:
            directory = write_extension(profile, Path(tmp))
            sides = [
                (
                    "python",
                    lambda p=profile: py_one_shot(p, n),
                    lambda p=profile: ours_round_trip(p, n, True),
                ),
                (
                    "js",
                    lambda p=profile, d=directory: js_run(d, p, "oneShot", n),
                    lambda p=profile, d=directory: js_run(d, p, "portTrips", n),
                ),
            ]
            for side, one_shot, port in sides:
                best_one = best_port = float("inf")
                for _ in range(RUNS):
                    best_port = min(best_port, await port())
                    best_one = min(best_one, await one_shot())
                ratio_row(
                    rows,
                    result,
                    (profile, side, n),
                    n / best_one,
                    n / best_port,
                    (
                        f"{profile}_{side}_one_shot_rt_s",
                        f"{profile}_{side}_port_rt_s",
                        f"{profile}_{side}_ratio",
                    ),
                )
    headers = ["profile", "played", "trips", "one-shot rt/s", "port rt/s", "one/port", "µs/trip"]
    report(
        "bench_one_shot",
        f"best of {RUNS}; sequential round trips; trace on (Browser's default)",
        headers,
        rows,
        result,
    )


if __name__ == "__main__":
    cli(run, __doc__)
