"""A minimal WebDriver BiDi client over a stdlib-only WebSocket (RFC 6455, client side)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import struct
from typing import Any
from urllib.parse import urlsplit


class BiDiError(Exception):
    pass


class WebSocket:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, url: str) -> WebSocket:
        parts = urlsplit(url)
        host = parts.hostname or "127.0.0.1"
        port = parts.port or 80
        reader, writer = await asyncio.open_connection(host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        writer.write(request.encode())
        await writer.drain()
        status = await reader.readline()
        if b" 101 " not in status:
            raise BiDiError(f"WebSocket handshake refused: {status.decode(errors='replace')}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        return cls(reader, writer)

    async def send(self, text: str) -> None:
        data = text.encode()
        header = bytearray([0x81])
        n = len(data)
        if n < 126:
            header.append(0x80 | n)
        elif n < 1 << 16:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.writer.write(bytes(header) + body)
        await self.writer.drain()

    async def recv(self) -> str:
        chunks: list[bytes] = []
        while True:
            b0, b1 = await self.reader.readexactly(2)
            opcode = b0 & 0x0F
            n = b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack(">H", await self.reader.readexactly(2))
            elif n == 127:
                (n,) = struct.unpack(">Q", await self.reader.readexactly(8))
            mask = await self.reader.readexactly(4) if b1 & 0x80 else None
            payload = await self.reader.readexactly(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise BiDiError("WebSocket closed by the browser")
            if opcode == 0x9:  # ping → pong
                self.writer.write(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
                continue
            if opcode in (0x0, 0x1, 0x2):
                chunks.append(payload)
                if b0 & 0x80:
                    return b"".join(chunks).decode()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class BiDi:
    """Commands with ids, answers matched by id; events are kept in ``events``."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        try:
            while True:
                msg = json.loads(await self.ws.recv())
                fut = self.pending.pop(msg.get("id", -1), None)
                if fut is not None and not fut.done():
                    fut.set_result(msg)
                elif msg.get("type") == "event":
                    self.events.append(msg)
        except (BiDiError, asyncio.IncompleteReadError, ConnectionError) as exc:
            for fut in self.pending.values():
                if not fut.done():
                    fut.set_exception(BiDiError(str(exc)))

    async def send(self, method: str, params: dict[str, Any], timeout: float = 30) -> Any:
        cid = next(self.ids)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending[cid] = fut
        await self.ws.send(json.dumps({"id": cid, "method": method, "params": params}))
        msg = await asyncio.wait_for(fut, timeout)
        if msg.get("type") == "error" or "error" in msg:
            raise BiDiError(f"{method}: {msg.get('error')}: {msg.get('message')}")
        return msg.get("result")

    async def close(self) -> None:
        self.reader.cancel()
        with contextlib.suppress(BaseException):
            await self.reader
        self.ws.close()
