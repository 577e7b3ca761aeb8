"""ctypes access to the QuickJS C API inside the quickjs-ng wheel's ``_quickjs`` library.

The binding (``quickjs.Context``) offers no module loader, no rejection tracker and a time limit
that forbids calling Python; the library it ships exports the whole C API, so this module adds:

* an interrupt handler (wall-clock time limits that still allow calls into Python),
* an ES module normalizer + loader (``JS_SetModuleLoaderFunc``; modules compiled with
  ``JS_Eval(..., JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY)`` under their real file name,
  ``import.meta.url`` set to that name),
* a host promise rejection tracker (``JS_SetHostPromiseRejectionTracker``),
* a bytecode cache for classic scripts (:class:`BytecodeCache`): a script is compiled once per
  process with ``JS_Eval(..., JS_EVAL_FLAG_COMPILE_ONLY)`` under its real file name and
  serialized with ``JS_WriteObject``; every realm then loads it with ``JS_ReadObject`` and runs
  it with ``JS_EvalFunction`` (:meth:`CApi.run_bytecode`). Bytecode is tied to the exact
  QuickJS build, so entries are keyed by ``JS_GetVersion()`` + source hash + file name + flags.

It depends on private details of the binding: the ``JSRuntime *`` and ``JSContext *`` are the
first two fields after ``PyObject_HEAD`` in ``_quickjs.Context``. :func:`load` checks everything
it relies on before any pointer is used (library version, object size, ``JS_GetRuntime(ctx) ==
rt``, ``JS_GetRuntimeOpaque(rt) == the Context object``, JSValue calling convention) and raises
:class:`CApiUnavailable` with the reason when a check fails — nothing is ever written through
an unverified pointer.

Threading/GIL: the binding releases the GIL while JS runs; ctypes callbacks re-acquire it. No
callback here runs JS code (compiling a module and defining array elements run no user code),
so the binding's own GIL bookkeeping is never disturbed.

:meth:`CApi.run_bytecode` is the one place that runs JS outside the binding. JS may call the
binding's Python callables, which re-acquire the GIL from the ``PyThreadState *`` the binding
saved in its ``RuntimeData.thread_state`` field (set by the binding's ``prepare_call_js``). A
ctypes call releases the GIL with ``PyEval_SaveThread()``, i.e. the current thread state, so
for the duration of the ``JS_EvalFunction`` call that field is set to the current thread state
(``PyThreadState_Get()``) and cleared afterwards — exactly the binding's own protocol (the field
must be NULL when entered: checked). The cyclic GC is paused for that window so that no
finalizer of a binding object can run with the field set while this thread holds the GIL.

Callbacks are process-wide singletons; the per-runtime ``opaque`` is an integer key into a
registry of :class:`CApiHost` objects held weakly, so a forgotten realm is never kept alive
and a freed host makes callbacks fail safe.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import importlib
import sys
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "REJECTIONS_GLOBAL",
    "SUPPORTED_VERSION_PREFIXES",
    "BytecodeCache",
    "BytecodeRun",
    "CApi",
    "CApiHost",
    "CApiUnavailable",
    "ModuleLoadFailed",
    "RuntimeHandle",
    "bytecode_cache",
    "load",
]

SUPPORTED_VERSION_PREFIXES: tuple[str, ...] = ("0.17.",)
"""quickjs-ng library versions whose layout and behaviour were verified."""

REJECTIONS_GLOBAL = "__wxRejectionEvents"
"""Global array (defined by the realm bootstrap) the tracker appends
``promise, reason, is_handled`` triples to."""

_JS_TAG_INT = 0
_JS_TAG_BOOL = 1
_JS_TAG_NULL = 2
_JS_TAG_UNDEFINED = 3
_JS_TAG_OBJECT = -1
_JS_TAG_EXCEPTION = 6
_JS_EVAL_TYPE_GLOBAL = 0
_JS_EVAL_TYPE_MODULE = 1
_JS_EVAL_FLAG_COMPILE_ONLY = 1 << 5
_JS_PROP_C_W_E = 7
_JS_PROP_C_W = 3
_JS_WRITE_OBJ_BYTECODE = 1 << 0
_JS_WRITE_OBJ_STRIP_SOURCE = 1 << 4
_JS_READ_OBJ_BYTECODE = 1 << 0


class CApiUnavailable(RuntimeError):
    """The binding's C API cannot be used safely (the message says why)."""


class ModuleLoadFailed(Exception):
    """Raised by a host's ``resolve_module`` to fail an import with a ReferenceError."""


class CApiHost(Protocol):
    """What a realm provides to the C callbacks. None of these may run JS."""

    def on_interrupt(self) -> bool: ...

    def resolve_module(self, base: str, name: str) -> str: ...

    def module_source(self, name: str) -> str: ...

    # Optional: ``on_rejection() -> None``, called (before the event is stored) each time the
    # rejection tracker appends to the host's ``REJECTIONS_GLOBAL`` array, so that the host
    # can skip looking at an array it knows to be empty.


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


@dataclass(frozen=True)
class BytecodeRun:
    """The outcome of :meth:`CApi.run_bytecode`.

    ``kind`` is ``"value"`` (``value`` holds the completion value, a primitive: ``None``, a
    ``bool`` or an ``int``), ``"stashed"`` (the completion value was stored, owned, as the
    global property ``out_name``), ``"thrown"`` (the script threw; the thrown value is stored
    as the global property ``err_name``) or ``"unreadable"`` (``JS_ReadObject`` failed, e.g.
    out of memory: nothing ran, no exception is left pending).
    """

    kind: str
    value: int | bool | None = None


class BytecodeCache:
    """Bytecode of classic scripts, shared by every realm of a process (thread-safe).

    Keys are ``(JS_GetVersion(), file name, sha256(source), keep_source)``; values the
    ``JS_WriteObject`` output. At most ``max_bytes`` are kept (least recently used first out).
    ``hits``/``misses`` count look-ups.
    """

    def __init__(self, max_bytes: int = 64 * 2**20) -> None:
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[tuple[str, str, str, bool], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(
        version: str, source: str, filename: str, keep_source: bool
    ) -> tuple[str, str, str, bool]:
        digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        return (version, filename, digest, keep_source)

    def get(self, key: tuple[str, str, str, bool]) -> bytes | None:
        with self._lock:
            data = self._data.get(key)
            if data is None:
                self.misses += 1
                return None
            self.hits += 1
            self._data.move_to_end(key)
            return data

    def put(self, key: tuple[str, str, str, bool], data: bytes) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._data[key] = data
            self._size += len(data)
            while self._size > self.max_bytes and len(self._data) > 1:
                _, dropped = self._data.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def size(self) -> int:
        """Bytes of bytecode held."""
        return self._size


_default_cache = BytecodeCache()


def bytecode_cache() -> BytecodeCache:
    """The process-wide :class:`BytecodeCache`."""
    return _default_cache


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
        L.JS_WriteObject.restype = _vp
        L.JS_WriteObject.argtypes = [_vp, ctypes.POINTER(ctypes.c_size_t), _JSValue, ctypes.c_int]
        L.JS_ReadObject.restype = _JSValue
        L.JS_ReadObject.argtypes = [_vp, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
        L.JS_EvalFunction.restype = _JSValue
        L.JS_EvalFunction.argtypes = [_vp, _JSValue]
        L.JS_GetException.restype = _JSValue
        L.JS_GetException.argtypes = [_vp]
        L.JS_UpdateStackTop.restype = None
        L.JS_UpdateStackTop.argtypes = [_vp]
        L.js_free.restype = None
        L.js_free.argtypes = [_vp, _vp]
        self._thread_state_get = ctypes.pythonapi.PyThreadState_Get
        self._thread_state_get.restype = _vp
        self._thread_state_get.argtypes = []
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
        if ctypes.c_void_p.from_address(base + head + _THREAD_STATE_OFFSET).value:
            raise CApiUnavailable("binding thread state set while idle: unknown binding layout")
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

    # -- bytecode --------------------------------------------------------------------------

    def compile_script(
        self, handle: RuntimeHandle, source: str, filename: str, *, keep_source: bool = True
    ) -> bytes | None:
        """Compile ``source`` as a classic script named ``filename`` (line 1 = line 1) in the
        context of ``handle`` and return its bytecode, or ``None`` when it does not compile
        (the pending exception is cleared; run it the ordinary way to get the error). Runs no
        JS. ``keep_source=False`` drops the function source texts (``String(fn)`` then shows
        ``[native code]``, as for browser built-ins); line/column information is kept."""
        L = self._lib
        ctx = handle.ctx
        src = source.encode("utf-8")
        val = L.JS_Eval(
            ctx, src, len(src), filename.encode("utf-8"),
            _JS_EVAL_TYPE_GLOBAL | _JS_EVAL_FLAG_COMPILE_ONLY,
        )  # fmt: skip
        if val.tag == _JS_TAG_EXCEPTION:
            L.JS_FreeValue(ctx, L.JS_GetException(ctx))
            return None
        flags = _JS_WRITE_OBJ_BYTECODE | (0 if keep_source else _JS_WRITE_OBJ_STRIP_SOURCE)
        size = ctypes.c_size_t(0)
        buf = L.JS_WriteObject(ctx, ctypes.byref(size), val, flags)
        L.JS_FreeValue(ctx, val)
        if not buf:
            L.JS_FreeValue(ctx, L.JS_GetException(ctx))
            return None
        try:
            return ctypes.string_at(buf, size.value)
        finally:
            L.js_free(ctx, buf)

    def run_bytecode(
        self, context: Any, handle: RuntimeHandle, data: bytes, out_name: str, err_name: str
    ) -> BytecodeRun:
        """Load ``data`` (from :meth:`compile_script`) into ``context`` and run it.

        ``context`` is the ``quickjs.Context`` that ``handle`` belongs to. May run any JS,
        including calls into the binding's Python callables. Must not be called while the
        binding itself is inside a JS call on this thread *without* having called back into
        Python (that is: call it from plain Python code, or from a Python callable)."""
        L = self._lib
        ctx = handle.ctx
        fn = L.JS_ReadObject(ctx, data, len(data), _JS_READ_OBJ_BYTECODE)
        if fn.tag == _JS_TAG_EXCEPTION:
            L.JS_FreeValue(ctx, L.JS_GetException(ctx))
            return BytecodeRun("unreadable")
        slot = ctypes.c_void_p.from_address(
            id(context) + object.__basicsize__ + _THREAD_STATE_OFFSET
        )
        if slot.value:
            L.JS_FreeValue(ctx, fn)
            raise CApiUnavailable("binding thread state is set: cannot run bytecode here")
        tstate = self._thread_state_get()
        rt = handle.rt
        gc_enabled = gc.isenabled()
        gc.disable()
        slot.value = tstate
        try:
            L.JS_UpdateStackTop(rt)
            res = L.JS_EvalFunction(ctx, fn)  # takes `fn`; releases the GIL (ctypes)
        finally:
            slot.value = None
            if gc_enabled:
                gc.enable()
        tag = res.tag
        if tag == _JS_TAG_EXCEPTION:
            exc = L.JS_GetException(ctx)
            self._stash(ctx, err_name, exc)
            return BytecodeRun("thrown")
        if tag in (_JS_TAG_UNDEFINED, _JS_TAG_NULL):
            return BytecodeRun("value", None)
        if tag == _JS_TAG_BOOL:
            return BytecodeRun("value", bool(res.u & 0xFFFFFFFF))
        if tag == _JS_TAG_INT:
            n = int(res.u) & 0xFFFFFFFF
            return BytecodeRun("value", n - (1 << 32) if n & 0x80000000 else n)
        self._stash(ctx, out_name, res)
        return BytecodeRun("stashed")

    def _stash(self, ctx: int, name: str, value: _JSValue) -> None:
        """Define global ``name`` = ``value`` (configurable, writable; takes ``value``)."""
        L = self._lib
        glob = L.JS_GetGlobalObject(ctx)
        if L.JS_DefinePropertyValueStr(ctx, glob, name.encode(), value, _JS_PROP_C_W) < 0:
            L.JS_FreeValue(ctx, L.JS_GetException(ctx))
        L.JS_FreeValue(ctx, glob)

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
            host = self._host(opaque)
            if host is None:
                return
            notify = getattr(host, "on_rejection", None)
            if notify is not None:
                notify()  # before the event is stored: a failure below is still looked at
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
_THREAD_STATE_OFFSET = 8 + 8 + 8 + 8
"""Offset of ``RuntimeData.thread_state`` after ``PyObject_HEAD``."""

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
        "JS_NewStringLen", "JS_DefinePropertyValueStr", "JS_WriteObject", "JS_ReadObject",
        "JS_EvalFunction", "JS_GetException", "JS_UpdateStackTop", "js_free",
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
