#!/usr/bin/env python3
"""A host speaking the MDN ``ping_pong`` sample's protocol, written for webext-runtime.

Framing: 4-byte native-order length + UTF-8 JSON, both ways. Flow: reads messages until
stdin ends; answers the message ``"ping"`` with ``"pong"`` and ignores anything else.
Standard library only, so it runs unchanged under Chrome, Firefox and webext-runtime.
"""

import json
import struct
import sys

HEADER = struct.Struct("@I")


def read() -> object:
    header = sys.stdin.buffer.read(HEADER.size)
    if len(header) < HEADER.size:
        raise SystemExit(0)  # the browser closed stdin
    (size,) = HEADER.unpack(header)
    return json.loads(sys.stdin.buffer.read(size).decode("utf-8"))


def write(value: object) -> None:
    body = json.dumps(value, separators=(",", ":")).encode("utf-8")
    sys.stdout.buffer.write(HEADER.pack(len(body)) + body)
    sys.stdout.buffer.flush()


while True:
    if read() == "ping":
        write("pong")
