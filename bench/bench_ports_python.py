"""Port throughput between two Python-played contexts, against a raw-asyncio baseline.

A content script of a manifest-installed extension connects to its background; both ends
are Python listeners. Two shapes, each under the chrome and firefox profiles:

* one way: the content script posts N small messages ``{"i": n}``, then one ``settle()``;
* round trip: the content script posts, the background listener replies, the content
  script's listener posts the next one; M round trips, one ``settle()``.

The baseline, measured in the same run, is what the same shapes cost with nothing but the
event loop: ``loop.call_soon`` delivery plus a ``json.dumps`` / ``json.loads`` copy per
message. Each figure is the best of 3 runs (``time.perf_counter``); the ratio is
ours / baseline in messages per second (target >= 0.5).

    python bench/bench_ports_python.py [--quick] [--trace on|off|both] [--cprofile]

``--cprofile`` instead profiles one chrome one-way run and prints the top 15 functions by
tottime.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
from collections.abc import Awaitable, Callable
from typing import Any

from _common import PAGE_URL, PROFILES, best_of, manifest, now, si, table

from webext_runtime import Browser

RUNS = 3
TARGET = 0.5


# -- the runtime ---------------------------------------------------------------------------


async def _setup(profile: str, trace: bool) -> tuple[Browser, Any, Any]:
    """A browser, the content script's port and the background's (not yet connected) side."""
    browser = Browser(profile, trace=trace)
    ext = await browser.install(manifest=manifest(profile))
    tab = await browser.open_tab(PAGE_URL)
    cs = tab.content_script(ext)
    bg = ext.background
    assert bg is not None
    return browser, cs, bg


async def ours_one_way(profile: str, n: int, trace: bool) -> float:
    browser, cs, bg = await _setup(profile, trace)
    received = 0

    def on_message(message: Any, port: Any) -> None:
        nonlocal received
        received += 1

    bg.runtime.on_connect.add_listener(lambda port: port.on_message.add_listener(on_message))
    port = cs.runtime.connect(name="bench")
    await browser.settle()
    post = port.post_message
    t0 = now()
    for i in range(n):
        post({"i": i})
    await browser.settle()
    elapsed = now() - t0
    assert received == n, (received, n)
    await browser.close()
    return elapsed


async def ours_round_trip(profile: str, n: int, trace: bool) -> float:
    browser, cs, bg = await _setup(profile, trace)
    trips = 0

    def echo(message: Any, port: Any) -> None:
        port.post_message(message)

    def next_one(message: Any, port: Any) -> None:
        nonlocal trips
        trips += 1
        if trips < n:
            port.post_message({"i": message["i"] + 1})

    bg.runtime.on_connect.add_listener(lambda port: port.on_message.add_listener(echo))
    port = cs.runtime.connect(name="bench")
    port.on_message.add_listener(next_one)
    await browser.settle()
    t0 = now()
    port.post_message({"i": 0})
    await browser.settle()
    elapsed = now() - t0
    assert trips == n, (trips, n)
    await browser.close()
    return elapsed


# -- the baseline: call_soon + a JSON copy -----------------------------------------------------


async def baseline_one_way(n: int) -> float:
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()
    received = 0

    def on_message(message: Any, port: Any) -> None:
        nonlocal received
        received += 1
        if received == n:
            done.set_result(None)

    def deliver(payload: str) -> None:
        on_message(json.loads(payload), None)

    dumps, call_soon = json.dumps, loop.call_soon
    t0 = now()
    for i in range(n):
        call_soon(deliver, dumps({"i": i}))
    await done
    return now() - t0


async def baseline_round_trip(n: int) -> float:
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()
    trips = 0
    dumps, loads, call_soon = json.dumps, json.loads, loop.call_soon

    def post_to_bg(message: Any) -> None:
        call_soon(deliver_bg, dumps(message))

    def post_to_cs(message: Any) -> None:
        call_soon(deliver_cs, dumps(message))

    def echo(message: Any) -> None:
        post_to_cs(message)

    def next_one(message: Any) -> None:
        nonlocal trips
        trips += 1
        if trips < n:
            post_to_bg({"i": message["i"] + 1})
        else:
            done.set_result(None)

    def deliver_bg(payload: str) -> None:
        echo(loads(payload))

    def deliver_cs(payload: str) -> None:
        next_one(loads(payload))

    t0 = now()
    post_to_bg({"i": 0})
    await done
    return now() - t0


# -- driver ----------------------------------------------------------------------------------


async def run(quick: bool, traces: list[bool]) -> None:
    scale = 10 if quick else 1
    n_one, n_rt = 100_000 // scale, 10_000 // scale
    msgs = {"one": n_one, "rt": 2 * n_rt}

    async def paired(shape: str, ours: Callable[[], Awaitable[float]]) -> tuple[float, float]:
        """(best of ours, best of the baseline), runs interleaved so that load drift on a
        shared machine hits both alike."""
        baseline: Callable[[], Awaitable[float]] = (
            (lambda: baseline_one_way(n_one))
            if shape == "one"
            else (lambda: baseline_round_trip(n_rt))
        )
        best_ours = best_base = float("inf")
        for _ in range(RUNS):
            best_base = min(best_base, await best_of(1, baseline))
            best_ours = min(best_ours, await best_of(1, ours))
        return best_ours, best_base

    rows: list[list[str]] = []
    result: dict[str, str] = {}
    ok = True
    for profile in PROFILES:
        for trace in traces:
            key = profile + ("" if trace else "_notrace")
            cells = [
                ("one", "one-way", lambda p=profile, t=trace: ours_one_way(p, n_one, t)),
                ("rt", "round-trip", lambda p=profile, t=trace: ours_round_trip(p, n_rt, t)),
            ]
            for shape, label, ours in cells:
                t_ours, t_base = await paired(shape, ours)
                rate, base_rate = msgs[shape] / t_ours, msgs[shape] / t_base
                ratio = rate / base_rate
                ok = ok and ratio >= TARGET
                rows.append(
                    [
                        profile,
                        "on" if trace else "off",
                        label,
                        f"{msgs[shape]}",
                        si(rate),
                        si(base_rate),
                        f"{ratio:.3f}",
                        "ok" if ratio >= TARGET else "BELOW",
                    ]
                )
                result[f"{key}_{shape}_msgs_s"] = f"{rate:.0f}"
                result[f"{key}_{shape}_baseline_msgs_s"] = f"{base_rate:.0f}"
                result[f"{key}_{shape}_ratio"] = f"{ratio:.3f}"
    headers = ["profile", "trace", "shape", "msgs", "ours msgs/s", "baseline msgs/s", "ratio"]
    headers.append(f">={TARGET}")
    print(f"best of {RUNS}; round trip = 2 messages; one = one-way, rt = round-trip in RESULT")
    print(table(headers, rows))
    result["target"] = str(TARGET)
    result["met"] = "yes" if ok else "no"
    print("RESULT bench_ports_python " + " ".join(f"{k}={v}" for k, v in result.items()))


async def profile_hot_path(quick: bool, trace: bool) -> None:
    n = 100_000 // (10 if quick else 1)
    prof = cProfile.Profile()
    prof.enable()
    elapsed = await ours_one_way("chrome", n, trace)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(15)
    print(
        f"cProfile: chrome one-way, {n} messages, trace={'on' if trace else 'off'}, "
        f"{elapsed:.2f}s under the profiler (setup and close included below)"
    )
    print(out.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="10x smaller (smoke test)")
    ap.add_argument(
        "--trace",
        choices=("on", "off", "both"),
        default="both",
        help="Browser(trace=...): on is the default of Browser (default: both)",
    )
    ap.add_argument("--cprofile", action="store_true", help="profile chrome one-way instead")
    args = ap.parse_args()
    traces = {"on": [True], "off": [False], "both": [True, False]}[args.trace]
    if args.cprofile:
        asyncio.run(profile_hot_path(args.quick, traces[0]))
    else:
        asyncio.run(run(args.quick, traces))


if __name__ == "__main__":
    main()
