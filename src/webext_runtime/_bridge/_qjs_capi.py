"""ctypes access to the QuickJS C API inside the quickjs-ng wheel's ``_quickjs`` library.

The binding (``quickjs.Context``) offers no module loader, no rejection tracker and a time limit
that forbids calling Python; the library it ships exports the whole C API, so this module adds:

* an interrupt handler (wall-clock time limits that still allow calls into Python),
* an ES module normalizer + loader (``JS_SetModuleLoaderFunc``; modules compiled with
  ``JS_Eval(..., JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY)`` under their real file name,
  ``import.meta.url`` set to that name),
* a host promise rejection tracker (``JS_SetHostPromiseRejectionTracker``).

It depends on private details of the binding: the ``JSRuntime *`` and ``JSContext *`` are the
first two fields after ``PyObject_HEAD`` in ``_quickjs.Context``. :func:`load` checks everything
it relies on before any pointer is used (library version, object size, ``JS_GetRuntime(ctx) ==
rt``, ``JS_GetRuntimeOpaque(rt) == the Context object``, JSValue calling convention) and raises
:class:`CApiUnavailable` with the reason when a check fails — nothing is ever written through
an unverified pointer.

Threading/GIL: the binding releases the GIL while JS runs; ctypes callbacks re-acquire it. No
callback here runs JS code (compiling a module and defining array elements run no user code),
so the binding's own GIL bookkeeping is never disturbed.

Callbacks are process-wide singletons; the per-runtime ``opaque`` is an integer key into a
registry of :class:`CApiHost` objects held weakly, so a forgotten realm is never kept alive
and a freed host makes callbacks fail safe.
"""

from __future__ import annotations

import ctypes
import importlib
import sys
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "REJECTIONS_GLOBAL",
    "SUPPORTED_VERSION_PREFIXES",
    "CApi",
    "CApiHost",
    "CApiUnavailable",
    "ModuleLoadFailed",
    "RuntimeHandle",
    "load",
]

SUPPORTED_VERSION_PREFIXES: tuple[str, ...] = ("0.17.",)
"""quickjs-ng library versions whose layout and behaviour were verified."""

REJECTIONS_GLOBAL = "__wxRejectionEvents"
"""Global array (defined by the realm bootstrap) the tracker appends
``promise, reason, is_handled`` triples to."""

_JS_TAG_INT = 0
_JS_TAG_BOOL = 1
_JS_TAG_OBJECT = -1
_JS_TAG_EXCEPTION = 6
_JS_EVAL_TYPE_MODULE = 1
_JS_EVAL_FLAG_COMPILE_ONLY = 1 << 5
_JS_PROP_C_W_E = 7


class CApiUnavailable(RuntimeError):
    """The binding's C API cannot be used safely (the message says why)."""


class ModuleLoadFailed(Exception):
    """Raised by a host's ``resolve_module`` to fail an import with a ReferenceError."""


class CApiHost(Protocol):
    """What a realm provides to the C callbacks. None of these may run JS."""

    def on_interrupt(self) -> bool: ...

    def resolve_module(self, base: str, name: str) -> str: ...

    def module_source(self, name: str) -> str: ...


class _JSValue(ctypes.Structure):
    # quickjs-ng, 64-bit, no NaN boxing: struct { union { int32; double; void *ptr; } u;
    # int64_t tag; }
    _fields_ = [("u", ctypes.c_uint64), ("tag", ctypes.c_int64)]


_vp = ctypes.c_void_p
_INTERRUPT = ctypes.CFUNCTYPE(ctypes.c_int, _vp, _vp)
_NORMALIZE = ctypes.CFUNCTYPE(_vp, _vp, ctypes.c_char_p, ctypes.c_char_p, _vp)
_LOADER = ctypes.CFUNCTYPE(_vp, _vp, ctypes.c_char_p, _vp)
_TRACKER = ctypes.CFUNCTYPE(None, _vp, _JSValue, _JSValue, ctypes.c_bool, _vp)


@dataclass(frozen=True)
class RuntimeHandle:
    """The verified native pointers of one ``quickjs.Context`` and its registry key."""

    rt: int
    ctx: int
    key: int


class CApi:
    """The loaded library with typed entry points. Obtain it through :func:`load`."""

    def __init__(self, lib: ctypes.CDLL, version: str) -> None:
        self._lib = lib
        self.version = version
        self._hosts: dict[int, weakref.ReferenceType[CApiHost]] = {}
        self._next_key = 1
        self._lock = threading.Lock()
        L = lib
        L.JS_GetVersion.restype = ctypes.c_char_p
        L.JS_GetVersion.argtypes = []
        L.JS_GetRuntime.restype = _vp
        L.JS_GetRuntime.argtypes = [_vp]
        L.JS_GetRuntimeOpaque.restype = _vp
        L.JS_GetRuntimeOpaque.argtypes = [_vp]
        L.JS_SetInterruptHandler.restype = None
        L.JS_SetInterruptHandler.argtypes = [_vp, _vp, _vp]
        L.JS_SetModuleLoaderFunc.restype = None
        L.JS_SetModuleLoaderFunc.argtypes = [_vp, _vp, _vp, _vp]
        L.JS_SetHostPromiseRejectionTracker.restype = None
        L.JS_SetHostPromiseRejectionTracker.argtypes = [_vp, _vp, _vp]
        L.js_strdup.restype = _vp
        L.js_strdup.argtypes = [_vp, ctypes.c_char_p]
        L.JS_Eval.restype = _JSValue
        L.JS_Eval.argtypes = [_vp, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int]
        L.JS_FreeValue.restype = None
        L.JS_FreeValue.argtypes = [_vp, _JSValue]
        L.JS_DupValue.restype = _JSValue
        L.JS_DupValue.argtypes = [_vp, _JSValue]
        L.JS_GetGlobalObject.restype = _JSValue
        L.JS_GetGlobalObject.argtypes = [_vp]
        L.JS_GetPropertyStr.restype = _JSValue
        L.JS_GetPropertyStr.argtypes = [_vp, _JSValue, ctypes.c_char_p]
        L.JS_DefinePropertyValueUint32.restype = ctypes.c_int
        L.JS_DefinePropertyValueUint32.argtypes = [
            _vp,
            _JSValue,
            ctypes.c_uint32,
            _JSValue,
            ctypes.c_int,
        ]
        L.JS_GetImportMeta.restype = _JSValue
        L.JS_GetImportMeta.argtypes = [_vp, _vp]
        L.JS_NewStringLen.restype = _JSValue
        L.JS_NewStringLen.argtypes = [_vp, ctypes.c_char_p, ctypes.c_size_t]
        L.JS_DefinePropertyValueStr.restype = ctypes.c_int
        L.JS_DefinePropertyValueStr.argtypes = [
            _vp,
            _JSValue,
            ctypes.c_char_p,
            _JSValue,
            ctypes.c_int,
        ]
        L.JS_ThrowReferenceError.restype = _JSValue
        L.JS_ThrowReferenceError.argtypes = [_vp, ctypes.c_char_p]
        # Callback thunks live as long as the process (runtimes may outlive any realm object).
        self._c_interrupt = _INTERRUPT(self._interrupt)
        self._c_normalize = _NORMALIZE(self._normalize)
        self._c_loader = _LOADER(self._loader)
        self._c_tracker = _TRACKER(self._tracker)

    # -- attaching -------------------------------------------------------------------------

    def handle_for(self, context: Any) -> RuntimeHandle:
        """Read and verify the native pointers of a ``quickjs.Context``.

        Raises :class:`CApiUnavailable` if the object does not have the verified layout.
        """
        head = object.__basicsize__
        expected = head + _RUNTIME_DATA_TAIL
        if type(context).__basicsize__ != expected:
            raise CApiUnavailable(
                f"quickjs.Context has size {type(context).__basicsize__}, expected {expected}:"
                " unknown binding layout"
            )
        base = id(context)
        rt = ctypes.c_void_p.from_address(base + head).value
        ctx = ctypes.c_void_p.from_address(base + head + ctypes.sizeof(ctypes.c_void_p)).value
        if not rt or not ctx:
            raise CApiUnavailable("quickjs.Context has null runtime/context pointers")
        if self._lib.JS_GetRuntime(ctx) != rt:
            raise CApiUnavailable("JS_GetRuntime(ctx) != rt: unknown binding layout")
        if self._lib.JS_GetRuntimeOpaque(rt) != base:
            raise CApiUnavailable("JS_GetRuntimeOpaque(rt) is not the Context: unknown layout")
        glob = self._lib.JS_GetGlobalObject(ctx)
        ok = glob.tag == _JS_TAG_OBJECT and glob.u != 0
        if ok:
            self._lib.JS_FreeValue(ctx, glob)
        else:
            raise CApiUnavailable("JS_GetGlobalObject returned no object: unknown JSValue ABI")
        return RuntimeHandle(rt, ctx, 0)

    def attach(self, context: Any, host: CApiHost) -> RuntimeHandle:
        """Verify ``context`` and install the interrupt handler, module loader and rejection
        tracker, all dispatching to ``host``."""
        h = self.handle_for(context)
        with self._lock:
            key = self._next_key
            self._next_key += 1
            self._hosts[key] = weakref.ref(host)
        L = self._lib
        op = ctypes.c_void_p(key)
        L.JS_SetInterruptHandler(h.rt, ctypes.cast(self._c_interrupt, _vp), op)
        L.JS_SetModuleLoaderFunc(
            h.rt, ctypes.cast(self._c_normalize, _vp), ctypes.cast(self._c_loader, _vp), op
        )
        L.JS_SetHostPromiseRejectionTracker(h.rt, ctypes.cast(self._c_tracker, _vp), op)
        return RuntimeHandle(h.rt, h.ctx, key)

    def detach(self, handle: RuntimeHandle) -> None:
        """Remove every hook installed by :meth:`attach` (call before the Context is freed)."""
        L = self._lib
        L.JS_SetInterruptHandler(handle.rt, None, None)
        L.JS_SetModuleLoaderFunc(handle.rt, None, None, None)
        L.JS_SetHostPromiseRejectionTracker(handle.rt, None, None)
        with self._lock:
            self._hosts.pop(handle.key, None)

    def _host(self, opaque: int | None) -> CApiHost | None:
        ref = self._hosts.get(opaque or 0)
        return ref() if ref is not None else None

    # -- callbacks (must never raise) --------------------------------------------------------

    def _interrupt(self, rt: int | None, opaque: int | None) -> int:
        try:
            host = self._host(opaque)
            return 1 if host is not None and host.on_interrupt() else 0
        except BaseException:  # pragma: no cover - defensive: a callback must not raise
            return 0

    def _throw_reference_error(self, ctx: int | None, message: str) -> None:
        fmt = message.replace("%", "%%").encode("utf-8", "replace")
        self._lib.JS_ThrowReferenceError(ctx, fmt)

    def _normalize(
        self, ctx: int | None, base: bytes | None, name: bytes | None, opaque: int | None
    ) -> int | None:
        spec = (name or b"").decode("utf-8", "replace")
        try:
            host = self._host(opaque)
            if host is None:
                raise ModuleLoadFailed("realm is closed")
            resolved = host.resolve_module((base or b"").decode("utf-8", "replace"), spec)
            ptr: int | None = self._lib.js_strdup(ctx, resolved.encode("utf-8"))
            return ptr  # NULL on OOM: quickjs then reports the pending exception
        except BaseException as exc:
            detail = str(exc) if isinstance(exc, ModuleLoadFailed) else f"{exc}"
            self._throw_reference_error(ctx, f"Cannot load module '{spec}': {detail}")
            return None

    def _loader(self, ctx: int | None, name: bytes | None, opaque: int | None) -> int | None:
        raw = name or b""
        try:
            host = self._host(opaque)
            if host is None:
                raise ModuleLoadFailed("realm is closed")
            src = host.module_source(raw.decode("utf-8", "replace")).encode("utf-8")
        except BaseException as exc:
            self._throw_reference_error(
                ctx, f"Cannot load module '{raw.decode('utf-8', 'replace')}': {exc}"
            )
            return None
        val = self._lib.JS_Eval(
            ctx, src, len(src), raw, _JS_EVAL_TYPE_MODULE | _JS_EVAL_FLAG_COMPILE_ONLY
        )
        if val.tag == _JS_TAG_EXCEPTION:
            return None  # SyntaxError pending, reported by the import
        ptr = int(val.u)
        # The module is referenced by the context's module list; drop our reference.
        self._lib.JS_FreeValue(ctx, val)
        self._set_import_meta_url(ctx, ptr, raw)
        return ptr

    def _set_import_meta_url(self, ctx: int | None, module: int, name: bytes) -> None:
        L = self._lib
        meta = L.JS_GetImportMeta(ctx, module)
        if meta.tag != _JS_TAG_OBJECT:
            L.JS_FreeValue(ctx, meta)  # exception or undefined: leave import.meta alone
            return
        url = L.JS_NewStringLen(ctx, name, len(name))
        L.JS_DefinePropertyValueStr(ctx, meta, b"url", url, _JS_PROP_C_W_E)  # takes `url`
        L.JS_FreeValue(ctx, meta)

    def _tracker(
        self,
        ctx: int | None,
        promise: _JSValue,
        reason: _JSValue,
        handled: bool,
        opaque: int | None,
    ) -> None:
        try:
            if self._host(opaque) is None:
                return
            L = self._lib
            glob = L.JS_GetGlobalObject(ctx)
            arr = L.JS_GetPropertyStr(ctx, glob, REJECTIONS_GLOBAL.encode())
            L.JS_FreeValue(ctx, glob)
            if arr.tag != _JS_TAG_OBJECT:
                L.JS_FreeValue(ctx, arr)
                return
            length = L.JS_GetPropertyStr(ctx, arr, b"length")
            n = int(length.u) & 0xFFFFFFFF if length.tag == _JS_TAG_INT else 0
            L.JS_FreeValue(ctx, length)
            flag = _JSValue(1 if handled else 0, _JS_TAG_BOOL)
            # JS_DefinePropertyValue* take ownership of the value: pass new references.
            L.JS_DefinePropertyValueUint32(ctx, arr, n, L.JS_DupValue(ctx, promise), _JS_PROP_C_W_E)
            L.JS_DefinePropertyValueUint32(
                ctx, arr, n + 1, L.JS_DupValue(ctx, reason), _JS_PROP_C_W_E
            )
            L.JS_DefinePropertyValueUint32(ctx, arr, n + 2, flag, _JS_PROP_C_W_E)
            L.JS_FreeValue(ctx, arr)
        except BaseException:  # pragma: no cover - defensive: a callback must not raise
            return


# RuntimeData after PyObject_HEAD: JSRuntime *, JSContext *, int has_time_limit, clock_t,
# PyThreadState *, InterruptData {clock_t, clock_t}, PythonCallableNode * (LP64).
_RUNTIME_DATA_TAIL = 8 + 8 + 8 + 8 + 8 + 16 + 8

_loaded: CApi | None = None
_load_error: str | None = None
_load_lock = threading.Lock()


def load() -> CApi:
    """The verified C API (cached), or :class:`CApiUnavailable` with the reason."""
    global _loaded, _load_error
    with _load_lock:
        if _loaded is not None:
            return _loaded
        if _load_error is not None:
            raise CApiUnavailable(_load_error)
        try:
            _loaded = _load()
        except CApiUnavailable as exc:
            _load_error = str(exc)
            raise
        return _loaded


def _load() -> CApi:
    if ctypes.sizeof(ctypes.c_void_p) != 8 or sys.maxsize < 2**62:
        raise CApiUnavailable("only 64-bit builds are supported (JSValue is NaN-boxed otherwise)")
    try:
        _quickjs = importlib.import_module("_quickjs")
    except ImportError as exc:  # pragma: no cover - the dependency is required
        raise CApiUnavailable(f"quickjs-ng binding not importable: {exc}") from exc
    path = getattr(_quickjs, "__file__", None)
    if not path:  # pragma: no cover
        raise CApiUnavailable("cannot locate the _quickjs shared library")
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:  # pragma: no cover
        raise CApiUnavailable(f"cannot open {path}: {exc}") from exc
    needed = (
        "JS_GetVersion", "JS_GetRuntime", "JS_GetRuntimeOpaque", "JS_SetInterruptHandler",
        "JS_SetModuleLoaderFunc", "JS_SetHostPromiseRejectionTracker", "js_strdup", "JS_Eval",
        "JS_FreeValue", "JS_DupValue", "JS_GetGlobalObject", "JS_GetPropertyStr",
        "JS_DefinePropertyValueUint32", "JS_ThrowReferenceError", "JS_GetImportMeta",
        "JS_NewStringLen", "JS_DefinePropertyValueStr",
    )  # fmt: skip
    missing = [n for n in needed if not hasattr(lib, n)]
    if missing:
        raise CApiUnavailable(f"_quickjs does not export {', '.join(missing)}")
    lib.JS_GetVersion.restype = ctypes.c_char_p
    raw = lib.JS_GetVersion()
    version = raw.decode() if isinstance(raw, bytes) else "?"
    if not version.startswith(SUPPORTED_VERSION_PREFIXES):
        raise CApiUnavailable(
            f"quickjs-ng library {version} is not a verified version"
            f" ({', '.join(p + 'x' for p in SUPPORTED_VERSION_PREFIXES)})"
        )
    api = CApi(lib, version)
    import quickjs

    api.handle_for(quickjs.Context())  # layout probe on a throwaway context
    return api
