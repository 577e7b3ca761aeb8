"""Values through ports per profile (SEMANTICS.md §3): Chrome JSON, Firefox structured clone."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from webext_runtime import Browser, ExtensionAPIError, Port, SerializationError

from ._helpers import manifest

TOO_BIG = "Message exceeded maximum allowed size of 64MiB."
LIMIT = 64 * 2**20


async def _pair(browser: Browser, profile: str) -> tuple[Port, Port]:
    ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
    bg = ext.background
    assert bg is not None
    got: list[Port] = []
    bg.runtime.on_connect.add_listener(got.append)
    tab = await browser.open_tab("https://example.com/")
    port = tab.content_script(ext).runtime.connect()
    await browser.settle()
    (bp,) = got
    return port, bp


async def _roundtrip(browser: Browser, port: Port, bp: Port, value: Any) -> Any:
    before = len(bp.messages)
    port.post_message(value)
    await browser.settle()
    assert len(bp.messages) == before + 1
    return bp.messages[-1]


# -- Chrome ---------------------------------------------------------------------------------


async def test_chrome_json_semantics() -> None:
    async with Browser(profile="chrome") as browser:
        port, bp = await _pair(browser, "chrome")
        got = await _roundtrip(
            browser,
            port,
            bp,
            {
                "nan": math.nan,
                "inf": [math.inf, -math.inf],
                "f": lambda: 1,
                "neg0": -0.0,
                "t": (1, 2),
                "n": None,
                "s": "é",
            },
        )
        assert got == {
            "nan": None,
            "inf": [None, None],
            "neg0": 0,
            "t": [1, 2],
            "n": None,
            "s": "é",
        }
        assert "f" not in got  # a function-valued key is dropped
        assert math.copysign(1, got["neg0"]) == 1
        assert await _roundtrip(browser, port, bp, math.nan) is None
        when = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.UTC)
        assert await _roundtrip(browser, port, bp, when) == "2024-05-06T07:08:09.123Z"
        assert await _roundtrip(browser, port, bp, {1, 2}) == {}


@pytest.mark.parametrize(
    "value",
    [lambda: 1, "cycle"],
    ids=["function", "cycle"],
)
async def test_chrome_could_not_serialize(value: Any) -> None:
    if value == "cycle":
        value = {"a": 1}
        value["self"] = value
    async with Browser(profile="chrome") as browser:
        port, bp = await _pair(browser, "chrome")
        with pytest.raises(SerializationError) as info:
            port.post_message(value)
        assert str(info.value) == "Could not serialize message."
        assert isinstance(info.value, ExtensionAPIError)
        assert info.value.js_name == "Error"  # Error from postMessage, not TypeError
        # the port stays usable
        assert await _roundtrip(browser, port, bp, "after") == "after"
        assert bp.messages == ["after"]


async def test_chrome_nested_cycle_in_list() -> None:
    inner: list[Any] = []
    inner.append(inner)
    async with Browser(profile="chrome") as browser:
        port, bp = await _pair(browser, "chrome")
        with pytest.raises(SerializationError, match=r"^Could not serialize message\.$"):
            port.post_message({"deep": [inner]})


async def test_chrome_64mib_limit() -> None:
    async with Browser(profile="chrome") as browser:
        port, bp = await _pair(browser, "chrome")
        # JSON adds two quotes: LIMIT - 1 ASCII chars serialize to LIMIT + 1 bytes
        with pytest.raises(SerializationError) as info:
            port.post_message("x" * (LIMIT - 1))
        assert str(info.value) == TOO_BIG
        # the limit is on UTF-8 bytes: 2-byte characters count twice
        with pytest.raises(SerializationError, match=TOO_BIG):
            port.post_message("é" * (LIMIT // 2))
        await browser.settle()
        assert bp.messages == []
        assert await _roundtrip(browser, port, bp, {"small": True}) == {"small": True}
        # exactly at the limit passes (only *exceeding* it is refused)
        exact = "x" * (LIMIT - 2)
        assert await _roundtrip(browser, port, bp, exact) == exact


# -- Firefox --------------------------------------------------------------------------------


async def test_firefox_structured_clone() -> None:
    async with Browser(profile="firefox") as browser:
        port, bp = await _pair(browser, "firefox")
        when = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.UTC)
        got = await _roundtrip(
            browser,
            port,
            bp,
            {"nan": math.nan, "inf": math.inf, "set": {1, 2}, "when": when, "neg0": -0.0},
        )
        assert math.isnan(got["nan"])
        assert got["inf"] == math.inf
        assert got["set"] == {1, 2}
        assert isinstance(got["set"], (set, frozenset))
        assert isinstance(got["when"], dt.datetime)
        assert got["when"].timestamp() == when.timestamp()
        assert math.copysign(1, got["neg0"]) == -1
        cyc: dict[str, Any] = {"k": 1}
        cyc["self"] = cyc
        back = await _roundtrip(browser, port, bp, cyc)
        assert back["self"] is back  # cycles survive


@pytest.mark.parametrize(
    "value", [lambda: 1, {"f": lambda: 1}, [1, print]], ids=["top", "in-dict", "in-list"]
)
async def test_firefox_function_not_cloneable(value: Any) -> None:
    async with Browser(profile="firefox") as browser:
        port, bp = await _pair(browser, "firefox")
        with pytest.raises(SerializationError) as info:
            port.post_message(value)
        assert str(info.value) == "Function object could not be cloned."
        assert info.value.js_name == "DataCloneError"
        assert await _roundtrip(browser, port, bp, "after") == "after"
        assert bp.messages == ["after"]


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_post_message_without_argument(profile: str) -> None:
    from webext_runtime import UNDEFINED, ExtensionTypeError

    async with Browser(profile=profile) as browser:
        port, bp = await _pair(browser, profile)
        if profile == "chrome":
            with pytest.raises(ExtensionTypeError, match=r"^Insufficient number of arguments\.$"):
                port.post_message()
        else:
            port.post_message()  # Firefox sends undefined
            await browser.settle()
            assert bp.messages == [UNDEFINED]
