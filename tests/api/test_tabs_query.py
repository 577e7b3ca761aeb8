"""tabs.query from Python-played contexts (JS gets the same through ``chrome.tabs.query``;
the scenario ``tabs_query`` checks that against Chromium 156 and Firefox 153)."""

from __future__ import annotations

import pytest

from webext_runtime import Browser, ExtensionAPIError, ExtensionTypeError

from ._helpers import PROFILES, manifest


@pytest.mark.parametrize("profile", PROFILES)
async def test_query_filters_and_permission(profile: str) -> None:
    hosts = {"host_permissions": ["https://b.example/*"]} if profile == "chrome" else {}
    mf = manifest(profile, **hosts)
    if profile != "chrome":
        mf["permissions"] = ["https://b.example/*"]
    async with Browser(profile) as browser:
        ext = await browser.install(manifest=mf)
        bg = ext.background
        assert bg is not None
        a = await browser.open_tab("https://a.example/", title="A")
        b = await browser.open_tab("https://b.example/", title="B")
        tabs = await bg.tabs.query({})
        assert [t.id for t in tabs] == [a.id, b.id]
        # no permission for a.example: no url or title; b.example is a host permission
        assert [(t.url, t.title) for t in tabs] == [(None, None), ("https://b.example/", "B")]
        assert [t.id for t in await bg.tabs.query(active=True, current_window=True)] == [b.id]
        assert [t.id for t in await bg.tabs.query({"active": False})] == [a.id]
        # url and title filters only see the tabs the extension may see
        assert [t.id for t in await bg.tabs.query(url="https://*.example/*")] == [b.id]
        assert [t.id for t in await bg.tabs.query(title="?")] == [b.id]
        assert await bg.tabs.query(window_id=-2, index=0) != []
        assert await bg.tabs.query(current_window=False) == []
        with pytest.raises(ExtensionAPIError, match="Invalid url pattern"):
            await bg.tabs.query(url="not a pattern")
        with pytest.raises(ExtensionTypeError, match="bogus"):
            await bg.tabs.query({"bogus": 1})
        with pytest.raises(ExtensionTypeError, match="active"):
            await bg.tabs.query(active="yes")
        await b.close()
        assert [t.id for t in await bg.tabs.query(active=True)] == [a.id]
