"""Extension ids: Chrome's derivation from a key or a path, Firefox's id rules.

* Chrome: ``components/crx_file/id_util.cc`` — the id is the first 16 bytes of
  SHA-256 over the DER SubjectPublicKeyInfo (the manifest ``key``, base64),
  written as 32 hex digits with ``0-f`` mapped to ``a-p``; an unpacked
  extension without ``key`` gets the same mapping over its absolute path.
  ``IdIsValid`` lower-cases before checking, so upper-case ids are valid too.
  Measured: ``observations/chromium-150-external.md``.
* Firefox: ``toolkit/components/extensions/schemas/manifest.json``
  (``ExtensionID``) — ``{GUID}`` or ``local@domain`` made of ``[a-z0-9-._]``
  (case-insensitive, the part before ``@`` may be empty).
  ``toolkit/mozapps/extensions/internal/XPIInstall.sys.mjs`` — a temporary
  add-on without an id gets ``<40 hex digits of a SHA-1>@temporary-addon``;
  Firefox salts the hash per session, we hash only the seed so ids are
  deterministic.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

__all__ = [
    "chrome_id_from_key",
    "chrome_id_from_seed",
    "firefox_temporary_id",
    "is_valid_chrome_id",
    "is_valid_gecko_id",
]

_HEX_TO_AP = str.maketrans("0123456789abcdef", "abcdefghijklmnop")
_PEM_LINE = re.compile(r"-----(BEGIN|END) [A-Z ]+-----")
_CHROME_ID = re.compile(r"[a-pA-P]{32}")
_GECKO_GUID = re.compile(
    r"\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}", re.IGNORECASE
)
_GECKO_EMAIL = re.compile(r"[a-z0-9\-._]*@[a-z0-9\-._]+", re.IGNORECASE)


def _id_from_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32].translate(_HEX_TO_AP)


def chrome_id_from_key(key_b64: str) -> str:
    """The Chrome extension id for a manifest ``key`` (base64 DER public key).

    PEM armour lines and whitespace are ignored. Raises :class:`ValueError` if
    the key is empty or not valid base64.
    """
    if not isinstance(key_b64, str):
        raise ValueError(f"key must be a string, got {type(key_b64).__name__}")
    body = "".join(_PEM_LINE.sub("", key_b64).split())
    if not body:
        raise ValueError("key is empty")
    try:
        der = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"key is not valid base64: {exc}") from None
    if not der:
        raise ValueError("key is empty")
    return _id_from_bytes(der)


def chrome_id_from_seed(seed: str) -> str:
    """A Chrome-style id from any string (Chrome uses an unpacked extension's path)."""
    return _id_from_bytes(seed.encode("utf-8"))


def firefox_temporary_id(seed: str) -> str:
    """A deterministic id shaped like Firefox's temporary add-on ids."""
    return hashlib.sha1(seed.encode("utf-8"), usedforsecurity=False).hexdigest() + (
        "@temporary-addon"
    )


def is_valid_chrome_id(s: object) -> bool:
    """True for 32 letters ``a``-``p`` (either case, as Chrome's ``IdIsValid``)."""
    return isinstance(s, str) and _CHROME_ID.fullmatch(s) is not None


def is_valid_gecko_id(s: object) -> bool:
    """True for a Firefox add-on id: ``{GUID}`` or ``something@domain``."""
    if not isinstance(s, str) or not s.isascii():
        return False
    return _GECKO_GUID.fullmatch(s) is not None or _GECKO_EMAIL.fullmatch(s) is not None
