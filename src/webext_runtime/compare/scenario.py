"""Scenarios: extension directories, steps, pages, and staging (trace helper, MV2 form).

A scenario directory is either one unpacked extension (``manifest.json`` at its top) or a
folder of extensions (each sub-directory holding a ``manifest.json``, loaded in name order).
Beside them: ``steps.json`` (the steps, see :data:`STEP_KINDS`) and optionally ``pages/``
(web pages served from the local test server; the built-in :data:`DEFAULT_PAGES` are served
when a scenario does not bring its own file of that name).

Staging copies every extension to a scratch directory and writes the shared trace helper
(``trace.js``, see ``trace.js`` in this package) into it, with the report URL set for real
browsers that cannot hand over extension consoles (Firefox). An MV3 service worker gets the
helper prepended (a worker cannot load a second classic script without ``importScripts``).
For Firefox the MV3 manifest is rewritten to its MV2 form (:func:`to_mv2`).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRACE_JS = Path(__file__).with_name("trace.js")

STEP_KINDS = (
    "open",  # {"open": "/page.html" | URL}            a new tab (first one reuses the blank tab)
    "click",  # {"click": "body", "tab": i?}            a user click in the newest (or i-th) tab
    "open_page",  # {"open_page": "page.html", "ext": name?}  an extension page in a new tab
    "close_tab",  # {"close_tab": i}                    close the i-th tab opened by the steps
    "navigate",  # {"navigate": URL, "tab": i?}          load a new document in the newest tab
    "click_action",  # {"click_action": true, "ext": name?}  the toolbar button (Chromium, runtime)
    "wait",  # {"wait": seconds}                         real wait / virtual clock advance
    "eval_background",  # {"eval_background": "fn", "ext": name?}  call fn() in the worker
)

DEFAULT_PAGES: dict[str, str] = {
    "page.html": (
        "<!doctype html><html><head><title>conformance page</title></head>"
        '<body><p id="p">page</p><button id="b">button</button></body></html>'
    ),
    "child.html": (
        "<!doctype html><html><head><title>conformance child</title></head>"
        "<body><p>child frame</p></body></html>"
    ),
    "frames.html": (
        "<!doctype html><html><head><title>conformance frames</title></head>"
        '<body><p>top</p><iframe src="/child.html"></iframe></body></html>'
    ),
    "frames2.html": (
        "<!doctype html><html><head><title>conformance two frames</title></head>"
        '<body><p>top</p><iframe src="/child.html?n=1"></iframe>'
        '<iframe src="/child.html?n=2"></iframe></body></html>'
    ),
    "other.html": (
        "<!doctype html><html><head><title>conformance other</title></head>"
        "<body><p>other</p></body></html>"
    ),
}

_IFRAME = re.compile(r"<iframe\b[^>]*\bsrc=[\"']([^\"']+)[\"']", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


class ScenarioError(Exception):
    """A scenario directory or steps file that cannot be used (exit code 2)."""


@dataclass
class Scenario:
    root: Path
    extensions: list[Path]
    steps: list[dict[str, Any]]
    pages_dir: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.root.name

    def page_html(self, path: str) -> str | None:
        """The HTML the local server serves for ``path`` (``/page.html?x`` → page.html)."""
        rel = path.split("?", 1)[0].split("#", 1)[0].lstrip("/") or "page.html"
        if self.pages_dir is not None:
            f = self.pages_dir / rel
            if f.is_file():
                return f.read_text(encoding="utf-8")
        return DEFAULT_PAGES.get(rel)

    def iframes(self, path: str) -> list[str]:
        html = self.page_html(path) or ""
        return _IFRAME.findall(html)

    def title(self, path: str) -> str | None:
        mt = _TITLE.search(self.page_html(path) or "")
        return mt.group(1).strip() if mt else None


def load_scenario(directory: str | Path, steps_file: str | Path | None = None) -> Scenario:
    root = Path(directory).resolve()
    if not root.is_dir():
        raise ScenarioError(f"{root} is not a directory")
    if (root / "manifest.json").is_file():
        exts = [root]
    else:
        exts = sorted(p for p in root.iterdir() if (p / "manifest.json").is_file())
        if not exts:
            raise ScenarioError(f"{root} has no manifest.json (nor sub-directories with one)")
    sf = Path(steps_file) if steps_file else root / "steps.json"
    if sf.is_file():
        try:
            steps = json.loads(sf.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ScenarioError(f"{sf}: not JSON: {exc}") from exc
    elif steps_file:
        raise ScenarioError(f"steps file {sf} not found")
    else:
        steps = [{"open": "/page.html"}]
    options: dict[str, Any] = {}
    if isinstance(steps, dict):
        options = {k: v for k, v in steps.items() if k != "steps"}
        steps = steps.get("steps", [])
    if not isinstance(steps, list):
        raise ScenarioError(f"{sf}: expected a JSON list of steps")
    for i, st in enumerate(steps):
        if not isinstance(st, dict) or not any(k in st for k in STEP_KINDS):
            raise ScenarioError(f"{sf}: step {i} {st!r} is not one of: " + ", ".join(STEP_KINDS))
    pages = root / "pages"
    return Scenario(root, exts, steps, pages if pages.is_dir() else None, options)


def step_kind(step: dict[str, Any]) -> str:
    return next(k for k in STEP_KINDS if k in step)


def to_mv2(manifest: dict[str, Any], gecko_id: str | None = None) -> dict[str, Any]:
    """The MV2 form of an MV3 scenario manifest (for Firefox): ``action`` →
    ``browser_action``, a service worker → background scripts, ``host_permissions`` merged
    into ``permissions``, a gecko id; a ``firefox`` key in the manifest is merged last."""
    mf = {k: v for k, v in manifest.items() if k not in ("key", "firefox")}
    if mf.get("manifest_version") != 3:
        mf.update(manifest.get("firefox") or {})
        return mf
    mf["manifest_version"] = 2
    bg = mf.get("background")
    if isinstance(bg, dict) and "service_worker" in bg:
        mf["background"] = {"scripts": [bg["service_worker"]]}
    if "action" in mf:
        mf["browser_action"] = mf.pop("action")
    hosts = mf.pop("host_permissions", None)
    if hosts:
        mf["permissions"] = list(mf.get("permissions", [])) + list(hosts)
    war = mf.get("web_accessible_resources")
    if isinstance(war, list) and war and isinstance(war[0], dict):
        mf["web_accessible_resources"] = [r for w in war for r in w.get("resources", [])]
    if gecko_id:
        mf["browser_specific_settings"] = {"gecko": {"id": gecko_id}}
    mf.update(manifest.get("firefox") or {})
    return mf


def gecko_id_for(ext_dir: Path) -> str:
    return f"{ext_dir.name}@conformance.webext-runtime.test"


def stage(scenario: Scenario, dest: Path, *, report_url: str | None, firefox: bool) -> list[Path]:
    """Copy the scenario's extensions under ``dest`` with the trace helper in place."""
    helper = TRACE_JS.read_text(encoding="utf-8").replace(
        "__TRACE_REPORT_URL_PLACEHOLDER__", json.dumps(report_url)
    )
    out: list[Path] = []
    for ext in scenario.extensions:
        target = dest / ext.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ext, target, ignore=shutil.ignore_patterns("golden.*.json", "steps.json"))
        mf_path = target / "manifest.json"
        try:
            manifest = json.loads(mf_path.read_text(encoding="utf-8-sig"))
        except ValueError as exc:
            raise ScenarioError(f"{ext / 'manifest.json'}: not JSON: {exc}") from exc
        (target / "trace.js").write_text(helper, encoding="utf-8")
        bg = manifest.get("background")
        if isinstance(bg, dict) and isinstance(bg.get("service_worker"), str):
            sw = target / bg["service_worker"].lstrip("/")
            if sw.is_file() and sw.name != "trace.js":
                sw.write_text(helper + "\n" + sw.read_text(encoding="utf-8"), encoding="utf-8")
        if firefox:
            manifest = to_mv2(manifest, gecko_id_for(ext))
            # the harness opens extension pages by navigating a tab there (BiDi refuses to)
            pages = sorted(str(p.relative_to(target)) for p in target.rglob("*.html"))
            if pages:
                war = list(manifest.get("web_accessible_resources") or [])
                manifest["web_accessible_resources"] = war + [p for p in pages if p not in war]
        else:
            manifest.pop("firefox", None)
        mf_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        out.append(target)
    return out
