"""Write native messaging hosts that work unchanged with Chrome, Firefox and webext-runtime.

A native messaging host is a program the browser starts when an extension calls
``runtime.connectNative(name)`` or ``runtime.sendNativeMessage(name, message)``. Both
browsers talk to it over stdin/stdout: every message is a 4-byte length in native byte order
followed by that many bytes of UTF-8 JSON. Messages from the host may be at most 1 MiB
(1,048,576 bytes); larger ones make both browsers drop the connection. stdout is the
channel, so never ``print()`` to it — log to stderr (Chrome copies it to its own stderr,
Firefox to the Browser Console).

What the host is given (measured, Chromium 150 / Firefox 153 on Linux):

* argv: Chrome ``[host, "chrome-extension://<id>/"]``; Firefox ``[host, <path of the host
  manifest>, <add-on id>]``. The working directory is the host executable's directory.
* ``sendNativeMessage`` starts a new process per call, takes its *first* message as the
  answer and closes its stdin at once.
* When the extension disconnects, stdin reaches EOF. Exit then: Chrome SIGKILLs a host that
  is still alive 2 s later; Firefox sends SIGTERM after 3 s and SIGKILL 3 s after that.
* Chrome sends ``postMessage(undefined)`` as ``null``, Firefox as an empty frame; both are
  read here as ``None``.

Complete example host (save as ``/opt/echo/echo_host.py``, ``chmod +x``)::

    #!/usr/bin/env python3
    import sys
    from webext_runtime.native import run

    def handle(message):
        print("got", message, file=sys.stderr)      # logging goes to stderr
        if message == "bye":
            raise SystemExit(0)
        return {"echo": message, "argv": sys.argv[1:]}  # None would mean "no reply"

    run(handle)

and its manifest ``com.example.echo.json`` (Chrome: ``<user-data-dir>/NativeMessagingHosts/``
or ``~/.config/google-chrome/NativeMessagingHosts/``; Firefox:
``~/.mozilla/native-messaging-hosts/``)::

    {"name": "com.example.echo", "description": "Echo host",
     "path": "/opt/echo/echo_host.py", "type": "stdio",
     "allowed_origins": ["chrome-extension://<extension id>/"],
     "allowed_extensions": ["echo@example.org"]}

Lower-level pieces: :func:`read_message` / :func:`write_message` for your own loop,
:func:`encode_message` / :func:`decode_frames` for raw bytes (e.g. in tests).
This module uses the standard library only.
"""

from __future__ import annotations

import json
import os
import struct
import sys
from collections.abc import Callable
from typing import IO, Any, Final

__all__ = [
    "EOF",
    "MAX_MESSAGE_BYTES",
    "decode_frames",
    "encode_message",
    "read_message",
    "run",
    "write_message",
]

#: The largest message (JSON bytes) a browser accepts from a host.
MAX_MESSAGE_BYTES: Final = 1024 * 1024

_HEADER: Final = struct.Struct("=I")  # 4 bytes, native byte order


class _Eof:
    __slots__ = ()

    def __repr__(self) -> str:
        return "EOF"


#: Pass as ``read_message(eof=EOF)`` to tell end of input from a ``null`` message.
EOF: Final[Any] = _Eof()


def encode_message(obj: Any, *, max_bytes: int | None = MAX_MESSAGE_BYTES) -> bytes:
    """One frame: length prefix + compact UTF-8 JSON of ``obj``.

    Raises ``ValueError`` when ``obj`` is not JSON-serializable without NaN/Infinity, or when
    the JSON is longer than ``max_bytes`` (browsers would drop the connection); pass
    ``max_bytes=None`` to skip that check.
    """
    try:
        text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except TypeError as exc:
        raise ValueError(f"message is not JSON-serializable: {exc}") from None
    payload = text.encode("utf-8")
    if max_bytes is not None and len(payload) > max_bytes:
        raise ValueError(
            f"message of {len(payload)} bytes exceeds the {max_bytes}-byte limit "
            "browsers accept from a native host"
        )
    return _HEADER.pack(len(payload)) + payload


def _decode_payload(payload: bytes) -> Any:
    if not payload:
        return None  # Firefox's postMessage(undefined)
    return json.loads(payload.decode("utf-8"))


def decode_frames(buf: bytes) -> tuple[list[Any], bytes]:
    """Decode every complete frame in ``buf``; return the messages and the unused rest.

    A zero-length frame decodes to ``None``. Invalid JSON raises ``ValueError``.
    """
    out: list[Any] = []
    view = memoryview(buf)
    pos = 0
    while len(view) - pos >= _HEADER.size:
        (size,) = _HEADER.unpack_from(view, pos)
        end = pos + _HEADER.size + size
        if end > len(view):
            break
        out.append(_decode_payload(bytes(view[pos + _HEADER.size : end])))
        pos = end
    return out, bytes(view[pos:])


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(stream: IO[bytes] | None = None, *, eof: Any = None) -> Any:
    """Block until one message arrives on ``stream`` (default ``sys.stdin.buffer``).

    Returns the decoded JSON value, or ``eof`` (default ``None``) when the browser closed the
    pipe. A JSON ``null`` message also reads as ``None``; pass ``eof=EOF`` to tell them apart.
    Raises ``EOFError`` if the input ends inside a frame, ``ValueError`` on invalid JSON.
    """
    stream = sys.stdin.buffer if stream is None else stream
    header = _read_exactly(stream, _HEADER.size)
    if not header:
        return eof
    if len(header) < _HEADER.size:
        raise EOFError("input ended inside a message length prefix")
    (size,) = _HEADER.unpack(header)
    payload = _read_exactly(stream, size)
    if len(payload) < size:
        raise EOFError(f"input ended after {len(payload)} of {size} message bytes")
    return _decode_payload(payload)


def write_message(obj: Any, stream: IO[bytes] | None = None) -> None:
    """Send ``obj`` as one message on ``stream`` (default ``sys.stdout.buffer``) and flush.

    Raises ``ValueError`` for values that are not JSON or whose JSON exceeds 1 MiB.
    """
    stream = sys.stdout.buffer if stream is None else stream
    stream.write(encode_message(obj))
    stream.flush()


def run(
    handler: Callable[[Any], Any],
    stdin: IO[bytes] | None = None,
    stdout: IO[bytes] | None = None,
) -> None:
    """Serve messages until the browser closes stdin.

    Calls ``handler(message)`` for each message in order and sends its return value back
    unless it is ``None``. Returns at EOF, or quietly when the browser has closed the reading
    end of stdout (``BrokenPipeError``).
    """
    stdin = sys.stdin.buffer if stdin is None else stdin
    stdout = sys.stdout.buffer if stdout is None else stdout
    while True:
        message = read_message(stdin, eof=EOF)
        if message is EOF:
            return
        reply = handler(message)
        if reply is None:
            continue
        try:
            write_message(reply, stdout)
        except BrokenPipeError:
            _silence(stdout)
            return


def _silence(stream: IO[bytes]) -> None:
    """After EPIPE, point the stream's fd at /dev/null so the interpreter's final flush of
    the unsent bytes does not print a second ``BrokenPipeError``."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
