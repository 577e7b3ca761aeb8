"""Message values on the wire: one opaque ``str`` payload per message, per browser profile.

SEMANTICS.md §3. Stdlib only, no IO. The JS side (``_bridge/js/serialize.js``) produces and
reads the very same payloads, so a message can cross Python⇄JS in either direction.

Wire format
===========

``chrome``
    The payload is the JSON text Chrome's ``JSON.stringify`` would produce (compact, numbers
    formatted like JS ``Number#toString``, lone surrogates escaped as ``\\udXXX``). Top-level
    ``undefined`` becomes ``null`` [source: Chromium ``messaging_util.cc``
    ``MessageFromV8UsingJSON``]. A payload over 64 MiB of UTF-8 (``size > 67108864``, compared
    on the serialized byte length, ``mojom::kMaxMessageBytes``) is refused.

``firefox`` — a *clone record*
    * If the value is "plain" — only objects/arrays (no shared or cyclic references, no holes),
      strings, booleans, ``null`` and finite numbers other than ``-0`` — the payload is exactly
      the JSON text (same text as Chrome would send), so ordinary messages cost the same.
    * Otherwise the payload is ``"~"`` followed by the JSON text of a tagged tree. Nodes are
      JSON ``null``/booleans/strings/finite numbers standing for themselves, or JSON arrays whose
      first element is a one-letter tag (a JSON object never appears in a tagged tree):

      ========================================  ===========================================
      ``["u"]``                                 ``undefined``
      ``["n", "NaN"|"Infinity"|"-Infinity"|"-0"]``  special numbers
      ``["b", "<decimal>"]``                    BigInt
      ``["A", e0, e1, ...]``                    dense Array
      ``["a", length, k, v, k, v, ...]``        Array with holes or extra keys (string keys)
      ``["O", k, v, k, v, ...]``                plain object (own enumerable string keys)
      ``["D", ms|null]``                        Date (``null``: invalid Date)
      ``["R", source, flags]``                  RegExp
      ``["M", k, v, k, v, ...]``                Map
      ``["S", e0, e1, ...]``                    Set
      ``["E", name, message|null, stack|null,   Error. ``name`` is one of the standard names
      hasCause?, cause?, errors?]``             (else ``"Error"``), message ``null`` = no own
                                                message; trailing elements may be omitted
      ``["B", base64]``                         ArrayBuffer (bytes)
      ``["T", kind, buffer, byteOffset, len]``  typed array / DataView (``len`` = element count,
                                                byteLength for DataView); ``buffer`` is a
                                                ``B`` node or a back-reference
      ``["P", "Number"|"String"|"Boolean"|"BigInt", value]``  boxed primitive
      ``["r", index]``                          back-reference to the index-th object node
      ========================================  ===========================================

      Object nodes (every tag except ``u n b r``) are numbered 0, 1, 2 … in pre-order (a node
      gets its number before its children), which is how shared and cyclic references survive.

    Firefox keeps for an Error (SpiderMonkey ``JSStructuredCloneWriter::traverseError``): the
    name (normalized to Error/EvalError/RangeError/ReferenceError/SyntaxError/TypeError/
    URIError/AggregateError, else "Error"), the own ``message`` (ToString'd), ``stack``,
    ``cause`` (own data property), ``errors`` (AggregateError), fileName/lineNumber/
    columnNumber. The last three are not carried here.

Python ⇄ JS type mapping
========================

=====================================  ================================  ========================
Python (encode)                        chrome payload                    firefox (JS value)
=====================================  ================================  ========================
``None``                               ``null``                          ``null``
``UNDEFINED``                          ``null`` top level / in a list,   ``undefined``
                                       key dropped in a dict
``bool``                               ``true``/``false``                boolean
``int``, ``|n| <= 2**53``              number                            number
``int``, ``|n| > 2**53``               the JS number ``Number(n)``       BigInt
``JSBigInt`` (int subclass)            error (BigInt)                    BigInt
``float``                              number; NaN/±inf → ``null``,      number (NaN, ±Infinity,
                                       ``-0.0`` → ``0``                  -0 kept)
``str``                                string                            string
``list``, ``tuple``                    array                             Array
``dict`` (and subclasses)              object; keys → ``String(key)``    plain object, same keys
                                       (str/int/float/bool/None only)
``JSMap``                              ``{}``                            Map
``set``, ``frozenset``                 ``{}``                            Set
``datetime`` (naive = UTC)             ISO string ``…T…:…:….mmmZ``       Date (ms precision)
``JSDate(ms)``                         ISO string, ``null`` if invalid   Date
``re.Pattern``, ``JSRegExp``           ``{}``                            RegExp (i/m/s flags)
``BaseException``, ``JSErrorValue``    ``{}``                            Error (``__cause__`` →
                                                                         ``cause``)
``bytes``/``bytearray``/``memoryview``  ``{"0":b0,"1":b1,…}``             Uint8Array
``JSTypedArray(kind, data)``           index object (BigInt kinds:       that typed array
                                       error)
``JSArrayBuffer(data)``                ``{}``                            ArrayBuffer
dataclass instance, SimpleNamespace    object of its fields              plain object
callable                               error at top level, dropped in    ``DataCloneError:
                                       a dict, ``null`` in a list        Function object could
                                                                         not be cloned.``
``JSKey(v)``                           as ``v``                          as ``v``
anything else                          ``Could not serialize message.``  ``DataCloneError: <type>
                                                                         object could not be
                                                                         cloned.``
=====================================  ================================  ========================

Cycles: chrome refuses them (``Could not serialize message.``, shared non-cyclic references are
written twice like JSON.stringify does); firefox keeps cycles and sharing.

Decoding (payload → Python): ``null`` → ``None``, ``undefined`` → ``UNDEFINED``, numbers → ``int``
when written without fraction/exponent and ``|n| <= 2**53``, otherwise ``float`` — the JS number
the receiver would see (NaN, ±inf, ``-0.0`` as such); string → ``str``; Array → ``list`` (holes →
``UNDEFINED``; non-index keys of arrays are dropped); object → ``dict``; Map → ``JSMap``; Set →
``set``; Date → aware UTC ``datetime`` (``JSDate`` when invalid or out of Python's range); RegExp
→ ``JSRegExp``; Error → ``JSErrorValue``; Uint8Array → ``bytes``; other typed arrays / DataView →
``JSTypedArray`` (the view's bytes); ArrayBuffer → ``JSArrayBuffer``; BigInt → ``JSBigInt``;
boxed primitives → the primitive. Map keys and Set members that are not hashable in Python
(objects, arrays, …) are wrapped in ``JSKey`` (compared by identity, like JS does).

Left out: lone surrogates inside a Python ``str`` are escaped like JSON.stringify does, and a
surrogate *pair* in a Python ``str`` is joined into one astral character; Python objects other than
the ones above (plain class instances, ``date``, …) are refused; Firefox's DOM-object texts
(``HTMLBodyElement object could not be cloned.``) only exist on the JS side; nesting deeper than
Python's recursion limit fails (chrome: ``Could not serialize message.``; firefox:
``InternalError: too much recursion``), where Firefox itself would go on.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import json
import math
import re
import struct
import types
from json.encoder import c_make_encoder as _c_make_encoder  # type: ignore[attr-defined]
from json.encoder import encode_basestring as _enc_str
from typing import Any, Final

from webext_runtime._core.errors import SerializationError, UsageError

__all__ = [
    "CHROME_MAX_MESSAGE_BYTES",
    "UNDEFINED",
    "JSArrayBuffer",
    "JSBigInt",
    "JSDate",
    "JSErrorValue",
    "JSKey",
    "JSMap",
    "JSRegExp",
    "JSTypedArray",
    "decode",
    "encode",
    "payload_size",
    "to_jsonable",
]


# ---------------------------------------------------------------------------------------------
# Value types
# ---------------------------------------------------------------------------------------------


class _Undefined:
    """The type of ``UNDEFINED``, JS ``undefined`` in Python. A singleton."""

    __slots__ = ()
    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = object.__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Final = _Undefined()
"""JS ``undefined`` (falsy, repr ``undefined``)."""


class JSBigInt(int):
    """A JS BigInt: an ``int`` that always travels as BigInt (chrome refuses it, like JS)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{int(self)}n"


class JSMap(dict[Any, Any]):
    """A JS Map (insertion-ordered; keys may be any hashable value or ``JSKey``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"JSMap({dict.__repr__(self)})"


class JSKey:
    """Wraps an unhashable JS value used as a Map key or Set member; identity semantics."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"JSKey({self.value!r})"


@dataclasses.dataclass(frozen=True, slots=True)
class JSDate:
    """A JS Date that ``datetime`` cannot hold: invalid (``ms`` is NaN) or out of its range."""

    ms: float


@dataclasses.dataclass(frozen=True, slots=True)
class JSRegExp:
    """A JS RegExp: ``source`` and ``flags`` as JS spells them."""

    source: str
    flags: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class JSErrorValue:
    """A JS Error as structured clone keeps it. ``cause`` is ``UNDEFINED`` when there is none."""

    name: str
    message: str
    stack: str | None = None
    cause: Any = UNDEFINED
    errors: Any = None  # a list for AggregateError


@dataclasses.dataclass(frozen=True, slots=True)
class JSArrayBuffer:
    """A JS ArrayBuffer."""

    data: bytes


_TYPED_FORMATS: Final[dict[str, str]] = {
    "Int8Array": "b",
    "Uint8Array": "B",
    "Uint8ClampedArray": "B",
    "Int16Array": "h",
    "Uint16Array": "H",
    "Int32Array": "i",
    "Uint32Array": "I",
    "Float16Array": "e",
    "Float32Array": "f",
    "Float64Array": "d",
    "BigInt64Array": "q",
    "BigUint64Array": "Q",
    "DataView": "B",
}


@dataclasses.dataclass(frozen=True, slots=True)
class JSTypedArray:
    """A JS typed array or DataView: ``kind`` (e.g. ``"Int16Array"``), little-endian bytes."""

    kind: str
    data: bytes

    def __post_init__(self) -> None:
        if self.kind not in _TYPED_FORMATS:
            raise ValueError(f"unknown typed array kind {self.kind!r}")
        if len(self.data) % struct.calcsize(_TYPED_FORMATS[self.kind]):
            raise ValueError(f"{self.kind} data length must be a multiple of the element size")

    def values(self) -> list[int | float]:
        """The elements as JS would read them."""
        fmt = _TYPED_FORMATS[self.kind]
        return [x[0] for x in struct.iter_unpack("<" + fmt, self.data)]


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------

CHROME_MAX_MESSAGE_BYTES: Final = 64 * 1024 * 1024  # extensions/common/mojom/message_port.mojom

_COULD_NOT: Final = "Could not serialize message."
_TOO_BIG: Final = "Message exceeded maximum allowed size of 64MiB."
_FN_CLONE: Final = "Function object could not be cloned."
_MAX_SAFE: Final = 2**53
_ERROR_NAMES: Final = frozenset(
    {
        "Error",
        "EvalError",
        "RangeError",
        "ReferenceError",
        "SyntaxError",
        "TypeError",
        "URIError",
        "AggregateError",
    }
)
_EPOCH: Final = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_RE_FLAGS: Final = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))

_DUMPS_SLOW: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False
).encode
_C_ENCODER: Final[Any] = (
    None
    if _c_make_encoder is None
    else _c_make_encoder(None, None, _enc_str, None, ":", ",", False, False, False)
)


def _DUMPS(tree: Any) -> str:
    """Compact JSON text of a normalized tree (one C-encoder call when available)."""
    if _C_ENCODER is None or type(tree) is str:
        return _DUMPS_SLOW(tree)
    return "".join(_C_ENCODER(tree, 0))


def _js_int(text: str) -> int | float:
    """A JSON integer as the JS number it is: exact ``int`` up to 2**53, else ``float``."""
    n = int(text)
    return n if -_MAX_SAFE <= n <= _MAX_SAFE else float(n)


_JS_DECODER: Final = json.JSONDecoder(parse_int=_js_int)
_JS_SCAN: Final = _JS_DECODER.scan_once  # type: ignore[attr-defined]


def _LOADS(text: str, start: int = 0) -> Any:
    try:
        value, end = _JS_SCAN(text, start)
    except StopIteration:
        value, end = _JS_DECODER.raw_decode(text, start)
    if end != len(text):
        return _JS_DECODER.decode(text[start:])
    return value


_SURROGATE_FIX: Final = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


def _fix_surrogate(m: re.Match[str]) -> str:
    s = m.group()
    if len(s) == 2:
        return chr(0x10000 + ((ord(s[0]) - 0xD800) << 10) + (ord(s[1]) - 0xDC00))
    return f"\\u{ord(s):04x}"


def _finish_text(text: str) -> tuple[str, int]:
    """Escape lone surrogates like JSON.stringify (ES2019); also return the UTF-8 size."""
    if text.isascii():
        return text, len(text)
    try:
        return text, len(text.encode("utf-8"))
    except UnicodeEncodeError:
        text = _SURROGATE_FIX.sub(_fix_surrogate, text)
        return text, len(text.encode("utf-8"))


class _Raw:
    """A number whose JS text Python's json module would spell differently."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _js_number_text(f: float) -> str:
    """``Number.prototype.toString()`` of a float (ECMA-262 Number::toString, radix 10)."""
    if f != f:
        return "NaN"
    if f in (math.inf, -math.inf):
        return "Infinity" if f > 0 else "-Infinity"
    if f == 0:
        return "0"
    r = repr(f)
    sign = ""
    if r[0] == "-":
        sign, r = "-", r[1:]
    mant, _, exp_s = r.partition("e")
    exp = int(exp_s) if exp_s else 0
    ip, _, fp = mant.partition(".")
    digits = ip + fp
    stripped = digits.lstrip("0")
    n = len(ip) - (len(digits) - len(stripped)) + exp
    s = stripped.rstrip("0") or "0"
    k = len(s)
    if k <= n <= 21:
        out = s + "0" * (n - k)
    elif 0 < n <= 21:
        out = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + s
    else:
        e = n - 1
        es = f"e+{e}" if e > 0 else f"e-{-e}"
        out = (s + es) if k == 1 else (s[0] + "." + s[1:] + es)
    return sign + out


def _number(f: float) -> Any:
    """A finite float as a JSON-ready Python number whose text is what JS writes."""
    if f.is_integer() and -1e16 < f < 1e16:
        return int(f)
    r = float.__repr__(f)
    if "e" in r:
        return _Raw(_js_number_text(f))
    return f


def _js_string_key(k: Any) -> str | None:
    """``String(k)`` for the dict keys we accept; ``None`` for keys we refuse."""
    if isinstance(k, str):
        return str.__str__(k)
    if k is None:
        return "null"
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is UNDEFINED:
        return "undefined"
    if isinstance(k, int):
        n = int(k)
        if isinstance(k, JSBigInt) or -_MAX_SAFE <= n <= _MAX_SAFE:
            return str(n)
        try:
            return _js_number_text(float(n))
        except OverflowError:
            return "Infinity" if n > 0 else "-Infinity"
    if isinstance(k, float):
        return _js_number_text(float(k))
    return None


def _datetime_ms(v: _dt.datetime) -> int:
    if v.tzinfo is None:
        v = v.replace(tzinfo=_dt.UTC)
    d = v - _EPOCH
    return d.days * 86_400_000 + d.seconds * 1000 + d.microseconds // 1000


def _iso_from_ms(ms: float) -> str | None:
    """``Date.prototype.toISOString`` (``None`` where JS ``toJSON`` gives ``null``)."""
    if ms != ms or abs(ms) > 8.64e15:
        return None
    ms = int(ms)
    days, rem = divmod(ms, 86_400_000)
    # Civil-from-days (proleptic Gregorian), valid far beyond datetime's range.
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    hh, rem = divmod(rem, 3_600_000)
    mi, rem = divmod(rem, 60_000)
    ss, mss = divmod(rem, 1000)
    year = f"{y:04d}" if 0 <= y <= 9999 else (f"+{y:06d}" if y > 0 else f"-{-y:06d}")
    return f"{year}-{m:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss:02d}.{mss:03d}Z"


def _regexp_of(v: re.Pattern[Any] | JSRegExp) -> JSRegExp | None:
    if isinstance(v, JSRegExp):
        return v
    if not isinstance(v.pattern, str):
        return None
    flags = "".join(letter for bit, letter in _RE_FLAGS if v.flags & bit)
    return JSRegExp(v.pattern, "".join(sorted(flags, key="dgimsuvy".index)))


def _error_of(v: BaseException | JSErrorValue) -> JSErrorValue:
    if isinstance(v, JSErrorValue):
        return v
    name = type(v).__name__
    cause: Any = v.__cause__ if v.__cause__ is not None else UNDEFINED
    return JSErrorValue(name if name in _ERROR_NAMES else "Error", str(v), None, cause)


def _typed_of(v: Any) -> tuple[str, bytes] | None:
    """(kind, bytes) for byte-ish values and JSTypedArray, else None."""
    if isinstance(v, bytes | bytearray):
        return "Uint8Array", bytes(v)
    if isinstance(v, memoryview):
        return "Uint8Array", v.tobytes()
    if isinstance(v, JSTypedArray):
        return v.kind, v.data
    return None


_VALUE_TYPES: Final = (JSDate, JSRegExp, JSErrorValue, JSArrayBuffer, JSTypedArray)


def _fields_of(v: Any) -> dict[str, Any] | None:
    """Own fields of a dataclass instance / SimpleNamespace (JS: class instance → plain object)."""
    if dataclasses.is_dataclass(v) and not isinstance(v, (type, *_VALUE_TYPES)):
        return {f.name: getattr(v, f.name) for f in dataclasses.fields(v)}
    if isinstance(v, types.SimpleNamespace):
        return dict(vars(v))
    return None


def _write(v: Any, out: list[str]) -> None:
    """Write a normalized tree that holds ``_Raw`` numbers (slow path; rare)."""
    t = type(v)
    if t is str:
        out.append(_enc_str(v))
    elif v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif t is int:
        out.append(int.__repr__(v))
    elif t is float:
        out.append(float.__repr__(v))
    elif t is _Raw:
        out.append(v.text)
    elif isinstance(v, dict):
        out.append("{")
        first = True
        for k, x in v.items():
            if not first:
                out.append(",")
            first = False
            out.append(_enc_str(k))
            out.append(":")
            _write(x, out)
        out.append("}")
    else:  # list / tuple
        out.append("[")
        for i, x in enumerate(v):
            if i:
                out.append(",")
            _write(x, out)
        out.append("]")


def _dump(tree: Any, raw: bool) -> str:
    if not raw:
        return _DUMPS(tree)
    parts: list[str] = []
    _write(tree, parts)
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# chrome: JSON.stringify semantics
# ---------------------------------------------------------------------------------------------

_SKIP: Final = object()  # undefined-like: dropped in objects, null in arrays
_FUNC: Final = object()  # a function: like _SKIP, but an error at top level


class _ChromeNorm:
    """Turns a Python value into a JSON-ready tree, the way JSON.stringify sees its JS value."""

    __slots__ = ("anc", "raw")

    def __init__(self) -> None:
        self.anc: set[int] = set()
        self.raw = False

    def norm(self, v: Any) -> Any:
        t = type(v)
        if t is str or t is bool or v is None:
            return v
        if t is int:
            if -_MAX_SAFE <= v <= _MAX_SAFE:
                return v
            return self.num_from_int(v)
        if t is float:
            if v - v != 0.0:  # NaN / ±inf
                return None
            n = _number(v)
            if type(n) is _Raw:
                self.raw = True
            return n
        if t is dict:
            return self.obj(v, v)
        if t is list or t is tuple:
            return self.arr(v)
        return self.other(v)

    def num_from_int(self, v: int) -> Any:
        try:
            f = float(v)
        except OverflowError:
            return None
        n = _number(f)
        if type(n) is _Raw:
            self.raw = True
        return n

    def obj(self, key_obj: Any, v: dict[Any, Any]) -> Any:
        i = id(key_obj)
        anc = self.anc
        if i in anc:
            raise SerializationError(_COULD_NOT, js_name="Error")
        anc.add(i)
        out: dict[str, Any] | None = None
        idx = 0
        norm = self.norm
        for k, x in v.items():
            tx = type(x)
            if tx is str or tx is bool or x is None or (tx is int and -_MAX_SAFE <= x <= _MAX_SAFE):
                nx = x
            else:
                nx = norm(x)
            if out is None:
                if nx is x and type(k) is str:
                    idx += 1
                    continue
                out = {}
                for k2, x2 in v.items():
                    if not idx:
                        break
                    out[k2] = x2
                    idx -= 1
            if nx is _SKIP or nx is _FUNC:
                continue
            sk = k if type(k) is str else _js_string_key(k)
            if sk is None:
                raise SerializationError(_COULD_NOT, js_name="Error")
            out[sk] = nx
        anc.discard(i)
        return v if out is None else out

    def arr(self, v: list[Any] | tuple[Any, ...]) -> Any:
        i = id(v)
        anc = self.anc
        if i in anc:
            raise SerializationError(_COULD_NOT, js_name="Error")
        anc.add(i)
        out: list[Any] | None = None
        norm = self.norm
        for idx, x in enumerate(v):
            tx = type(x)
            if tx is str or tx is bool or x is None or (tx is int and -_MAX_SAFE <= x <= _MAX_SAFE):
                nx = x
            else:
                nx = norm(x)
            if out is None:
                if nx is x:
                    continue
                out = list(v[:idx])
            out.append(None if (nx is _SKIP or nx is _FUNC) else nx)
        anc.discard(i)
        return v if out is None else out

    def other(self, v: Any) -> Any:
        if v is UNDEFINED:
            return _SKIP
        if isinstance(v, JSBigInt):
            raise SerializationError(_COULD_NOT, js_name="Error")
        if isinstance(v, bool):
            return bool(v)
        if isinstance(v, int):
            return self.norm(int(v))
        if isinstance(v, float):
            return self.norm(float(v))
        if isinstance(v, str):
            return str.__str__(v)
        if isinstance(v, JSMap | set | frozenset):
            return {}
        if isinstance(v, dict):
            return self.obj(v, v)
        if isinstance(v, list | tuple):
            return self.arr(v)
        if isinstance(v, _dt.datetime):
            return _iso_from_ms(_datetime_ms(v))
        if isinstance(v, JSDate):
            return _iso_from_ms(v.ms)
        if isinstance(v, re.Pattern | JSRegExp | BaseException | JSErrorValue | JSArrayBuffer):
            return {}
        if isinstance(v, JSKey):
            return self.norm(v.value)
        typed = _typed_of(v)
        if typed is not None:
            kind, data = typed
            if kind.startswith("Big"):
                raise SerializationError(_COULD_NOT, js_name="Error")
            if kind == "DataView":
                return {}
            vals = JSTypedArray(kind, data).values()
            return self.obj(v, {str(i): x for i, x in enumerate(vals)})
        fields = _fields_of(v)
        if fields is not None:
            return self.obj(v, fields)
        if callable(v):
            return _FUNC
        raise SerializationError(_COULD_NOT, js_name="Error")


def _encode_chrome(value: Any) -> str:
    if type(value) is str and len(value) + 2 > CHROME_MAX_MESSAGE_BYTES:
        raise SerializationError(_TOO_BIG, js_name="Error")  # every character is ≥ 1 byte
    norm = _ChromeNorm()
    try:
        tree = norm.norm(value)
        if tree is _SKIP:
            return "null"
        if tree is _FUNC:
            raise SerializationError(_COULD_NOT, js_name="Error")
        text = _dump(tree, norm.raw)
    except RecursionError:
        raise SerializationError(_COULD_NOT, js_name="Error") from None
    text, size = _finish_text(text)
    if size > CHROME_MAX_MESSAGE_BYTES:
        raise SerializationError(_TOO_BIG, js_name="Error")
    return text


# ---------------------------------------------------------------------------------------------
# firefox: structured clone records
# ---------------------------------------------------------------------------------------------


_TAG: Final = object()  # pass 1 gave up: the value needs the tagged form


def _clone_error(v: Any) -> SerializationError:
    if callable(v):
        return SerializationError(_FN_CLONE, js_name="DataCloneError")
    return SerializationError(
        f"{type(v).__name__} object could not be cloned.", js_name="DataCloneError"
    )


class _FirefoxPlain:
    """Pass 1: a JSON-ready tree if the value needs no tags; returns ``_TAG`` otherwise."""

    __slots__ = ("raw", "seen")

    def __init__(self) -> None:
        self.seen: dict[int, Any] = {}
        self.raw = False

    def norm(self, v: Any) -> Any:
        t = type(v)
        if t is str or t is bool or v is None:
            return v
        if t is int:
            if -_MAX_SAFE <= v <= _MAX_SAFE:
                return v
            return _TAG
        if t is float:
            if v - v != 0.0 or (v == 0.0 and math.copysign(1.0, v) < 0):
                return _TAG
            n = _number(v)
            if type(n) is _Raw:
                self.raw = True
            return n
        if t is dict:
            return self.obj(v, v)
        if t is list or t is tuple:
            return self.arr(v)
        return self.other(v)

    def mark(self, v: Any) -> bool:
        """Remember a container; False if it was seen before (shared or cyclic)."""
        i = id(v)
        if i in self.seen:
            return False
        self.seen[i] = v
        return True

    def obj(self, key_obj: Any, v: dict[Any, Any]) -> Any:
        if not self.mark(key_obj):
            return _TAG
        out: dict[str, Any] | None = None
        idx = 0
        norm = self.norm
        for k, x in v.items():
            tx = type(x)
            if tx is str or tx is bool or x is None or (tx is int and -_MAX_SAFE <= x <= _MAX_SAFE):
                nx = x
            else:
                nx = norm(x)
                if nx is _TAG:
                    return _TAG
            if out is None:
                if nx is x and type(k) is str:
                    idx += 1
                    continue
                out = {}
                for k2, x2 in v.items():
                    if not idx:
                        break
                    out[k2] = x2
                    idx -= 1
            sk = k if type(k) is str else _js_string_key(k)
            if sk is None:
                raise _clone_error(k)
            out[sk] = nx
        return v if out is None else out

    def arr(self, v: list[Any] | tuple[Any, ...]) -> Any:
        if not self.mark(v):
            return _TAG
        out: list[Any] | None = None
        norm = self.norm
        for idx, x in enumerate(v):
            tx = type(x)
            if tx is str or tx is bool or x is None or (tx is int and -_MAX_SAFE <= x <= _MAX_SAFE):
                nx = x
            else:
                nx = norm(x)
                if nx is _TAG:
                    return _TAG
            if out is None:
                if nx is x:
                    continue
                out = list(v[:idx])
            out.append(nx)
        return v if out is None else out

    def other(self, v: Any) -> Any:
        if isinstance(v, JSBigInt) or v is UNDEFINED:
            return _TAG
        if isinstance(v, bool):
            return bool(v)
        if isinstance(v, int):
            return self.norm(int(v))
        if isinstance(v, float):
            return self.norm(float(v))
        if isinstance(v, str):
            return str.__str__(v)
        if isinstance(v, JSKey):
            return self.norm(v.value)
        if isinstance(v, JSMap):
            return _TAG
        if isinstance(v, dict):
            return self.obj(v, v)
        if isinstance(v, list | tuple):
            return self.arr(v)
        fields = _fields_of(v)
        if fields is not None:
            self.seen[id(fields)] = fields  # keep the temporary alive (ids stay unique)
            return self.obj(v, fields)
        if callable(v):
            raise _clone_error(v)
        return _TAG


class _FirefoxTagged:
    """Pass 2: the tagged tree (see the module docstring)."""

    __slots__ = ("count", "memo", "raw")

    def __init__(self) -> None:
        self.memo: dict[int, tuple[int, Any]] = {}
        self.count = 0
        self.raw = False

    def ref(self, v: Any) -> list[Any] | None:
        """A back-reference node if ``v`` was seen, else register it and return None."""
        hit = self.memo.get(id(v))
        if hit is not None:
            return ["r", hit[0]]
        self.memo[id(v)] = (self.count, v)
        self.count += 1
        return None

    def num(self, f: float) -> Any:
        if f != f:
            return ["n", "NaN"]
        if f in (math.inf, -math.inf):
            return ["n", "Infinity" if f > 0 else "-Infinity"]
        if f == 0.0 and math.copysign(1.0, f) < 0:
            return ["n", "-0"]
        n = _number(f)
        if type(n) is _Raw:
            self.raw = True
        return n

    def node(self, v: Any) -> Any:
        t = type(v)
        if t is str or t is bool or v is None:
            return v
        if t is int:
            if -_MAX_SAFE <= v <= _MAX_SAFE:
                return v
            return ["b", str(v)]
        if t is float:
            return self.num(v)
        if t is dict:
            return self.obj(v, v)
        if t is list or t is tuple:
            return self.arr(v)
        return self.other(v)

    def obj(self, key_obj: Any, v: dict[Any, Any]) -> list[Any]:
        r = self.ref(key_obj)
        if r is not None:
            return r
        out: list[Any] = ["O"]
        pos: dict[str, int] = {}
        for k, x in v.items():
            sk = k if type(k) is str else _js_string_key(k)
            if sk is None:
                raise _clone_error(k)
            nx = self.node(x)
            at = pos.get(sk)
            if at is None:
                pos[sk] = len(out)
                out.append(sk)
                out.append(nx)
            else:  # e.g. {1: .., "1": ..}: JS keeps the first position, the last value
                out[at + 1] = nx
        return out

    def arr(self, v: list[Any] | tuple[Any, ...]) -> list[Any]:
        r = self.ref(v)
        if r is not None:
            return r
        out: list[Any] = ["A"]
        node = self.node
        for x in v:
            out.append(node(x))
        return out

    def other(self, v: Any) -> Any:
        if v is UNDEFINED:
            return ["u"]
        if isinstance(v, JSBigInt):
            return ["b", str(int(v))]
        if isinstance(v, bool):
            return bool(v)
        if isinstance(v, int):
            return self.node(int(v))
        if isinstance(v, float):
            return self.num(float(v))
        if isinstance(v, str):
            return str.__str__(v)
        if isinstance(v, JSKey):
            return self.node(v.value)
        if isinstance(v, JSMap):
            r = self.ref(v)
            if r is not None:
                return r
            out: list[Any] = ["M"]
            for k, x in v.items():
                out.append(self.node(k))
                out.append(self.node(x))
            return out
        if isinstance(v, dict):
            return self.obj(v, v)
        if isinstance(v, list | tuple):
            return self.arr(v)
        if isinstance(v, set | frozenset):
            r = self.ref(v)
            if r is not None:
                return r
            out = ["S"]
            for x in v:
                out.append(self.node(x))
            return out
        if isinstance(v, _dt.datetime | JSDate):
            r = self.ref(v)
            if r is not None:
                return r
            if isinstance(v, JSDate):
                ms = v.ms
                return ["D", None if ms != ms or abs(ms) > 8.64e15 else int(ms)]
            return ["D", _datetime_ms(v)]
        if isinstance(v, re.Pattern | JSRegExp):
            rx = _regexp_of(v)
            if rx is None:
                raise _clone_error(v)
            r = self.ref(v)
            if r is not None:
                return r
            return ["R", rx.source, rx.flags]
        if isinstance(v, BaseException | JSErrorValue):
            r = self.ref(v)
            if r is not None:
                return r
            e = _error_of(v)
            out = ["E", e.name if e.name in _ERROR_NAMES else "Error", e.message, e.stack]
            has_cause = e.cause is not UNDEFINED
            if has_cause or e.name == "AggregateError":
                out.append(1 if has_cause else 0)
                out.append(self.node(e.cause) if has_cause else None)
                if e.name == "AggregateError":
                    out.append(self.node(list(e.errors or [])))
            return out
        if isinstance(v, JSArrayBuffer):
            r = self.ref(v)
            if r is not None:
                return r
            return ["B", base64.b64encode(v.data).decode("ascii")]
        typed = _typed_of(v)
        if typed is not None:
            r = self.ref(v)
            if r is not None:
                return r
            kind, data = typed
            self.count += 1  # the (unshared) ArrayBuffer below the view
            size = struct.calcsize(_TYPED_FORMATS[kind])
            buf = ["B", base64.b64encode(data).decode("ascii")]
            return ["T", kind, buf, 0, len(data) // size]
        fields = _fields_of(v)
        if fields is not None:
            r = self.ref(v)
            if r is not None:
                return r
            self.memo[id(fields)] = (-1, fields)  # keep the temporary alive (ids stay unique)
            out = ["O"]
            for k, x in fields.items():
                out.append(k)
                out.append(self.node(x))
            return out
        raise _clone_error(v)


def _encode_firefox(value: Any) -> str:
    plain = _FirefoxPlain()
    try:
        tree = plain.norm(value)
        if tree is not _TAG:
            return _finish_text(_dump(tree, plain.raw))[0]
        tagged = _FirefoxTagged()
        tree = tagged.node(value)
        return "~" + _finish_text(_dump(tree, tagged.raw))[0]
    except RecursionError:
        raise SerializationError("too much recursion", js_name="InternalError") from None


def _hashable(v: Any) -> Any:
    try:
        hash(v)
    except TypeError:
        return JSKey(v)
    return v


class _FirefoxDecoder:
    __slots__ = ("refs",)

    def __init__(self) -> None:
        self.refs: list[Any] = []

    def reserve(self) -> int:
        self.refs.append(None)
        return len(self.refs) - 1

    def node(self, n: Any) -> Any:
        if type(n) is not list:
            return n
        tag = n[0]
        refs = self.refs
        if tag == "O":
            d: dict[str, Any] = {}
            refs.append(d)
            for i in range(1, len(n), 2):
                d[n[i]] = self.node(n[i + 1])
            return d
        if tag == "A":
            lst: list[Any] = []
            refs.append(lst)
            for x in n[1:]:
                lst.append(self.node(x))
            return lst
        if tag == "u":
            return UNDEFINED
        if tag == "r":
            return refs[n[1]]
        if tag == "n":
            return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(n[1], -0.0)
        if tag == "b":
            return JSBigInt(int(n[1]))
        if tag == "a":
            sparse: list[Any] = [UNDEFINED] * n[1]
            refs.append(sparse)
            for i in range(2, len(n), 2):
                k, x = n[i], self.node(n[i + 1])
                if k.isdigit() and str(int(k)) == k and int(k) < len(sparse):
                    sparse[int(k)] = x
            return sparse
        if tag == "M":
            m = JSMap()
            refs.append(m)
            for i in range(1, len(n), 2):
                k = self.node(n[i])
                m[_hashable(k)] = self.node(n[i + 1])
            return m
        if tag == "S":
            s: set[Any] = set()
            refs.append(s)
            for x in n[1:]:
                s.add(_hashable(self.node(x)))
            return s
        if tag == "D":
            value = _date_from_ms(n[1])
            refs.append(value)
            return value
        if tag == "R":
            rx = JSRegExp(n[1], n[2])
            refs.append(rx)
            return rx
        if tag == "E":
            at = self.reserve()
            has_cause = len(n) > 4 and n[4]
            cause = self.node(n[5]) if has_cause else UNDEFINED
            errors = self.node(n[6]) if len(n) > 6 else None
            err = JSErrorValue(n[1], "" if n[2] is None else n[2], n[3], cause, errors)
            refs[at] = err
            return err
        if tag == "B":
            buf = JSArrayBuffer(base64.b64decode(n[1]))
            refs.append(buf)
            return buf
        if tag == "T":
            at = self.reserve()
            kind, offset, length = n[1], n[3], n[4]
            buffer = self.node(n[2])
            size = 1 if kind == "DataView" else struct.calcsize(_TYPED_FORMATS[kind])
            data = buffer.data[offset : offset + length * size]
            view: Any = data if kind == "Uint8Array" else JSTypedArray(kind, data)
            refs[at] = view
            return view
        if tag == "P":
            kind, raw = n[1], n[2]
            prim: Any
            if kind == "BigInt":
                prim = JSBigInt(int(raw))
            elif kind == "Number":
                prim = self.node(raw)
            else:
                prim = raw
            refs.append(prim)
            return prim
        raise ValueError(f"bad clone record tag {tag!r}")


def _date_from_ms(ms: Any) -> Any:
    if ms is None or ms != ms:
        return JSDate(math.nan)
    try:
        return _EPOCH + _dt.timedelta(milliseconds=ms)
    except OverflowError:
        return JSDate(float(ms))


def _decode_firefox(payload: str) -> Any:
    if payload[:1] != "~":
        return _LOADS(payload)
    return _FirefoxDecoder().node(_LOADS(payload, 1))


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def encode(value: Any, profile: str) -> str:
    """Serialize a Python value into the message payload of ``profile`` ("chrome"/"firefox").

    Raises ``SerializationError`` with the browser's exact text and JS error name.
    """
    if profile == "chrome":
        return _encode_chrome(value)
    if profile == "firefox":
        return _encode_firefox(value)
    raise UsageError(f"unknown browser profile {profile!r}")


def decode(payload: str, profile: str) -> Any:
    """Turn a payload of ``profile`` back into Python values (see the module docstring)."""
    if profile == "chrome":
        return _LOADS(payload)
    if profile == "firefox":
        return _decode_firefox(payload)
    raise UsageError(f"unknown browser profile {profile!r}")


def payload_size(payload: str) -> int:
    """The payload's size in UTF-8 bytes (what Chrome compares against 64 MiB)."""
    if payload.isascii():
        return len(payload)
    return len(payload.encode("utf-8", "surrogatepass"))


def to_jsonable(value: Any) -> Any:
    """A decoded value as something ``json.dumps`` accepts, for traces.

    Plain JSON values stay as they are; the rest uses the ``{"$": ...}`` notation of the
    observation records: ``{"$": "undefined"}``, ``{"$": "number", "v": "NaN"}`` (also
    ``"Infinity"``, ``"-Infinity"``, ``"-0"``), ``{"$": "bigint", "v": "1"}``,
    ``{"$": "Date", "v": iso}``, ``{"$": "Map", "v": [[k, v], ...]}``, ``{"$": "Set", "v": [...]}``,
    ``{"$": "RegExp", "v": "/re/g"}``, ``{"$": "Error", "name": ..., "message": ...}`` (+ "cause"),
    ``{"$": "Uint8Array", "v": [1, 2]}`` (any typed-array kind), ``{"$": "ArrayBuffer", "v":
    [bytes]}``, and ``{"$": "CYCLE"}`` where a container contains itself.
    """
    return _jsonable(value, set())


def _jsonable(v: Any, anc: set[int]) -> Any:
    t = type(v)
    if t is str or t is bool or v is None:
        return v
    if t is int:
        return v
    if isinstance(v, JSBigInt):
        return {"$": "bigint", "v": str(int(v))}
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        if v == 0.0 and math.copysign(1.0, v) < 0:
            return {"$": "number", "v": "-0"}
        if v - v != 0.0:  # NaN / ±inf
            return {"$": "number", "v": _js_number_text(v)}
        return float(v)
    if isinstance(v, str):
        return str.__str__(v)
    if v is UNDEFINED:
        return {"$": "undefined"}
    if isinstance(v, JSKey):
        return _jsonable(v.value, anc)
    if isinstance(v, _dt.datetime):
        return {"$": "Date", "v": _iso_from_ms(_datetime_ms(v))}
    if isinstance(v, JSDate):
        return {"$": "Date", "v": _iso_from_ms(v.ms)}
    if isinstance(v, JSRegExp | re.Pattern):
        rx = _regexp_of(v)
        return {"$": "RegExp", "v": f"/{rx.source}/{rx.flags}" if rx else repr(v)}
    if isinstance(v, JSArrayBuffer):
        return {"$": "ArrayBuffer", "v": list(v.data)}
    typed = _typed_of(v)
    if typed is not None:
        kind, data = typed
        vals = JSTypedArray(kind, data).values()
        return {"$": kind, "v": [_jsonable(x, anc) if isinstance(x, float) else x for x in vals]}
    i = id(v)
    if i in anc:
        return {"$": "CYCLE"}
    anc.add(i)
    try:
        if isinstance(v, BaseException | JSErrorValue):
            e = _error_of(v)
            out: dict[str, Any] = {"$": "Error", "name": e.name, "message": e.message}
            if e.cause is not UNDEFINED:
                out["cause"] = _jsonable(e.cause, anc)
            return out
        if isinstance(v, JSMap):
            return {"$": "Map", "v": [[_jsonable(k, anc), _jsonable(x, anc)] for k, x in v.items()]}
        if isinstance(v, dict):
            return {_js_string_key(k) or repr(k): _jsonable(x, anc) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [_jsonable(x, anc) for x in v]
        if isinstance(v, set | frozenset):
            return {"$": "Set", "v": [_jsonable(x, anc) for x in v]}
        fields = _fields_of(v)
        if fields is not None:
            return {k: _jsonable(x, anc) for k, x in fields.items()}
        return {"$": "python", "v": repr(v)}
    finally:
        anc.discard(i)
