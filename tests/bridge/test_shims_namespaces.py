"""The `chrome` / `browser` namespaces as extension JS sees them, under both profiles:
what each context kind gets, the Port object, events, `runtime.lastError` and the exact
JS-visible error texts (SEMANTICS.md §1, §2, §3, §7, §9; observations/chromium-150*.md,
firefox-153.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from webext_runtime import Browser

FIXTURES = Path(__file__).parent / "fixtures"
BASIC = FIXTURES / "shims_basic"
PAGE = "https://example.com/"
NO_RECEIVER = "Could not establish connection. Receiving end does not exist."
BOTH = pytest.mark.parametrize("profile", ["chrome", "firefox"])

# evaluates an expression, returns {ok: String(value)} or the thrown error's shape
TRY = (
    "(function () { try { var r = (%s); return {ok: String(r)}; }"
    " catch (e) { return {name: e.name, ctor: e.constructor.name, message: e.message}; } })()"
)


async def _setup(profile: str) -> tuple[Browser, Any, Any, Any]:
    browser = Browser(profile)
    ext = await browser.install(BASIC)
    tab = await browser.open_tab(PAGE)
    return browser, ext, tab, tab.content_script(ext)


# -- namespaces per context kind ----------------------------------------------------------------

CS_RUNTIME = ["connect", "sendMessage", "onConnect", "onMessage", "getURL", "getManifest", "id"]


@BOTH
async def test_content_script_gets_only_runtime_messaging(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        assert await cs.evaluate("Object.keys(chrome)") == ["runtime"]
        keys = await cs.evaluate("Object.keys(chrome.runtime)")
        assert set(CS_RUNTIME) <= set(keys)
        for absent in ("onConnectExternal", "onMessageExternal"):
            assert absent not in keys
        assert await cs.evaluate("typeof chrome.tabs") == "undefined"
        assert await cs.evaluate("chrome.runtime.id") == ext.id
        assert await cs.evaluate("chrome.runtime.getURL('/x/y.html')") == ext.get_url("x/y.html")
        assert await cs.evaluate("chrome.runtime.getManifest().name") == "shims-basic"
        # getManifest() hands out a copy
        assert (
            await cs.evaluate(
                "chrome.runtime.getManifest().name = 'changed'; chrome.runtime.getManifest().name"
            )
            == "shims-basic"
        )


@BOTH
async def test_background_and_extension_pages_have_tabs(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        page = await ext.open_page("page.html")
        for ctx in (ext.background, page):
            assert await ctx.evaluate("typeof chrome.tabs.connect") == "function"
            assert await ctx.evaluate("typeof chrome.tabs.sendMessage") == "function"
            assert await ctx.evaluate("typeof chrome.runtime.onConnectExternal.addListener") == (
                "function"
            )
            assert await ctx.evaluate("typeof chrome.action.onClicked.addListener") == "function"


async def test_chrome_mv3_browser_is_the_same_object() -> None:
    browser, ext, tab, cs = await _setup("chrome")
    async with browser:
        # [C150] Chromium 150 exposes `browser` in MV3 workers and content scripts
        assert await cs.evaluate("browser === chrome") is True
        assert await ext.background.evaluate("browser === chrome") is True
        assert await cs.evaluate("chrome.runtime.sendMessage({}) instanceof Promise") is True
        await browser.settle()
    # nobody listens: the promise rejects (an unhandled rejection, recorded)
    assert [e.message for e in browser.script_errors] == [f"Error: {NO_RECEIVER}"]


async def test_firefox_browser_promises_chrome_callbacks() -> None:
    browser, ext, tab, cs = await _setup("firefox")
    async with browser:
        assert await cs.evaluate("browser === chrome") is False
        assert await cs.evaluate("typeof browser.runtime.connect") == "function"
        got = await cs.evaluate(
            "browser.runtime.sendMessage({}).then(() => 'resolved', e => 'rejected: ' + e.message)"
        )
        assert got == f"rejected: {NO_RECEIVER}"
        got = await cs.evaluate(
            "new Promise(res => chrome.runtime.sendMessage({}, function () {"
            " res([arguments.length, String(chrome.runtime.lastError)]); }))"
        )
        assert got == [0, f"Error: {NO_RECEIVER}"]
        assert await cs.evaluate("browser.runtime.lastError") is None


async def test_firefox_chrome_send_message_without_callback_returns_a_promise() -> None:
    browser, ext, tab, cs = await _setup("firefox")
    async with browser:
        got = await cs.evaluate(
            "var r = chrome.runtime.sendMessage({q: 3}); var s = String(r);"
            " r && r.catch(function () {}); s"
        )
        assert got == "[object Promise]"


async def test_web_page_runtime_only_where_externally_connectable_matches() -> None:
    browser = Browser("chrome")
    async with browser:
        await browser.install(BASIC)
        plain = await browser.open_tab(PAGE)
        listed = await browser.open_tab("https://connectable.example/app")
        # [C150 external]
        assert await plain.page.evaluate("Object.keys(window.chrome)") == [
            "loadTimes",
            "csi",
            "app",
        ]
        assert await plain.page.evaluate("typeof chrome.runtime") == "undefined"
        assert await listed.page.evaluate("Object.keys(window.chrome)") == [
            "loadTimes",
            "csi",
            "app",
            "runtime",
        ]
        assert await listed.page.evaluate("Object.keys(chrome.runtime)") == [
            "dynamicId",
            "id",
            "connect",
            "sendMessage",
            "ContextType",
            "OnInstalledReason",
            "OnRestartRequiredReason",
            "PlatformArch",
            "PlatformNaclArch",
            "PlatformOs",
            "RequestUpdateCheckStatus",
        ]
        assert await listed.page.evaluate("chrome.runtime.id === undefined") is True
        assert await listed.page.evaluate("typeof chrome.runtime.onMessage") == "undefined"
        # a content script exposes nothing to the main world
        assert await plain.page.evaluate("typeof browser") == "undefined"


async def test_firefox_web_page_has_no_extension_namespaces() -> None:
    browser = Browser("firefox")
    async with browser:
        await browser.install(BASIC)
        tab = await browser.open_tab("https://connectable.example/app")
        assert await tab.page.evaluate("[typeof chrome, typeof browser]") == [
            "undefined",
            "undefined",
        ]


# -- Port object and events -------------------------------------------------------------------

PORT_KEYS = {
    # [C150 no_receiver] / [F153 a.]
    "chrome": ["sender", "onMessage", "onDisconnect", "name", "disconnect", "postMessage"],
    "firefox": [
        "name",
        "sender",
        "error",
        "onMessage",
        "onDisconnect",
        "postMessage",
        "disconnect",
    ],
}


@BOTH
async def test_port_shape_on_both_ends(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        bg = ext.background
        await bg.evaluate(
            "self.got = []; chrome.runtime.onConnect.addListener(p => self.got.push(p)); 1"
        )
        opener = await cs.evaluate(
            "self.p = chrome.runtime.connect({name: 'shape'});"
            " [Object.keys(p), p.name, p.sender === undefined, 'error' in p ? p.error : 'none']"
        )
        assert opener == [
            PORT_KEYS[profile],
            "shape",
            True,
            None if profile == "firefox" else "none",
        ]
        await browser.settle()
        receiver = await bg.evaluate(
            "var q = self.got[0]; [Object.keys(q), q.name, q.sender.url, q.sender.tab.id]"
        )
        assert receiver == [PORT_KEYS[profile], "shape", PAGE, tab.id]
        # name defaults to ""
        assert await cs.evaluate("chrome.runtime.connect().name") == ""


@BOTH
async def test_events_add_remove_has(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        bg = ext.background
        got = await bg.evaluate(
            """
            var ev = chrome.runtime.onConnect;
            var f = function () {}, g = function () {};
            var hl = () => typeof ev.hasListeners === "function" ? ev.hasListeners() : "absent";
            var out = [hl(), ev.hasListener(f)];
            ev.addListener(f); ev.addListener(f);
            out.push(ev.hasListener(f), ev.hasListener(g), hl());
            ev.removeListener(g); ev.removeListener(f);
            out.push(ev.hasListener(f), hl());
            out
            """
        )
        # the fixture's bg.js registers one listener of its own; Firefox's events have no
        # hasListeners() (tests/conformance/scenarios/listener_added_twice, Firefox 153)
        h: object = True if profile == "chrome" else "absent"
        assert got == [h, False, True, False, h, False, h]


@BOTH
async def test_same_listener_twice_fires_once_and_all_listeners_share_the_port(
    profile: str,
) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        bg = ext.background
        await bg.evaluate(
            """
            self.calls = [];
            function twice(p) { self.calls.push(['twice', p]); }
            chrome.runtime.onConnect.addListener(twice);
            chrome.runtime.onConnect.addListener(twice);
            chrome.runtime.onConnect.addListener(p => self.calls.push(['other', p]));
            1
            """
        )
        await cs.evaluate("chrome.runtime.connect({name: 'share'}); 1")
        await browser.settle()
        got = await bg.evaluate(
            "[self.calls.map(c => c[0]), self.calls.every(c => c[1] === self.ports[0])]"
        )
        assert got == [["twice", "other"], True]


@BOTH
async def test_messages_and_disconnect_between_js_contexts(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        await cs.evaluate(
            """
            self.replies = [];
            self.p = chrome.runtime.connect({name: 'talk'});
            p.onMessage.addListener((m, port) => self.replies.push([m, port === p]));
            p.postMessage({echo: 1}); p.postMessage({echo: 2}); p.postMessage('plain');
            1
            """
        )
        await browser.settle()
        assert await cs.evaluate("self.replies") == [[{"echoed": 1}, True], [{"echoed": 2}, True]]
        await cs.evaluate("p.disconnect(); p.disconnect(); 1")  # the second is ignored
        await browser.settle()
        assert await ext.background.evaluate("self.log") == [
            "connect:talk",
            'msg:{"echo":1}',
            'msg:{"echo":2}',
            'msg:"plain"',
            "disconnect:talk",
        ]


# -- runtime.lastError -----------------------------------------------------------------------

LAST_ERROR_PROBE = """
new Promise(function (res) {
  var out = {};
  var p = chrome.runtime.connect({name: 'nobody'});
  out.before = String(chrome.runtime.lastError);
  setTimeout(function () { out.timerFirst = !('inside' in out); }, 0);
  Promise.resolve().then(function () { out.microtaskFirst = !('inside' in out); });
  p.onDisconnect.addListener(function (q) {
    out.same = q === p;
    out.inside = chrome.runtime.lastError ? chrome.runtime.lastError.message
                                          : String(chrome.runtime.lastError);
    out.error = p.error === undefined ? 'undefined' : String(p.error);
    setTimeout(function () {
      out.after = String(chrome.runtime.lastError);
      out.errorAfter = p.error === undefined ? 'undefined' : String(p.error);
      res(out);
    }, 0);
  });
})
"""


async def test_chrome_last_error_only_inside_on_disconnect() -> None:
    browser, ext, tab, cs = await _setup("chrome")
    async with browser:
        # nobody else of the extension listens to onConnect: the background's own connect
        # has no receiver [C150 no_receiver, self]
        got = await ext.background.evaluate(LAST_ERROR_PROBE)
        assert got == {
            "before": "undefined",
            "microtaskFirst": True,
            "same": True,
            "inside": NO_RECEIVER,
            "error": "undefined",
            # after microtasks, before a setTimeout(0) queued at connect time
            "timerFirst": False,
            "after": "undefined",
            "errorAfter": "undefined",
        }
        # the callback form: set while the callback runs, gone right after
        got = await cs.evaluate(
            "new Promise(res => { chrome.runtime.sendMessage({}, function () {"
            " var inside = chrome.runtime.lastError.message;"
            " Promise.resolve().then(() => res([arguments.length, inside,"
            " String(chrome.runtime.lastError)])); }); })"
        )
        assert got == [0, NO_RECEIVER, "undefined"]
        # read inside the listener / callback: no "Unchecked" line
        assert not [c for c in browser.console if "Unchecked" in c.text]


async def test_firefox_port_error_and_null_last_error() -> None:
    browser, ext, tab, cs = await _setup("firefox")
    async with browser:
        got = await ext.background.evaluate(LAST_ERROR_PROBE)
        # [F153 a.]: port.error is an Error that stays set; lastError null in both namespaces
        assert got["before"] == "null"
        assert got["same"] is True
        assert got["inside"] == "null"
        assert got["error"] == f"Error: {NO_RECEIVER}"
        assert got["errorAfter"] == f"Error: {NO_RECEIVER}"
        assert got["after"] == "null"
        assert await ext.background.evaluate("browser.runtime.lastError") is None
        assert not [c for c in browser.console if "Unchecked" in c.text]


async def test_chrome_unchecked_last_error_is_logged() -> None:
    browser, ext, tab, cs = await _setup("chrome")
    async with browser:
        bg = ext.background
        await bg.evaluate(
            "chrome.runtime.connect({name: 'u'}).onDisconnect.addListener(function () {}); 1"
        )
        await bg.evaluate("chrome.runtime.sendMessage({x: 1}, function () {}); 1")
        await browser.settle()
        lines = [(c.context, c.level, c.text) for c in browser.console if "Unchecked" in c.text]
        assert lines == [("background", "error", f"Unchecked runtime.lastError: {NO_RECEIVER}")] * 2
        # a callback that reads lastError logs nothing
        await cs.evaluate(
            "chrome.runtime.sendMessage({x: 2}, function () { chrome.runtime.lastError; }); 1"
        )
        await browser.settle()
        assert len([c for c in browser.console if "Unchecked" in c.text]) == 2


async def test_firefox_unchecked_last_error_is_logged() -> None:
    browser, ext, tab, cs = await _setup("firefox")
    async with browser:
        await cs.evaluate("chrome.runtime.sendMessage({x: 1}, function () {}); 1")
        await browser.settle()
        lines = [(c.context, c.level, c.text) for c in browser.console if "Unchecked" in c.text]
        assert lines == [
            ("content[tab 1, frame 0]", "error", f"Unchecked lastError value: Error: {NO_RECEIVER}")
        ]


# -- exact error texts -------------------------------------------------------------------------

CHROME_CONNECT = (
    "Error in invocation of runtime.connect(optional string extensionId, "
    "optional object connectInfo): "
)
CHROME_TABS = "Error in invocation of tabs.connect(integer tabId, optional object connectInfo): "

# [C150 validation] / SEMANTICS §9
ARGUMENT_ERRORS = {
    "chrome": {
        "chrome.runtime.connect(123)": ("TypeError", CHROME_CONNECT + "No matching signature."),
        "chrome.runtime.connect({}, {})": ("TypeError", CHROME_CONNECT + "No matching signature."),
        "chrome.runtime.connect({name: 5})": (
            "TypeError",
            CHROME_CONNECT + "Error at parameter 'connectInfo': Error at property 'name': "
            "Invalid type: expected string, found integer.",
        ),
        "chrome.runtime.connect({foo: 1})": (
            "TypeError",
            CHROME_CONNECT + "Error at parameter 'connectInfo': Unexpected property: 'foo'.",
        ),
        "chrome.runtime.connect('not-an-id')": (
            "TypeError",
            CHROME_CONNECT + "Invalid extension id: 'not-an-id'",
        ),
    },
    "firefox": {
        "chrome.runtime.connect(123)": ("Error", "Incorrect argument types for runtime.connect."),
        "browser.runtime.connect(123)": ("Error", "Incorrect argument types for runtime.connect."),
        "chrome.runtime.connect({name: 5})": (
            "Error",
            "Type error for parameter connectInfo (Error processing name: Expected string "
            "instead of 5) for runtime.connect.",
        ),
        "browser.runtime.connect({foo: 1})": (
            "Error",
            'Type error for parameter connectInfo (Unexpected property "foo") for runtime.connect.',
        ),
    },
}


@BOTH
async def test_argument_validation_texts(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        for expr, (ctor, message) in ARGUMENT_ERRORS[profile].items():
            got = await cs.evaluate(TRY % expr)
            assert got == {"name": ctor, "ctor": ctor, "message": message}, expr
        tabs = await ext.background.evaluate(TRY % "chrome.tabs.connect('x')")
        if profile == "chrome":
            assert tabs == {
                "name": "TypeError",
                "ctor": "TypeError",
                "message": CHROME_TABS + "No matching signature.",
            }
        else:
            assert tabs == {
                "name": "Error",
                "ctor": "Error",
                "message": "Incorrect argument types for tabs.connect.",
            }
        # accepted forms [§9]
        ok = await cs.evaluate(
            "[chrome.runtime.connect(undefined, {name: 'a'}).name,"
            " chrome.runtime.connect(null, {name: 'b'}).name,"
            " chrome.runtime.connect({name: null}).name,"
            " chrome.runtime.connect({name: undefined}).name]"
        )
        assert ok == ["a", "b", "", ""]


async def test_firefox_not_an_id_does_not_throw() -> None:
    browser, ext, tab, cs = await _setup("firefox")
    async with browser:
        got = await cs.evaluate(
            "new Promise(res => { var p = chrome.runtime.connect('not-an-id');"
            " p.onDisconnect.addListener(() => res(String(p.error))); })"
        )
        assert got == f"Error: {NO_RECEIVER}"


@BOTH
async def test_post_message_errors(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        await cs.evaluate("self.p = chrome.runtime.connect({name: 'ser'}); 1")
        await browser.settle()
        cycle = "(function () { var o = {}; o.self = o; return p.postMessage(o); })()"
        if profile == "chrome":
            err = {"name": "Error", "ctor": "Error", "message": "Could not serialize message."}
            expected = {
                "p.postMessage()": {
                    "name": "TypeError",
                    "ctor": "TypeError",
                    "message": "Insufficient number of arguments.",
                },
                "p.postMessage(function () {})": err,
                cycle: err,
                "p.postMessage(1n)": err,
                "p.postMessage({b: 1n})": err,
                "p.postMessage(Symbol('s'))": err,
                # JSON: function-valued keys are dropped [C150 serialization]
                "p.postMessage({f: function () {}, g: 1})": {"ok": "undefined"},
            }
        else:
            fn = {
                "name": "DataCloneError",
                "ctor": "DOMException",
                "message": "Function object could not be cloned.",
            }
            expected = {
                "p.postMessage(function () {})": fn,
                "p.postMessage({f: function () {}})": fn,
                "p.postMessage({toJSON: function () { return 1; }})": fn,
                "p.postMessage({s: Symbol()})": {
                    "name": "DataCloneError",
                    "ctor": "DOMException",
                    "message": "unsupported type for structured data",
                },
                "p.postMessage(Symbol())": {
                    "name": "InvalidStateError",
                    "ctor": "DOMException",
                    "message": "An exception was thrown",
                },
                # structured clone keeps these [F153]
                cycle: {"ok": "undefined"},
                "p.postMessage(1n)": {"ok": "undefined"},
                "p.postMessage()": {"ok": "undefined"},
            }
        for expr, want in expected.items():
            assert await cs.evaluate(TRY % expr) == want, expr
        await cs.evaluate("p.disconnect(); 1")
        closed = await cs.evaluate(TRY % "p.postMessage(1)")
        assert closed == {
            "name": "Error",
            "ctor": "Error",
            "message": "Attempting to use a disconnected port object"
            if profile == "chrome"
            else "Attempt to postMessage on disconnected port",
        }
        assert await cs.evaluate(TRY % "p.disconnect()") == {"ok": "undefined"}
        await browser.settle()
        # the background saw the accepted posts, nothing of the refused ones
        log = await ext.background.evaluate("self.log")
        assert log[0] == "connect:ser" and log[-1] == "disconnect:ser"
        if profile == "chrome":
            assert log[1:-1] == ['msg:{"g":1}']


@BOTH
async def test_post_message_on_port_the_other_side_closed(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        await cs.evaluate(
            "self.p = chrome.runtime.connect({name: 'closing'});"
            " self.ended = []; p.onDisconnect.addListener(() => self.ended.push("
            "  'error' in p ? p.error : String(chrome.runtime.lastError))); 1"
        )
        await browser.settle()
        await ext.background.evaluate("self.ports[0].disconnect(); 1")
        await browser.settle()
        # a remote disconnect carries no error [§2]
        assert await cs.evaluate("self.ended") == [None if profile == "firefox" else "undefined"]
        got = await cs.evaluate(TRY % "p.postMessage(1)")
        assert got["message"] == (
            "Attempting to use a disconnected port object"
            if profile == "chrome"
            else "Attempt to postMessage on disconnected port"
        )
