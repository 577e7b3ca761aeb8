"""Native echo round trips over a ``connectNative`` port against the same framing over a
raw asyncio subprocess pipe, in the same run.

The host is one small echo program (standard library only: 4-byte native-order length +
compact JSON, answer each message with itself), started once per run; its start-up and
one warm-up round trip are outside the timed region. N sequential round trips of
``{"i": n}``:

* runtime, Python-played: a background's ``connect_native`` port; its ``on_message``
  listener posts the next message; one ``settle()`` (which waits, in real time, for the
  host's answers);
* runtime, JS: the same chain in the background's JS (``port.onMessage`` →
  ``port.postMessage``), started by one ``evaluate()``, then one ``settle()``;
* baseline: ``asyncio.create_subprocess_exec`` with pipes, ``write`` a frame,
  ``readexactly`` the answer, ``json.loads`` it, N times.

Best of 3 each, interleaved with the baseline; ratio = runtime / baseline in round trips/s
(target >= 0.5).

    python bench/bench_native.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import struct
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import PROFILES, now, ratio_row, report

from webext_runtime import Browser

RUNS = 3
TARGET = 0.5
NAME = "com.bench.echo"
GECKO_ID = "bench-native@test"
HEADER = struct.Struct("=I")

ECHO_HOST = """\
import sys
read, write, flush = sys.stdin.buffer.read, sys.stdout.buffer.write, sys.stdout.buffer.flush
while True:
    header = read(4)
    if len(header) < 4:
        break
    body = read(int.from_bytes(header, sys.byteorder))
    write(header + body)
    flush()
"""

BG_JS = """
var port = null;
var onReply = null;
self.openPort = function () {
  // connect and wait for one answer: the host is started and warm
  return new Promise(function (resolve) {
    port = chrome.runtime.connectNative("com.bench.echo");
    port.onMessage.addListener(function (msg) { onReply(msg); });
    onReply = function () { resolve(true); };
    port.postMessage({i: -1});
  });
};
self.nativeTrips = function (n) {
  return new Promise(function (resolve) {
    var trips = 0;
    onReply = function (msg) {
      trips += 1;
      if (trips < n) port.postMessage({i: msg.i + 1});
      else resolve(trips);
    };
    port.postMessage({i: 0});
  });
};
"""


def write_fixture(root: Path, profile: str) -> tuple[Path, Path]:
    """The host, its manifest directory and a JS extension directory."""
    host = root / "echo_host.py"
    host.write_text(f"#!{sys.executable}\n" + ECHO_HOST)
    host.chmod(0o755)
    ext = root / f"ext-{profile}"
    ext.mkdir(exist_ok=True)
    manifest: dict[str, Any] = {
        "manifest_version": 2,
        "name": "bench-native",
        "version": "1",
        "permissions": ["nativeMessaging"],
        "background": {"scripts": ["bg.js"]},
        "browser_specific_settings": {"gecko": {"id": GECKO_ID}},
    }
    (ext / "manifest.json").write_text(json.dumps(manifest))
    (ext / "bg.js").write_text(BG_JS)
    return host, ext


def write_host_manifest(root: Path, profile: str, host: Path, ext_id: str) -> Path:
    d = root / f"manifests-{profile}"
    d.mkdir(exist_ok=True)
    hm: dict[str, Any] = {"name": NAME, "description": "bench", "path": str(host), "type": "stdio"}
    if profile == "chrome":
        hm["allowed_origins"] = [f"chrome-extension://{ext_id}/"]
    else:
        hm["allowed_extensions"] = [GECKO_ID]
    (d / f"{NAME}.json").write_text(json.dumps(hm))
    return d


async def ours_python(root: Path, profile: str, host: Path, n: int) -> float:
    browser = Browser(profile, native_hosts=[root / f"manifests-{profile}"])
    ext = await browser.install(
        manifest={
            "manifest_version": 2,
            "name": "bench-native-py",
            "version": "1",
            "permissions": ["nativeMessaging"],
            "background": {"scripts": ["bg.js"]},
            "browser_specific_settings": {"gecko": {"id": GECKO_ID}},
        }
    )
    write_host_manifest(root, profile, host, ext.id)
    bg = ext.background
    assert bg is not None
    port = bg.runtime.connect_native(NAME)
    port.post_message({"i": -1})
    assert await port.next_message() == {"i": -1}  # started and warm
    trips = 0

    def next_one(message: Any, p: Any) -> None:
        nonlocal trips
        trips += 1
        if trips < n:
            p.post_message({"i": message["i"] + 1})

    port.on_message.add_listener(next_one)
    t0 = now()
    port.post_message({"i": 0})
    await browser.settle()
    elapsed = now() - t0
    assert trips == n, (trips, n)
    await browser.close()
    return elapsed


async def ours_js(root: Path, profile: str, host: Path, ext_dir: Path, n: int) -> float:
    browser = Browser(profile, native_hosts=[root / f"manifests-{profile}"])
    ext = await browser.install(ext_dir)
    write_host_manifest(root, profile, host, ext.id)
    bg = ext.background
    assert bg is not None
    # warm-up: the host is started and answered once before the clock starts
    assert await bg.evaluate("openPort()") is True
    t0 = now()
    got = await bg.evaluate(f"nativeTrips({n})")
    elapsed = now() - t0
    assert got == n, (got, n)
    await browser.close()
    return elapsed


async def baseline(host: Path, n: int) -> float:
    proc = await asyncio.create_subprocess_exec(
        str(host), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout

    async def trip(message: Any) -> Any:
        body = json.dumps(message, separators=(",", ":")).encode()
        stdin.write(HEADER.pack(len(body)) + body)
        (size,) = HEADER.unpack(await stdout.readexactly(4))
        return json.loads(await stdout.readexactly(size))

    assert await trip({"i": -1}) == {"i": -1}  # warm
    t0 = now()
    reply: Any = {"i": -1}
    for _ in range(n):
        reply = await trip({"i": reply["i"] + 1})
    elapsed = now() - t0
    assert reply == {"i": n - 1}
    stdin.close()
    await proc.wait()
    return elapsed


async def run(quick: bool) -> None:
    scale = 10 if quick else 1
    n = 5_000 // scale
    rows: list[list[str]] = []
    result: dict[str, str] = {}
    met = True
    with tempfile.TemporaryDirectory(prefix="bench-native-") as tmp:
        root = Path(tmp)
        for profile in PROFILES:
            host, ext_dir = write_fixture(root, profile)
            write_host_manifest(root, profile, host, "a" * 32)
            sides = [
                ("python", lambda p=profile, h=host: ours_python(root, p, h, n)),
                ("js", lambda p=profile, h=host, d=ext_dir: ours_js(root, p, h, d, n)),
            ]
            for side, ours in sides:
                best = best_base = float("inf")
                for _ in range(RUNS):
                    best_base = min(best_base, await baseline(host, n))
                    best = min(best, await ours())
                ratio = ratio_row(
                    rows,
                    result,
                    (profile, side, n),
                    n / best,
                    n / best_base,
                    (
                        f"{profile}_{side}_rt_s",
                        f"{profile}_{side}_baseline_rt_s",
                        f"{profile}_{side}_ratio",
                    ),
                )
                met = met and ratio >= TARGET
    headers = ["profile", "played", "trips", "runtime rt/s", "raw pipe rt/s", "ratio", "µs/trip"]
    result["met"] = "yes" if met else "no"
    report(
        "bench_native",
        f"best of {RUNS}; sequential echo round trips; target ratio >= {TARGET}",
        headers,
        rows,
        result,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="10x smaller (smoke test)")
    args = ap.parse_args()
    asyncio.run(run(args.quick))


if __name__ == "__main__":
    main()
