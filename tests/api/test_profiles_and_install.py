"""Browser profiles, install (dict and directory), extension ids, tabs, frames, pages,
content-script matching, close and navigate — all played from Python."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from webext_runtime import (
    Browser,
    Context,
    ExtensionAPIError,
    Port,
    UsageError,
    WebExtRuntimeError,
)

from ._helpers import A_ID, A_KEY, NO_RECEIVER, PROFILES, manifest

# -- profiles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("chrome", "chrome"),
        ("edge", "chrome"),
        ("opera", "chrome"),
        ("firefox", "firefox"),
        ("firefox-android", "firefox"),
    ],
)
async def test_profile_names_and_aliases(name: str, family: str) -> None:
    browser = Browser(profile=name)
    try:
        assert browser.profile.family == family
        assert browser.profile.is_chrome == (family == "chrome")
        assert browser.profile.is_firefox == (family == "firefox")
    finally:
        await browser.close()


async def test_default_profile_is_chrome() -> None:
    async with Browser() as browser:
        assert browser.profile.family == "chrome"


@pytest.mark.parametrize("alias", ["edge", "opera", "firefox-android"])
async def test_alias_behaves_like_its_family(alias: str) -> None:
    """An alias is not just a name: no-receiver errors follow the family's rules."""
    async with Browser(profile=alias) as browser:
        ext = await browser.install(manifest=manifest(alias))
        bg = ext.background
        assert bg is not None
        port = bg.runtime.connect()
        seen: list[object] = []
        port.on_disconnect.add_listener(lambda p: seen.append(bg.runtime.last_error))
        await browser.settle()
        assert len(seen) == 1
        if alias == "firefox-android":
            assert seen == [None]
            assert port.error is not None and str(port.error) == NO_RECEIVER
            assert ext.id.endswith("@temporary-addon") or "@" in ext.id or "{" in ext.id
        else:
            assert seen[0] is not None and seen[0].message == NO_RECEIVER  # type: ignore[attr-defined]
            assert port.error is None
            assert re.fullmatch(r"[a-p]{32}", ext.id)


def test_unknown_profile_lists_valid_names() -> None:
    with pytest.raises(UsageError) as info:
        Browser(profile="safari")
    text = str(info.value)
    assert "safari" in text
    for valid in ("chrome", "firefox", "edge", "opera", "firefox-android"):
        assert repr(valid) in text or valid in text
    assert isinstance(info.value, WebExtRuntimeError)


# -- ids ---------------------------------------------------------------------------------


async def test_chrome_id_from_key() -> None:
    async with Browser(profile="chrome") as browser:
        ext = await browser.install(manifest=manifest("chrome", "A", key=A_KEY))
        assert ext.id == A_ID
        bg = ext.background
        assert bg is not None
        assert bg.runtime.id == A_ID
        assert bg.url == f"chrome-extension://{A_ID}/bg.js"


async def test_chrome_ignores_gecko_id() -> None:
    gecko = {"gecko": {"id": "a@example.org"}}
    async with Browser(profile="chrome") as browser:
        ext = await browser.install(
            manifest=manifest("chrome", "A", key=A_KEY, browser_specific_settings=gecko)
        )
        assert ext.id == A_ID


async def test_firefox_id_from_gecko_id() -> None:
    gecko = {"gecko": {"id": "a@example.org"}}
    async with Browser(profile="firefox") as browser:
        ext = await browser.install(
            manifest=manifest("firefox", "A", key=A_KEY, browser_specific_settings=gecko)
        )
        assert ext.id == "a@example.org"
        bg = ext.background
        assert bg is not None
        assert bg.runtime.id == "a@example.org"
        assert bg.url.startswith("moz-extension://")
        # the moz-extension host is a per-install UUID, not the id
        assert "a@example.org" not in bg.url


async def test_firefox_without_gecko_id_does_not_use_key() -> None:
    async with Browser(profile="firefox") as browser:
        ext = await browser.install(manifest=manifest("firefox", "A", key=A_KEY))
        assert ext.id != A_ID
        assert ext.id


async def _ids_of_program(profile: str) -> list[str]:
    async with Browser(profile=profile) as browser:
        a = await browser.install(manifest=manifest(profile, "one"))
        b = await browser.install(manifest=manifest(profile, "two"))
        c = await browser.install(manifest=manifest(profile, "one"))
        return [a.id, b.id, c.id]


@pytest.mark.parametrize("profile", PROFILES)
async def test_ids_without_key_are_deterministic(profile: str) -> None:
    first = await _ids_of_program(profile)
    second = await _ids_of_program(profile)
    assert first == second
    assert len(set(first)) == 3  # same name installed twice still gets its own id
    if profile == "chrome":
        assert all(re.fullmatch(r"[a-p]{32}", i) for i in first)


# -- install(path) -----------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_install_from_directory(profile: str, tmp_path: Path) -> None:
    mf = {
        "manifest_version": 3 if profile == "chrome" else 2,
        "name": "from-dir",
        "version": "1.0",
        "key": A_KEY,
        "browser_specific_settings": {"gecko": {"id": "dir@example.org"}},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    async with Browser(profile=profile) as browser:
        ext = await browser.install(tmp_path)
        assert ext.id == (A_ID if profile == "chrome" else "dir@example.org")
        assert ext.name == "from-dir"
        assert ext.background is None  # no background declared
        assert browser.extensions == [ext]


async def test_chrome_unpacked_id_from_path(tmp_path: Path) -> None:
    """Chrome ``crx_file::id_util::GenerateIdForPath``: the key-less id of an unpacked
    extension is the a-p mapping of SHA-256 over its absolute path."""
    import hashlib

    mf = {"manifest_version": 3, "name": "p", "version": "1"}
    (tmp_path / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    digest = hashlib.sha256(str(tmp_path.resolve()).encode()).hexdigest()[:32]
    expected = digest.translate(str.maketrans("0123456789abcdef", "abcdefghijklmnop"))
    async with Browser(profile="chrome") as browser:
        ext = await browser.install(tmp_path)
        assert ext.id == expected


async def test_firefox_temporary_id_shape(tmp_path: Path) -> None:
    mf = {"manifest_version": 2, "name": "p", "version": "1"}
    (tmp_path / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    async with Browser(profile="firefox") as browser:
        ext = await browser.install(tmp_path)
        assert re.fullmatch(r"[0-9a-f]{40}@temporary-addon", ext.id)
    async with Browser(profile="firefox") as browser:
        assert (await browser.install(tmp_path)).id == ext.id


@pytest.mark.parametrize("profile", PROFILES)
async def test_install_into_open_tab(profile: str) -> None:
    """Firefox injects new content scripts into already-open matching tabs; Chrome waits
    for the next navigation [SEMANTICS §6, F153 lifecycle]."""
    async with Browser(profile=profile) as browser:
        tab = await browser.open_tab("https://example.com/")
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        if profile == "firefox":
            assert tab.content_script(ext).alive
        else:
            with pytest.raises(UsageError):
                tab.content_script(ext)
            await tab.navigate("https://example.com/again")
            assert tab.content_script(ext).alive


async def test_open_tab_needs_absolute_url() -> None:
    async with Browser() as browser:
        with pytest.raises(UsageError):
            await browser.open_tab("example.com")


async def test_install_from_directory_as_str(tmp_path: Path) -> None:
    mf = {"manifest_version": 3, "name": "s", "version": "1", "key": A_KEY}
    (tmp_path / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    async with Browser() as browser:
        ext = await browser.install(str(tmp_path))
        assert ext.id == A_ID


# -- background, tabs, frames, pages ----------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_background_context(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile))
        bg = ext.background
        assert isinstance(bg, Context)
        assert bg.kind == "background"
        assert bg.alive
        assert bg.ext_id == ext.id
        assert bg.tab_id is None
        assert bg.subkind == ("service_worker" if profile == "chrome" else "page")
        assert ext.background is bg  # the same Context object each time
        none = await browser.install(manifest=manifest(profile, "nobg", background=False))
        assert none.background is None


@pytest.mark.parametrize("profile", PROFILES)
async def test_open_tab_page_and_content_script(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        tab = await browser.open_tab("https://example.com/a")
        assert isinstance(tab.id, int)
        assert tab.url == "https://example.com/a"
        page = tab.page
        assert page.kind == "web_page"
        assert page.url == "https://example.com/a"
        assert page.tab_id == tab.id
        assert page.frame_id == 0
        cs = tab.content_script(ext)
        assert cs.kind == "content_script"
        assert cs.ext_id == ext.id
        assert cs.url == "https://example.com/a"
        assert cs.tab_id == tab.id
        assert cs.frame_id == 0
        assert cs.runtime.id == ext.id
        assert tab.content_script(ext.id) is cs
        assert tab.content_script(ext, frame_id=0) is cs
        assert cs.tab is tab


@pytest.mark.parametrize("profile", PROFILES)
async def test_content_script_not_matching_is_a_clear_error(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        tab = await browser.open_tab("https://other.example/")
        with pytest.raises(UsageError, match=re.escape("https://other.example/")):
            tab.content_script(ext)


@pytest.mark.parametrize("profile", PROFILES)
async def test_exclude_matches(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(
            manifest=manifest(
                profile,
                matches=["https://example.com/*"],
                exclude_matches=["https://example.com/private/*"],
            )
        )
        ok = await browser.open_tab("https://example.com/public/x")
        assert ok.content_script(ext).kind == "content_script"
        excluded = await browser.open_tab("https://example.com/private/x")
        with pytest.raises(UsageError, match="private"):
            excluded.content_script(ext)


@pytest.mark.parametrize("profile", PROFILES)
async def test_add_frame_content_script_needs_all_frames(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        top_only = await browser.install(
            manifest=manifest(profile, "top", matches=["https://example.com/*"])
        )
        every = await browser.install(
            manifest=manifest(profile, "all", matches=["https://example.com/*"], all_frames=True)
        )
        tab = await browser.open_tab("https://example.com/")
        fid = await tab.add_frame("https://example.com/inner")
        assert isinstance(fid, int) and fid != 0
        assert sorted(tab.frame_ids) == sorted([0, fid])
        if profile == "firefox":
            assert fid > 2**32  # [F153 g.] iframe frame ids are large numbers
        inner = tab.content_script(every, frame_id=fid)
        assert inner.frame_id == fid
        assert inner.url == "https://example.com/inner"
        assert tab.content_script(top_only).frame_id == 0
        with pytest.raises(UsageError, match="all_frames"):
            tab.content_script(top_only, frame_id=fid)
        assert tab.frame_page(fid).url == "https://example.com/inner"


@pytest.mark.parametrize("profile", PROFILES)
async def test_open_page(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile))
        page = await ext.open_page("popup.html")
        assert page.kind == "extension_page"
        assert page.url == ext.get_url("popup.html")
        assert page.runtime.id == ext.id
        assert page.tab_id is not None
        tab = browser.tab(page.tab_id)
        assert tab.page is page
        assert ext.pages == [page]


@pytest.mark.parametrize("profile", PROFILES)
async def test_close_tab(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        page = tab.page
        await tab.close()
        assert not tab.is_open
        assert not cs.alive
        assert not page.alive
        assert tab not in browser.tabs
        with pytest.raises(UsageError):
            tab.content_script(ext)
        with pytest.raises(UsageError):
            cs.runtime.connect()


@pytest.mark.parametrize("profile", PROFILES)
async def test_navigate_replaces_contexts_and_disconnects_ports(profile: str) -> None:
    # without the back/forward cache (tests/api/test_lifecycle.py covers it)
    async with Browser(profile=profile, bfcache=False) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None
        received: list[Port] = []
        bg.runtime.on_connect.add_listener(received.append)
        tab = await browser.open_tab("https://example.com/one")
        old_cs = tab.content_script(ext)
        old_page = tab.page
        cs_port = old_cs.runtime.connect(name="n")
        cs_closed: list[Port] = []
        cs_port.on_disconnect.add_listener(cs_closed.append)
        await browser.settle()
        (bg_port,) = received
        disconnects: list[tuple[object, object]] = []
        bg_port.on_disconnect.add_listener(
            lambda p: disconnects.append((bg.runtime.last_error, p.error))
        )

        await tab.navigate("https://example.com/two")
        assert not old_cs.alive
        assert not old_page.alive
        assert disconnects == [(None, None)]  # no lastError, no port.error
        assert cs_closed == []  # the gone document runs nothing
        assert cs_port.disconnected
        assert browser.console == []
        new_cs = tab.content_script(ext)
        assert new_cs is not old_cs
        assert new_cs.alive
        assert new_cs.url == "https://example.com/two"
        assert new_cs.document_id != old_cs.document_id
        assert tab.url == "https://example.com/two"
        assert tab.page.url == "https://example.com/two"
        with pytest.raises(UsageError):
            old_cs.runtime.connect()
        with pytest.raises(ExtensionAPIError):
            bg_port.post_message("late")

        await tab.navigate("https://nomatch.example/")
        with pytest.raises(UsageError):
            tab.content_script(ext)
        await tab.navigate("https://example.com/three")
        assert tab.content_script(ext).url == "https://example.com/three"
