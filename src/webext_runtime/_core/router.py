"""The message router: one object owning all routing state, fed commands, returning effects.

Theory of operation
-------------------
The router is the browser process of webext-runtime (Chromium's ``MessageService`` plus the
tab/frame bookkeeping of ``ExtensionMessagePort``; Firefox's ``ProxyMessenger``). It never
reads a clock, never awaits and never touches JS: the driver feeds it commands
(:mod:`.model`) and executes the effects it returns, asynchronously and in FIFO order.

A *channel* is one ``connect()``: end 0 is the opener, ends 1..n the receivers it was
offered to. A receiver end starts PENDING; the receiving context acknowledges it
(``ConnectAck``) when the onConnect event reaches it, accepted iff it had a listener then —
Chromium's renderer answers "no listener" the same way.

Invariants (checked by :meth:`Router.check_invariants` and the Hypothesis state machine):

1. ``onDisconnect`` is dispatched at most once per end, and never to the end whose owner
   called ``disconnect()``.
2. No ``DeliverMessage`` for an end is emitted after its ``DispatchDisconnect``.
3. Messages on one port are emitted in the order posted (FIFO per port); the driver keeps
   that order.
4. A channel with no live receiver closes; the opener learns it (with the no-receiver text
   when nobody ever accepted).
5. Destroying a context closes every port it owns.
6. Once every context is gone, no channel remains.

Chrome vs Firefox differences come from the :class:`~.profiles.Profile` (fan-out rules,
sender shapes, frame and document ids); every browser-visible text lives in
:mod:`.profiles`.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import model as m
from .errors import UsageError
from .match import MatchPattern
from .profiles import NO_RECEIVER, Profile

PENDING, OPEN, CLOSED = 0, 1, 2

#: virtual time 0 as a wall-clock epoch in ms (for tab.lastAccessed); fixed for determinism
EPOCH_MS = 1_795_000_000_000.0

#: stands for a JS ``undefined`` property value inside a sender object (a key that exists
#: with the value undefined); the JS shim and MessageSender turn it back
JS_UNDEFINED = "\u0000undefined\u0000"

#: events that wait while their worker starts (informational effects never wait)
_HELD = frozenset(
    {
        m.DispatchConnect,
        m.DeliverMessage,
        m.DispatchDisconnect,
        m.DispatchMessage,
        m.ActionClicked,
    }
)

#: backgrounds that stop when idle: MV3 service workers (Chrome) and event pages
IDLE_KINDS = frozenset({"service_worker", "event_page"})


def url_origin(url: str) -> str:
    """The origin string a browser reports for a URL (``sender.origin``)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https", "ws", "wss", "ftp", "chrome-extension", "moz-extension"):
        host = (parts.hostname or "").lower()
        port = parts.port
        default = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}.get(scheme)
        if port is not None and port != default:
            return f"{scheme}://{host}:{port}"
        return f"{scheme}://{host}"
    if scheme == "file":
        return "file://"
    return "null"


def _hex_id(kind: str, n: int) -> str:
    return hashlib.md5(f"{kind}-{n}".encode(), usedforsecurity=False).hexdigest()


def _uuid_from(text: str) -> str:
    h = hashlib.sha256(text.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


class CtxState:
    __slots__ = (
        "alive",
        "document_id",
        "ext_id",
        "frame_id",
        "id",
        "info",
        "kind",
        "label",
        "origin",
        "ports",
        "subkind",
        "tab_id",
        "url",
    )

    def __init__(self, info: m.ContextInfo) -> None:
        self.info = info
        self.id = info.ctx_id
        self.kind = info.kind
        self.subkind = info.subkind
        self.label = info.label
        self.url = info.url
        self.origin = url_origin(info.url)
        self.ext_id = info.ext_id
        self.tab_id = info.tab_id
        self.frame_id = info.frame_id
        self.document_id = info.document_id
        self.alive = True
        #: open port ends, used as an ordered set (an empty dict is not GC-tracked; a set is)
        self.ports: dict[m.PortKey, None] = {}


class ExtState:
    __slots__ = (
        "base_url",
        "contexts",
        "enabled",
        "ext_id",
        "idle_armed",
        "index",
        "last_activity",
        "manifest",
        "name",
        "pending_wake",
        "waking",
    )

    def __init__(self, ext_id: str, name: str, manifest: Any, base_url: str, index: int) -> None:
        self.ext_id = ext_id
        self.name = name
        self.manifest = manifest
        self.base_url = base_url
        self.index = index
        self.enabled = True
        self.contexts: list[int] = []
        #: idle tracking of a service worker / event page [C150 lifecycle §1][F153 lifecycle]
        self.last_activity = 0.0
        self.idle_armed = False
        #: a stopped worker being started by an event: its ctx id and the effects held back
        #: until its top-level script and zero-delay tasks ran [C150 lifecycle §2]
        self.waking: int | None = None
        self.pending_wake: list[m.Effect] = []


class FrameState:
    __slots__ = ("contexts", "document_id", "id", "orphans", "parent_id", "url")

    def __init__(self, frame_id: int, parent_id: int, url: str, document_id: str) -> None:
        self.id = frame_id
        self.parent_id = parent_id
        self.url = url
        self.document_id = document_id
        # tuples of ints, rebuilt on the rare change: the cyclic GC stops walking them
        self.contexts: tuple[int, ...] = ()
        #: content scripts orphaned by an extension reload/disable (they live on until the
        #: document goes away) [C150 lifecycle §5]
        self.orphans: tuple[int, ...] = ()


class TabState:
    __slots__ = (
        "cache",
        "ext_id",
        "frames",
        "history",
        "id",
        "index",
        "pos",
        "title",
        "url",
        "window_id",
    )

    def __init__(self, tab_id: int, url: str, title: str | None, ext_id: str | None) -> None:
        self.id = tab_id
        self.url = url
        self.title = title
        self.ext_id = ext_id
        self.window_id = 1
        self.index = 0
        self.frames: dict[int, FrameState] = {}
        #: session history (url, title) and the current entry
        self.history: tuple[tuple[str, str | None], ...] = ((url, title),)
        self.pos = 0
        #: back/forward cache: history position -> the frozen document's frames
        self.cache: dict[int, dict[int, FrameState]] = {}


class Channel:
    __slots__ = (
        "_fan",
        "accepted_any",
        "api",
        "ends",
        "external",
        "id",
        "name",
        "states",
        "workers",
    )

    def __init__(
        self, ch_id: int, name: str, ends: tuple[int, ...], api: str, external: bool
    ) -> None:
        self.id = ch_id
        self.name = name
        # a tuple of ints and a bytearray: neither is a container the cyclic GC walks, which
        # keeps 10,000 open channels cheap for it [bench_scale]
        self.ends = ends
        self.states = bytearray((OPEN, *(PENDING,) * (len(ends) - 1)))
        self.accepted_any = False
        self.api = api
        self.external = external
        #: delivery targets of the opener's messages, rebuilt after any end changes state
        self._fan: list[tuple[int, tuple[int, int]]] | None = None
        #: extensions whose idle-tracked background is an end: its messages keep it alive
        self.workers: tuple[str, ...] = ()


class Request:
    """One ``sendMessage``: its receivers and whether it has been answered."""

    __slots__ = ("any_listener", "api", "id", "receivers", "src")

    def __init__(self, req_id: int, src: int, receivers: list[int], api: str) -> None:
        self.id = req_id
        self.src = src
        self.api = api
        #: receiver ctx -> PENDING (dispatched), OPEN (kept open), CLOSED (done)
        self.receivers = dict.fromkeys(receivers, PENDING)
        self.any_listener = False


@dataclass(frozen=True, slots=True)
class TraceRecord:
    seq: int
    time: float
    kind: str
    source: str | None
    target: str | None
    port: int | None
    data: dict[str, Any] | None = None
    payload: str | None = None


class Router:
    """Owns contexts, tabs, frames, documents, extensions and channels."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.now = 0.0
        self.extensions: dict[str, ExtState] = {}
        self.tabs: dict[int, TabState] = {}
        self.contexts: dict[int, CtxState] = {}
        self.channels: dict[int, Channel] = {}
        self.requests: dict[int, Request] = {}
        self._next_request = 1
        #: contexts being started whose events are held back (see ExtState.waking)
        self._waking: set[int] = set()
        #: effects list of the command being handled (lets helpers start a worker)
        self._pending_out: list[m.Effect] | None = None
        #: back/forward cache on (chrome profile only; Browser(bfcache=...))
        self.bfcache = profile.bfcache_text is not None
        self._trace: list[tuple[Any, ...]] = []
        self.trace_enabled = True
        self._next_ctx = 1
        self._next_channel = 1
        self._next_tab = 1
        self._next_frame = 1
        self._next_doc = 1
        self._active_tab: int | None = None
        self._dispatch = {
            m.PostMessage: self._post,
            m.ConnectAck: self._ack,
            m.Connect: self._connect,
            m.Disconnect: self._disconnect,
            m.InstallExtension: self._install,
            m.UninstallExtension: self._uninstall,
            m.OpenTab: self._open_tab,
            m.OpenExtensionPage: self._open_ext_page,
            m.AddFrame: self._add_frame,
            m.RemoveFrame: self._remove_frame,
            m.Navigate: self._navigate,
            m.CloseTab: self._close_tab,
            m.CloseContext: self._close_context,
            m.SetTime: self._set_time,
            m.SendMessage: self._send_message,
            m.MessageHandled: self._message_handled,
            m.MessageReply: self._message_reply,
            m.ConnectNative: self._connect_native,
            m.TimerFired: self._timer_fired,
            m.StopWorker: self._stop_worker_cmd,
            m.ReloadExtension: self._reload,
            m.SetEnabled: self._set_enabled,
            m.ClickAction: self._click_action,
            m.History: self._history,
        }

    # ------------------------------------------------------------------ entry point

    def handle(self, command: m.Command) -> list[m.Effect]:
        """Apply one command; return the effects to execute, in order."""
        handler = self._dispatch.get(type(command))
        if handler is None:
            raise TypeError(f"unknown router command {command!r}")
        out: list[m.Effect] = []
        self._pending_out = out
        try:
            handler(command, out)  # type: ignore[operator]
        finally:
            self._pending_out = None
        if self._waking:
            out = self._hold_back(out)
        return out

    def _hold_back(self, out: list[m.Effect]) -> list[m.Effect]:
        """Events for a worker that is starting wait until it has run its script."""
        kept: list[m.Effect] = []
        for eff in out:
            cid = getattr(eff, "ctx_id", None)
            # only events for ports it is offered wait; ports it opened itself while its
            # script runs behave as in a running context
            if (
                cid in self._waking
                and type(eff) in _HELD
                and (not hasattr(eff, "port") or eff.port[1] != 0)
            ):
                ctx = self.contexts.get(cid)
                ext = self.extensions.get(ctx.ext_id) if ctx and ctx.ext_id else None
                if ext is not None and ext.waking == cid:
                    ext.pending_wake.append(eff)
                    continue
            kept.append(eff)
        return kept

    # ------------------------------------------------------------------ trace

    def _record(
        self,
        kind: str,
        source: str | None,
        target: str | None,
        port: int | None,
        data: dict[str, Any] | None = None,
        payload: str | None = None,
    ) -> None:
        if self.trace_enabled:
            # data is kept as a tuple of items: a tuple of plain values is not walked by the
            # cyclic GC once it has survived a collection, a dict always is [bench_scale]
            items = tuple(data.items()) if data is not None else None
            self._trace.append((self.now, kind, source, target, port, items, payload))

    record = _record

    @property
    def trace(self) -> list[TraceRecord]:
        """The trace so far (records are built on demand; the hot path stores tuples)."""
        return [
            TraceRecord(i, t[0], t[1], t[2], t[3], t[4], None if t[5] is None else dict(t[5]), t[6])
            for i, t in enumerate(self._trace, start=1)
        ]

    def _label(self, ctx_id: int) -> str:
        ctx = self.contexts.get(ctx_id)
        return ctx.label if ctx is not None else f"ctx{ctx_id}"

    # ------------------------------------------------------------------ ids

    def _new_document_id(self) -> str:
        n = self._next_doc
        self._next_doc += 1
        h = _hex_id("document", n)
        if self.profile.is_firefox:
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
        return h.upper()

    def _new_frame_id(self) -> int:
        n = self._next_frame
        self._next_frame += 1
        if self.profile.is_firefox:
            # [F153 g.] iframe frameIds are large browsing-context ids such as 15032385537
            return (7 << 31) + n
        return n

    def extension_base_url(self, ext_id: str) -> str:
        """``chrome-extension://<id>/``; Firefox uses a per-install UUID host [F153 tabs]."""
        if self.profile.is_firefox:
            return f"moz-extension://{_uuid_from('moz-extension:' + ext_id)}/"
        return f"chrome-extension://{ext_id}/"

    def context_id_for_js(self, ctx_id: int) -> int:
        """Firefox ``sender.contextId``: a large number such as 962072674305 [F153 g.]."""
        return ((ctx_id + 223) << 32) + 1

    # ------------------------------------------------------------------ contexts

    def _new_context(
        self,
        out: list[m.Effect],
        kind: str,
        label: str,
        url: str,
        *,
        ext_id: str | None = None,
        tab_id: int | None = None,
        frame: FrameState | None = None,
        subkind: str | None = None,
        scripts: tuple[int, ...] = (),
    ) -> CtxState:
        ctx_id = self._next_ctx
        self._next_ctx += 1
        info = m.ContextInfo(
            ctx_id=ctx_id,
            kind=kind,
            label=label,
            url=url,
            ext_id=ext_id,
            tab_id=tab_id,
            frame_id=frame.id if frame is not None else None,
            document_id=frame.document_id if frame is not None else self._new_document_id(),
            subkind=subkind,
            scripts=scripts,
        )
        ctx = CtxState(info)
        self.contexts[ctx_id] = ctx
        if frame is not None:
            frame.contexts = (*frame.contexts, ctx_id)
        if ext_id is not None and kind in m.EXTENSION_KINDS:
            self.extensions[ext_id].contexts.append(ctx_id)
        out.append(m.ContextCreated(info))
        self._record("lifecycle", label, None, None, {"event": "context_created", "url": url})
        return ctx

    def _ext_suffix(self, ext_id: str) -> str:
        ext = self.extensions[ext_id]
        return "" if ext.index == 0 else f"{ext.name}"

    def _destroy_context(
        self,
        ctx: CtxState,
        out: list[m.Effect],
        reason: str,
        error: str | None = None,
        *,
        orphan: bool = False,
    ) -> None:
        if not ctx.alive:
            return
        for port in sorted(ctx.ports):
            ch = self.channels.get(port[0])
            if ch is None:
                continue
            if port[1] == 0:
                self._close_from_opener(ch, out, error)
            else:
                self._receiver_gone(ch, port[1], out, error)
        for req in list(self.requests.values()):
            if req.src == ctx.id:
                del self.requests[req.id]  # nobody is left to answer
            elif req.receivers.get(ctx.id, CLOSED) != CLOSED:
                self._receiver_finished(req, ctx.id, out, gone=True)
        ctx.alive = False
        ctx.ports.clear()
        del self.contexts[ctx.id]
        if ctx.ext_id is not None and ctx.kind in m.EXTENSION_KINDS:
            ext = self.extensions.get(ctx.ext_id)
            if ext is not None and ctx.id in ext.contexts:
                ext.contexts.remove(ctx.id)
        self._waking.discard(ctx.id)
        if orphan:
            out.append(m.ContextOrphaned(ctx.id))
        else:
            out.append(m.ContextDestroyed(ctx.id, reason))
        self._record(
            "lifecycle",
            ctx.label,
            None,
            None,
            {"event": "context_orphaned" if orphan else "context_destroyed", "reason": reason},
        )

    # ------------------------------------------------------------------ extensions

    def _install(self, cmd: m.InstallExtension, out: list[m.Effect]) -> None:
        if cmd.ext_id in self.extensions:
            raise UsageError(f"an extension with id {cmd.ext_id!r} is already installed")
        ext = ExtState(cmd.ext_id, cmd.name, cmd.manifest, cmd.base_url, len(self.extensions))
        self.extensions[cmd.ext_id] = ext
        self._record(
            "lifecycle",
            None,
            None,
            None,
            {"event": "extension_installed", "id": cmd.ext_id, "name": cmd.name},
        )
        self._start_background(ext, out)
        if self.profile.is_firefox:
            # Firefox injects manifest content scripts into already-open matching tabs on
            # install [F153 lifecycle: "new content scripts are injected into already-open
            # matching tabs"]; Chrome waits for the next navigation [SEMANTICS §6].
            for tab in list(self.tabs.values()):
                for frame in list(tab.frames.values()):
                    self._inject(ext, tab, frame, out)

    def _start_background(
        self, ext: ExtState, out: list[m.Effect], reason: str = "install"
    ) -> CtxState | None:
        bg = getattr(ext.manifest, "background", None)
        if bg is None:
            return None
        if getattr(bg, "service_worker", None) and self.profile.is_chrome:
            subkind, url = "service_worker", ext.base_url + bg.service_worker
        elif getattr(bg, "page", None):
            subkind = "event_page" if getattr(bg, "is_event_page", False) else "page"
            url = ext.base_url + bg.page
        else:
            subkind = "event_page" if getattr(bg, "is_event_page", False) else "page"
            url = ext.base_url + "_generated_background_page.html"
        suffix = self._ext_suffix(ext.ext_id)
        label = f"background[{suffix}]" if suffix else "background"
        ctx = self._new_context(out, m.BACKGROUND, label, url, ext_id=ext.ext_id, subkind=subkind)
        if subkind in IDLE_KINDS:
            self._record(
                "lifecycle", label, None, None, {"event": "worker_started", "reason": reason}
            )
            self._touch(ext.ext_id, out)
        return ctx

    def _ext(self, ext_id: str) -> ExtState:
        ext = self.extensions.get(ext_id)
        if ext is None:
            raise UsageError(f"no extension with id {ext_id!r} is installed")
        return ext

    def _uninstall(self, cmd: m.UninstallExtension, out: list[m.Effect]) -> None:
        ext = self._ext(cmd.ext_id)
        self._disable(ext, out, "uninstalled")
        self._record(
            "lifecycle", None, None, None, {"event": "extension_uninstalled", "id": ext.ext_id}
        )
        del self.extensions[cmd.ext_id]

    def _disable(self, ext: ExtState, out: list[m.Effect], reason: str) -> None:
        """Every context of the extension goes; its content scripts are orphaned (Chrome)
        or silently stopped (Firefox) [SEMANTICS §6, C150 lifecycle §5]."""
        ext.enabled = False
        ext.waking = None
        ext.pending_wake.clear()
        ext.idle_armed = False
        out.append(m.CancelTimer(f"idle:{ext.ext_id}"))
        out.append(m.CancelTimer(f"wake:{ext.ext_id}"))
        for ctx in [
            c
            for c in self.contexts.values()
            if c.ext_id == ext.ext_id and c.kind != m.CONTENT_SCRIPT
        ]:
            self._destroy_context(ctx, out, reason)
        for tab in self.tabs.values():
            for frame in tab.frames.values():
                for cid in list(frame.contexts):
                    cs = self.contexts.get(cid)
                    if cs is None or cs.kind != m.CONTENT_SCRIPT or cs.ext_id != ext.ext_id:
                        continue
                    frame.contexts = tuple(c for c in frame.contexts if c != cid)
                    if self.profile.is_chrome:
                        self._destroy_context(cs, out, reason, orphan=True)
                        frame.orphans = (*frame.orphans, cid)
                    else:
                        self._destroy_context(cs, out, reason)
                frame.contexts = tuple(c for c in frame.contexts if c in self.contexts)

    def _enable(self, ext: ExtState, out: list[m.Effect]) -> None:
        ext.enabled = True
        self._start_background(ext, out, "enabled")
        if self.profile.is_firefox:
            # Firefox injects into already-open matching tabs [F153 lifecycle]; Chrome waits
            # for the next navigation [SEMANTICS §6]
            for tab in list(self.tabs.values()):
                for frame in list(tab.frames.values()):
                    self._inject(ext, tab, frame, out)

    def _reload(self, cmd: m.ReloadExtension, out: list[m.Effect]) -> None:
        ext = self._ext(cmd.ext_id)
        self._record(
            "lifecycle", None, None, None, {"event": "extension_reloading", "id": ext.ext_id}
        )
        self._disable(ext, out, "extension_reloaded")
        self._enable(ext, out)

    def _set_enabled(self, cmd: m.SetEnabled, out: list[m.Effect]) -> None:
        ext = self._ext(cmd.ext_id)
        if cmd.enabled == ext.enabled:
            return
        self._record(
            "lifecycle",
            None,
            None,
            None,
            {
                "event": "extension_enabled" if cmd.enabled else "extension_disabled",
                "id": ext.ext_id,
            },
        )
        if cmd.enabled:
            self._enable(ext, out)
        else:
            self._disable(ext, out, "extension_disabled")

    # ------------------------------------------------------------------ worker lifecycle

    def _touch(self, ext_id: str, out: list[m.Effect]) -> None:
        """An event or port message in either direction: the idle timer restarts."""
        ext = self.extensions.get(ext_id)
        if ext is None:
            return
        ext.last_activity = self.now
        if not ext.idle_armed:
            ext.idle_armed = True
            out.append(m.SetTimer(f"idle:{ext_id}", self.profile.idle_timeout))

    def _idle_tracked(self, ctx: CtxState | None) -> bool:
        return ctx is not None and ctx.kind == m.BACKGROUND and ctx.subkind in IDLE_KINDS

    def _timer_fired(self, cmd: m.TimerFired, out: list[m.Effect]) -> None:
        kind, _, ext_id = cmd.key.partition(":")
        ext = self.extensions.get(ext_id)
        if ext is None:
            return
        if kind == "idle":
            ext.idle_armed = False
            bg = self.background_of(ext_id)
            if bg is None or not self._idle_tracked(bg) or ext.waking is not None:
                return
            left = ext.last_activity + self.profile.idle_timeout - self.now
            if (
                left <= 1e-9
                and self.profile.is_chrome
                and any(
                    self.channels[p[0]].api == "native" for p in bg.ports if p[0] in self.channels
                )
            ):
                # an open connectNative port keeps a Chrome worker alive (Chrome 105+,
                # developer.chrome.com "The extension service worker lifecycle")
                left = self.profile.idle_timeout
            if left > 1e-9:
                ext.idle_armed = True
                out.append(m.SetTimer(cmd.key, left))
                return
            self._stop_worker(ext, "idle", out)
        elif kind == "wake":
            cid = ext.waking
            ext.waking = None
            if cid is not None:
                self._waking.discard(cid)
            held, ext.pending_wake = ext.pending_wake, []
            out.extend(held)

    def _stop_worker_cmd(self, cmd: m.StopWorker, out: list[m.Effect]) -> None:
        ext = self._ext(cmd.ext_id)
        bg = self.background_of(ext.ext_id)
        if bg is not None and not self._idle_tracked(bg):
            raise UsageError(
                f"{ext.name!r} has a persistent background page; only MV3 service "
                "workers and event pages stop"
            )
        if bg is not None:
            self._stop_worker(ext, cmd.reason, out)

    def _stop_worker(self, ext: ExtState, reason: str, out: list[m.Effect]) -> None:
        """Stop (Chrome) or suspend (Firefox) the background: its ports' far ends get
        onDisconnect without an error, its globals are gone [C150 lifecycle §1–§2]."""
        bg = self.background_of(ext.ext_id)
        if bg is None:
            return
        if bg.subkind == "event_page":
            out.append(m.Suspending(bg.id))  # runtime.onSuspend first [F153 lifecycle]
        self._record(
            "lifecycle", bg.label, None, None, {"event": "worker_stopped", "reason": reason}
        )
        ext.waking = None
        self._waking.discard(bg.id)
        ext.pending_wake.clear()
        ext.idle_armed = False
        out.append(m.CancelTimer(f"idle:{ext.ext_id}"))
        out.append(m.CancelTimer(f"wake:{ext.ext_id}"))
        self._destroy_context(bg, out, f"worker_stopped:{reason}")

    def _wake(self, ext: ExtState, out: list[m.Effect]) -> CtxState | None:
        """An event for a stopped worker starts it; the event waits for its script."""
        bg = self._start_background(ext, out, "event")
        if bg is None:
            return None
        self._record(
            "lifecycle", bg.label, None, None, {"event": "worker_waking", "id": ext.ext_id}
        )
        ext.waking = bg.id
        self._waking.add(bg.id)
        out.append(m.SetTimer(f"wake:{ext.ext_id}", self.profile.wake_dispatch_delay))
        return bg

    def _ensure_background(self, ext: ExtState, out: list[m.Effect]) -> None:
        if not ext.enabled:
            return
        bg = getattr(ext.manifest, "background", None)
        if bg is None or self.background_of(ext.ext_id) is not None:
            return
        self._wake(ext, out)

    def _click_action(self, cmd: m.ClickAction, out: list[m.Effect]) -> None:
        ext = self._ext(cmd.ext_id)
        self._ensure_background(ext, out)
        bg = self.background_of(ext.ext_id)
        if bg is None:
            raise UsageError(f"{ext.name!r} has no background context to receive onClicked")
        tab_id = cmd.tab_id if cmd.tab_id is not None else self._active_tab
        tab_obj = self.tab_object(tab_id, ext.ext_id) if tab_id in self.tabs else None
        self._record("action_clicked", None, bg.label, None, {"tab": tab_id})
        if self._idle_tracked(bg):
            self._touch(ext.ext_id, out)
        out.append(m.ActionClicked(bg.id, tab_obj))

    def background_of(self, ext_id: str) -> CtxState | None:
        ext = self.extensions.get(ext_id)
        if ext is None:
            return None
        for cid in ext.contexts:
            ctx = self.contexts[cid]
            if ctx.kind == m.BACKGROUND:
                return ctx
        return None

    # ------------------------------------------------------------------ tabs and frames

    def _reindex_tabs(self, from_index: int = 0) -> None:
        if from_index >= len(self.tabs):
            return  # the last tab closed: no index moves (keeps closing every tab linear)
        for tab in self.tabs.values():
            if tab.index > from_index:
                tab.index -= 1

    def _open_tab(self, cmd: m.OpenTab, out: list[m.Effect]) -> None:
        tab_id = self._next_tab
        self._next_tab += 1
        tab = TabState(tab_id, cmd.url, cmd.title, cmd.ext_id)
        tab.index = len(self.tabs)
        self.tabs[tab_id] = tab
        self._active_tab = tab_id
        frame = FrameState(0, -1, cmd.url, self._new_document_id())
        tab.frames[0] = frame
        out.append(m.TabCreated(tab_id, cmd.url))
        self._record(
            "lifecycle", None, None, None, {"event": "tab_opened", "tab": tab_id, "url": cmd.url}
        )
        self._populate_frame(tab, frame, out)

    def _populate_frame(self, tab: TabState, frame: FrameState, out: list[m.Effect]) -> None:
        if tab.ext_id is not None and frame.id == 0:
            ext = self.extensions.get(tab.ext_id)
            if ext is None:
                raise UsageError(f"no extension with id {tab.ext_id!r} is installed")
            path = (
                frame.url[len(ext.base_url) - 1 :]
                if frame.url.startswith(ext.base_url)
                else frame.url
            )
            suffix = self._ext_suffix(ext.ext_id)
            label = f"ext-page[{path}, tab {tab.id}{', ' + suffix if suffix else ''}]"
            self._new_context(
                out,
                m.EXTENSION_PAGE,
                label,
                frame.url,
                ext_id=ext.ext_id,
                tab_id=tab.id,
                frame=frame,
                subkind="tab",
            )
            return
        self._new_context(
            out,
            m.WEB_PAGE,
            f"page[tab {tab.id}, frame {frame.id}]",
            frame.url,
            tab_id=tab.id,
            frame=frame,
        )
        for ext in list(self.extensions.values()):
            self._inject(ext, tab, frame, out)

    def _inject(self, ext: ExtState, tab: TabState, frame: FrameState, out: list[m.Effect]) -> None:
        if not ext.enabled:
            return
        if any(
            self.contexts[c].kind == m.CONTENT_SCRIPT and self.contexts[c].ext_id == ext.ext_id
            for c in frame.contexts
            if c in self.contexts
        ):
            return
        entries = tuple(
            i
            for i, cs in enumerate(getattr(ext.manifest, "content_scripts", ()))
            if cs.applies_to(frame.url, top_frame=frame.id == 0)
        )
        if not entries:
            return
        suffix = self._ext_suffix(ext.ext_id)
        label = f"content[tab {tab.id}, frame {frame.id}{', ' + suffix if suffix else ''}]"
        self._new_context(
            out,
            m.CONTENT_SCRIPT,
            label,
            frame.url,
            ext_id=ext.ext_id,
            tab_id=tab.id,
            frame=frame,
            scripts=entries,
        )

    def _tab(self, tab_id: int) -> TabState:
        tab = self.tabs.get(tab_id)
        if tab is None:
            raise UsageError(f"no open tab with id {tab_id}")
        return tab

    def _add_frame(self, cmd: m.AddFrame, out: list[m.Effect]) -> None:
        tab = self._tab(cmd.tab_id)
        if cmd.parent_frame_id not in tab.frames:
            raise UsageError(f"tab {cmd.tab_id} has no frame {cmd.parent_frame_id}")
        frame = FrameState(
            self._new_frame_id(), cmd.parent_frame_id, cmd.url, self._new_document_id()
        )
        tab.frames[frame.id] = frame
        out.append(m.FrameCreated(tab.id, frame.id, cmd.url))
        self._record(
            "lifecycle",
            None,
            None,
            None,
            {"event": "frame_added", "tab": tab.id, "frame": frame.id, "url": cmd.url},
        )
        self._populate_frame(tab, frame, out)

    def _descendants(self, tab: TabState, frame_id: int) -> list[int]:
        """frame_id and every frame below it, children before parents."""
        result: list[int] = []
        for f in list(tab.frames.values()):
            if f.parent_id == frame_id:
                result.extend(self._descendants(tab, f.id))
        result.append(frame_id)
        return result

    def _clear_frame(
        self,
        tab: TabState,
        frame: FrameState,
        out: list[m.Effect],
        reason: str,
        error: str | None = None,
    ) -> None:
        for cid in list(frame.contexts):
            ctx = self.contexts.get(cid)
            if ctx is not None:
                self._destroy_context(ctx, out, reason, error)
        frame.contexts = ()
        for cid in frame.orphans:
            out.append(m.ContextDestroyed(cid, reason))
        frame.orphans = ()

    def _remove_frame(self, cmd: m.RemoveFrame, out: list[m.Effect]) -> None:
        tab = self._tab(cmd.tab_id)
        if cmd.frame_id == 0:
            raise UsageError("the top frame cannot be removed; close the tab instead")
        if cmd.frame_id not in tab.frames:
            raise UsageError(f"tab {cmd.tab_id} has no frame {cmd.frame_id}")
        for fid in self._descendants(tab, cmd.frame_id):
            self._clear_frame(tab, tab.frames[fid], out, "frame_removed")
            del tab.frames[fid]

    def _navigate(self, cmd: m.Navigate, out: list[m.Effect]) -> None:
        tab = self._tab(cmd.tab_id)
        frame = tab.frames.get(cmd.frame_id)
        if frame is None:
            raise UsageError(f"tab {cmd.tab_id} has no frame {cmd.frame_id}")
        if cmd.frame_id == 0:
            # a new history entry; the old document may enter the back/forward cache
            self._leave_document(tab, out)
            for pos in [p for p in tab.cache if p > tab.pos]:
                self._evict(tab, pos, out)
            tab.history = (*tab.history[: tab.pos + 1], (cmd.url, cmd.title))
            tab.pos += 1
            self._load_document(tab, cmd.url, cmd.title, out)
            return
        for fid in self._descendants(tab, cmd.frame_id):
            self._clear_frame(tab, tab.frames[fid], out, "navigated")
            if fid != cmd.frame_id:
                del tab.frames[fid]
        frame.url = cmd.url
        frame.document_id = self._new_document_id()
        if cmd.frame_id == 0:
            tab.url = cmd.url
            tab.title = cmd.title
            if tab.ext_id is not None and not cmd.url.startswith(
                self.extensions[tab.ext_id].base_url if tab.ext_id in self.extensions else "\0"
            ):
                tab.ext_id = None
        self._record(
            "lifecycle",
            None,
            None,
            None,
            {"event": "navigated", "tab": tab.id, "frame": cmd.frame_id, "url": cmd.url},
        )
        self._populate_frame(tab, frame, out)

    def _leave_document(self, tab: TabState, out: list[m.Effect]) -> None:
        """The top document goes: into the back/forward cache (Chrome, when on) or away."""
        if self.bfcache and tab.ext_id is None and self.profile.bfcache_text is not None:
            self._freeze(tab, out)
        else:
            for fid in self._descendants(tab, 0):
                self._clear_frame(tab, tab.frames[fid], out, "navigated")
        tab.frames = {}

    def _load_document(
        self, tab: TabState, url: str, title: str | None, out: list[m.Effect]
    ) -> None:
        tab.url = url
        tab.title = title
        if tab.ext_id is not None and not url.startswith(
            self.extensions[tab.ext_id].base_url if tab.ext_id in self.extensions else "\0"
        ):
            tab.ext_id = None
        frame = FrameState(0, -1, url, self._new_document_id())
        tab.frames[0] = frame
        self._record(
            "lifecycle",
            None,
            None,
            None,
            {"event": "navigated", "tab": tab.id, "frame": 0, "url": url},
        )
        self._populate_frame(tab, frame, out)

    def _freeze(self, tab: TabState, out: list[m.Effect]) -> None:
        """The page enters the back/forward cache: the far ends of its ports get Chrome's
        bfcache text; its own ports become zombies (no onDisconnect, posts go nowhere);
        its pending sendMessage calls never settle [C150 bfcache]."""
        text = self.profile.bfcache_text
        for fid in self._descendants(tab, 0):
            for cid in tab.frames[fid].contexts:
                ctx = self.contexts.get(cid)
                if ctx is None:
                    continue
                for port in sorted(ctx.ports):
                    ch = self.channels.get(port[0])
                    if ch is None:
                        continue
                    if port[1] == 0:
                        self._close_from_opener(ch, out, text)
                    else:
                        self._receiver_gone(ch, port[1], out, text)
                ctx.ports.clear()
                for req in list(self.requests.values()):
                    if req.src == cid:
                        del self.requests[req.id]
                    elif req.receivers.get(cid, CLOSED) != CLOSED:
                        self._receiver_finished(req, cid, out, gone=True)
                out.append(m.ContextFrozen(cid))
        tab.cache[tab.pos] = tab.frames
        self._record(
            "lifecycle",
            None,
            None,
            None,
            {"event": "bfcache_stored", "tab": tab.id, "url": tab.url},
        )

    def _evict(self, tab: TabState, pos: int, out: list[m.Effect]) -> None:
        frames = tab.cache.pop(pos, None)
        if frames is None:
            return
        saved = tab.frames
        tab.frames = frames
        for fid in self._descendants(tab, 0):
            self._clear_frame(tab, frames[fid], out, "bfcache_evicted")
        tab.frames = saved

    def _history(self, cmd: m.History, out: list[m.Effect]) -> None:
        tab = self._tab(cmd.tab_id)
        if cmd.delta == 0:
            # reload: a new document, never from the cache
            for fid in self._descendants(tab, 0):
                self._clear_frame(tab, tab.frames[fid], out, "reloaded")
            tab.frames = {}
            url, title = tab.history[tab.pos]
            self._load_document(tab, url, title, out)
            return
        target = tab.pos + cmd.delta
        if not 0 <= target < len(tab.history):
            return  # nothing to go back/forward to: ignored like the browsers' buttons
        self._leave_document(tab, out)
        tab.pos = target
        url, title = tab.history[target]
        frames = tab.cache.pop(target, None)
        if frames is None:
            self._load_document(tab, url, title, out)
            return
        # restored from the back/forward cache: same contexts, no new content scripts
        tab.frames = frames
        tab.url = url
        tab.title = title
        for fid in self._descendants(tab, 0):
            for cid in frames[fid].contexts:
                if cid in self.contexts:
                    out.append(m.ContextResumed(cid))
        self._record(
            "lifecycle", None, None, None, {"event": "bfcache_restored", "tab": tab.id, "url": url}
        )

    def _close_tab(self, cmd: m.CloseTab, out: list[m.Effect]) -> None:
        tab = self._tab(cmd.tab_id)
        for pos in list(tab.cache):
            self._evict(tab, pos, out)
        for fid in self._descendants(tab, 0):
            self._clear_frame(tab, tab.frames[fid], out, "tab_closed")
        del self.tabs[tab.id]
        self._reindex_tabs(tab.index)
        if self._active_tab == tab.id:
            self._active_tab = next(reversed(self.tabs), None) if self.tabs else None
        self._record("lifecycle", None, None, None, {"event": "tab_closed", "tab": tab.id})

    def _open_ext_page(self, cmd: m.OpenExtensionPage, out: list[m.Effect]) -> None:
        ext = self.extensions.get(cmd.ext_id)
        if ext is None:
            raise UsageError(f"no extension with id {cmd.ext_id!r} is installed")
        path = cmd.url[len(ext.base_url) - 1 :]
        suffix = self._ext_suffix(ext.ext_id)
        label = f"{cmd.subkind}[{path}{', ' + suffix if suffix else ''}]"
        self._new_context(
            out, m.EXTENSION_PAGE, label, cmd.url, ext_id=ext.ext_id, subkind=cmd.subkind
        )

    def _close_context(self, cmd: m.CloseContext, out: list[m.Effect]) -> None:
        ctx = self.contexts.get(cmd.ctx_id)
        if ctx is None:
            return
        if ctx.tab_id is not None and ctx.frame_id == 0 and ctx.kind == m.EXTENSION_PAGE:
            self._close_tab(m.CloseTab(ctx.tab_id), out)
            return
        self._destroy_context(ctx, out, cmd.reason, cmd.error)
        if ctx.tab_id is not None and ctx.tab_id in self.tabs:
            for frame in self.tabs[ctx.tab_id].frames.values():
                if ctx.id in frame.contexts:
                    frame.contexts = tuple(c for c in frame.contexts if c != ctx.id)

    def _set_time(self, cmd: m.SetTime, out: list[m.Effect]) -> None:
        self.now = cmd.now

    # ------------------------------------------------------------------ senders

    def _tab_permission(self, ext_id: str | None, url: str) -> bool:
        """Firefox ``hasTabPermission``: the ``tabs`` permission, a host permission for the
        tab's URL, or the extension's own page (ext-tabs-base.js ``convert``). Chromium's
        ``ExtensionTabUtil`` scrubbing follows the same rule: a content script's matches do
        not count [conformance tabs_query, both browsers]."""
        ext = self.extensions.get(ext_id) if ext_id is not None else None
        if ext is None:
            return True
        if url.startswith(ext.base_url):
            return True
        mf = ext.manifest
        perms: frozenset[str] = getattr(mf, "permissions", frozenset())
        if "tabs" in perms or "<all_urls>" in perms:
            return True
        for pattern in getattr(mf, "host_permissions", ()):
            try:
                if MatchPattern.parse(pattern, profile=self.profile.family).matches(url):
                    return True
            except ValueError:
                continue
        return False

    def query_tabs(self, query: dict[str, Any], for_ext: str | None) -> list[dict[str, Any]] | str:
        """``tabs.query``: the matching ``tabs.Tab`` objects by window and index, as ``for_ext``
        sees them, or the error text (an invalid url pattern). ``query`` is checked already
        (``validate.tabs_query_args``).

        [conformance tabs_query, Chromium 156 and Firefox 153]: a tab the extension has no
        permission for has no ``url``/``title`` (Chrome scrubs them, Firefox never sets them)
        and is never matched by ``url`` or ``title``; ``windowId`` -2 is the current window;
        ``title`` is a glob (``*``, ``?``)."""
        patterns = []
        for text in query.get("url", ()):
            try:
                patterns.append(MatchPattern.parse(text, profile=self.profile.family))
            except ValueError:
                return self.profile.invalid_url_pattern(text)
        active = self.tabs.get(self._active_tab) if self._active_tab is not None else None
        current = active.window_id if active is not None else 1
        out: list[dict[str, Any]] = []
        for tab in sorted(self.tabs.values(), key=lambda t: (t.window_id, t.index)):
            obj = self.tab_object(tab.id, for_ext)
            visible = self._tab_permission(for_ext, tab.url)
            if not visible:
                for key in ("url", "title", "favIconUrl", "pendingUrl"):
                    obj.pop(key, None)
            if self._tab_matches(tab, obj, query, visible, patterns, current):
                out.append(obj)
        return out

    @staticmethod
    def _tab_matches(
        tab: TabState,
        obj: dict[str, Any],
        query: dict[str, Any],
        visible: bool,
        patterns: list[MatchPattern],
        current: int,
    ) -> bool:
        for key, want in query.items():
            if key == "url":
                if not visible or not any(p.matches(tab.url) for p in patterns):
                    return False
            elif key == "title":
                title = obj.get("title")
                if not visible or not isinstance(title, str):
                    return False
                if not fnmatch.fnmatchcase(title, want):
                    return False
            elif key in ("currentWindow", "lastFocusedWindow"):
                if (tab.window_id == current) != want:
                    return False
            elif key == "windowId":
                if tab.window_id != (current if want == -2 else want):
                    return False
            elif key == "windowType":
                if want != "normal":
                    return False
            elif key == "muted":
                if obj.get("mutedInfo", {}).get("muted") != want:
                    return False
            elif key in ("camera", "microphone", "screen"):
                if bool(obj.get("sharingState", {}).get(key)) != want:
                    return False
            elif obj.get(key) != want:
                return False
        return True

    def tab_object(self, tab_id: int, for_ext: str | None = None) -> dict[str, Any]:
        """``tabs.Tab`` as the profile's JS sees it, keys in the browser's order.

        ``for_ext``: the extension that receives it (Firefox hides ``url``/``title`` from an
        extension without permission for the tab)."""
        tab = self.tabs[tab_id]
        url = tab.url
        title = tab.title if tab.title is not None else url
        active = tab.id == self._active_tab
        last = EPOCH_MS + self.now * 1000.0
        if self.profile.is_firefox:
            # [F153 g.] key order of sender.tab
            ff: dict[str, Any] = {
                "id": tab.id,
                "index": tab.index,
                "windowId": tab.window_id,
                "highlighted": active,
                "active": active,
                "attention": False,
                "pinned": False,
                "status": "complete",
                "hidden": False,
                "discarded": False,
                "incognito": False,
                "width": 1366,
                "height": 682,
                "lastAccessed": int(last),
                "audible": False,
                "autoDiscardable": True,
                "mutedInfo": {"muted": False},
                "isArticle": False,
                # [conformance ext_page_to_cs, Firefox 153]: present but undefined without
                # tab permission; sharingState.screen is always present and undefined
                "isInReaderMode": False,
                "sharingState": {"camera": False, "microphone": False, "screen": JS_UNDEFINED},
                "successorTabId": -1,
                "groupId": -1,
                "splitViewId": -1,
                "cookieStoreId": "firefox-default",
            }
            if self._tab_permission(for_ext, url):
                ff["url"] = url
                ff["title"] = title
            else:
                ff["isInReaderMode"] = JS_UNDEFINED
            return ff
        # [C150 sender] tab keys; extension-page tabs carry favIconUrl [C150 external Q1]
        obj: dict[str, Any] = {
            "active": active,
            "audible": False,
            "autoDiscardable": True,
            "discarded": False,
        }
        if tab.ext_id is not None:
            obj["favIconUrl"] = ""
        obj.update(
            {
                "frozen": False,
                "groupId": -1,
                "height": 633,
                "highlighted": active,
                "id": tab.id,
                "incognito": False,
                "index": tab.index,
                "lastAccessed": last,
                "mutedInfo": {"muted": False},
                "pinned": False,
                "selected": active,
                "splitViewId": -1,
                "status": "complete",
                "title": title,
                "url": url,
                "width": 1280,
                "windowId": tab.window_id,
            }
        )
        return obj

    def sender_for(self, src: CtxState, api: str, for_ext: str | None = None) -> dict[str, Any]:
        """The MessageSender a receiver sees, filled by the runtime only (never the caller)."""
        ext_id = src.ext_id
        in_frame = src.frame_id is not None
        if self.profile.is_firefox:
            # [F153 g., tabs, multi] keys: contextId, id, envType, url, [tab, frameId,]
            # documentId, origin
            d: dict[str, Any] = {
                "contextId": self.context_id_for_js(src.id),
                "id": ext_id,
                "envType": "content_child" if src.kind == m.CONTENT_SCRIPT else "addon_child",
                "url": src.url,
            }
            if in_frame and src.tab_id is not None and src.tab_id in self.tabs:
                d["tab"] = self.tab_object(src.tab_id, for_ext)
                d["frameId"] = src.frame_id
            d["documentId"] = src.document_id
            d["origin"] = src.origin
            return d
        if src.kind == m.WEB_PAGE:
            # [C150 external Q3] a page's sender has no id
            d = {"url": src.url, "origin": src.origin}
        elif api == "tabs":
            # [C150 tabs_connect, ext_page_sender] towards content scripts: id, url, origin
            return {"id": ext_id, "url": src.url, "origin": src.origin}
        elif src.kind == m.BACKGROUND and src.subkind == "service_worker":
            # [C150 ext_page_sender] a worker sender is {id, url}
            return {"id": ext_id, "url": src.url}
        else:
            d = {"id": ext_id, "url": src.url, "origin": src.origin}
        # frame-hosted sources: content scripts, extension pages, MV2 background pages
        # (the last cannot be measured in Chromium 150, which refuses MV2)
        d["frameId"] = src.frame_id if in_frame else 0
        d["documentId"] = src.document_id
        d["documentLifecycle"] = "active"
        if src.tab_id is not None and src.tab_id in self.tabs:
            d["tab"] = self.tab_object(src.tab_id)
        return d

    # ------------------------------------------------------------------ channels

    def _candidates(
        self, src: CtxState, cmd: m.Connect | m.SendMessage
    ) -> tuple[list[int], str, bool]:
        """Receiving contexts of a connect, the API name and whether it is external."""
        if cmd.tab_id is not None:
            tab = self.tabs.get(cmd.tab_id)
            if tab is None:
                return [], "tabs", False
            result: list[int] = []
            for frame in sorted(tab.frames.values(), key=lambda f: f.id):
                if cmd.frame_id is not None and frame.id != cmd.frame_id:
                    continue
                if cmd.document_id is not None and frame.document_id != cmd.document_id:
                    continue
                for cid in frame.contexts:
                    c = self.contexts.get(cid)
                    if c is not None and c.kind == m.CONTENT_SCRIPT and c.ext_id == src.ext_id:
                        result.append(cid)
            return result, "tabs", False
        target = cmd.target_ext if cmd.target_ext is not None else src.ext_id
        external = src.kind == m.WEB_PAGE or target != src.ext_id
        ext = self.extensions.get(target) if target is not None else None
        if ext is None or not ext.enabled:
            return [], "runtime", external
        if external and not self._may_connect_externally(src, ext):
            return [], "runtime", external
        if self._pending_out is not None:
            # an event for a stopped worker / suspended event page starts it first
            # [C150 lifecycle §2, §4][F153 lifecycle: ProxyMessenger wakes the background]
            self._ensure_background(ext, self._pending_out)
        receivers = [cid for cid in ext.contexts if cid != src.id and self.contexts[cid].alive]
        return receivers, "runtime", external

    def _may_connect_externally(self, src: CtxState, target: ExtState) -> bool:
        """``externally_connectable`` [C150 external]: absent = every extension, no page."""
        ec = getattr(target.manifest, "externally_connectable", None)
        if src.kind == m.WEB_PAGE:
            if self.profile.is_firefox:
                return False
            return ec is not None and bool(ec.allows_url(src.url))
        if self.profile.is_firefox or ec is None:
            return True
        return bool(ec.allows_extension(src.ext_id))

    def _connect(self, cmd: m.Connect, out: list[m.Effect]) -> None:
        src = self.contexts.get(cmd.src_ctx)
        if src is None or not src.alive:
            raise UsageError(f"context {cmd.src_ctx} is gone")
        receivers, api, external = self._candidates(src, cmd)
        ch_id = self._next_channel
        self._next_channel += 1
        ch = Channel(ch_id, cmd.name, (src.id, *receivers), api, external)
        self.channels[ch_id] = ch
        src.ports[ch_id, 0] = None
        out.append(m.PortOpened(src.id, (ch_id, 0), cmd.name))
        data: dict[str, Any] = {"name": cmd.name, "api": api, "external": external}
        if cmd.tab_id is not None:
            data.update(tab=cmd.tab_id, frame=cmd.frame_id, document=cmd.document_id)
        elif cmd.target_ext is not None:
            data["ext"] = cmd.target_ext
        self._record(
            "connect",
            src.label,
            ", ".join(self.contexts[r].label for r in receivers) or None,
            ch_id,
            data,
        )
        if not receivers:
            self._fail(ch, out)
            return
        sender = self.sender_for(src, api, cmd.target_ext or src.ext_id)
        ch.workers = self._workers_of([src.id, *receivers])
        for ext_id in ch.workers:
            self._touch(ext_id, out)
        for end, cid in enumerate(receivers, start=1):
            self.contexts[cid].ports[ch_id, end] = None
            out.append(m.DispatchConnect(cid, (ch_id, end), cmd.name, sender, external))

    def _workers_of(self, ctx_ids: list[int]) -> tuple[str, ...]:
        found: list[str] = []
        for cid in ctx_ids:
            ctx = self.contexts.get(cid)
            if self._idle_tracked(ctx) and ctx is not None and ctx.ext_id not in found:
                found.append(ctx.ext_id or "")
        return tuple(found)

    def _fail(self, ch: Channel, out: list[m.Effect]) -> None:
        """Nobody took the connection: the opener gets the no-receiver text."""
        opener = self.contexts.get(ch.ends[0])
        self._record(
            "connect_failed",
            opener.label if opener else None,
            None,
            ch.id,
            {"name": ch.name, "error": NO_RECEIVER},
        )
        self._end_closed(ch, 0, out, NO_RECEIVER, notify=True)
        self._forget(ch)

    def _end_closed(
        self, ch: Channel, end: int, out: list[m.Effect], error: str | None, notify: bool
    ) -> None:
        if ch.states[end] == CLOSED:
            return
        ch.states[end] = CLOSED
        ch._fan = None
        cid = ch.ends[end]
        ctx = self.contexts.get(cid)
        if ctx is not None:
            ctx.ports.pop((ch.id, end), None)
        if notify and ctx is not None:
            out.append(m.DispatchDisconnect(cid, (ch.id, end), error))
            self._record(
                "disconnect",
                None,
                ctx.label,
                ch.id,
                {"name": ch.name, "end": "opener" if end == 0 else "receiver", "error": error},
            )

    def _forget(self, ch: Channel) -> None:
        ch._fan = None
        for end in range(len(ch.ends)):
            if ch.states[end] != CLOSED:
                ch.states[end] = CLOSED
                ctx = self.contexts.get(ch.ends[end])
                if ctx is not None:
                    ctx.ports.pop((ch.id, end), None)
        self.channels.pop(ch.id, None)

    def _close_from_opener(self, ch: Channel, out: list[m.Effect], error: str | None) -> None:
        """The opener disconnected or went away: every receiver is told."""
        self._end_closed(ch, 0, out, None, notify=False)
        for end in range(1, len(ch.ends)):
            self._end_closed(ch, end, out, error, notify=True)
        self._forget(ch)

    def _live_receivers(self, ch: Channel) -> bool:
        return any(s != CLOSED for s in ch.states[1:])

    def _receiver_gone(self, ch: Channel, end: int, out: list[m.Effect], error: str | None) -> None:
        """A receiver's context went away (it did not call disconnect)."""
        was_open = ch.states[end] == OPEN
        self._end_closed(ch, end, out, None, notify=False)
        if self.profile.fanout_one_port and was_open:
            # [F153 c.] any receiver going away ends the port for the opener and every
            # other receiver, all with error null
            for other in range(len(ch.ends)):
                self._end_closed(ch, other, out, error, notify=True)
            self._forget(ch)
            return
        if not self._live_receivers(ch):
            # [C150 fanout_close] the opener is disconnected when the last receiver goes
            if ch.accepted_any:
                self._end_closed(ch, 0, out, error, notify=True)
                self._forget(ch)
            else:
                self._fail(ch, out)

    def _ack(self, cmd: m.ConnectAck, out: list[m.Effect]) -> None:
        ch = self.channels.get(cmd.port[0])
        end = cmd.port[1]
        if ch is None or end == 0 or ch.states[end] != PENDING:
            return
        if cmd.accepted:
            ch.states[end] = OPEN
            ch.accepted_any = True
            ch._fan = None
            return
        self._end_closed(ch, end, out, None, notify=False)
        if not self._live_receivers(ch) and ch.states[0] != CLOSED:
            if ch.accepted_any:
                self._end_closed(ch, 0, out, None, notify=True)
                self._forget(ch)
            else:
                self._fail(ch, out)

    def _post(self, cmd: m.PostMessage, out: list[m.Effect]) -> None:
        out.extend(self.post(cmd.port, cmd.payload))

    def post(self, port: m.PortKey, payload: str) -> list[m.Effect]:
        """``PostMessage`` without the command object (the driver's hot path)."""
        ch_id, end = port
        ch = self.channels.get(ch_id)
        if ch is None or ch.states[end] == CLOSED:
            # the sender's end is still open locally but the channel is gone: dropped
            # silently [C150 fanout: "their later posts are silently dropped"]
            self._record(
                "message_dropped", self._label_of_end(ch_id, end), None, ch_id, None, payload
            )
            return []
        if end == 0:
            fan = ch._fan
            if fan is None:
                ends = ch.ends
                fan = ch._fan = [
                    (ends[i], (ch_id, i)) for i in range(1, len(ends)) if ch.states[i] != CLOSED
                ]
        else:
            fan = [(ch.ends[0], (ch_id, 0))] if ch.states[0] != CLOSED else []
        out: list[m.Effect] = [m.DeliverMessage(cid, key, payload) for cid, key in fan]
        if ch.workers:
            for ext_id in ch.workers:
                self._touch(ext_id, out)
            if self._waking:
                out = self._hold_back(out)
        if self.trace_enabled:
            contexts = self.contexts
            src = contexts.get(ch.ends[end])
            if len(fan) == 1:
                tgt = contexts.get(fan[0][0])
                target = tgt.label if tgt is not None else None
            else:
                target = ", ".join(self._label(cid) for cid, _ in fan) or None
            self._trace.append(
                (
                    self.now,
                    "message",
                    src.label if src is not None else None,
                    target,
                    ch_id,
                    None,
                    payload,
                )
            )
        return out

    def _label_of_end(self, ch_id: int, end: int) -> str | None:
        for ctx in self.contexts.values():
            if (ch_id, end) in ctx.ports:
                return ctx.label
        return None

    def _disconnect(self, cmd: m.Disconnect, out: list[m.Effect]) -> None:
        ch_id, end = cmd.port
        ch = self.channels.get(ch_id)
        if ch is None or ch.states[end] == CLOSED:
            return  # a second disconnect() is silently ignored [C150 ordering]
        ctx = self.contexts.get(ch.ends[end])
        self._record(
            "disconnect_called",
            ctx.label if ctx else None,
            None,
            ch_id,
            {"name": ch.name, "end": "opener" if end == 0 else "receiver"},
        )
        if end == 0:
            self._close_from_opener(ch, out, None)
            return
        self._end_closed(ch, end, out, None, notify=False)
        if self.profile.fanout_one_port:
            # [F153 c.] opener and every other receiver get onDisconnect, error null
            for other in range(len(ch.ends)):
                self._end_closed(ch, other, out, None, notify=True)
        else:
            # [C150 fanout] one receiver's disconnect() closes the channel for the opener at
            # once; other receivers get nothing and their posts are dropped silently
            self._end_closed(ch, 0, out, None, notify=True)
        self._forget(ch)

    def _connect_native(self, cmd: m.ConnectNative, out: list[m.Effect]) -> None:
        """A channel to a native host: the host is a context of kind NATIVE [SEMANTICS §5]."""
        src = self.contexts.get(cmd.src_ctx)
        if src is None or not src.alive:
            raise UsageError(f"context {cmd.src_ctx} is gone")
        # Firefox names the port after the application, Chrome leaves it "" [N §1]
        name = cmd.application if self.profile.is_firefox else ""
        host = self._new_context(
            out,
            m.NATIVE,
            f"native[{cmd.application}]",
            f"native:{cmd.application}",
            ext_id=src.ext_id,
            subkind=cmd.application,
        )
        ch_id = self._next_channel
        self._next_channel += 1
        ch = Channel(ch_id, name, (src.id, host.id), "native", False)
        self.channels[ch_id] = ch
        src.ports[ch_id, 0] = None
        host.ports[ch_id, 1] = None
        out.append(m.PortOpened(src.id, (ch_id, 0), name))
        self._record(
            "connect",
            src.label,
            host.label,
            ch_id,
            {"name": name, "api": "native", "application": cmd.application},
        )
        out.append(
            m.DispatchConnect(
                host.id, (ch_id, 1), name, {"id": src.ext_id, "kind": src.kind}, False
            )
        )

    # ------------------------------------------------------------------ one-shot messages

    def _send_message(self, cmd: m.SendMessage, out: list[m.Effect]) -> None:
        src = self.contexts.get(cmd.src_ctx)
        if src is None or not src.alive:
            raise UsageError(f"context {cmd.src_ctx} is gone")
        receivers, api, external = self._candidates(src, cmd)
        req_id = self._next_request
        self._next_request += 1
        out.append(m.RequestOpened(src.id, req_id))
        self._record(
            "send_message",
            src.label,
            ", ".join(self.contexts[r].label for r in receivers) or None,
            None,
            {"request": req_id, "api": api, "external": external},
            cmd.payload,
        )
        if not receivers:
            self._resolve(src.id, req_id, out, error=NO_RECEIVER)
            return
        self.requests[req_id] = Request(req_id, src.id, receivers, api)
        for ext_id in self._workers_of([src.id, *receivers]):
            self._touch(ext_id, out)
        sender = self.sender_for(src, api, cmd.target_ext or src.ext_id)
        for cid in receivers:
            out.append(m.DispatchMessage(cid, req_id, cmd.payload, sender, external))
            self._record(
                "send_message_delivery",
                src.label,
                self.contexts[cid].label,
                None,
                {"request": req_id},
            )

    def _resolve(
        self,
        ctx_id: int,
        req_id: int,
        out: list[m.Effect],
        *,
        payload: str | None = None,
        error: str | None = None,
        no_response: bool = False,
        source: int | None = None,
    ) -> None:
        self.requests.pop(req_id, None)
        ctx = self.contexts.get(ctx_id)
        if ctx is None:
            return
        out.append(m.ResolveRequest(ctx_id, req_id, payload, error, no_response))
        if self._idle_tracked(ctx):
            self._touch(ctx.ext_id or "", out)
        data: dict[str, Any] = {"request": req_id}
        if error is not None:
            data["error"] = error
        if no_response:
            data["no_response"] = True
        self._record(
            "reply",
            self._label(source) if source is not None else None,
            ctx.label,
            None,
            data,
            payload,
        )

    def _message_handled(self, cmd: m.MessageHandled, out: list[m.Effect]) -> None:
        req = self.requests.get(cmd.req_id)
        if req is None or req.receivers.get(cmd.ctx_id, CLOSED) == CLOSED:
            return
        if cmd.had_listener:
            req.any_listener = True
        if cmd.keep_open:
            req.receivers[cmd.ctx_id] = OPEN
            return
        self._receiver_finished(req, cmd.ctx_id, out, gone=False)

    def _receiver_finished(
        self, req: Request, ctx_id: int, out: list[m.Effect], *, gone: bool
    ) -> None:
        """A receiver is done without answering; settle the request when nobody is left."""
        was = req.receivers[ctx_id]
        req.receivers[ctx_id] = CLOSED
        if any(state != CLOSED for state in req.receivers.values()):
            return
        if not req.any_listener:
            self._resolve(req.src, req.id, out, error=NO_RECEIVER)
        elif gone and was == OPEN and self.profile.is_chrome:
            # the responder closed after `return true` [C150 async_close]
            self._resolve(req.src, req.id, out, error=self.profile.async_response_lost)
        elif gone and was == OPEN and req.api == "tabs":
            # Firefox: tabs.sendMessage to a content script that went away after `return
            # true` never settles [conformance sm_reply_tab_closed, Firefox 153]
            del self.requests[req.id]
        else:
            self._resolve(req.src, req.id, out, no_response=True)

    def _message_reply(self, cmd: m.MessageReply, out: list[m.Effect]) -> None:
        req = self.requests.get(cmd.req_id)
        if req is None or cmd.ctx_id not in req.receivers:
            return  # already answered: later replies are ignored [C150 reply_matrix]
        self._resolve(req.src, req.id, out, payload=cmd.payload, error=cmd.error, source=cmd.ctx_id)

    # ------------------------------------------------------------------ queries / checks

    def check_invariants(self) -> None:
        """Structural invariants; raises AssertionError when one does not hold."""
        for ch in self.channels.values():
            assert any(s != CLOSED for s in ch.states), f"closed channel {ch.id} kept"
            for end, cid in enumerate(ch.ends):
                if ch.states[end] != CLOSED:
                    ctx = self.contexts.get(cid)
                    assert ctx is not None and ctx.alive, f"channel {ch.id} end {end} dead ctx"
                    assert (ch.id, end) in ctx.ports
        for ctx in self.contexts.values():
            assert ctx.alive
            for ch_id, end in ctx.ports:
                owner = self.channels.get(ch_id)
                assert owner is not None and owner.states[end] != CLOSED, (ctx.label, ch_id)
                assert owner.ends[end] == ctx.id
        for req in self.requests.values():
            assert req.src in self.contexts, f"request {req.id} from a dead context"
            for cid, state in req.receivers.items():
                assert state == CLOSED or cid in self.contexts, f"request {req.id} dead receiver"
        if not self.contexts:
            assert not self.channels, "channels left after every context is gone"
            assert not self.requests, "requests left after every context is gone"
