"""JS realms as context hosts: one realm per context, the shims, script loading.

A :class:`JSContextHost` is a :class:`PythonContextHost` with a realm: JS listeners and
Python listeners on the same context both receive its events (Python listeners next to JS
ones, API.md). Messages cross as the opaque payload strings the shims produce, so a
message between two JS realms is serialized once in the sender and parsed once in the
receiver; Python decodes a payload only when a Python listener or the trace needs it.

Each entry into a realm (event dispatch, timer, script load) is one task: afterwards its
microtasks run and uncaught errors are collected (as :class:`ExtensionScriptError`). A
runaway script or a memory bomb is stopped by the realm's limits; that context alone dies
(its ports disconnect) and the rest keeps running.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .._core import model as m
from .._core import profiles as P
from .._core.errors import ExtensionScriptError, ExtensionTypeError, MessagingError, UsageError
from .._core.native_texts import firefox_bad_name_text, native_error, valid_host_name
from .._core.router import EPOCH_MS
from .._core.validate import (
    ABSENT,
    RejectedCall,
    SendArgs,
    connect_args,
    send_message_args,
    tabs_connect_args,
    tabs_query_args,
    tabs_send_message_args,
)
from .._driver.driver import Driver
from .._driver.pyhost import PythonContextHost
from .engine import Engine, JSError, Realm, ScriptOutOfMemory, ScriptTimeout, default_engine

_SHIMS = ("platform.js", "serialize.js", "messaging.js")
_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>\s*</script\s*>", re.IGNORECASE | re.DOTALL)
_ATTR = re.compile(r"""([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_BODY = re.compile(r"<body\b[^>]*>(.*?)(?:</body\s*>|$)", re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)

#: Chrome 150's `runtime` enums as a web page sees them [C150 external Q3]
_PAGE_ENUMS: dict[str, dict[str, str]] = {
    "ContextType": {
        "TAB": "TAB",
        "POPUP": "POPUP",
        "BACKGROUND": "BACKGROUND",
        "OFFSCREEN_DOCUMENT": "OFFSCREEN_DOCUMENT",
        "SIDE_PANEL": "SIDE_PANEL",
        "DEVELOPER_TOOLS": "DEVELOPER_TOOLS",
    },
    "OnInstalledReason": {
        "INSTALL": "install",
        "UPDATE": "update",
        "CHROME_UPDATE": "chrome_update",
        "SHARED_MODULE_UPDATE": "shared_module_update",
    },
    "OnRestartRequiredReason": {
        "APP_UPDATE": "app_update",
        "OS_UPDATE": "os_update",
        "PERIODIC": "periodic",
    },
    "PlatformArch": {
        "ARM": "arm",
        "ARM64": "arm64",
        "X86_32": "x86-32",
        "X86_64": "x86-64",
        "MIPS": "mips",
        "MIPS64": "mips64",
        "RISCV64": "riscv64",
    },
    "PlatformNaclArch": {
        "ARM": "arm",
        "X86_32": "x86-32",
        "X86_64": "x86-64",
        "MIPS": "mips",
        "MIPS64": "mips64",
    },
    "PlatformOs": {
        "MAC": "mac",
        "WIN": "win",
        "ANDROID": "android",
        "CROS": "cros",
        "LINUX": "linux",
        "OPENBSD": "openbsd",
        "FUCHSIA": "fuchsia",
    },
    "RequestUpdateCheckStatus": {
        "THROTTLED": "throttled",
        "NO_UPDATE": "no_update",
        "UPDATE_AVAILABLE": "update_available",
    },
}

_ACTION_JS = {"action": "action", "browser_action": "browserAction", "page_action": "pageAction"}


def _shim_source(name: str) -> str:
    return resources.files("webext_runtime._bridge").joinpath("js", name).read_text("utf-8")


_SOURCES: dict[str, str] = {}


def shim(name: str) -> str:
    src = _SOURCES.get(name)
    if src is None:
        src = _SOURCES[name] = _shim_source(name)
    return src


class JSSymbolMarker:
    """Stands for a JS Symbol argument (Chrome: type "other"; Firefox: shown as undefined)."""


class JSFunctionMarker:
    """Stands for a JS function argument during validation (type name "function")."""

    def __call__(self) -> None:  # pragma: no cover - never called
        return None


def from_desc(d: Any) -> Any:
    """Turn the shim's argument description back into Python values for validation."""
    if isinstance(d, dict) and "$" in d:
        tag = d["$"]
        if tag == "u":
            return ABSENT
        if tag == "f":
            return JSFunctionMarker()
        if tag == "d":
            return {k: from_desc(v) for k, v in d["v"].items()}
        if tag == "a":
            return []
        if tag == "o":
            return {}
        if tag == "n":
            return float(d["v"].replace("Infinity", "inf"))
        if tag == "b":
            return int(d["v"])
        if tag == "s":
            return JSSymbolMarker()
        return object()
    return d


#: the first "file:line:column" of a V8-format stack that is not the runtime's own code
_STACK_FRAME = re.compile(r"\n\s+at (?:[^\n(]*\()?(?!<webext-runtime>)([^\n()]+?):(\d+):\d+\)?")


def _utf8_length(text: str) -> int:
    """UTF-8 bytes of a JS string (lone surrogates count 3, as the JS fallback does)."""
    return len(text.encode("utf-8", "surrogatepass"))


@dataclass
class ExtensionBundle:
    """What realms need to know about an extension installed from a directory."""

    ext_id: str
    root: Path
    manifest: Any  # ParsedManifest
    base_url: str
    #: the service worker's first run (its installation) is over; until the extension is
    #: reinstalled (reload, enable) importScripts may only load what it loaded then
    #: (``worker_imports``): Chromium keeps those with the registration, others fail to load
    worker_installed: bool = False
    worker_imports: set[str] = field(default_factory=set)

    def reinstall_worker(self) -> None:
        self.worker_installed = False
        self.worker_imports.clear()

    def read(self, rel: str) -> str:
        path = (self.root / rel.lstrip("/")).resolve()
        if self.root not in path.parents and path != self.root:
            raise UsageError(f"{rel!r} is outside the extension directory")
        return path.read_text(encoding="utf-8-sig")

    def exists(self, rel: str) -> bool:
        return (self.root / rel.lstrip("/")).is_file()


@dataclass
class Bridge:
    """Per-Browser JS state: the engine, limits and the errors extension code left."""

    driver: Driver
    engine: Engine = field(default_factory=default_engine)
    time_limit: float = 1.0
    #: per realm; large enough for Chrome's 64 MiB message limit to be what stops a big message
    memory_limit: int = 1024 * 2**20
    script_errors: list[ExtensionScriptError] = field(default_factory=list)
    page_runtime: Any = None  # callable(url) -> bool: does a page get chrome.runtime
    benchmarking: bool = False  # Chromium's --enable-benchmarking
    native: Any = None  # the Browser's NativeMessaging
    #: wall-clock epoch (ms) of virtual time 0: Date.now() = epoch + virtual ms; fixed so
    #: that runs are deterministic (the same epoch as tab.lastAccessed)
    epoch_ms: float = EPOCH_MS

    def texts(self) -> dict[str, str]:
        profile = self.driver.profile
        return {
            "portDisconnected": profile.port_disconnected,
            "insufficientArgs": P.CHROME_INSUFFICIENT_ARGS,
            "unchecked": profile.unchecked_last_error,
            "noResponse": P.CHROME_NO_RESPONSE,
            "nonErrorRejection": P.CHROME_NON_ERROR_REJECTION,
            "unexpectedError": P.FIREFOX_UNEXPECTED_ERROR,
            "noReceiver": P.NO_RECEIVER,
            "contextInvalidated": P.CHROME_CONTEXT_INVALIDATED,
            "invocationPrefix": "Error in invocation of {api}: ",
        }


class JSContextHost(PythonContextHost):
    """A context whose code is JavaScript in its own realm (Python listeners may join)."""

    def __init__(
        self,
        bridge: Bridge,
        info: m.ContextInfo,
        bundle: ExtensionBundle | None,
        *,
        lazy: bool = False,
    ) -> None:
        super().__init__(bridge.driver, info)
        self.bridge = bridge
        self.bundle = bundle
        self.realm: Realm | None = None
        self._timers: dict[int, Any] = {}
        self._native_ids = 0
        self._dead = False
        self._installing_worker = False
        self.on_action_clicked_js = True
        if not lazy:
            self._create_realm()
            self._schedule_load()

    # -- realm set-up ------------------------------------------------------------------------

    def ensure_realm(self) -> Realm:
        if self.realm is None:
            if not self.alive:
                raise UsageError(f"{self.label} is gone")
            self._create_realm()
        assert self.realm is not None
        return self.realm

    def _create_realm(self) -> None:
        bridge = self.bridge
        realm = bridge.engine.new_realm(
            self.label,
            time_limit=bridge.time_limit,
            memory_limit=bridge.memory_limit,
            error_style="spidermonkey" if self.driver.profile.family == "firefox" else "v8",
        )
        self.realm = realm
        d = self.driver
        realm.expose("__wxHost_console", self._js_console)
        realm.expose("__wxHost_setTimer", self._js_set_timer)
        realm.expose("__wxHost_clearTimer", self._js_clear_timer)
        realm.expose("__wxHost_now", lambda: d.now * 1000.0)
        realm.expose("__wxHost_connect", self._js_connect)
        realm.expose(
            "__wxHost_post", lambda ch, end, payload: d.post((int(ch), int(end)), payload), arity=3
        )
        realm.expose("__wxHost_disconnect", self._js_disconnect)
        realm.expose("__wxHost_uncaught", self._js_uncaught)
        realm.expose("__wxHost_scriptError", self._js_script_error)
        realm.expose("__wxHost_utf8len", _utf8_length)
        realm.expose("__wxHost_evalDone", self._js_eval_done)
        realm.expose("__wxHost_parseSend", self._js_parse_send)
        realm.expose("__wxHost_send", self._js_send)
        realm.expose("__wxHost_reply", self._js_reply)
        realm.expose("__wxHost_handled", self._js_handled)
        realm.expose("__wxHost_connectNative", self._js_connect_native)
        realm.expose("__wxHost_reload", self._js_reload)
        realm.expose("__wxHost_sendNative", self._js_send_native)
        realm.expose("__wxHost_epoch", lambda: bridge.epoch_ms)
        realm.expose("__wxHost_importScript", self._js_import_script, arity=1)
        realm.expose("__wxHost_tabsQuery", self._js_tabs_query, arity=1)
        for name in _SHIMS:
            # compiled once per process, loaded as bytecode into each realm
            realm.eval_script_cached(shim(name), f"<webext-runtime>/{name}", keep_source=False)
        info = self.info
        manifest = self.bundle.manifest if self.bundle is not None else None
        profile = d.profile
        action_key = getattr(manifest, "action_key", None)
        mv = getattr(manifest, "manifest_version", 3)
        page_runtime = False
        if info.kind == m.WEB_PAGE and bridge.page_runtime is not None:
            page_runtime = bool(bridge.page_runtime(info.url))
        config = {
            "family": profile.family,
            "kind": info.kind,
            "subkind": info.subkind,
            "label": info.label,
            "extId": info.ext_id,
            "baseUrl": self.bundle.base_url if self.bundle is not None else "",
            "manifest": manifest.raw if manifest is not None else None,
            "mv": mv,
            "actionKey": action_key,
            "actionJsName": _ACTION_JS.get(action_key or ""),
            "texts": bridge.texts(),
            "pageRuntime": page_runtime,
            "benchmarking": bridge.benchmarking and profile.is_chrome,
            "enums": _PAGE_ENUMS,
            # Chromium 150 exposes `browser` in MV3 workers and content scripts [C150]
            "browserNamespace": profile.is_chrome and mv >= 3,
            "nativeMessaging": "nativeMessaging" in getattr(manifest, "permissions", ()),
            "chromium150ListenerErrors": profile.chromium150_listener_errors,
        }
        realm.call("__wxInit", config)
        title = info.url
        realm.call(
            "__wxSetDocument",
            {"url": info.url, "title": title, "html": "", "subframe": bool(info.frame_id)},
        )
        if info.kind == m.BACKGROUND and info.subkind == "service_worker":
            bg = getattr(manifest, "background", None)
            realm.call("__wxMakeWorker", bool(getattr(bg, "module", False)))
        if self.bundle is not None:
            realm.set_module_loader(self._load_module)

    def _load_module(self, specifier: str, referrer: str) -> tuple[str, str]:
        assert self.bundle is not None
        base = self.bundle.base_url
        spec = specifier[len(base) :] if specifier.startswith(base) else specifier
        if spec.startswith("/"):
            rel = spec.lstrip("/")
        elif spec.startswith("./") or spec.startswith("../"):
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(referrer), spec))
        else:
            raise UsageError(
                f"bare module specifier {specifier!r} cannot be resolved "
                "(extensions can only import their own files)"
            )
        if rel.startswith("../") or not self.bundle.exists(rel):
            raise UsageError(f"module {specifier!r} not found in the extension (as {rel})")
        return rel, self.bundle.read(rel)

    # -- loading scripts -----------------------------------------------------------------------

    def _schedule_load(self) -> None:
        info = self.info
        bundle = self.bundle
        if bundle is None:
            return
        mf = bundle.manifest
        if info.kind == m.BACKGROUND:
            bg = mf.background
            self.driver.call_soon(lambda: self._load_background(bg))
        elif info.kind == m.CONTENT_SCRIPT:
            entries = [mf.content_scripts[i] for i in info.scripts]
            phases: dict[str, list[str]] = {
                "document_start": [],
                "document_end": [],
                "document_idle": [],
            }
            for cs in entries:
                phases.setdefault(cs.run_at, []).extend(cs.js)
            # document_start, then document_end (DOMContentLoaded), then document_idle (load);
            # each phase re-queues the next so that several worlds of a frame interleave
            self.driver.call_soon(lambda: self._phase(phases, 0))
        elif info.kind == m.EXTENSION_PAGE:
            path = info.url[len(bundle.base_url) :].split("?")[0].split("#")[0]
            self.driver.call_soon(lambda: self._load_page(path))

    def _phase(self, phases: dict[str, list[str]], n: int) -> None:
        if self._dead:
            return
        key = ("document_start", "document_end", "document_idle")[n]
        if n == 1:
            # document_end: right after the DOM is complete ("interactive"), before
            # DOMContentLoaded (MDN extensionTypes.RunAt; Chrome content_scripts docs)
            self.invoke("__wxDocumentEvent", "interactive")
        for rel in phases.get(key, []):
            self._run_file(rel, module=False)
        if n == 1:
            self.invoke("__wxDocumentEvent", "DOMContentLoaded")
        if n == 2:
            self.invoke("__wxDocumentEvent", "load")
            return
        self.driver.call_soon(lambda: self._phase(phases, n + 1))

    def _load_background(self, bg: Any) -> None:
        if bg.service_worker:
            # the worker's first run is its installation: importScripts may load new scripts
            bundle = self.bundle
            self._installing_worker = bundle is not None and not bundle.worker_installed
            try:
                self._run_file(bg.service_worker, module=bg.module)
            finally:
                self._installing_worker = False
                if bundle is not None:
                    bundle.worker_installed = True
        elif bg.page:
            self._load_page(bg.page)
            return
        else:
            # "type": "module" applies to background.scripts too (Firefox; MDN background.type)
            for rel in bg.scripts:
                self._run_file(rel, module=bg.module)

    def _load_page(self, path: str) -> None:
        assert self.bundle is not None
        try:
            html = self.bundle.read(path)
        except OSError:
            self.driver.log(self.label, "error", f"Failed to load {path}: file not found")
            return
        body = _BODY.search(html)
        title = _TITLE.search(html)
        if self.realm is not None:
            self.invoke(
                "__wxSetDocument",
                {
                    "url": self.info.url,
                    "title": title.group(1).strip() if title else "",
                    "html": _SCRIPT_TAG.sub("", body.group(1)) if body else "",
                },
            )
        for mt in _SCRIPT_TAG.finditer(html):
            attrs = {
                a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                for a in _ATTR.finditer(mt.group(1))
            }
            src = attrs.get("src")
            if not src:
                continue
            rel = (
                posixpath.normpath(posixpath.join(posixpath.dirname(path), src))
                if not src.startswith("/")
                else src.lstrip("/")
            )
            self._run_file(rel, module=attrs.get("type", "").lower() == "module")
        self.invoke("__wxDocumentEvent", "DOMContentLoaded")
        self.invoke("__wxDocumentEvent", "load")

    def _run_file(self, rel: str, *, module: bool) -> None:
        if self._dead or self.realm is None or self.bundle is None:
            return
        rel = rel.lstrip("/")
        try:
            source = self.bundle.read(rel)
        except OSError as exc:
            self._record_error(
                ExtensionScriptError(self.label, f"could not load {rel}: {exc}", file=rel)
            )
            return
        self._enter(
            lambda r: r.eval_module(source, rel) if module else r.eval_script_cached(source, rel)
        )

    # -- entering the realm ----------------------------------------------------------------

    def _enter(self, fn: Any, name: str = "", args: tuple[Any, ...] = ()) -> Any:
        """One task: ``fn(realm)`` — or, when ``fn`` is ``None``, the global JS function
        ``name`` called with ``args`` — then its microtasks; errors are reported."""
        realm = self.realm
        if realm is None or self._dead:
            return None
        result = None
        try:
            if fn is None:
                result = realm.function(name, run_jobs=True)(*args)  # the call, then its jobs
            else:
                result = fn(realm)
                realm.run_jobs()
        except (ScriptTimeout, ScriptOutOfMemory) as exc:
            self._crash(exc)
            return None
        except JSError as exc:
            self._uncaught(exc)
            try:
                realm.run_jobs()
            except (ScriptTimeout, ScriptOutOfMemory) as exc2:
                self._crash(exc2)
                return None
        if not self._dead:
            errors = realm.take_errors()
            if errors:
                for err in errors:
                    self._uncaught(err)
        return result

    def invoke(self, fn_name: str, *args: Any) -> Any:
        """Call a global JS function as one task (then its microtasks)."""
        return self._enter(None, fn_name, args)

    def _record_error(self, err: ExtensionScriptError) -> None:
        self.bridge.script_errors.append(err)
        self.driver.router._record(
            "error",
            self.label,
            None,
            None,
            {"message": err.message, "file": err.file, "line": err.line},
        )

    def _uncaught(self, exc: JSError) -> None:
        text = f"{exc.name}: {exc.message}" if exc.name else exc.message
        # an unhandled rejection: "Uncaught (in promise) Error: x" (Chromium 156 over CDP:
        # Runtime.exceptionThrown text "Uncaught (in promise)" + the value; Firefox's console
        # words it the same)
        where = "Uncaught (in promise)" if exc.in_promise else "Uncaught"
        self.driver.log(self.label, "error", f"{where} {text}")
        self._record_error(ExtensionScriptError(self.label, text, exc.stack, exc.file, exc.line))

    def _crash(self, exc: JSError) -> None:
        kind = "time limit" if isinstance(exc, ScriptTimeout) else "memory limit"
        what = f"script stopped by the {kind}: {exc.message}"
        self.driver.log(self.label, "error", what)
        self._record_error(ExtensionScriptError(self.label, what, exc.stack, exc.file, exc.line))
        self._dead = True
        if self.info.ctx_id in self.driver.router.contexts:
            self.driver.submit(m.CloseContext(self.info.ctx_id, "crashed"))

    # -- host functions (called from JS) ---------------------------------------------------------

    def _js_console(self, level: str, text: str) -> None:
        self.driver.log(self.label, level, text)

    def _js_set_timer(self, timer_id: int, delay_ms: float) -> None:
        timer_id = int(timer_id)
        old = self._timers.pop(timer_id, None)
        if old is not None:
            old.cancel()
        delay = max(0.0, float(delay_ms or 0)) / 1000.0
        self._timers[timer_id] = self.driver.call_later(delay, lambda: self._fire(timer_id))

    def _js_clear_timer(self, timer_id: int) -> None:
        h = self._timers.pop(int(timer_id), None)
        if h is not None:
            h.cancel()

    def _fire(self, timer_id: int) -> None:
        self._timers.pop(timer_id, None)
        self.invoke("__wxFireTimer", timer_id)

    def _js_connect(self, api: str, desc: list[Any]) -> list[Any]:
        args = tuple(from_desc(d) for d in desc)
        profile = self.driver.profile
        info = self.info
        if api == "tabs.connect":
            t = tabs_connect_args(profile, args)
            cmd = m.Connect(
                info.ctx_id,
                name=t.name,
                tab_id=t.tab_id,
                frame_id=t.frame_id,
                document_id=t.document_id,
            )
        else:
            c = connect_args(profile, args, from_web_page=info.kind == m.WEB_PAGE)
            cmd = m.Connect(
                info.ctx_id,
                name=c.name,
                target_ext=c.ext_id,
                include_tls_channel_id=c.include_tls_channel_id,
            )
        effects = self.driver.submit(cmd)
        for eff in effects:
            if isinstance(eff, m.PortOpened):
                return [eff.port[0], eff.port[1], eff.name]
        raise AssertionError("connect produced no port")

    def _parse_send(self, api: str, desc: list[Any]) -> SendArgs:
        args = tuple(from_desc(d) for d in desc)
        profile = self.driver.profile
        if api == "tabs.sendMessage":
            return tabs_send_message_args(profile, args)
        return send_message_args(profile, args, from_web_page=self.info.kind == m.WEB_PAGE)

    def _js_parse_send(self, api: str, desc: list[Any]) -> dict[str, Any]:
        try:
            spec = self._parse_send(api, desc)
        except RejectedCall as exc:
            return {"reject": exc.message}
        return {
            "index": spec.message_index,
            "prefix": P.CHROME_INVOCATION.format(signature=P.CHROME_SIGNATURES[api], detail=""),
        }

    def _js_send(self, api: str, desc: list[Any], payload: str) -> int:
        spec = self._parse_send(api, desc)
        effects = self.driver.submit(
            m.SendMessage(
                self.info.ctx_id,
                payload,
                target_ext=spec.ext_id,
                tab_id=spec.tab_id,
                frame_id=spec.frame_id,
                document_id=spec.document_id,
            )
        )
        for eff in effects:
            if isinstance(eff, m.RequestOpened):
                return eff.req_id
        raise AssertionError("sendMessage produced no request")

    def _js_reply(self, req: int, payload: str | None, error: str | None) -> None:
        self.driver.submit(m.MessageReply(int(req), self.info.ctx_id, payload, error))

    def _js_handled(self, req: int) -> None:
        self.driver.submit(m.MessageHandled(int(req), self.info.ctx_id, True, False))

    def _native_name(self, desc: list[Any], api: str) -> str:
        args = [from_desc(d) for d in desc]
        profile = self.driver.profile
        name = args[0] if args else ABSENT
        if not isinstance(name, str):
            raise ExtensionTypeError(profile.no_matching_signature(api))
        if profile.is_firefox and not valid_host_name(name, "firefox"):
            raise ExtensionTypeError(firefox_bad_name_text(name, api), js_name="Error")
        return name

    def _js_connect_native(self, desc: list[Any]) -> list[Any]:
        name = self._native_name(desc, "runtime.connectNative")
        effects = self.driver.submit(m.ConnectNative(self.info.ctx_id, name))
        for eff in effects:
            if isinstance(eff, m.PortOpened):
                return [eff.port[0], eff.port[1], eff.name]
        raise AssertionError("connectNative produced no port")

    def _js_send_native(self, desc: list[Any], payload: str) -> int:
        import asyncio

        name = self._native_name(desc, "runtime.sendNativeMessage")
        native = self.bridge.native
        assert native is not None
        self._native_ids += 1
        req = 2_000_000_000 + self._native_ids
        label = self.label
        router = self.driver.router
        router.record(
            "send_native_message", label, f"native[{name}]", None, {"application": name}, payload
        )

        async def run() -> None:
            try:
                if self.info.kind == m.CONTENT_SCRIPT:
                    raise MessagingError(P.FIREFOX_UNEXPECTED_ERROR)
                valid = valid_host_name(name, native.family)
                if not valid:
                    raise MessagingError(
                        native_error("invalid_name", native.family, name=name, one_shot=True).text
                        or ""
                    )
                reply = await native.one_shot(self.info.ext_id or "", name, payload)
            except MessagingError as exc:
                router.record(
                    "reply",
                    f"native[{name}]",
                    label,
                    None,
                    {"application": name, "error": exc.message},
                )
                self.invoke("__wxOnReply", req, None, exc.message, False)
                return
            router.record("reply", f"native[{name}]", label, None, {"application": name}, reply)
            self.invoke("__wxOnReply", req, reply, None, False)

        task = asyncio.ensure_future(run())
        self.driver.expect(task, f"native host {name!r} (sendNativeMessage)")
        return req

    def _js_tabs_query(self, desc: list[Any]) -> dict[str, Any]:
        """tabs.query: argument errors raise (thrown at once, the profile's text); otherwise
        ``{"tabs": [...]}`` or ``{"error": text}`` for the JS side to deliver later."""
        info = tabs_query_args(self.driver.profile, tuple(from_desc(d) for d in desc))
        found = self.driver.router.query_tabs(info, self.info.ext_id)
        if isinstance(found, str):
            return {"error": found}
        return {"tabs": found}

    def _js_import_script(self, href: str) -> str | None:
        """importScripts(href) in a service worker: run the extension's script now (None), or
        "failed" (not an extension file, missing, or new after installation)."""
        bundle = self.bundle
        realm = self.realm
        if bundle is None or realm is None or not isinstance(href, str):
            return "failed"
        if not href.startswith(bundle.base_url):
            return "failed"  # MV3 workers run only the extension's own code
        if not self._installing_worker and href not in bundle.worker_imports:
            return "failed"
        rel = unquote(href[len(bundle.base_url) :].split("#")[0].split("?")[0])
        try:
            source = bundle.read(rel)
        except (OSError, UnicodeError, UsageError):
            return "failed"
        bundle.worker_imports.add(href)
        # the script's uncaught error (a JSError: its js_name and message) is thrown again at
        # the importScripts call by the host function's wrapper
        realm.eval_script_cached(source, rel)
        return None

    def _js_reload(self) -> None:
        ext_id = self.info.ext_id
        if ext_id is not None:
            # after the current task, like the browser's asynchronous reload
            def reload() -> None:
                if self.bundle is not None:
                    self.bundle.reinstall_worker()
                self.driver.submit(m.ReloadExtension(ext_id))

            self.driver.call_soon(reload)

    def _js_disconnect(self, ch: int, end: int) -> None:
        if self.alive:
            self.driver.submit(m.Disconnect((int(ch), int(end))))

    def _js_uncaught(self, name: str, message: str, stack: str) -> None:
        # an exception thrown by an event listener: the browser logs it, others still run
        prefix = "Error in event handler: " if self.driver.profile.is_chrome else ""
        text = f"{name}: {message}" if name else message
        self.driver.log(self.label, "error", prefix + (stack or text))
        self._record_error(ExtensionScriptError(self.label, text, stack))

    def _js_script_error(self, name: str, message: str, stack: str) -> None:
        # an exception a DOM event listener threw (or self.reportError()): reported as
        # uncaught ("Uncaught Error: x"), the other listeners still run
        file = line = None
        where = _STACK_FRAME.search(stack or "")
        if where is not None:
            file, line = where.group(1), int(where.group(2))
        self._uncaught(JSError(name, message, stack, file, line))

    _eval_waiters: dict[int, Any]

    def _js_eval_done(self, token: int, value: Any, error: Any) -> None:
        fut = self._eval_waiters.pop(token, None)
        if fut is None or fut.done():
            return
        if error is not None:
            fut.set_exception(
                JSError(
                    error.get("name", "Error"), error.get("message", ""), error.get("stack", "")
                )
            )
        else:
            fut.set_result(value)

    # -- ContextHost protocol ------------------------------------------------------------------

    def dispatch_connect(
        self, port: m.PortKey, name: str, sender: dict[str, Any], external: bool
    ) -> None:
        js = bool(self.invoke("__wxHasConnectListeners", external)) if self._live_realm() else False
        event = self.on_connect_external if external else self.on_connect
        py = event.has_listeners()
        self.driver.submit(m.ConnectAck(port, js or py))
        if js:
            self.invoke("__wxOnConnect", port[0], port[1], name, sender, external)
        if py:
            super()._accept_python(port, name, sender, event)

    def deliver_message(self, port: m.PortKey, payload: str) -> None:
        if self.realm is not None and not self._dead:
            self._enter(None, "__wxOnMessage", (port[0], port[1], payload))
        if port in self.ports:
            super().deliver_message(port, payload)

    def dispatch_disconnect(self, port: m.PortKey, error: str | None) -> None:
        if self._live_realm():
            self.invoke("__wxOnDisconnect", port[0], port[1], error)
        if port in self.ports:
            super().dispatch_disconnect(port, error)

    def dispatch_message(
        self, req_id: int, payload: str, sender: dict[str, Any], external: bool
    ) -> None:
        had = keep = False
        if self._live_realm():
            r = self.invoke("__wxOnSendMessage", req_id, payload, sender, external)
            if isinstance(r, dict):
                had, keep = bool(r.get("had")), bool(r.get("keep"))
        py_had, py_keep = self._python_message(req_id, payload, sender, external)
        self.driver.submit(
            m.MessageHandled(req_id, self.info.ctx_id, had or py_had, keep or py_keep)
        )

    def resolve_request(
        self, req_id: int, payload: str | None, error: str | None, no_response: bool
    ) -> None:
        if req_id in self.requests:
            super().resolve_request(req_id, payload, error, no_response)
        elif self._live_realm():
            self.invoke("__wxOnReply", req_id, payload, error, no_response)

    def action_clicked(self, tab: dict[str, Any] | None) -> None:
        if self._live_realm():
            self.invoke("__wxOnActionClicked", tab)
        super().action_clicked(tab)

    def click(self, selector: str) -> bool:
        if not self._live_realm():
            return False
        return bool(self.invoke("__wxClick", selector))

    def suspending(self) -> None:
        if self._live_realm():
            self.invoke("__wxOnSuspend")
        super().suspending()

    def orphaned(self) -> None:
        # [C150 lifecycle §5] runtime.id undefined; API calls throw "Extension context
        # invalidated."; the script itself keeps running
        if self._live_realm():
            self.invoke("__wxInvalidate")
        super().orphaned()

    def frozen(self) -> None:
        """In the back/forward cache timers do not run: remember what was left of each."""
        now = self.driver.now
        self._frozen_timers = {tid: max(0.0, h.when - now) for tid, h in self._timers.items()}
        for h in self._timers.values():
            h.cancel()
        self._timers.clear()

    def resumed(self) -> None:
        left = getattr(self, "_frozen_timers", {})
        for tid, delay in left.items():
            self._timers[tid] = self.driver.call_later(delay, partial(self._fire, tid))
        self._frozen_timers = {}

    def _live_realm(self) -> bool:
        return self.realm is not None and not self._dead

    def destroyed(self, reason: str) -> None:
        for h in self._timers.values():
            h.cancel()
        self._timers.clear()
        self._dead = True
        if self.realm is not None:
            self.realm.close()
        super().destroyed(reason)

    # -- evaluate --------------------------------------------------------------------------------

    async def evaluate(self, source: str) -> Any:
        import asyncio

        realm = self.ensure_realm()
        if self._dead:
            raise UsageError(f"{self.label} is gone")
        if not hasattr(self, "_eval_waiters"):
            self._eval_waiters = {}
        token = len(self._eval_waiters) + 1
        while token in self._eval_waiters:
            token += 1
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._eval_waiters[token] = fut
        try:
            out = realm.call("__wxEvaluate", source, token)
        except (ScriptTimeout, ScriptOutOfMemory) as exc:
            self._crash(exc)
            raise
        finally:
            try:
                if not self._dead:
                    realm.run_jobs()
            except (ScriptTimeout, ScriptOutOfMemory) as exc:
                self._crash(exc)
        if not self._dead:
            for err in realm.take_errors():
                self._uncaught(err)
        if isinstance(out, dict) and out.get("pending"):
            return await self.driver.run_until(
                fut, f"the promise returned to evaluate() in {self.label}"
            )
        self._eval_waiters.pop(token, None)
        return out.get("value") if isinstance(out, dict) else None


def page_title(html: str) -> str | None:
    mt = _TITLE.search(html)
    return mt.group(1).strip() if mt else None
