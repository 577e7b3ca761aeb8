"""The quickjs-ng implementation of :mod:`webext_runtime._bridge.engine`.

How the binding's gaps are closed (see ``ENGINES.md``):

* **Data and errors** — only JSON-able values cross. Every exposed Python callable is wrapped
  so it never raises: primitives are returned as they are, containers as a JS object
  ``{v: ...}`` built with ``JSON.parse``, and a Python exception as ``{e: {name, message}}``;
  a JS shim (the function JS actually sees) unwraps the result or throws a real JS error.
  Calls from Python go through a JS trampoline that catches and describes errors the same way.
* **File names in stacks** — each classic script gets its own band of line numbers (it is
  prefixed with newlines so that it starts right after the previous band) and an
  ``Error.prepareStackTrace`` maps ``<input>:line`` back to ``(file, line)``, formats a V8-like
  ``stack`` (``"TypeError: m\\n    at fn (background.js:3:16)"``) and hides the runtime's own
  frames. Uncaught errors from a script are matched with the last error that went through the
  formatter to recover name/message/file/line exactly.
* **Modules, time limit, rejection tracker** — :mod:`._qjs_capi` (ctypes, layout verified at
  start-up). Without it, realms still work but ``eval_module`` raises
  :class:`~webext_runtime._bridge.engine.EngineUnsupported` and time limits are not enforced
  (``Realm.limits_enforced`` is ``False``); the binding's own time limit cannot be used because
  it forbids every call into Python.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import quickjs

from webext_runtime._bridge import _qjs_capi, error_text
from webext_runtime._bridge.engine import (
    EngineUnsupported,
    JSError,
    ModuleLoader,
    RealmClosed,
    ScriptOutOfMemory,
    ScriptTimeout,
)

__all__ = ["QuickJSEngine", "QuickJSRealm"]

_QObject = quickjs.Object
_JSException = quickjs.JSException
_DIRECT: frozenset[type] = frozenset({int, float, bool, type(None)})
_monotonic = time.monotonic
_dumps = json.dumps
_loads = json.loads
_INTERNAL_FILE = "<webext-runtime>"
#: eval_script_cached's sources by cache key, shared by realms (for error_text)
_SOURCE_POOL: dict[tuple[str, str, str, bool], str] = {}
_SOURCE_POOL_MAX = 4096
_INT32_MIN = -(2**31)
_INT32_MAX = 2**31 - 1

# The realm bootstrap. Runs first (lines 1..N, an internal band). Defines the stack formatter,
# the call trampoline, the shim installer, the module entry helper and the rejection queue,
# publishes them under temporary globals that Python picks up and deletes.
_BOOTSTRAP = r"""(function () {
'use strict';
const G = globalThis;
const defineProperty = Object.defineProperty;
const hasOwn = Object.prototype.hasOwnProperty;
const stringify = JSON.stringify;
const ErrorCtor = Error;
const captureStackTrace = Error.captureStackTrace;
const starts = [];
const bands = [];
const errInfo = new WeakMap();
let lastErr = null;
// Python's error_text.browser_message(message, file, line, column): the browser's wording
// for the engine's own terse TypeErrors (taken from a global the realm set before this ran)
const browserText = G.__wxErrText;
delete G.__wxErrText;
const TypeErrorProto = TypeError.prototype;
const getPrototypeOf = Object.getPrototypeOf;

function addBand(start, end, file, internal) {
  starts.push(start);
  bands.push({ start, end, file, internal });
}
addBand(1, __SELF_END__, '__INTERNAL__', true);

function findBand(line) {
  let lo = 0, hi = starts.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= line) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
  }
  if (found < 0) return null;
  const b = bands[found];
  return line < b.end ? b : null;
}

function headerOf(err) {
  try { return String(err); } catch (e) { return 'Error'; }
}

// Indirect eval that remembers its source while it runs (evaluate() of code given from
// Python): frames of eval code are "<input>" with lines counted from the eval'd source, and
// the only "<input>" lines outside a script's band are this bootstrap's, which throws no
// engine TypeErrors itself. When the code gives a promise, the source is kept until it
// settles (its async continuations); then forgotten, so that a script's own eval() later is
// not read against it.
let evalSource = null;
let evalToken = null;
const indirectEval = eval;
function evaluate(src) {
  const token = {};
  evalSource = src;
  evalToken = token;
  const forget = () => { if (evalToken === token) { evalSource = null; evalToken = null; } };
  let value;
  try {
    value = indirectEval(src);
  } catch (e) {
    forget();
    throw e;
  }
  let then = null;
  try {
    if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
      then = value.then;
    }
  } catch (e) { then = null; }
  if (typeof then === 'function') {
    try { Promise.resolve(value).then(forget, forget); } catch (e) { forget(); }
  } else {
    forget();
  }
  return value;
}
defineProperty(G, '__wxEval', { value: evaluate });

function rewrite(err, c) {
  // an engine-thrown TypeError (a plain instance, thrown by bytecode: the top frame is not
  // native) in a script whose source Python has; the message is checked there
  let file, line, src = null;
  try {
    if (c.isNative()) return;
    file = c.getFileName(); line = c.getLineNumber();
    if (file === '<input>') {
      const b = findBand(line);
      if (b !== null && !b.internal) {
        file = b.file;
        line = line - b.start + 1;
      } else if (evalSource !== null) {
        src = evalSource;
      } else {
        return;
      }
    }
    const m = err.message;
    if (typeof m !== 'string' || m.length > 300) return;
    if (m !== 'not a function' && m !== 'not a constructor' && !m.startsWith('cannot ') &&
        !m.endsWith(' is read-only')) return;
    const t = browserText(m, file, line, c.getColumnNumber(), src);
    if (typeof t === 'string') err.message = t;
  } catch (e) { /* keep the engine's text */ }
}

// The stack text each error got when it was made: QuickJS formats an error's stack again
// each time it is thrown again (`throw e`, `finally`); V8 keeps the first one, and so the
// error's message (rewrite) and first frame (errInfo) stay those of the first throw.
const stacks = new WeakMap();

function prepare(err, callsites) {
  const isObject = err !== null && typeof err === 'object';
  if (isObject) {
    let first;
    try { first = stacks.get(err); } catch (e) { first = undefined; }
    if (first !== undefined) {
      lastErr = err;
      return first;
    }
  }
  // (checked here, not in rewrite(): when memory runs out this must allocate nothing more)
  if (callsites.length > 0 && isObject && getPrototypeOf(err) === TypeErrorProto) {
    rewrite(err, callsites[0]);
  }
  let out = headerOf(err);
  let first = null;
  for (let i = 0; i < callsites.length; i++) {
    const c = callsites[i];
    let file = null, line = null, col = null, fn = null, native = false;
    try {
      file = c.getFileName(); line = c.getLineNumber(); col = c.getColumnNumber();
      fn = c.getFunctionName(); native = c.isNative();
    } catch (e) { continue; }
    if (file === '<input>' && typeof line === 'number') {
      const b = findBand(line);
      if (b !== null) {
        if (b.internal) continue;
        file = b.file;
        line = line - b.start + 1;
      }
    }
    let loc;
    if (native) loc = 'native';
    else if (file === null || file === undefined) loc = '<anonymous>';
    else loc = file + ':' + line + ':' + col;
    const named = fn && fn !== '<eval>' && fn !== '<anonymous>';
    out += '\n    at ' + (named ? fn + ' (' + loc + ')' : loc);
    if (first === null && !native && file !== null && file !== undefined) {
      first = { file, line, column: col };
    }
  }
  if (isObject) {
    try { errInfo.set(err, first); stacks.set(err, out); } catch (e) { /* frozen or exotic */ }
    lastErr = err;
  }
  return out;
}
Error.prepareStackTrace = prepare;

function isError(v) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return false;
  try { return v instanceof ErrorCtor || errInfo.has(v); } catch (e) { return false; }
}

function describe(v) {
  if (isError(v)) {
    let name = 'Error', message = '', stack = '';
    try { name = String(v.name); } catch (e) {}
    try { message = String(v.message); } catch (e) {}
    try { const s = v.stack; if (typeof s === 'string') stack = s; } catch (e) {}
    const f = errInfo.get(v);
    return { name, message, stack, file: f ? f.file : null, line: f ? f.line : null,
             column: f ? f.column : null };
  }
  let message;
  try { message = String(v); } catch (e) {
    try { message = Object.prototype.toString.call(v); } catch (e2) { message = '?'; }
  }
  return { name: '', message, stack: '', file: null, line: null, column: null };
}

function lastError(text) {
  const e = lastErr;
  lastErr = null;
  if (e === null) return null;
  try {
    if (String(e) + '\n' + e.stack !== text) return null;
    return stringify(describe(e));
  } catch (x) { return null; }
}

// Calls from Python. Rest parameters and spreading cost ~0.4 us each in QuickJS, so there is
// one trampoline per argument count (the callee still sees exactly the arguments passed);
// `call` takes the function by global name; `bindFn` makes one for a function Python holds.
function result(r) {
  const t = typeof r;
  if (t === 'object' && r !== null) return { v: r };
  if (t === 'function' || t === 'symbol') return undefined;
  return wf(r);
}
function lookup(name) {
  const f = G[name];
  if (typeof f !== 'function') throw new TypeError(String(name) + ' is not a function');
  return f;
}
function call(name, ...args) {
  try { return result(lookup(name)(...args)); } catch (e) { return { e: describe(e) }; }
}
function call0(name) {
  try { return result(lookup(name)()); } catch (e) { return { e: describe(e) }; }
}
function call1(name, a) {
  try { return result(lookup(name)(a)); } catch (e) { return { e: describe(e) }; }
}
function call2(name, a, b) {
  try { return result(lookup(name)(a, b)); } catch (e) { return { e: describe(e) }; }
}
function call3(name, a, b, c) {
  try { return result(lookup(name)(a, b, c)); } catch (e) { return { e: describe(e) }; }
}
function call4(name, a, b, c, d) {
  try { return result(lookup(name)(a, b, c, d)); } catch (e) { return { e: describe(e) }; }
}
// A trampoline bound to function `f` for calls with `n` arguments (a closure is cheaper than
// passing `f` along; undefined, the usual result, returns at once).
function bindFn(f, n) {
  switch (n) {
    case 0: return function () {
      try { const r = f(); return r === undefined ? r : result(r); }
      catch (e) { return { e: describe(e) }; }
    };
    case 1: return function (a) {
      try { const r = f(a); return r === undefined ? r : result(r); }
      catch (e) { return { e: describe(e) }; }
    };
    case 2: return function (a, b) {
      try { const r = f(a, b); return r === undefined ? r : result(r); }
      catch (e) { return { e: describe(e) }; }
    };
    case 3: return function (a, b, c) {
      try { const r = f(a, b, c); return r === undefined ? r : result(r); }
      catch (e) { return { e: describe(e) }; }
    };
    case 4: return function (a, b, c, d) {
      try { const r = f(a, b, c, d); return r === undefined ? r : result(r); }
      catch (e) { return { e: describe(e) }; }
    };
    default: return function (...args) {
      try { return result(f(...args)); } catch (e) { return { e: describe(e) }; }
    };
  }
}
function getFunction(name) {
  try { const f = G[name]; return typeof f === 'function' ? f : null; } catch (e) { return null; }
}

const ctors = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };
if (typeof InternalError === 'function') ctors.InternalError = InternalError;
if (typeof AggregateError === 'function') ctors.AggregateError = AggregateError;

function raise(d) {
  const name = String(d.name);
  const C = hasOwn.call(ctors, name) ? ctors[name] : Error;
  const err = new C(String(d.message));
  if (C === Error && name !== 'Error') {
    defineProperty(err, 'name', { value: name, writable: true, configurable: true });
    stacks.delete(err);  // formatted again below, with the name
    if (typeof captureStackTrace === 'function') captureStackTrace(err);
  }
  throw err;
}

// The binding cannot convert strings with lone surrogates (it would leave a Python error
// set): such strings cross as well-formed ones (lone surrogates become U+FFFD).
const isWellFormed = String.prototype.isWellFormed;
const toWellFormed = String.prototype.toWellFormed;
function wf(x) {
  return typeof x === 'string' && !isWellFormed.call(x) ? toWellFormed.call(x) : x;
}

function unwrap(r) {
  if (typeof r === 'object' && r !== null) {
    if (r.e !== undefined) raise(r.e);
    return r.v;
  }
  return r;
}
function install(name, rawName, arity) {
  const raw = G[rawName];
  delete G[rawName];
  let shim;
  // Rest parameters + a switch: materialising `arguments` or spreading costs ~0.5 us. With a
  // fixed arity the shim has plain parameters (cheapest; always passes `arity` arguments).
  switch (arity) {
    case 0: shim = function () { return unwrap(raw()); }; break;
    case 1: shim = function (a) { return unwrap(raw(wf(a))); }; break;
    case 2: shim = function (a, b) { return unwrap(raw(wf(a), wf(b))); }; break;
    case 3: shim = function (a, b, c) { return unwrap(raw(wf(a), wf(b), wf(c))); }; break;
    case 4:
      shim = function (a, b, c, d) { return unwrap(raw(wf(a), wf(b), wf(c), wf(d))); };
      break;
    default:
      shim = function (...a) {
        let r;
        switch (a.length) {
          case 0: r = raw(); break;
          case 1: r = raw(wf(a[0])); break;
          case 2: r = raw(wf(a[0]), wf(a[1])); break;
          case 3: r = raw(wf(a[0]), wf(a[1]), wf(a[2])); break;
          default: r = raw(...a.map(wf));
        }
        return unwrap(r);
      };
  }
  defineProperty(shim, 'name', { value: name });
  G[name] = shim;
}

let nextEntry = 1;
const entries = new Map();
function importEntry(name) {
  const id = nextEntry++;
  const st = { done: false, e: null };
  entries.set(id, st);
  import(name).then(() => { st.done = true; }, (e) => { st.done = true; st.e = describe(e); });
  return id;
}
function entryResult(id) {
  const st = entries.get(id);
  if (st === undefined || !st.done) return null;
  entries.delete(id);
  return stringify({ e: st.e });
}
function dropEntry(id) { entries.delete(id); }

const rejEvents = [];
defineProperty(G, '__REJECTIONS__', { value: rejEvents });
const pending = new Map();
// Promises reported as unhandled: a handler added later makes the hook hear of it again.
const reported = new WeakSet();
// What is being notified, one item per takeRejections() call so that the host runs the
// listeners' jobs in between (HTML "notify about rejected promises": each event is its own
// callback, with a microtask checkpoint after it): [kind, promise, reason].
const batch = [];
// The realm's hook (a global the runtime defines, if it does):
// __wxRejectionHook(kind, promise, reason) with kind "unhandled" (return true when the
// rejection was dealt with: the browser's unhandledrejection event was cancelled) or
// "handled" (a reported rejection got its handler: rejectionhandled).
function hook() {
  const h = G.__wxRejectionHook;
  return typeof h === 'function' ? h : null;
}
// One rejection to report: null when there is none; '{}' when one was dealt with (a
// listener cancelled it, or a rejectionhandled was fired); '{"e": description}' to report.
function takeRejections() {
  const n = rejEvents.length;
  const h = hook();
  for (let i = 0; i + 2 < n; i += 3) {
    const p = rejEvents[i];
    if (rejEvents[i + 2]) {
      if (pending.delete(p)) continue;
      const at = batch.findIndex((b) => b[1] === p);
      if (at >= 0) batch.splice(at, 1);
      else if (h !== null && reported.has(p)) {
        reported.delete(p);
        batch.push(['handled', p, rejEvents[i + 1]]);
      }
    } else {
      pending.set(p, rejEvents[i + 1]);
    }
  }
  rejEvents.length = 0;
  if (batch.length === 0) {
    for (const [p, r] of pending) batch.push(['unhandled', p, r]);
    pending.clear();
  }
  if (batch.length === 0) return null;
  const [kind, p, r] = batch.shift();
  if (kind === 'handled') {
    if (h !== null) { try { h('handled', p, r); } catch (e) { /* a broken hook */ } }
    return '{}';
  }
  if (h !== null) {
    const seenBefore = rejEvents.length;
    let quiet = false;
    try { quiet = h('unhandled', p, r) === true; } catch (e) { /* a broken hook */ }
    // a handler attached by the listener itself brings no rejectionhandled later
    let handledInHook = false;
    for (let i = seenBefore; i + 2 < rejEvents.length; i += 3) {
      if (rejEvents[i] === p && rejEvents[i + 2]) handledInHook = true;
    }
    if (!handledInHook && typeof p === 'object' && p !== null) reported.add(p);
    if (quiet) return '{}';
  }
  return stringify({ e: describe(r) });
}

G.__wxAddBand = addBand;
G.__wxLastError = lastError;
G.__wxCall = call;
G.__wxCall0 = call0;
G.__wxCall1 = call1;
G.__wxCall2 = call2;
G.__wxCall3 = call3;
G.__wxCall4 = call4;
G.__wxBindFn = bindFn;
G.__wxGetFunction = getFunction;
G.__wxInstall = install;
G.__wxImportEntry = importEntry;
G.__wxEntryResult = entryResult;
G.__wxDropEntry = dropEntry;
G.__wxTakeRejections = takeRejections;
})();
"""
_INTERNAL_GLOBALS = (
    "__wxAddBand",
    "__wxLastError",
    "__wxCall",
    *(f"__wxCall{n}" for n in range(5)),
    "__wxBindFn",
    "__wxGetFunction",
    "__wxInstall",
    "__wxImportEntry",
    "__wxEntryResult",
    "__wxDropEntry",
    "__wxTakeRejections",
)
_CACHED_OUT = "__wxCachedOut"
_CACHED_ERR = "__wxCachedErr"
_BOOT_LINES = _BOOTSTRAP.count("\n") + 1
_BOOTSTRAP_SRC = (
    _BOOTSTRAP.replace("__SELF_END__", str(_BOOT_LINES + 1))
    .replace("__INTERNAL__", _INTERNAL_FILE)
    .replace("__REJECTIONS__", _qjs_capi.REJECTIONS_GLOBAL)
)

# Defined in a realm on first need by eval_script_cached (a completion value that is not a
# primitive, or a thrown value): the C side leaves it as a global; this takes it. A thrown value
# is not re-thrown (a throw re-captures the stack) but returned as the binding's exception text
# ("String(e)\n" + e.stack), which then goes through the usual error conversion. Kept out of
# the bootstrap so realms that never need it do not carry it.
_TAKE_CACHED_SRC = r"""(function () {
'use strict';
const G = globalThis;
const isWellFormed = String.prototype.isWellFormed;
const toWellFormed = String.prototype.toWellFormed;
G.__wxTakeCached = function (thrown) {
  if (thrown) {
    const e = G['__CACHED_ERR__'];
    delete G['__CACHED_ERR__'];
    let head, stack = '';
    try { head = String(e); } catch (x) { head = '?'; }
    if (e !== null && e !== undefined) {
      try { stack = String(e.stack); } catch (x) { stack = ''; }
    }
    return head + '\n' + stack;
  }
  const v = G['__CACHED_OUT__'];
  delete G['__CACHED_OUT__'];
  const t = typeof v;
  if (t === 'function' || t === 'symbol') return undefined;
  return t === 'string' && !isWellFormed.call(v) ? toWellFormed.call(v) : v;
};
})();
""".replace("__CACHED_OUT__", _CACHED_OUT).replace("__CACHED_ERR__", _CACHED_ERR)

_HEAD_RE = re.compile(r"([A-Za-z_$][\w$]*)(?:: (.*))?", re.DOTALL)


def _error_from_desc(d: dict[str, Any]) -> JSError:
    name = str(d.get("name") or "")
    message = str(d.get("message") or "")
    cls: type[JSError] = JSError
    if name == "InternalError" and message == "out of memory":
        cls = ScriptOutOfMemory
    line = d.get("line")
    column = d.get("column")
    file = d.get("file")
    return cls(
        name,
        message,
        str(d.get("stack") or ""),
        str(file) if file is not None else None,
        int(line) if isinstance(line, int | float) else None,
        int(column) if isinstance(column, int | float) else None,
    )


def _parse_exception_text(text: str) -> dict[str, Any]:
    """Fallback: turn the binding's ``"<String(e)>\\n<e.stack>"`` text into a description."""
    if text.endswith("\nundefined"):
        return {"name": "", "message": text[: -len("\nundefined")], "stack": ""}
    head, _, rest = text.partition("\n")
    m = _HEAD_RE.fullmatch(head)
    if m and (m.group(2) is not None or m.group(1).endswith("Error")):
        name, message = m.group(1), m.group(2) or ""
    else:
        name, message = "", head
    stack = rest if rest.startswith(head) else head + "\n" + rest
    d: dict[str, Any] = {"name": name, "message": message, "stack": stack.rstrip("\n")}
    fm = re.search(r"\n    at (?:[^\n(]*\()?([^\n()]+):(\d+):(\d+)\)?", "\n" + rest)
    if fm:
        d.update(file=fm.group(1), line=int(fm.group(2)), column=int(fm.group(3)))
    return d


def _py_error_desc(exc: BaseException) -> dict[str, str]:
    name = getattr(exc, "js_name", None)
    message = getattr(exc, "message", None)
    if not isinstance(message, str):
        message = str(exc)
    if not isinstance(name, str) or not name:
        name = "Error"
    return {"name": name, "message": message}


class QuickJSRealm:
    """A realm on its own quickjs-ng runtime. See :mod:`webext_runtime._bridge.engine`."""

    def __init__(
        self,
        label: str,
        *,
        time_limit: float = 1.0,
        memory_limit: int = 64 * 2**20,
        bytecode_cache: _qjs_capi.BytecodeCache | None = None,
        error_style: str = error_text.V8,
    ):
        if error_style not in error_text.STYLES:
            raise ValueError(f"error_style must be one of {error_text.STYLES}, not {error_style!r}")
        self.label = label
        self.error_style = error_style
        #: file name -> source of the scripts and modules run here, for error_text
        self._sources: dict[str, str] | None = None
        self._bytecode_cache = (
            bytecode_cache if bytecode_cache is not None else _qjs_capi.bytecode_cache()
        )
        self.time_limit = float(time_limit)
        self.memory_limit = int(memory_limit)
        self._ctx: Any = quickjs.Context()
        self._depth = 0
        self._deadline = 0.0
        self._interrupted = False
        self._closed = False
        self._close_pending = False
        self._errors: list[JSError] = []
        self._loader: ModuleLoader | None = None
        self._entry_sources: dict[str, str] = {}
        self._module_sources: dict[str, str] = {}
        self._next_line = _BOOT_LINES + 1
        self._raw_counter = 0
        self._last_py_exc: BaseException | None = None
        #: set by the rejection tracker: __wxTakeRejections has something to look at
        self._rejections_dirty = False
        self._handle: _qjs_capi.RuntimeHandle | None = None
        self._capi: _qjs_capi.CApi | None = None
        self.capi_error: str | None = None
        try:
            self._capi = _qjs_capi.load()
            self._handle = self._capi.attach(self._ctx, self)
        except _qjs_capi.CApiUnavailable as exc:
            self._capi = None
            self.capi_error = str(exc)
        self.limits_enforced = self._handle is not None
        self._ctx.set_memory_limit(self.memory_limit)
        self._ctx.add_callable("__wxErrText", self._browser_text)
        self._ctx.eval(_BOOTSTRAP_SRC)
        get = self._ctx.get
        self._f_add_band = get("__wxAddBand")
        self._f_last_error = get("__wxLastError")
        self._f_call = get("__wxCall")
        self._f_calls: tuple[Any, ...] = tuple(get(f"__wxCall{n}") for n in range(5))
        self._f_bind_fn = get("__wxBindFn")
        self._f_get_function = get("__wxGetFunction")
        self._functions: dict[tuple[str, bool], Callable[..., Any]] = {}
        self._held: list[list[Any]] = []
        self._f_install = get("__wxInstall")
        self._f_import_entry = get("__wxImportEntry")
        self._f_entry_result = get("__wxEntryResult")
        self._f_drop_entry = get("__wxDropEntry")
        self._f_take_rejections = get("__wxTakeRejections")
        self._f_take_cached: Any = None
        self._ctx.eval(";".join(f"delete globalThis.{n}" for n in _INTERNAL_GLOBALS))

    # -- entry bookkeeping ---------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    def _enter(self) -> None:
        if self._closed:
            raise RealmClosed(f"realm {self.label!r} is closed")
        if self._depth == 0:
            self._deadline = _monotonic() + self.time_limit
            self._interrupted = False
        self._depth += 1

    def _leave(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._module_sources.clear()
            if self._close_pending:
                self._finish_close()

    # -- _qjs_capi.CApiHost ----------------------------------------------------------------

    def on_interrupt(self) -> bool:
        if self._depth > 0 and _monotonic() > self._deadline:
            self._interrupted = True
            return True
        return False

    def resolve_module(self, base: str, name: str) -> str:
        if base == "<input>":
            if name in self._entry_sources:
                self._module_sources[name] = self._entry_sources.pop(name)
                return name
            base = ""
        if self._loader is None:
            raise _qjs_capi.ModuleLoadFailed("no module loader is set")
        try:
            resolved, source = self._loader(name, base)
        except Exception as exc:
            where = f" imported from {base}" if base else ""
            raise _qjs_capi.ModuleLoadFailed(f"{type(exc).__name__}: {exc}{where}") from exc
        self._module_sources[resolved] = source
        return resolved

    def module_source(self, name: str) -> str:
        try:
            source = self._module_sources.pop(name)
        except KeyError:
            raise _qjs_capi.ModuleLoadFailed("source not available") from None
        self._remember_source(name, source)
        return source

    # -- the browsers' error texts (error_text) ----------------------------------------------

    def _remember_source(self, filename: str, source: str) -> None:
        if self._sources is None:
            self._sources = {}
        self._sources[filename] = source

    def _browser_text(
        self, message: Any, file: Any, line: Any, column: Any, source: Any
    ) -> str | None:
        """Called from the stack formatter for an engine-thrown TypeError (``source`` is the
        code being eval'd, else ``None``); never raises."""
        try:
            if not isinstance(message, str) or not error_text.may_rewrite(message):
                return None
            if not isinstance(source, str):
                sources = self._sources
                source = sources.get(file) if sources and isinstance(file, str) else None
            return error_text.browser_message(
                self.error_style, message, source, int(line), int(column)
            )
        except Exception:  # a formatter problem must never change what the script sees
            return None

    # -- error conversion ------------------------------------------------------------------

    def _convert_exception(self, exc: Exception) -> JSError:
        text = str(exc)
        if self._interrupted:
            return ScriptTimeout("InternalError", "interrupted", text)
        if self._is_out_of_memory(text):
            return ScriptOutOfMemory("InternalError", "out of memory", text)
        try:
            found = self._f_last_error(text)
        except Exception:
            found = None
        d = _loads(found) if isinstance(found, str) else _parse_exception_text(text)
        return self._chain(_error_from_desc(d))

    def _rethrow(self, exc: Exception) -> JSError:
        """The JSError for ``exc``, ready to raise (keeps an original Python ``__cause__``)."""
        err = self._convert_exception(exc)
        err.__suppress_context__ = True
        return err

    def _is_out_of_memory(self, text: str) -> bool:
        first = text.partition("\n")[0]
        if first in ("out of memory", "InternalError: out of memory"):
            return True
        # quickjs throws null, or an InternalError it could not give a message, when it runs
        # out of memory while throwing
        if first in ("null", "InternalError"):
            try:
                return self.memory_usage() > self.memory_limit * 0.9
            except Exception:
                return False
        return False

    def _chain(self, err: JSError) -> JSError:
        py = self._last_py_exc
        if py is not None:
            self._last_py_exc = None
            pd = _py_error_desc(py)
            if pd["message"] == err.message and pd["name"] == err.name:
                err.__cause__ = py
        if self._interrupted and not isinstance(err, ScriptTimeout):
            return ScriptTimeout("InternalError", "interrupted", err.stack)
        return err

    def _to_python(self, value: Any) -> Any:
        if type(value) is _QObject:
            try:
                text = value.json()
            except _JSException as exc:
                err = self._rethrow(exc)
                raise err from err.__cause__
            return None if text is None else _loads(text)
        return value

    def _to_js(self, value: Any) -> Any:
        if type(value) in _DIRECT:
            if type(value) is int and not _INT32_MIN <= value <= _INT32_MAX:
                return float(value)  # the binding would truncate it to 32 bits
            return value
        if type(value) is str:
            if value.isascii():
                return value
            try:
                value.encode("utf-8")
                return value
            except UnicodeEncodeError:
                pass
        return self._ctx.parse_json(_dumps(value))

    # -- Realm API -------------------------------------------------------------------------

    def eval_script(self, source: str, filename: str) -> Any:
        self._enter()
        try:
            start = self._next_line
            end = start + source.count("\n") + 1
            self._next_line = end + 1
            self._f_add_band(start, end, filename, False)
            self._remember_source(filename, source)
            code = "\n" * (start - 1) + source
            try:
                value = self._ctx.eval(code)
            except _JSException as exc:
                err = self._rethrow(exc)
                raise err from err.__cause__
            except UnicodeDecodeError as exc:  # completion value with a lone surrogate
                raise JSError(
                    "TypeError", f"completion value not representable: {exc}", "", filename
                ) from exc
            except (ValueError, UnicodeError) as exc:  # NUL character, lone surrogate
                raise JSError("SyntaxError", f"invalid source text: {exc}", "", filename) from exc
            return self._to_python(value)
        finally:
            self._leave()

    def eval_script_cached(self, source: str, filename: str, *, keep_source: bool = True) -> Any:
        """:meth:`eval_script` through the process-wide bytecode cache.

        The first call for a ``(source, filename, keep_source)`` compiles it once
        (``JS_Eval`` compile-only + ``JS_WriteObject``); every call loads that bytecode
        (``JS_ReadObject`` + ``JS_EvalFunction``), skipping the parser. Same semantics as
        :meth:`eval_script` (completion value, :class:`JSError` with ``file``/``line`` in
        ``filename``, global declarations visible to later scripts), except that the script is
        compiled under its own file name starting at line 1 instead of in a line band.
        ``keep_source=False`` drops function source texts from the bytecode (``String(fn)``
        shows ``[native code]``, as browser built-ins do; smaller and faster to load).

        Falls back to :meth:`eval_script` when the C API check failed (``capi_error``), when
        the source does not compile (the ordinary path then raises the mapped ``SyntaxError``)
        or when the bytecode cannot be loaded.
        """
        capi = self._capi
        handle = self._handle
        if capi is None or handle is None or self._closed:
            return self.eval_script(source, filename)
        cache = self._bytecode_cache
        key = cache.key(capi.version, source, filename, keep_source)
        data = cache.get(key)
        if data is None:
            try:
                source.encode("utf-8")
            except UnicodeEncodeError:
                return self.eval_script(source, filename)
            data = capi.compile_script(handle, source, filename, keep_source=keep_source)
            if data is None:
                return self.eval_script(source, filename)
            cache.put(key, data)
        if not filename.startswith(_INTERNAL_FILE):  # (the runtime's own shims: never)
            # one string per distinct script for the process, not one per realm
            self._remember_source(filename, _SOURCE_POOL.setdefault(key, source))
            if len(_SOURCE_POOL) > _SOURCE_POOL_MAX:
                _SOURCE_POOL.clear()
        self._enter()
        try:
            try:
                run = capi.run_bytecode(self._ctx, handle, data, _CACHED_OUT, _CACHED_ERR)
            except _qjs_capi.CApiUnavailable:
                run = _qjs_capi.BytecodeRun("unreadable")
            if run.kind == "value":
                return run.value
            if run.kind == "unreadable":
                return self.eval_script(source, filename)
            try:
                if self._f_take_cached is None:
                    self._ctx.eval(_TAKE_CACHED_SRC)
                    self._f_take_cached = self._ctx.get("__wxTakeCached")
                    self._ctx.eval("delete globalThis.__wxTakeCached")
                value = self._f_take_cached(run.kind == "thrown")
            except _JSException as exc:
                err = self._rethrow(exc)
                raise err from err.__cause__
            except UnicodeDecodeError as exc:  # pragma: no cover - wf() makes strings well-formed
                raise JSError(
                    "TypeError", f"completion value not representable: {exc}", "", filename
                ) from exc
            if run.kind == "thrown":
                err = self._rethrow(_JSException(str(value)))
                raise err from err.__cause__
            return self._to_python(value)
        finally:
            self._leave()

    def set_module_loader(self, loader: ModuleLoader | None) -> None:
        self._loader = loader

    def eval_module(self, source: str, filename: str) -> None:
        if self._handle is None:
            raise EngineUnsupported(f"ES modules are unavailable: {self.capi_error}")
        self._enter()
        try:
            self._entry_sources[filename] = source
            try:
                token = self._f_import_entry(filename)
                result = None
                while True:
                    result = self._f_entry_result(token)
                    if result is not None or not self._ctx.execute_pending_job():
                        break
                if result is None:
                    result = self._f_entry_result(token)
                    if result is None:
                        self._f_drop_entry(token)  # still pending (awaits something)
            except _JSException as exc:
                err = self._rethrow(exc)
                raise err from err.__cause__
            finally:
                self._entry_sources.pop(filename, None)
            self._drain_jobs()  # reports its unhandled rejections (after their events)
            if result is not None:
                d = _loads(result)
                if d.get("e") is not None:
                    raise self._chain(_error_from_desc(d["e"]))
        finally:
            self._leave()

    def expose(self, name: str, fn: Callable[..., Any], *, arity: int | None = None) -> None:
        if self._closed:
            raise RealmClosed(f"realm {self.label!r} is closed")
        if arity is not None and not 0 <= arity <= 4:
            raise ValueError("arity must be None or 0..4")
        self._raw_counter += 1
        raw_name = f"__wxPy{self._raw_counter}"
        self._ctx.add_callable(raw_name, self._make_wrapper(fn))
        self._f_install(name, raw_name, -1 if arity is None else arity)

    def _make_wrapper(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        realm = self
        direct = _DIRECT

        def wrapper(*args: Any) -> Any:
            try:
                for a in args:
                    if type(a) is _QObject:
                        args = tuple(realm._arg_to_python(x) for x in args)
                        break
                r = fn(*args)
                if r is None:
                    return None
                tr = type(r)
                if tr in direct or (tr is str and r.isascii()):
                    res = r
                    if tr is int and not _INT32_MIN <= r <= _INT32_MAX:
                        res = float(r)  # the binding would truncate it to 32 bits
                else:
                    res = realm._ctx.parse_json('{"v":' + _dumps(r) + "}")
            except Exception as exc:
                realm._last_py_exc = exc
                try:
                    res = realm._ctx.parse_json(_dumps({"e": _py_error_desc(exc)}))
                except Exception:
                    res = None
            return res

        return wrapper

    def _arg_to_python(self, value: Any) -> Any:
        if type(value) is _QObject:
            text = value.json()
            return None if text is None else _loads(text)
        return value

    def _js_args(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """``args`` as the binding can pass them (the common cases are returned as they are)."""
        for a in args:
            ta = type(a)
            if ta is str:
                if a.isascii():
                    continue
            elif ta is int:
                if _INT32_MIN <= a <= _INT32_MAX:
                    continue
            elif ta in _DIRECT:
                continue
            return tuple([self._to_js(x) for x in args])
        return args

    def _result(self, r: Any) -> Any:
        """The value a trampoline returned: a primitive, ``{v: value}`` or ``{e: error}``."""
        d = self._to_python(r)
        if "e" in d:
            raise self._chain(_error_from_desc(d["e"]))
        return d.get("v")

    def call(self, fn_name: str, *args: Any) -> Any:
        if self._closed:
            raise RealmClosed(f"realm {self.label!r} is closed")
        depth = self._depth
        if depth == 0:
            self._deadline = _monotonic() + self.time_limit
            self._interrupted = False
        self._depth = depth + 1
        try:
            n = len(args)
            try:
                if n < 5:
                    r = self._f_calls[n](fn_name, *self._js_args(args))
                else:
                    r = self._f_call(fn_name, *self._js_args(args))
            except _JSException as exc:
                err = self._rethrow(exc)
                raise err from err.__cause__
            if type(r) is _QObject:
                return self._result(r)
            return r
        finally:
            self._depth = depth
            if depth == 0:
                self._module_sources.clear()
                if self._close_pending:
                    self._finish_close()

    def function(self, fn_name: str, *, run_jobs: bool = False) -> Callable[..., Any]:
        """The global function ``fn_name`` as it is now, as a Python callable.

        Calling it behaves as :meth:`call` (a top-level entry with its own time budget,
        JSON-able arguments, the result through JSON, an uncaught error raises
        :class:`JSError`, no microtasks) but skips the look-up by name: later changes to the
        global do not affect it. With ``run_jobs=True`` a call that returns is followed by
        :meth:`run_jobs` (as a separate top-level entry; a call that throws raises before any
        job runs). One callable per name and flag is kept. Raises :class:`JSError`
        (``TypeError``) when the global is not a function.
        """
        key = (fn_name, run_jobs)
        bound = self._functions.get(key)
        if bound is not None:
            return bound
        if self._closed:
            raise RealmClosed(f"realm {self.label!r} is closed")
        f = self._f_get_function(fn_name)
        if type(f) is not _QObject:
            raise JSError("TypeError", f"{fn_name} is not a function")
        jobs = run_jobs
        realm = self
        js_args = self._js_args
        direct = _DIRECT
        # trampolines for 0..4 arguments and for more, made on first use, then the function;
        # emptied by close() (a callable kept elsewhere must not keep the realm alive)
        held: list[Any] = [None] * 6 + [f]
        del f

        def bound_fn(*args: Any) -> Any:
            if realm._closed:
                raise RealmClosed(f"realm {realm.label!r} is closed")
            depth = realm._depth
            if depth == 0:
                realm._deadline = _monotonic() + realm.time_limit
                realm._interrupted = False
            realm._depth = depth + 1
            try:
                for a in args:  # _js_args, inlined: this is the hot path of every event
                    ta = type(a)
                    if ta is str:
                        if a.isascii():
                            continue
                    elif ta is int:
                        if _INT32_MIN <= a <= _INT32_MAX:
                            continue
                    elif ta in direct:
                        continue
                    args = js_args(args)
                    break
                n = len(args)
                if n > 5:
                    n = 5
                tramp = held[n]
                if tramp is None:
                    tramp = held[n] = realm._f_bind_fn(held[6], n)
                try:
                    r = tramp(*args)
                except _JSException as exc:
                    err = realm._rethrow(exc)
                    raise err from err.__cause__
                if type(r) is _QObject:
                    r = realm._result(r)
                if jobs and not realm._closed:
                    if depth == 0:  # run_jobs() is a top-level entry of its own
                        realm._deadline = _monotonic() + realm.time_limit
                        realm._interrupted = False
                    realm._drain_jobs()
                return r
            finally:
                realm._depth = depth
                if depth == 0:
                    realm._module_sources.clear()
                    if realm._close_pending:
                        realm._finish_close()

        self._functions[key] = bound_fn
        self._held.append(held)
        return bound_fn

    def run_jobs(self) -> int:
        if self._closed:
            raise RealmClosed(f"realm {self.label!r} is closed")
        depth = self._depth
        if depth == 0:
            self._deadline = _monotonic() + self.time_limit
            self._interrupted = False
        self._depth = depth + 1
        try:
            return self._drain_jobs()
        finally:
            self._depth = depth
            if depth == 0:
                self._module_sources.clear()
                if self._close_pending:
                    self._finish_close()

    def _drain_jobs(self) -> int:
        """The body of :meth:`run_jobs` (the caller has entered the realm)."""
        count = 0
        execute = self._ctx.execute_pending_job
        while True:
            try:
                ran = execute()
            except _JSException as exc:
                count += 1
                err = self._convert_exception(exc)
                if isinstance(err, ScriptTimeout | ScriptOutOfMemory):
                    raise err from None
                self._errors.append(err)
                continue
            if ran:
                count += 1
                continue
            # (without the C API no tracker callback says when to look: look every time)
            if self._handle is not None and not self._rejections_dirty:
                break
            if not self._collect_one_rejection():
                self._rejections_dirty = False
                break
            # one reported or notified: its listeners' jobs run before the next one
            self._rejections_dirty = True
        return count

    def on_rejection(self) -> None:
        """:class:`_qjs_capi.CApiHost` hook: the tracker recorded a rejection event."""
        self._rejections_dirty = True

    def _collect_one_rejection(self) -> bool:
        """Take one unhandled rejection (the realm's hook may dispatch its event first);
        ``False`` when there is none."""
        try:
            out = self._f_take_rejections()
        except _JSException as exc:
            err = self._convert_exception(exc)
            if isinstance(err, ScriptTimeout | ScriptOutOfMemory):
                raise err from None  # a runaway unhandledrejection listener, as any job
            self._errors.append(err)
            return False
        if not isinstance(out, str):
            return False
        d = _loads(out).get("e")
        if d is not None:
            err = _error_from_desc(d)
            err.in_promise = True
            self._errors.append(err)
        return True

    def take_errors(self) -> list[JSError]:
        errors = self._errors
        if not errors:
            return []
        self._errors = []
        return errors

    def memory_usage(self) -> int:
        if self._closed:
            raise RealmClosed(f"realm {self.label!r} is closed")
        return int(self._ctx.memory()["malloc_size"])

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._depth > 0:
            self._close_pending = True
            return
        self._finish_close()

    def _finish_close(self) -> None:
        self._close_pending = False
        if self._capi is not None and self._handle is not None:
            self._capi.detach(self._handle)
        self._handle = None
        self._f_calls = ()
        self._functions.clear()
        for held in self._held:
            held[:] = [None] * len(held)
        self._held.clear()
        for attr in (
            "_f_add_band",
            "_f_last_error",
            "_f_call",
            "_f_bind_fn",
            "_f_get_function",
            "_f_install",
            "_f_import_entry",
            "_f_entry_result",
            "_f_drop_entry",
            "_f_take_rejections",
            "_f_take_cached",
        ):
            setattr(self, attr, None)
        self._ctx = None  # last reference: frees the JS context and runtime now

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<QuickJSRealm {self.label!r} {state}>"


class QuickJSEngine:
    """The quickjs-ng engine (``pip install quickjs-ng``).

    ``bytecode_cache`` is shared by the engine's realms for
    :meth:`QuickJSRealm.eval_script_cached` (default: the process-wide cache).
    """

    name = "quickjs-ng"

    def __init__(self, bytecode_cache: _qjs_capi.BytecodeCache | None = None) -> None:
        self.bytecode_cache = (
            bytecode_cache if bytecode_cache is not None else _qjs_capi.bytecode_cache()
        )

    def new_realm(
        self,
        label: str,
        *,
        time_limit: float = 1.0,
        memory_limit: int = 64 * 2**20,
        error_style: str = error_text.V8,
    ) -> QuickJSRealm:
        return QuickJSRealm(
            label,
            time_limit=time_limit,
            memory_limit=memory_limit,
            bytecode_cache=self.bytecode_cache,
            error_style=error_style,
        )
