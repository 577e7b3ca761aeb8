#!/usr/bin/env python3
"""A host speaking the Chrome ``nativeMessaging`` sample host's headless protocol, written
for webext-runtime.

On start it sends one greeting string; then it answers every message with
``{"echo": <the message>}`` until it receives exactly ``{"text":"exit"}`` (compact JSON, as
both browsers send it) or stdin ends, and exits with status 0.
"""

import json
import struct
import sys

HEADER = struct.Struct("@I")


def write(value: object) -> None:
    body = json.dumps(value, separators=(",", ":")).encode("utf-8")
    sys.stdout.buffer.write(HEADER.pack(len(body)) + body)
    sys.stdout.buffer.flush()


write("echo host ready (headless)")
while True:
    header = sys.stdin.buffer.read(HEADER.size)
    if len(header) < HEADER.size:
        break
    (size,) = HEADER.unpack(header)
    text = sys.stdin.buffer.read(size).decode("utf-8")
    if text == '{"text":"exit"}':
        break
    write({"echo": json.loads(text)})
sys.exit(0)
