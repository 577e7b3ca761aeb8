"""Conformance: each scenario run in webext-runtime must give the trace real browsers gave.

Every ``scenarios/<name>/`` is a small extension (or a folder of extensions) with
``steps.json`` and goldens recorded from real Chromium (``golden.chromium.json``, MV3) and
Firefox (``golden.firefox.json``, the MV2 form) by ``scripts/record_goldens.py``. This module
needs no browser: it runs the same steps in webext-runtime (chrome profile against the
Chromium golden, firefox profile against the Firefox golden) and compares the normalised
per-context traces (see ``webext_runtime.compare.normalize``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from webext_runtime.compare.normalize import diff, normalize
from webext_runtime.compare.runtime_runner import run_runtime
from webext_runtime.compare.scenario import load_scenario

SCENARIOS = Path(__file__).parent / "scenarios"

#: Where webext-runtime diverges from the real browser today: (scenario, browser) -> what the
#: browser does and what the runtime does instead. Each entry is an xfail(strict=True): a fix
#: in the runtime makes the test pass, and then its entry must go.
KNOWN_DIVERGENCES: dict[tuple[str, str], str] = {}

PROFILE = {"chromium": "chrome", "firefox": "firefox"}


def _cases() -> list[Any]:
    cases = []
    for d in sorted(SCENARIOS.iterdir()):
        for browser in ("chromium", "firefox"):
            golden = d / f"golden.{browser}.json"
            if not golden.is_file():
                continue
            reason = KNOWN_DIVERGENCES.get((d.name, browser))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(d, browser, id=f"{d.name}-{browser}", marks=marks))
    return cases


@pytest.mark.parametrize(("directory", "real_browser"), _cases())
async def test_matches_real_browser(directory: Path, real_browser: str) -> None:
    golden = json.loads((directory / f"golden.{real_browser}.json").read_text(encoding="utf-8"))
    result = await run_runtime(load_scenario(directory), PROFILE[real_browser])
    lines = diff(
        golden,
        normalize(result),
        expected_label=f"{real_browser} {golden['version']}",
        actual_label=f"webext-runtime/{PROFILE[real_browser]}",
        compare_console=real_browser == "chromium",
    )
    assert not lines, "\n" + "\n".join(lines)


def test_every_scenario_has_a_chromium_golden() -> None:
    missing = [
        d.name
        for d in SCENARIOS.iterdir()
        if (d / "steps.json").is_file() and not (d / "golden.chromium.json").is_file()
    ]
    assert not missing, f"record them: python scripts/record_goldens.py {' '.join(missing)}"


def test_goldens_name_their_browser_version() -> None:
    for golden in SCENARIOS.glob("*/golden.*.json"):
        doc = json.loads(golden.read_text(encoding="utf-8"))
        browser = golden.name.split(".")[1]
        assert doc["browser"] == browser
        assert doc["version"].startswith(
            "Chromium " if browser == "chromium" else "Mozilla Firefox"
        )
        assert doc["trace"], f"{golden}: empty trace"
