"""The engine-neutral JavaScript interface: :class:`Engine`, :class:`Realm` and the errors.

Everything above ``_bridge`` talks to JavaScript only through these names, so another engine
can be dropped in behind them. The only implementation today is
:mod:`webext_runtime._bridge.quickjs_engine` (quickjs-ng), returned by :func:`default_engine`.

Data crosses the boundary as JSON-able Python values: ``None``, ``bool``, ``int``, ``float``,
``str``, ``list`` and ``dict`` (JS ``undefined`` and ``null`` both arrive as ``None``; values
JSON cannot carry — functions, symbols — arrive as ``None`` too).

Interface
---------
``Engine.new_realm(label, *, time_limit=1.0, memory_limit=64 MiB, error_style="v8") -> Realm``
    A fresh JS global environment sharing nothing with other realms. ``error_style``
    (``"v8"`` or ``"spidermonkey"``) is the browser engine whose wording the engine's own
    errors take where they differ (``obj.a.f is not a function``; see
    :mod:`webext_runtime._bridge.error_text`).

``Realm.eval_script(source, filename) -> Any``
    Run a classic script (global ``let``/``const``/``function`` stay visible to later
    scripts). Returns the completion value converted through JSON. An uncaught error raises
    :class:`JSError` whose ``file``/``line``/``column`` point into ``filename``; this holds for
    a ``SyntaxError`` found while parsing as well. Does *not* run microtasks.

``Realm.eval_script_cached(source, filename, *, keep_source=True) -> Any``
    :meth:`eval_script` for scripts loaded into many realms (the runtime's shims, content
    scripts): the engine may keep the compiled form of ``(source, filename)`` for the process
    and load it into each realm without parsing again. Same results and errors as
    ``eval_script`` (``file``/``line`` in ``filename``); ``keep_source=False`` allows the
    engine to drop function source texts (``String(fn)`` may then show ``[native code]``, as
    for browser built-ins). quickjs-ng: bytecode keyed by ``JS_GetVersion()`` + file name +
    source hash; falls back to ``eval_script`` when its C API check failed.

``Realm.eval_module(source, filename) -> None``
    Evaluate an ES module; its static ``import``s (and any ``import()``) go through the module
    loader. Runs pending jobs until the module's evaluation settles (so top-level ``await`` and
    the import graph complete); an error while loading, linking or evaluating raises
    :class:`JSError`.

``Realm.set_module_loader(loader)``
    ``loader(specifier, referrer) -> (resolved_filename, source)``. ``referrer`` is the
    resolved file name of the importing module, or ``""`` for an ``import()`` made from a
    classic script. ``resolved_filename`` is the module's identity (one instance per realm)
    and the name shown in stacks. Raising any exception makes the import fail with a JS
    ``ReferenceError`` naming the specifier and the exception's message.

``Realm.expose(name, fn)``
    Define global JS function ``name``. JS arguments arrive as Python values — objects and
    arrays arrive as ``dict``/``list`` (converted through ``JSON.stringify``), never as JSON
    text. ``fn`` returns a JSON-able value. An exception raised by ``fn`` is thrown at the JS
    call site as an error whose ``name`` is the exception's ``js_name`` attribute when it has
    one (``"TypeError"`` gives a real ``TypeError`` instance) and ``"Error"`` otherwise, with
    the exception's ``message`` attribute (or ``str(exc)``) as message. JS can catch it.

``Realm.expose(name, fn, *, arity=N)``
    The same with a JS function of exactly ``N`` (0..4) parameters: JS callers' missing
    arguments arrive as ``None``, extra ones are dropped. Cheaper per call; for hot host
    functions whose JS callers always pass ``N`` arguments.

``Realm.call(fn_name, *args) -> Any``
    Call global function ``fn_name`` with JSON-able arguments; returns its result through JSON.
    An uncaught error raises :class:`JSError`. Does *not* run microtasks.

``Realm.function(fn_name, *, run_jobs=False) -> Callable[..., Any]``
    The global function ``fn_name`` as it is now, as a Python callable that behaves as
    ``call(fn_name, ...)`` (its own top-level entry, same conversions and errors) without the
    look-up by name: reassigning the global later does not affect it. With ``run_jobs=True``
    a call that returns is followed by ``run_jobs()`` (its own top-level entry); a call that
    throws raises before any job runs. Cheaper per call; for functions called once per event.
    Raises :class:`JSError` (``TypeError``) when the global is not a function.

``Realm.run_jobs() -> int``
    Run pending jobs (promise reactions, dynamic imports) until none is left; returns how many
    ran. Errors are not raised; they are collected, together with promise rejections still
    unhandled once the queue is empty, for :meth:`Realm.take_errors`. Only
    :class:`ScriptTimeout` / :class:`ScriptOutOfMemory` are raised.

``Realm.take_errors() -> list[JSError]``
    The collected errors in order, clearing the list.

``Realm.memory_usage() -> int`` (bytes allocated by the realm) and ``Realm.close()``
    (idempotent; a close requested from inside the realm's own JS call is completed when that
    outermost call returns). Any other use of a closed realm raises :class:`RealmClosed`.

Limits: ``time_limit`` is wall-clock seconds per top-level entry (``eval_script``,
``eval_module``, ``call``, ``run_jobs``; calls nested inside an exposed Python function share the
outer entry's budget, and time spent inside exposed Python functions counts too). When it
runs out the script is stopped with :class:`ScriptTimeout`; the realm stays usable.
``memory_limit`` is bytes for the realm's heap; exceeding it raises :class:`ScriptOutOfMemory`
(other realms are unaffected).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "Engine",
    "EngineUnsupported",
    "JSError",
    "ModuleLoader",
    "Realm",
    "RealmClosed",
    "ScriptOutOfMemory",
    "ScriptTimeout",
    "default_engine",
]

ModuleLoader = Callable[[str, str], tuple[str, str]]
"""``(specifier, referrer_filename) -> (resolved_filename, source)``."""


class JSError(Exception):
    """An error thrown by JavaScript and not caught.

    ``name`` is the JS error name (``"TypeError"`` ...) or ``""`` when the thrown value was
    not an Error object; ``message`` its message (``String(value)`` for non-errors); ``stack``
    the JS ``stack`` string (V8 format, file names mapped); ``file``/``line``/``column`` the
    top-most frame that belongs to extension code, when known. ``in_promise`` is true for a
    promise rejected with no handler (``Realm.take_errors``), which browsers log as
    ``Uncaught (in promise) ...``.
    """

    in_promise = False

    def __init__(
        self,
        name: str,
        message: str,
        stack: str = "",
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.name = name
        self.message = message
        self.stack = stack
        self.file = file
        self.line = line
        self.column = column
        head = f"{name}: {message}" if name else message
        where = ""
        if file is not None:
            pos = "".join(f":{n}" for n in (line, column) if n is not None)
            where = f" ({file}{pos})"
        super().__init__(head + where)

    @property
    def js_name(self) -> str:
        """The name to re-throw this error with if it crosses back into JS."""
        return self.name or "Error"

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (self.name, self.message, self.stack, self.file, self.line, self.column),
        )


class ScriptTimeout(JSError):
    """The realm's time limit stopped the script (JS name ``InternalError``)."""


class ScriptOutOfMemory(JSError):
    """The realm's memory limit was hit (JS name ``InternalError``)."""


class RealmClosed(RuntimeError):
    """The realm was closed and can no longer run code."""


class EngineUnsupported(RuntimeError):
    """The installed engine binding lacks a capability this runtime needs (clear reason)."""


@runtime_checkable
class Realm(Protocol):
    """One JS global environment. Not thread-safe: use it from one thread at a time."""

    label: str

    def eval_script(self, source: str, filename: str) -> Any: ...

    def eval_script_cached(
        self, source: str, filename: str, *, keep_source: bool = True
    ) -> Any: ...

    def eval_module(self, source: str, filename: str) -> None: ...

    def set_module_loader(self, loader: ModuleLoader | None) -> None: ...

    def expose(self, name: str, fn: Callable[..., Any], *, arity: int | None = None) -> None: ...

    def call(self, fn_name: str, *args: Any) -> Any: ...

    def function(self, fn_name: str, *, run_jobs: bool = False) -> Callable[..., Any]: ...

    def run_jobs(self) -> int: ...

    def take_errors(self) -> list[JSError]: ...

    def memory_usage(self) -> int: ...

    def close(self) -> None: ...

    @property
    def closed(self) -> bool: ...


@runtime_checkable
class Engine(Protocol):
    """A JS engine able to create isolated realms."""

    name: str

    def new_realm(
        self,
        label: str,
        *,
        time_limit: float = 1.0,
        memory_limit: int = 64 * 2**20,
        error_style: str = "v8",
    ) -> Realm: ...


def default_engine() -> Engine:
    """The quickjs-ng engine."""
    from webext_runtime._bridge.quickjs_engine import QuickJSEngine

    return QuickJSEngine()
