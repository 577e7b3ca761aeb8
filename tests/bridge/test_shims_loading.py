"""Loading extension code: ES module workers and `import`, extension pages, background
scripts in order, manifest errors through `install(DIR)`; Python and JS listeners on the
same context; `ext.click_action()` into JS `action` / `browserAction.onClicked`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from webext_runtime import Browser, ManifestError

FIXTURES = Path(__file__).parent / "fixtures"
BASIC = FIXTURES / "shims_basic"
MODULE = FIXTURES / "shims_module"
MODULE_MISSING = FIXTURES / "shims_module_missing"
MV2_ACTION = FIXTURES / "shims_mv2_action"
PAGE = "https://example.com/"
BOTH = pytest.mark.parametrize("profile", ["chrome", "firefox"])


# -- ES modules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_module_worker_imports_extension_files(profile: str) -> None:
    async with Browser(profile) as browser:
        ext = await browser.install(MODULE)
        bg = ext.background
        assert bg is not None
        assert await bg.evaluate("self.results") == ["hello sw", "hello util v1", 5]
        assert await bg.evaluate("self.lazy") == "lazy loaded"  # dynamic import()
        # the module's listener works like any other
        await bg.evaluate("1")
        assert browser.script_errors == []


async def test_module_worker_talks_to_python() -> None:
    async with Browser("chrome") as browser:
        ext = await browser.install(MODULE)
        tab = await browser.open_tab(PAGE)  # no content scripts: connect from Python
        ext_page = await ext.open_page("page.html")  # played from Python here
        replies: list[Any] = []
        port = ext_page.runtime.connect(name="sum")
        port.on_message.add_listener(lambda message, p: replies.append(message))
        port.post_message({"a": 2, "b": 40})
        await browser.settle()
        assert replies == [{"sum": 42}]
        assert tab.is_open


async def test_import_of_a_missing_file_is_recorded() -> None:
    browser = Browser("chrome")
    ext = await browser.install(MODULE_MISSING)
    await browser.settle()
    errors = list(browser.script_errors)
    assert len(errors) == 1
    assert errors[0].context == "background"
    assert "lib/missing.js" in errors[0].message
    assert ext.background is not None
    assert await ext.background.evaluate("typeof self.reached") == "undefined"
    await browser.close(raise_errors=False)


# -- extension pages and background scripts -------------------------------------------------------


@BOTH
async def test_open_page_loads_script_tags_in_order(profile: str) -> None:
    async with Browser(profile) as browser:
        ext = await browser.install(BASIC)
        page = await ext.open_page("page.html")
        assert page.kind == "extension_page"
        assert page.url == ext.get_url("page.html")
        got = await page.evaluate("[self.loaded.slice(0, 4), location.href]")
        # page_a.js (head), sub/page_b.js, page_m.js (type=module importing sub/), /page_c.js
        assert got == [["a", "b:object", "m:42", "c"], ext.get_url("page.html")]
        assert browser.script_errors == []


@BOTH
async def test_background_scripts_run_in_manifest_order(profile: str) -> None:
    async with Browser(profile) as browser:
        ext = await browser.install(MV2_ACTION)
        assert await ext.background.evaluate("self.scriptsRan") == ["first", "second"]


# -- Python and JS together ------------------------------------------------------------------------


@BOTH
async def test_python_and_js_listeners_on_one_background(profile: str) -> None:
    async with Browser(profile) as browser:
        ext = await browser.install(MV2_ACTION)
        tab = await browser.open_tab(PAGE)
        cs = tab.content_script(ext)
        bg = ext.background
        assert bg is not None
        py_ports: list[Any] = []

        def on_connect(port: Any) -> None:
            py_ports.append(port)
            port.on_message.add_listener(lambda message, p: p.post_message({"py": message}))

        bg.runtime.on_connect.add_listener(on_connect)
        await cs.evaluate(
            "self.replies = []; self.p = chrome.runtime.connect({name: 'mixed'});"
            " p.onMessage.addListener(m => self.replies.push(m)); p.postMessage('hi'); 1"
        )
        await browser.settle()
        assert len(py_ports) == 1
        assert py_ports[0].name == "mixed"
        assert py_ports[0].sender.tab.id == tab.id
        replies = await cs.evaluate("self.replies")
        assert sorted(json.dumps(r) for r in replies) == sorted(
            [json.dumps({"js": "hi"}), json.dumps({"py": "hi"})]
        )


@BOTH
async def test_python_connects_from_a_js_content_script(profile: str) -> None:
    async with Browser(profile) as browser:
        ext = await browser.install(MV2_ACTION)
        tab = await browser.open_tab(PAGE)
        cs = tab.content_script(ext)
        got: list[Any] = []
        port = cs.runtime.connect(name="from-python")
        port.on_message.add_listener(lambda message, p: got.append(message))
        port.post_message([1, 2])
        await browser.settle()
        assert got == [{"js": [1, 2]}]


@BOTH
async def test_click_action_fires_js_browser_action_on_clicked(profile: str) -> None:
    async with Browser(profile) as browser:
        ext = await browser.install(MV2_ACTION)
        tab = await browser.open_tab(PAGE)
        py_tabs: list[Any] = []
        ext.background.browser_action.on_clicked.add_listener(lambda t: py_tabs.append(t))
        await ext.click_action()
        # Firefox leaves url out for an extension without tab permission (its content-script
        # matches do not count: tests/conformance/scenarios/ext_page_to_cs, Firefox 153)
        expected = {"id": tab.id, "url": PAGE, "args": 1}
        if profile == "firefox":
            del expected["url"]
        assert await ext.background.evaluate("self.clicks") == [expected]
        assert len(py_tabs) == 1
        # the listener's tabs.connect reached the content script
        assert await tab.content_script(ext).evaluate("self.got") == [
            ["from-action", {"clicked": tab.id}]
        ]


@BOTH
async def test_click_action_fires_js_action_on_clicked_mv3(profile: str) -> None:
    async with Browser(profile) as browser:
        ext = await browser.install(BASIC)
        await browser.open_tab(PAGE)
        tab2 = await browser.open_tab("https://example.com/second")
        await ext.click_action(tab2)
        # Firefox hides the url without tab permission (see the MV2 case above)
        url = "https://example.com/second" if profile == "chrome" else "undefined"
        assert await ext.background.evaluate("self.log") == [f"action:2:{url}"]


# -- manifest errors -----------------------------------------------------------------------------


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)
    return directory


@BOTH
async def test_invalid_json_manifest(profile: str, tmp_path: Path) -> None:
    _write(tmp_path, {"manifest.json": '{"manifest_version": 3, "name": "x",}'})
    async with Browser(profile) as browser:
        with pytest.raises(ManifestError) as err:
            await browser.install(tmp_path)
        assert err.value.file == str(tmp_path / "manifest.json")
        assert "JSON" in str(err.value)
        assert browser.extensions == []


@BOTH
async def test_missing_script_file_names_the_path(profile: str, tmp_path: Path) -> None:
    manifest = {
        "manifest_version": 2,
        "name": "missing",
        "version": "1",
        "background": {"scripts": ["bg.js"]},
        "content_scripts": [{"matches": ["<all_urls>"], "js": ["lib/absent.js"]}],
    }
    _write(tmp_path, {"manifest.json": json.dumps(manifest), "bg.js": ""})
    async with Browser(profile) as browser:
        with pytest.raises(ManifestError) as err:
            await browser.install(tmp_path)
        assert err.value.key == "lib/absent.js"
        assert str(tmp_path / "lib" / "absent.js") in str(err.value)
        assert browser.extensions == []


async def test_mv2_under_chrome_warns_exactly_once() -> None:
    async with Browser("chrome") as browser:
        ext = await browser.install(MV2_ACTION)
        await browser.open_tab(PAGE)
        await ext.click_action()
        warnings = [c for c in browser.console if "Manifest version 2" in c.text]
        assert [(w.context, w.level) for w in warnings] == [("browser", "warning")]
        assert "Cannot install extension because it uses an unsupported manifest version." in (
            warnings[0].text
        )
    async with Browser("firefox") as browser:
        await browser.install(MV2_ACTION)
        assert not [c for c in browser.console if "Manifest version" in c.text]


async def test_firefox_warns_once_about_externally_connectable() -> None:
    async with Browser("firefox") as browser:
        await browser.install(BASIC)
        assert len([c for c in browser.console if "externally_connectable" in c.text]) == 1
