"""GoogleChrome/chrome-extensions-samples' "Message Timer" (shared/CORPUS.md), unmodified.

An MV2 extension: its popup times 1,000 ``tabs.sendMessage`` round trips and 1,000 port
round trips (``tabs.connect``) to the active tab's content script, callback style, with
``chrome.Interval`` — which only exists under Chromium's ``--enable-benchmarking``
(``Browser(enable_benchmarking=True)``). Without it the popup stops at once (it asks for the
switch with ``alert``).

The sample is other people's code and never stored here: ``scripts/fetch_corpus_samples.py``
puts it in a cache (from a clone or GitHub); the test skips when it is not there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from webext_runtime import Browser


def sample_dir() -> Path:
    base = os.environ.get("WEBEXT_CORPUS_SAMPLES")
    if base:
        root = Path(base)
    else:
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = Path(cache) / "webext-runtime" / "corpus-samples"
    found = root / "chrome-timer"
    if not (found / "manifest.json").is_file():
        pytest.skip(f"the timer sample is not in {found} (run scripts/fetch_corpus_samples.py)")
    return found


async def test_message_timer_runs_its_thousand_round_trips() -> None:
    sample = sample_dir()
    async with Browser("chrome", enable_benchmarking=True) as browser:
        ext = await browser.install(sample)
        await browser.open_tab("https://example.com/")
        await browser.open_tab("https://example.org/")  # the active tab: the popup's target
        popup = await ext.open_popup()
        started = len(browser.trace)
        await popup.evaluate("document.querySelector('#testMessage').click()")
        await browser.settle()
        # the handler stops after the content script's counter reached 1,000; on the virtual
        # clock the round trips take no time
        assert (
            await popup.evaluate("document.getElementById('resultsRequest').innerText") == "0usec"
        )
        await popup.evaluate("document.querySelector('#testConnect').click()")
        await browser.settle()
        assert (
            await popup.evaluate("document.getElementById('resultsConnect').innerText") == "0usec"
        )
        # counters 1 -> 2 -> ... -> 1000: 999 requests / posts each way
        kinds = [r["kind"] for r in browser.trace[started:]]
        assert kinds.count("send_message") == 999
        assert kinds.count("reply") == 999
        assert kinds.count("connect") == 1
        assert kinds.count("message") == 2 * 999
        assert browser.script_errors == []


async def test_without_the_switch_it_asks_for_it() -> None:
    sample = sample_dir()
    async with Browser("chrome") as browser:
        ext = await browser.install(sample)
        popup = await ext.open_popup()
        assert await popup.evaluate("typeof chrome.Interval") == "undefined"
        assert browser.script_errors == []  # its alert() is a dismissed dialog here
