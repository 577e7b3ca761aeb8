"""The ``webext-runtime`` command line (filled in by the JS-realm work)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print(
        "webext-runtime: the `run` command needs the JS realms (not yet available)", file=sys.stderr
    )
    return 2
