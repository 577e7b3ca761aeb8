"""Acceptance: the seed's own example (shared/seed-example) runs unmodified under both
profiles and prints exactly the lines its README lists, in an order a browser could produce."""

from __future__ import annotations

from pathlib import Path

import pytest

from webext_runtime import Browser

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed-example"
DEMO = Path(__file__).resolve().parents[2] / "examples" / "ports-demo"

# shared/seed-example/README.md, with its context prefixes
EXPECTED = [
    ("background", "In background script, received message from content script"),
    ("background", "hello from content script"),
    ("content", "In content script, received message from background script: "),
    ("content", "hi there content script!"),
    ("background", "In background script, received message from content script"),
    ("background", "they clicked the page!"),
    ("content", "In content script, received message from background script: "),
    ("content", "they clicked the button!"),
]

needs_seed = pytest.mark.skipif(not SEED.is_dir(), reason="../shared is absent")


@needs_seed
@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_seed_example_prints_its_readme_lines(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(SEED)
        tab = await browser.open_tab("https://example.com/")
        await tab.click("body")
        await ext.click_action()
        lines = [
            (c.context.split("[")[0], c.text) for c in browser.console if c.context != "browser"
        ]
        assert lines == EXPECTED
        assert browser.script_errors == []
        # the port the content script opened is named as in the example
        connects = [r for r in browser.trace if r["kind"] == "connect"]
        assert [c["data"]["name"] for c in connects] == ["port-from-cs"]
        assert connects[0]["source"] == "content[tab 1, frame 0]"
        assert connects[0]["target"] == "background"


@needs_seed
async def test_seed_example_warns_once_about_mv2_under_chrome() -> None:
    async with Browser(profile="chrome") as browser:
        await browser.install(SEED)
        warnings = [c.text for c in browser.console if c.context == "browser"]
        assert sum("Manifest version 2" in w for w in warnings) == 1
    async with Browser(profile="firefox") as browser:
        await browser.install(SEED)
        assert not [c for c in browser.console if "Manifest version 2" in c.text]


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_demo_extension_ports_both_ways(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(DEMO)
        tab = await browser.open_tab("https://example.com/")
        await tab.click("body")
        await ext.click_action()
        texts = [c.text for c in browser.console if c.context != "browser"]
        assert texts[:5] == [
            'onConnect "demo-cs" from https://example.com/ (tab 1)',
            "background got: {n: 1, hello: 'https://example.com/'}",
            "content got: {reply: 'ack 1'}",
            "background got: {n: 2, clicked: true}",
            "content got: {reply: 'ack 2'}",
        ]
        assert texts[5].startswith('content accepted "demo-bg" from ')
        assert texts[6:] == [
            "background got from tab: {title: 'https://example.com/'}",
            '"demo-bg" closed by the background',
        ]
        assert browser.script_errors == []
