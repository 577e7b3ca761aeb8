"""Shared manifests and constants for the Python-played API tests."""

from __future__ import annotations

from typing import Any

PROFILES = ["chrome", "firefox"]

NO_RECEIVER = "Could not establish connection. Receiving end does not exist."
UNCHECKED = "Unchecked runtime.lastError: " + NO_RECEIVER

#: extension A of shared/observations/chromium-150-external.md
A_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqRkLQmuEc2mfbLsW0vYjZmLrUaMIcer9jK1jgwnnZtKS4Wyx"
    "KDCnSFdzXNkLyohJXR93dkVuXbGqnSkr6G63S79SBaFT6DTJEVODX2j6DcEuukrYly+8ivd9oaUFdYv9qyCLJsb9UvV8"
    "J9ynAlHmkpj5vNaH8sjZWmSL+GbFNbjkT+KRdGZFUsNMqAnXEf28wQkd79l6zWOneguNpmWH0KbVObvWNABAX2Flwxj"
    "HdjVUyq43BgYBtGI2oapIDHh3cBN7hiBkWzmXHX/ZgizjJliLNra28jiBue3+Gyrrc9XJ4GBsBpPinqfS6uQaWUgUvENm"
    "Fx1zWl6pAhnWYu1LpwIDAQAB"
)
A_ID = "odbifimomdkabhapjjdnmdiahmoihcid"


def manifest(
    profile: str,
    name: str = "ext",
    *,
    matches: list[str] | None = None,
    exclude_matches: list[str] | None = None,
    all_frames: bool = False,
    background: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """A minimal manifest for the profile: MV3 service worker (Chrome), MV2 page (Firefox)."""
    d: dict[str, Any] = {"name": name, "version": "1.0"}
    if profile in ("chrome", "edge", "opera"):
        d["manifest_version"] = 3
        if background:
            d["background"] = {"service_worker": "bg.js"}
    else:
        d["manifest_version"] = 2
        if background:
            d["background"] = {"scripts": ["bg.js"]}
    if matches is not None:
        entry: dict[str, Any] = {"matches": matches, "js": ["cs.js"]}
        if exclude_matches is not None:
            entry["exclude_matches"] = exclude_matches
        if all_frames:
            entry["all_frames"] = True
        d["content_scripts"] = [entry]
    d.update(extra)
    return d
