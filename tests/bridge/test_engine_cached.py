"""``Realm.eval_script_cached``: the process-wide bytecode cache (``_qjs_capi.BytecodeCache``)."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

from webext_runtime._bridge import _qjs_capi, quickjs_engine
from webext_runtime._bridge.engine import JSError, Realm, ScriptTimeout
from webext_runtime._bridge.quickjs_engine import QuickJSEngine, QuickJSRealm

LIB = """\
// a library loaded from bytecode
var libLoaded = (libLoaded || 0) + 1;
function libThrow(msg) {
  throw new TypeError(msg);
}
let libCounter = 0;
const LIB_NAME = 'lib';
function libCall(cb) { libCounter++; return cb(); }
"""


@pytest.fixture
def cache() -> _qjs_capi.BytecodeCache:
    return _qjs_capi.BytecodeCache()


@pytest.fixture
def engine(cache: _qjs_capi.BytecodeCache) -> QuickJSEngine:
    return QuickJSEngine(bytecode_cache=cache)


@pytest.fixture
def realm(engine: QuickJSEngine) -> Iterator[QuickJSRealm]:
    r = engine.new_realm("cached")
    yield r
    r.close()


def test_realm_protocol_has_cached_eval(realm: QuickJSRealm) -> None:
    assert isinstance(realm, Realm)
    assert realm.limits_enforced


def test_compiled_once_then_loaded(engine: QuickJSEngine, cache: _qjs_capi.BytecodeCache) -> None:
    realms = [engine.new_realm(f"r{i}") for i in range(3)]
    try:
        for r in realms:
            assert r.eval_script_cached(LIB, "lib.js") is None
            assert r.eval_script("[libLoaded, libCounter, LIB_NAME]", "t.js") == [1, 0, "lib"]
        assert (cache.misses, cache.hits, len(cache)) == (1, 2, 1)
        # a second load into the same realm re-runs it (a classic script, like eval_script)
        assert realms[0].eval_script_cached("libLoaded += 10; libLoaded", "again.js") == 11
        assert len(cache) == 2
    finally:
        for r in realms:
            r.close()


def test_cache_key_is_version_file_hash(cache: _qjs_capi.BytecodeCache) -> None:
    api = _qjs_capi.load()
    k = cache.key(api.version, LIB, "lib.js", True)
    assert k[0] == api.version
    assert k != cache.key(api.version, LIB + " ", "lib.js", True)
    assert k != cache.key(api.version, LIB, "other.js", True)
    assert k != cache.key(api.version, LIB, "lib.js", False)
    assert k != cache.key("0.0.0", LIB, "lib.js", True)


def test_error_from_cached_script_has_file_and_line(engine: QuickJSEngine) -> None:
    for label in ("first", "second"):  # compiled, then loaded from the cache
        r = engine.new_realm(label)
        try:
            r.eval_script("var before = 1;\n\n", "before.js")  # a line band before it
            r.eval_script_cached(LIB, "lib.js")
            with pytest.raises(JSError) as info:
                r.eval_script("\n\nlibThrow('boom')", "main.js")
            err = info.value
            assert (err.name, err.message) == ("TypeError", "boom")
            assert (err.file, err.line) == ("lib.js", 4)
            lines = err.stack.splitlines()
            assert lines[0] == "TypeError: boom"
            assert lines[1].startswith("    at libThrow (lib.js:4:")
            assert lines[2].startswith("    at ") and "main.js:3:" in lines[2]
            # the line bands of ordinary scripts loaded afterwards still map
            with pytest.raises(JSError) as info2:
                r.eval_script("\nnull.x", "after.js")
            assert (info2.value.file, info2.value.line) == ("after.js", 2)
        finally:
            r.close()


def test_uncaught_error_while_loading(realm: QuickJSRealm) -> None:
    src = "var ok = 1;\nfunction f() { throw new RangeError('at load'); }\nf();\n"
    for _ in range(2):
        with pytest.raises(JSError) as info:
            realm.eval_script_cached(src, "load.js")
        assert (info.value.name, info.value.message) == ("RangeError", "at load")
        assert (info.value.file, info.value.line, info.value.column) == ("load.js", 2, 26)
        assert info.value.stack == (
            "RangeError: at load\n    at f (load.js:2:26)\n    at load.js:3:1"
        )
    assert realm.eval_script("ok", "t.js") == 1
    with pytest.raises(JSError) as info3:
        realm.eval_script_cached("throw 42", "prim.js")
    assert (info3.value.name, info3.value.message) == ("", "42")


def test_completion_values(realm: QuickJSRealm) -> None:
    cases: list[tuple[str, object]] = [
        ("undefined", None),
        ("null", None),
        ("1 + 1", 2),
        ("-5", -5),
        ("2 ** 31", 2**31),
        ("true", True),
        ("1.5", 1.5),
        ("'é' + 'x'", "éx"),
        ("'\\ud800'", "\ufffd"),
        ("({a: [1, {b: null}]})", {"a": [1, {"b": None}]}),
        ("(function () {})", None),
        ("Symbol('s')", None),
    ]
    for src, want in cases:
        assert realm.eval_script_cached(src, "v.js") == want, src
    assert realm.eval_script("typeof __wxCachedOut + typeof __wxCachedErr", "t.js") == (
        "undefinedundefined"
    )


def test_syntax_error_falls_back_to_mapped_error(
    realm: QuickJSRealm, cache: _qjs_capi.BytecodeCache
) -> None:
    with pytest.raises(JSError) as info:
        realm.eval_script_cached("var a = 1;\nvar = ;\n", "bad.js")
    assert info.value.name == "SyntaxError"
    assert (info.value.file, info.value.line) == ("bad.js", 2)
    assert len(cache) == 0
    assert realm.eval_script_cached("2", "good.js") == 2  # realm still fine


def test_host_functions_and_nesting(realm: QuickJSRealm) -> None:
    seen: list[object] = []

    def boom() -> None:
        raise ValueError("from python")

    def nested() -> object:
        return realm.eval_script_cached("libCall(() => 'inner:' + LIB_NAME)", "nested.js")

    realm.expose("record", lambda v: seen.append(v))
    realm.expose("boom", boom)
    realm.expose("nested", nested)
    realm.eval_script_cached(LIB, "lib.js")
    src = """
    record({x: 1});
    let caught = null;
    try { boom(); } catch (e) { caught = e.message; }
    record(caught);
    record(nested());
    libCounter
    """
    assert realm.eval_script_cached(src, "host.js") == 1
    assert seen == [{"x": 1}, "from python", "inner:lib"]
    with pytest.raises(JSError) as info:
        realm.eval_script_cached("boom()", "raise.js")
    assert isinstance(info.value.__cause__, ValueError)


def test_time_limit_applies(engine: QuickJSEngine) -> None:
    r = engine.new_realm("spin", time_limit=0.2)
    try:
        with pytest.raises(ScriptTimeout):
            r.eval_script_cached("for (;;) {}", "spin.js")
        assert r.eval_script_cached("1 + 2", "ok.js") == 3
    finally:
        r.close()


def test_keep_source_false_hides_function_text(realm: QuickJSRealm) -> None:
    realm.eval_script_cached("function kept(a) { return a + 1; }", "k.js")
    realm.eval_script_cached("function hidden(a) { return a + 1; }", "h.js", keep_source=False)
    assert "return a + 1" in realm.eval_script("String(kept)", "t.js")
    assert "[native code]" in realm.eval_script("String(hidden)", "t.js")
    assert realm.eval_script("hidden(1)", "t.js") == 2
    with pytest.raises(JSError) as info:
        realm.eval_script_cached("\nfunction s() { null.x }\ns()", "s.js", keep_source=False)
    assert (info.value.file, info.value.line) == ("s.js", 2)


def test_falls_back_without_capi(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> _qjs_capi.CApi:
        raise _qjs_capi.CApiUnavailable("simulated layout mismatch")

    monkeypatch.setattr(_qjs_capi, "load", unavailable)
    cache = _qjs_capi.BytecodeCache()
    r = quickjs_engine.QuickJSRealm("degraded", bytecode_cache=cache)
    try:
        assert r.capi_error == "simulated layout mismatch"
        r.eval_script_cached(LIB, "lib.js")
        with pytest.raises(JSError) as info:
            r.eval_script("libThrow('x')", "m.js")
        assert (info.value.file, info.value.line) == ("lib.js", 4)
        assert len(cache) == 0
    finally:
        r.close()


def test_closed_realm_refuses(engine: QuickJSEngine) -> None:
    from webext_runtime._bridge.engine import RealmClosed

    r = engine.new_realm("c")
    r.close()
    with pytest.raises(RealmClosed):
        r.eval_script_cached("1", "a.js")


def test_cache_evicts_oldest_beyond_max_bytes() -> None:
    cache = _qjs_capi.BytecodeCache(max_bytes=100)
    cache.put(("v", "a", "1", True), b"x" * 60)
    cache.put(("v", "b", "2", True), b"y" * 60)
    assert len(cache) == 1 and cache.size == 60
    assert cache.get(("v", "a", "1", True)) is None
    assert cache.get(("v", "b", "2", True)) == b"y" * 60
    cache.clear()
    assert len(cache) == 0 and cache.size == 0


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_no_leak_over_many_realms(engine: QuickJSEngine) -> None:
    from webext_runtime._bridge.jshost import shim

    srcs = [(shim(n), f"<webext-runtime>/{n}") for n in ("platform.js", "serialize.js")]

    def churn(n: int) -> None:
        for i in range(n):
            r = engine.new_realm(f"leak{i}")
            for name in ("console", "setTimer", "clearTimer", "now"):
                r.expose("__wxHost_" + name, lambda *a: 0)
            for src, fn in srcs:
                r.eval_script_cached(src, fn)
            r.eval_script_cached("({big: 'x'.repeat(1000)})", "v.js")
            with pytest.raises(JSError):
                r.eval_script_cached("throw new Error('e')", "e.js")
            r.close()
        gc.collect()

    churn(50)  # warm up allocator pools
    before = _rss()
    churn(200)
    grown = _rss() - before
    # a leaked realm would cost ~0.5 MiB; allow allocator noise
    assert grown < 20 * 2**20, f"RSS grew by {grown / 2**20:.1f} MiB over 200 realms"
