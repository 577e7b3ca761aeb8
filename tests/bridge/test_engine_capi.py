"""Tests of the ctypes layer (``_qjs_capi``): layout checks and failure modes."""

from __future__ import annotations

import pytest
import quickjs

from webext_runtime._bridge import _qjs_capi, quickjs_engine
from webext_runtime._bridge.engine import EngineUnsupported, JSError


def test_load_verifies_version_and_layout() -> None:
    api = _qjs_capi.load()
    assert api.version.startswith(_qjs_capi.SUPPORTED_VERSION_PREFIXES)
    assert _qjs_capi.load() is api  # cached
    ctx = quickjs.Context()
    h = api.handle_for(ctx)
    assert h.rt and h.ctx and h.rt != h.ctx


def test_handle_for_rejects_foreign_objects() -> None:
    api = _qjs_capi.load()
    with pytest.raises(_qjs_capi.CApiUnavailable, match="unknown binding layout"):
        api.handle_for(object())
    with pytest.raises(_qjs_capi.CApiUnavailable):
        api.handle_for(quickjs.Context().eval("({})"))  # a _quickjs.Object, not a Context


def test_unverified_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_qjs_capi, "SUPPORTED_VERSION_PREFIXES", ("9.99.",))
    with pytest.raises(_qjs_capi.CApiUnavailable, match=r"not a verified version"):
        _qjs_capi._load()


def test_detach_and_reattach() -> None:
    api = _qjs_capi.load()

    class Host:
        def on_interrupt(self) -> bool:
            return False

        def resolve_module(self, base: str, name: str) -> str:
            raise _qjs_capi.ModuleLoadFailed("nothing here")

        def module_source(self, name: str) -> str:
            raise _qjs_capi.ModuleLoadFailed("nothing here")

    host = Host()
    ctx = quickjs.Context()
    h = api.attach(ctx, host)
    assert h.key > 0
    ctx.eval("var r; import('x.js').catch(e => { r = String(e); })")
    while ctx.execute_pending_job():
        pass
    assert ctx.eval("r") == "ReferenceError: Cannot load module 'x.js': nothing here"
    api.detach(h)
    del host  # a host that is gone must never be called
    ctx.eval("var s = 1 + 1")
    assert ctx.eval("s") == 2


def test_realm_degrades_without_capi(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> _qjs_capi.CApi:
        raise _qjs_capi.CApiUnavailable("simulated layout mismatch")

    monkeypatch.setattr(_qjs_capi, "load", unavailable)
    r = quickjs_engine.QuickJSRealm("degraded")
    try:
        assert not r.limits_enforced
        assert r.capi_error == "simulated layout mismatch"
        assert r.eval_script("1 + 2", "a.js") == 3
        r.expose("py", lambda: "ok")
        assert r.eval_script("py()", "a.js") == "ok"
        with pytest.raises(JSError) as info:
            r.eval_script("\nthrow new TypeError('t')", "bg.js")
        assert (info.value.file, info.value.line) == ("bg.js", 2)
        with pytest.raises(EngineUnsupported, match="simulated layout mismatch"):
            r.eval_module("export {}", "m.js")
    finally:
        r.close()
