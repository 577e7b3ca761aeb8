"""Native messaging from JS (an extension directory written into tmp_path), both profiles:
the failures of SEMANTICS.md §5 as a script sees them — Chrome ``runtime.lastError`` in
``onDisconnect`` / the callback, Firefox ``port.error`` / rejections and synchronous throws."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from webext_runtime import Browser, UsageError

from .test_native_failures import (
    CHROME_ID,
    EXITED,
    FORBIDDEN,
    GECKO_ID,
    INVALID_JSON,
    INVALID_NAME,
    IO_ERROR,
    KEY,
    NOT_FOUND,
    TOO_BIG_FF,
    UNEXPECTED,
    bad_name_ff,
    hosts_dir,
    no_such,
)

PROFILES = ["chrome", "firefox"]
U = "<u>"

HELPERS = r"""
const __d = (v) => (v === undefined ? "<u>" : v);
// connectNative, post ``posts`` (the first at once, each next one when a message arrives),
// resolve at onDisconnect or after ``until`` messages
globalThis.portRun = (name, posts, until) => new Promise((resolve) => {
  let port;
  try { port = chrome.runtime.connectNative(name); }
  catch (e) { resolve({ threw: e.name, message: e.message }); return; }
  const out = { name: port.name, messages: [], error: __d(port.error) };
  const queue = posts.slice(1);
  port.onMessage.addListener((m) => {
    out.messages.push(m);
    if (until && out.messages.length >= until) { out.open = true; port.disconnect(); resolve(out); }
    else if (queue.length) port.postMessage(queue.shift());
  });
  port.onDisconnect.addListener((p) => {
    const le = chrome.runtime.lastError;
    out.lastError = le === undefined ? "<u>" : le === null ? null : le.message;
    out.portError = p.error === undefined ? "<u>" : p.error === null ? null : p.error.message;
    try { p.postMessage(1); out.postAfter = "ok"; } catch (e) { out.postAfter = e.message; }
    resolve(out);
  });
  if (posts.length) port.postMessage(posts[0]);
});
globalThis.oneShot = (name, msg) => {
  let ret;
  try { ret = api.runtime.sendNativeMessage(name, msg); }
  catch (e) { return { threw: e.name, message: e.message }; }
  return ret.then((r) => ({ resolved: __d(r) }), (e) => ({ rejected: e.message }));
};
globalThis.oneShotCb = (name, msg) => new Promise((resolve) => {
  const ret = chrome.runtime.sendNativeMessage(name, msg, (...args) => {
    const le = chrome.runtime.lastError;
    resolve({ nargs: args.length, r: args.length ? __d(args[0]) : "<none>",
              lastError: le === undefined ? "<u>" : le === null ? null : le.message,
              returned: __d(ret) });
  });
});
globalThis.api = globalThis.browser ?? globalThis.chrome;
"""


def write_ext(root: Path, *, permission: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "manifest_version": 3,
        "name": "native-js",
        "version": "1",
        "key": KEY,
        "permissions": ["nativeMessaging"] if permission else [],
        "background": {"service_worker": "bg.js", "scripts": ["bg.js"]},
        "content_scripts": [{"matches": ["https://example.com/*"], "js": ["cs.js"]}],
        "browser_specific_settings": {"gecko": {"id": GECKO_ID}},
    }
    (root / "manifest.json").write_text(json.dumps(manifest))
    (root / "bg.js").write_text(HELPERS)
    (root / "cs.js").write_text(HELPERS)
    return root


async def setup(tmp: Path, profile: str, kinds: list[str], **kw: Any) -> tuple[Browser, Any]:
    browser = Browser(
        profile=profile, native_hosts=[hosts_dir(tmp, profile, kinds, **kw)], native_timeout=5.0
    )
    ext = await browser.install(write_ext(tmp / "ext"))
    assert profile != "chrome" or ext.id == CHROME_ID
    return browser, ext


async def js(browser: Browser, ctx: Any, promise_expr: str, seconds: float = 10.0) -> Any:
    """Evaluate a promise-valued expression and poll for its value in real time.

    Native hosts run on the real clock; ``settle()`` runs the runtime without moving its
    virtual clock. (``evaluate`` of the promise works too since run_until holds virtual
    timers back while hosts run; this helper keeps a second path covered.)
    """
    await ctx.evaluate(
        "globalThis.__done = false; Promise.resolve(" + promise_expr + ")"
        ".then((v) => { globalThis.__value = v; globalThis.__done = true; }); 0"
    )
    deadline = time.monotonic() + seconds
    while True:
        await browser.settle()
        if await ctx.evaluate("globalThis.__done"):
            return await ctx.evaluate("globalThis.__value")
        assert time.monotonic() < deadline, f"{promise_expr} did not settle"
        await asyncio.sleep(0.01)


def err(profile: str, text: str | None) -> dict[str, Any]:
    """What portRun reports for an error disconnect."""
    if profile == "chrome":
        return {"lastError": text, "portError": U}
    return {"lastError": None, "portError": text}


def subset(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    for k, v in expected.items():
        assert actual.get(k) == v, (k, actual)


@pytest.mark.parametrize("profile", PROFILES)
async def test_echo_port_name_and_undefined(tmp_path: Path, profile: str) -> None:
    browser, ext = await setup(tmp_path, profile, ["echo", "raw_len"])
    async with browser:
        bg = ext.background
        r = await js(browser, bg, "portRun('com.test.echo', [{i: 1}, 'str', [null], 42], 4)")
        subset(r, {"messages": [{"i": 1}, "str", [None], 42], "open": True})
        # [N §1] Chrome "" and no port.error; Firefox the application name, error null
        assert r["name"] == ("" if profile == "chrome" else "com.test.echo")
        assert r["error"] == (U if profile == "chrome" else None)
        # postMessage(undefined): Chrome sends null, Firefox a zero-length frame [N §1]
        r = await js(browser, bg, "portRun('com.test.raw_len', [undefined], 1)")
        assert r["messages"] == [
            {"len": 4, "body": "null"} if profile == "chrome" else {"len": 0, "body": ""}
        ]


@pytest.mark.parametrize("profile", PROFILES)
async def test_lookup_failures(tmp_path: Path, profile: str) -> None:
    browser, ext = await setup(tmp_path, profile, ["echo"], allowed=False)
    async with browser:
        bg = ext.background
        chrome = profile == "chrome"
        for name, text in (
            ("com.test.nothere", NOT_FOUND if chrome else no_such("com.test.nothere")),
            ("com.test.echo", FORBIDDEN if chrome else no_such("com.test.echo")),
        ):
            r = await js(browser, bg, f"portRun({name!r}, [1])")
            subset(r, {**err(profile, text), "messages": []})
            assert r["postAfter"] == (
                "Attempting to use a disconnected port object"
                if chrome
                else "Attempt to postMessage on disconnected port"
            )
            assert await js(browser, bg, f"oneShot({name!r}, {{}})") == {"rejected": text}
            cb = await js(browser, bg, f"oneShotCb({name!r}, {{}})")
            subset(cb, {"nargs": 0, "lastError": text, "returned": U})
        assert browser._native.processes == set()


@pytest.mark.parametrize("profile", PROFILES)
async def test_invalid_name(tmp_path: Path, profile: str) -> None:
    browser, ext = await setup(tmp_path, profile, ["echo"])
    async with browser:
        bg = ext.background
        r = await js(browser, bg, "portRun('Bad Name!', [])")
        one = await js(browser, bg, "oneShot('Bad Name!', {})")
        if profile == "chrome":
            subset(r, err(profile, INVALID_NAME))
            assert one == {"rejected": INVALID_NAME}
        else:  # thrown synchronously, a plain Error [N §9]
            assert r == {
                "threw": "Error",
                "message": bad_name_ff("Bad Name!", "runtime.connectNative"),
            }
            assert one == {
                "threw": "Error",
                "message": bad_name_ff("Bad Name!", "runtime.sendNativeMessage"),
            }


@pytest.mark.parametrize("profile", PROFILES)
async def test_host_failures(tmp_path: Path, profile: str) -> None:
    kinds = ["exit1", "invalid_json", "empty_frame", "too_big", "kill_self"]
    browser, ext = await setup(tmp_path, profile, kinds)
    async with browser:
        bg = ext.background
        chrome = profile == "chrome"
        r = await js(browser, bg, "portRun('com.test.exit1', [1])")
        subset(r, err(profile, EXITED if chrome else None))
        assert await js(browser, bg, "oneShot('com.test.exit1', 1)") == {
            "rejected": EXITED if chrome else UNEXPECTED
        }
        r = await js(browser, bg, "portRun('com.test.kill_self', [1])")
        subset(r, {"messages": ["before"], **err(profile, EXITED if chrome else None)})
        for kind in ("invalid_json", "empty_frame"):
            if chrome:  # dropped, the port stays usable [N §7]
                r = await js(browser, bg, f"portRun('com.test.{kind}', [1, 2], 2)")
                subset(r, {"messages": [{"after": 1}, {"later": 2}], "open": True})
            else:
                r = await js(browser, bg, f"portRun('com.test.{kind}', [1])")
                subset(r, {"messages": [], **err(profile, UNEXPECTED)})
            assert await js(browser, bg, f"oneShot('com.test.{kind}', 1)") == {
                "rejected": INVALID_JSON if chrome else UNEXPECTED
            }
        r = await js(browser, bg, "portRun('com.test.too_big', [1])")
        subset(r, {"messages": [], **err(profile, IO_ERROR if chrome else TOO_BIG_FF)})
        cb = await js(browser, bg, "oneShotCb('com.test.too_big', 1)")
        subset(cb, {"nargs": 0, "lastError": IO_ERROR if chrome else TOO_BIG_FF})


@pytest.mark.parametrize("profile", PROFILES)
async def test_one_shot_forms(tmp_path: Path, profile: str) -> None:
    browser, ext = await setup(tmp_path, profile, ["echo"])
    async with browser:
        bg = ext.background
        assert await js(browser, bg, "oneShot('com.test.echo', {q: 1})") == {"resolved": {"q": 1}}
        cb = await js(browser, bg, "oneShotCb('com.test.echo', {q: 2})")
        subset(cb, {"nargs": 1, "r": {"q": 2}, "returned": U})
        # Firefox's chrome.* without a callback returns undefined; Chrome MV3 a promise
        # [SEMANTICS §7][N §2]
        ret = await bg.evaluate("String(chrome.runtime.sendNativeMessage('com.test.echo', {}))")
        assert ret == ("[object Promise]" if profile == "chrome" else "undefined")
        await browser.settle()


@pytest.mark.parametrize("profile", PROFILES)
async def test_unserializable_post_throws_before_writing(tmp_path: Path, profile: str) -> None:
    browser, ext = await setup(tmp_path, profile, ["raw_len"])
    async with browser:
        bad = "{b: BigInt(1)}" if profile == "chrome" else "{f: function () {}}"
        r = await js(
            browser,
            ext.background,
            """
            new Promise((resolve) => {
              const port = chrome.runtime.connectNative('com.test.raw_len');
              const out = {};
              try { port.postMessage(BAD); out.a = 'sent'; }
              catch (e) { out.a = e.name + ': ' + e.message; }
              try { port.postMessage(function () {}); out.b = 'sent'; }
              catch (e) { out.b = e.name + ': ' + e.message; }
              port.onMessage.addListener((m) => {
                out.first = m; port.disconnect(); resolve(out);
              });
              port.postMessage({ok: 1});
            })""".replace("BAD", bad),
        )
        assert r["first"] == {"len": 8, "body": '{"ok":1}'}  # nothing was written before
        if profile == "chrome":
            assert r["a"] == "Error: Could not serialize message."
            assert r["b"] == "Error: Could not serialize message."
        else:
            assert r["a"] == "DataCloneError: Function object could not be cloned."
            assert r["b"] == "DataCloneError: Function object could not be cloned."


@pytest.mark.parametrize("profile", PROFILES)
async def test_presence(tmp_path: Path, profile: str) -> None:
    """Absent without the permission; Chrome content scripts lack it, Firefox's fail with
    the unexpected error and start nothing [N §5, §10]."""
    async with Browser(profile=profile, native_hosts=[hosts_dir(tmp_path, profile, ["echo"])]) as b:
        plain = await b.install(write_ext(tmp_path / "plain", permission=False))
        assert await plain.background.evaluate("typeof chrome.runtime.connectNative") == "undefined"
        assert (
            await plain.background.evaluate("typeof chrome.runtime.sendNativeMessage")
            == "undefined"
        )
        await b.close()
    browser, ext = await setup(tmp_path, profile, ["echo"])
    async with browser:
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        kind = await cs.evaluate("typeof chrome.runtime.connectNative")
        if profile == "chrome":
            assert kind == "undefined"
        else:
            assert kind == "function"
            r = await js(browser, cs, "portRun('com.test.echo', [1])")
            subset(r, err(profile, UNEXPECTED))
            assert await js(browser, cs, "oneShot('com.test.echo', 1)") == {"rejected": UNEXPECTED}
        assert browser._native.processes == set()


@pytest.mark.parametrize("profile", PROFILES)
async def test_trace_records(tmp_path: Path, profile: str) -> None:
    browser, ext = await setup(tmp_path, profile, ["echo"])
    async with browser:
        bg = ext.background
        await js(browser, bg, "portRun('com.test.echo', [{p: 1}], 1)")
        await js(browser, bg, "oneShot('com.test.echo', {o: 1})")
        await js(browser, bg, "oneShot('com.test.nothere', {o: 2})")
        trace = browser.trace_json()
    connect = next(r for r in trace if r["kind"] == "connect" and r["data"].get("api") == "native")
    assert connect["data"]["application"] == "com.test.echo"
    assert connect["target"] == "native[com.test.echo]"
    sends = [r for r in trace if r["kind"] == "send_native_message"]
    assert [s["target"] for s in sends] == ["native[com.test.echo]", "native[com.test.nothere]"]
    replies = [r for r in trace if r["kind"] == "reply" and r["source"].startswith("native[")]
    assert replies[0]["data"]["message"] == {"o": 1}
    assert replies[1]["data"]["error"] == (
        NOT_FOUND if profile == "chrome" else no_such("com.test.nothere")
    )
    starting = [
        r
        for r in trace
        if r["kind"] == "lifecycle" and r["data"]["event"] == "native_host_starting"
    ]
    assert starting and starting[0]["data"]["argv"][0].endswith("echo.py")


# -- native hosts run on the real clock, the runtime on a virtual one ---------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_virtual_timers_do_not_overtake_native_answers(tmp_path: Path, profile: str) -> None:
    """A host that speaks first, 0.2 s (real time) after starting, unprompted: a virtual
    5 s timer must not fire before it. While a host runs, run_until() lets the clock jump
    only after Driver.autojump_threshold real seconds without host events."""
    browser, ext = await setup(tmp_path, profile, ["delayed_hello"])
    async with browser:
        order = await ext.background.evaluate("""
            new Promise((resolve) => {
              const order = [];
              setTimeout(() => { order.push('timer'); resolve(order); }, 5000);
              const port = chrome.runtime.connectNative('com.test.delayed_hello');
              port.onMessage.addListener((m) => { order.push(m); });
            })""")
        assert order == ["hello", "timer"]


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_silent_host_lets_timers_fire_after_the_autojump_threshold(
    tmp_path: Path, profile: str
) -> None:
    """A host that runs but is not asked anything does not block virtual timers for ever:
    after ``autojump_threshold`` real seconds of quiet the clock jumps (and not before).
    (A host that was sent a message and never answers is a settle timeout instead.)"""
    browser = Browser(
        profile=profile,
        native_hosts=[hosts_dir(tmp_path, profile, ["never_answers"])],
        native_timeout=5.0,
        autojump_threshold=0.2,
    )
    ext = await browser.install(write_ext(tmp_path / "ext"))
    async with browser:
        t0 = time.monotonic()
        got = await ext.background.evaluate("""
            new Promise((resolve) => {
              globalThis.keep = chrome.runtime.connectNative('com.test.never_answers');
              setTimeout(() => resolve(Date.now()), 5000);
            })""")
        real = time.monotonic() - t0
        assert got >= 5000 + 1_600_000_000_000  # the virtual clock moved 5 s (epoch-based Date)
        assert 0.2 <= real < 4.0, real


@pytest.mark.parametrize("bad", [-1, "1", True, None])
def test_autojump_threshold_must_be_seconds(bad: Any) -> None:
    with pytest.raises(UsageError, match="autojump_threshold"):
        Browser(autojump_threshold=bad)


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_python_listener_error_during_a_host_conversation_is_raised(
    tmp_path: Path, profile: str
) -> None:
    """Host messages are handled inside the pipe callback while the driver waits; an
    exception of a Python listener there still re-raises from the driver call."""
    browser, ext = await setup(tmp_path, profile, ["echo"])
    async with browser:
        port = ext.background.runtime.connect_native("com.test.echo")
        seen: list[Any] = []

        def listener(message: Any, p: Any) -> None:
            seen.append(message)
            if message < 3:
                p.post_message(message + 1)
            else:
                raise RuntimeError("listener boom at 3")

        port.on_message.add_listener(listener)
        port.post_message(1)
        with pytest.raises(RuntimeError, match="boom at 3"):
            await browser.settle()
        assert seen == [1, 2, 3]


async def test_open_native_port_keeps_the_service_worker_alive(tmp_path: Path) -> None:
    browser, ext = await setup(tmp_path, "chrome", ["echo"])
    async with browser:
        bg = ext.background
        assert await js(browser, bg, "portRun('com.test.echo', [1], 1).then(() => 0)") == 0
        await bg.evaluate(
            "globalThis.keep = chrome.runtime.connectNative('com.test.echo');"
            "keep.onMessage.addListener((m) => { globalThis.last = m; }); keep.postMessage(7); 0"
        )
        await browser.settle()
        await browser.advance(60)
        assert ext.background is not None and ext.background.alive
        assert await ext.background.evaluate("globalThis.last") == 7
