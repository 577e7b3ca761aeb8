"""connectNative / sendNativeMessage end to end with real host processes, both profiles
(SEMANTICS.md §5, shared/observations/native-messaging.md)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from webext_runtime import (
    Browser,
    ExtensionTypeError,
    MessagingError,
    NamespaceUnavailableError,
    SettleTimeoutError,
)

ROOT = Path(__file__).resolve().parents[2]
GECKO_ID = "native@test"
NAME = "com.test.host"


def _host(tmp: Path, body: str, name: str = "host.py") -> Path:
    path = tmp / name
    path.write_text(
        f"#!{sys.executable}\n"
        f"import sys\nsys.path.insert(0, {str(ROOT / 'src')!r})\n"
        "from webext_runtime.native import read_message, write_message, run\n" + body
    )
    path.chmod(0o755)
    return path


def _manifest(profile: str) -> dict[str, Any]:
    mf: dict[str, Any] = {
        "manifest_version": 2,
        "name": "native",
        "version": "1",
        "permissions": ["nativeMessaging"],
        "background": {"scripts": ["bg.js"]},
        "browser_specific_settings": {"gecko": {"id": GECKO_ID}},
    }
    return mf


async def _setup(
    tmp: Path, profile: str, body: str, *, allowed: bool = True, name: str = NAME
) -> tuple[Browser, Any]:
    host = _host(tmp, body)
    browser = Browser(profile=profile, native_hosts=[tmp], native_timeout=5.0)
    ext = await browser.install(manifest=_manifest(profile))
    hm: dict[str, Any] = {"name": name, "description": "test", "path": str(host), "type": "stdio"}
    if profile == "chrome":
        hm["allowed_origins"] = [
            f"chrome-extension://{ext.id}/"
            if allowed
            else "chrome-extension://abcdefghijklmnopabcdefghijklmnop/"
        ]
    else:
        hm["allowed_extensions"] = [GECKO_ID if allowed else "other@test"]
    (tmp / f"{name}.json").write_text(json.dumps(hm))
    return browser, ext


PROFILES = ["chrome", "firefox"]
ECHO = "run(lambda m: {'echo': m, 'argv': sys.argv[1:], 'cwd': __import__('os').getcwd()})\n"


@pytest.mark.parametrize("profile", PROFILES)
async def test_echo_port_argv_and_cleanup(tmp_path: Path, profile: str) -> None:
    browser, ext = await _setup(tmp_path, profile, ECHO)
    async with browser:
        port = ext.background.runtime.connect_native(NAME)
        # [N §1] Chrome's port name is "", Firefox's the application name
        assert port.name == ("" if profile == "chrome" else NAME)
        port.post_message({"n": 1})  # queued before the process exists
        reply = await port.next_message()
        assert reply["echo"] == {"n": 1}
        assert reply["cwd"] == str(tmp_path)
        if profile == "chrome":
            assert reply["argv"] == [f"chrome-extension://{ext.id}/"]
        else:
            assert reply["argv"] == [str(tmp_path / f"{NAME}.json"), GECKO_ID]
        port.post_message([1, 2])
        assert (await port.next_message())["echo"] == [1, 2]
        procs = list(browser._native.processes)
        assert len(procs) == 1
        pid = procs[0].pid
        port.disconnect()
    assert not Path(f"/proc/{pid}").exists()
    assert browser._native.processes == set()


@pytest.mark.parametrize("profile", PROFILES)
async def test_host_exit_text(tmp_path: Path, profile: str) -> None:
    browser, ext = await _setup(
        tmp_path, profile, "m = read_message()\nwrite_message({'bye': m})\n"
    )
    async with browser:
        bg = ext.background
        port = bg.runtime.connect_native(NAME)
        seen: list[Any] = []
        port.on_disconnect.add_listener(
            lambda p: seen.append(bg.runtime.last_error and bg.runtime.last_error.message)
        )
        port.post_message("hi")
        assert await port.next_message() == {"bye": "hi"}
        await port.wait_disconnect()
        if profile == "chrome":
            assert seen == ["Native host has exited."]
        else:
            assert seen == [None] and port.error is None  # clean disconnect [N §6]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("case", ["unknown", "forbidden"])
async def test_unknown_and_forbidden(tmp_path: Path, profile: str, case: str) -> None:
    browser, ext = await _setup(tmp_path, profile, ECHO, allowed=case != "unknown")
    async with browser:
        bg = ext.background
        name = "com.test.nothere" if case == "unknown" else NAME
        if case == "forbidden":
            (tmp_path / f"{NAME}.json").write_text(
                (tmp_path / f"{NAME}.json")
                .read_text()
                .replace(GECKO_ID, "other@test")
                .replace(ext.id, "abcdefghijklmnopabcdefghijklmnop")
            )
        port = bg.runtime.connect_native(name)
        errors: list[Any] = []
        port.on_disconnect.add_listener(
            lambda p: errors.append(
                bg.runtime.last_error.message if bg.runtime.last_error else p.error.message
            )
        )
        await port.wait_disconnect()
        if profile == "chrome":
            assert errors == [
                "Specified native messaging host not found."
                if case == "unknown"
                else "Access to the specified native messaging host is forbidden."
            ]
        else:
            assert errors == [f"No such native application {name}"]
        assert browser._native.processes == set()


@pytest.mark.parametrize("profile", PROFILES)
async def test_send_native_message(tmp_path: Path, profile: str) -> None:
    browser, ext = await _setup(tmp_path, profile, ECHO)
    async with browser:
        reply = await ext.background.runtime.send_native_message(NAME, {"q": 1})
        assert reply["echo"] == {"q": 1}
        with pytest.raises(MessagingError) as err:
            await ext.background.runtime.send_native_message("com.test.nothere", {})
        assert err.value.message == (
            "Specified native messaging host not found."
            if profile == "chrome"
            else "No such native application com.test.nothere"
        )


async def test_invalid_names(tmp_path: Path) -> None:
    browser, ext = await _setup(tmp_path, "chrome", ECHO)
    async with browser:
        port = ext.background.runtime.connect_native("Com.Test")  # Chrome: async error
        await port.wait_disconnect()
    browser, ext = await _setup(tmp_path, "firefox", ECHO)
    async with browser:
        with pytest.raises(ExtensionTypeError) as err:  # Firefox: thrown at once [N §9]
            ext.background.runtime.connect_native("bad name!")
        assert err.value.message == (
            'Type error for parameter application (String "bad name!" '
            "must match /^\\w+(\\.\\w+)*$/) for runtime.connectNative."
        )


async def test_needs_permission(tmp_path: Path) -> None:
    async with Browser() as browser:
        ext = await browser.install(
            manifest={
                "manifest_version": 3,
                "name": "x",
                "version": "1",
                "background": {"service_worker": "b.js"},
            }
        )
        with pytest.raises(NamespaceUnavailableError):
            ext.background.runtime.connect_native(NAME)


async def test_stderr_is_captured(tmp_path: Path) -> None:
    browser, ext = await _setup(
        tmp_path,
        "firefox",
        "print('hello from stderr', file=sys.stderr, flush=True)\nrun(lambda m: m)\n",
    )
    async with browser:
        port = ext.background.runtime.connect_native(NAME)
        port.post_message("x")
        assert await port.next_message() == "x"
        port.disconnect()
        await browser.settle()
        assert any(
            c.text == f"stderr output from native app {NAME}: hello from stderr"
            for c in browser.console
        )


async def test_settle_names_a_host_that_never_answers(tmp_path: Path) -> None:
    browser, ext = await _setup(tmp_path, "chrome", "import time\nread_message()\ntime.sleep(60)\n")
    browser._driver.io_timeout = 0.5
    async with browser:
        port = ext.background.runtime.connect_native(NAME)
        port.post_message({"hello": 1})
        with pytest.raises(SettleTimeoutError, match=NAME):
            await browser.settle()
        pid = next(iter(browser._native.processes)).pid
    assert not Path(f"/proc/{pid}").exists()


async def test_example_host_runs(tmp_path: Path) -> None:
    example = ROOT / "examples" / "native-echo" / "echo_host.py"
    wrapper = tmp_path / "echo.sh"
    wrapper.write_text(
        f'#!/bin/sh\nPYTHONPATH={ROOT / "src"} exec {sys.executable} {example} "$@"\n'
    )
    wrapper.chmod(0o755)
    async with Browser(native_hosts=[tmp_path]) as browser:
        ext = await browser.install(manifest=_manifest("chrome"))
        (tmp_path / "com.webext_runtime.echo.json").write_text(
            json.dumps(
                {
                    "name": "com.webext_runtime.echo",
                    "description": "echo",
                    "path": str(wrapper),
                    "type": "stdio",
                    "allowed_origins": [f"chrome-extension://{ext.id}/"],
                }
            )
        )
        reply = await ext.background.runtime.send_native_message(
            "com.webext_runtime.echo", {"ping": True}
        )
        assert reply == {"echo": {"ping": True}, "argv": [f"chrome-extension://{ext.id}/"]}
    assert os.waitpid  # no zombie check needed beyond the Browser's own


@pytest.mark.parametrize("profile", PROFILES)
async def test_from_js_port_and_one_shot(tmp_path: Path, profile: str) -> None:
    host = _host(tmp_path, ECHO)
    ext_dir = tmp_path / "ext"
    ext_dir.mkdir()
    (ext_dir / "manifest.json").write_text(
        json.dumps(
            {
                "manifest_version": 2,
                "name": "native-js",
                "version": "1",
                "permissions": ["nativeMessaging"],
                "background": {"scripts": ["bg.js"]},
                "browser_specific_settings": {"gecko": {"id": GECKO_ID}},
            }
        )
    )
    (ext_dir / "bg.js").write_text("""
const port = chrome.runtime.connectNative("com.test.host");
port.onMessage.addListener((m) => console.log("port got", JSON.stringify(m.echo)));
port.postMessage({via: "port"});
chrome.runtime.sendNativeMessage("com.test.host", {via: "one-shot"}, (r) => {
  console.log("callback got", JSON.stringify(r.echo), String(chrome.runtime.lastError));
});
chrome.runtime.sendNativeMessage("com.test.none", {}, (r) => {
  console.log("missing host:", chrome.runtime.lastError.message);
});
console.log("typeof connectNative in bg:", typeof chrome.runtime.connectNative);
""")
    async with Browser(profile=profile, native_hosts=[tmp_path], native_timeout=5.0) as browser:
        ext = await browser.install(ext_dir)
        hm: dict[str, Any] = {"name": NAME, "description": "t", "path": str(host), "type": "stdio"}
        if profile == "chrome":
            hm["allowed_origins"] = [f"chrome-extension://{ext.id}/"]
        else:
            hm["allowed_extensions"] = [GECKO_ID]
        (tmp_path / f"{NAME}.json").write_text(json.dumps(hm))
        # the manifest was written after install: the background's calls ran already and
        # failed; reload the page-level logic by evaluating it again
        await ext.background.evaluate(
            (ext_dir / "bg.js")
            .read_text()
            .replace("const port", "var port2")
            .replace("port.", "port2.")
        )
        await browser.settle()
        texts = [c.text for c in browser.console if c.context == "background"]
        assert 'port got {"via":"port"}' in texts
        assert any(t.startswith('callback got {"via":"one-shot"}') for t in texts)
        missing = (
            "Specified native messaging host not found."
            if profile == "chrome"
            else "No such native application com.test.none"
        )
        assert f"missing host: {missing}" in texts
        assert "typeof connectNative in bg: function" in texts
