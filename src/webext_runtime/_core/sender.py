"""``runtime.MessageSender`` and ``tabs.Tab`` as frozen Python values.

The router builds the exact dict JS would see (keys in the browser's order, absent keys
left out per profile); these classes present it by the naming rule (``frameId`` →
``frame_id``) and give the dict back unchanged with ``to_js()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .serialize import UNDEFINED

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")

#: the router's stand-in for a property whose value is JS ``undefined``
_JS_UNDEFINED = "\u0000undefined\u0000"


def _revive(value: dict[str, Any]) -> dict[str, Any]:
    """Replace the router's undefined marker by UNDEFINED (only nested dicts can hold it)."""
    out: dict[str, Any] | None = None
    for k, v in value.items():
        if v.__class__ is dict:
            nv: Any = _revive(v)
        elif v.__class__ is str and v == _JS_UNDEFINED:
            nv = UNDEFINED
        else:
            continue
        if nv is not v:
            if out is None:
                out = dict(value)
            out[k] = nv
    return value if out is None else out


def snake(name: str) -> str:
    """The one naming rule: camelCase → snake_case."""
    return _CAMEL.sub("_", name).lower()


@dataclass(frozen=True)
class TabInfo:
    """A ``tabs.Tab`` snapshot (``sender.tab``)."""

    id: int
    index: int
    window_id: int
    url: str | None
    title: str | None
    active: bool
    highlighted: bool
    pinned: bool
    incognito: bool
    status: str | None
    width: int | None
    height: int | None
    last_accessed: float | None
    _js: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def from_js(cls, d: dict[str, Any]) -> TabInfo:
        d = _revive(d)
        return cls(
            id=d["id"],
            index=d["index"],
            window_id=d["windowId"],
            url=d.get("url"),
            title=d.get("title"),
            active=d.get("active", False),
            highlighted=d.get("highlighted", False),
            pinned=d.get("pinned", False),
            incognito=d.get("incognito", False),
            status=d.get("status"),
            width=d.get("width"),
            height=d.get("height"),
            last_accessed=d.get("lastAccessed"),
            _js=dict(d),
        )

    def to_js(self) -> dict[str, Any]:
        """The exact object JS sees."""
        return dict(self._js)

    def __getattr__(self, name: str) -> Any:
        # any other tabs.Tab field by the naming rule (audible, muted_info, group_id, ...)
        js = object.__getattribute__(self, "_js")
        for k, v in js.items():
            if snake(k) == name:
                return v
        raise AttributeError(name)


@dataclass(frozen=True)
class MessageSender:
    """``runtime.MessageSender``; a field is ``None`` where the profile leaves the key out."""

    id: str | None = None
    url: str | None = None
    origin: str | None = None
    tab: TabInfo | None = None
    frame_id: int | None = None
    document_id: str | None = None
    document_lifecycle: str | None = None
    tls_channel_id: str | None = None
    #: Firefox only [F153 g.]
    context_id: int | None = None
    env_type: str | None = None
    _js: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def from_js(cls, d: dict[str, Any]) -> MessageSender:
        d = _revive(d)
        tab = d.get("tab")
        return cls(
            id=d.get("id"),
            url=d.get("url"),
            origin=d.get("origin"),
            tab=TabInfo.from_js(tab) if isinstance(tab, dict) else None,
            frame_id=d.get("frameId"),
            document_id=d.get("documentId"),
            document_lifecycle=d.get("documentLifecycle"),
            tls_channel_id=d.get("tlsChannelId"),
            context_id=d.get("contextId"),
            env_type=d.get("envType"),
            _js=dict(d),
        )

    def to_js(self) -> dict[str, Any]:
        """The exact object JS would see, keys in the browser's order."""
        out = dict(self._js)
        if isinstance(out.get("tab"), dict):
            out["tab"] = dict(out["tab"])
        return out
