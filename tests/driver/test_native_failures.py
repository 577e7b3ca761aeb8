"""Every native-messaging failure of SEMANTICS.md §5 through the Python face, both profiles,
with real host processes; plus process hygiene (stdin closed, host gone, no zombie, no leaked
fd) and robustness (garbage, instant exit, a 50 MB flood leave the runtime working).

Expected texts: ``shared/observations/native-messaging.md`` (§3 unknown, §4 forbidden, §6
exit/crash, §7 malformed output, §8 disconnect, §9 names, Extras).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from webext_runtime import (
    Browser,
    ExtensionAPIError,
    ExtensionTypeError,
    MessagingError,
    SettleTimeoutError,
)

NATIVE_PY = Path(__file__).resolve().parents[2] / "src" / "webext_runtime" / "native.py"
PROFILES = ["chrome", "firefox"]
NAME = "com.test.host"
GECKO_ID = "native@test"
#: a fixed key gives a Chrome id known before install (tests/api/_helpers.py A_KEY)
KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqRkLQmuEc2mfbLsW0vYjZmLrUaMIcer9jK1jgwnnZtKS4Wyx"
    "KDCnSFdzXNkLyohJXR93dkVuXbGqnSkr6G63S79SBaFT6DTJEVODX2j6DcEuukrYly+8ivd9oaUFdYv9qyCLJsb9UvV8"
    "J9ynAlHmkpj5vNaH8sjZWmSL+GbFNbjkT+KRdGZFUsNMqAnXEf28wQkd79l6zWOneguNpmWH0KbVObvWNABAX2Flwxj"
    "HdjVUyq43BgYBtGI2oapIDHh3cBN7hiBkWzmXHX/ZgizjJliLNra28jiBue3+Gyrrc9XJ4GBsBpPinqfS6uQaWUgUvENm"
    "Fx1zWl6pAhnWYu1LpwIDAQAB"
)
CHROME_ID = "odbifimomdkabhapjjdnmdiahmoihcid"

NOT_FOUND = "Specified native messaging host not found."
FORBIDDEN = "Access to the specified native messaging host is forbidden."
INVALID_NAME = "Invalid native messaging host name specified."
EXITED = "Native host has exited."
IO_ERROR = "Error when communicating with the native messaging host."
INVALID_JSON = "The sender sent an invalid JSON message; message ignored."
UNEXPECTED = "An unexpected error occurred"
TOO_BIG_FF = (
    "Native application tried to send a message of 1048577 bytes, "
    "which exceeds the limit of 1048576 bytes."
)


def no_such(name: str) -> str:
    return f"No such native application {name}"


def bad_name_ff(name: str, api: str) -> str:
    return (
        f'Type error for parameter application (String "{name}" must match '
        f"/^\\w+(\\.\\w+)*$/) for {api}."
    )


# Hosts load the public host library by file path (importing the package would slow every
# host start by ~0.3 s). ``raw`` writes one frame with an arbitrary payload.
PRELUDE = f"""\
import importlib.util, json, os, signal, struct, sys, time
_spec = importlib.util.spec_from_file_location("wxnative", {str(NATIVE_PY)!r})
native = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(native)
def raw(payload):
    sys.stdout.buffer.write(struct.pack("=I", len(payload)) + payload)
    sys.stdout.buffer.flush()
"""

HOSTS: dict[str, str] = {
    "echo": "native.run(lambda m: m)\n",
    "pid": "native.run(lambda m: {'pid': os.getpid(), 'm': m})\n",
    "exit0": "sys.exit(0)\n",
    "exit1": "sys.exit(1)\n",
    "reply_then_exit": "m = native.read_message()\nnative.write_message({'bye': m})\nsys.exit(1)\n",
    "kill_self": (
        "native.read_message()\nnative.write_message('before')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    ),
    "invalid_json": (
        "m = native.read_message()\nraw(b'{not json')\nnative.write_message({'after': m})\n"
        "native.run(lambda m: {'later': m})\n"
    ),
    "empty_frame": (
        "m = native.read_message()\nraw(b'')\nnative.write_message({'after': m})\n"
        "native.run(lambda m: {'later': m})\n"
    ),
    "exactly_1mib": (
        "native.read_message()\nnative.write_message('x' * (1048576 - 2))\n"
        "native.run(lambda m: m)\n"
    ),
    "too_big": (
        "native.read_message()\nraw(json.dumps('x' * (1048577 - 2)).encode())\n"
        "native.run(lambda m: m)\n"
    ),
    "never_reads": "while True:\n    time.sleep(0.05)\n",
    "never_answers": "native.run(lambda m: None)\n",
    "stderr": (
        "m = native.read_message()\nsys.stderr.write('HOST-STDERR one\\nHOST-STDERR two\\n')\n"
        "sys.stderr.flush()\nnative.write_message(m)\nnative.run(lambda m: m)\n"
    ),
    # writes where it got EOF, then exits (the runtime must close stdin on disconnect)
    "eof_marker": (
        "native.write_message({'pid': os.getpid()})\n"
        "while native.read_message(eof=native.EOF) is not native.EOF:\n    pass\n"
        "open(os.path.join(os.getcwd(), 'eof-' + str(os.getpid())), 'w').write('eof')\n"
    ),
    # ignores EOF and SIGTERM: only SIGKILL ends it
    "stubborn": (
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "native.write_message({'pid': os.getpid()})\n"
        "while native.read_message(eof=native.EOF) is not native.EOF:\n    pass\n"
        "while True:\n    time.sleep(0.05)\n"
    ),
    "raw_len": (
        "while True:\n"
        "    h = sys.stdin.buffer.read(4)\n"
        "    if len(h) < 4:\n        break\n"
        "    (n,) = struct.unpack('=I', h)\n"
        "    body = sys.stdin.buffer.read(n)\n"
        "    native.write_message({'len': n, 'body': body.decode()})\n"
    ),
    "garbage": (
        "sys.stdout.buffer.write(b'hello, this is not framed at all\\n' * 10)\n"
        "sys.stdout.buffer.flush()\nnative.run(lambda m: m)\n"
    ),
    # 50 MB of valid messages (500 x 100 kB) as fast as it can write, then echoes
    "flood": (
        "chunk = native.encode_message({'pad': 'x' * 100_000})\n"
        "for _ in range(500):\n    sys.stdout.buffer.write(chunk)\n"
        "sys.stdout.buffer.flush()\nnative.run(lambda m: m)\n"
    ),
    # speaks first, 0.2 s (real time) after it started
    "delayed_hello": "time.sleep(0.2)\nnative.write_message('hello')\nnative.run(lambda m: m)\n",
    "two_replies": (
        "m = native.read_message()\nnative.write_message(1)\nnative.write_message(2)\n"
        "native.run(lambda m: m)\n"
    ),
}


def write_host(tmp: Path, kind: str) -> Path:
    hosts = tmp / "hosts"
    hosts.mkdir(exist_ok=True)
    path = hosts / f"{kind}.py"
    path.write_text(f"#!{sys.executable}\n" + PRELUDE + HOSTS[kind], encoding="utf-8")
    path.chmod(0o755)
    return path


def write_host_manifest(
    dirpath: Path,
    profile: str,
    name: str,
    host: Path | str,
    *,
    allowed: bool = True,
) -> Path:
    hm: dict[str, Any] = {"name": name, "description": "test", "path": str(host), "type": "stdio"}
    if profile == "chrome":
        other = "abcdefghijklmnopabcdefghijklmnop"
        hm["allowed_origins"] = [f"chrome-extension://{CHROME_ID if allowed else other}/"]
    else:
        hm["allowed_extensions"] = [GECKO_ID if allowed else "other@test"]
    dirpath.mkdir(parents=True, exist_ok=True)
    path = dirpath / f"{name}.json"
    path.write_text(json.dumps(hm))
    return path


def ext_manifest(profile: str, *, permission: bool = True) -> dict[str, Any]:
    return {
        "manifest_version": 2,
        "name": "native",
        "version": "1",
        "key": KEY,
        "permissions": ["nativeMessaging"] if permission else [],
        "background": {"scripts": ["bg.js"]},
        "content_scripts": [{"matches": ["https://example.com/*"], "js": ["cs.js"]}],
        "browser_specific_settings": {"gecko": {"id": GECKO_ID}},
    }


def hosts_dir(tmp: Path, profile: str, kinds: list[str], **kw: Any) -> Path:
    """A manifest directory with ``com.test.<kind>`` for each kind."""
    d = tmp / "manifests"
    for kind in kinds:
        write_host_manifest(d, profile, f"com.test.{kind}", write_host(tmp, kind), **kw)
    return d


async def browser_with(
    tmp: Path, profile: str, kinds: list[str], *, native_timeout: float = 5.0, **kw: Any
) -> tuple[Browser, Any]:
    browser = Browser(
        profile=profile,
        native_hosts=[hosts_dir(tmp, profile, kinds, **kw)],
        native_timeout=native_timeout,
    )
    ext = await browser.install(manifest=ext_manifest(profile))
    if profile == "chrome":
        assert ext.id == CHROME_ID
    return browser, ext


def _fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.fixture(autouse=True)
async def no_fd_leaks() -> AsyncIterator[None]:
    before = _fds()
    yield
    await asyncio.sleep(0)
    assert _fds() - before == set(), "leaked file descriptors"


def port_error(ctx: Any, port: Any) -> list[Any]:
    """Collect what onDisconnect sees: (lastError message, port.error message)."""
    seen: list[Any] = []

    def on_disconnect(p: Any) -> None:
        le = ctx.runtime.last_error
        seen.append((le.message if le else None, p.error.message if p.error else None))

    port.on_disconnect.add_listener(on_disconnect)
    return seen


def expect_port_error(profile: str, seen: list[Any], text: str | None) -> None:
    """Chrome reports through lastError, Firefox through port.error [N §3, §7]."""
    if profile == "chrome":
        assert seen == [(text, None)]
    else:
        assert seen == [(None, text)]


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


async def until(cond: Any, seconds: float = 5.0) -> bool:
    """Poll ``cond()`` in real time (host processes run on the real clock)."""
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


# -- lookup failures ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_forbidden_and_unknown_for_send_native_message(tmp_path: Path, profile: str) -> None:
    browser, ext = await browser_with(tmp_path, profile, ["echo"], allowed=False)
    async with browser:
        rt = ext.background.runtime
        for name in ("com.test.echo", "com.test.nothere"):
            with pytest.raises(MessagingError) as err:
                await rt.send_native_message(name, {})
            if profile == "chrome":
                assert err.value.message == (FORBIDDEN if name == "com.test.echo" else NOT_FOUND)
            else:  # Firefox: not allowed is indistinguishable from unknown [N §4]
                assert err.value.message == no_such(name)
        assert browser._native.processes == set()


@pytest.mark.parametrize("profile", PROFILES)
async def test_missing_executable(tmp_path: Path, profile: str) -> None:
    d = tmp_path / "manifests"
    write_host_manifest(d, profile, "com.test.badpath", tmp_path / "does-not-exist.py")
    async with Browser(profile=profile, native_hosts=[d]) as browser:
        ext = await browser.install(manifest=ext_manifest(profile))
        bg = ext.background
        expected = NOT_FOUND if profile == "chrome" else UNEXPECTED  # [N §3]
        port = bg.runtime.connect_native("com.test.badpath")
        seen = port_error(bg, port)
        await port.wait_disconnect()
        expect_port_error(profile, seen, expected)
        with pytest.raises(MessagingError) as err:
            await bg.runtime.send_native_message("com.test.badpath", 1)
        assert err.value.message == expected


@pytest.mark.parametrize("profile", PROFILES)
async def test_register_native_host_directly(tmp_path: Path, profile: str) -> None:
    path = write_host_manifest(tmp_path / "elsewhere", profile, NAME, write_host(tmp_path, "echo"))
    async with Browser(profile=profile) as browser:  # no native_hosts directories
        ext = await browser.install(manifest=ext_manifest(profile))
        with pytest.raises(MessagingError):
            await ext.background.runtime.send_native_message(NAME, 0)
        assert browser.register_native_host(path) == NAME
        assert await ext.background.runtime.send_native_message(NAME, {"r": 1}) == {"r": 1}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("name", ["Com.Test.Echo", "com..test", "Bad Name!", "a/b", ""])
async def test_invalid_names(tmp_path: Path, profile: str, name: str) -> None:
    browser, ext = await browser_with(tmp_path, profile, ["echo"])
    async with browser:
        bg = ext.background
        valid_ff = name == "Com.Test.Echo"  # upper case is valid for Firefox [N §9]
        if profile == "chrome":
            port = bg.runtime.connect_native(name)  # never thrown: reported async
            seen = port_error(bg, port)
            await port.wait_disconnect()
            expect_port_error(profile, seen, INVALID_NAME)
            with pytest.raises(MessagingError) as err:
                await bg.runtime.send_native_message(name, {})
            assert err.value.message == INVALID_NAME
        elif valid_ff:
            port = bg.runtime.connect_native(name)
            seen = port_error(bg, port)
            await port.wait_disconnect()
            expect_port_error(profile, seen, no_such(name))
        else:
            with pytest.raises(ExtensionTypeError) as terr:
                bg.runtime.connect_native(name)
            assert terr.value.message == bad_name_ff(name, "runtime.connectNative")
            with pytest.raises(ExtensionTypeError) as terr:
                await bg.runtime.send_native_message(name, {})
            assert terr.value.message == bad_name_ff(name, "runtime.sendNativeMessage")
        assert browser._native.processes == set()


@pytest.mark.parametrize("profile", PROFILES)
async def test_content_scripts(tmp_path: Path, profile: str) -> None:
    """Chrome content scripts lack the APIs; Firefox's fail and start nothing [N §10]."""
    from webext_runtime import NamespaceUnavailableError

    browser, ext = await browser_with(tmp_path, profile, ["echo"])
    async with browser:
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        if profile == "chrome":
            with pytest.raises(NamespaceUnavailableError):
                cs.runtime.connect_native("com.test.echo")
            with pytest.raises(NamespaceUnavailableError):
                await cs.runtime.send_native_message("com.test.echo", 1)
        else:
            port = cs.runtime.connect_native("com.test.echo")
            seen = port_error(cs, port)
            await port.wait_disconnect()
            expect_port_error(profile, seen, UNEXPECTED)
            with pytest.raises(MessagingError) as err:
                await cs.runtime.send_native_message("com.test.echo", 1)
            assert err.value.message == UNEXPECTED
        assert browser._native.processes == set()


# -- the host ends ------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kind", ["exit0", "exit1", "kill_self", "reply_then_exit"])
async def test_host_exits_or_crashes(tmp_path: Path, profile: str, kind: str) -> None:
    browser, ext = await browser_with(tmp_path, profile, [kind])
    async with browser:
        bg = ext.background
        port = bg.runtime.connect_native(f"com.test.{kind}")
        seen = port_error(bg, port)
        port.post_message("go")
        await port.wait_disconnect()
        if kind == "kill_self":
            assert port.messages == ["before"]  # delivered before the disconnect [N §6]
        elif kind == "reply_then_exit":
            assert port.messages == [{"bye": "go"}]
        expect_port_error(profile, seen, EXITED if profile == "chrome" else None)
        with pytest.raises(ExtensionAPIError):
            port.post_message("after")  # a disconnected port throws
        if kind in ("exit0", "exit1"):
            with pytest.raises(MessagingError) as err:
                await bg.runtime.send_native_message(f"com.test.{kind}", {})
            assert err.value.message == (EXITED if profile == "chrome" else UNEXPECTED)
        else:
            # sendNativeMessage takes the first message even if the host then dies
            first = await bg.runtime.send_native_message(f"com.test.{kind}", "go")
            assert first == ("before" if kind == "kill_self" else {"bye": "go"})
        await browser.settle()
        assert await until(lambda: browser._native.processes == set())


# -- malformed output ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kind", ["invalid_json", "empty_frame"])
async def test_malformed_frames_on_a_port(tmp_path: Path, profile: str, kind: str) -> None:
    browser, ext = await browser_with(tmp_path, profile, [kind])
    async with browser:
        bg = ext.background
        port = bg.runtime.connect_native(f"com.test.{kind}")
        seen = port_error(bg, port)
        port.post_message(1)
        if profile == "chrome":
            # dropped silently, the port stays open and usable [N §7]
            assert await port.next_message() == {"after": 1}
            port.post_message(2)
            assert await port.next_message() == {"later": 2}
            assert seen == [] and not port.disconnected
            port.disconnect()
        else:
            await port.wait_disconnect()
            expect_port_error(profile, seen, UNEXPECTED)
            assert port.messages == []


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kind", ["invalid_json", "empty_frame"])
async def test_malformed_frames_for_send_native_message(
    tmp_path: Path, profile: str, kind: str
) -> None:
    browser, ext = await browser_with(tmp_path, profile, [kind])
    async with browser:
        with pytest.raises(MessagingError) as err:
            await ext.background.runtime.send_native_message(f"com.test.{kind}", 1)
        assert err.value.message == (INVALID_JSON if profile == "chrome" else UNEXPECTED)


@pytest.mark.parametrize("profile", PROFILES)
async def test_message_sizes_from_the_host(tmp_path: Path, profile: str) -> None:
    browser, ext = await browser_with(tmp_path, profile, ["exactly_1mib", "too_big"])
    async with browser:
        bg = ext.background
        port = bg.runtime.connect_native("com.test.exactly_1mib")
        port.post_message(0)
        assert len(await port.next_message()) == 1048576 - 2  # exactly 1 MiB passes
        port.post_message("still usable")
        assert await port.next_message() == "still usable"
        port.disconnect()

        port = bg.runtime.connect_native("com.test.too_big")
        seen = port_error(bg, port)
        port.post_message(0)
        await port.wait_disconnect()
        expect_port_error(profile, seen, IO_ERROR if profile == "chrome" else TOO_BIG_FF)
        assert port.messages == []

        with pytest.raises(MessagingError) as err:
            await bg.runtime.send_native_message("com.test.too_big", 0)
        assert err.value.message == (IO_ERROR if profile == "chrome" else TOO_BIG_FF)


# -- hosts that never read / never answer -------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_never_answers_send_native_message_times_out_naming_the_host(
    tmp_path: Path, profile: str
) -> None:
    browser, ext = await browser_with(tmp_path, profile, ["never_answers"], native_timeout=0.3)
    t0 = time.monotonic()
    with pytest.raises(SettleTimeoutError, match=r"com\.test\.never_answers"):
        await ext.background.runtime.send_native_message("com.test.never_answers", 1)
    assert time.monotonic() - t0 < 3
    pids = [p.pid for p in browser._native.processes]
    with contextlib.suppress(SettleTimeoutError):  # see the xfail below
        await browser.close()
    assert pids and not any(alive(p) for p in pids)
    assert browser._native.processes == set()


async def test_after_a_native_timeout_the_browser_still_works_and_closes(tmp_path: Path) -> None:
    browser, ext = await browser_with(
        tmp_path, "chrome", ["never_answers", "echo"], native_timeout=0.3
    )
    try:
        with pytest.raises(SettleTimeoutError):
            await ext.background.runtime.send_native_message("com.test.never_answers", 1)
        assert await ext.background.runtime.send_native_message("com.test.echo", 2) == 2
        await browser.close()  # must not raise
    finally:
        with contextlib.suppress(SettleTimeoutError):
            await browser.close()


@pytest.mark.parametrize("profile", PROFILES)
async def test_host_that_never_reads(tmp_path: Path, profile: str) -> None:
    """Posting to a host that never reads does not block the runtime; settle() names the
    host when it waits for an answer that never comes."""
    browser, ext = await browser_with(tmp_path, profile, ["never_reads", "echo"])
    browser._driver.io_timeout = 0.3
    async with browser:
        bg = ext.background
        port = bg.runtime.connect_native("com.test.never_reads")
        for i in range(200):  # ~2 MB, more than a pipe holds
            port.post_message({"i": i, "pad": "y" * 10_000})
        with pytest.raises(SettleTimeoutError, match=r"com\.test\.never_reads"):
            await browser.settle()
        # the expectation ends with the port; the runtime still works: another host answers
        port.disconnect()
        browser._driver.io_timeout = 5.0
        assert await bg.runtime.send_native_message("com.test.echo", "ok") == "ok"
        pid = next(p.pid for p in browser._native.processes)
    assert not alive(pid)


# -- stderr -------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_stderr_goes_to_console(tmp_path: Path, profile: str) -> None:
    browser, ext = await browser_with(tmp_path, profile, ["stderr"])
    async with browser:
        bg = ext.background
        port = bg.runtime.connect_native("com.test.stderr")
        port.post_message("x")
        assert await port.next_message() == "x"
        assert await bg.runtime.send_native_message("com.test.stderr", "y") == "y"
        port.disconnect()
        await browser.settle()
        texts = [c.text for c in browser.console]
    for line in ("HOST-STDERR one", "HOST-STDERR two"):
        want = (
            line
            if profile == "chrome"
            else f"stderr output from native app com.test.stderr: {line}"
        )
        assert texts.count(want) == 2, texts  # once from the port's host, once from the one-shot


# -- ending the host ----------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_disconnect_closes_stdin_and_the_host_goes(tmp_path: Path, profile: str) -> None:
    browser, ext = await browser_with(tmp_path, profile, ["eof_marker"])
    async with browser:
        port = ext.background.runtime.connect_native("com.test.eof_marker")
        pid = (await port.next_message())["pid"]
        port.disconnect()
        await browser.settle()  # the runtime acts when driven: stdin is closed now
        assert await until(lambda: not alive(pid))
        assert (tmp_path / "hosts" / f"eof-{pid}").read_text() == "eof"
        assert not alive(pid)  # reaped: no zombie left in /proc
        await browser.settle()
        # the runtime's reaper finishes on a later loop turn (real time)
        assert await until(lambda: browser._native.processes == set())


@pytest.mark.parametrize("profile", PROFILES)
async def test_closing_the_owning_context_ends_the_host(tmp_path: Path, profile: str) -> None:
    browser, ext = await browser_with(tmp_path, profile, ["eof_marker"])
    async with browser:
        page = await ext.open_page("page.html")
        port = page.runtime.connect_native("com.test.eof_marker")
        seen = port_error(page, port)
        pid = (await port.next_message())["pid"]
        await page.close()
        assert await until(lambda: not alive(pid))
        assert (tmp_path / "hosts" / f"eof-{pid}").exists()
        assert seen == []  # the closed context hears nothing


@pytest.mark.parametrize("profile", PROFILES)
async def test_closing_the_browser_kills_stubborn_hosts(tmp_path: Path, profile: str) -> None:
    fds_before = _fds()
    browser, ext = await browser_with(tmp_path, profile, ["stubborn", "never_answers"])
    bg = ext.background
    ports = [bg.runtime.connect_native("com.test.stubborn") for _ in range(3)]
    pids = [(await p.next_message())["pid"] for p in ports]
    ports[0].disconnect()  # stdin closed, kill schedule running (2 s / 3 s)
    await browser.settle()
    assert alive(pids[0])  # it ignores EOF and SIGTERM
    t0 = time.monotonic()
    await browser.close()
    assert time.monotonic() - t0 < 1.5  # shutdown does not wait for the schedules
    assert not any(alive(p) for p in pids)
    assert browser._native.processes == set()
    assert _fds() - fds_before == set()


async def test_chrome_disconnect_sigkills_a_stubborn_host_after_2s(tmp_path: Path) -> None:
    """[N §8] Chrome: SIGKILL ~2 s after stdin EOF, no SIGTERM (the host ignores SIGTERM, so
    only a SIGKILL can end it)."""
    browser, ext = await browser_with(tmp_path, "chrome", ["stubborn"])
    async with browser:
        port = ext.background.runtime.connect_native("com.test.stubborn")
        pid = (await port.next_message())["pid"]
        t0 = time.monotonic()
        port.disconnect()
        await browser.settle()
        assert await until(lambda: not alive(pid))
        elapsed = time.monotonic() - t0
        assert 1.8 <= elapsed <= 3.0, elapsed


# -- serialization before writing ---------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_unserializable_message_raises_before_writing(tmp_path: Path, profile: str) -> None:
    browser, ext = await browser_with(tmp_path, profile, ["raw_len"])
    async with browser:
        bg = ext.background
        port = bg.runtime.connect_native("com.test.raw_len")
        with pytest.raises(ExtensionAPIError):
            port.post_message({"f": lambda: 1} if profile == "firefox" else lambda: 1)
        cyclic: dict[str, Any] = {}
        cyclic["self"] = cyclic
        if profile == "chrome":
            with pytest.raises(ExtensionAPIError):
                port.post_message(cyclic)
        port.post_message({"ok": 1})
        # the first thing the host ever read is the valid message
        assert await port.next_message() == {"len": 8, "body": '{"ok":1}'}
        with pytest.raises(ExtensionAPIError):
            await bg.runtime.send_native_message("com.test.raw_len", lambda: 1)


@pytest.mark.parametrize("profile", PROFILES)
async def test_what_the_host_reads(tmp_path: Path, profile: str) -> None:
    """Compact UTF-8 JSON, native-order length; one process per sendNativeMessage."""
    browser, ext = await browser_with(tmp_path, profile, ["raw_len", "pid", "two_replies"])
    async with browser:
        bg = ext.background
        port = bg.runtime.connect_native("com.test.raw_len")
        port.post_message({"i": 2, "s": "héllo ☃ 😀"})
        assert await port.next_message() == {"len": 29, "body": '{"i":2,"s":"héllo ☃ 😀"}'}
        pids = {(await bg.runtime.send_native_message("com.test.pid", i))["pid"] for i in range(3)}
        assert len(pids) == 3
        assert await bg.runtime.send_native_message("com.test.two_replies", 0) == 1


# -- robustness ---------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_garbage_instant_exit_and_flood_leave_the_runtime_working(
    tmp_path: Path, profile: str
) -> None:
    browser, ext = await browser_with(tmp_path, profile, ["garbage", "exit0", "flood", "echo"])
    async with browser:
        bg = ext.background
        echo = bg.runtime.connect_native("com.test.echo")
        echo.post_message("before")
        assert await echo.next_message() == "before"

        garbage = bg.runtime.connect_native("com.test.garbage")
        seen_g = port_error(bg, garbage)
        await garbage.wait_disconnect()
        # "hell" as a length prefix is far over 1 MiB: the size error [N §7]
        size = int.from_bytes(b"hell", sys.byteorder)
        expect_port_error(
            profile,
            seen_g,
            IO_ERROR
            if profile == "chrome"
            else TOO_BIG_FF.replace("1048577 bytes,", f"{size} bytes,"),
        )

        quick = [bg.runtime.connect_native("com.test.exit0") for _ in range(5)]
        for q in quick:
            await q.wait_disconnect()

        flood = bg.runtime.connect_native("com.test.flood")
        t0 = time.monotonic()
        for _ in range(500):
            msg = await flood.next_message()
            assert len(msg["pad"]) == 100_000
        assert time.monotonic() - t0 < 20
        flood.post_message("after the flood")
        assert await flood.next_message() == "after the flood"
        flood.disconnect()

        echo.post_message("after")
        assert await echo.next_message() == "after"
        other = bg.runtime.connect_native("com.test.echo")
        other.post_message("new port")
        assert await other.next_message() == "new port"
        browser._driver.router.check_invariants()
