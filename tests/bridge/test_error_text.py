"""The browsers' wording for the engine's own TypeErrors (``_bridge/error_text.py``).

The texts themselves come from the ``js_error_messages`` conformance scenario (recorded in
Chromium 156 and Firefox 153); these tests pin the shapes around it: where the expression is
found, what is left alone, and that every way a script enters a realm gets the rewrite.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webext_runtime._bridge import error_text
from webext_runtime._bridge.engine import JSError
from webext_runtime._bridge.quickjs_engine import QuickJSEngine

PRELUDE = "const obj = { a: { b: undefined, f() { return {}; } }, s: 'x' }; let u; const k = 'q';\n"


def message_of(code: str, style: str = "v8", *, cached: bool = False) -> str:
    realm = QuickJSEngine().new_realm("t", error_style=style)
    try:
        run = realm.eval_script_cached if cached else realm.eval_script
        return str(
            run(PRELUDE + f"let r; try {{ {code} }} catch (e) {{ r = e.message }} r", "s.js")
        )
    finally:
        realm.close()


@pytest.mark.parametrize(
    ("code", "v8", "spidermonkey"),
    [
        ("obj.a.missing()", "obj.a.missing is not a function", None),
        # a comment and a line break inside the callee
        ("obj.a /* c */\n  .missing()", "obj.a.missing is not a function", None),
        ("obj['a'].missing(1)", "obj.a.missing is not a function", None),
        ("obj.a['not a name']()", "obj.a['not a name'] is not a function", None),
        ("obj.a[k + ']'](')')", "obj.a[k + ']'] is not a function", None),
        ("obj.a.missing(k)", "obj.a.missing is not a function", None),
        ("obj.a.missing(k).then()", "obj.a.missing is not a function", None),
        ("obj.a.f(k).g(u)", "obj.a.f(...).g is not a function", "obj.a.f(...).g is not a function"),
        ("obj.a.f()(k)", "obj.a.f(...) is not a function", "obj.a.f() is not a function"),
        ("obj.a.f().g()", "obj.a.f(...).g is not a function", "obj.a.f().g is not a function"),
        ("obj.a?.b?.()", None, None),  # short-circuits: no error, the result is undefined
        ("(0, obj.a.b)(k)", "(0 , obj.a.b) is not a function", "obj.a.b is not a function"),
        ("new obj.a.f.x()", "obj.a.f.x is not a constructor", None),
        ("new u(k)", "u is not a constructor", None),
        ("new obj.s(k)", "obj.s is not a constructor", "obj.s is not a constructor"),
        (
            "u.v.w",
            "Cannot read properties of undefined (reading 'v')",
            'can\'t access property "v", u is undefined',
        ),
        (
            "undefined[k]",
            "Cannot read properties of undefined (reading 'q')",
            'can\'t access property "q" of undefined',
        ),
    ],
)
def test_expression_shapes(code: str, v8: str | None, spidermonkey: str | None) -> None:
    got = message_of(code)
    assert got == (v8 if v8 is not None else "None"), code
    if spidermonkey is not None:
        assert message_of(code, "spidermonkey") == spidermonkey


def test_content_scripts_and_modules_get_it_too() -> None:
    # eval_script_cached (content scripts) and ES modules: their sources are known too
    assert message_of("obj.a.missing()", cached=True) == "obj.a.missing is not a function"
    realm = QuickJSEngine().new_realm("m", error_style="spidermonkey")
    try:
        realm.set_module_loader(lambda name, base: (name, "export const o = {};\n"))
        realm.eval_module(
            "import { o } from 'dep.js';\nglobalThis.r = (() => { try { o.x.y } catch (e) "
            "{ return e.message } })();",
            "main.js",
        )
        assert realm.eval_script("r", "get.js") == 'can\'t access property "y", o.x is undefined'
    finally:
        realm.close()


def test_uncaught_errors_carry_the_text_to_python() -> None:
    realm = QuickJSEngine().new_realm("t")
    try:
        with pytest.raises(JSError) as info:
            realm.eval_script("const o = {};\no.api.call();", "bg.js")
        assert info.value.message == "Cannot read properties of undefined (reading 'call')"
        assert (info.value.file, info.value.line) == ("bg.js", 2)
        assert "TypeError: Cannot read properties of undefined" in info.value.stack
    finally:
        realm.close()


@pytest.mark.parametrize(
    "code",
    [
        # a script's own errors with the engine's words are its own business
        "throw new TypeError('not a function')",
        "throw TypeError('not a function')",
        "throw new TypeError(\"cannot read property 'x' of undefined\")",
        # a built-in's error (the top frame is native): the engine's text stays
        "[1].map(5)",
        # a read-only property is not a const: both browsers word it differently
        "const f = Object.freeze({ x: 1 }); (function () { 'use strict'; f.x = 2 })()",
    ],
)
def test_left_alone(code: str) -> None:
    realm = QuickJSEngine().new_realm("t")
    try:
        raw = QuickJSEngine().new_realm("raw")
        try:
            before = raw.eval_script(
                f"let r; try {{ {code} }} catch (e) {{ r = e.message }} r", "s.js"
            )
        finally:
            raw.close()
        assert before != "None"
        got = realm.eval_script(f"let r; try {{ {code} }} catch (e) {{ r = e.message }} r", "s.js")
        assert got == before
    finally:
        realm.close()


def test_const_assignment() -> None:
    code = "const c1 = 1; c1 = 2;"
    assert message_of(code) == "Assignment to constant variable."
    assert message_of(code, "spidermonkey") == "invalid assignment to const 'c1'"


def test_bad_style_is_refused() -> None:
    with pytest.raises(ValueError, match="error_style"):
        QuickJSEngine().new_realm("t", error_style="jsc")


def test_without_source_or_position_the_engine_text_stays() -> None:
    assert error_text.browser_message("v8", "not a function", None, 1, 1) is None
    assert error_text.browser_message("v8", "not a function", "x()", 5, 1) is None
    assert error_text.browser_message("spidermonkey", "not a function", "1 + 2", 1, 3) is None
    # V8's property texts need no source
    assert (
        error_text.browser_message("v8", "cannot set property 'a' of null", None, 1, 1)
        == "Cannot set properties of null (setting 'a')"
    )


@settings(max_examples=300, deadline=None)
@given(
    source=st.text(alphabet="ab.()[]'\"`/*?, \n0x", max_size=60),
    line=st.integers(1, 4),
    column=st.integers(1, 70),
    message=st.sampled_from(
        [
            "not a function",
            "not a constructor",
            "cannot read property 'a' of undefined",
            "'a' is read-only",
        ]
    ),
    style=st.sampled_from(error_text.STYLES),
)
def test_any_source_gives_a_text_or_none(
    source: str, line: int, column: int, message: str, style: str
) -> None:
    # garbage in (unbalanced brackets, unterminated strings, positions past the end): a text
    # naming the failure or None, never an exception
    out = error_text.browser_message(style, message, source, line, column)
    assert out is None or out.endswith(
        (
            "is not a function",
            "is not a constructor",
            "is undefined",
            "of undefined",
            "constant variable.",
            "const 'a'",
            "(reading 'a')",
        )
    )


@pytest.mark.parametrize(
    ("code", "style", "expected"),
    [
        # f(g.h()) failing at f or at g.h: QuickJS gives the same position, so no name
        ("const cb = undefined; cb(obj.s.toUpperCase())", "v8", "not a function"),
        # ... unless the outer callee surely exists
        ("String(obj.a.missing())", "v8", "obj.a.missing is not a function"),
        # SpiderMonkey names the object by the property that failed, not by an index before it
        (
            "const arr = [undefined]; arr[0].name",
            "spidermonkey",
            'can\'t access property "name", arr[0] is undefined',
        ),
        ("const o = {}; o[k].x", "spidermonkey", 'can\'t access property "x", o[k] is undefined'),
    ],
)
def test_review_cases(code: str, style: str, expected: str) -> None:
    assert message_of(code, style) == expected


def test_a_rethrown_error_keeps_its_first_text_and_place() -> None:
    realm = QuickJSEngine().new_realm("t")
    try:
        with pytest.raises(JSError) as info:
            realm.eval_script(
                "const o = {};\nfunction f() { o.missing(); }\ntry { f(); } catch (e) { throw e; }",
                "bg.js",
            )
        assert info.value.message == "o.missing is not a function"
        assert (info.value.file, info.value.line) == ("bg.js", 2)
    finally:
        realm.close()
