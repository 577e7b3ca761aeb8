"""serialize.js in a bare QuickJS realm: the Python side's payloads, cross-decodable both ways.

Rows: observations/chromium-150.md (scenario `validation`, "What arrives") and
observations/firefox-153.md (§e, raw `serialization` trace)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.resources
import json
import math
import re
from typing import Any

import pytest
import quickjs
from hypothesis import given, settings
from hypothesis import strategies as st

from webext_runtime._core.serialize import (
    UNDEFINED,
    JSArrayBuffer,
    JSBigInt,
    JSErrorValue,
    JSMap,
    JSRegExp,
    JSTypedArray,
    decode,
    encode,
    to_jsonable,
)

JS_SOURCE = (importlib.resources.files("webext_runtime._bridge") / "js" / "serialize.js").read_text(
    encoding="utf-8"
)

# Test helpers inside the realm: run(f) → JSON {ok: value} / {err: {...}}; describe(v) → the
# same "$" notation as serialize.to_jsonable (holes shown as undefined, like Python decodes them).
HARNESS = r"""
globalThis.__t = {
  run(f) {
    try { return JSON.stringify({ok: f()}); }
    catch (e) {
      return JSON.stringify({err: {name: e.name, message: e.message,
                                   ctor: e.constructor && e.constructor.name}});
    }
  },
  describe(v, anc) {
    anc = anc || new Set();
    const d = (x) => __t.describe(x, anc);
    if (v === undefined) return {$: "undefined"};
    if (typeof v === "number") {
      if (v !== v) return {$: "number", v: "NaN"};
      if (v === Infinity) return {$: "number", v: "Infinity"};
      if (v === -Infinity) return {$: "number", v: "-Infinity"};
      if (v === 0 && 1 / v < 0) return {$: "number", v: "-0"};
      return v;
    }
    if (typeof v === "bigint") return {$: "bigint", v: String(v)};
    if (v === null || typeof v !== "object") return v;
    if (anc.has(v)) return {$: "CYCLE"};
    anc.add(v);
    try {
      if (Array.isArray(v)) {
        const out = [];
        for (let i = 0; i < v.length; i++) out.push(d(v[i]));
        return out;
      }
      if (v instanceof Date) return {$: "Date", v: isNaN(v.getTime()) ? null : v.toISOString()};
      if (v instanceof RegExp) return {$: "RegExp", v: "/" + v.source + "/" + v.flags};
      if (v instanceof Map) return {$: "Map", v: Array.from(v, ([k, x]) => [d(k), d(x)])};
      if (v instanceof Set) return {$: "Set", v: Array.from(v, d)};
      if (v instanceof Error) {
        const out = {$: "Error", name: v.name, message: v.message};
        if (Object.prototype.hasOwnProperty.call(v, "cause")) out.cause = d(v.cause);
        return out;
      }
      if (v instanceof ArrayBuffer) return {$: "ArrayBuffer", v: Array.from(new Uint8Array(v))};
      if (ArrayBuffer.isView(v)) return {$: v.constructor.name, v: Array.from(v, d)};
      if (v instanceof Number || v instanceof String || v instanceof Boolean) return d(v.valueOf());
      const out = {};
      for (const k of Object.keys(v)) out[k] = d(v[k]);
      return out;
    } finally { anc.delete(v); }
  },
};
"""


@pytest.fixture
def realm() -> quickjs.Context:
    ctx = quickjs.Context()
    ctx.eval(JS_SOURCE)
    ctx.eval(HARNESS)
    return ctx


def run(ctx: quickjs.Context, body: str) -> dict[str, Any]:
    """Evaluate a JS expression inside run(); returns {"ok": value} or {"err": {...}}."""
    result = ctx.eval(f"__t.run(() => ({body}))")
    assert isinstance(result, str)
    out: dict[str, Any] = json.loads(result, parse_int=_js_int)
    return out


def _js_int(text: str) -> int | float:
    n = int(text)
    return n if abs(n) <= 2**53 else float(n)


def js_str(text: str) -> str:
    """A JS string literal (ASCII only, so lone surrogates survive the trip into QuickJS)."""
    return json.dumps(text)


def js_encode(ctx: quickjs.Context, profile: str, expr: str) -> dict[str, Any]:
    fn = "encodeChrome" if profile == "chrome" else "encodeFirefox"
    return run(ctx, f"__wxSerialize.{fn}({expr})")


def js_decode_described(ctx: quickjs.Context, profile: str, payload: str) -> Any:
    fn = "decodeChrome" if profile == "chrome" else "decodeFirefox"
    out = run(ctx, f"__t.describe(__wxSerialize.{fn}({js_str(payload)}))")
    assert "ok" in out, out
    return out.get("ok")


def js_described(ctx: quickjs.Context, expr: str) -> Any:
    out = run(ctx, f"__t.describe({expr})")
    assert "ok" in out, out
    return out.get("ok")


@dataclasses.dataclass
class X:
    x: int


@dataclasses.dataclass
class V:
    v: int


NO_PY = object()  # a JS-only row
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _py_cyclic() -> dict[str, Any]:
    o: dict[str, Any] = {"a": 1}
    o["self"] = o
    return o


def _py_shared() -> list[Any]:
    s = {"x": 1}
    return [s, s]


# ----------------------------------------------------------------------------------------------
# chrome
# ----------------------------------------------------------------------------------------------

CHROME_ROWS: list[tuple[str, Any, str]] = [
    ("{f: function(){}, g: 1}", {"f": print, "g": 1}, '{"g":1}'),
    ("new Date(0)", EPOCH, '"1970-01-01T00:00:00.000Z"'),
    ("new Map([[1,2]])", JSMap({1: 2}), "{}"),
    ("new Set([1])", {1}, "{}"),
    ("undefined", UNDEFINED, "null"),
    ("null", None, "null"),
    ("NaN", math.nan, "null"),
    ("Infinity", math.inf, "null"),
    ("-0", -0.0, "0"),
    ("{a: undefined, b: 1}", {"a": UNDEFINED, "b": 1}, '{"b":1}'),
    ("[undefined, 1]", [UNDEFINED, 1], "[null,1]"),
    ("[NaN, Infinity]", [math.nan, math.inf], "[null,null]"),
    ("new Error('boom')", JSErrorValue("Error", "boom"), "{}"),
    ("/re/g", JSRegExp("re", "g"), "{}"),
    ("new Uint8Array([1,2])", bytes([1, 2]), '{"0":1,"1":2}'),
    ("new ArrayBuffer(4)", JSArrayBuffer(bytes(4)), "{}"),
    ("{toJSON(){return 'tj'}}", NO_PY, '"tj"'),
    ("[1,,3]", NO_PY, "[1,null,3]"),
    ("new (class { constructor() { this.v = 1; } })()", V(1), '{"v":1}'),
    ("'a string'", "a string", '"a string"'),
    ("42", 42, "42"),
    ("true", True, "true"),
    ("[function(){}]", [print], "[null]"),
    ("new Int16Array([1, -1])", JSTypedArray("Int16Array", b"\x01\x00\xff\xff"), '{"0":1,"1":-1}'),
    ("new Date(NaN)", NO_PY, "null"),
    ("1e21", 1e21, "1e+21"),
    ("1.0", 1.0, "1"),
    ("1e-7", 1e-7, "1e-7"),
    ("2**64", 2**64, "18446744073709552000"),
    ("'\\ud800\\ud83d\\ude00'", "\ud800\U0001f600", '"\\ud800\U0001f600"'),
]


@pytest.mark.parametrize(("expr", "py", "payload"), CHROME_ROWS, ids=[r[0] for r in CHROME_ROWS])
def test_chrome_rows(realm: quickjs.Context, expr: str, py: Any, payload: str) -> None:
    assert js_encode(realm, "chrome", expr) == {"ok": payload}
    if py is not NO_PY:
        assert encode(py, "chrome") == payload
    # Cross-decoding: what JS parses equals what Python parses.
    assert js_decode_described(realm, "chrome", payload) == to_jsonable(decode(payload, "chrome"))


@pytest.mark.parametrize(
    "expr",
    [
        "function(){}",
        "(() => { const o = {a: 1}; o.self = o; return o; })()",
        "BigInt(1)",
        "({b: BigInt(1)})",
        "Symbol('s')",
        "({toJSON() { throw new TypeError('nope'); }})",
        "({get g() { throw new RangeError('getter'); }})",
        "({toJSON() { return undefined; }})",
    ],
)
def test_chrome_could_not_serialize(realm: quickjs.Context, expr: str) -> None:
    # messaging_util.cc MessageFromV8UsingJSON: any throw inside JSON.stringify (caught by a
    # v8::TryCatch) or an `undefined` result → kErrorCouldNotSerialize, an Error.
    err = js_encode(realm, "chrome", expr)["err"]
    assert err == {"name": "Error", "message": "Could not serialize message.", "ctor": "Error"}


def test_chrome_error_constructor_for_send_response(realm: quickjs.Context) -> None:
    # sendResponse throws a TypeError with the same text (measured); the caller picks the class.
    err = run(realm, "__wxSerialize.encodeChrome(function(){}, TypeError)")["err"]
    assert err == {
        "name": "TypeError",
        "message": "Could not serialize message.",
        "ctor": "TypeError",
    }


def test_chrome_size_limit(realm: quickjs.Context) -> None:
    err = run(realm, "__wxSerialize.encodeChrome('x'.repeat(65 * 1024 * 1024))")["err"]
    assert err["name"] == "Error"
    assert err["message"] == "Message exceeded maximum allowed size of 64MiB."
    ok = run(realm, "__wxSerialize.encodeChrome('x'.repeat(64 * 1024 * 1024 - 2)).length")
    assert ok == {"ok": 64 * 1024 * 1024}
    sizes = run(realm, r"['é€😀\ud800', 'abc', ''].map(__wxSerialize.utf8Length)")
    assert sizes == {"ok": [2 + 3 + 4 + 3, 3, 0]}


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**60), max_value=2**60)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.text(alphabet="abcxyz_", min_size=1, max_size=4), inner, max_size=4
            )
        ),
        max_leaves=15,
    )
)
def test_same_payloads_for_json_values(value: Any) -> None:
    ctx = quickjs.Context()
    ctx.eval(JS_SOURCE)
    ctx.eval(HARNESS)
    literal = f"JSON.parse({js_str(json.dumps(value))})"
    _same_text(js_encode(ctx, "chrome", literal)["ok"], encode(value, "chrome"))
    if not _has_big_int(value):  # a Python int beyond 2**53 is a BigInt for Firefox
        _same_text(js_encode(ctx, "firefox", literal)["ok"], encode(value, "firefox"))


def _same_text(js: str, py: str) -> None:
    """Equal payloads — except where QuickJS spells a double with more digits than the shortest
    round-trip form V8 (and Python) use, e.g. 2**-24: QuickJS ``5.9604644775390625e-8``, V8
    ``5.960464477539063e-8``. Those must still parse to the same values."""
    if js == py:
        return
    assert js.startswith("~") == py.startswith("~")
    assert json.loads(js.lstrip("~")) == json.loads(py.lstrip("~"))
    assert re.sub(r"\d", "", js) == re.sub(r"\d", "", py)


def _has_big_int(v: Any) -> bool:
    if isinstance(v, dict):
        return any(_has_big_int(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_big_int(x) for x in v)
    return type(v) is int and abs(v) > 2**53


# ----------------------------------------------------------------------------------------------
# firefox
# ----------------------------------------------------------------------------------------------

FIREFOX_ROWS: list[tuple[str, Any, str | None]] = [
    ("{a: undefined}", {"a": UNDEFINED}, '~["O","a",["u"]]'),
    ("new Date(0)", EPOCH, '~["D",0]'),
    ("{d: new Date(0)}", {"d": EPOCH}, '~["O","d",["D",0]]'),
    ("new Map([[1,2]])", JSMap({1: 2}), '~["M",1,2]'),
    ("new Set([1])", {1}, '~["S",1]'),
    ("NaN", math.nan, '~["n","NaN"]'),
    ("Infinity", math.inf, '~["n","Infinity"]'),
    ("-Infinity", -math.inf, '~["n","-Infinity"]'),
    ("-0", -0.0, '~["n","-0"]'),
    ("[undefined]", [UNDEFINED], '~["A",["u"]]'),
    ("[1,,3]", NO_PY, '~["a",3,"0",1,"2",3]'),
    ("undefined", UNDEFINED, '~["u"]'),
    ("null", None, "null"),
    ("'str'", "str", '"str"'),
    ("/re/g", JSRegExp("re", "g"), '~["R","re","g"]'),
    ("new Error('e')", JSErrorValue("Error", "e"), None),  # JS carries a stack, Python none
    ("new TypeError('t', {cause: {n: 1}})", JSErrorValue("TypeError", "t", None, {"n": 1}), None),
    ("new Uint8Array([1,2])", bytes([1, 2]), '~["T","Uint8Array",["B","AQI="],0,2]'),
    ("1n", JSBigInt(1), '~["b","1"]'),
    ("2n ** 64n", 2**64, '~["b","18446744073709551616"]'),
    ("new (class { constructor() { this.x = 1; } })()", X(1), '{"x":1}'),
    (
        "(() => { const o = {a: 1}; o.self = o; return o; })()",
        _py_cyclic(),
        '~["O","a",1,"self",["r",0]]',
    ),
    ("(() => { const s = {x: 1}; return [s, s]; })()", _py_shared(), '~["A",["O","x",1],["r",1]]'),
    ("new Uint8Array([0, 255]).buffer", JSArrayBuffer(b"\x00\xff"), '~["B","AP8="]'),
    (
        "new Int16Array([1, -1])",
        JSTypedArray("Int16Array", b"\x01\x00\xff\xff"),
        '~["T","Int16Array",["B","AQD//w=="],0,2]',
    ),
    ("{greeting: 'hi', n: 1}", {"greeting": "hi", "n": 1}, '{"greeting":"hi","n":1}'),
    ("[1.5, 1e21, 'é']", [1.5, 1e21, "é"], '[1.5,1e+21,"é"]'),
    ("'\\ud800'", "\ud800", '"\\ud800"'),
]


@pytest.mark.parametrize(("expr", "py", "payload"), FIREFOX_ROWS, ids=[r[0] for r in FIREFOX_ROWS])
def test_firefox_rows(realm: quickjs.Context, expr: str, py: Any, payload: str | None) -> None:
    got = js_encode(realm, "firefox", expr)
    assert "ok" in got, got
    js_payload = got["ok"]
    if payload is not None:
        assert js_payload == payload
    # JS → Python: what Python decodes is what the JS value is.
    assert to_jsonable(decode(js_payload, "firefox")) == js_described(realm, expr)
    if py is NO_PY:
        return
    py_payload = encode(py, "firefox")
    if payload is not None:
        assert py_payload == payload
    # Python → JS (compared with what Python itself decodes: a Python int 2**64 is a BigInt).
    assert js_decode_described(realm, "firefox", py_payload) == to_jsonable(
        decode(py_payload, "firefox")
    )
    if not isinstance(py, int):
        assert to_jsonable(decode(py_payload, "firefox")) == to_jsonable(py)


def test_firefox_identity_and_classes_after_decoding(realm: quickjs.Context) -> None:
    cyc = js_str(encode(_py_cyclic(), "firefox"))
    assert run(realm, f"(o => o.self === o)(__wxSerialize.decodeFirefox({cyc}))") == {"ok": True}
    shared = js_str(encode(_py_shared(), "firefox"))
    assert run(realm, f"(a => a[0] === a[1])(__wxSerialize.decodeFirefox({shared}))") == {
        "ok": True
    }
    err = js_str(encode(JSErrorValue("TypeError", "t", "STACK", {"n": 1}), "firefox"))
    probe = (
        f"(e => [e instanceof TypeError, e.name, e.message, e.stack, e.cause.n,"
        f" Object.keys(e).length])(__wxSerialize.decodeFirefox({err}))"
    )
    assert run(realm, probe) == {"ok": [True, "TypeError", "t", "STACK", 1, 0]}
    hole = run(realm, "(a => [a.length, 1 in a])(structuredClone([1,,3]))")
    assert hole == {"ok": [3, False]}
    views = run(
        realm,
        "(() => { const b = new ArrayBuffer(8);"
        " const x = structuredClone([new Uint8Array(b, 2, 3), new Uint16Array(b)]);"
        " x[0][0] = 7; return [x[0].buffer === x[1].buffer, x[1][1], x[0].byteOffset]; })()",
    )
    assert views == {"ok": [True, 7, 2]}
    proto = run(realm, 'Object.keys(__wxSerialize.decodeFirefox(\'~["O","__proto__",1]\'))')
    assert proto == {"ok": ["__proto__"]}
    date = run(
        realm, f"__wxSerialize.decodeFirefox({js_str(encode(EPOCH, 'firefox'))}) instanceof Date"
    )
    assert date == {"ok": True}


def test_firefox_js_error_decodes_in_python(realm: quickjs.Context) -> None:
    payload = js_encode(realm, "firefox", "new RangeError('r', {cause: 5})")["ok"]
    err = decode(payload, "firefox")
    assert isinstance(err, JSErrorValue)
    assert (err.name, err.message, err.cause) == ("RangeError", "r", 5)
    assert isinstance(err.stack, str)
    custom = js_encode(realm, "firefox", "Object.assign(new Error('m'), {name: 'MyError'})")["ok"]
    assert decode(custom, "firefox").name == "Error"  # non-standard names become "Error"


FIREFOX_ERRORS = [
    ("function(){}", "DataCloneError", "Function object could not be cloned."),
    ("{f: function(){}}", "DataCloneError", "Function object could not be cloned."),
    ("{toJSON() { return 'J'; }, k: 1}", "DataCloneError", "Function object could not be cloned."),
    ("Symbol('s')", "InvalidStateError", "An exception was thrown"),
    ("{s: Symbol()}", "DataCloneError", "unsupported type for structured data"),
    ("Promise.resolve(1)", "DataCloneError", "Promise object could not be cloned."),
    ("new WeakMap()", "DataCloneError", "WeakMap object could not be cloned."),
]


@pytest.mark.parametrize(
    ("expr", "name", "message"), FIREFOX_ERRORS, ids=[e[0] for e in FIREFOX_ERRORS]
)
def test_firefox_clone_errors(realm: quickjs.Context, expr: str, name: str, message: str) -> None:
    err = js_encode(realm, "firefox", expr)["err"]
    assert (err["name"], err["message"]) == (name, message)
    assert err["ctor"] in ("Error", "DOMException")


def test_python_and_js_agree_on_function_errors(realm: quickjs.Context) -> None:
    from webext_runtime._core.errors import SerializationError

    js = js_encode(realm, "firefox", "{f: function(){}}")["err"]
    with pytest.raises(SerializationError) as info:
        encode({"f": print}, "firefox")
    assert (info.value.js_name, info.value.message) == (js["name"], js["message"])


def test_global_structured_clone(realm: quickjs.Context) -> None:
    out = run(
        realm,
        "__t.describe(structuredClone({m: new Map([[1, {a: [1, 2]}]]), s: new Set(['x']),"
        " n: NaN, z: -0, d: new Date(5), b: 3n, u: undefined}))",
    )
    assert out == {
        "ok": {
            "m": {"$": "Map", "v": [[1, {"a": [1, 2]}]]},
            "s": {"$": "Set", "v": ["x"]},
            "n": {"$": "number", "v": "NaN"},
            "z": {"$": "number", "v": "-0"},
            "d": {"$": "Date", "v": "1970-01-01T00:00:00.005Z"},
            "b": {"$": "bigint", "v": "3"},
            "u": {"$": "undefined"},
        }
    }
    err = run(realm, "structuredClone(() => 1)")["err"]
    assert (err["name"], err["message"]) == (
        "DataCloneError",
        "Function object could not be cloned.",
    )


def test_cross_realm_round_trip_of_a_rich_value(realm: quickjs.Context) -> None:
    expr = (
        "(() => { const shared = {k: [1, , 3]}; const o = {shared, again: shared,"
        " m: new Map([[{}, new Set([1n])]]), t: new Float64Array([1.5, -0]),"
        " e: new AggregateError([new Error('x')], 'agg'), r: /a\\/b/giu, w: new Number(4),"
        " u: undefined, big: 2n ** 70n, n: -Infinity }; o.me = o; return o; })()"
    )
    payload = js_encode(realm, "firefox", expr)["ok"]
    py = decode(payload, "firefox")
    assert py["shared"] is py["again"] and py["me"] is py
    assert py["shared"] == {"k": [1, UNDEFINED, 3]}
    assert py["big"] == 2**70 and isinstance(py["big"], JSBigInt)
    assert py["w"] == 4
    assert py["r"] == JSRegExp("a\\/b", "giu")
    assert py["e"].name == "AggregateError" and py["e"].errors[0].message == "x"
    assert py["t"].values()[0] == 1.5 and math.copysign(1.0, py["t"].values()[1]) < 0
    # Python re-encodes it; JS decodes it again into the same shape.
    again = encode(py, "firefox")
    shape = js_decode_described(realm, "firefox", again)
    assert shape["me"] == {"$": "CYCLE"}
    assert shape["shared"] == {"k": [1, {"$": "undefined"}, 3]}
    assert shape["big"] == {"$": "bigint", "v": str(2**70)}
    assert shape["n"] == {"$": "number", "v": "-Infinity"}
    assert shape["e"]["name"] == "AggregateError"
