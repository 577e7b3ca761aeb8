"""npm packages for the corpus tests, fetched at test time and never stored in the repository.

Each package is pinned by version and by the registry's ``integrity`` hash; the tarball's
``package/`` folder is unpacked into a cache (``$WEBEXT_CORPUS_CACHE``, else
``~/.cache/webext-runtime-corpus``). A registry that cannot be reached skips the test.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import platform
import shutil
import subprocess
import tarfile
import tempfile
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pytest


class Package(NamedTuple):
    name: str
    version: str
    integrity: str  # the registry's "sha512-..." of the tarball

    @property
    def url(self) -> str:
        base = self.name.rsplit("/", 1)[-1]
        return f"https://registry.npmjs.org/{self.name}/-/{base}-{self.version}.tgz"


POLYFILL = Package(
    "webextension-polyfill",
    "0.12.0",
    "sha512-97TBmpoWJEE+3nFBQ4VocyCdLKfw54rFaJ6EVQYLBCXqCIpLSZkwGgASpv4oPt9gdKCJ80RJlcmNzNn008Ag6Q==",
)
#: esbuild's own binary, from its npm platform package
ESBUILD = Package(
    "@esbuild/linux-x64",
    "0.28.2",
    "sha512-4xTZr1FUmSoQW4XIWmit3tzQrUTZM+N3P0XV8xROKYF50XfI7xeO90+1bZvNwxIufQ9hDQVRJH5YhgPVF8A/HQ==",
)


#: why the registry could not be used, once a download failed
_unreachable: str | None = None


def cache_dir() -> Path:
    env = os.environ.get("WEBEXT_CORPUS_CACHE")
    path = Path(env) if env else Path.home() / ".cache" / "webext-runtime-corpus"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home: the temporary directory will do
        path = Path(tempfile.gettempdir()) / "webext-runtime-corpus"
        path.mkdir(parents=True, exist_ok=True)
    return path


def fetch(pkg: Package) -> Path:
    """The unpacked ``package/`` folder of ``pkg`` (downloaded once, then cached)."""
    target = cache_dir() / f"{pkg.name.replace('/', '+')}@{pkg.version}"
    if (target / "package.json").is_file():
        return target
    global _unreachable
    if _unreachable is not None:  # one wait for a registry that does not answer is enough
        pytest.skip(_unreachable)
    try:
        with urllib.request.urlopen(pkg.url, timeout=20) as resp:
            data = resp.read()
    except OSError as exc:
        _unreachable = f"{pkg.name} {pkg.version} could not be downloaded ({exc})"
        pytest.skip(_unreachable)
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert digest == pkg.integrity, f"{pkg.url}: integrity mismatch ({digest})"
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.name.startswith("package/") or not (member.isfile() or member.isdir()):
                continue
            rel = Path(member.name[len("package/") :])
            if rel.is_absolute() or ".." in rel.parts:
                continue
            dest = partial / rel
            if member.isdir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            assert src is not None
            dest.write_bytes(src.read())
            if member.mode & 0o111:
                dest.chmod(0o755)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


def bundle(work: Path, packages: list[Package], entries: dict[str, str]) -> dict[str, str]:
    """Bundle each ``entries`` source (name -> ES module text importing ``packages``) into a
    classic script with esbuild (``--bundle --format=iife``), as an extension's build does."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("the pinned esbuild binary is for linux-x64")
    modules = work / "node_modules"
    for pkg in packages:
        dest = modules / pkg.name
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(fetch(pkg), dest)
    esbuild = fetch(ESBUILD) / "bin" / "esbuild"
    out = {}
    for name, source in entries.items():
        entry = work / f"src-{name}"
        entry.write_text(source, encoding="utf-8")
        target = work / "out" / name
        try:
            subprocess.run(
                [str(esbuild), str(entry), "--bundle", "--format=iife", f"--outfile={target}"],
                cwd=work,
                check=True,
                capture_output=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"esbuild could not bundle here: {exc}")
        out[name] = target.read_text(encoding="utf-8")
    return out
