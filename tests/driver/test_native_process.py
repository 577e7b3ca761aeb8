"""NativeHostProcess against real host processes written with ``webext_runtime.native``."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from webext_runtime._driver.native import KillSchedule, NativeHostProcess

NATIVE_PY = Path(__file__).resolve().parents[2] / "src" / "webext_runtime" / "native.py"

# Loads the public library by file path: importing the package would pull in the whole
# runtime and slow every host start by ~0.3 s.
PRELUDE = f"""\
import importlib.util, json, os, signal, struct, sys, time
_spec = importlib.util.spec_from_file_location("wxnative", {str(NATIVE_PY)!r})
native = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(native)
def raw(payload):
    sys.stdout.buffer.write(struct.pack("=I", len(payload)) + payload)
    sys.stdout.buffer.flush()
"""

HOSTS = {
    "echo": """
while True:
    m = native.read_message(eof=native.EOF)
    if m is native.EOF:
        break
    native.write_message(m)
""",
    "info": """
native.write_message({"argv": sys.argv, "cwd": os.getcwd()})
native.run(lambda m: None)
""",
    "exit": """
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
""",
    "reply_then_crash": """
m = native.read_message()
native.write_message({"got": m})
os._exit(3)
""",
    "kill_self": """
native.read_message()
native.write_message("bye")
os.kill(os.getpid(), signal.SIGKILL)
""",
    "invalid_json": """
raw(b"{not json")
raw(b"NaN")
raw(b"\\xff\\xfe")
native.write_message("after")
native.run(lambda m: m)
""",
    "empty_frame": """
raw(b"")
native.write_message("after")
native.run(lambda m: m)
""",
    "exactly_1mib": """
s = "x" * (1048576 - 2)
native.write_message(s)
native.run(lambda m: m)
""",
    "too_big": """
s = json.dumps("x" * (1048577 - 2)).encode()
assert len(s) == 1048577
raw(s)
sys.stderr.write("WROTE-ALL\\n"); sys.stderr.flush()
native.run(lambda m: m)
""",
    "truncated": """
sys.stdout.buffer.write(struct.pack("=I", 100) + b'"partial"')
sys.stdout.buffer.flush()
native.read_message()
""",
    "no_read": """
native.write_message("ready")
while True:
    time.sleep(0.05)
""",
    "linger": """
def on_term(sig, frame):
    sys.stderr.write("TERM\\n"); sys.stderr.flush()
signal.signal(signal.SIGTERM, on_term)
native.write_message("ready")
while native.read_message(eof=native.EOF) is not native.EOF:
    pass
sys.stderr.write("EOF\\n"); sys.stderr.flush()
while True:
    time.sleep(0.02)
""",
    "stderr": """
sys.stderr.write("line one\\nline two\\r\\nno newline")
sys.stderr.flush()
native.write_message("done")
""",
    "two_replies": """
native.read_message()
native.write_message(1)
native.write_message(2)
native.run(lambda m: m)
""",
}


def _fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.fixture(autouse=True)
async def no_leaks() -> AsyncIterator[None]:
    before = _fds()
    yield
    await asyncio.sleep(0)
    assert _fds() - before == set(), "leaked file descriptors"


@pytest.fixture
def host(tmp_path: Path) -> Any:
    hosts = tmp_path / "hosts"
    hosts.mkdir()

    def make(kind: str) -> Path:
        path = hosts / f"{kind}.py"
        path.write_text(f"#!{sys.executable}\n" + PRELUDE + HOSTS[kind], encoding="utf-8")
        path.chmod(0o755)
        return path

    return make


class Rec:
    """Collects every callback, with waiters."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.texts: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.stderr: list[str] = []
        self.events: list[str] = []
        self.exit_code: int | None = None
        self.changed = asyncio.Event()

    def on_message(self, text: str) -> None:
        self.texts.append(text)
        self.messages.append(json.loads(text))
        self.events.append("message")
        self.changed.set()

    def on_error(self, kind: str, detail: str) -> None:
        self.errors.append((kind, detail))
        self.events.append(kind)
        self.changed.set()

    def on_stderr(self, line: str) -> None:
        self.stderr.append(line)
        self.changed.set()

    def on_eof(self) -> None:
        self.events.append("eof")

    def on_exit(self, code: int) -> None:
        assert self.exit_code is None, "on_exit called twice"
        self.exit_code = code
        self.events.append("exit")
        self.changed.set()

    async def until(self, cond: Any, timeout: float = 5.0) -> None:
        async def loop() -> None:
            while not cond():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(loop(), timeout)


async def start(
    path: Path,
    rec: Rec,
    family: str = "chrome",
    *args: str,
    stderr: bool = True,
    schedule: KillSchedule | None = None,
) -> NativeHostProcess:
    return await NativeHostProcess.start(
        [str(path), *args],
        str(path.parent),
        rec.on_message,
        rec.on_stderr if stderr else None,
        rec.on_exit,
        family,
        on_protocol_error=rec.on_error,
        on_eof=rec.on_eof,
        schedule=schedule,
    )


async def finish(proc: NativeHostProcess) -> int:
    code = await asyncio.wait_for(proc.wait_closed(), 10)
    assert not Path(f"/proc/{proc.pid}").exists(), "host not reaped"
    assert not proc.alive
    return code


def test_default_schedules() -> None:
    assert KillSchedule.for_family("chrome") == KillSchedule(None, 2.0)
    assert KillSchedule.for_family("firefox") == KillSchedule(3.0, 3.0)


@pytest.mark.parametrize("family", ["chrome", "firefox"])
async def test_echo_round_trip_in_order_and_clean_exit(host: Any, family: str) -> None:
    rec = Rec()
    t0 = time.monotonic()
    proc = await start(host("echo"), rec, family)
    # posted right away, before the host has read anything: queued, in order
    values: list[Any] = [{"i": 1}, {"i": 2, "s": "héllo ☃ 😀"}, [1, 2], "str", None, 42]
    for v in values:
        proc.send(json.dumps(v, ensure_ascii=False, separators=(",", ":")))
    await rec.until(lambda: len(rec.messages) >= 1)
    first_reply = time.monotonic() - t0
    await rec.until(lambda: len(rec.messages) == len(values))
    assert rec.messages == values
    assert rec.texts[1] == '{"i":2,"s":"héllo ☃ 😀"}'
    assert proc.alive and proc.pid > 0
    proc.close_stdin()
    proc.send('"dropped"')  # after close: silently dropped
    assert await finish(proc) == 0
    assert rec.exit_code == 0
    assert rec.events[-2:] == ["eof", "exit"]
    assert rec.errors == []
    assert first_reply < 3.0


async def test_argv_and_cwd_are_passed_through(host: Any, tmp_path: Path) -> None:
    rec = Rec()
    path = host("info")
    argv = [str(path), "chrome-extension://abcdefghijklmnopabcdefghijklmnop/"]
    proc = await NativeHostProcess.start(
        argv, str(path.parent), rec.on_message, rec.on_stderr, rec.on_exit, "chrome"
    )
    await rec.until(lambda: rec.messages)
    assert rec.messages[0] == {"argv": argv, "cwd": str(path.parent)}
    proc.close_stdin()
    assert await finish(proc) == 0


@pytest.mark.parametrize("code", [0, 1])
async def test_host_exits_at_start(host: Any, code: int) -> None:
    rec = Rec()
    proc = await start(host("exit"), rec, "chrome", str(code))
    proc.send('{"ignored":true}')  # may hit a dead pipe: must not raise
    await rec.until(lambda: rec.exit_code is not None)
    assert rec.exit_code == code
    assert rec.events == ["eof", "exit"]
    proc.send('"late"')  # dead process: dropped
    assert await finish(proc) == code


async def test_reply_is_delivered_before_exit_on_crash(host: Any) -> None:
    rec = Rec()
    proc = await start(host("reply_then_crash"), rec)
    proc.send('"hi"')
    await rec.until(lambda: rec.exit_code is not None)
    assert rec.messages == [{"got": "hi"}]
    assert rec.events == ["message", "eof", "exit"]
    assert rec.exit_code == 3
    assert await finish(proc) == 3


async def test_host_killed_by_signal_reports_negative_code(host: Any) -> None:
    rec = Rec()
    proc = await start(host("kill_self"), rec)
    proc.send("1")
    await rec.until(lambda: rec.exit_code is not None)
    assert rec.messages == ["bye"]
    assert rec.exit_code == -9
    await finish(proc)


@pytest.mark.parametrize("family", ["chrome", "firefox"])
async def test_invalid_json_is_reported_and_reading_continues(host: Any, family: str) -> None:
    rec = Rec()
    proc = await start(host("invalid_json"), rec, family)
    await rec.until(lambda: rec.messages)
    assert [k for k, _ in rec.errors] == ["invalid_json"] * 3
    assert rec.errors[0][1] == "{not json"
    assert rec.errors[1][1] == "NaN"  # JSON has no NaN, even though Python's parser allows it
    assert rec.messages == ["after"]
    proc.send('"still open"')
    await rec.until(lambda: len(rec.messages) == 2)
    proc.close_stdin()
    assert await finish(proc) == 0


async def test_zero_length_frame_is_reported_and_reading_continues(host: Any) -> None:
    rec = Rec()
    proc = await start(host("empty_frame"), rec, "chrome")
    await rec.until(lambda: rec.messages)
    assert rec.errors == [("empty_frame", "")]
    assert rec.events[:2] == ["empty_frame", "message"]
    proc.close_stdin()
    assert await finish(proc) == 0


async def test_caller_can_end_the_port_on_a_protocol_error(host: Any) -> None:
    """Firefox's rule: invalid JSON ends the port — nothing after it is delivered."""
    rec = Rec()
    proc: NativeHostProcess | None = None

    def on_error(kind: str, detail: str) -> None:
        rec.on_error(kind, detail)
        assert proc is not None
        proc.terminate_on_schedule()

    path = host("invalid_json")
    proc = await NativeHostProcess.start(
        [str(path)],
        str(path.parent),
        rec.on_message,
        rec.on_stderr,
        rec.on_exit,
        "firefox",
        on_protocol_error=on_error,
    )
    assert await finish(proc) == 0  # the host exits at stdin EOF
    assert rec.messages == []
    assert rec.errors == [("invalid_json", "{not json")]


async def test_message_of_exactly_one_mib_is_delivered(host: Any) -> None:
    rec = Rec()
    proc = await start(host("exactly_1mib"), rec, "firefox")
    await rec.until(lambda: rec.messages)
    assert len(rec.texts[0].encode()) == 1048576
    assert rec.errors == []
    proc.close_stdin()
    assert await finish(proc) == 0


async def test_too_big_chrome_drains_so_the_host_finishes_writing(host: Any) -> None:
    rec = Rec()
    proc = await start(host("too_big"), rec, "chrome")
    await rec.until(lambda: rec.errors and "WROTE-ALL" in rec.stderr)
    assert rec.errors == [("too_big", "1048577")]
    assert rec.messages == []
    proc.send('"ignored"')
    proc.terminate_on_schedule()
    assert await finish(proc) == 0  # EOF → the host's run() returns
    assert rec.messages == []


async def test_too_big_firefox_stops_reading_and_the_schedule_kills(host: Any) -> None:
    rec = Rec()
    proc = await start(host("too_big"), rec, "firefox", schedule=KillSchedule(0.3, 0.3))
    await rec.until(lambda: rec.errors)
    assert rec.errors == [("too_big", "1048577")]
    await asyncio.sleep(0.2)
    assert "WROTE-ALL" not in rec.stderr  # blocked in write()
    assert proc.alive
    t0 = time.monotonic()
    proc.terminate_on_schedule()
    code = await finish(proc)
    assert code == -15  # SIGTERM was enough (Python's default action)
    assert 0.25 <= time.monotonic() - t0 < 6.0  # upper bound: only 'not hung'
    assert rec.messages == []


async def test_truncated_frame_waits_for_exit(host: Any) -> None:
    rec = Rec()
    proc = await start(host("truncated"), rec)
    await asyncio.sleep(0.3)
    assert rec.events == [] and proc.alive  # nothing while the host lives
    proc.close_stdin()
    assert await finish(proc) == 0
    assert rec.events == ["eof", "exit"]


async def test_host_that_never_reads_does_not_block_sending(host: Any) -> None:
    rec = Rec()
    proc = await start(host("no_read"), rec, "firefox")
    await rec.until(lambda: rec.messages)
    big = json.dumps("y" * (2 * 1024 * 1024))
    t0 = time.monotonic()
    for _ in range(3):
        proc.send(big)  # more than the pipe holds: queued, never blocks the loop
    assert time.monotonic() - t0 < 3.0  # never blocks on the pipe
    proc.kill()
    assert await finish(proc) == -9
    proc.send('"after death"')  # dropped


async def test_chrome_schedule_sigkills_without_sigterm(host: Any) -> None:
    rec = Rec()
    proc = await start(host("linger"), rec, "chrome", schedule=KillSchedule(None, 0.4))
    await rec.until(lambda: rec.messages == ["ready"])
    t0 = time.monotonic()
    proc.terminate_on_schedule()
    await rec.until(lambda: "EOF" in rec.stderr)
    assert time.monotonic() - t0 < 3.0  # stdin closed at once, not after the schedule
    code = await finish(proc)
    elapsed = time.monotonic() - t0
    assert code == -9
    assert "TERM" not in rec.stderr
    assert 0.38 <= elapsed < 6.0


async def test_firefox_schedule_sigterm_then_sigkill(host: Any) -> None:
    rec = Rec()
    proc = await start(host("linger"), rec, "firefox", schedule=KillSchedule(0.3, 0.3))
    await rec.until(lambda: rec.messages == ["ready"])
    t0 = time.monotonic()
    proc.terminate_on_schedule()
    proc.terminate_on_schedule()  # idempotent
    await rec.until(lambda: "TERM" in rec.stderr)
    term_at = time.monotonic() - t0
    code = await finish(proc)
    kill_at = time.monotonic() - t0
    assert rec.stderr[:2] == ["EOF", "TERM"]
    assert code == -9
    assert 0.28 <= term_at < 4.0
    assert 0.58 <= kill_at < 8.0
    assert kill_at - term_at >= 0.28


async def test_schedule_stops_when_the_host_exits_by_itself(host: Any) -> None:
    rec = Rec()
    proc = await start(host("echo"), rec, "firefox")  # default schedule: 3 s + 3 s
    t0 = time.monotonic()
    proc.terminate_on_schedule()
    assert await finish(proc) == 0
    assert time.monotonic() - t0 < 2.9  # before the first 3 s step of the schedule


async def test_chrome_disconnect_stops_delivery(host: Any) -> None:
    rec = Rec()
    proc = await start(host("two_replies"), rec, "chrome")
    proc.terminate_on_schedule()  # before any reply
    proc.send("1")  # dropped: stdin already closed
    # the host reads EOF, writes anyway into the closed pipe and dies of EPIPE (as seen with
    # real Chromium: a BrokenPipeError traceback)
    assert await finish(proc) == 1
    assert any("BrokenPipeError" in line for line in rec.stderr)
    assert rec.messages == []
    assert "eof" not in rec.events


async def test_stderr_lines(host: Any) -> None:
    rec = Rec()
    proc = await start(host("stderr"), rec)
    assert await finish(proc) == 0
    assert rec.stderr == ["line one", "line two", "no newline"]
    assert rec.messages == ["done"]


async def test_stderr_inherited_when_no_callback(host: Any, capfd: Any) -> None:
    rec = Rec()
    proc = await start(host("stderr"), rec, stderr=False)
    assert await finish(proc) == 0
    assert "line one\nline two" in capfd.readouterr().err
    assert rec.stderr == []


async def test_two_replies_both_delivered_in_order(host: Any) -> None:
    rec = Rec()
    proc = await start(host("two_replies"), rec, "firefox")
    proc.send("0")
    await rec.until(lambda: len(rec.messages) == 2)
    assert rec.messages == [1, 2]
    proc.close_stdin()
    await finish(proc)


async def test_zero_length_send_reaches_host_as_none(host: Any) -> None:
    rec = Rec()
    proc = await start(host("echo"), rec, "firefox")
    proc.send("")  # Firefox's postMessage(undefined)
    await rec.until(lambda: rec.messages)
    assert rec.texts == ["null"]
    proc.close_stdin()
    await finish(proc)


async def test_missing_executable_raises_and_leaves_nothing(tmp_path: Path) -> None:
    rec = Rec()
    with pytest.raises(FileNotFoundError):
        await start(tmp_path / "nope", rec)
    assert rec.events == []


async def test_kill_on_browser_shutdown(host: Any) -> None:
    rec = Rec()
    proc = await start(host("linger"), rec, "chrome")
    await rec.until(lambda: rec.messages)
    proc.kill()
    assert await finish(proc) == -9
    assert rec.exit_code == -9
