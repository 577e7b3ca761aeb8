"""Listener lists shaped like the browsers' ``events.Event``.

``add_listener(fn)`` registers a function once (adding it again is a no-op [C150 shapes]);
listeners run in registration order. A listener may declare fewer parameters than the
event passes; a plain function or an ``async def`` both work.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, overload

from .._core.errors import UsageError


def _arity(fn: Callable[..., Any]) -> int:
    """How many positional arguments ``fn`` accepts (-1 = any number)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return -1
    n = 0
    for p in sig.parameters.values():
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            return -1
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            n += 1
    return n


class Event:
    """``add_listener`` / ``remove_listener`` / ``has_listener`` / ``has_listeners``.

    The listeners live in one immutable tuple of ``(fn, arity)`` pairs, so an Event with no
    listeners holds no container the cyclic GC must walk (many ports never get a listener).
    """

    __slots__ = ("_snap", "name")

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._snap: tuple[tuple[Callable[..., Any], int], ...] = ()

    def add_listener(self, fn: Callable[..., Any]) -> None:
        if not callable(fn):
            raise UsageError(
                f"{self.name or 'event'}.add_listener needs a callable, not {type(fn).__name__}"
            )
        if self.has_listener(fn):
            return
        self._snap = (*self._snap, (fn, _arity(fn)))

    def remove_listener(self, fn: Callable[..., Any]) -> None:
        for i, (f, _) in enumerate(self._snap):
            if f == fn:
                self._snap = self._snap[:i] + self._snap[i + 1 :]
                return

    def has_listener(self, fn: Callable[..., Any]) -> bool:
        return any(f == fn for f, _ in self._snap)

    def has_listeners(self) -> bool:
        return bool(self._snap)

    def snapshot(self) -> tuple[tuple[Callable[..., Any], int], ...]:
        """Listeners to call for one dispatch (later changes do not affect it)."""
        return self._snap

    def __repr__(self) -> str:
        return f"<Event {self.name} listeners={len(self._snap)}>"


class LazyEvent:
    """A class attribute that gives each instance its own :class:`Event` on first access.

    A context host has seven events and most stay empty; creating them lazily keeps an idle
    host small for the cyclic GC.
    """

    __slots__ = ("attr", "js_name")

    def __init__(self, js_name: str) -> None:
        self.js_name = js_name
        self.attr = ""

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> LazyEvent: ...

    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> Event: ...

    def __get__(self, obj: object | None, objtype: type | None = None) -> Event | LazyEvent:
        if obj is None:
            return self
        ev = Event(self.js_name)
        obj.__dict__[self.attr] = ev  # an instance attribute shadows this (non-data) descriptor
        return ev
