#!/usr/bin/env python3
"""Put the two sample hosts where tests/driver/test_native_samples.py looks for them.

The hosts are other projects' code: they are never copied into this repository. This
script places unmodified copies in a cache directory (default
``${XDG_CACHE_HOME:-~/.cache}/webext-runtime/native-samples``, or ``$WEBEXT_SAMPLES_DIR``):

* ``mdn/ping_pong.py`` — mdn/webextensions-examples ``native-messaging/app/ping_pong.py``
* ``chrome/native-messaging-example-host`` — GoogleChrome/chrome-extensions-samples
  ``api-samples/nativeMessaging/host/native-messaging-example-host``

Sources: ``--mdn-git DIR`` / ``--chrome-git DIR`` read an existing clone (or bare mirror)
with ``git show HEAD:<path>``; without them the repositories are cloned shallowly from
GitHub (needs the network).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLES = {
    "mdn": (
        "https://github.com/mdn/webextensions-examples.git",
        "native-messaging/app/ping_pong.py",
        "mdn/ping_pong.py",
    ),
    "chrome": (
        "https://github.com/GoogleChrome/chrome-extensions-samples.git",
        "api-samples/nativeMessaging/host/native-messaging-example-host",
        "chrome/native-messaging-example-host",
    ),
}


def cache_home() -> Path:
    """``${XDG_CACHE_HOME:-~/.cache}/webext-runtime``: where the sample caches live."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "webext-runtime"


def cache_dir() -> Path:
    if os.environ.get("WEBEXT_SAMPLES_DIR"):
        return Path(os.environ["WEBEXT_SAMPLES_DIR"])
    return cache_home() / "native-samples"


def repository(url: str, git_dir: str | None) -> str:
    """A git directory to read ``url``'s files from: ``git_dir`` (a clone or bare mirror), or
    a shallow bare clone made now."""
    if git_dir is None:
        tmp = tempfile.mkdtemp()
        subprocess.run(["git", "clone", "--depth=1", "--bare", url, tmp], check=True)
        return tmp
    if (Path(git_dir) / ".git").is_dir():
        return str(Path(git_dir) / ".git")
    return git_dir


def git(git_dir: str, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", git_dir, *args], check=True, capture_output=True
    ).stdout


def show(git_dir: str, path: str) -> bytes:
    return git(git_dir, "show", f"HEAD:{path}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mdn-git", help="git directory of mdn/webextensions-examples")
    ap.add_argument("--chrome-git", help="git directory of GoogleChrome/chrome-extensions-samples")
    args = ap.parse_args()
    out = cache_dir()
    for key, (url, path, target) in SAMPLES.items():
        git_dir = repository(url, getattr(args, f"{key}_git"))
        dest = out / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(show(git_dir, path))
        dest.chmod(0o755)
        print(f"{key}: {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
