"""Native messaging wired into the runtime: ``connectNative`` ports and ``sendNativeMessage``.

A ``connectNative`` port is an ordinary channel whose far end is a context of kind
``native`` (:class:`NativePortHost`); its host is a real subprocess found through real
host-manifest files (:mod:`.._core.native_texts`) and driven by :class:`NativeHostProcess`.
The subprocess runs on the real clock while the runtime keeps its virtual clock;
``settle()`` waits (in real time, bounded by ``Driver.io_timeout``) for hosts that are still
expected to answer: a ``sendNativeMessage`` in flight, the start of a host, and a port host
that has been sent a message and has not produced anything since.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._core import model as m
from .._core import native_texts as N
from .._core.errors import ManifestError, MessagingError
from .._core.serialize import UNDEFINED, decode, encode
from .native import NativeHostProcess

if TYPE_CHECKING:
    from .driver import Driver


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def to_host_json(payload: str, family: str) -> str:
    """What a browser writes to the host for a message the extension posted.

    Chrome sends the JSON it already has. Firefox JSON-encodes the structured-clone value;
    a top-level ``undefined`` becomes a zero-length frame [N §7].
    """
    if family == "chrome" or not payload.startswith("~"):
        return payload  # the clone format's plain form is the JSON itself
    value = decode(payload, "firefox")
    if value is UNDEFINED:
        return ""
    return encode(value, "chrome")


class NativeMessaging:
    """Per-Browser native messaging: host manifest lookup and the running processes."""

    def __init__(self, driver: Driver, dirs: list[Path]) -> None:
        self.driver = driver
        self.dirs = list(dirs)
        self.registered: dict[str, Path] = {}
        self.processes: set[NativeHostProcess] = set()
        self._reapers: set[asyncio.Future[None]] = set()
        self._next_one_shot = 1_000_000_000

    @property
    def family(self) -> N.Family:
        return "chrome" if self.driver.profile.is_chrome else "firefox"

    def register(self, manifest_path: str | Path) -> str:
        """Register a host manifest file directly; returns the host name it declares."""
        path = Path(manifest_path).resolve()
        text = _read(path)
        if text is None:
            raise ManifestError(str(path), "", "native host manifest file cannot be read")
        manifest = N.parse_host_manifest(text, path, self.family)
        self.registered[manifest.name] = path
        return manifest.name

    def resolve(self, name: str, ext_id: str) -> N.HostResolution:
        return N.resolve_host(
            name, ext_id, self.family, self.dirs, self.registered, read_text=_read
        )

    async def spawn(
        self,
        res: N.HostResolution,
        name: str,
        *,
        on_message: Any,
        on_exit: Any,
        on_protocol_error: Any,
    ) -> NativeHostProcess:
        driver = self.driver
        family = self.family
        label = f"native[{name}]"

        def stderr_line(line: str) -> None:
            # Firefox logs each line with a prefix; Chrome lets stderr through [N §5]
            text = N.firefox_stderr_line(name, line) if family == "firefox" else line
            driver.log(label, "stderr", text)

        proc = await NativeHostProcess.start(
            list(res.argv),
            res.cwd,
            on_message,
            stderr_line,
            on_exit,
            family,
            on_protocol_error=on_protocol_error,
        )
        self.processes.add(proc)
        reaper = asyncio.ensure_future(self._reap(proc))
        self._reapers.add(reaper)
        reaper.add_done_callback(self._reapers.discard)
        return proc

    async def _reap(self, proc: NativeHostProcess) -> None:
        await proc.wait_closed()
        self.processes.discard(proc)

    async def one_shot(self, ext_id: str, name: str, payload: str) -> str:
        """``sendNativeMessage``: one process per call; its first message is the answer."""
        family = self.family
        res = self.resolve(name, ext_id)
        if res.outcome != "ok":
            err = N.native_error(res.outcome, family, name=name, one_shot=True)
            raise MessagingError(err.text or N.FIREFOX_NATIVE_UNEXPECTED)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str] = loop.create_future()

        def fail(outcome: N.Outcome, size: int = 0) -> None:
            if not answer.done():
                err = N.native_error(outcome, family, name=name, one_shot=True, size=size)
                answer.set_exception(MessagingError(err.text or N.FIREFOX_NATIVE_UNEXPECTED))

        def on_message(text: str) -> None:
            if not answer.done():
                answer.set_result(text)

        def on_protocol_error(kind: N.Outcome, detail: str) -> None:
            fail(kind, int(detail) if kind == "too_big" and detail.isdigit() else 0)

        try:
            proc = await self.spawn(
                res,
                name,
                on_message=on_message,
                on_exit=lambda code: fail("exited"),
                on_protocol_error=on_protocol_error,
            )
        except OSError:
            err = N.native_error("missing_executable", family, name=name, one_shot=True)
            raise MessagingError(err.text or N.FIREFOX_NATIVE_UNEXPECTED) from None
        proc.send(to_host_json(payload, family))
        self.driver.expect(answer, f"native host {name!r} (sendNativeMessage)")
        try:
            return await answer
        finally:
            if not answer.done():
                answer.cancel()
            # the browser closes stdin after the first answer, then its kill schedule [N §1]
            proc.close_stdin()
            proc.terminate_on_schedule()

    async def close(self) -> None:
        """Browser shutdown: no host outlives the Browser (no zombies, no open pipes)."""
        procs = list(self.processes)
        for proc in procs:
            proc.kill()
        for proc in procs:
            await proc.wait_closed()
        self.processes.clear()


class NativePortHost:
    """The native-host end of a ``connectNative`` channel (a context of kind ``native``)."""

    def __init__(self, native: NativeMessaging, info: m.ContextInfo) -> None:
        self.native = native
        self.driver = native.driver
        self.info = info
        self.name = info.subkind or ""
        self.port: m.PortKey | None = None
        self.proc: NativeHostProcess | None = None
        self.pending: list[str] = []
        self.closed = False
        self._started: asyncio.Future[None] | None = None
        self._task: asyncio.Future[None] | None = None

    # -- ContextHost protocol --------------------------------------------------------------

    def dispatch_connect(
        self, port: m.PortKey, name: str, sender: dict[str, Any], external: bool
    ) -> None:
        self.port = port
        self.driver.submit(m.ConnectAck(port, True))
        ext_id = str(sender.get("id") or "")
        family = self.native.family
        if sender.get("kind") == m.CONTENT_SCRIPT:
            # Firefox content scripts have connectNative, but it fails and starts nothing [N §0]
            self._end(N.FIREFOX_NATIVE_UNEXPECTED, "called from a content script")
            return
        res = self.native.resolve(self.name, ext_id)
        if res.outcome != "ok":
            err = N.native_error(res.outcome, family, name=self.name)
            self._end(err.text, f"host {res.outcome}")
            return
        self.driver.router.record(
            "lifecycle",
            self.info.label,
            None,
            port[0],
            {"event": "native_host_starting", "argv": list(res.argv)},
        )
        self._started = asyncio.get_running_loop().create_future()
        self.driver.expect(self._started, f"native host {self.name!r} starting")
        self._task = asyncio.ensure_future(self._start(res))

    async def _start(self, res: N.HostResolution) -> None:
        assert self._started is not None
        try:
            proc = await self.native.spawn(
                res,
                self.name,
                on_message=self._from_host,
                on_exit=self._exited,
                on_protocol_error=self._protocol_error,
            )
        except OSError:
            err = N.native_error("missing_executable", self.native.family, name=self.name)
            self._end(err.text, "host could not be started")
            return
        finally:
            if not self._started.done():
                self._started.set_result(None)
        self.proc = proc
        if not self.closed:
            self.driver.io_sources.add(self)
        if self.closed:
            proc.close_stdin()
            proc.terminate_on_schedule()
            return
        for text in self.pending:
            proc.send(text)
        if self.pending:
            self._expect_answer()
        self.pending.clear()

    def deliver_message(self, port: m.PortKey, payload: str) -> None:
        text = to_host_json(payload, self.native.family)
        if self.proc is None:
            self.pending.append(text)  # posted before the process exists: queued [N §1]
            return
        self.proc.send(text)
        self._expect_answer()

    def dispatch_disconnect(self, port: m.PortKey, error: str | None) -> None:
        # the extension disconnected (or its context went away): close stdin, then each
        # browser's kill schedule [N §8]
        self._stop()
        if self.info.ctx_id in self.driver.router.contexts:
            self.driver.submit(m.CloseContext(self.info.ctx_id, "disconnected"))

    def destroyed(self, reason: str) -> None:
        self._stop()

    def dispatch_message(
        self, req_id: int, payload: str, sender: dict[str, Any], external: bool
    ) -> None:  # pragma: no cover - never a receiver
        self.driver.submit(m.MessageHandled(req_id, self.info.ctx_id, False, False))

    def resolve_request(
        self, req_id: int, payload: str | None, error: str | None, no_response: bool
    ) -> None:  # pragma: no cover
        return None

    def action_clicked(self, tab: dict[str, Any] | None) -> None:  # pragma: no cover
        return None

    # -- process events --------------------------------------------------------------------

    def _expect_answer(self) -> None:
        # settle() waits (in real time) until the host says something [N §2]
        self.driver.expect(self, f"native host {self.name!r} (an answer on its port)")

    def _answered(self) -> None:
        """Any event from the host: the expected answer arrived."""
        self.driver.fulfil(self)

    def _from_host(self, text: str) -> None:
        self._answered()
        if self.closed or self.port is None:
            return
        # JSON text is already a payload in both profiles (the Firefox clone format's plain
        # form is JSON itself)
        self.driver.post(self.port, text)
        self.driver.io_event()

    def _protocol_error(self, kind: N.Outcome, detail: str) -> None:
        self._answered()
        size = int(detail) if kind == "too_big" and detail.isdigit() else 0
        err = N.native_error(kind, self.native.family, name=self.name, size=size)
        if err.ends:
            self._end(err.text, f"protocol error: {kind}")
        # else: Chrome drops invalid JSON / empty frames on a port [N §7]
        self.driver.io_event()

    def _exited(self, returncode: int) -> None:
        self._answered()
        if not self.closed:
            err = N.native_error("exited", self.native.family, name=self.name)
            self._end(err.text, f"host exited ({returncode})")
        self.driver.io_event()

    def _end(self, error: str | None, reason: str) -> None:
        if self.closed:
            return
        self._stop()
        self.driver.router.record(
            "lifecycle",
            self.info.label,
            None,
            self.port[0] if self.port else None,
            {"event": "native_host_ended", "reason": reason, "error": error},
        )
        if self.info.ctx_id in self.driver.router.contexts:
            self.driver.submit(m.CloseContext(self.info.ctx_id, "native_host_ended", error))

    def _stop(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._answered()
        self.driver.io_sources.discard(self)
        if self.proc is not None:
            self.proc.stop_delivery()
            self.proc.close_stdin()
            self.proc.terminate_on_schedule()
