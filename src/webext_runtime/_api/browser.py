"""``Browser``, ``Extension`` and ``Tab``: what a test or script holds."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from .._bridge.jshost import Bridge, ExtensionBundle, JSContextHost, page_title
from .._core import model as m
from .._core.errors import ExtensionScriptError, ManifestError, UsageError
from .._core.extid import chrome_id_from_key, chrome_id_from_seed, firefox_temporary_id
from .._core.manifest import ParsedManifest, parse_manifest, parse_manifest_text
from .._core.profiles import Profile, get_profile
from .._core.serialize import decode
from .._driver.driver import ConsoleMessage, ContextHost, Driver
from .._driver.nativehost import NativeMessaging, NativePortHost
from .._driver.pyhost import PythonContextHost
from .context import Context

HostFactoryHook = Callable[["Browser", m.ContextInfo], "ContextHost | None"]


class Extension:
    """An installed extension."""

    def __init__(
        self, browser: Browser, ext_id: str, manifest: ParsedManifest, path: Path | None
    ) -> None:
        self.browser = browser
        self.id = ext_id
        self.parsed = manifest
        self.path = path
        self.base_url = browser._driver.router.extension_base_url(ext_id)

    def __repr__(self) -> str:
        return f"<Extension {self.name!r} {self.id}>"

    @property
    def name(self) -> str:
        return str(self.parsed.name)

    @property
    def manifest(self) -> dict[str, Any]:
        """The manifest as written (a copy)."""
        return json.loads(json.dumps(self.parsed.raw))  # type: ignore[no-any-return]

    @property
    def background(self) -> Context | None:
        """The background page / event page / service worker context (None if none runs)."""
        ctx = self.browser._driver.router.background_of(self.id)
        return self.browser._context(ctx.id) if ctx is not None else None

    @property
    def pages(self) -> list[Context]:
        """Every open extension page of this extension (tabs, popups, options)."""
        router = self.browser._driver.router
        return [
            self.browser._context(c)
            for c in router.contexts
            if router.contexts[c].ext_id == self.id and router.contexts[c].kind == m.EXTENSION_PAGE
        ]

    def get_url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    async def click_action(self, tab: Tab | None = None) -> None:
        """Click the toolbar button: ``browserAction`` / ``action`` / ``pageAction``
        ``.onClicked`` fires in the background with the active tab."""
        key = self.parsed.action_key
        if key is None:
            raise UsageError(f"{self.name!r} declares no action, browser_action or page_action")
        if self.parsed.popup:
            raise UsageError(
                f"{self.name!r} has a popup ({self.parsed.popup}): clicking the "
                "action opens it instead of firing onClicked; use open_popup()"
            )
        self.browser._driver.submit(m.ClickAction(self.id, tab.id if tab is not None else None))
        await self.browser.settle()

    # -- lifecycle -------------------------------------------------------------------------

    def _reinstall_worker(self) -> None:
        # reload / re-enable registers the service worker again (a new installation)
        bundle = self.browser._bundles.get(self.id)
        if bundle is not None:
            bundle.reinstall_worker()

    async def stop_service_worker(self) -> None:
        """Stop the MV3 service worker (or suspend an event page) now, as DevTools'
        "Stop" / chrome://serviceworker-internals does: its ports' far ends get
        onDisconnect, its globals are gone; the next event starts it again."""
        self.browser._driver.submit(m.StopWorker(self.id, "devtools"))
        await self.browser.settle()

    @property
    def worker_running(self) -> bool:
        """Whether the background (service worker / event page) is running now."""
        return self.browser._driver.router.background_of(self.id) is not None

    async def reload(self) -> None:
        """``runtime.reload()``: every context restarts; old content scripts are orphaned."""
        self._reinstall_worker()
        self.browser._driver.submit(m.ReloadExtension(self.id))
        await self.browser.settle()

    async def disable(self) -> None:
        self.browser._driver.submit(m.SetEnabled(self.id, False))
        await self.browser.settle()

    async def enable(self) -> None:
        state = self.browser._driver.router.extensions.get(self.id)
        if state is not None and not state.enabled:
            self._reinstall_worker()
        self.browser._driver.submit(m.SetEnabled(self.id, True))
        await self.browser.settle()

    async def uninstall(self) -> None:
        self.browser._driver.submit(m.UninstallExtension(self.id))
        self.browser._extensions.pop(self.id, None)
        self.browser._bundles.pop(self.id, None)
        await self.browser.settle()

    async def open_popup(self) -> Context:
        """Open the action's popup (``default_popup``) as an extension page outside any tab."""
        if not self.parsed.popup:
            raise UsageError(f"{self.name!r} declares no default_popup")
        return await self._open_view(self.parsed.popup, "popup")

    async def open_options_page(self) -> Context:
        """``runtime.openOptionsPage()``: the options page, in a tab."""
        if not self.parsed.options_page:
            raise UsageError(f"{self.name!r} declares no options page")
        return await self.open_page(self.parsed.options_page)

    async def _open_view(self, path: str, subkind: str) -> Context:
        drv = self.browser._driver
        effects = drv.submit(m.OpenExtensionPage(self.id, self.get_url(path), subkind))
        ctx_id = next(e.info.ctx_id for e in effects if isinstance(e, m.ContextCreated))
        await self.browser.settle()
        return self.browser._context(ctx_id)

    async def open_page(self, path: str, *, in_tab: bool = True) -> Context:
        """Open an extension page (by default in a new tab, like ``tabs.create``)."""
        url = self.get_url(path)
        drv = self.browser._driver
        title = None
        if self.path is not None:
            page = self.path / path.split("?")[0].split("#")[0].lstrip("/")
            if page.is_file():
                title = page_title(page.read_text(encoding="utf-8-sig", errors="replace"))
        if not in_tab:
            return await self._open_view(path, "page")
        effects = drv.submit(m.OpenTab(url, title=title, ext_id=self.id))
        ctx_id = next(e.info.ctx_id for e in effects if isinstance(e, m.ContextCreated))
        tab_ids = [e.tab_id for e in effects if isinstance(e, m.TabCreated)]
        if tab_ids:
            self.browser._tabs[tab_ids[0]] = Tab(self.browser, tab_ids[0])
        await self.browser.settle()
        return self.browser._context(ctx_id)


class Tab:
    """A browser tab with its frames."""

    def __init__(self, browser: Browser, tab_id: int) -> None:
        self.browser = browser
        self.id = tab_id

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed"
        return f"<Tab {self.id} {state} {self.url!r}>"

    @property
    def is_open(self) -> bool:
        return self.id in self.browser._driver.router.tabs

    def _state(self) -> Any:
        st = self.browser._driver.router.tabs.get(self.id)
        if st is None:
            raise UsageError(f"tab {self.id} is closed")
        return st

    @property
    def url(self) -> str | None:
        st = self.browser._driver.router.tabs.get(self.id)
        return st.url if st is not None else None

    @property
    def frame_ids(self) -> list[int]:
        return sorted(self._state().frames)

    def _frame_contexts(self, frame_id: int) -> list[Any]:
        st = self._state()
        frame = st.frames.get(frame_id)
        if frame is None:
            raise UsageError(f"tab {self.id} has no frame {frame_id}")
        router = self.browser._driver.router
        return [router.contexts[c] for c in frame.contexts if c in router.contexts]

    @property
    def page(self) -> Context:
        """The top frame's own (main world) context."""
        return self.frame_page(0)

    def frame_page(self, frame_id: int) -> Context:
        for c in self._frame_contexts(frame_id):
            if c.kind in (m.WEB_PAGE, m.EXTENSION_PAGE):
                return self.browser._context(c.id)
        raise UsageError(f"tab {self.id} frame {frame_id} has no page context")

    def content_script(self, ext: Extension | str, frame_id: int = 0) -> Context:
        """``ext``'s content-script context in a frame (only where its manifest matches)."""
        ext_id = ext.id if isinstance(ext, Extension) else ext
        for c in self._frame_contexts(frame_id):
            if c.kind == m.CONTENT_SCRIPT and c.ext_id == ext_id:
                return self.browser._context(c.id)
        frame = self._state().frames[frame_id]
        raise UsageError(
            f"no content script of extension {ext_id} in tab {self.id} frame {frame_id}: "
            f"its manifest's content_scripts do not match {frame.url!r}"
            + (" (a frame that is not the top frame needs all_frames: true)" if frame_id else "")
        )

    async def click(self, selector: str = "body", *, frame_id: int = 0) -> bool:
        """A user click on the first element matching ``selector`` in a frame: the page's and
        content scripts' ``click`` listeners see it. Returns whether an element matched."""
        drv = self.browser._driver
        drv.router._record(
            "click", None, f"tab {self.id}, frame {frame_id}", None, {"selector": selector}
        )
        matched = False
        for c in self._frame_contexts(frame_id):
            host = drv.hosts.get(c.id)
            if isinstance(host, JSContextHost):
                matched = host.click(selector) or matched
        await self.browser.settle()
        return matched

    async def add_frame(self, url: str, parent_frame_id: int = 0) -> int:
        """Add a child frame (an iframe); returns its frame id."""
        effects = self.browser._driver.submit(m.AddFrame(self.id, url, parent_frame_id))
        frame_id = next(e.frame_id for e in effects if isinstance(e, m.FrameCreated))
        await self.browser.settle()
        return frame_id

    async def remove_frame(self, frame_id: int) -> None:
        self.browser._driver.submit(m.RemoveFrame(self.id, frame_id))
        await self.browser.settle()

    async def reload(self) -> None:
        """Reload the page: a new document (never from the back/forward cache)."""
        self.browser._driver.submit(m.History(self.id, 0))
        await self.browser.settle()

    async def go_back(self) -> None:
        """History back; Chrome restores a cached page with its contexts (bfcache)."""
        self.browser._driver.submit(m.History(self.id, -1))
        await self.browser.settle()

    async def go_forward(self) -> None:
        self.browser._driver.submit(m.History(self.id, +1))
        await self.browser.settle()

    async def navigate(self, url: str, *, frame_id: int = 0) -> None:
        """Load a new document: the old one's contexts go, matching content scripts come."""
        self.browser._driver.submit(m.Navigate(self.id, url, frame_id))
        await self.browser.settle()

    async def close(self) -> None:
        self.browser._driver.submit(m.CloseTab(self.id))
        self.browser._tabs.pop(self.id, None)
        await self.browser.settle()


class Browser:
    """A headless WebExtensions runtime with a virtual clock.

    ``profile`` is ``"chrome"`` (default), ``"firefox"``, or an alias (``"edge"``,
    ``"opera"``, ``"firefox-android"``). ``native_hosts``: directories searched for native
    messaging host manifests (``NAME.json``); ``native_timeout``: real seconds ``settle()``
    waits for a native host that is expected to answer before raising
    :class:`SettleTimeoutError`; ``autojump_threshold``: while a native host runs, awaits
    that move the virtual clock (``evaluate`` of a promise, ``next_message``...) jump to
    the next timer only after this many real seconds without an event from any host, so a
    virtual timer cannot overtake a message a host is about to send.
    ``enable_benchmarking`` (chrome profiles): Chromium's ``--enable-benchmarking`` switch,
    which gives every page ``chrome.benchmarking`` and ``chrome.Interval`` (a stopwatch in
    microseconds, here on the virtual clock).
    """

    def __init__(
        self,
        profile: str | Profile = "chrome",
        *,
        bfcache: bool = True,
        native_hosts: list[str | os.PathLike[str]] | None = None,
        trace: bool = True,
        native_timeout: float = 10.0,
        autojump_threshold: float = 0.5,
        enable_benchmarking: bool = False,
    ) -> None:
        self.profile = get_profile(profile)
        if enable_benchmarking and not self.profile.is_chrome:
            raise UsageError("enable_benchmarking is a Chromium switch (chrome profiles only)")
        for label, value in (
            ("native_timeout", native_timeout),
            ("autojump_threshold", autojump_threshold),
        ):
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise UsageError(
                    f"Browser({label}=...) needs a number of seconds >= 0, not {value!r}"
                )
        self.bfcache = bfcache
        self.native_hosts = [Path(p) for p in (native_hosts or [])]
        self._driver = Driver(self.profile, self._make_host)
        self._driver.router.trace_enabled = trace
        self._driver.router.bfcache = bfcache
        self._driver.on_context_destroyed = self._forget
        self._contexts: dict[int, Context] = {}
        self._hosts: dict[int, PythonContextHost] = {}
        self._tabs: dict[int, Tab] = {}
        self._extensions: dict[str, Extension] = {}
        #: hooks that may supply a non-Python host (JS realms) for a new context
        self._host_hooks: list[HostFactoryHook] = []
        self._bundles: dict[str, ExtensionBundle] = {}
        self._bridge = Bridge(
            self._driver,
            page_runtime=self._url_has_page_runtime,
            benchmarking=bool(enable_benchmarking),
        )
        self._native = NativeMessaging(self._driver, self.native_hosts)
        self._bridge.native = self._native
        self._driver.io_timeout = float(native_timeout)
        self._driver.autojump_threshold = float(autojump_threshold)
        self.closed = False

    def __repr__(self) -> str:
        return (
            f"<Browser profile={self.profile.name} extensions={len(self._extensions)} "
            f"tabs={len(self._tabs)}>"
        )

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> Browser:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close(raise_errors=exc is None)

    async def close(self, *, raise_errors: bool = True) -> None:
        """Shut down: every tab and extension context goes away (ports disconnect)."""
        if self.closed:
            return
        drv = self._driver
        # last tab first: no other tab's index moves, so closing N tabs stays O(N)
        for tab_id in reversed(list(drv.router.tabs)):
            drv.submit(m.CloseTab(tab_id))
        for ctx_id in list(drv.router.contexts):
            drv.submit(m.CloseContext(ctx_id, "browser_closed"))
        try:
            await drv.settle()
        finally:
            await self._native.close()
            self.closed = True
            drv.closed = True
            for task in list(drv.tasks):
                task.cancel()
            if not raise_errors:
                drv.errors.clear()

    def close_sync(self) -> None:
        """Close without an event loop (used by the pytest fixture's teardown)."""
        if self.closed:
            return
        drv = self._driver
        try:
            for tab_id in list(drv.router.tabs):
                drv.submit(m.CloseTab(tab_id))
            for ctx_id in list(drv.router.contexts):
                drv.submit(m.CloseContext(ctx_id, "browser_closed"))
            drv._drain_sync()
        finally:
            for proc in list(self._native.processes):
                proc.kill()
            self.closed = True
            drv.closed = True
            for task in list(drv.tasks):
                task.cancel()
        drv.raise_errors()

    def _check_open(self) -> None:
        if self.closed:
            raise UsageError("this Browser is closed")

    # -- hosts and contexts ----------------------------------------------------------------

    def _make_host(self, info: m.ContextInfo) -> ContextHost:
        for hook in self._host_hooks:
            hooked = hook(self, info)
            if hooked is not None:
                return hooked
        if info.kind == m.NATIVE:
            return NativePortHost(self._native, info)
        host: PythonContextHost
        bundle = self._bundles.get(info.ext_id) if info.ext_id is not None else None
        if info.kind == m.WEB_PAGE:
            # a page's main world gets a realm on first use (evaluate, click)
            host = JSContextHost(self._bridge, info, None, lazy=True)
        elif bundle is not None:
            host = JSContextHost(self._bridge, info, bundle)
        else:
            host = PythonContextHost(self._driver, info)
        self._hosts[info.ctx_id] = host
        return host

    def _forget(self, ctx_id: int) -> None:
        """A context is gone: drop the Browser's references (Context objects users hold
        keep working and report ``alive`` False)."""
        self._hosts.pop(ctx_id, None)
        self._contexts.pop(ctx_id, None)

    def _url_has_page_runtime(self, url: str) -> bool:
        if not self.profile.is_chrome:
            return False
        for ext in self._extensions.values():
            ec = ext.parsed.externally_connectable
            if ec is not None and ec.allows_url(url):
                return True
        return False

    @property
    def script_errors(self) -> list[ExtensionScriptError]:
        """Uncaught errors extension JS left (syntax errors, exceptions, rejections, limits)."""
        return self._bridge.script_errors

    def _context(self, ctx_id: int) -> Context:
        ctx = self._contexts.get(ctx_id)
        if ctx is None:
            host = self._hosts.get(ctx_id)
            if host is None:
                raise UsageError(f"context {ctx_id} is gone")
            info = self._driver.router.contexts[ctx_id].info
            ctx = Context(self, info, host)
            self._contexts[ctx_id] = ctx
        return ctx

    def _page_has_runtime(self, ctx: Context) -> bool:
        return self._url_has_page_runtime(ctx.url)

    # -- extensions ------------------------------------------------------------------------

    async def install(
        self, path: str | os.PathLike[str] | None = None, *, manifest: dict[str, Any] | None = None
    ) -> Extension:
        """Install an unpacked extension directory, or a manifest dict played from Python."""
        self._check_open()
        if (path is None) == (manifest is None):
            raise UsageError("install() takes a directory path or manifest={...}, exactly one")
        fam = self.profile.family
        directory: Path | None = None
        if path is not None:
            directory = Path(path).resolve()
            mf = directory / "manifest.json"
            if not directory.is_dir():
                raise UsageError(f"{directory} is not a directory")
            if not mf.is_file():
                raise ManifestError(str(mf), "", "manifest file is missing")
            raw = parse_manifest_text(mf.read_text(encoding="utf-8-sig"), str(mf), profile=fam)
            parsed = parse_manifest(raw, str(mf), profile=fam)
            for rel in parsed.script_files():
                if not (directory / rel.lstrip("/")).is_file():
                    raise ManifestError(str(mf), rel, f"file not found: {directory / rel}")
            seed = str(directory)
        else:
            if not isinstance(manifest, dict):
                raise UsageError(f"manifest= must be a dict, not {type(manifest).__name__}")
            parsed = parse_manifest(manifest, "<manifest dict>", profile=fam)
            seed = f"manifest:{parsed.name}:{len(self._extensions)}"
        ext_id = self._extension_id(parsed, seed)
        if ext_id in self._extensions:
            raise UsageError(
                f"an extension with id {ext_id!r} is already installed "
                f"({self._extensions[ext_id].name!r})"
            )
        for w in parsed.warnings:
            self._driver.log("browser", "warning", w)
        base_url = self._driver.router.extension_base_url(ext_id)
        ext = Extension(self, ext_id, parsed, directory)
        self._extensions[ext_id] = ext
        if directory is not None:
            self._bundles[ext_id] = ExtensionBundle(ext_id, directory, parsed, base_url)
        try:
            self._driver.submit(m.InstallExtension(ext_id, str(parsed.name), parsed, base_url))
        except BaseException:
            del self._extensions[ext_id]
            self._bundles.pop(ext_id, None)
            raise
        await self.settle()
        return ext

    def _extension_id(self, parsed: ParsedManifest, seed: str) -> str:
        if self.profile.is_firefox:
            return parsed.gecko_id or firefox_temporary_id(seed)
        if parsed.key:
            return chrome_id_from_key(parsed.key)
        return chrome_id_from_seed(seed)

    def register_native_host(self, manifest_path: str | os.PathLike[str]) -> str:
        """Register a native messaging host manifest file; returns the host's name."""
        self._check_open()
        return self._native.register(Path(manifest_path))

    @property
    def extensions(self) -> list[Extension]:
        return list(self._extensions.values())

    # -- tabs ------------------------------------------------------------------------------

    async def open_tab(self, url: str, *, title: str | None = None) -> Tab:
        """Open a tab; matching content scripts are injected."""
        self._check_open()
        if not isinstance(url, str) or ":" not in url:
            raise UsageError(f"open_tab() needs an absolute URL, not {url!r}")
        effects = self._driver.submit(m.OpenTab(url, title))
        tab_id = next(e.tab_id for e in effects if isinstance(e, m.TabCreated))
        tab = Tab(self, tab_id)
        self._tabs[tab_id] = tab
        await self.settle()
        return tab

    @property
    def tabs(self) -> list[Tab]:
        return [t for t in self._tabs.values() if t.is_open]

    def tab(self, tab_id: int) -> Tab:
        t = self._tabs.get(tab_id)
        if t is None or not t.is_open:
            raise UsageError(f"no open tab with id {tab_id}")
        return t

    # -- running ---------------------------------------------------------------------------

    async def settle(self) -> None:
        """Run until nothing is pending (the virtual clock does not move)."""
        self._check_open()
        await self._driver.settle()

    async def advance(self, seconds: float) -> None:
        """Move the virtual clock forward by ``seconds``, running timers as they fall due."""
        self._check_open()
        await self._driver.advance(seconds)

    @property
    def now(self) -> float:
        """Virtual time in seconds since the Browser started."""
        return self._driver.now

    # -- observation -----------------------------------------------------------------------

    @property
    def console(self) -> list[ConsoleMessage]:
        return self._driver.console

    @property
    def trace(self) -> list[dict[str, Any]]:
        """Trace records as dicts (see :meth:`trace_json`)."""
        return self.trace_json()

    def trace_json(self) -> list[dict[str, Any]]:
        """The whole trace as a JSON-serializable list, deterministic for the same program."""
        from .._core.serialize import to_jsonable

        fam = self.profile.family
        out: list[dict[str, Any]] = []
        for r in self._driver.router.trace:
            data: dict[str, Any] | None = dict(r.data) if r.data is not None else None
            if r.payload is not None:
                data = data or {}
                data["message"] = to_jsonable(decode(r.payload, fam))
            out.append(
                {
                    "seq": r.seq,
                    "time": r.time,
                    "kind": r.kind,
                    "source": r.source,
                    "target": r.target,
                    "port": r.port,
                    "data": data,
                }
            )
        return out
