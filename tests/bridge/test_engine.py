"""Conformance tests for the JS engine layer (``webext_runtime._bridge``)."""

from __future__ import annotations

import gc
import posixpath
import time
from collections.abc import Iterator
from typing import Any

import pytest

from webext_runtime._bridge.engine import (
    Engine,
    JSError,
    Realm,
    RealmClosed,
    ScriptOutOfMemory,
    ScriptTimeout,
    default_engine,
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine()


@pytest.fixture
def realm(engine: Engine) -> Iterator[Realm]:
    r = engine.new_realm("test")
    yield r
    r.close()


def _loader(files: dict[str, str]) -> Any:
    def load(spec: str, referrer: str) -> tuple[str, str]:
        if spec.startswith("."):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(referrer), spec))
        else:
            resolved = spec
        if resolved not in files:
            raise FileNotFoundError(f"no file {resolved}")
        return resolved, files[resolved]

    return load


# -- basics --------------------------------------------------------------------------------


def test_protocols(engine: Engine, realm: Realm) -> None:
    assert isinstance(engine, Engine)
    assert isinstance(realm, Realm)
    assert engine.name == "quickjs-ng"
    assert realm.label == "test"


def test_large_ints_cross_without_truncation(realm: Realm) -> None:
    realm.expose("big", lambda: 1_700_000_000_000)
    realm.expose("small", lambda: -(2**31))
    realm.eval_script("function id(x) { return x; }", "a.js")
    assert realm.eval_script("big() === 1700000000000 && small() === -(2 ** 31)", "a.js") is True
    assert realm.call("id", 2**40) == 2**40
    assert realm.call("id", -(2**31) - 1) == -(2**31) - 1
    assert realm.call("id", 2**31 - 1) == 2**31 - 1


def test_eval_script_completion_values(realm: Realm) -> None:
    assert realm.eval_script("1 + 1", "a.js") == 2
    assert realm.eval_script("'x' + 'y'", "a.js") == "xy"
    assert realm.eval_script("1.5", "a.js") == 1.5
    assert realm.eval_script("true", "a.js") is True
    assert realm.eval_script("null", "a.js") is None
    assert realm.eval_script("undefined", "a.js") is None
    assert realm.eval_script("({a: [1, {b: 'c'}], d: null})", "a.js") == {
        "a": [1, {"b": "c"}],
        "d": None,
    }
    assert realm.eval_script("(function () {})", "a.js") is None
    assert realm.eval_script("'h\u00e9llo \U0001f600'", "a.js") == "h\u00e9llo \U0001f600"


def test_script_globals_persist_between_scripts(realm: Realm) -> None:
    realm.eval_script("let counter = 1; const K = 2; function bump() { counter += K; }", "a.js")
    realm.eval_script("bump()", "b.js")
    assert realm.eval_script("counter", "c.js") == 3


def test_isolation(engine: Engine) -> None:
    a = engine.new_realm("a")
    b = engine.new_realm("b")
    try:
        a.eval_script("var shared = 1; globalThis.x = 'a'; Array.prototype.evil = 1", "a.js")
        assert b.eval_script("typeof shared", "b.js") == "undefined"
        assert b.eval_script("typeof x", "b.js") == "undefined"
        assert b.eval_script("[].evil", "b.js") is None
        a.expose("onlyA", lambda: 1)
        assert b.eval_script("typeof onlyA", "b.js") == "undefined"
    finally:
        a.close()
        b.close()


def test_internal_helpers_are_not_visible(realm: Realm) -> None:
    names = realm.eval_script("Object.getOwnPropertyNames(globalThis)", "a.js")
    # two stay, non-enumerable: the rejection queue the C side fills, and the indirect eval
    # that keeps its source for error texts (evaluate())
    assert sorted(n for n in names if n.startswith("__wx")) == ["__wxEval", "__wxRejectionEvents"]
    assert not [k for k in realm.eval_script("Object.keys(globalThis)", "a.js") if "wx" in k]


# -- call ----------------------------------------------------------------------------------


def test_call(realm: Realm) -> None:
    realm.eval_script("function add(a, b) { return a + b; }", "a.js")
    realm.eval_script("function obj(o) { return {got: o, n: arguments.length}; }", "a.js")
    realm.eval_script("function nothing() {}", "a.js")
    assert realm.call("add", 2, 3) == 5
    assert realm.call("add", "x", "y") == "xy"
    assert realm.call("obj", {"k": [1, 2]}) == {"got": {"k": [1, 2]}, "n": 1}
    assert realm.call("obj", [1, "2"]) == {"got": [1, "2"], "n": 1}
    assert realm.call("nothing") is None


def test_call_errors(realm: Realm) -> None:
    realm.eval_script("\nfunction boom() {\n  throw new RangeError('too big');\n}", "bg.js")
    with pytest.raises(JSError) as info:
        realm.call("boom")
    err = info.value
    assert (err.name, err.message) == ("RangeError", "too big")
    assert (err.file, err.line, err.column) == ("bg.js", 3, 13)
    assert "at boom (bg.js:3:13)" in err.stack
    with pytest.raises(JSError, match="missing is not a function") as info2:
        realm.call("missing")
    assert info2.value.name == "TypeError"


def test_thrown_non_error(realm: Realm) -> None:
    realm.eval_script("function t() { throw 'just a string'; }", "a.js")
    with pytest.raises(JSError) as info:
        realm.call("t")
    assert (info.value.name, info.value.message) == ("", "just a string")
    with pytest.raises(JSError) as info2:
        realm.eval_script("throw 42", "a.js")
    assert (info2.value.name, info2.value.message) == ("", "42")


# -- file names in stacks ---------------------------------------------------------------------


def test_stack_has_file_names(realm: Realm) -> None:
    realm.eval_script("var x = 1;\n\nfunction fn() {\n  return new Error('e').stack;\n}", "pre.js")
    src = "// header\n\nfunction fn2() { return new Error('here').stack; }\n"
    realm.eval_script(src, "background.js")
    stack = realm.eval_script("fn2()", "caller.js")
    assert stack.splitlines() == [
        "Error: here",
        "    at fn2 (background.js:3:29)",
        "    at caller.js:1:1",
    ]
    assert "at fn (pre.js:4:14)" in realm.eval_script("fn()", "x.js")


def test_stack_through_two_scripts(realm: Realm) -> None:
    realm.eval_script("function inner() {\n  return new Error('x').stack;\n}", "background.js")
    realm.eval_script("\n\nfunction go() { return inner(); }", "content.js")
    stack = realm.call("go")
    assert "at inner (background.js:2:14)" in stack
    assert "at go (content.js:3:24)" in stack


def test_uncaught_error_location(realm: Realm) -> None:
    src = "var a = 1;\nfunction f() {\n  null.x;\n}\nf();\n"
    with pytest.raises(JSError) as info:
        realm.eval_script(src, "background.js")
    err = info.value
    assert err.name == "TypeError"
    assert (err.file, err.line) == ("background.js", 3)
    assert err.stack.startswith("TypeError: ")
    assert "at f (background.js:3:" in err.stack
    assert "at background.js:5:" in err.stack


def test_syntax_error_location(realm: Realm) -> None:
    realm.eval_script("var ok = 1;\n" * 50, "big.js")
    with pytest.raises(JSError) as info:
        realm.eval_script("var a = 1;\n\nvar b = = 2;", "broken.js")
    err = info.value
    assert err.name == "SyntaxError"
    assert (err.file, err.line) == ("broken.js", 3)
    assert err.column is not None
    assert realm.eval_script("ok", "after.js") == 1  # realm still fine


def test_runtime_frames_hidden_and_native_frames_kept(realm: Realm) -> None:
    realm.expose("py", lambda: 1)
    stack = realm.eval_script(
        "[1].map(function cb() { py(); return new Error().stack; })[0]", "m.js"
    )
    assert "at cb (m.js:1:" in stack
    assert "at map (native)" in stack
    assert "<input>" not in stack
    assert "<webext-runtime>" not in stack


# -- exposing Python -----------------------------------------------------------------------


def test_expose_arguments_and_results(realm: Realm) -> None:
    seen: list[tuple[Any, ...]] = []

    def record(*args: Any) -> Any:
        seen.append(args)
        return {"n": len(args), "echo": list(args)}

    realm.expose("record", record)
    out = realm.eval_script(
        "[record(), record(1, 'a', true, null, undefined, 2.5), record({a: [1]}, [2, {b: 3}]),"
        " record(function () {}), record(1, 2, 3, 4, 5)]",
        "a.js",
    )
    assert seen == [
        (),
        (1, "a", True, None, None, 2.5),
        ({"a": [1]}, [2, {"b": 3}]),
        (None,),
        (1, 2, 3, 4, 5),
    ]
    assert out[1] == {"n": 6, "echo": [1, "a", True, None, None, 2.5]}
    assert out[2]["echo"] == [{"a": [1]}, [2, {"b": 3}]]


def test_expose_return_types(realm: Realm) -> None:
    values: dict[str, Any] = {
        "i": 7,
        "f": 0.25,
        "b": False,
        "n": None,
        "s": "plain",
        "u": "\u00fcnicode \U0001f600",
        "surrogate": "lone \ud800",
        "l": [1, [2]],
        "d": {"x": {"y": None}},
    }
    realm.expose("get", lambda key: values[key])
    for key, value in values.items():
        if key == "surrogate":
            assert realm.eval_script("get('surrogate').charCodeAt(5)", "a.js") == 0xD800
            continue
        assert realm.eval_script(f"get('{key}')", "a.js") == value, key
    assert realm.eval_script("typeof get('n')", "a.js") == "object"
    assert realm.eval_script("Array.isArray(get('l'))", "a.js") is True


def test_lone_surrogates_never_become_system_error(realm: Realm) -> None:
    realm.expose("length", lambda s: [len(s), s])
    assert realm.eval_script("length('a\\ud800b')", "a.js") == [3, "a\ufffdb"]
    realm.eval_script("function lone() { return '\\ud800'; }", "a.js")
    assert realm.call("lone") == "\ufffd"
    with pytest.raises(JSError, match="not representable"):
        realm.eval_script("'\\ud800'", "a.js")
    assert realm.eval_script("1 + 1", "a.js") == 2


def test_python_exception_is_catchable_in_js(realm: Realm) -> None:
    def fail(msg: str) -> None:
        raise ValueError(msg)

    realm.expose("fail", fail)
    out = realm.eval_script(
        "try { fail('nope'); 'not thrown' } catch (e) {"
        " [e instanceof Error, e.name, e.message, e.stack.split('\\n')[1]] }",
        "bg.js",
    )
    assert out == [True, "Error", "nope", "    at bg.js:1:7"]
    assert realm.eval_script("1 + 1", "a.js") == 2  # no SystemError left behind


def test_python_exception_js_name(realm: Realm) -> None:
    class ExtTypeError(Exception):
        js_name = "TypeError"

        def __init__(self, message: str) -> None:
            super().__init__(message)
            self.message = message

    class Custom(Exception):
        js_name = "NotFoundError"

    def raise_type() -> None:
        raise ExtTypeError("Error in invocation of runtime.sendMessage")

    def raise_custom() -> None:
        raise Custom("gone")

    realm.expose("raiseType", raise_type)
    realm.expose("raiseCustom", raise_custom)
    assert realm.eval_script(
        "try { raiseType() } catch (e) { [e instanceof TypeError, e.name, e.message] }", "a.js"
    ) == [True, "TypeError", "Error in invocation of runtime.sendMessage"]
    assert realm.eval_script(
        "try { raiseCustom() } catch (e) { [e instanceof Error, e.name, e.message,"
        " e.stack.split('\\n')[0]] }",
        "a.js",
    ) == [True, "NotFoundError", "gone", "NotFoundError: gone"]


def test_uncaught_python_exception_chains_cause(realm: Realm) -> None:
    original = KeyError("k")

    def fail() -> None:
        raise original

    realm.expose("fail", fail)
    with pytest.raises(JSError) as info:
        realm.eval_script("\nfail()", "bg.js")
    assert info.value.name == "Error"
    assert (info.value.file, info.value.line) == ("bg.js", 2)
    assert info.value.__cause__ is original
    realm.eval_script("function viaCall() { fail(); }", "c.js")
    with pytest.raises(JSError) as info2:
        realm.call("viaCall")
    assert info2.value.__cause__ is original


def test_nested_js_python_js_throw(realm: Realm) -> None:
    def bounce(code: str) -> Any:
        return realm.call("inner", code)

    realm.expose("bounce", bounce)
    realm.eval_script(
        "function inner(code) {\n"
        "  if (code === 'throw') throw new SyntaxError('deep');\n"
        "  return code + '!';\n"
        "}",
        "inner.js",
    )
    assert realm.eval_script("bounce('ok')", "a.js") == "ok!"
    out = realm.eval_script(
        "try { bounce('throw') } catch (e) { [e.name, e.message] }",
        "outer.js",
    )
    # The inner JSError crosses Python and is re-thrown with its JS name (JSError.js_name).
    assert out == ["SyntaxError", "deep"]
    with pytest.raises(JSError):
        realm.eval_script("bounce('throw')", "outer.js")
    assert realm.eval_script("bounce('again')", "a.js") == "again!"


def test_nested_depth(realm: Realm) -> None:
    def down(n: int) -> Any:
        return realm.call("js_down", n - 1) if n > 0 else "bottom"

    realm.expose("py_down", down)
    realm.eval_script("function js_down(n) { return py_down(n); }", "a.js")
    assert realm.call("js_down", 20) == "bottom"


# -- jobs and rejections --------------------------------------------------------------------


def test_run_jobs_counts_and_orders(realm: Realm) -> None:
    realm.eval_script(
        "var log = []; Promise.resolve().then(() => log.push(1)).then(() => log.push(2));"
        " queueMicrotask ? queueMicrotask(() => log.push('q')) : 0;",
        "a.js",
    )
    assert realm.eval_script("log.length", "a.js") == 0
    assert realm.run_jobs() == 3
    assert realm.eval_script("log", "a.js") == [1, "q", 2]
    assert realm.run_jobs() == 0


def test_unhandled_rejection_reported(realm: Realm) -> None:
    realm.eval_script(
        "function fail() { return Promise.reject(new TypeError('lost')); }\n"
        "fail();\n"
        "Promise.reject(new Error('handled')).catch(() => {});\n"
        "var late = Promise.reject(new Error('handled later'));\n"
        "Promise.resolve().then(() => late.catch(() => {}));\n"
        "Promise.resolve().then(() => { throw new RangeError('in job'); });\n",
        "bg.js",
    )
    realm.run_jobs()
    errors = realm.take_errors()
    assert [(e.name, e.message) for e in errors] == [
        ("TypeError", "lost"),
        ("RangeError", "in job"),
    ]
    assert (errors[0].file, errors[0].line) == ("bg.js", 1)
    assert realm.take_errors() == []


def test_rejection_with_non_error(realm: Realm) -> None:
    realm.eval_script("Promise.reject(5)", "a.js")
    realm.run_jobs()
    assert [(e.name, e.message) for e in realm.take_errors()] == [("", "5")]


def test_async_functions(realm: Realm) -> None:
    realm.expose("py", lambda x: x * 2)
    realm.eval_script("var out; (async () => { await null; out = py(21); })();", "a.js")
    realm.run_jobs()
    assert realm.eval_script("out", "a.js") == 42


# -- modules --------------------------------------------------------------------------------

FILES = {
    "ext/a.js": (
        "import { c, where } from './sub/c.js';\n"
        "export const a = c + 1;\n"
        "globalThis.A = a;\n"
        "globalThis.where = where;\n"
    ),
    "ext/sub/c.js": (
        "import { b } from '../b.js';\n"
        "export const c = b * 10;\n"
        "export function where() {\n  return new Error('w').stack;\n}\n"
    ),
    "ext/b.js": "export const b = 4;\n",
    "ext/lazy.js": "export default function lazy() { return 'lazy:' + import.meta.url; }\n",
    "ext/broken.js": "export const = 1;\n",
    "ext/throws.js": "\nthrow new RangeError('at eval');\n",
    "ext/missing-dep.js": "import './nope.js';\n",
}


def test_module_graph_and_stacks(realm: Realm) -> None:
    realm.set_module_loader(_loader(FILES))
    realm.eval_module(FILES["ext/a.js"], "ext/a.js")
    assert realm.eval_script("A", "x.js") == 41
    stack = realm.call("where")
    assert "at where (ext/sub/c.js:4:14)" in stack


def test_module_entry_inline_and_dynamic_import(realm: Realm) -> None:
    realm.set_module_loader(_loader(FILES))
    realm.eval_module(
        "import { b } from './ext/b.js';\n"
        "const m = await import('./ext/lazy.js');\n"
        "globalThis.R = [b, m.default()];\n",
        "main.js",
    )
    assert realm.eval_script("R", "x.js") == [4, "lazy:ext/lazy.js"]


def test_dynamic_import_from_classic_script(realm: Realm) -> None:
    calls: list[tuple[str, str]] = []
    load = _loader(FILES)

    def tracking(spec: str, ref: str) -> tuple[str, str]:
        calls.append((spec, ref))
        result: tuple[str, str] = load(spec, ref)
        return result

    realm.set_module_loader(tracking)
    realm.eval_script(
        "var got; import('ext/b.js').then(m => { got = m.b; }, e => { got = String(e); });",
        "bg.js",
    )
    realm.run_jobs()
    assert realm.eval_script("got", "x.js") == 4
    assert calls == [("ext/b.js", "")]


def test_module_errors(realm: Realm) -> None:
    realm.set_module_loader(_loader(FILES))
    with pytest.raises(JSError) as info:
        realm.eval_module(FILES["ext/missing-dep.js"], "ext/missing-dep.js")
    assert info.value.name == "ReferenceError"
    assert "'./nope.js'" in info.value.message
    assert "ext/missing-dep.js" in info.value.message
    assert "no file ext/nope.js" in info.value.message

    with pytest.raises(JSError) as info2:
        realm.eval_module("import './ext/broken.js';", "main2.js")
    assert info2.value.name == "SyntaxError"
    assert info2.value.file == "ext/broken.js"
    assert info2.value.line == 1

    with pytest.raises(JSError) as info3:
        realm.eval_module(FILES["ext/throws.js"], "ext/throws.js")
    assert (info3.value.name, info3.value.message) == ("RangeError", "at eval")
    assert (info3.value.file, info3.value.line) == ("ext/throws.js", 2)
    assert realm.take_errors() == []  # handled by eval_module, not reported twice


def test_module_without_loader(realm: Realm) -> None:
    with pytest.raises(JSError, match="no module loader"):
        realm.eval_module("import './x.js';", "m.js")
    realm.eval_module("globalThis.M = 1;", "m2.js")
    assert realm.eval_script("M", "a.js") == 1


def test_module_is_instantiated_once(realm: Realm) -> None:
    files = {"counter.js": "globalThis.n = (globalThis.n || 0) + 1; export const n = globalThis.n;"}
    realm.set_module_loader(_loader(files))
    realm.eval_module("import './counter.js';", "m1.js")
    realm.eval_module("import { n } from './counter.js'; globalThis.seen = n;", "m2.js")
    assert realm.eval_script("[n, seen]", "a.js") == [1, 1]


# -- limits ---------------------------------------------------------------------------------


def test_time_limit_stops_infinite_loop(engine: Engine) -> None:
    r = engine.new_realm("loop", time_limit=0.5)
    try:
        t0 = time.monotonic()
        with pytest.raises(ScriptTimeout) as info:
            r.eval_script("while (true) {}", "loop.js")
        elapsed = time.monotonic() - t0
        assert 0.4 < elapsed < 1.0
        assert info.value.name == "InternalError"
        assert "interrupted" in info.value.message
        assert r.eval_script("1 + 1", "a.js") == 2  # still usable, fresh budget
        r.eval_script("function spin() { for (;;) {} }", "b.js")
        with pytest.raises(ScriptTimeout):
            r.call("spin")
        r.eval_script("function again() { Promise.resolve().then(again); } again();", "c.js")
        with pytest.raises(ScriptTimeout):
            r.run_jobs()
    finally:
        r.close()


def test_time_limit_cannot_be_caught_by_js(engine: Engine) -> None:
    r = engine.new_realm("loop", time_limit=0.3)
    try:
        with pytest.raises(ScriptTimeout):
            r.eval_script("try { while (true) {} } catch (e) { 'caught' }", "a.js")
    finally:
        r.close()


def test_time_limit_with_python_calls(engine: Engine) -> None:
    r = engine.new_realm("loop", time_limit=0.3)
    try:
        r.expose("tick", lambda: 1)
        with pytest.raises(ScriptTimeout):
            r.eval_script("for (;;) { try { tick(); } catch (e) {} }", "a.js")
        assert r.eval_script("tick()", "a.js") == 1
    finally:
        r.close()


def test_memory_limit(engine: Engine) -> None:
    small = engine.new_realm("bomb", memory_limit=16 * 2**20)
    other = engine.new_realm("bystander")
    try:
        other.eval_script("var keep = [1, 2, 3];", "o.js")
        with pytest.raises(ScriptOutOfMemory) as info:
            small.eval_script("var a = []; for (;;) a.push(new Array(1000).fill(1.5));", "b.js")
        assert info.value.name == "InternalError"
        assert "out of memory" in info.value.message
        assert other.eval_script("keep.length", "o.js") == 3
        small.eval_script("a = null;", "b.js")
        assert small.eval_script("1 + 1", "b.js") == 2
        assert small.memory_usage() <= 16 * 2**20
    finally:
        small.close()
        other.close()


def test_memory_usage_reports_growth(realm: Realm) -> None:
    before = realm.memory_usage()
    realm.eval_script("var big = new Array(200000).fill(0).map((_, i) => ({i}));", "a.js")
    assert realm.memory_usage() > before + 1_000_000


# -- close ------------------------------------------------------------------------------------


def test_close_is_idempotent_and_final(engine: Engine) -> None:
    r = engine.new_realm("c")
    r.eval_script("1", "a.js")
    r.close()
    r.close()
    assert r.closed
    with pytest.raises(RealmClosed):
        r.eval_script("1", "a.js")
    with pytest.raises(RealmClosed):
        r.call("f")
    with pytest.raises(RealmClosed):
        r.run_jobs()
    with pytest.raises(RealmClosed):
        r.expose("f", lambda: 1)


def test_close_from_inside_a_call_is_deferred(engine: Engine) -> None:
    r = engine.new_realm("c")
    r.expose("closeMe", r.close)
    r.expose("again", lambda: r.call("noop"))
    r.eval_script("function noop() { return 1; }", "a.js")
    out = r.eval_script("closeMe(); var x; try { again(); } catch (e) { x = e.message; } x", "a.js")
    assert "closed" in out
    assert r.closed
    with pytest.raises(RealmClosed):
        r.eval_script("1", "a.js")


def test_many_realms_do_not_leak(engine: Engine) -> None:
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096

    try:
        rss()
    except OSError:
        pytest.skip("needs /proc")

    def cycle(n: int) -> None:
        for i in range(n):
            r = engine.new_realm(f"r{i}")
            r.expose("f", lambda x: x)
            r.eval_script("f(1); Promise.reject(1); new Error('x').stack", "a.js")
            r.run_jobs()
            r.close()

    cycle(50)
    gc.collect()
    base = rss()
    cycle(200)
    gc.collect()
    grown = rss() - base
    assert grown < 200 * 100_000, f"RSS grew {grown} bytes over 200 realms"
