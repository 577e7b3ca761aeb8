"""Commands (inputs) and effects (outputs) of the sans-IO router, and its small value types.

All are dataclasses compared by value, so core tests can read
``assert router.handle(cmd) == [...]``; they are frozen except ``DeliverMessage``, which is
built once per delivered message and so kept as cheap as a slotted object can be.
A port is named by a :data:`PortKey` ``(channel_id, end)``; end 0 is the opener, ends
1..n the receivers (Chromium's ``PortId`` has the same opener flag).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

PortKey = tuple[int, int]

# Context kinds ------------------------------------------------------------------------------
BACKGROUND = "background"  # background page, event page or MV3 service worker
EXTENSION_PAGE = "extension_page"  # popup, options, extension page in a tab
CONTENT_SCRIPT = "content_script"  # an extension's isolated world in a web frame
WEB_PAGE = "web_page"  # a web frame's main world
NATIVE = "native"  # the far end of a connectNative port: a native host process

EXTENSION_KINDS = frozenset({BACKGROUND, EXTENSION_PAGE})


@dataclass(frozen=True, slots=True)
class ContextInfo:
    """What the driver needs to build a host for a new context."""

    ctx_id: int
    kind: str
    label: str
    url: str
    ext_id: str | None = None
    tab_id: int | None = None
    frame_id: int | None = None
    document_id: str | None = None
    #: "service_worker", "page", "event_page" for backgrounds; "popup", "options",
    #: "tab" for extension pages; None otherwise
    subkind: str | None = None
    #: content scripts: indexes of the manifest's content_scripts entries that apply
    scripts: tuple[int, ...] = ()


# Commands -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstallExtension:
    ext_id: str
    name: str
    manifest: Any  # ParsedManifest (duck-typed: background, content_scripts, ...)
    base_url: str  # e.g. "chrome-extension://<id>/"


@dataclass(frozen=True, slots=True)
class UninstallExtension:
    ext_id: str


@dataclass(frozen=True, slots=True)
class OpenTab:
    url: str
    title: str | None = None
    #: when set, the tab holds this extension's page (url is then the page URL)
    ext_id: str | None = None


@dataclass(frozen=True, slots=True)
class OpenExtensionPage:
    """A page of an extension outside any tab (popup, options in its own view)."""

    ext_id: str
    url: str
    subkind: str  # "popup" | "options"


@dataclass(frozen=True, slots=True)
class AddFrame:
    tab_id: int
    url: str
    parent_frame_id: int = 0


@dataclass(frozen=True, slots=True)
class RemoveFrame:
    tab_id: int
    frame_id: int


@dataclass(frozen=True, slots=True)
class Navigate:
    tab_id: int
    url: str
    frame_id: int = 0
    title: str | None = None


@dataclass(frozen=True, slots=True)
class CloseTab:
    tab_id: int


@dataclass(frozen=True, slots=True)
class CloseContext:
    """An extension page outside a tab closes (popup), or a context dies (crash, stop).

    ``error``: the text the far ends of its ports get (e.g. a native host's exit text).
    """

    ctx_id: int
    reason: str = "closed"
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ConnectNative:
    """``runtime.connectNative(application)``: a port whose far end is a native host."""

    src_ctx: int
    application: str


@dataclass(frozen=True, slots=True)
class Connect:
    """``runtime.connect`` (target_ext set, tab_id None) or ``tabs.connect`` (tab_id set)."""

    src_ctx: int
    name: str = ""
    target_ext: str | None = None
    tab_id: int | None = None
    frame_id: int | None = None
    document_id: str | None = None
    include_tls_channel_id: bool = False


@dataclass(frozen=True, slots=True)
class ConnectAck:
    """A receiver reports whether it had an onConnect listener when the event arrived."""

    port: PortKey
    accepted: bool


@dataclass(frozen=True, slots=True)
class PostMessage:
    port: PortKey
    payload: str


@dataclass(frozen=True, slots=True)
class Disconnect:
    port: PortKey


@dataclass(frozen=True, slots=True)
class SetTime:
    now: float


@dataclass(frozen=True, slots=True)
class SendMessage:
    """``runtime.sendMessage`` (target_ext / own extension) or ``tabs.sendMessage`` (tab_id)."""

    src_ctx: int
    payload: str
    target_ext: str | None = None
    tab_id: int | None = None
    frame_id: int | None = None
    document_id: str | None = None


@dataclass(frozen=True, slots=True)
class MessageHandled:
    """A receiving context ran its onMessage listeners for a request.

    ``had_listener``: it had at least one; ``keep_open``: a listener returned ``true`` or a
    promise that has not answered yet (Chrome only counts the literal ``true`` and real
    promises [C150 reply_matrix]).
    """

    req_id: int
    ctx_id: int
    had_listener: bool
    keep_open: bool


@dataclass(frozen=True, slots=True)
class MessageReply:
    """A receiver answered (sendResponse or a settled promise); the first answer wins."""

    req_id: int
    ctx_id: int
    payload: str | None = None
    error: str | None = None


# Effects ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContextCreated:
    info: ContextInfo


@dataclass(frozen=True, slots=True)
class ContextDestroyed:
    ctx_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class TabCreated:
    tab_id: int
    url: str


@dataclass(frozen=True, slots=True)
class FrameCreated:
    tab_id: int
    frame_id: int
    url: str


@dataclass(frozen=True, slots=True)
class PortOpened:
    """The opener's end exists (returned synchronously by connect)."""

    ctx_id: int
    port: PortKey
    name: str


@dataclass(frozen=True, slots=True)
class DispatchConnect:
    ctx_id: int
    port: PortKey
    name: str
    sender: dict[str, Any] = field(compare=True)
    external: bool = False


@dataclass(slots=True)  # not frozen: built once per delivered message (hot path)
class DeliverMessage:
    ctx_id: int
    port: PortKey
    payload: str


@dataclass(frozen=True, slots=True)
class DispatchDisconnect:
    ctx_id: int
    port: PortKey
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RequestOpened:
    """The sender's request exists (its id is returned synchronously)."""

    ctx_id: int
    req_id: int


@dataclass(frozen=True, slots=True)
class DispatchMessage:
    ctx_id: int
    req_id: int
    payload: str
    sender: dict[str, Any] = field(compare=True)
    external: bool = False


@dataclass(frozen=True, slots=True)
class ResolveRequest:
    """The one outcome of a request: a reply payload, an error text, or no response."""

    ctx_id: int
    req_id: int
    payload: str | None = None
    error: str | None = None
    no_response: bool = False


# Lifecycle commands and effects ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimerFired:
    """A timer the router asked for (``SetTimer``) is due."""

    key: str


@dataclass(frozen=True, slots=True)
class StopWorker:
    """Stop an extension's service worker / event page (``reason``: idle, devtools, ...)."""

    ext_id: str
    reason: str = "devtools"


@dataclass(frozen=True, slots=True)
class ReloadExtension:
    ext_id: str


@dataclass(frozen=True, slots=True)
class SetEnabled:
    ext_id: str
    enabled: bool


@dataclass(frozen=True, slots=True)
class ClickAction:
    """The toolbar button of an extension is clicked (wakes a stopped worker)."""

    ext_id: str
    tab_id: int | None = None


@dataclass(frozen=True, slots=True)
class History:
    """``tab.go_back()`` (delta -1), ``go_forward()`` (+1) or ``reload()`` (0)."""

    tab_id: int
    delta: int


@dataclass(frozen=True, slots=True)
class SetTimer:
    """Ask the driver for ``TimerFired(key)`` after ``delay`` virtual seconds (replaces an
    earlier timer with the same key)."""

    key: str
    delay: float
    ctx_id: ClassVar[int | None] = None  # addressed to the driver, not to a context


@dataclass(frozen=True, slots=True)
class CancelTimer:
    """Forget the timer with this key (if any)."""

    key: str
    ctx_id: ClassVar[int | None] = None


@dataclass(frozen=True, slots=True)
class ActionClicked:
    ctx_id: int
    tab: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class ContextFrozen:
    """The context's document entered the back/forward cache (timers pause)."""

    ctx_id: int


@dataclass(frozen=True, slots=True)
class ContextResumed:
    ctx_id: int


@dataclass(frozen=True, slots=True)
class ContextOrphaned:
    """A content script whose extension was reloaded, disabled or removed (Chrome): it keeps
    running but ``runtime.id`` is undefined and API calls throw."""

    ctx_id: int


@dataclass(frozen=True, slots=True)
class Suspending:
    """An event page is about to be suspended: ``runtime.onSuspend`` runs [F153 lifecycle]."""

    ctx_id: int


Command = (
    InstallExtension
    | UninstallExtension
    | OpenTab
    | OpenExtensionPage
    | AddFrame
    | RemoveFrame
    | Navigate
    | CloseTab
    | CloseContext
    | Connect
    | ConnectAck
    | PostMessage
    | Disconnect
    | SetTime
    | SendMessage
    | MessageHandled
    | MessageReply
    | ConnectNative
    | TimerFired
    | StopWorker
    | ReloadExtension
    | SetEnabled
    | ClickAction
    | History
)

Effect = (
    ContextCreated
    | ContextDestroyed
    | TabCreated
    | FrameCreated
    | PortOpened
    | DispatchConnect
    | DeliverMessage
    | DispatchDisconnect
    | RequestOpened
    | DispatchMessage
    | ResolveRequest
    | SetTimer
    | CancelTimer
    | ActionClicked
    | ContextFrozen
    | ContextResumed
    | ContextOrphaned
    | Suspending
)
