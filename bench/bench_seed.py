"""The seed's example extension end to end, per profile.

One run = a new ``Browser``, ``install(shared/seed-example)``, ``open_tab``, ``tab.click
("body")``, ``ext.click_action()``, ``settle()``, ``close()`` — what
``webext-runtime run ../shared/seed-example --open https://example.com/ --click body
--click-action`` does, minus printing. Each run checks the eight console lines the seed's
README lists. Reported: median, best and worst of 50 runs (ms), per profile, and the
median of the same steps with the extension's contexts played from Python (the manifest
as a dict, no JS: the baseline), measured in the same run.

    python bench/bench_seed.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
from pathlib import Path

from _common import PAGE_URL, PROFILES, now, table

from webext_runtime import Browser

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed-example"
SEED_MANIFEST = {
    "manifest_version": 2,
    "name": "seed-port-example",
    "version": "1.0",
    "browser_specific_settings": {"gecko": {"id": "seed-port-example@example.org"}},
    "background": {"scripts": ["background-script.js"]},
    "browser_action": {"default_title": "Say hi"},
    "content_scripts": [{"matches": ["<all_urls>"], "js": ["content-script.js"]}],
}


async def once(profile: str, js: bool) -> float:
    t0 = now()
    browser = Browser(profile)
    if js:
        ext = await browser.install(SEED)
    else:
        ext = await browser.install(manifest=SEED_MANIFEST)
    tab = await browser.open_tab(PAGE_URL)
    await tab.click("body")
    await ext.click_action()
    await browser.settle()
    lines = [c for c in browser.console if c.context != "browser"]
    await browser.close()
    elapsed = now() - t0
    if js:
        assert len(lines) == 8, lines
        assert not browser.script_errors
    return elapsed


async def run(runs: int) -> None:
    rows: list[list[str]] = []
    result: dict[str, str] = {"runs": str(runs)}
    for profile in PROFILES:
        await once(profile, True)  # warm-up: shim sources and imports
        js_times: list[float] = []
        py_times: list[float] = []
        for _ in range(runs):
            gc.collect()
            py_times.append(await once(profile, False))
            gc.collect()
            js_times.append(await once(profile, True))
        med, med_py = statistics.median(js_times), statistics.median(py_times)
        rows.append(
            [
                profile,
                f"{runs}",
                f"{1e3 * med:.2f}",
                f"{1e3 * min(js_times):.2f}",
                f"{1e3 * max(js_times):.2f}",
                f"{1e3 * med_py:.2f}",
                f"{med / med_py:.1f}",
            ]
        )
        result[f"{profile}_median_ms"] = f"{1e3 * med:.2f}"
        result[f"{profile}_min_ms"] = f"{1e3 * min(js_times):.2f}"
        result[f"{profile}_python_median_ms"] = f"{1e3 * med_py:.2f}"
    headers = ["profile", "runs", "median ms", "min ms", "max ms", "Python-played ms", "JS/Python"]
    print("new Browser, install, open tab, click, action click, settle, close")
    print(table(headers, rows))
    print("RESULT bench_seed " + " ".join(f"{k}={v}" for k, v in result.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="5 runs instead of 50")
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    if not SEED.is_dir():
        sys.exit(f"the seed example is not at {SEED} (../shared from the repository root)")
    asyncio.run(run(5 if args.quick else args.runs))


if __name__ == "__main__":
    main()
