#!/usr/bin/env python3
"""An example native messaging host built on webext_runtime.native.

It works unchanged with real Chrome and Firefox and with webext-runtime: it answers every
message with {"echo": <message>, "argv": [...]} and exits when the browser closes stdin.
Register it with a host manifest like native-echo.json (make "path" absolute).
"""

import sys

from webext_runtime.native import run


def handle(message):
    return {"echo": message, "argv": sys.argv[1:]}


if __name__ == "__main__":
    run(handle)
