"""The browsers' texts for the JS engine's own errors.

QuickJS words the errors code makes most often tersely (``not a function``, ``cannot read
property 'c' of undefined``); V8 and SpiderMonkey name the expression that failed, and
extension code and tests show or compare those texts. :func:`browser_message` rebuilds the
browser's text from the error's position (file, line, column of the throwing frame, which
quickjs-ng gives to ``Error.prepareStackTrace``) and the script's source.

The texts, recorded in Chromium 156 (V8) and Firefox 153 (SpiderMonkey), scenario
``tests/conformance/scenarios/js_error_messages``:

=============================  ==============================================================
QuickJS                        V8 / SpiderMonkey
=============================  ==============================================================
``not a function``             ``obj.a.f(...).g is not a function`` /
                               ``obj.a.f().g is not a function`` (``(...)`` when the call has
                               arguments); V8 keeps ``?.`` and prints ``(0 , x)``,
                               SpiderMonkey prints ``.`` and ``x``
``not a constructor``          ``obj.s is not a constructor`` (both)
``cannot read property 'c'     ``Cannot read properties of undefined (reading 'c')`` /
of undefined``                 ``can't access property "c", obj.a.b is undefined``
                               (an index literal unquoted: ``can't access property 0, ...``)
``cannot set property 'c'      ``Cannot set properties of null (setting 'c')`` /
of null``                      ``can't access property "c", obj.a.n is null``
``'c1' is read-only`` (const)  ``Assignment to constant variable.`` /
                               ``invalid assignment to const 'c1'``
=============================  ==============================================================

QuickJS's position is the last source position it recorded before the failing operation:
for a call, the last argument that records one (names and most strings do, numbers do not),
else the last property name of the callee (the call's ``(`` when the callee ends on an earlier
line); the start of the expression for a property read or ``new``. So ``f(k)()`` and
``f()()`` are ambiguous (the position is the same whichever call failed): the call holding
the position, or the first after it, is taken to be the one that failed. The expression is found by
trying each chain start before that position, nearest first, and parsing a member chain
(names, ``.x``, ``?.x``, ``[...]``, calls, ``(0, chain)``) forward from it. When no chain fits,
the engine's own text is kept (``None``): a wrong name is worse than a terse message.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = ["SPIDERMONKEY", "STYLES", "V8", "browser_message", "may_rewrite"]

V8 = "v8"
SPIDERMONKEY = "spidermonkey"
STYLES = (V8, SPIDERMONKEY)

_NOT_FUNCTION = "not a function"
_NOT_CONSTRUCTOR = "not a constructor"
_PROPERTY_RE = re.compile(r"cannot (read|set) property '(.*)' of (undefined|null)", re.DOTALL)
_READ_ONLY_RE = re.compile(r"'(.*)' is read-only", re.DOTALL)

_IDENT_RE = re.compile(r"[A-Za-z_$\u0080-\U0010ffff][\w$\u0080-\U0010ffff]*")
_IDENT_CHAR_RE = re.compile(r"[\w$\u0080-\U0010ffff]")
_SPACE_RE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_SEQ_HEAD_RE = re.compile(r"\(\s*0\s*,")
_STRING_KEY_RE = re.compile(r"""(["'])((?:(?!\1)[^\\\n])*)\1""")
_NUMBER_RE = re.compile(r"\d+")
#: words that start no member chain (an identifier right after them is the chain's base)
_KEYWORDS = (
    "await break case catch class const continue debugger default delete do else export "
    "extends finally for function if import in instanceof let new of return static super "
    "switch throw try typeof var void while with yield"
)
_NOT_A_BASE = frozenset(_KEYWORDS.split())
#: how far back from the error's position a chain may start (characters)
_LOOK_BACK = 2000
#: how many chain starts are tried
_MAX_STARTS = 64
#: the longest bracketed part scanned
_MAX_BRACKET = 20000
_ERROR_NAMES = (
    "Error TypeError RangeError SyntaxError ReferenceError EvalError URIError "
    "AggregateError InternalError"
)
_ERROR_CTORS = frozenset(_ERROR_NAMES.split())


def may_rewrite(message: str) -> bool:
    """Whether ``message`` is one of the engine texts :func:`browser_message` handles."""
    return (
        message in (_NOT_FUNCTION, _NOT_CONSTRUCTOR)
        or _PROPERTY_RE.fullmatch(message) is not None
        or _READ_ONLY_RE.fullmatch(message) is not None
    )


@functools.lru_cache(maxsize=64)  # a loop throwing at one place asks again and again
def browser_message(
    style: str, message: str, source: str | None, line: int, column: int
) -> str | None:
    """The browser's text for engine error ``message`` thrown at ``line``:``column`` (1-based)
    of ``source``, in ``style`` (:data:`V8` or :data:`SPIDERMONKEY`); ``None`` to keep
    ``message``."""
    prop = _PROPERTY_RE.fullmatch(message)
    if prop is not None and style == V8:
        # V8's text names no expression: MessageTemplate kNonObjectPropertyLoadWithProperty /
        # kNonObjectPropertyStoreWithProperty
        verb, key, value = prop.groups()
        if verb == "read":
            return f"Cannot read properties of {value} (reading '{key}')"
        return f"Cannot set properties of {value} (setting '{key}')"
    if source is None:
        return None
    pos = _offset(source, line, column)
    if pos is None:
        return None
    if message == _NOT_FUNCTION:
        return _not_callable(source, pos, style)
    if message == _NOT_CONSTRUCTOR:
        callee = _constructed(source, pos, style)
        return None if callee is None else f"{callee} is not a constructor"
    if prop is not None:
        return _spidermonkey_property(source, pos, prop.group(2), prop.group(3))
    ro = _READ_ONLY_RE.fullmatch(message)
    if ro is not None:
        name = ro.group(1)
        # only an assignment to a `const` binding (a plain name at the position); a read-only
        # property is worded differently in both browsers and keeps the engine's text
        m = _IDENT_RE.match(source, pos)
        if m is None or m.group() != name or _before_is_dot(source, pos):
            return None
        if style == V8:
            return "Assignment to constant variable."
        return f"invalid assignment to const '{name}'"
    return None


# -- source positions ------------------------------------------------------------------------


def _offset(source: str, line: int, column: int) -> int | None:
    """Index in ``source`` of 1-based ``line``:``column`` (QuickJS counts columns in UTF-8
    bytes of the line)."""
    if line < 1 or column < 1:
        return None
    start = 0
    for _ in range(line - 1):
        nl = source.find("\n", start)
        if nl < 0:
            return None
        start = nl + 1
    end = source.find("\n", start)
    text = source[start:] if end < 0 else source[start:end]
    raw = text.encode("utf-8", "surrogatepass")
    if column - 1 > len(raw):
        return None
    chars = len(raw[: column - 1].decode("utf-8", "ignore"))
    return start + chars


def _skip_space(s: str, i: int) -> int:
    m = _SPACE_RE.match(s, i)
    return m.end() if m else i


def _before_is_dot(s: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and s[j].isspace():
        j -= 1
    return j >= 0 and s[j] == "."


def _word_before(s: str, i: int) -> str:
    j = i - 1
    while j >= 0 and s[j].isspace():
        j -= 1
    end = j + 1
    while j >= 0 and _IDENT_CHAR_RE.match(s[j]):
        j -= 1
    return s[j + 1 : end]


_PAIRS = {"(": ")", "[": "]", "{": "}"}
#: the characters _close stops at (everything else is skipped at C speed)
_BRACKET_STOP_RE = re.compile(r"[\"'`/()\[\]{}]")
_STRING_END_RE = {
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"', re.DOTALL),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*'", re.DOTALL),
    "`": re.compile(r"(?:[^`\\]|\\.)*`", re.DOTALL),
}


def _close(s: str, i: int) -> int | None:
    """Index of the bracket closing the one at ``s[i]`` (strings, templates and comments
    skipped), or ``None``."""
    stack = [_PAIRS[s[i]]]
    j = i + 1
    limit = min(len(s), i + _MAX_BRACKET)
    while True:
        m = _BRACKET_STOP_RE.search(s, j, limit)
        if m is None:
            return None
        j = m.start()
        c = s[j]
        if c in "\"'`":
            end = _STRING_END_RE[c].match(s, j + 1, limit)
            if end is None:
                return None
            j = end.end()
            continue
        if c == "/":
            k = _skip_space(s, j) if s.startswith(("//", "/*"), j) else j
            j = k if k > j else j + 1  # (an unterminated comment: step over the slash)
            continue
        if c in _PAIRS:
            stack.append(_PAIRS[c])
        else:
            if c != stack.pop():
                return None
            if not stack:
                return j
        j += 1


# -- member chains -----------------------------------------------------------------------------


class _Part(NamedTuple):
    kind: str  # "name" (the base), "seq" (the base `(0, chain)`), "dot", "index", "call"
    text: str  # the name; the index's source text; "1" for a call with arguments
    at: int  # index in the source where the part starts (its "." / "?." / "[" / "(")
    end: int  # index just past the part
    optional: bool = False
    inner: tuple[_Part, ...] = ()


def _chain(s: str, i: int) -> list[_Part] | None:
    """The member chain starting at ``s[i]``, or ``None`` when none starts there."""
    parts: list[_Part] = []
    m = _IDENT_RE.match(s, i)
    if m is not None:
        if m.group() in _NOT_A_BASE:
            return None
        parts.append(_Part("name", m.group(), i, m.end()))
        j = m.end()
    elif _SEQ_HEAD_RE.match(s, i):
        close = _close(s, i)
        if close is None:
            return None
        head = _SEQ_HEAD_RE.match(s, i)
        assert head is not None
        start = _skip_space(s, head.end())
        inner = _chain(s, start)
        if inner is None or _skip_space(s, inner[-1].end) != close:
            return None
        parts.append(_Part("seq", "", i, close + 1, inner=tuple(inner)))
        j = close + 1
    else:
        return None
    while True:
        k = _skip_space(s, j)
        optional = False
        if s.startswith("?.", k) and not s[k + 2 : k + 3].isdigit():
            optional = True
            at = k
            k = _skip_space(s, k + 2)
            if k >= len(s):
                break
            if s[k] not in "([":
                m = _IDENT_RE.match(s, k)
                if m is None:
                    break
                parts.append(_Part("dot", m.group(), at, m.end(), True))
                j = m.end()
                continue
        if k >= len(s):
            break
        c = s[k]
        if c == "." and not optional:
            n = _skip_space(s, k + 1)
            m = _IDENT_RE.match(s, n)
            if m is None:
                break
            parts.append(_Part("dot", m.group(), k, m.end()))
            j = m.end()
        elif c in "([":
            close = _close(s, k)
            if close is None:
                break
            inner_text = " ".join(s[k + 1 : close].split())
            if c == "[":
                parts.append(_Part("index", inner_text, k, close + 1, optional))
            else:
                parts.append(_Part("call", "1" if inner_text else "", k, close + 1, optional))
            j = close + 1
        else:
            break
    return parts


def _string_key(text: str) -> str | None:
    m = _STRING_KEY_RE.fullmatch(text)
    return m.group(2) if m else None


def _render(parts: list[_Part] | tuple[_Part, ...], style: str) -> str:
    v8 = style == V8
    out = []
    for p in parts:
        opt = "?." if p.optional and v8 else ""
        if p.kind == "name":
            out.append(p.text)
        elif p.kind == "seq":
            inner = _render(p.inner, style)
            out.append(f"(0 , {inner})" if v8 else inner)
        elif p.kind == "dot":
            out.append(("?." if p.optional and v8 else ".") + p.text)
        elif p.kind == "index":
            key = _string_key(p.text)
            if key is not None and _IDENT_RE.fullmatch(key):
                # a string literal naming a property prints as `.name` in both engines
                out.append(("?." if p.optional and v8 else ".") + key)
            else:
                out.append(f"{opt}[{p.text}]")
        else:  # call: V8 always "(...)"; SpiderMonkey "()" without arguments
            out.append(opt + ("(...)" if v8 or p.text else "()"))
    return "".join(out)


def _starts(s: str, pos: int) -> list[int]:
    """Possible chain starts at or before ``pos``, nearest first: an identifier not preceded
    by ``.``, or a ``(0,`` head."""
    out: list[int] = []
    lo = max(0, pos - _LOOK_BACK)
    for i in range(min(pos, len(s) - 1), lo - 1, -1):
        c = s[i]
        if c == "(":
            if _SEQ_HEAD_RE.match(s, i):
                out.append(i)
        elif (
            _IDENT_RE.match(c)
            and (i == 0 or not _IDENT_CHAR_RE.match(s[i - 1]))
            and not _before_is_dot(s, i)
        ):
            out.append(i)
            if len(out) == _MAX_STARTS:
                break
    return out


def _not_callable(s: str, pos: int, style: str) -> str | None:
    """``"<callee> is not a function"``; QuickJS also says "not a function" for ``new`` on a
    value that is no function at all (the browsers: ``is not a constructor``)."""
    for start in _starts(s, pos):
        parts = _chain(s, start)
        if parts is None:
            continue
        calls = [n for n, p in enumerate(parts) if p.kind == "call" and n > 0]
        # the call whose arguments hold the position (QuickJS's last position is that of the
        # last argument it loaded), else the first call after it
        inside = [n for n in calls if parts[n].at < pos < parts[n].end - 1]
        after = [n for n in calls if parts[n].at >= pos]
        if not inside and not after:
            continue
        n = inside[-1] if inside else after[0]
        if n == len(parts) - 1 and _outer_call_may_have_failed(s, start, parts[n].end):
            return None
        constructed = n == calls[0] and _word_before(s, start) == "new"
        text = _render(parts[:n], style)
        if text in _ERROR_CTORS:
            return None  # a script's own `new TypeError("not a function")`
        return f"{text} is not a {'constructor' if constructed else 'function'}"
    return None


#: callees that surely exist: when the failing call is one of their arguments, it failed
_BUILTIN_WORDS = (
    "String Number Boolean Object Array JSON Math Promise console Reflect Symbol BigInt Date "
    "RegExp Map Set WeakMap WeakSet Error TypeError RangeError parseInt parseFloat isNaN "
    "isFinite encodeURIComponent decodeURIComponent encodeURI decodeURI setTimeout "
    "setInterval queueMicrotask structuredClone chrome browser self globalThis window document"
)
_BUILTIN_CALLEES = frozenset(_BUILTIN_WORDS.split())


def _outer_call_may_have_failed(s: str, start: int, end: int) -> bool:
    """Whether the chain ``s[start:end]`` (ending with a call) is a whole argument of an
    enclosing call whose callee might be the missing function instead: QuickJS gives the
    same position when ``f(g.h())`` fails at ``f`` after ``g.h()`` returned."""
    after = _skip_space(s, end)
    if after >= len(s) or s[after] not in "),":
        return False
    j = start - 1
    while j >= 0 and s[j].isspace():
        j -= 1
    if j < 0 or s[j] not in "(,":
        return False
    depth = 0
    while j >= 0:  # back to the enclosing call's "(" (brackets balanced, strings ignored)
        c = s[j]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth == 0:
                break
            depth -= 1
        j -= 1
    if j < 0 or s[j] != "(":
        return False
    k = j - 1
    while k >= 0 and s[k].isspace():
        k -= 1
    if k < 0 or not (_IDENT_CHAR_RE.match(s[k]) or s[k] in ")]"):
        return False  # a grouping parenthesis, not a call
    word = _word_before(s, j)
    if word in _NOT_A_BASE:
        return False  # `if (`, `while (`, `return (` ...
    for outer in _starts(s, k):
        parts = _chain(s, outer)
        if parts and any(p.kind == "call" and p.at == j for p in parts):
            return parts[0].text not in _BUILTIN_CALLEES
    return True


def _constructed(s: str, pos: int, style: str) -> str | None:
    for start in _starts(s, pos):
        if _word_before(s, start) != "new":
            continue
        parts = _chain(s, start)
        if parts is None:
            continue
        n = next((k for k, p in enumerate(parts) if p.kind == "call"), len(parts))
        if n and parts[n - 1].end > pos:
            return _render(parts[:n], style)
    return None


def _spidermonkey_property(s: str, pos: int, key: str, value: str) -> str | None:
    for start in _starts(s, pos):
        parts = _chain(s, start)
        if parts is None:
            continue
        # the property by its name (`.key`, `["key"]`, `[0]`) first; a computed `[expr]` only
        # when none names it (`o[k].x` fails at `.x`, with `o[k]` undefined)
        exact = None
        computed = None
        for n, p in enumerate(parts):
            if n == 0 or p.end <= pos or p.kind not in ("dot", "index"):
                continue
            if p.kind == "dot":
                if p.text == key and exact is None:
                    exact = (n, False)
                continue
            literal = _string_key(p.text)
            if literal is not None:
                if literal == key and exact is None:
                    exact = (n, False)
            elif _NUMBER_RE.fullmatch(p.text):
                if p.text == key and exact is None:
                    exact = (n, True)
            elif computed is None:
                computed = (n, _NUMBER_RE.fullmatch(key) is not None)
        hit = exact or computed
        if hit is None:
            continue
        n, number = hit
        shown = key if number else '"' + key.replace('"', '\\"') + '"'
        expr = _render(parts[:n], SPIDERMONKEY)
        if expr in ("undefined", "null"):
            return f"can't access property {shown} of {value}"
        return f"can't access property {shown}, {expr} is {value}"
    return None
