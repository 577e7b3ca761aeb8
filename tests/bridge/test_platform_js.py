# ruff: noqa: E501 — the tests embed JavaScript snippets whose lines read better unwrapped.
"""platform.js in a raw quickjs.Context: console, timers, encoding, URL, events and the DOM.

The host functions are plain Python callables; a small virtual clock (a heap of
``(due, seq, id)``) drives ``__wxPlatform.fireTimer`` the way the runtime does.
"""

from __future__ import annotations

import heapq
import json
import time
from pathlib import Path
from typing import Any

import pytest
import quickjs

PLATFORM_JS = (
    Path(__file__).resolve().parents[2] / "src/webext_runtime/_bridge/js/platform.js"
).read_text(encoding="utf-8")


class Realm:
    """A quickjs.Context with platform.js loaded and a fake virtual clock."""

    def __init__(self) -> None:
        self.ctx = quickjs.Context()
        self.console: list[tuple[str, str]] = []
        self.now = 0
        self.heap: list[tuple[int, int, int]] = []
        self.armed: dict[int, int] = {}  # timer id -> seq of its live arming
        self.seq = 0
        self.ctx.add_callable("__wxHost_console", self._console)
        self.ctx.add_callable("__wxHost_setTimer", self._set_timer)
        self.ctx.add_callable("__wxHost_clearTimer", self._clear_timer)
        self.ctx.add_callable("__wxHost_now", lambda: self.now)
        self.ctx.eval(PLATFORM_JS)

    def _console(self, level: str, text: str) -> None:
        self.console.append((level, text))

    def _set_timer(self, timer_id: int, delay: int) -> None:
        self.seq += 1
        self.armed[int(timer_id)] = self.seq
        heapq.heappush(self.heap, (self.now + int(delay), self.seq, int(timer_id)))

    def _clear_timer(self, timer_id: int) -> None:
        self.armed.pop(int(timer_id), None)

    def eval(self, src: str) -> Any:
        value = self.ctx.eval(src)
        if isinstance(value, quickjs.Object):
            text = value.json()
            return None if text is None else json.loads(text)
        return value

    def drain(self) -> None:
        while self.ctx.execute_pending_job():
            pass

    def run(self, until: int = 10_000, max_fires: int = 1000) -> list[str]:
        """Fire due timers in (due, insertion) order; returns the errors they raised."""
        errors: list[str] = []
        fires = 0
        self.drain()
        while self.heap and self.heap[0][0] <= until and fires < max_fires:
            due, seq, timer_id = heapq.heappop(self.heap)
            if self.armed.get(timer_id) != seq:
                continue
            del self.armed[timer_id]
            self.now = due
            fires += 1
            try:
                self.ctx.eval(f"__wxPlatform.fireTimer({timer_id})")
            except quickjs.JSException as e:
                errors.append(str(e).splitlines()[0])
            self.drain()
        return errors

    def logs(self) -> list[str]:
        return [text for _, text in self.console]


@pytest.fixture
def realm() -> Realm:
    return Realm()


def fmt(realm: Realm, args_js: str) -> str:
    return realm.eval(f"__wxPlatform.formatConsole([{args_js}])")


# -- console -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("'hi'", "hi"),
        ("'a', 'b'", "a b"),
        ("1, 1.5, -0, NaN, Infinity", "1 1.5 -0 NaN Infinity"),
        ("true, null, undefined", "true null undefined"),
        ("10n", "10n"),
        ("Symbol('s')", "Symbol(s)"),
        ("{greeting: 'hi', n: 1}", "{greeting: 'hi', n: 1}"),
        ("[1, 2, 3]", "[1, 2, 3]"),
        ("[]", "[]"),
        ("{}", "{}"),
        ("{a: {b: [1, {c: null}]}, 'x-y': undefined}", "{a: {b: [1, {…}]}, 'x-y': undefined}"),
        ("{a: [1, {c: null}]}", "{a: [1, {c: null}]}"),
        ("{a: {b: {c: {d: 1}}}}", "{a: {b: {c: {…}}}}"),
        ("{a: [[[[1]]]]}", "{a: [[Array(1)]]}"),
        ("[1, , , 4]", "[1, empty × 2, 4]"),
        ('{s: "it\'s"}', '{s: "it\'s"}'),
        ("{s: 'a\\nb'}", "{s: 'a\\nb'}"),
        ("{f() {}}", "{f: ƒ}"),
        ("new Map([['a', 1]])", "Map(1) {'a' => 1}"),
        ("new Set([1, 2])", "Set(2) {1, 2}"),
        ("new Uint8Array([1, 2])", "Uint8Array(2) [1, 2]"),
        ("new ArrayBuffer(8)", "ArrayBuffer(8)"),
        ("/a+/g", "/a+/g"),
        ("new (class Foo { constructor() { this.x = 1; } })()", "Foo {x: 1}"),
        ("Object.assign(Object.create(null), {k: 1})", "{k: 1}"),
        ("(() => { const o = {n: 1}; o.self = o; return o; })()", "{n: 1, self: [Circular]}"),
        ("{get g() { return 1; }}", "{g: (...)}"),
        ("{e: new TypeError('bad')}", "{e: TypeError: bad}"),
        ("'%s is %d years', 'Bob', 42.9", "Bob is 42 years"),
        ("'%i|%f|%d', 7.8, 1.5, 'x'", "7|1.5|NaN"),
        ("'%o and %O', {a: 'x'}, [1]", "{a: 'x'} and [1]"),
        ("'%s', {a: 1}", "{a: 1}"),
        ("'%cstyled', 'color: red'", "styled"),
        ("'100%% %s', 'done'", "100% done"),
        ("'%s %s', 'only'", "only %s"),
        ("'x', {a: 1}, [2]", "x {a: 1} [2]"),
        ("'%s'", "%s"),
    ],
)
def test_console_format(realm: Realm, args: str, expected: str) -> None:
    assert fmt(realm, args) == expected


def test_console_error_shows_stack(realm: Realm) -> None:
    text = fmt(realm, "(function boom() { return new Error('kaput'); })()")
    lines = text.splitlines()
    assert lines[0] == "Error: kaput"
    assert lines[1].strip().startswith("at boom")
    assert fmt(realm, "'failed:', new RangeError('r')").startswith("failed: RangeError: r\n")
    no_stack = "(() => { const e = new Error('m'); e.stack = ''; return e; })()"
    assert fmt(realm, no_stack) == "Error: m"


def test_console_levels_and_helpers(realm: Realm) -> None:
    realm.eval(
        """
        console.log('l', 1); console.info('i'); console.warn('w'); console.error('e');
        console.debug('d'); console.table([1]); console.dir({a: 1});
        console.assert(true, 'never'); console.assert(false, 'bad %s', 'x'); console.assert(0);
        console.count(); console.count(); console.count('k');
        """
    )
    assert realm.console == [
        ("log", "l 1"),
        ("info", "i"),
        ("warn", "w"),
        ("error", "e"),
        ("debug", "d"),
        ("log", "[1]"),
        ("log", "{a: 1}"),
        ("error", "Assertion failed: bad x"),
        ("error", "Assertion failed"),
        ("info", "default: 1"),
        ("info", "default: 2"),
        ("info", "k: 1"),
    ]
    realm.eval("console.trace('here')")
    level, text = realm.console[-1]
    assert level == "log"
    assert text.startswith("here\n")


def test_console_time_uses_virtual_clock(realm: Realm) -> None:
    realm.eval("console.time('t')")
    realm.now = 25
    realm.eval("console.timeEnd('t'); console.timeEnd('t')")
    assert realm.console == [("info", "t: 25 ms"), ("warn", "Timer 't' does not exist")]


# -- MessageChannel ----------------------------------------------------------------------------


def test_message_channel_queues_until_started_and_delivers_one_task_per_message(
    realm: Realm,
) -> None:
    realm.eval(
        """
        globalThis.log = [];
        // (serialize.js defines the real one in the runtime; platform.js calls whichever exists)
        globalThis.structuredClone = (v) => JSON.parse(JSON.stringify(v));
        const a = new MessageChannel();
        a.port2.onmessage = (e) => log.push(['a', e.data, e.ports.length, e.isTrusted]);
        const sent = { n: 1 };
        a.port1.postMessage(sent);
        sent.n = 2;  // cloned when posted
        a.port1.postMessage('second');
        setTimeout(() => log.push('timer'), 0);
        const b = new MessageChannel();
        b.port2.addEventListener('message', (e) => log.push(['b', e.data]));
        b.port1.postMessage('waits for start()');
        queueMicrotask(() => log.push('microtask'));
        log.push('sync');
        """
    )
    assert realm.run() == []
    assert realm.eval("log") == [
        "sync",
        "microtask",
        ["a", {"n": 1}, 0, True],
        ["a", "second", 0, True],
        "timer",
    ]
    realm.eval("b.port2.start(); a.port2.close(); a.port1.postMessage('after close')")
    assert realm.run() == []
    assert realm.eval("log.slice(5)") == [["b", "waits for start()"]]


def test_message_port_misuse(realm: Realm) -> None:
    assert realm.eval("(() => { try { new MessagePort() } catch (e) { return e.message } })()") == (
        "Illegal constructor"
    )
    assert (
        realm.eval(
            "(() => { try { new MessageChannel().port1.postMessage() } catch (e) { return e.message } })()"
        )
        == "Failed to execute 'postMessage' on 'MessagePort': 1 argument required, but only 0 present."
    )


# -- timers ----------------------------------------------------------------------------------


def test_timeouts_fire_by_delay_then_insertion(realm: Realm) -> None:
    realm.eval(
        """
        globalThis.order = [];
        setTimeout(() => order.push('b30'), 30);
        setTimeout(() => order.push('a10'), 10);
        setTimeout((x, y) => order.push('c10:' + x + y), 10, 'p', 'q');
        setTimeout(() => order.push('zero'));
        setTimeout(() => order.push('neg'), -5);
        setTimeout(() => order.push('nan'), NaN);
        const dead = setTimeout(() => order.push('cleared'), 5);
        clearTimeout(dead);
        globalThis.ids = [dead, setTimeout('order.push(1)', 0)];
        """
    )
    assert realm.run() == []
    assert realm.eval("order") == ["zero", "neg", "nan", "a10", "c10:pq", "b30"]
    ids = realm.eval("ids")
    assert all(isinstance(i, int) and i > 0 for i in ids)
    assert realm.eval("typeof setTimeout(() => 0)") == "number"


def test_timer_this_and_performance_now(realm: Realm) -> None:
    realm.eval(
        "setTimeout(function () { globalThis.seen = [this === globalThis, performance.now()]; }, 7)"
    )
    realm.run()
    assert realm.eval("seen") == [True, 7]


EPOCH = 1_700_000_000_000  # 2023-11-14T22:13:20Z


def test_date_reads_the_virtual_clock_from_host_epoch(realm: Realm) -> None:
    asked: list[int] = []
    # a float: the raw binding truncates Python ints to 32 bits (the engine layer converts)
    realm.ctx.add_callable("__wxHost_epoch", lambda: asked.append(1) or float(EPOCH))
    realm.now = 1500
    assert realm.eval("Date.now()") == EPOCH + 1500
    assert realm.eval("new Date().getTime()") == EPOCH + 1500
    assert realm.eval("new Date().toISOString()") == "2023-11-14T22:13:21.500Z"
    assert realm.eval("typeof Date()") == "string"
    assert realm.eval("Date()") == realm.eval("new Date(Date.now()).toString()")
    realm.eval("setTimeout(function () { globalThis.at = [Date.now(), performance.now()]; }, 250)")
    realm.run()
    assert realm.eval("at") == [EPOCH + 1750, 1750]
    assert realm.eval("performance.timeOrigin") == EPOCH
    assert realm.eval("performance.timeOrigin + performance.now() === Date.now()") is True
    realm.now = 1750.9  # whole milliseconds, as browsers
    assert realm.eval("Date.now()") == EPOCH + 1750
    assert asked == [1]  # asked once


def test_date_set_epoch_overrides_and_fallback_is_real_clock(realm: Realm) -> None:
    realm.now = 10
    real = time.time() * 1000
    assert abs(realm.eval("Date.now()") - real) < 5_000  # no epoch: aligned with the real clock
    realm.eval("__wxPlatform.setEpoch(0)")
    assert realm.eval("Date.now()") == 10
    assert realm.eval("new Date().toISOString()") == "1970-01-01T00:00:00.010Z"


def test_date_otherwise_intact(realm: Realm) -> None:
    realm.ctx.add_callable("__wxHost_epoch", lambda: float(EPOCH))
    checks = realm.eval(
        """[
        new Date(0).toISOString(),
        new Date(2020, 1, 3).getMonth(),
        new Date('2020-01-02T03:04:05Z').getTime(),
        Date.UTC(2020, 0, 1),
        Date.parse('2020-01-01T00:00:00Z'),
        isNaN(new Date(undefined).getTime()),
        new Date() instanceof Date,
        new Date(5) instanceof Date,
        Object.prototype.toString.call(new Date()),
        Date.prototype.constructor === Date,
        Object.getPrototypeOf(new Date()) === Date.prototype,
        typeof Date.prototype.getTime,
        Date.length, Date.name, Date.now.name,
        Object.keys(globalThis).includes('Date'),
        Object.getOwnPropertyDescriptor(globalThis, 'Date').writable,
        new (class D extends Date { x() { return this.getTime(); } })(7).x(),
        new (class D extends Date {})() instanceof Date,
        new (class D extends Date {})().getTime(),
        JSON.stringify({d: new Date(0)}),
        Date.prototype.toISOString.call(new Date(1)),
    ]"""
    )
    assert checks == [
        "1970-01-01T00:00:00.000Z",
        1,
        1577934245000,
        1577836800000,
        1577836800000,
        True,
        True,
        True,
        "[object Date]",
        True,
        True,
        "function",
        7,
        "Date",
        "now",
        False,
        True,
        7,
        True,
        EPOCH,
        '{"d":"1970-01-01T00:00:00.000Z"}',
        "1970-01-01T00:00:00.001Z",
    ]


def test_interval_repeats_and_clears_itself(realm: Realm) -> None:
    realm.eval(
        """
        globalThis.ticks = []; globalThis.count = 0;
        const id = setInterval(() => {
          ticks.push(performance.now());
          if (++globalThis.count === 3) clearInterval(id);
        }, 10);
        setTimeout(() => ticks.push('t25'), 25);
        """
    )
    realm.run()
    assert realm.eval("ticks") == [10, 20, "t25", 30]
    assert realm.heap == [] or all(realm.armed.get(i) != s for _, s, i in realm.heap)


def test_timer_exceptions_propagate_but_interval_continues(realm: Realm) -> None:
    realm.eval(
        """
        globalThis.n = 0;
        const id = setInterval(() => { n++; if (n === 4) clearInterval(id); throw new Error('tick ' + n); }, 5);
        setTimeout(() => { throw new TypeError('once'); }, 7);
        """
    )
    errors = realm.run()
    assert errors == [
        "Error: tick 1",
        "TypeError: once",
        "Error: tick 2",
        "Error: tick 3",
        "Error: tick 4",
    ]
    assert realm.eval("n") == 4


def test_fire_unknown_timer_is_false(realm: Realm) -> None:
    assert realm.eval("__wxPlatform.fireTimer(12345)") is False


def test_nested_zero_timers_clamp_to_4ms(realm: Realm) -> None:
    realm.eval(
        """
        globalThis.times = [];
        (function again() { times.push(performance.now()); if (times.length < 9) setTimeout(again, 0); })();
        """
    )
    realm.run()
    assert realm.eval("times") == [0, 0, 0, 0, 0, 0, 0, 4, 8]


def test_microtasks_run_between_timers(realm: Realm) -> None:
    realm.eval(
        """
        globalThis.order = [];
        setTimeout(() => {
          order.push('t1');
          Promise.resolve().then(() => order.push('p1'));
          queueMicrotask(() => order.push('m1'));
        }, 0);
        setTimeout(() => order.push('t2'), 0);
        Promise.resolve().then(() => order.push('p0'));
        order.push('sync');
        """
    )
    realm.run()
    assert realm.eval("order") == ["sync", "p0", "t1", "p1", "m1", "t2"]


# -- TextEncoder / TextDecoder / base64 -------------------------------------------------------


@pytest.mark.parametrize("text", ["", "hello", "héllo wörld", "日本語", "emoji 😀👍🏽", "a\u0000b"])
def test_text_round_trip(realm: Realm, text: str) -> None:
    src = json.dumps(text)
    data = realm.eval(f"Array.from(new TextEncoder().encode({src}))")
    assert bytes(data) == text.encode("utf-8")
    assert realm.eval(f"new TextDecoder().decode(new TextEncoder().encode({src})) === {src}")
    assert realm.eval(f"new TextDecoder().decode(new TextEncoder().encode({src}).buffer) === {src}")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff", "\ufffd"),
        (b"a\x80b", "a\ufffdb"),
        (b"\xe2\x82", "\ufffd"),
        (b"\xe2\x82\x41", "\ufffdA"),
        (b"\xf0\x9f\x98", "\ufffd"),
        (b"\xed\xa0\x80", "\ufffd\ufffd\ufffd"),
        (b"\xc0\xaf", "\ufffd\ufffd"),
        (b"\xef\xbb\xbfbom", "bom"),
    ],
)
def test_text_decoder_invalid_bytes(realm: Realm, data: bytes, expected: str) -> None:
    assert data.decode("utf-8-sig", errors="replace") == expected
    got = realm.eval(f"new TextDecoder().decode(new Uint8Array({list(data)}))")
    assert got == expected


def test_text_encoder_details(realm: Realm) -> None:
    assert realm.eval("Array.from(new TextEncoder().encode('\\ud800x'))") == [
        0xEF,
        0xBF,
        0xBD,
        0x78,
    ]
    assert (
        realm.eval("new TextEncoder().encoding + new TextDecoder('UTF8').encoding") == "utf-8utf-8"
    )
    assert realm.eval(
        "JSON.stringify(new TextEncoder().encodeInto('a😀b', new Uint8Array(5)))"
    ) == json.dumps({"read": 3, "written": 5}, separators=(",", ":"))
    assert realm.eval(
        "try { new TextDecoder('utf-8', {fatal: true}).decode(new Uint8Array([255])) } "
        "catch (e) { e instanceof TypeError }"
    )
    assert realm.eval(
        "try { new TextDecoder('latin1') } catch (e) { e.name + ': ' + e.message }"
    ) == (
        "RangeError: Failed to construct 'TextDecoder': The encoding label provided ('latin1') is invalid."
    )
    streamed = realm.eval(
        "const d = new TextDecoder(); const b = new TextEncoder().encode('x😀y');"
        "d.decode(b.subarray(0, 3), {stream: true}) + '|' + d.decode(b.subarray(3))"
    )
    assert streamed == "x|😀y"


def test_base64(realm: Realm) -> None:
    assert realm.eval("btoa('hello')") == "aGVsbG8="
    assert realm.eval("atob('aGVsbG8=')") == "hello"
    assert realm.eval("try { atob('*') } catch (e) { e.name }") == "InvalidCharacterError"


# -- URL -----------------------------------------------------------------------------------

URL_FIELDS = [
    "href",
    "protocol",
    "host",
    "hostname",
    "port",
    "pathname",
    "search",
    "hash",
    "origin",
]


def url(realm: Realm, *args: str) -> dict[str, str]:
    js_args = ", ".join(json.dumps(a) for a in args)
    fields = ", ".join(f"{f}: u.{f}" for f in URL_FIELDS)
    return realm.eval(f"(() => {{ const u = new URL({js_args}); return {{{fields}}}; }})()")


@pytest.mark.parametrize(
    ("args", "href", "origin"),
    [
        (
            ("https://Example.COM:443/a/./b/../c?q=1#h",),
            "https://example.com/a/c?q=1#h",
            "https://example.com",
        ),
        (("http://example.com:8080",), "http://example.com:8080/", "http://example.com:8080"),
        (("HTTP://a.b/ x",), "http://a.b/%20x", "http://a.b"),
        (("../a?b#c", "http://h.com/x/y/z"), "http://h.com/x/a?b#c", "http://h.com"),
        (("a", "http://h.com/x/y"), "http://h.com/x/a", "http://h.com"),
        (("/root", "https://h.com/x/y?q#f"), "https://h.com/root", "https://h.com"),
        (("?n", "https://h.com/x/y?q#f"), "https://h.com/x/y?n", "https://h.com"),
        (("#g", "https://h.com/x/y?q#f"), "https://h.com/x/y?q#g", "https://h.com"),
        (("", "https://h.com/x/y?q#f"), "https://h.com/x/y?q", "https://h.com"),
        (("//other.org/p", "https://h.com/x"), "https://other.org/p", "https://other.org"),
        (("http:\\\\a.com\\b\\..\\c",), "http://a.com/c", "http://a.com"),
        (("http://user:pa ss@h.com/",), "http://user:pa%20ss@h.com/", "http://h.com"),
        (("http://0x7f.1/",), "http://127.0.0.1/", "http://127.0.0.1"),
        (("http://[::1]:80/",), "http://[::1]/", "http://[::1]"),
        (("ws://h.com:80/s",), "ws://h.com/s", "ws://h.com"),
        (
            ("chrome-extension://abcdefghijklmnop/popup.html?x#y",),
            "chrome-extension://abcdefghijklmnop/popup.html?x#y",
            "chrome-extension://abcdefghijklmnop",
        ),
        (
            ("../icons/a.png", "chrome-extension://abc/pages/p.html"),
            "chrome-extension://abc/icons/a.png",
            "chrome-extension://abc",
        ),
        (
            ("moz-extension://1234-abcd/background.js",),
            "moz-extension://1234-abcd/background.js",
            "moz-extension://1234-abcd",
        ),
        (("file:///home/u/a.txt",), "file:///home/u/a.txt", "null"),
        (("mailto:Someone@x.org",), "mailto:Someone@x.org", "null"),
        (("data:text/plain,hi there",), "data:text/plain,hi there", "null"),
        (("about:blank",), "about:blank", "null"),
        (("foo://Host/p/../q",), "foo://Host/q", "null"),
        (("blob:https://h.com/uuid",), "blob:https://h.com/uuid", "https://h.com"),
        (("https://h.com/é?é#é",), "https://h.com/%C3%A9?%C3%A9#%C3%A9", "https://h.com"),
    ],
)
def test_url_parsing(realm: Realm, args: tuple[str, ...], href: str, origin: str) -> None:
    got = url(realm, *args)
    assert got["href"] == href
    assert got["origin"] == origin


def test_url_components(realm: Realm) -> None:
    assert url(realm, "https://user:pw@sub.h.com:8443/p/q.html?a=1&b=2#frag") == {
        "href": "https://user:pw@sub.h.com:8443/p/q.html?a=1&b=2#frag",
        "protocol": "https:",
        "host": "sub.h.com:8443",
        "hostname": "sub.h.com",
        "port": "8443",
        "pathname": "/p/q.html",
        "search": "?a=1&b=2",
        "hash": "#frag",
        "origin": "https://sub.h.com:8443",
    }
    assert (
        realm.eval(
            "new URL('https://u:p@h.com').username + '/' + new URL('https://u:p@h.com').password"
        )
        == "u/p"
    )
    assert realm.eval(
        "String(new URL('https://h.com/a')) + JSON.stringify({u: new URL('https://h.com/b')})"
    ) == ('https://h.com/a{"u":"https://h.com/b"}')


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("not a url",), "Failed to construct 'URL': Invalid URL"),
        (("http://",), "Failed to construct 'URL': Invalid URL"),
        (("http://a b/",), "Failed to construct 'URL': Invalid URL"),
        (("http://h.com:99999/",), "Failed to construct 'URL': Invalid URL"),
        (("http://1.2.3.256/",), "Failed to construct 'URL': Invalid URL"),
        (("/relative",), "Failed to construct 'URL': Invalid URL"),
        (("x", "also not"), "Failed to construct 'URL': Invalid base URL"),
        (("x", "mailto:a@b"), "Failed to construct 'URL': Invalid URL"),
    ],
)
def test_url_invalid(realm: Realm, args: tuple[str, ...], message: str) -> None:
    js_args = ", ".join(json.dumps(a) for a in args)
    got = realm.eval(
        f"try {{ new URL({js_args}); 'no error' }} catch (e) {{ e.name + ': ' + e.message }}"
    )
    assert got == f"TypeError: {message}"
    assert realm.eval(f"URL.canParse({js_args})") is False


def test_url_setters(realm: Realm) -> None:
    got = realm.eval(
        """
        (() => {
          const u = new URL('http://h.com/a?x=1#f');
          const out = [];
          u.search = 'y=2'; out.push(u.href);
          u.hash = ''; out.push(u.href);
          u.pathname = 'p q'; out.push(u.href);
          u.port = '80'; out.push(u.href);
          u.port = '81'; out.push(u.href);
          u.hostname = 'Other.com'; out.push(u.href);
          u.protocol = 'https'; out.push(u.href);
          u.href = 'https://z.org/'; out.push(u.href);
          try { u.href = 'nope'; } catch (e) { out.push(e.constructor.name); }
          return out;
        })()
        """
    )
    assert got == [
        "http://h.com/a?y=2#f",
        "http://h.com/a?y=2",
        "http://h.com/p%20q?y=2",
        "http://h.com/p%20q?y=2",
        "http://h.com:81/p%20q?y=2",
        "http://other.com:81/p%20q?y=2",
        "https://other.com:81/p%20q?y=2",
        "https://z.org/",
        "TypeError",
    ]


def test_search_params(realm: Realm) -> None:
    got = realm.eval(
        """
        (() => {
          const u = new URL('https://h.com/?a=1&b=x+y&a=2&e=%F0%9F%98%80&bad=%ZZ');
          const p = u.searchParams;
          const out = [p.get('a'), p.getAll('a'), p.get('b'), p.get('e'), p.get('bad'), p.get('none'), p.has('b'), p.size];
          p.append('c', 'a b&c=d');
          p.set('a', '3');
          p.delete('bad');
          out.push(u.search, u.searchParams === p);
          p.sort();
          out.push(p.toString(), [...p.keys()]);
          u.search = '?z=9';
          out.push(p.get('z'), [...p].length);
          out.push(new URLSearchParams({x: 1, y: 'é'}).toString());
          out.push(new URLSearchParams([['k', 'v'], ['k', 'w']]).getAll('k'));
          out.push(new URLSearchParams('?q=%20!\\'()~').get('q'), new URLSearchParams({s: "!'()~*"}).toString());
          p.delete('z');
          out.push(u.href);
          return out;
        })()
        """
    )
    assert got == [
        "1",
        ["1", "2"],
        "x y",
        "😀",
        "%ZZ",
        None,
        True,
        5,
        "?a=3&b=x+y&e=%F0%9F%98%80&c=a+b%26c%3Dd",
        True,
        "a=3&b=x+y&c=a+b%26c%3Dd&e=%F0%9F%98%80",
        ["a", "b", "c", "e"],
        "9",
        1,
        "x=1&y=%C3%A9",
        ["v", "w"],
        " !'()~",
        "s=%21%27%28%29%7E*",
        "https://h.com/",
    ]


# -- events --------------------------------------------------------------------------------


def test_event_target_basics(realm: Realm) -> None:
    got = realm.eval(
        """
        (() => {
          const t = new EventTarget(), out = [];
          const f = (e) => out.push('f:' + e.type + ':' + (e.target === t) + ':' + e.eventPhase);
          t.addEventListener('x', f);
          t.addEventListener('x', f);  // duplicate ignored
          t.addEventListener('x', () => out.push('once'), {once: true});
          t.addEventListener('x', {handleEvent(e) { out.push('obj:' + (e instanceof CustomEvent) + ':' + e.detail); }});
          t.dispatchEvent(new CustomEvent('x', {detail: 7}));
          t.removeEventListener('x', f);
          t.dispatchEvent(new Event('x'));
          const ev = new Event('y', {cancelable: true});
          t.addEventListener('y', (e) => e.preventDefault());
          out.push(t.dispatchEvent(ev), ev.defaultPrevented, ev.isTrusted);
          const ev2 = new Event('y');
          out.push(t.dispatchEvent(ev2), ev2.defaultPrevented);
          t.addEventListener('z', () => out.push('passive'), {passive: true});
          const ac = new AbortController();
          t.addEventListener('z', () => out.push('aborted?'), {signal: ac.signal});
          ac.abort();
          t.dispatchEvent(new Event('z'));
          out.push(ac.signal.aborted, ac.signal.reason.name);
          return out;
        })()
        """
    )
    assert got == [
        "f:x:true:2",
        "once",
        "obj:true:7",
        "obj:false:undefined",
        False,
        True,
        False,
        True,
        False,
        "passive",
        True,
        "AbortError",
    ]


def test_stop_immediate_propagation_and_listener_errors(realm: Realm) -> None:
    got = realm.eval(
        """
        (() => {
          const t = new EventTarget(), out = [];
          t.addEventListener('x', () => { out.push(1); throw new Error('listener broke'); });
          t.addEventListener('x', (e) => { out.push(2); e.stopImmediatePropagation(); });
          t.addEventListener('x', () => out.push(3));
          t.dispatchEvent(new Event('x'));
          return out;
        })()
        """
    )
    assert got == [1, 2]
    assert realm.console[0][0] == "error"
    assert realm.console[0][1].startswith("Uncaught Error: listener broke")


def test_globals_identity(realm: Realm) -> None:
    assert realm.eval("self === window && window === globalThis && globalThis === top") is True
    assert realm.eval("window instanceof EventTarget && window instanceof Window") is True
    assert realm.eval("navigator.language") == "en-US"
    assert "Chrome/" in realm.eval("navigator.userAgent")
    realm.eval("__wxPlatform.setUserAgent('UA/1')")
    assert realm.eval("navigator.userAgent") == "UA/1"
    assert realm.eval("typeof structuredClone") == "undefined"


def test_make_worker_global(realm: Realm) -> None:
    realm.eval("__wxPlatform.makeWorkerGlobal('chrome-extension://abc/sw.js?x=1')")
    assert realm.eval(
        "[typeof window, typeof document, typeof Node, self === globalThis].join()"
    ) == ("undefined,undefined,undefined,true")
    assert realm.eval(
        "[location.href, location.origin, location.pathname, String(location)].join()"
    ) == (
        "chrome-extension://abc/sw.js?x=1,chrome-extension://abc,/sw.js,chrome-extension://abc/sw.js?x=1"
    )
    assert realm.eval("location instanceof WorkerLocation && self instanceof EventTarget") is True
    realm.eval("self.addEventListener('message', (e) => { globalThis.got = e.data; })")
    realm.eval("self.dispatchEvent(new MessageEvent('message', {data: 5}))")
    assert realm.eval("got") == 5


# -- DOM -----------------------------------------------------------------------------------

PAGE = """
<div id="main" class="box wide" data-role="app">
  <p class="intro">Hello <b>world</b> &amp; friends</p>
  <ul><li class="item">one</li><li class="item sel">two</li><li>three</li></ul>
  <form><input type="checkbox" name="agree"><input name="q" value="x y"></form>
  <a href="/next" title='quoted "title"'>next</a>
</div>
<div class="box"><span id="s1">s</span></div>
"""


@pytest.fixture
def page(realm: Realm) -> Realm:
    realm.eval(
        "__wxPlatform.setDocument("
        + json.dumps(
            {"url": "chrome-extension://abc/popup.html?t=1#top", "title": "Popup", "html": PAGE}
        )
        + ")"
    )
    return realm


def test_set_document_and_location(page: Realm) -> None:
    assert page.eval("document.title") == "Popup"
    assert page.eval("document.URL") == "chrome-extension://abc/popup.html?t=1#top"
    assert page.eval("document.readyState") == "loading"
    assert page.eval(
        "[location.href, location.origin, location.protocol, location.host, location.pathname, location.search, location.hash].join(' ')"
    ) == (
        "chrome-extension://abc/popup.html?t=1#top chrome-extension://abc chrome-extension: abc /popup.html ?t=1 #top"
    )
    assert page.eval("String(location) === location.href") is True
    assert (
        page.eval(
            "document.documentElement.tagName + document.head.tagName + document.body.tagName"
        )
        == "HTMLHEADBODY"
    )
    assert page.eval("document.head.innerHTML") == "<title>Popup</title>"
    assert page.eval("document.body.firstElementChild.id") == "main"


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("li", ["one", "two", "three"]),
        ("#s1", ["s"]),
        (".item", ["one", "two"]),
        ("li.item.sel", ["two"]),
        ("li.item", ["one", "two"]),
        ("[data-role=app] b", ["world"]),
        ("[name='q']", [""]),
        ("[href]", ["next"]),
        ("div#main p b", ["world"]),
        ("ul > li:first-child", ["one"]),
        ("li + li", ["two", "three"]),
        ("b, #s1", ["world", "s"]),
        ("* > span", ["s"]),
        ("div .box", []),
        ("section", []),
    ],
)
def test_query_selector(page: Realm, selector: str, expected: list[str]) -> None:
    sel = json.dumps(selector)
    assert page.eval(f"document.querySelectorAll({sel}).map((e) => e.textContent)") == expected
    first = page.eval(f"(document.querySelector({sel}) || {{textContent: null}}).textContent")
    assert first == (expected[0] if expected else None)


def test_query_selector_scoped_and_invalid(page: Realm) -> None:
    assert page.eval("document.getElementById('main').querySelectorAll('.box').length") == 0
    assert page.eval("document.querySelectorAll('*').length") > 10
    assert (
        page.eval(
            "document.getElementById('s1').closest('.box') === document.querySelectorAll('div')[1]"
        )
        is True
    )
    assert page.eval("document.querySelector('li.sel').matches('ul li')") is True
    got = page.eval("try { document.querySelector('a[') } catch (e) { e.name + ': ' + e.message }")
    assert (
        got
        == "SyntaxError: Failed to execute 'querySelector' on 'Document': 'a[' is not a valid selector."
    )


def test_click_bubbling_order(page: Realm) -> None:
    got = page.eval(
        """
        (() => {
          const out = [];
          const b = document.querySelector('p b'), p = b.parentNode, main = document.getElementById('main');
          const log = (name) => (e) => out.push(name + ':' + e.eventPhase + ':' + (e.target === b));
          window.addEventListener('click', log('window-capture'), true);
          window.addEventListener('click', log('window'));
          document.addEventListener('click', log('document'));
          document.body.addEventListener('click', log('body'));
          main.addEventListener('click', log('main'));
          p.addEventListener('click', log('p'));
          b.addEventListener('click', log('b'));
          b.addEventListener('click', log('b-capture'), {capture: true});
          b.onclick = () => out.push('onclick');
          globalThis.clicked = __wxPlatform.click('p b');
          out.push('missing:' + __wxPlatform.click('#nope'));
          return out;
        })()
        """
    )
    assert got == [
        "window-capture:1:true",
        "b-capture:2:true",
        "b:2:true",
        "onclick",
        "p:3:true",
        "main:3:true",
        "body:3:true",
        "document:3:true",
        "window:3:true",
        "missing:false",
    ]
    assert page.eval("clicked") is True


def test_stop_propagation_once_and_trusted(page: Realm) -> None:
    got = page.eval(
        """
        (() => {
          const out = [];
          const li = document.querySelector('li.sel');
          li.addEventListener('click', (e) => out.push('li-once:' + e.isTrusted), {once: true});
          li.parentNode.addEventListener('click', (e) => { out.push('ul'); e.stopPropagation(); });
          li.parentNode.addEventListener('click', () => out.push('ul-2'));
          document.addEventListener('click', () => out.push('document'));
          __wxPlatform.click('li.sel');
          li.click();
          li.dispatchEvent(new MouseEvent('click'));  // does not bubble
          return out;
        })()
        """
    )
    assert got == ["li-once:true", "ul", "ul-2", "ul", "ul-2"]


def test_checkbox_click_toggles(page: Realm) -> None:
    got = page.eval(
        """
        (() => {
          const out = [], box = document.querySelector('input[type=checkbox]');
          box.addEventListener('change', () => out.push('change:' + box.checked));
          __wxPlatform.click('[name=agree]');
          out.push(document.querySelectorAll(':checked').length);
          box.addEventListener('click', (e) => e.preventDefault());
          box.click();
          out.push(box.checked, document.querySelector('[name=q]').value);
          return out;
        })()
        """
    )
    assert got == ["change:true", 1, True, "x y"]


def test_document_lifecycle_events(page: Realm) -> None:
    page.eval(
        """
        globalThis.out = [];
        const log = (name) => (e) => out.push(name + ':' + e.type + ':' + document.readyState);
        document.addEventListener('readystatechange', log('doc'));
        document.addEventListener('DOMContentLoaded', log('doc'));
        window.addEventListener('DOMContentLoaded', log('win'));
        window.addEventListener('load', (e) => out.push('win:load:' + (e.target === document)));
        document.addEventListener('load', log('doc-never'));
        window.onload = () => out.push('onload');
        """
    )
    page.eval("__wxPlatform.dispatchDocumentEvent('DOMContentLoaded')")
    assert page.eval("document.readyState") == "interactive"
    page.eval("__wxPlatform.dispatchDocumentEvent('load')")
    assert page.eval("out") == [
        "doc:readystatechange:interactive",
        "doc:DOMContentLoaded:interactive",
        "win:DOMContentLoaded:interactive",
        "doc:readystatechange:complete",
        "win:load:true",
        "onload",
    ]


def test_inner_html_parsing(realm: Realm) -> None:
    got = realm.eval(
        """
        (() => {
          const d = document.createElement('div');
          d.innerHTML = '<ul id=list class="a b"><li data-x=\\'1\\' hidden>A &lt;1&gt;</li>'
            + '<li><a href="?q=1&amp;r=2">B</a><br>tail</li></ul><!-- note --><script>if (a < b) x()</script>'
            + '<p>unclosed <i>text';
          const ul = d.firstChild, li = ul.children;
          return [
            ul.tagName, ul.id, ul.className, [...ul.classList], li.length,
            li[0].getAttribute('data-x'), li[0].hasAttribute('hidden'), li[0].textContent,
            li[1].querySelector('a').getAttribute('href'), li[1].childNodes.length, li[1].innerText,
            d.childNodes.map((n) => n.nodeType), d.querySelector('script').textContent,
            d.querySelector('p i').textContent, d.innerHTML,
          ];
        })()
        """
    )
    assert got == [
        "UL",
        "list",
        "a b",
        ["a", "b"],
        2,
        "1",
        True,
        "A <1>",
        "?q=1&r=2",
        3,
        "B\ntail",
        [1, 8, 1, 1],
        "if (a < b) x()",
        "text",
        '<ul id="list" class="a b"><li data-x="1" hidden="">A &lt;1&gt;</li>'
        '<li><a href="?q=1&amp;r=2">B</a><br>tail</li></ul><!-- note --><script>if (a < b) x()</script>'
        "<p>unclosed <i>text</i></p>",
    ]
    assert realm.eval("document.createElement('div').innerHTML = '<p>x'") == "<p>x"


def test_element_api(page: Realm) -> None:
    got = page.eval(
        """
        (() => {
          const out = [], el = document.createElement('Section');
          out.push(el.tagName, el.parentNode, el.isConnected);
          el.id = 'sec'; el.className = 'x';
          el.classList.add('y', 'z'); el.classList.remove('x'); out.push(el.classList.toggle('w'), el.classList.contains('y'), el.className);
          el.setAttribute('Data-K', 'v'); out.push(el.getAttribute('data-k'), el.hasAttribute('DATA-K'), el.dataset.k);
          el.removeAttribute('data-k'); out.push(el.getAttribute('data-k'));
          el.style.color = 'red'; out.push(el.style.color);
          el.textContent = 'hi'; el.appendChild(document.createTextNode(' there'));
          document.body.appendChild(el);
          out.push(el.isConnected, el.parentNode === document.body, document.getElementById('sec') === el, el.textContent, el.childNodes.length);
          el.innerText = 'new'; out.push(el.firstChild.nodeValue, el.outerHTML);
          const a = document.createElement('a'), b = document.createElement('b');
          el.appendChild(a); el.insertBefore(b, a); out.push(el.children.map((c) => c.tagName).join());
          el.removeChild(b); a.remove(); out.push(el.children.length);
          try { el.removeChild(b); } catch (e) { out.push(e.name); }
          el.remove(); out.push(document.getElementById('sec'));
          return out;
        })()
        """
    )
    assert got == [
        "SECTION",
        None,
        False,
        True,
        True,
        "y z w",
        "v",
        True,
        "v",
        None,
        "red",
        True,
        True,
        True,
        "hi there",
        2,
        "new",
        '<section id="sec" class="y z w">new</section>',
        "B,A",
        0,
        "NotFoundError",
        None,
    ]


def test_full_document_html_is_merged(realm: Realm) -> None:
    html = (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>From HTML</title>"
        '<script src="popup.js"></script></head><body class=pop><h1>Hi</h1></body></html>'
    )
    realm.eval(
        "__wxPlatform.setDocument("
        + json.dumps(json.dumps({"url": "https://h.com/", "html": html}))
        + ")"
    )
    assert realm.eval("document.title") == "From HTML"
    assert realm.eval("document.documentElement.getAttribute('lang')") == "en"
    assert realm.eval("document.head.children.map((e) => e.tagName).join()") == "META,TITLE,SCRIPT"
    assert (
        realm.eval("document.querySelectorAll('script[src]')[0].getAttribute('src')") == "popup.js"
    )
    assert (
        realm.eval("document.body.className + ':' + document.body.innerHTML") == "pop:<h1>Hi</h1>"
    )


def test_console_formats_dom_nodes(page: Realm) -> None:
    assert fmt(page, "{el: document.getElementById('main')}") == "{el: div#main.box.wide}"


# -- cost ------------------------------------------------------------------------------------


def test_listener_errors_go_to_host_uncaught() -> None:
    realm = Realm()
    seen: list[tuple[str, str, str]] = []
    realm.ctx.add_callable("__wxHost_uncaught", lambda n, m, t: seen.append((n, m, t)))
    realm.eval(
        """
        window.addEventListener('x', () => { throw new RangeError('out'); });
        window.addEventListener('x', () => { throw 'plain'; });
        window.addEventListener('x', () => { globalThis.third = true; });
        window.dispatchEvent(new Event('x'));
        """
    )
    assert [(n, m) for n, m, _ in seen] == [("RangeError", "out"), ("", "plain")]
    assert seen[0][2].startswith("RangeError: out\n")
    assert realm.eval("third") is True
    # window.onerror / an 'error' listener can cancel the report
    realm.eval("window.onerror = (msg, src, line, col, err) => err === 'plain'")
    realm.eval("window.dispatchEvent(new Event('x'))")
    assert [n for n, _, _ in seen] == ["RangeError", "", "RangeError"]
    assert realm.console == []
