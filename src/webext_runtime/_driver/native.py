"""One native messaging host process, driven the way Chrome or Firefox drives it.

:class:`NativeHostProcess` owns a real child process (real time, not the virtual clock):
it frames outgoing messages, parses incoming frames, reports protocol violations and runs
each browser's kill schedule after a disconnect. Which *texts* and *port effects* follow
from an event is the caller's business (``_core.native_texts.native_error``).

Measured behaviour reproduced here (``shared/observations/native-messaging.md``):

* framing: 4-byte native-order length + UTF-8 JSON both ways; host messages over
  1,048,576 bytes are refused when their length prefix arrives;
* after a host's over-size prefix, Chrome keeps draining (the host can finish writing),
  Firefox stops reading (the host blocks in ``write``);
* disconnect: stdin closed at once; Chrome then closes its end of stdout and SIGKILLs the
  host 2 s later if alive (no SIGTERM); Firefox SIGTERMs after 3 s and SIGKILLs 3 s later;
* messages the host wrote before exiting are delivered before ``on_exit``.

Every process is awaited (no zombies) and every pipe closed once it has ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from .._core.native_texts import (
    CHROME_KILL_AFTER_S,
    FIREFOX_KILL_AFTER_TERM_S,
    FIREFOX_TERM_AFTER_S,
    NATIVE_MAX_HOST_MESSAGE_BYTES,
)

_HEADER: Final = struct.Struct("=I")

#: kinds passed to ``on_protocol_error``
ProtocolErrorKind = Literal["invalid_json", "empty_frame", "too_big"]

#: After the process has exited, how long to wait for its pipes to reach EOF (a grandchild
#: may hold them open) before closing them anyway.
_PIPE_GRACE_S: Final = 0.5


@dataclass(frozen=True)
class KillSchedule:
    """What happens to a host still alive after its stdin was closed: SIGTERM
    ``term_after`` seconds later (None: never), then SIGKILL ``kill_after`` seconds after
    that (or after the close when there is no SIGTERM)."""

    term_after: float | None
    kill_after: float

    @classmethod
    def for_family(cls, family: str) -> KillSchedule:
        if family == "chrome":
            return cls(None, CHROME_KILL_AFTER_S)
        return cls(FIREFOX_TERM_AFTER_S, FIREFOX_KILL_AFTER_TERM_S)


def _reject_constant(token: str) -> Any:
    raise ValueError(f"invalid JSON token {token}")


def _is_json(text: str) -> bool:
    try:
        json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return False
    return True


class _Protocol(asyncio.SubprocessProtocol):
    def __init__(self, owner: NativeHostProcess) -> None:
        self._owner = owner

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.SubprocessTransport)
        self._owner._transport = transport
        self._owner.pid = transport.get_pid()

    def pipe_data_received(self, fd: int, data: bytes | str) -> None:
        assert isinstance(data, bytes)
        self._owner._data(fd, data)

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        self._owner._pipe_lost(fd)

    def process_exited(self) -> None:
        self._owner._exited()

    def connection_lost(self, exc: Exception | None) -> None:
        self._owner._connection_lost()


class NativeHostProcess:
    """A running native host. Create with :meth:`start`.

    Callbacks (all called on the event loop, in order):

    * ``on_message(text)``: one valid JSON frame, as text;
    * ``on_protocol_error(kind, detail)``: ``"invalid_json"`` (detail: the payload, decoded
      with replacement), ``"empty_frame"`` (detail ``""``), ``"too_big"`` (detail: the
      announced byte count in decimal; nothing more is delivered after it);
    * ``on_stderr_line(line)``: one line of host stderr without its newline; when None the
      host inherits this process's stderr, like Chrome's hosts do;
    * ``on_eof()``: host stdout reached EOF (the browsers' "host has exited" moment);
    * ``on_exit(returncode)``: the process has ended and its output is consumed; negative
      return codes are signals. Called exactly once, last.
    """

    def __init__(
        self,
        family: str,
        on_message: Callable[[str], object],
        on_exit: Callable[[int], object],
        on_stderr_line: Callable[[str], object] | None,
        on_protocol_error: Callable[[ProtocolErrorKind, str], object] | None,
        on_eof: Callable[[], object] | None,
        schedule: KillSchedule,
        max_message_bytes: int,
    ) -> None:
        self.family = family
        self._on_message = on_message
        self._on_exit = on_exit
        self._on_stderr_line = on_stderr_line
        self._on_protocol_error = on_protocol_error
        self._on_eof = on_eof
        self.schedule = schedule
        self._max = max_message_bytes
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.SubprocessTransport | None = None
        self._out = bytearray()
        self._err = bytearray()
        self._delivering = True  # frames still reach on_message
        self._discarding = False  # stdout still read, but thrown away
        self._stdout_done = False
        self._stderr_done = on_stderr_line is None
        self._stdin_closed = False
        self._returncode: int | None = None
        self._finished = False
        self._exited_fut: asyncio.Future[int] = self._loop.create_future()
        self._closed_fut: asyncio.Future[None] = self._loop.create_future()
        self._grace: asyncio.TimerHandle | None = None
        self._schedule_task: asyncio.Task[None] | None = None
        self.pid: int = -1

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    async def start(
        cls,
        argv: Sequence[str],
        cwd: str | None,
        on_message: Callable[[str], object],
        on_stderr_line: Callable[[str], object] | None,
        on_exit: Callable[[int], object],
        family: str,
        *,
        on_protocol_error: Callable[[ProtocolErrorKind, str], object] | None = None,
        on_eof: Callable[[], object] | None = None,
        env: dict[str, str] | None = None,
        schedule: KillSchedule | None = None,
        max_message_bytes: int = NATIVE_MAX_HOST_MESSAGE_BYTES,
    ) -> NativeHostProcess:
        """Spawn ``argv`` in ``cwd``. Raises ``OSError`` (e.g. ``FileNotFoundError``,
        ``PermissionError``) when it cannot be started; nothing is left behind then."""
        self = cls(
            family,
            on_message,
            on_exit,
            on_stderr_line,
            on_protocol_error,
            on_eof,
            schedule or KillSchedule.for_family(family),
            max_message_bytes,
        )
        pipe = asyncio.subprocess.PIPE
        transport, _ = await self._loop.subprocess_exec(
            lambda: _Protocol(self),
            *argv,
            cwd=cwd,
            env=env,
            stdin=pipe,
            stdout=pipe,
            stderr=pipe if on_stderr_line is not None else None,
        )
        self._transport = transport
        return self

    @property
    def alive(self) -> bool:
        """True until the process has exited."""
        return self._returncode is None

    @property
    def returncode(self) -> int | None:
        return self._returncode

    @property
    def stdin_open(self) -> bool:
        return not self._stdin_closed

    async def wait_closed(self) -> int:
        """Wait until the process has ended, its pipes are closed and any kill schedule has
        finished; return the exit code."""
        await asyncio.shield(self._closed_fut)
        if self._schedule_task is not None:
            await self._schedule_task
        assert self._returncode is not None
        return self._returncode

    # -- writing ---------------------------------------------------------------------------

    def send(self, payload_json_text: str) -> None:
        """Queue one message (already-serialized JSON; ``""`` sends a zero-length frame, as
        Firefox does for ``undefined``). Dropped silently once stdin is closed or the
        process is gone."""
        pipe = self._stdin_pipe()
        if pipe is None:
            return
        payload = payload_json_text.encode("utf-8")
        pipe.write(_HEADER.pack(len(payload)) + payload)

    def close_stdin(self) -> None:
        """Close the host's stdin after the queued messages are written (the host sees EOF)."""
        pipe = self._stdin_pipe()
        self._stdin_closed = True
        if pipe is not None:
            pipe.close()

    def _stdin_pipe(self) -> asyncio.WriteTransport | None:
        if self._stdin_closed or self._transport is None or self._finished:
            return None
        pipe = self._transport.get_pipe_transport(0)
        if pipe is None or pipe.is_closing():
            return None
        assert isinstance(pipe, asyncio.WriteTransport)
        return pipe

    # -- ending ----------------------------------------------------------------------------

    def stop_delivery(self) -> None:
        """Deliver nothing more; Chrome also closes its reading end of stdout (a host that
        writes later gets EPIPE), Firefox keeps reading and discards."""
        self._delivering = False
        if self.family == "chrome":
            self._close_pipe(1)
        else:
            self._discarding = True
            self._out.clear()

    def terminate_on_schedule(self) -> None:
        """Disconnect: stop delivery, close stdin, then signal the host on the family's
        schedule (real time) if it does not exit by itself. Idempotent."""
        self.stop_delivery()
        self.close_stdin()
        if self._schedule_task is None and self._returncode is None:
            self._schedule_task = self._loop.create_task(self._run_schedule())

    def kill(self) -> None:
        """Browser shutdown: close stdin, stop delivery and SIGKILL the host now."""
        self._delivering = False
        self.close_stdin()
        self._signal(signal.SIGKILL)

    async def _run_schedule(self) -> None:
        if self.schedule.term_after is not None:
            if await self._exits_within(self.schedule.term_after):
                return
            self._signal(signal.SIGTERM)
        if await self._exits_within(self.schedule.kill_after):
            return
        self._signal(signal.SIGKILL)

    async def _exits_within(self, seconds: float) -> bool:
        done, _ = await asyncio.wait({self._exited_fut}, timeout=seconds)
        return bool(done)

    def _signal(self, sig: int) -> None:
        if self._transport is None or self._returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self._transport.send_signal(sig)

    def _close_pipe(self, fd: int) -> None:
        if self._transport is None:
            return
        pipe = self._transport.get_pipe_transport(fd)
        if pipe is not None and not pipe.is_closing():
            pipe.close()

    # -- protocol callbacks ----------------------------------------------------------------

    def _data(self, fd: int, data: bytes) -> None:
        if fd == 2:
            self._stderr(data)
            return
        if self._discarding or not self._delivering:
            return
        self._out += data
        buf = self._out
        while self._delivering and len(buf) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(buf)
            if size > self._max:
                self._too_big(size)
                return
            end = _HEADER.size + size
            if len(buf) < end:
                return
            payload = bytes(buf[_HEADER.size : end])
            del buf[:end]
            if not payload:
                self._protocol_error("empty_frame", "")
                continue
            try:
                text = payload.decode("utf-8")
            except UnicodeDecodeError:
                self._protocol_error("invalid_json", payload.decode("utf-8", "replace"))
                continue
            if not _is_json(text):
                self._protocol_error("invalid_json", text)
                continue
            self._on_message(text)

    def _too_big(self, size: int) -> None:
        self._delivering = False
        self._out.clear()
        if self.family == "chrome":
            self._discarding = True  # keep draining: the host can finish its write
        else:
            # Firefox stops reading: the host blocks in write() until it is signalled.
            self._stdout_done = True
            if self._transport is not None:
                pipe = self._transport.get_pipe_transport(1)
                if isinstance(pipe, asyncio.ReadTransport) and pipe.is_reading():
                    pipe.pause_reading()
        self._protocol_error("too_big", str(size))

    def _protocol_error(self, kind: ProtocolErrorKind, detail: str) -> None:
        if self._on_protocol_error is not None:
            self._on_protocol_error(kind, detail)

    def _stderr(self, data: bytes) -> None:
        self._err += data
        while (nl := self._err.find(b"\n")) >= 0:
            line = bytes(self._err[:nl])
            del self._err[: nl + 1]
            self._emit_stderr(line)

    def _emit_stderr(self, line: bytes) -> None:
        if self._on_stderr_line is not None:
            self._on_stderr_line(line.decode("utf-8", "replace").removesuffix("\r"))

    def _pipe_lost(self, fd: int) -> None:
        if fd == 0:
            self._stdin_closed = True
        elif fd == 1:
            if not self._stdout_done:
                self._stdout_done = True
                self._out.clear()
                if self._on_eof is not None and self._delivering:
                    self._on_eof()
        elif fd == 2 and not self._stderr_done:
            self._stderr_done = True
            if self._err:
                line = bytes(self._err)
                self._err.clear()
                self._emit_stderr(line)
        self._maybe_finish()

    def _exited(self) -> None:
        assert self._transport is not None
        code = self._transport.get_returncode()
        self._returncode = code if code is not None else -1
        if not self._exited_fut.done():
            self._exited_fut.set_result(self._returncode)
        self._grace = self._loop.call_later(_PIPE_GRACE_S, self._force_finish)
        self._maybe_finish()

    def _force_finish(self) -> None:
        self._stdout_done = self._stderr_done = True
        self._maybe_finish()

    def _maybe_finish(self) -> None:
        if self._finished or self._returncode is None:
            return
        if not (self._stdout_done and self._stderr_done):
            return
        self._finished = True
        self._stdin_closed = True
        if self._grace is not None:
            self._grace.cancel()
        if self._err:
            line = bytes(self._err)
            self._err.clear()
            self._emit_stderr(line)
        assert self._transport is not None
        self._transport.close()
        self._on_exit(self._returncode)

    def _connection_lost(self) -> None:
        if not self._closed_fut.done():
            self._closed_fut.set_result(None)
