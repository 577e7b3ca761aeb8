"""One-shot messages from JS, both profiles (SEMANTICS.md §4, §9; issue 5).

Covers what ``test_send_message.py``'s reply matrix does not: every argument shape of
``runtime.sendMessage`` with its exact outcome, ``tabs.sendMessage`` to all frames / one
frame / a missing tab, ``onMessageExternal`` across extensions, the no-receiver and
async-reply-lost texts in the promise and callback forms, and the trace records.

Expected values: ``shared/observations/chromium-150.md`` (validation table, ``frames``,
``async_close``) and ``firefox-153.md`` (b., e., f., Extras ``tabs``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from webext_runtime import Browser

NO_RECEIVER = "Could not establish connection. Receiving end does not exist."
NO_RESPONSE = "The message port closed before a response was received."
ASYNC_LOST = (
    "A listener indicated an asynchronous response by returning true, but the message "
    "channel closed before a response was received"
)
SIG = (
    "Error in invocation of runtime.sendMessage(optional string extensionId, any message, "
    "optional object options, optional function callback): "
)
U = "<u>"
BUG_FN_MESSAGE = (
    "BUG: messaging.js sendVia pops a lone trailing function as the callback under chrome "
    "too, so chrome.runtime.sendMessage(fn) throws 'No matching signature.' instead of the "
    "measured 'Could not serialize message.' (chromium-150.md validation table)"
)

# Helpers every context gets (prepended to each script). ``outcome`` runs a call and
# describes a throw, a returned promise's settlement or a plain return value; ``viaCb``
# passes a callback and describes how it was called (argument count, lastError).
HELPERS = r"""
globalThis.api = globalThis.browser ?? globalThis.chrome;
globalThis.got = [];
const __d = (v) => (v === undefined ? "<u>" : v);
globalThis.outcome = (thunk) => {
  let ret;
  try { ret = thunk(); } catch (e) { return { threw: e.name, message: e.message }; }
  if (ret && typeof ret.then === "function") {
    return ret.then((r) => ({ resolved: __d(r) }),
                    (e) => ({ rejected: e.message, name: e.name }));
  }
  return { returned: __d(ret) };
};
globalThis.viaCb = (call) => new Promise((resolve) => {
  let ret;
  try {
    ret = call(function (...args) {
      const le = chrome.runtime.lastError;
      resolve({ nargs: args.length, r: args.length ? __d(args[0]) : "<none>",
                lastError: le === undefined ? "<u>" : le === null ? null : le.message });
    });
  } catch (e) { resolve({ threw: e.name, message: e.message }); return; }
  if (ret !== undefined) resolve({ returned: String(ret) });
});
"""

BG = """
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  got.push(m);
  if (m && m.c === "keep") return true;
  if (m && m.c === "none") return undefined;
  sendResponse({ echo: m, from: "bg" });
});
chrome.runtime.onMessageExternal.addListener((m, sender, sendResponse) => {
  got.push({ external: m, senderId: sender.id });
  sendResponse({ externalEcho: m });
});
"""

CS = """
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  got.push(m);
  if (m && m.c === "keep") return true;
  sendResponse({ from: location.href, senderKeys: Object.keys(sender) });
});
"""

PAGE = """
chrome.runtime.onMessage.addListener((m, sender, sendResponse) => {
  got.push(m);
  if (m && m.c === "keep") return true;  // never answers
  return undefined;
});
"""


def write_ext(root: Path, name: str, gecko_id: str, *, bg: str = BG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    manifest = {
        "manifest_version": 3,
        "name": name,
        "version": "1.0",
        "background": {"service_worker": "bg.js", "scripts": ["bg.js"]},
        "content_scripts": [
            {"matches": ["https://example.com/*"], "js": ["cs.js"], "all_frames": True}
        ],
        "browser_specific_settings": {"gecko": {"id": gecko_id}},
    }
    (root / "manifest.json").write_text(json.dumps(manifest))
    (root / "bg.js").write_text(HELPERS + bg)
    (root / "cs.js").write_text(HELPERS + CS)
    (root / "page.js").write_text(HELPERS + PAGE)
    (root / "page.html").write_text(
        "<!doctype html><title>page</title><script src='page.js'></script>"
    )
    return root


async def _setup(tmp_path: Path, profile: str) -> tuple[Browser, Any, Any, Any]:
    browser = Browser(profile=profile)
    ext = await browser.install(write_ext(tmp_path / "ext", "one-shot", "one-shot@test"))
    tab = await browser.open_tab("https://example.com/")
    return browser, ext, tab, tab.content_script(ext)


# -- runtime.sendMessage argument shapes ------------------------------------------------------

ECHO_A = {"echo": {"a": 1}, "from": "bg"}

CHROME_SHAPES: list[Any] = [
    ("(message)", "outcome(() => api.runtime.sendMessage({a: 1}))", {"resolved": ECHO_A}),
    (
        "(message, callback)",
        "viaCb((cb) => chrome.runtime.sendMessage({a: 1}, cb))",
        {"nargs": 1, "r": ECHO_A, "lastError": U},
    ),
    (
        "(extensionId, message)",
        "outcome(() => api.runtime.sendMessage(chrome.runtime.id, {a: 1}))",
        {"resolved": ECHO_A},
    ),
    (
        "(message, options, callback)",
        "viaCb((cb) => chrome.runtime.sendMessage({a: 1}, {includeTlsChannelId: false}, cb))",
        {"nargs": 1, "r": ECHO_A, "lastError": U},
    ),
    (
        "(null, message, null, callback)",
        "viaCb((cb) => chrome.runtime.sendMessage(null, {a: 1}, null, cb))",
        {"nargs": 1, "r": ECHO_A, "lastError": U},
    ),
    (
        "(message, options)",
        "outcome(() => api.runtime.sendMessage({a: 1}, {}))",
        {"resolved": ECHO_A},
    ),
    (
        "('m', 'x') ambiguous string pair",
        "outcome(() => api.runtime.sendMessage('m', 'x'))",
        {"threw": "TypeError", "message": SIG + "Invalid extension id: 'm'"},
    ),
    (
        "()",
        "outcome(() => api.runtime.sendMessage())",
        {"threw": "TypeError", "message": SIG + "No matching signature."},
    ),
    (
        "(123, 'x')",
        "outcome(() => api.runtime.sendMessage(123, 'x'))",
        {"threw": "TypeError", "message": SIG + "No matching signature."},
    ),
    pytest.param(
        "(fn) is a message that cannot be serialized",
        "outcome(() => api.runtime.sendMessage(function () {}))",
        {"threw": "TypeError", "message": SIG + "Could not serialize message."},
    ),
    (
        "(message, {foo: 1})",
        "outcome(() => api.runtime.sendMessage({a: 1}, {foo: 1}))",
        {
            "threw": "TypeError",
            "message": SIG + "Error at parameter 'options': Unexpected property: 'foo'.",
        },
    ),
]

FIREFOX_SHAPES: list[Any] = [
    ("(message)", "outcome(() => browser.runtime.sendMessage({a: 1}))", {"resolved": ECHO_A}),
    (
        "(message, callback)",
        "viaCb((cb) => chrome.runtime.sendMessage({a: 1}, cb))",
        {"nargs": 1, "r": ECHO_A, "lastError": None},
    ),
    (
        "(extensionId, message)",
        "outcome(() => browser.runtime.sendMessage(browser.runtime.id, {a: 1}))",
        {"resolved": ECHO_A},
    ),
    (
        "(message, options, callback)",
        "viaCb((cb) => chrome.runtime.sendMessage({a: 1}, {}, cb))",
        {"nargs": 1, "r": ECHO_A, "lastError": None},
    ),
    (
        "(null, message, null, callback)",
        "viaCb((cb) => chrome.runtime.sendMessage(null, {a: 1}, null, cb))",
        {"nargs": 1, "r": ECHO_A, "lastError": None},
    ),
    (
        # a string that is not an installed id: no receiver, never thrown [SEMANTICS §1]
        "('m', 'x') ambiguous string pair",
        "outcome(() => browser.runtime.sendMessage('m', 'x'))",
        {"rejected": NO_RECEIVER, "name": "Error"},
    ),
    (
        "()",
        "outcome(() => browser.runtime.sendMessage())",
        {"rejected": "runtime.sendMessage's message argument is missing", "name": "Error"},
    ),
    (
        "() via chrome.*",
        "outcome(() => chrome.runtime.sendMessage())",
        {"rejected": "runtime.sendMessage's message argument is missing", "name": "Error"},
    ),
    (
        "(1, 2, 3, 4)",
        "outcome(() => browser.runtime.sendMessage(1, 2, 3, 4))",
        {"rejected": "runtime.sendMessage's options argument is invalid", "name": "Error"},
    ),
    (
        "(fn) alone is a callback and sends nothing",
        "outcome(() => browser.runtime.sendMessage(function () {}))",
        {"returned": U},
    ),
    (
        "({f: fn}) rejects, never throws",
        "outcome(() => browser.runtime.sendMessage({f: function () {}}))",
        {"rejected": "Function object could not be cloned.", "name": "DataCloneError"},
    ),
]


def _params(profile: str, cases: list[Any]) -> list[Any]:
    out = []
    for case in cases:
        values = case.values if hasattr(case, "values") else case
        marks = case.marks if hasattr(case, "marks") else ()
        out.append(pytest.param(profile, *values, marks=marks, id=f"{profile}{values[0]}"))
    return out


@pytest.mark.parametrize(
    ("profile", "shape", "expr", "expected"),
    _params("chrome", CHROME_SHAPES) + _params("firefox", FIREFOX_SHAPES),
)
async def test_send_message_shapes(
    tmp_path: Path, profile: str, shape: str, expr: str, expected: dict[str, Any]
) -> None:
    browser, ext, _tab, cs = await _setup(tmp_path, profile)
    async with browser:
        before = await ext.background.evaluate("got.length")
        got = await cs.evaluate(expr)
        await browser.settle()
        assert got == expected, (shape, got)
        delivered = await ext.background.evaluate("got.length") - before
        sends = "resolved" in expected or "nargs" in expected
        # a shape that throws, rejects at argument level, or is a bare callback sends nothing
        assert delivered == (1 if sends else 0), (shape, delivered)


@pytest.mark.parametrize(
    "profile",
    [
        "chrome",
        "firefox",
    ],
)
async def test_firefox_bare_callback_sends_nothing_even_later(tmp_path: Path, profile: str) -> None:
    """Firefox ``sendMessage(fn)``: nothing is delivered and the function is never called
    [F153 e.]; Chrome throws ``Could not serialize message.`` with the signature prefix."""
    browser, ext, _tab, cs = await _setup(tmp_path, profile)
    async with browser:
        await cs.evaluate(
            "globalThis.called = 0; try { browser.runtime.sendMessage(() => { called++; }) }"
            " catch (e) { globalThis.err = e.message }"
        )
        await browser.settle()
        await browser.advance(1.0)
        assert await cs.evaluate("called") == 0
        assert await ext.background.evaluate("got.length") == 0
        err = await cs.evaluate("globalThis.err ?? null")
        assert err == (SIG + "Could not serialize message." if profile == "chrome" else None)


# -- no receiver, no reply, reply lost ----------------------------------------------------------


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_no_receiver_promise_and_callback(tmp_path: Path, profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(write_ext(tmp_path / "e", "n", "n@test", bg="// none\n"))
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        assert await cs.evaluate("outcome(() => api.runtime.sendMessage({q: 1}))") == {
            "rejected": NO_RECEIVER,
            "name": "Error",
        }
        # [C150][F153 b.]: the callback gets 0 arguments and lastError
        assert await cs.evaluate("viaCb((cb) => chrome.runtime.sendMessage({q: 2}, cb))") == {
            "nargs": 0,
            "r": "<none>",
            "lastError": NO_RECEIVER,
        }
        # the background sending to nobody (a context never receives its own message)
        assert await ext.background.evaluate("outcome(() => api.runtime.sendMessage(1))") == {
            "rejected": NO_RECEIVER,
            "name": "Error",
        }


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_listener_but_no_reply(tmp_path: Path, profile: str) -> None:
    browser, _ext, _tab, cs = await _setup(tmp_path, profile)
    async with browser:
        promise = await cs.evaluate("outcome(() => api.runtime.sendMessage({c: 'none'}))")
        assert promise == {"resolved": U}
        cb = await cs.evaluate("viaCb((cb) => chrome.runtime.sendMessage({c: 'none'}, cb))")
        if profile == "chrome":
            assert cb == {"nargs": 0, "r": "<none>", "lastError": NO_RESPONSE}
        else:
            assert cb == {"nargs": 1, "r": U, "lastError": None}  # [F153 b.]


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_async_reply_lost_when_responder_page_closes(tmp_path: Path, profile: str) -> None:
    """An extension page in a tab returns ``true`` and never answers; its tab is closed.
    Chrome [C150 async_close]: the promise rejects and the callback gets 0 arguments, both
    with the async-response-lost text. Firefox: the promise resolves undefined and the
    callback gets one undefined argument (tests/conformance/scenarios/sm_reply_tab_closed,
    Firefox 153)."""
    async with Browser(profile=profile) as browser:
        ext = await browser.install(write_ext(tmp_path / "e", "k", "k@test", bg="// none\n"))
        page = await ext.open_page("page.html")
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        await cs.evaluate(
            "globalThis.P = outcome(() => api.runtime.sendMessage({c: 'keep'}));"
            "globalThis.C = viaCb((cb) => chrome.runtime.sendMessage({c: 'keep'}, cb)); 0"
        )
        await browser.settle()
        assert await page.evaluate("got.length") == 2
        assert await cs.evaluate("Promise.race([P, Promise.resolve('pending')])") == "pending"
        page_tab = page.tab
        assert page_tab is not None
        await page_tab.close()
        if profile == "chrome":
            assert await cs.evaluate("P") == {"rejected": ASYNC_LOST, "name": "Error"}
            cb = await cs.evaluate("C")
            assert cb["nargs"] == 0 and cb["lastError"] == ASYNC_LOST
        else:
            assert await cs.evaluate("P") == {"resolved": "<u>"}
            cb = await cs.evaluate("C")
            assert cb["nargs"] == 1 and cb["r"] == "<u>" and cb["lastError"] is None


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_tabs_send_message_keep_then_navigate(tmp_path: Path, profile: str) -> None:
    """The reverse direction [C150 async_close]: a content script returns true, the tab
    navigates; the background's tabs.sendMessage rejects with the lost-reply text."""
    browser, ext, tab, _cs = await _setup(tmp_path, profile)
    async with browser:
        await ext.background.evaluate(
            f"globalThis.P = outcome(() => api.tabs.sendMessage({tab.id}, {{c: 'keep'}})); 0"
        )
        await browser.settle()
        await tab.navigate("https://example.com/next")
        if profile == "chrome":
            assert await ext.background.evaluate("P") == {"rejected": ASYNC_LOST, "name": "Error"}
        else:
            # Firefox leaves it pending (tests/conformance/scenarios/sm_reply_tab_closed)
            race = "Promise.race([P, new Promise((r) => setTimeout(() => r('pending'), 4000))])"
            assert await ext.background.evaluate(race) == "pending"


# -- tabs.sendMessage: frames, missing tab ------------------------------------------------------


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_tabs_send_message_frames(tmp_path: Path, profile: str) -> None:
    browser, ext, tab, _cs = await _setup(tmp_path, profile)
    async with browser:
        child = await tab.add_frame("https://example.com/child.html")
        bg = ext.background
        # all frames: every frame's listener runs, the first reply wins [C150 frames]
        r = await bg.evaluate(f"outcome(() => api.tabs.sendMessage({tab.id}, {{sm: 'all'}}))")
        assert r["resolved"]["from"] in ("https://example.com/", "https://example.com/child.html")
        top_cs, child_cs = tab.content_script(ext), tab.content_script(ext, child)
        assert await top_cs.evaluate("got") == [{"sm": "all"}]
        assert await child_cs.evaluate("got") == [{"sm": "all"}]
        # sender seen by a content script from the background [SEMANTICS §8]
        keys = r["resolved"]["senderKeys"]
        if profile == "chrome":
            assert keys == ["id", "url", "origin"]
        else:
            assert "tab" not in keys and "frameId" not in keys
        # one frame
        r = await bg.evaluate(
            f"outcome(() => api.tabs.sendMessage({tab.id}, {{sm: 'child'}}, {{frameId: {child}}}))"
        )
        assert r == {"resolved": {"from": "https://example.com/child.html", "senderKeys": keys}}
        r = await bg.evaluate(
            f"outcome(() => api.tabs.sendMessage({tab.id}, {{sm: 'top'}}, {{frameId: 0}}))"
        )
        assert r["resolved"]["from"] == "https://example.com/"
        assert await child_cs.evaluate("got.length") == 2
        assert await top_cs.evaluate("got.length") == 2
        # a bad tab / frame / document id never throws: no receiver [SEMANTICS §1]
        for call in (
            "api.tabs.sendMessage(99999, {x: 1})",
            f"api.tabs.sendMessage({tab.id}, {{x: 1}}, {{frameId: 12345}})",
            f"api.tabs.sendMessage({tab.id}, {{x: 1}}, {{documentId: 'NOPE'}})",
        ):
            assert await bg.evaluate(f"outcome(() => {call})") == {
                "rejected": NO_RECEIVER,
                "name": "Error",
            }, call
        cb = await bg.evaluate("viaCb((cb) => chrome.tabs.sendMessage(99999, {x: 1}, cb))")
        assert cb["nargs"] == 0 and cb["lastError"] == NO_RECEIVER


# -- onMessageExternal across extensions ---------------------------------------------------------


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_on_message_external_across_extensions(tmp_path: Path, profile: str) -> None:
    async with Browser(profile=profile) as browser:
        a = await browser.install(write_ext(tmp_path / "a", "a", "a@test"))
        b = await browser.install(write_ext(tmp_path / "b", "b", "b@test"))
        r = await b.background.evaluate(
            f"outcome(() => api.runtime.sendMessage({a.id!r}, {{hello: 'A'}}))"
        )
        assert r == {"resolved": {"externalEcho": {"hello": "A"}}}
        # only onMessageExternal ran in A, with B's id as sender.id; onMessage never
        assert await a.background.evaluate("got") == [
            {"external": {"hello": "A"}, "senderId": b.id}
        ]
        # own id counts as internal: B's own background is not a receiver of itself, and
        # B has no other context → no receiver
        r = await b.background.evaluate(
            f"outcome(() => api.runtime.sendMessage({b.id!r}, {{self: 1}}))"
        )
        assert r == {"rejected": NO_RECEIVER, "name": "Error"}
        # a content script of B sending to A: also external
        tab = await browser.open_tab("https://example.com/")
        cs_b = tab.content_script(b)
        r = await cs_b.evaluate(f"outcome(() => api.runtime.sendMessage({a.id!r}, 'cs'))")
        assert r == {"resolved": {"externalEcho": "cs"}}


# -- trace records ------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_trace_send_reply_error(tmp_path: Path, profile: str) -> None:
    browser, _ext, _tab, cs = await _setup(tmp_path, profile)
    async with browser:
        await cs.evaluate("api.runtime.sendMessage({t: 1})")
        await cs.evaluate("outcome(() => api.runtime.sendMessage('m', 'x'))")  # chrome: throws
        await cs.evaluate("outcome(() => api.runtime.sendMessage({c: 'none'}))")
        trace = browser.trace_json()
    sends = [r for r in trace if r["kind"] == "send_message"]
    replies = [r for r in trace if r["kind"] == "reply"]
    first = next(s for s in sends if s["data"].get("message") == {"t": 1})
    assert first["source"].startswith("content")
    assert first["target"] == "background"
    req = first["data"]["request"]
    reply = next(r for r in replies if r["data"]["request"] == req)
    assert reply["data"].get("message") == {"echo": {"t": 1}, "from": "bg"}
    assert reply["target"] == first["source"]
    none = next(s for s in sends if s["data"].get("message") == {"c": "none"})
    done = next(r for r in replies if r["data"]["request"] == none["data"]["request"])
    assert done["data"].get("no_response") is True
    if profile == "firefox":
        # 'm' is an unknown id: a send with no receiver, then an error reply
        bad = next(s for s in sends if s["data"].get("message") == "x")
        assert bad["target"] is None
        err = next(r for r in replies if r["data"]["request"] == bad["data"]["request"])
        assert err["data"]["error"] == NO_RECEIVER
    else:
        assert not any(s["data"].get("message") == "x" for s in sends)  # thrown before sending
