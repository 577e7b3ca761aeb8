"""Listener lists shaped like the browsers' ``events.Event``.

``add_listener(fn)`` registers a function once (adding it again is a no-op [C150 shapes]);
listeners run in registration order. A listener may declare fewer parameters than the
event passes; a plain function or an ``async def`` both work.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

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
    """``add_listener`` / ``remove_listener`` / ``has_listener`` / ``has_listeners``."""

    __slots__ = ("_arities", "_listeners", "_snap", "name")

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._listeners: list[Callable[..., Any]] = []
        self._arities: list[int] = []
        self._snap: tuple[tuple[Callable[..., Any], int], ...] = ()

    def add_listener(self, fn: Callable[..., Any]) -> None:
        if not callable(fn):
            raise UsageError(
                f"{self.name or 'event'}.add_listener needs a callable, not {type(fn).__name__}"
            )
        if fn in self._listeners:
            return
        self._listeners.append(fn)
        self._arities.append(_arity(fn))
        self._snap = tuple(zip(self._listeners, self._arities, strict=True))

    def remove_listener(self, fn: Callable[..., Any]) -> None:
        for i, f in enumerate(self._listeners):
            if f == fn:
                del self._listeners[i]
                del self._arities[i]
                self._snap = tuple(zip(self._listeners, self._arities, strict=True))
                return

    def has_listener(self, fn: Callable[..., Any]) -> bool:
        return fn in self._listeners

    def has_listeners(self) -> bool:
        return bool(self._listeners)

    def snapshot(self) -> tuple[tuple[Callable[..., Any], int], ...]:
        """Listeners to call for one dispatch (later changes do not affect it)."""
        return self._snap

    def __repr__(self) -> str:
        return f"<Event {self.name} listeners={len(self._listeners)}>"
