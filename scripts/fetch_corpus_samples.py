#!/usr/bin/env python3
"""Put sample extensions from shared/CORPUS.md where tests/corpus/ looks for them.

They are other projects' code and are never copied into this repository: this script places
unmodified copies in a cache directory (``$WEBEXT_CORPUS_SAMPLES``, else
``${XDG_CACHE_HOME:-~/.cache}/webext-runtime/corpus-samples``):

* ``chrome-timer/`` — GoogleChrome/chrome-extensions-samples ``_archive/mv2/api/messaging/timer``
  (1,000 ``tabs.sendMessage`` and 1,000 ``tabs.connect`` round trips from a popup)

``--chrome-git DIR`` reads an existing clone (or bare mirror) with ``git``; without it the
repository is cloned shallowly from GitHub (needs the network).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# the git helpers of the native samples' script (same repositories, same cache home)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples" / "native-samples"))
from fetch_samples import cache_home, git, repository

SAMPLES = {
    "chrome-timer": (
        "chrome",
        "https://github.com/GoogleChrome/chrome-extensions-samples.git",
        "_archive/mv2/api/messaging/timer",
    ),
}


def cache_dir() -> Path:
    if os.environ.get("WEBEXT_CORPUS_SAMPLES"):
        return Path(os.environ["WEBEXT_CORPUS_SAMPLES"])
    return cache_home() / "corpus-samples"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chrome-git", help="git directory of GoogleChrome/chrome-extensions-samples")
    args = ap.parse_args()
    out = cache_dir()
    for name, (key, url, folder) in SAMPLES.items():
        git_dir = repository(url, getattr(args, f"{key}_git"))
        files = git(git_dir, "ls-tree", "-r", "--name-only", "HEAD", "--", folder).decode()
        for path in files.split():
            dest = out / name / path[len(folder) + 1 :]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(git(git_dir, "show", f"HEAD:{path}"))
        print(f"{name}: {out / name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
