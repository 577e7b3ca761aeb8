"""Contexts and their namespaces, by the one naming rule (``onConnect`` → ``on_connect``)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .._core import model as m
from .._core.errors import (
    ExtensionAPIError,
    ExtensionTypeError,
    MessagingError,
    UsageError,
    WebExtRuntimeError,
)
from .._core.native_texts import firefox_bad_name_text, native_error, valid_host_name
from .._core.profiles import (
    CHROME_CONTEXT_INVALIDATED,
    FIREFOX_INCORRECT_ARGS,
    FIREFOX_UNEXPECTED_ERROR,
)
from .._core.sender import TabInfo
from .._core.serialize import decode, encode
from .._core.validate import (
    ABSENT,
    connect_args,
    python_info,
    send_message_args,
    tabs_connect_args,
    tabs_query_args,
    tabs_send_message_args,
    with_info,
)
from .._driver.events import Event
from .._driver.pyhost import LastError, Port, PythonContextHost

if TYPE_CHECKING:
    from .browser import Browser, Tab


class NamespaceUnavailableError(WebExtRuntimeError, AttributeError):
    """The context's kind has no such namespace in a browser (e.g. ``tabs`` in a content script)."""


_CONNECT_DEFAULTS: dict[str, Any] = {"name": "", "include_tls_channel_id": False}
_TABS_CONNECT_DEFAULTS: dict[str, Any] = {"name": "", "frame_id": None, "document_id": None}


class RuntimeNamespace:
    """``runtime`` of one context."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    @property
    def id(self) -> str | None:
        """The extension's id (``None`` in a web page or an orphaned content script)."""
        return None if self._ctx._host.invalidated else self._ctx.ext_id

    @property
    def on_suspend(self) -> Event:
        """``runtime.onSuspend`` (event pages)."""
        return self._ctx._host.on_suspend

    @property
    def last_error(self) -> LastError | None:
        """Chrome: set only while a callback / onDisconnect listener runs."""
        return self._ctx._host.last_error

    @property
    def on_connect(self) -> Event:
        self._ctx._require_extension("runtime.onConnect")
        return self._ctx._host.on_connect

    @property
    def on_connect_external(self) -> Event:
        self._ctx._require_extension("runtime.onConnectExternal")
        return self._ctx._host.on_connect_external

    def connect(self, ext_id: Any = ABSENT, connect_info: Any = ABSENT, /, **kwargs: Any) -> Port:
        """``runtime.connect([extensionId], {name, includeTlsChannelId})``.

        Python keywords follow the naming rule (``name=``, ``include_tls_channel_id=``); a
        dict may be passed positionally as ``connectInfo`` like in JS.
        """
        ctx = self._ctx
        ctx._check_alive()
        profile = ctx.browser.profile
        info = python_info(kwargs, _CONNECT_DEFAULTS)
        if connect_info is ABSENT and isinstance(ext_id, dict):
            args: tuple[Any, ...] = (with_info(ext_id, info),)
        else:
            args = (ext_id, with_info(connect_info, info))
        parsed = connect_args(profile, args, from_web_page=ctx.kind == m.WEB_PAGE)
        effects = ctx.browser._driver.submit(
            m.Connect(
                ctx.ctx_id,
                name=parsed.name,
                target_ext=parsed.ext_id,
                include_tls_channel_id=parsed.include_tls_channel_id,
            )
        )
        return ctx._host.open_port(effects)

    @property
    def on_message(self) -> Event:
        self._ctx._require_extension("runtime.onMessage")
        return self._ctx._host.on_message

    @property
    def on_message_external(self) -> Event:
        self._ctx._require_extension("runtime.onMessageExternal")
        return self._ctx._host.on_message_external

    async def send_message(
        self,
        message: Any,
        ext_id: str | None = None,
        *,
        include_tls_channel_id: bool | None = None,
        timeout: float | None = None,
    ) -> Any:
        """``runtime.sendMessage``: the first reply (``UNDEFINED`` when nobody answered), or
        :class:`MessagingError` with the browser's exact text.

        ``timeout`` (virtual seconds) bounds the wait; without it a request that can never
        be answered raises :class:`UsageError` once nothing else can happen.
        """
        ctx = self._ctx
        ctx._check_alive()
        options = (
            {}
            if include_tls_channel_id is None
            else {"includeTlsChannelId": include_tls_channel_id}
        )
        args: tuple[Any, ...] = (
            (ext_id, message, options) if (ext_id is not None or options) else (message,)
        )
        parsed = send_message_args(ctx.browser.profile, args, from_web_page=ctx.kind == m.WEB_PAGE)
        return await ctx._send(
            m.SendMessage(
                ctx.ctx_id,
                ctx._encode_request(message, "runtime.sendMessage"),
                target_ext=parsed.ext_id,
            ),
            timeout,
        )

    def connect_native(self, application: str) -> Port:
        """``runtime.connectNative(application)``: a Port to a real native host process."""
        ctx = self._ctx
        ctx._check_alive()
        ctx._require_native("connectNative")
        ctx._check_native_name(application, "runtime.connectNative")
        effects = ctx.browser._driver.submit(m.ConnectNative(ctx.ctx_id, application))
        return ctx._host.open_port(effects)

    async def send_native_message(self, application: str, message: Any) -> Any:
        """``runtime.sendNativeMessage``: starts one host process, returns its first message."""
        ctx = self._ctx
        ctx._check_alive()
        ctx._require_native("sendNativeMessage")
        ctx._check_native_name(application, "runtime.sendNativeMessage")
        profile = ctx.browser.profile
        payload = encode(message, profile.family)
        if ctx.kind == m.CONTENT_SCRIPT:
            raise MessagingError(FIREFOX_UNEXPECTED_ERROR)
        native = ctx.browser._native
        valid = valid_host_name(application, native.family)
        if not valid:
            raise MessagingError(
                native_error("invalid_name", native.family, name=application, one_shot=True).text
                or ""
            )
        driver = ctx.browser._driver
        driver.router.record(
            "send_native_message",
            ctx.label,
            f"native[{application}]",
            None,
            {"application": application},
            payload,
        )
        task = asyncio.ensure_future(native.one_shot(ctx.ext_id or "", application, payload))
        reply = await driver.run_until(task, f"the answer of native host {application!r}")
        driver.router.record(
            "reply", f"native[{application}]", ctx.label, None, {"application": application}, reply
        )
        return decode(reply, profile.family)

    def get_url(self, path: str) -> str:
        """``runtime.getURL(path)``."""
        ctx = self._ctx
        if ctx.ext_id is None:
            raise NamespaceUnavailableError("a web page has no runtime.getURL")
        base = ctx.browser._driver.router.extension_base_url(ctx.ext_id)
        return base + path.lstrip("/")


class TabsNamespace:
    """``tabs`` of an extension context (content scripts have none)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def connect(self, tab_id: Any = ABSENT, connect_info: Any = ABSENT, /, **kwargs: Any) -> Port:
        """``tabs.connect(tabId, {name, frameId, documentId})``."""
        ctx = self._ctx
        ctx._check_alive()
        info = python_info(kwargs, _TABS_CONNECT_DEFAULTS)
        parsed = tabs_connect_args(ctx.browser.profile, (tab_id, with_info(connect_info, info)))
        effects = ctx.browser._driver.submit(
            m.Connect(
                ctx.ctx_id,
                name=parsed.name,
                tab_id=parsed.tab_id,
                frame_id=parsed.frame_id,
                document_id=parsed.document_id,
            )
        )
        return ctx._host.open_port(effects)

    async def send_message(
        self,
        tab_id: int,
        message: Any,
        *,
        frame_id: int | None = None,
        document_id: str | None = None,
        timeout: float | None = None,
    ) -> Any:
        """``tabs.sendMessage(tabId, message, {frameId, documentId})``."""
        ctx = self._ctx
        ctx._check_alive()
        options = {
            k: v for k, v in (("frameId", frame_id), ("documentId", document_id)) if v is not None
        }
        parsed = tabs_send_message_args(ctx.browser.profile, (tab_id, message, options))
        return await ctx._send(
            m.SendMessage(
                ctx.ctx_id,
                ctx._encode_request(message, "tabs.sendMessage"),
                tab_id=parsed.tab_id,
                frame_id=parsed.frame_id,
                document_id=parsed.document_id,
            ),
            timeout,
        )

    async def query(self, query_info: Any = ABSENT, /, **kwargs: Any) -> list[TabInfo]:
        """``tabs.query(queryInfo)``: the matching tabs as this extension sees them (no
        ``url``/``title`` for a tab it has no permission for). Keyword arguments are the
        ``queryInfo`` keys in snake_case (``active=True, current_window=True``); an argument
        error raises :class:`ExtensionTypeError` with the profile's text, an invalid url
        pattern :class:`ExtensionAPIError` (the browser's rejection)."""
        ctx = self._ctx
        ctx._check_alive()
        info = with_info(query_info, python_info(kwargs, {}))
        checked = tabs_query_args(ctx.browser.profile, (info,))
        found = ctx.browser._driver.router.query_tabs(checked, ctx.ext_id)
        await asyncio.sleep(0)  # answered later, as the browser's reply is
        if isinstance(found, str):
            raise ExtensionAPIError(found)
        return [TabInfo.from_js(t) for t in found]


class ActionNamespace:
    """``action`` / ``browserAction`` / ``pageAction`` of a background context."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    @property
    def on_clicked(self) -> Event:
        return self._ctx._host.on_action_clicked


class Context:
    """Any extension context, content script or web page, played from Python or JS."""

    def __init__(self, browser: Browser, info: m.ContextInfo, host: PythonContextHost) -> None:
        self.browser = browser
        self.info = info
        self._host = host
        # namespaces are made on first use (most contexts a test creates never need tabs)
        self._runtime: RuntimeNamespace | None = None
        self._tabs: TabsNamespace | None = None

    def __repr__(self) -> str:
        state = "alive" if self.alive else "gone"
        return f"<Context {self.label} {state}>"

    # -- identity --------------------------------------------------------------------------

    @property
    def ctx_id(self) -> int:
        return self.info.ctx_id

    @property
    def label(self) -> str:
        return self.info.label

    @property
    def kind(self) -> str:
        """``background``, ``extension_page``, ``content_script`` or ``web_page``."""
        return self.info.kind

    @property
    def subkind(self) -> str | None:
        return self.info.subkind

    @property
    def url(self) -> str:
        return self.info.url

    @property
    def ext_id(self) -> str | None:
        return self.info.ext_id

    @property
    def tab_id(self) -> int | None:
        return self.info.tab_id

    @property
    def frame_id(self) -> int | None:
        return self.info.frame_id

    @property
    def document_id(self) -> str | None:
        return self.info.document_id

    @property
    def alive(self) -> bool:
        return self._host.alive and self.ctx_id in self.browser._driver.router.contexts

    @property
    def tab(self) -> Tab | None:
        return self.browser._tabs.get(self.tab_id) if self.tab_id is not None else None

    # -- namespaces ------------------------------------------------------------------------

    @property
    def runtime(self) -> RuntimeNamespace:
        if self.kind == m.WEB_PAGE and not self.browser._page_has_runtime(self):
            # [C150 external]: chrome.runtime exists in a page only when an installed
            # extension's externally_connectable.matches matches the frame; Firefox pages
            # never get it.
            raise NamespaceUnavailableError(
                f"{self.label} has no runtime namespace: no installed extension lists "
                f"{self.url!r} in externally_connectable.matches"
                if self.browser.profile.is_chrome
                else f"{self.label} has no runtime namespace: Firefox gives web pages none"
            )
        rt = self._runtime
        if rt is None:
            rt = self._runtime = RuntimeNamespace(self)
        return rt

    @property
    def tabs(self) -> TabsNamespace:
        if self.kind not in m.EXTENSION_KINDS:
            raise NamespaceUnavailableError(
                f"{self.label} has no tabs namespace: browsers give content scripts and web "
                "pages only runtime messaging"
            )
        tabs = self._tabs
        if tabs is None:
            tabs = self._tabs = TabsNamespace(self)
        return tabs

    def _action(self, key: str) -> ActionNamespace:
        ext = self.browser._extensions.get(self.ext_id or "")
        if self.kind not in m.EXTENSION_KINDS or ext is None or ext.parsed.action_key != key:
            raise NamespaceUnavailableError(
                f"{self.label} has no {key} namespace (the manifest must declare {key!r})"
            )
        return ActionNamespace(self)

    @property
    def action(self) -> ActionNamespace:
        return self._action("action")

    @property
    def browser_action(self) -> ActionNamespace:
        return self._action("browser_action")

    @property
    def page_action(self) -> ActionNamespace:
        return self._action("page_action")

    async def evaluate(self, source: str) -> Any:
        """Evaluate JS in this context and return a JSON-able value (JS contexts only)."""
        evaluate = getattr(self._host, "evaluate", None)
        if evaluate is None:
            raise UsageError(f"{self.label} is played from Python; it has no JS to evaluate")
        return await evaluate(source)

    async def close(self) -> None:
        """Close this context (an extension page or popup)."""
        if self.alive:
            self.browser._driver.submit(m.CloseContext(self.ctx_id))
        await self.browser.settle()

    # -- internals -------------------------------------------------------------------------

    def _encode_request(self, message: Any, api: str) -> str:
        profile = self.browser.profile
        try:
            return encode(message, profile.family)
        except ExtensionAPIError as exc:
            if profile.is_chrome:
                # [C150 validation] sendMessage serialization errors carry the signature
                raise ExtensionTypeError(profile.invocation_error(api, exc.message)) from None
            raise

    async def _send(self, cmd: m.SendMessage, timeout: float | None) -> Any:
        driver = self.browser._driver
        effects = driver.submit(cmd)
        req_id = next(e.req_id for e in effects if isinstance(e, m.RequestOpened))
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._host.requests[req_id] = fut
        return await driver.run_until(
            fut, f"the reply to request {req_id} from {self.label}", timeout
        )

    def _require_native(self, api: str) -> None:
        ext = self.browser._extensions.get(self.ext_id or "")
        perms = ext.parsed.permissions if ext is not None else frozenset()
        chrome_cs = self.kind == m.CONTENT_SCRIPT and self.browser.profile.is_chrome
        if self.kind == m.WEB_PAGE or chrome_cs or "nativeMessaging" not in perms:
            # [N §0] absent (typeof undefined) without the permission, and in Chrome
            # content scripts
            raise NamespaceUnavailableError(
                f'{self.label} has no runtime.{api}: it needs the "nativeMessaging" '
                "permission and an extension page or background context"
            )

    def _check_native_name(self, name: Any, api: str) -> None:
        profile = self.browser.profile
        if not isinstance(name, str):
            raise ExtensionTypeError(
                profile.no_matching_signature(api)
                if profile.is_chrome
                else FIREFOX_INCORRECT_ARGS.format(api=api)
            )
        if profile.is_firefox and not valid_host_name(name, "firefox"):
            # Firefox throws synchronously [N §9]
            raise ExtensionTypeError(firefox_bad_name_text(name, api), js_name="Error")

    def _check_alive(self) -> None:
        if self._host.invalidated:
            raise ExtensionAPIError(CHROME_CONTEXT_INVALIDATED)
        if not self.alive:
            raise UsageError(f"{self.label} is gone (its tab closed or navigated)")

    def _require_extension(self, what: str) -> None:
        if self.kind == m.WEB_PAGE:
            raise NamespaceUnavailableError(f"a web page has no {what}")
