"""Port throughput between two JS realms (content script -> background), against the
Python-played path measured in the same run.

The extension is written to a temporary directory: `_common.manifest(profile)` (a service
worker under chrome, `background.scripts` under firefox; a content script on
``https://example.com/*``) with real JS files. The content script's code is started with
one ``evaluate()``; the timed region is that call plus one ``settle()``. Two shapes, each
under the chrome and firefox profiles:

* one way: the content script's JS posts N small messages ``{i: n}`` on one port; the
  background's JS ``onMessage`` listener counts them;
* round trip: the content script posts ``{i: 0}``, the background echoes each message, the
  content script's listener posts ``{i: n + 1}``; M round trips.

The Python-played figures are bench_ports_python.py's own functions (same shapes, same
message, both ends Python listeners), run interleaved with the JS runs so that load drift
on a shared machine hits both alike. Best of 3 each; ratio = JS msgs/s / Python msgs/s.

    python bench/bench_js_ports.py [--quick]
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from _common import PAGE_URL, PROFILES, cli, manifest, now, ratio_row, report
from bench_ports_python import ours_one_way, ours_round_trip

from webext_runtime import Browser

RUNS = 3

BG_JS = """
self.received = 0;
chrome.runtime.onConnect.addListener(function (port) {
  port.onMessage.addListener(function (msg) {
    self.received += 1;
    if (port.name === "rt") port.postMessage(msg);
  });
});
"""

CS_JS = """
self.oneWay = function (n) {
  var port = chrome.runtime.connect({name: "one"});
  for (var i = 0; i < n; i++) port.postMessage({i: i});
  return n;
};
self.roundTrip = function (n) {
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


def write_extension(profile: str, root: Path) -> Path:
    d = root / profile
    d.mkdir(parents=True, exist_ok=True)
    (d / "manifest.json").write_text(json.dumps(manifest(profile)))
    (d / "bg.js").write_text(BG_JS)
    (d / "cs.js").write_text(CS_JS)
    return d


async def _setup(directory: Path, profile: str) -> tuple[Browser, Any, Any]:
    browser = Browser(profile)
    ext = await browser.install(directory)
    tab = await browser.open_tab(PAGE_URL)
    return browser, ext.background, tab.content_script(ext)


async def js_one_way(directory: Path, profile: str, n: int) -> float:
    browser, bg, cs = await _setup(directory, profile)
    t0 = now()
    await cs.evaluate(f"oneWay({n})")
    await browser.settle()
    elapsed = now() - t0
    got = await bg.evaluate("self.received")
    assert got == n, (got, n)
    assert not browser.script_errors, browser.script_errors
    await browser.close()
    return elapsed


async def js_round_trip(directory: Path, profile: str, n: int) -> float:
    browser, bg, cs = await _setup(directory, profile)
    t0 = now()
    await cs.evaluate(f"roundTrip({n})")
    await browser.settle()
    elapsed = now() - t0
    got = [await cs.evaluate("self.trips"), await bg.evaluate("self.received")]
    assert got == [n, n], (got, n)
    assert not browser.script_errors, browser.script_errors
    await browser.close()
    return elapsed


async def run(quick: bool) -> None:
    scale = 10 if quick else 1
    n_one, n_rt = 10_000 // scale, 1_000 // scale
    msgs = {"one": n_one, "rt": 2 * n_rt}
    rows: list[list[str]] = []
    result: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-js-ports-") as tmp:
        for profile in PROFILES:
            directory = write_extension(profile, Path(tmp))
            shapes = [
                (
                    "one",
                    "one-way",
                    lambda p=profile, d=directory: js_one_way(d, p, n_one),
                    lambda p=profile: ours_one_way(p, n_one, True),
                ),
                (
                    "rt",
                    "round-trip",
                    lambda p=profile, d=directory: js_round_trip(d, p, n_rt),
                    lambda p=profile: ours_round_trip(p, n_rt, True),
                ),
            ]
            for shape, label, js, py in shapes:
                best_js = best_py = float("inf")
                for _ in range(RUNS):
                    best_py = min(best_py, await py())
                    best_js = min(best_js, await js())
                ratio_row(
                    rows,
                    result,
                    (profile, label, msgs[shape]),
                    msgs[shape] / best_js,
                    msgs[shape] / best_py,
                    (
                        f"{profile}_{shape}_msgs_s",
                        f"{profile}_{shape}_python_msgs_s",
                        f"{profile}_{shape}_ratio",
                    ),
                )
    headers = ["profile", "shape", "msgs", "JS msgs/s", "Python msgs/s", "JS/Python", "µs/msg"]
    report(
        "bench_js_ports",
        f"best of {RUNS}; round trip = 2 messages; trace on (Browser's default)",
        headers,
        rows,
        result,
    )


if __name__ == "__main__":
    cli(run, __doc__)
