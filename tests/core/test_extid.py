"""Extension ids.

Vectors: the key and id Chromium 150 gave extension A (observations/chromium-150-external.md;
the other six keys of that run are not recorded), and the expectations of Chromium's
components/crx_file/id_util_unittest.cc (facts, not code).
"""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webext_runtime._core.extid import (
    chrome_id_from_key,
    chrome_id_from_seed,
    firefox_temporary_id,
    is_valid_chrome_id,
    is_valid_gecko_id,
)

KEY_A = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqRkLQmuEc2mfbLsW0vYjZmLrUaMIcer9jK1jgwnnZtKS4Wyx"
    "KDCnSFdzXNkLyohJXR93dkVuXbGqnSkr6G63S79SBaFT6DTJEVODX2j6DcEuukrYly+8ivd9oaUFdYv9qyCLJsb9UvV8"
    "J9ynAlHmkpj5vNaH8sjZWmSL+GbFNbjkT+KRdGZFUsNMqAnXEf28wQkd79l6zWOneguNpmWH0KbVObvWNABAX2Flwxj"
    "HdjVUyq43BgYBtGI2oapIDHh3cBN7hiBkWzmXHX/ZgizjJliLNra28jiBue3+Gyrrc9XJ4GBsBpPinqfS6uQaWUgUvEN"
    "mFx1zWl6pAhnWYu1LpwIDAQAB"
)
ID_A = "odbifimomdkabhapjjdnmdiahmoihcid"

# DER SubjectPublicKeyInfo from id_util_unittest.cc (kPublicKeyInfo).
_UNITTEST_KEY_HEX = (
    "30819f300d06092a864886f70d010101050003818d0030818902818100b87f2b20dc7c9b0cdc5161990d360fd4"
    "6688085584d53abf2ba464857b0c04133f8df4bc380d49fe6bc45ab040533ad766090f9e367430da8a314f1f14"
    "50d7c7209417de4eb9575e7e0ae5b2657a894eb647ff1cbdb73813af4785843233f31749bfe996d0d6146f138d"
    "c5fc2c72baacea7e185356a683a2ce9393e71f0fe60f0203010001"
)
KEY_UNITTEST = base64.b64encode(bytes.fromhex(_UNITTEST_KEY_HEX)).decode()
ID_UNITTEST = "melddjfinppjdikinhbgehiennejpfhp"


def test_key_observed_in_chromium_150() -> None:
    assert chrome_id_from_key(KEY_A) == ID_A


def test_key_from_chromium_unittest() -> None:
    assert chrome_id_from_key(KEY_UNITTEST) == ID_UNITTEST


def test_key_with_whitespace_and_pem_armour() -> None:
    wrapped = "\n".join(KEY_A[i : i + 64] for i in range(0, len(KEY_A), 64))
    pem = f"-----BEGIN PUBLIC KEY-----\n{wrapped}\n-----END PUBLIC KEY-----\n"
    assert chrome_id_from_key(wrapped) == ID_A
    assert chrome_id_from_key(pem) == ID_A


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("test", "jpignaibiiemhngfjkcpokkamffknabf"),
        ("_", "ncocknphbhhlhkikpnnlmbcnbgdempcd"),
        (
            "this_string_is_longer_than_a_single_sha256_hash_digest",
            "jimneklojkjdibfkgiiophfhjhbdgcfi",
        ),
        ("/path/to/file.ext", "lnkgfdknojmdambfcanadbhmfjfljobb"),  # GenerateIdForPath, POSIX
    ],
)
def test_seed_vectors(seed: str, expected: str) -> None:
    assert chrome_id_from_seed(seed) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "not base64!",
        "QUJD=A",
        "@@@@",
        "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
    ],
)
def test_invalid_keys(bad: str) -> None:
    with pytest.raises(ValueError, match="key"):
        chrome_id_from_key(bad)


def test_non_string_key() -> None:
    with pytest.raises(ValueError, match="must be a string"):
        chrome_id_from_key(b"abc")  # type: ignore[arg-type]


@given(st.text())
def test_seed_ids_are_valid_chrome_ids(seed: str) -> None:
    ext_id = chrome_id_from_seed(seed)
    assert re.fullmatch(r"[a-p]{32}", ext_id)
    assert is_valid_chrome_id(ext_id)
    assert chrome_id_from_seed(seed) == ext_id


@given(st.binary(min_size=1, max_size=64))
def test_key_ids_are_valid_and_depend_on_bytes(der: bytes) -> None:
    key = base64.b64encode(der).decode()
    ext_id = chrome_id_from_key(key)
    assert is_valid_chrome_id(ext_id)
    assert chrome_id_from_key(base64.b64encode(der + b"\0").decode()) != ext_id


def test_firefox_temporary_id() -> None:
    a = firefox_temporary_id("/home/me/ext")
    assert re.fullmatch(r"[0-9a-f]{40}@temporary-addon", a)
    assert firefox_temporary_id("/home/me/ext") == a
    assert firefox_temporary_id("/home/me/other") != a
    assert is_valid_gecko_id(a)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ID_A, True),
        ("a" * 32, True),
        ("p" * 32, True),
        ("ODBIFIMOMDKABHAPJJDNMDIAHMOIHCID", True),  # IdIsValid lower-cases first
        ("q" * 32, False),
        ("a" * 31, False),
        ("a" * 33, False),
        ("", False),
        ("0123456789abcdef0123456789abcdef", False),
        (None, False),
        (42, False),
    ],
)
def test_is_valid_chrome_id(value: object, expected: bool) -> None:
    assert is_valid_chrome_id(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{12345678-1234-1234-1234-123456789abc}", True),
        ("{12345678-1234-1234-1234-123456789ABC}", True),
        ("12345678-1234-1234-1234-123456789abc", False),  # braces required
        ("{12345678-1234-1234-1234-123456789abg}", False),
        ("addon@example.com", True),
        ("my.addon_1-2@example", True),
        ("@example.com", True),  # the local part may be empty
        ("Addon@Example.COM", True),
        ("addon@", False),
        ("addon", False),
        ("add on@example.com", False),
        ("addon@exa+mple.com", False),
        ("a@b@c", False),
        ("addon@example.com\n", False),
        ("adðon@example.com", False),
        ("", False),
        (None, False),
    ],
)
def test_is_valid_gecko_id(value: object, expected: bool) -> None:
    assert is_valid_gecko_id(value) is expected
