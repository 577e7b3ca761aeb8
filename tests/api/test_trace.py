"""Trace records (API.md "Trace records"): kinds, fields, determinism, virtual time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from webext_runtime import Browser, Port

from ._helpers import NO_RECEIVER, manifest

FIELDS = {"seq", "time", "kind", "source", "target", "port", "data"}


async def _program(profile: str) -> list[dict[str, Any]]:
    async with Browser(profile=profile, bfcache=False) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None
        got: list[Port] = []
        bg.runtime.on_connect.add_listener(got.append)
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        port = cs.runtime.connect(name="traced")
        port.post_message({"n": 1, "s": "x"})
        await browser.settle()
        await browser.advance(2.5)
        got[0].post_message([1, 2])
        await browser.settle()
        port.disconnect()
        await browser.advance(1.0)
        bg.runtime.connect(name="nobody")  # no receiver (only bg of this extension)
        await browser.settle()
        await tab.navigate("https://example.com/next")
        return browser.trace_json()


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_trace_records(profile: str) -> None:
    trace = await _program(profile)
    assert trace, "empty trace"
    for rec in trace:
        assert set(rec) >= FIELDS
        assert isinstance(rec["seq"], int)
        assert isinstance(rec["time"], (int, float))
    seqs = [r["seq"] for r in trace]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    times = [r["time"] for r in trace]
    assert times == sorted(times)
    kinds = [r["kind"] for r in trace]
    for kind in ("connect", "connect_failed", "message", "disconnect", "lifecycle"):
        assert kind in kinds, kind

    connects = [r for r in trace if r["kind"] == "connect"]
    traced = next(r for r in connects if r["data"]["name"] == "traced")
    assert traced["source"].startswith("content")
    assert traced["target"] == "background"
    assert isinstance(traced["port"], int)

    messages = [r for r in trace if r["kind"] == "message"]
    assert [m["data"]["message"] for m in messages] == [{"n": 1, "s": "x"}, [1, 2]]
    assert messages[0]["source"] == traced["source"]
    assert messages[0]["target"] == "background"
    assert messages[1]["source"] == "background"
    assert all(m["port"] == traced["port"] for m in messages)
    # the time of each record follows advance()
    assert messages[0]["time"] == 0.0
    assert messages[1]["time"] == pytest.approx(2.5)

    failed = [r for r in trace if r["kind"] == "connect_failed"]
    assert len(failed) == 1
    assert failed[0]["data"]["name"] == "nobody"
    assert failed[0]["source"] == "background"
    assert failed[0]["time"] == pytest.approx(3.5)
    assert NO_RECEIVER in json.dumps(failed[0])

    disconnects = [r for r in trace if r["kind"] == "disconnect"]
    # the receiver is told of the cs disconnect (the closer is not), and the failed opener
    assert [d["target"] for d in disconnects][:1] == ["background"]
    assert disconnects[0]["port"] == traced["port"]

    lifecycle = [r for r in trace if r["kind"] == "lifecycle"]
    events = [r["data"].get("event") for r in lifecycle]
    assert "extension_installed" in events
    assert "tab_opened" in events
    assert "context_created" in events
    assert "context_destroyed" in events  # navigate removed the old document's contexts


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_trace_is_deterministic_and_json(profile: str) -> None:
    first = await _program(profile)
    second = await _program(profile)
    assert first == second
    text = json.dumps(first)
    assert json.loads(text) == first


async def test_trace_messages_of_non_json_values_are_serializable() -> None:
    import datetime as dt
    import math

    async with Browser(profile="firefox") as browser:
        ext = await browser.install(manifest=manifest("firefox", matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None
        bg.runtime.on_connect.add_listener(lambda p: None)
        tab = await browser.open_tab("https://example.com/")
        port = tab.content_script(ext).runtime.connect()
        port.post_message({"nan": math.nan, "set": {1}, "when": dt.datetime(2024, 1, 1)})
        await browser.settle()
        json.dumps(browser.trace_json(), allow_nan=False)


async def test_browser_trace_property_matches_trace_json() -> None:
    async with Browser() as browser:
        await browser.install(manifest=manifest("chrome"))
        assert browser.trace == browser.trace_json()
        assert browser.now == 0.0
        await browser.advance(31.0)
        assert browser.now == pytest.approx(31.0)
