"""Shared helpers for router tests: manifests parsed by the real manifest module."""

from __future__ import annotations

from typing import Any

import pytest

from webext_runtime._core import model as m
from webext_runtime._core.manifest import parse_manifest
from webext_runtime._core.profiles import CHROME, FIREFOX, Profile
from webext_runtime._core.router import Router


def manifest(profile: Profile, **extra: Any) -> Any:
    raw: dict[str, Any] = {
        "manifest_version": 3 if profile.is_chrome else 2,
        "name": extra.pop("name", "ext"),
        "version": "1.0",
    }
    if profile.is_chrome:
        raw["background"] = {"service_worker": "bg.js"}
    else:
        raw["background"] = {"scripts": ["bg.js"]}
    raw["content_scripts"] = [{"matches": ["<all_urls>"], "js": ["cs.js"], "all_frames": True}]
    raw.update(extra)
    return parse_manifest(raw, "manifest.json", profile=profile.family)


class World:
    """A router plus the ids a test needs."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.router = Router(profile)

    def install(self, ext_id: str, **extra: Any) -> int:
        r = self.router
        effects = r.handle(
            m.InstallExtension(
                ext_id,
                extra.get("name", ext_id),
                manifest(self.profile, **extra),
                r.extension_base_url(ext_id),
            )
        )
        created = [e for e in effects if isinstance(e, m.ContextCreated)]
        return created[0].info.ctx_id

    def open_tab(self, url: str = "https://example.com/") -> tuple[int, dict[str, int]]:
        effects = self.router.handle(m.OpenTab(url))
        tab = next(e.tab_id for e in effects if isinstance(e, m.TabCreated))
        ctxs = {
            e.info.kind + ":" + str(e.info.ext_id): e.info.ctx_id
            for e in effects
            if isinstance(e, m.ContextCreated)
        }
        return tab, ctxs


@pytest.fixture(params=[CHROME, FIREFOX], ids=["chrome", "firefox"])
def world(request: pytest.FixtureRequest) -> World:
    return World(request.param)
