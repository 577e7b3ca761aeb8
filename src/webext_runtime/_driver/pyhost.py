"""Python-played contexts: the ``Port`` object and the host that receives router effects.

A :class:`PythonContextHost` is everything a context needs to take part in messaging with
no JS engine: its ``runtime.onConnect`` / ``onConnectExternal`` listener lists, its ports
and its ``runtime.lastError`` slot. JS realms implement the same host protocol in
``_bridge``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .._core import model as m
from .._core import profiles as P
from .._core.errors import ExtensionAPIError, ExtensionTypeError, MessagingError, UsageError
from .._core.sender import MessageSender, TabInfo
from .._core.serialize import UNDEFINED, decode, encode
from .events import Event, LazyEvent

if TYPE_CHECKING:
    from .driver import Driver

_MISSING: Any = object()


class LastError:
    """``runtime.lastError``: an object with ``message`` (Chrome sets it during callbacks)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return f"LastError({self.message!r})"

    def __str__(self) -> str:
        return self.message


class Port:
    """``runtime.Port`` for a Python-played context.

    ``name``, ``sender`` (None on the opener's side), ``error`` (Firefox; always None under
    Chrome), ``post_message``, ``disconnect``, ``on_message`` (``fn(message, port)``),
    ``on_disconnect`` (``fn(port)``). Extras for tests: ``messages`` (everything received),
    ``await next_message()``, ``disconnected`` and ``await wait_disconnect()``.
    """

    # Everything a port may never need (listener lists, the received-message log, waiters) is
    # created on first use: a test holding 10,000 idle ports should not give the cyclic GC
    # 10,000 x (two Events + three lists) to walk [bench_scale].
    __slots__ = (
        "_cursor",
        "_disconnect_waiters",
        "_host",
        "_messages",
        "_on_disconnect",
        "_on_message",
        "_sender",
        "_sender_js",
        "_waiters",
        "disconnected",
        "error",
        "is_opener",
        "key",
        "name",
    )

    def __init__(
        self, host: PythonContextHost, key: m.PortKey, name: str, sender: dict[str, Any] | None
    ) -> None:
        self._host = host
        self.key = key
        self.name = name
        self.is_opener = key[1] == 0
        self._sender_js = sender
        self._sender: MessageSender | None = None
        self.error: ExtensionAPIError | None = None
        self.disconnected = False
        self._on_message: Event | None = None
        self._on_disconnect: Event | None = None
        self._messages: list[Any] | None = None
        self._cursor = 0
        self._waiters: list[asyncio.Future[Any]] | None = None
        self._disconnect_waiters: list[asyncio.Future[None]] | None = None

    @property
    def on_message(self) -> Event:
        """``port.onMessage``: listeners ``fn(message, port)``."""
        ev = self._on_message
        if ev is None:
            ev = self._on_message = Event("port.onMessage")
        return ev

    @property
    def on_disconnect(self) -> Event:
        """``port.onDisconnect``: listeners ``fn(port)``."""
        ev = self._on_disconnect
        if ev is None:
            ev = self._on_disconnect = Event("port.onDisconnect")
        return ev

    @property
    def messages(self) -> list[Any]:
        """Every message this port received, in order."""
        msgs = self._messages
        if msgs is None:
            msgs = self._messages = []
        return msgs

    @property
    def sender(self) -> MessageSender | None:
        """``runtime.MessageSender`` (None on the opener's side)."""
        if self._sender is None and self._sender_js is not None:
            self._sender = MessageSender.from_js(self._sender_js)
        return self._sender

    def __repr__(self) -> str:
        side = "opener" if self.is_opener else "receiver"
        state = "disconnected" if self.disconnected else "open"
        return f"<Port {self.name!r} ch{self.key[0]} {side} {state}>"

    # -- the browser API -------------------------------------------------------------------

    def post_message(self, message: Any = _MISSING) -> None:
        host = self._host
        profile = host.driver.profile
        if message is _MISSING:
            if profile.is_chrome:
                raise ExtensionTypeError(P.CHROME_INSUFFICIENT_ARGS)
            message = UNDEFINED  # Firefox sends undefined [F153 misc]
        if self.disconnected:
            raise ExtensionAPIError(profile.port_disconnected)
        if not host.alive:
            raise UsageError(f"{host.label} is gone; its ports cannot be used")
        host.driver.post(self.key, encode(message, host._family))

    def disconnect(self) -> None:
        if self.disconnected:
            return  # a second disconnect() is silently ignored [C150 ordering]
        self.disconnected = True
        host = self._host
        host.ports.pop(self.key, None)
        if host.alive:
            host.driver.submit(m.Disconnect(self.key))
        self._wake_disconnect()

    # -- test helpers ----------------------------------------------------------------------

    async def next_message(self, timeout: float | None = None) -> Any:
        """The next message not yet returned by ``next_message`` (drives the runtime)."""
        if self._cursor < len(self.messages):
            self._cursor += 1
            return self.messages[self._cursor - 1]
        driver = self._host.driver
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        waiters = self._waiters
        if waiters is None:
            waiters = self._waiters = []
        waiters.append(fut)
        try:
            await driver.run_until(fut, f"a message on {self!r}", timeout)
        finally:
            if fut in waiters:
                waiters.remove(fut)
        self._cursor += 1
        return self.messages[self._cursor - 1]

    async def wait_disconnect(self, timeout: float | None = None) -> None:
        """Drive the runtime until this port's onDisconnect has fired (or it was closed)."""
        if self.disconnected:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._disconnect_waiters is None:
            self._disconnect_waiters = []
        self._disconnect_waiters.append(fut)
        await self._host.driver.run_until(fut, f"onDisconnect of {self!r}", timeout)

    # -- driver side -----------------------------------------------------------------------

    def _receive(self, message: Any) -> None:
        msgs = self._messages
        if msgs is None:
            self._messages = [message]
        else:
            msgs.append(message)
        if self._waiters:
            w = self._waiters.pop(0)
            if not w.done():
                w.set_result(None)
        ev = self._on_message
        if ev is not None:
            call = self._host.driver.call_listener
            for fn, arity in ev._snap:
                call(fn, arity, (message, self))

    def _wake_disconnect(self) -> None:
        waiters = self._disconnect_waiters
        if waiters:
            for w in waiters:
                if not w.done():
                    w.set_result(None)
            waiters.clear()


class PythonContextHost:
    """A context played from Python: receives the router's effects for it."""

    on_connect = LazyEvent("runtime.onConnect")
    on_connect_external = LazyEvent("runtime.onConnectExternal")
    on_action_clicked = LazyEvent("action.onClicked")
    on_message = LazyEvent("runtime.onMessage")
    on_message_external = LazyEvent("runtime.onMessageExternal")
    on_suspend = LazyEvent("runtime.onSuspend")

    def __init__(self, driver: Driver, info: m.ContextInfo) -> None:
        self.driver = driver
        self.info = info
        self.label = info.label
        self.alive = True
        self._family = driver.profile.family
        #: the extension was reloaded/disabled: this (content script) context is orphaned
        self.invalidated = False
        #: outgoing one-shot requests waiting for their outcome
        self.requests: dict[int, asyncio.Future[Any]] = {}
        self.ports: dict[m.PortKey, Port] = {}
        self._last_error: LastError | None = None
        self._last_error_read = False

    # -- runtime.lastError -------------------------------------------------------------------

    @property
    def last_error(self) -> LastError | None:
        self._last_error_read = True
        return self._last_error

    # -- opener side -------------------------------------------------------------------------

    def open_port(self, effects: list[m.Effect]) -> Port:
        for eff in effects:
            if isinstance(eff, m.PortOpened):
                port = Port(self, eff.port, eff.name, None)
                self.ports[eff.port] = port
                return port
        raise AssertionError("connect produced no PortOpened effect")

    # -- ContextHost protocol ----------------------------------------------------------------

    def dispatch_connect(
        self, port: m.PortKey, name: str, sender: dict[str, Any], external: bool
    ) -> None:
        event = self.on_connect_external if external else self.on_connect
        accepted = event.has_listeners()
        self.driver.submit(m.ConnectAck(port, accepted))
        if accepted:
            self._accept_python(port, name, sender, event)

    def _accept_python(
        self, port: m.PortKey, name: str, sender: dict[str, Any], event: Event
    ) -> None:
        p = Port(self, port, name, sender)
        self.ports[port] = p
        # every listener of the context gets the same Port object [C150 shapes][F153 multi]
        for fn, arity in event.snapshot():
            self.driver.call_listener(fn, arity, (p,))

    # -- one-shot messages -----------------------------------------------------------------

    def dispatch_message(
        self, req_id: int, payload: str, sender: dict[str, Any], external: bool
    ) -> None:
        had, keep = self._python_message(req_id, payload, sender, external)
        self.driver.submit(m.MessageHandled(req_id, self.info.ctx_id, had, keep))

    def _python_message(
        self, req_id: int, payload: str, sender: dict[str, Any], external: bool
    ) -> tuple[bool, bool]:
        """Run the Python onMessage listeners; returns (had a listener, keeps it open)."""
        event = self.on_message_external if external else self.on_message
        listeners = event.snapshot()
        if not listeners:
            return False, False
        driver = self.driver
        profile = driver.profile
        family = profile.family
        ctx_id = self.info.ctx_id
        message = decode(payload, family)
        sender_obj = MessageSender.from_js(sender)
        answered = [False]

        def reply(payload_out: str | None, error: str | None) -> None:
            if answered[0]:
                return
            answered[0] = True
            driver.submit(m.MessageReply(req_id, ctx_id, payload_out, error))

        def send_response(value: Any = UNDEFINED) -> None:
            if answered[0]:
                return  # later answers are ignored and do not throw [C150 reply_matrix]
            try:
                out = encode(value, family)
            except ExtensionAPIError as exc:
                # [C150 reply_matrix sr_fn]: the responder gets a TypeError, the sender the text
                reply(None, exc.message)
                raise ExtensionTypeError(exc.message) from None
            reply(out, None)

        def settled(fut: asyncio.Future[Any]) -> None:
            if answered[0] or fut.cancelled():
                return
            exc = fut.exception()
            if exc is not None:
                text = str(exc) or type(exc).__name__
                # [C150 reply_matrix]: "Uncaught Error: msg"; Chromium 156 and Firefox: "msg"
                reply(
                    None, f"Uncaught Error: {text}" if profile.chromium150_listener_errors else text
                )
                return
            value = fut.result()
            if value is None and profile.is_firefox:
                value = UNDEFINED  # a coroutine's None is a promise resolving undefined
            send_response(value)

        keep = False
        for fn, arity in listeners:
            result = driver.call_listener(fn, arity, (message, sender_obj, send_response))
            if result is True:
                keep = True
            elif isinstance(result, asyncio.Future):
                keep = True
                result.add_done_callback(settled)
        return True, keep and not answered[0]

    def resolve_request(
        self, req_id: int, payload: str | None, error: str | None, no_response: bool
    ) -> None:
        fut = self.requests.pop(req_id, None)
        if fut is None or fut.done():
            return
        if error is not None:
            fut.set_exception(MessagingError(error))
        elif no_response or payload is None:
            fut.set_result(UNDEFINED)
        else:
            fut.set_result(decode(payload, self.driver.profile.family))

    def action_clicked(self, tab: dict[str, Any] | None) -> None:
        """``browserAction`` / ``action`` / ``pageAction`` ``.onClicked(tab)``."""
        info = TabInfo.from_js(tab) if tab is not None else None
        for fn, arity in self.on_action_clicked.snapshot():
            self.driver.call_listener(fn, arity, (info,))

    def deliver_message(self, port: m.PortKey, payload: str) -> None:
        p = self.ports.get(port)
        if p is None or p.disconnected:
            return
        p._receive(decode(payload, self._family))

    def dispatch_disconnect(self, port: m.PortKey, error: str | None) -> None:
        p = self.ports.pop(port, None)
        if p is None or p.disconnected:
            return
        p.disconnected = True
        profile = self.driver.profile
        ev = p._on_disconnect
        listeners = () if ev is None else ev._snap
        if error is not None and profile.error_in_last_error:
            # Chrome: lastError is set only while onDisconnect listeners run; unread, it is
            # logged as "Unchecked runtime.lastError: ..." [C150 no_receiver]
            self._last_error = LastError(error)
            self._last_error_read = False
            try:
                for fn, arity in listeners:
                    self.driver.call_listener(fn, arity, (p,))
            finally:
                self._last_error = None
            if not self._last_error_read:
                self.driver.log(
                    self.label, "error", profile.unchecked_last_error.format(message=error)
                )
        else:
            if error is not None:
                p.error = MessagingError(error)  # Firefox: port.error stays set [F153 a.]
            for fn, arity in listeners:
                self.driver.call_listener(fn, arity, (p,))
        p._wake_disconnect()

    def suspending(self) -> None:
        """An event page is being suspended: ``runtime.onSuspend`` listeners run."""
        for fn, arity in self.on_suspend.snapshot():
            self.driver.call_listener(fn, arity, ())

    def orphaned(self) -> None:
        self.invalidated = True
        for p in self.ports.values():
            p.disconnected = True
        self.ports.clear()

    def destroyed(self, reason: str) -> None:
        self.alive = False
        for fut in self.requests.values():
            fut.cancel()
        self.requests.clear()
        for p in self.ports.values():
            p.disconnected = True
            p._wake_disconnect()
        self.ports.clear()
        hook = self.driver.on_context_destroyed
        if hook is not None:
            hook(self.info.ctx_id)
