"""``webext-runtime compare`` (being built)."""

from __future__ import annotations

import argparse
import sys


def main(args: argparse.Namespace) -> int:
    print("webext-runtime compare: not available yet in this build", file=sys.stderr)
    return 2
