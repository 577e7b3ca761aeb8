"""Python side of message serialization (SEMANTICS.md §3, observations chromium-150 `validation`,
firefox-153 §e `serialization`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
import types
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webext_runtime._core.errors import SerializationError, UsageError
from webext_runtime._core.serialize import (
    CHROME_MAX_MESSAGE_BYTES,
    UNDEFINED,
    JSArrayBuffer,
    JSBigInt,
    JSDate,
    JSErrorValue,
    JSKey,
    JSMap,
    JSRegExp,
    JSTypedArray,
    decode,
    encode,
    payload_size,
    to_jsonable,
)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclasses.dataclass
class Instance:
    v: int


def _fn() -> None:
    pass


# ----------------------------------------------------------------------------------------------
# chrome: the measured "What arrives" table (Python analogues of the JS values sent)
# ----------------------------------------------------------------------------------------------

CHROME_ROWS: list[tuple[str, Any, str]] = [
    ("{f: function(){}, g: 1}", {"f": _fn, "g": 1}, '{"g":1}'),
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
    ("new Error('boom')", ValueError("boom"), "{}"),
    ("new Error('boom') (JSErrorValue)", JSErrorValue("Error", "boom"), "{}"),
    ("/re/g", re.compile("re"), "{}"),
    ("/re/g (JSRegExp)", JSRegExp("re", "g"), "{}"),
    ("new Uint8Array([1,2])", bytes([1, 2]), '{"0":1,"1":2}'),
    ("new Uint8Array([1,2]) (bytearray)", bytearray([1, 2]), '{"0":1,"1":2}'),
    ("new ArrayBuffer(4)", JSArrayBuffer(bytes(4)), "{}"),
    ("class instance {v:1}", Instance(1), '{"v":1}'),
    ("SimpleNamespace", types.SimpleNamespace(v=1), '{"v":1}'),
    ("'a string'", "a string", '"a string"'),
    ("42", 42, "42"),
    ("true", True, "true"),
    ("[1,,3] (no holes in Python: None)", [1, None, 3], "[1,null,3]"),
    ("function in a list", [_fn], "[null]"),
    ("Int16Array", JSTypedArray("Int16Array", b"\x01\x00\xff\xff"), '{"0":1,"1":-1}'),
    ("invalid Date", JSDate(math.nan), "null"),
]


@pytest.mark.parametrize(
    ("label", "value", "payload"), CHROME_ROWS, ids=[r[0] for r in CHROME_ROWS]
)
def test_chrome_what_arrives(label: str, value: Any, payload: str) -> None:
    assert encode(value, "chrome") == payload
    assert decode(payload, "chrome") == json.loads(payload)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (1.5, "1.5"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (123456789012345680000.0, "123456789012345680000"),
        (1e16, "10000000000000000"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (-2.5e300, "-2.5e+300"),
        (5e-324, "5e-324"),
        (2**53, "9007199254740992"),
        (2**53 + 1, "9007199254740992"),  # what JS sees: Number(2**53 + 1)
        (2**64, "18446744073709552000"),
        (10**400, "null"),  # Number(10**400) is Infinity
        (-(2**70), "-1.1805916207174113e+21"),
    ],
)
def test_chrome_numbers_are_formatted_like_js(value: Any, text: str) -> None:
    assert encode(value, "chrome") == text
    assert encode([value], "chrome") == f"[{text}]"


def test_chrome_dates_and_keys() -> None:
    d = dt.datetime(2024, 5, 6, 7, 8, 9, 123999)  # naive = UTC, microseconds floored
    assert encode(d, "chrome") == '"2024-05-06T07:08:09.123Z"'
    tz = dt.timezone(dt.timedelta(hours=2))
    assert encode(dt.datetime(2024, 1, 1, 2, tzinfo=tz), "chrome") == '"2024-01-01T00:00:00.000Z"'
    assert encode(JSDate(-1.0), "chrome") == '"1969-12-31T23:59:59.999Z"'
    assert encode(JSDate(8.64e15), "chrome") == '"+275760-09-13T00:00:00.000Z"'
    assert encode({1: "a", None: "b", False: "c", 1.5: "d"}, "chrome") == (
        '{"1":"a","null":"b","false":"c","1.5":"d"}'  # String(key)
    )
    assert encode({1: "a", "1": "b"}, "chrome") == '{"1":"b"}'


def test_chrome_strings() -> None:
    assert encode('é\u2028\x00"\\', "chrome") == '"é\u2028\\u0000\\"\\\\"'
    assert encode("\ud800", "chrome") == '"\\ud800"'  # lone surrogate escaped (ES2019)
    assert encode("\ud83d\ude00", "chrome") == '"\U0001f600"'  # a pair becomes one character
    assert decode(encode("x\udfff", "chrome"), "chrome") == "x\udfff"


@pytest.mark.parametrize(
    "value",
    [
        _fn,
        print,
        Instance,  # a class is a function in JS terms
        JSBigInt(1),
        {"b": JSBigInt(1)},
        [JSBigInt(1)],
        JSTypedArray("BigInt64Array", bytes(8)),
        object(),
        dt.date(2024, 1, 1),
        {(1, 2): "tuple key"},
    ],
    ids=repr,
)
def test_chrome_could_not_serialize(value: Any) -> None:
    with pytest.raises(SerializationError) as info:
        encode(value, "chrome")
    assert info.value.message == "Could not serialize message."
    assert str(info.value) == "Could not serialize message."
    assert info.value.js_name == "Error"


def test_chrome_cycles_fail_but_sharing_is_fine() -> None:
    cyclic: dict[str, Any] = {"a": 1}
    cyclic["self"] = cyclic
    with pytest.raises(SerializationError, match=r"^Could not serialize message\.$"):
        encode(cyclic, "chrome")
    lst: list[Any] = []
    lst.append(lst)
    with pytest.raises(SerializationError):
        encode(lst, "chrome")
    shared = {"x": 1}
    assert encode([shared, shared], "chrome") == '[{"x":1},{"x":1}]'


def test_chrome_deep_nesting_fails_cleanly() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(SerializationError, match="Could not serialize"):
        encode(deep, "chrome")


def test_firefox_deep_nesting_fails_cleanly() -> None:
    deep: list[Any] = [UNDEFINED]
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(SerializationError) as info:
        encode(deep, "firefox")
    assert (info.value.js_name, info.value.message) == ("InternalError", "too much recursion")


def test_chrome_size_limit() -> None:
    limit = CHROME_MAX_MESSAGE_BYTES
    assert limit == 64 * 1024 * 1024
    with pytest.raises(SerializationError) as info:
        encode("x" * (65 * 1024 * 1024), "chrome")
    assert info.value.message == "Message exceeded maximum allowed size of 64MiB."
    assert info.value.js_name == "Error"
    # The JSON text (quotes included) may be exactly 64 MiB: Chromium compares with `>`.
    exact = encode("x" * (limit - 2), "chrome")
    assert payload_size(exact) == limit
    del exact
    with pytest.raises(SerializationError, match="64MiB"):
        encode("x" * (limit - 1), "chrome")
    # UTF-8 bytes count, not characters: 2-byte characters.
    ok = encode("é" * (limit // 2 - 1), "chrome")
    assert payload_size(ok) == limit
    del ok
    with pytest.raises(SerializationError, match="64MiB"):
        encode("é" * (limit // 2), "chrome")


def test_chrome_small_message_is_plain_json() -> None:
    msg = {"greeting": "hi", "n": 1, "list": [1, 2.5, "x"], "nested": {"ok": True}}
    payload = encode(msg, "chrome")
    assert payload == json.dumps(msg, separators=(",", ":"), ensure_ascii=False)
    assert decode(payload, "chrome") == msg


# ----------------------------------------------------------------------------------------------
# firefox: the measured structured-clone cases
# ----------------------------------------------------------------------------------------------


def _cyclic() -> dict[str, Any]:
    o: dict[str, Any] = {"a": 1}
    o["self"] = o
    return o


FIREFOX_ROWS: list[tuple[str, Any, Any]] = [
    ("{a: undefined}", {"a": UNDEFINED}, {"a": {"$": "undefined"}}),
    ("new Date(0)", EPOCH, {"$": "Date", "v": "1970-01-01T00:00:00.000Z"}),
    ("{d: new Date(0)}", {"d": EPOCH}, {"d": {"$": "Date", "v": "1970-01-01T00:00:00.000Z"}}),
    ("new Map([[1,2]])", JSMap({1: 2}), {"$": "Map", "v": [[1, 2]]}),
    ("new Set([1])", {1}, {"$": "Set", "v": [1]}),
    ("NaN", math.nan, {"$": "number", "v": "NaN"}),
    ("Infinity", math.inf, {"$": "number", "v": "Infinity"}),
    ("-Infinity", -math.inf, {"$": "number", "v": "-Infinity"}),
    ("-0", -0.0, {"$": "number", "v": "-0"}),
    ("[undefined]", [UNDEFINED], [{"$": "undefined"}]),
    ("undefined (top-level)", UNDEFINED, {"$": "undefined"}),
    ("null", None, None),
    ('"str"', "str", "str"),
    ("/re/g", JSRegExp("re", "g"), {"$": "RegExp", "v": "/re/g"}),
    ("re.compile", re.compile("a.b", re.I | re.S), {"$": "RegExp", "v": "/a.b/is"}),
    ('new Error("e")', JSErrorValue("Error", "e"), {"$": "Error", "name": "Error", "message": "e"}),
    ("Python TypeError", TypeError("t"), {"$": "Error", "name": "TypeError", "message": "t"}),
    ("Python KeyError", KeyError("k"), {"$": "Error", "name": "Error", "message": "'k'"}),
    ("new Uint8Array([1,2])", bytes([1, 2]), {"$": "Uint8Array", "v": [1, 2]}),
    ("1n (BigInt)", JSBigInt(1), {"$": "bigint", "v": "1"}),
    ("2**64 (int → BigInt)", 2**64, {"$": "bigint", "v": str(2**64)}),
    ("class instance", Instance(1), {"v": 1}),
    ("cyclic {a:1, self}", _cyclic(), {"a": 1, "self": {"$": "CYCLE"}}),
    ("ArrayBuffer", JSArrayBuffer(b"\x00\xff"), {"$": "ArrayBuffer", "v": [0, 255]}),
    (
        "Int16Array",
        JSTypedArray("Int16Array", b"\x01\x00\xff\xff"),
        {"$": "Int16Array", "v": [1, -1]},
    ),
]


@pytest.mark.parametrize(
    ("label", "value", "shown"), FIREFOX_ROWS, ids=[r[0] for r in FIREFOX_ROWS]
)
def test_firefox_structured_clone(label: str, value: Any, shown: Any) -> None:
    payload = encode(value, "firefox")
    back = decode(payload, "firefox")
    assert to_jsonable(back) == shown
    json.dumps(to_jsonable(back), allow_nan=False)


def test_firefox_values_survive() -> None:
    back = decode(encode(_cyclic(), "firefox"), "firefox")
    assert back["self"] is back
    shared = {"x": 1}
    pair = decode(encode([shared, shared], "firefox"), "firefox")
    assert pair == [shared, shared] and pair[0] is pair[1]
    neg = decode(encode(-0.0, "firefox"), "firefox")
    assert neg == 0 and math.copysign(1.0, neg) < 0
    assert math.isnan(decode(encode(math.nan, "firefox"), "firefox"))
    assert decode(encode({"d": EPOCH}, "firefox"), "firefox")["d"] == EPOCH
    err = decode(
        encode(JSErrorValue("RangeError", "r", "stack!", {"why": 1}), "firefox"), "firefox"
    )
    assert err == JSErrorValue("RangeError", "r", "stack!", {"why": 1})
    chained = ValueError("outer")
    chained.__cause__ = TypeError("inner")
    got = decode(encode(chained, "firefox"), "firefox")
    assert got == JSErrorValue("Error", "outer", None, JSErrorValue("TypeError", "inner"))
    assert decode(encode(JSErrorValue("MyError", "m"), "firefox"), "firefox").name == "Error"
    agg = JSErrorValue("AggregateError", "a", None, UNDEFINED, [1, "x"])
    assert decode(encode(agg, "firefox"), "firefox") == agg
    assert decode(encode(dt.datetime(2024, 5, 6, 7, 8, 9, 123999), "firefox"), "firefox") == (
        dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.UTC)
    )


def test_firefox_plain_values_are_plain_json() -> None:
    msg = {"greeting": "hi", "n": 1, "xs": [1, 2.5, None, True], "o": {"k": "v"}}
    payload = encode(msg, "firefox")
    assert payload == encode(msg, "chrome")
    assert not payload.startswith("~")
    assert decode(payload, "firefox") == msg
    assert encode(Instance(3), "firefox") == '{"v":3}'
    assert encode((1, 2), "firefox") == "[1,2]"
    assert encode({1: 2}, "firefox") == '{"1":2}'
    assert encode(1e21, "firefox") == "1e+21"


def test_firefox_tagged_wire_format() -> None:
    assert encode([UNDEFINED, 1], "firefox") == '~["A",["u"],1]'
    assert encode({"a": UNDEFINED}, "firefox") == '~["O","a",["u"]]'
    assert encode(_cyclic(), "firefox") == '~["O","a",1,"self",["r",0]]'
    assert encode(EPOCH, "firefox") == '~["D",0]'
    assert encode(JSDate(math.nan), "firefox") == '~["D",null]'
    assert encode(bytes([1, 2]), "firefox") == '~["T","Uint8Array",["B","AQI="],0,2]'
    b = b"\x01"
    assert encode([b, b], "firefox") == '~["A",["T","Uint8Array",["B","AQ=="],0,1],["r",1]]'
    assert encode(JSRegExp("a/b", "gi"), "firefox") == '~["R","a/b","gi"]'
    assert encode(JSErrorValue("Error", "e"), "firefox") == '~["E","Error","e",null]'
    assert encode([1e21, UNDEFINED], "firefox") == '~["A",1e+21,["u"]]'


def test_firefox_decodes_what_js_sends() -> None:
    # A hole (JS [1,,3]) arrives as UNDEFINED; non-index array keys are dropped.
    assert decode('~["a",3,"0",1,"2",3,"x",9]', "firefox") == [1, UNDEFINED, 3]
    assert decode('~["P","Number",["n","-0"]]', "firefox") == 0
    assert decode('~["P","BigInt","5"]', "firefox") == JSBigInt(5)
    assert decode('~["P","String","s"]', "firefox") == "s"
    assert decode('~["D",8.64e15]', "firefox") == JSDate(8.64e15)
    view = decode('~["T","Int8Array",["B","AQID"],1,2]', "firefox")
    assert view == JSTypedArray("Int8Array", b"\x02\x03")
    m = decode('~["M",["O"],1,["A"],2]', "firefox")
    assert isinstance(m, JSMap)
    keys = list(m)
    assert all(isinstance(k, JSKey) for k in keys)
    assert [k.value for k in keys] == [{}, []]
    s = decode('~["S",["O","a",1],1]', "firefox")
    assert 1 in s and any(isinstance(x, JSKey) and x.value == {"a": 1} for x in s)
    # JS numbers beyond 2**53 are numbers, not ints that would come back as BigInt.
    assert decode("100000000000000000000", "firefox") == 1e20
    assert isinstance(decode("[100000000000000000000]", "firefox")[0], float)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (_fn, "Function object could not be cloned."),
        ({"f": _fn}, "Function object could not be cloned."),
        ([1, [print]], "Function object could not be cloned."),
        (Instance, "Function object could not be cloned."),
        (object(), "object object could not be cloned."),
        (dt.date(2024, 1, 1), "date object could not be cloned."),
    ],
    ids=repr,
)
def test_firefox_data_clone_errors(value: Any, message: str) -> None:
    with pytest.raises(SerializationError) as info:
        encode(value, "firefox")
    assert info.value.message == message
    assert info.value.js_name == "DataCloneError"


def test_unknown_profile() -> None:
    with pytest.raises(UsageError):
        encode(1, "safari")
    with pytest.raises(UsageError):
        decode("1", "safari")


def test_undefined_sentinel() -> None:
    assert repr(UNDEFINED) == "undefined"
    assert not UNDEFINED
    assert type(UNDEFINED)() is UNDEFINED
    import copy
    import pickle

    assert copy.deepcopy(UNDEFINED) is UNDEFINED
    assert pickle.loads(pickle.dumps(UNDEFINED)) is UNDEFINED


def test_payload_size() -> None:
    assert payload_size('{"a":1}') == 7
    assert payload_size('"é€😀"') == 2 + 2 + 3 + 4


def test_to_jsonable_of_chrome_values_is_identity() -> None:
    msg = {"a": [1, 2.5, None, "s"], "b": {"c": False}}
    assert to_jsonable(decode(encode(msg, "chrome"), "chrome")) == msg


def test_small_message_payload_is_plain_json() -> None:
    # the common case costs one json.dumps in both profiles (speed is measured in bench/)
    msg = {"greeting": "hi", "n": 1}
    for profile in ("chrome", "firefox"):
        payload = encode(msg, profile)
        assert payload == '{"greeting":"hi","n":1}'
        assert decode(payload, profile) == msg


# ----------------------------------------------------------------------------------------------
# Hypothesis round trips
# ----------------------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_chrome_round_trip_equals_json(value: Any) -> None:
    payload = encode(value, "chrome")
    assert decode(payload, "chrome") == json.loads(json.dumps(value))


def _same(a: Any, b: Any) -> bool:
    """Deep equality where NaN equals NaN, -0.0 differs from 0.0 and BigInt differs from number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) or isinstance(b, float):
        if not isinstance(a, int | float) or not isinstance(b, int | float):
            return False
        fa, fb = float(a), float(b)
        if math.isnan(fa) or math.isnan(fb):
            return math.isnan(fa) and math.isnan(fb)
        return fa == fb and math.copysign(1.0, fa) == math.copysign(1.0, fb)
    if isinstance(a, int) and isinstance(b, int):
        if abs(a) <= 2**53 and isinstance(a, JSBigInt) != isinstance(b, JSBigInt):
            return False
        return a == b
    if isinstance(a, JSMap) or isinstance(b, JSMap):
        if not (isinstance(a, JSMap) and isinstance(b, JSMap)) or len(a) != len(b):
            return False
        pairs = zip(a.items(), b.items(), strict=True)
        return all(_same(ka, kb) and _same(va, vb) for (ka, va), (kb, vb) in pairs)
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, set | frozenset) and isinstance(b, set):
        return len(a) == len(b) and all(any(_same(x, y) for y in b) for x in a)
    if isinstance(a, JSErrorValue) and isinstance(b, JSErrorValue):
        same_head = (a.name, a.message, a.stack) == (b.name, b.message, b.stack)
        return same_head and _same(a.cause, b.cause)
    return type(a) is type(b) and bool(a == b)


set_members = (
    st.none()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.text(max_size=5)
    | st.floats(allow_nan=False).filter(lambda f: f != 0 or math.copysign(1, f) > 0)
)
rich_scalars = (
    st.none()
    | st.just(UNDEFINED)
    | st.booleans()
    | st.integers()
    | st.integers().map(JSBigInt)
    | st.floats()
    | st.text(alphabet=st.characters(exclude_categories=("Cs",)))
    | st.datetimes(timezones=st.just(dt.UTC)).map(
        lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
    )
    | st.binary(max_size=8)
    | st.binary(max_size=8).map(JSArrayBuffer)
    | st.sampled_from(["Int16Array", "Float32Array", "BigUint64Array", "Float64Array"]).flatmap(
        lambda k: st.binary(min_size=8, max_size=8).map(lambda b: JSTypedArray(k, b))
    )
    | st.builds(JSRegExp, st.text(max_size=5), st.sampled_from(["", "g", "gi", "msu"]))
    | st.builds(
        JSErrorValue, st.sampled_from(["Error", "TypeError", "RangeError"]), st.text(max_size=5)
    )
    | st.frozensets(set_members, max_size=4)
)
rich_values = st.recursive(
    rich_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.dictionaries(set_members, inner, max_size=3).map(JSMap)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(rich_values)
def test_firefox_round_trip(value: Any) -> None:
    payload = encode(value, "firefox")
    back = decode(payload, "firefox")
    assert _same(value, back), (value, payload, back)
    assert _same(back, decode(encode(back, "firefox"), "firefox"))
    json.dumps(to_jsonable(back), allow_nan=False)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=3), st.integers(), max_size=3), max_size=4))
def test_firefox_sharing_round_trip(items: list[dict[str, int]]) -> None:
    value = items + items  # every dict shared twice
    back = decode(encode(value, "firefox"), "firefox")
    assert back == value
    for i in range(len(items)):
        assert back[i] is back[i + len(items)]
