"""The JS platform extension code relies on (platform.js): console capture with context
labels, timers on the virtual clock, microtask order, structuredClone, TextEncoder /
TextDecoder, URL, the minimal DOM, `tab.click()` and content scripts' `run_at` order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from webext_runtime import Browser

BASIC = Path(__file__).parent / "fixtures" / "shims_basic"
PAGE = "https://example.com/"
BOTH = pytest.mark.parametrize("profile", ["chrome", "firefox"])


async def _setup(profile: str) -> tuple[Browser, Any, Any, Any]:
    browser = Browser(profile)
    ext = await browser.install(BASIC)
    tab = await browser.open_tab(PAGE)
    return browser, ext, tab, tab.content_script(ext)


@BOTH
async def test_console_lines_carry_context_labels(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        page = await ext.open_page("page.html")  # tab 2; page_a.js logs on load
        await ext.background.evaluate("console.log('from', 'bg', 1, {a: [1, 2]}); 1")
        await cs.evaluate(
            "console.warn('from cs'); console.error('bad', new Error('x').message); 1"
        )
        await page.evaluate("console.info('from page'); 1")
        await tab.page.evaluate("console.log('main world'); 1")
        lines = [(c.context, c.level, c.text) for c in browser.console if c.context != "browser"]
        assert lines == [
            ("ext-page[/page.html, tab 2]", "log", "page a loaded"),
            ("background", "log", "from bg 1 {a: [1, 2]}"),
            ("content[tab 1, frame 0]", "warn", "from cs"),
            ("content[tab 1, frame 0]", "error", "bad x"),
            ("ext-page[/page.html, tab 2]", "info", "from page"),
            ("page[tab 1, frame 0]", "log", "main world"),
        ]
        assert page.label == "ext-page[/page.html, tab 2]"
        assert cs.label == "content[tab 1, frame 0]"
        assert ext.background.label == "background"


async def test_timers_run_on_the_virtual_clock() -> None:
    browser, ext, tab, cs = await _setup("chrome")
    async with browser:
        await cs.evaluate(
            """
            self.fired = [];
            setTimeout(() => fired.push('t30'), 30);
            setTimeout(() => fired.push('t10'), 10);
            setTimeout((a, b) => fired.push('t20:' + a + b), 20, 'x', 'y');
            setTimeout(() => fired.push('t10b'), 10);
            var gone = setTimeout(() => fired.push('cleared'), 15);
            clearTimeout(gone);
            1
            """
        )
        await browser.settle()
        assert await cs.evaluate("self.fired") == []  # settle() does not move the clock
        await browser.advance(0.015)
        assert await cs.evaluate("self.fired") == ["t10", "t10b"]
        await browser.advance(1)
        assert await cs.evaluate("self.fired") == ["t10", "t10b", "t20:xy", "t30"]
        assert browser.now == pytest.approx(1.015)


async def test_set_interval_and_clear_interval() -> None:
    browser, ext, tab, cs = await _setup("firefox")
    async with browser:
        await cs.evaluate(
            "self.n = 0; self.iv = setInterval(() => { n += 1; if (n === 5) clearInterval(iv); },"
            " 100); 1"
        )
        await browser.advance(0.35)
        assert await cs.evaluate("self.n") == 3
        await browser.advance(10)
        assert await cs.evaluate("self.n") == 5  # cleared from inside its own callback
        # Date.now / performance.now follow the virtual clock
        got = await cs.evaluate("self.t0 = Date.now(); self.p0 = performance.now(); 1")
        assert got == 1
        await browser.advance(2.5)
        assert await cs.evaluate("[Date.now() - t0, Math.round(performance.now() - p0)]") == [
            2500,
            2500,
        ]


@BOTH
async def test_microtasks_before_tasks(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        await ext.background.evaluate(
            """
            self.order = [];
            setTimeout(() => order.push('timeout0'), 0);
            Promise.resolve().then(() => order.push('then1')).then(() => order.push('then2'));
            queueMicrotask(() => order.push('microtask'));
            (async () => { order.push('async-start'); await null; order.push('async-after'); })();
            order.push('sync');
            1
            """
        )
        await browser.settle()
        assert await ext.background.evaluate("self.order") == [
            "async-start",
            "sync",
            "then1",
            "microtask",
            "async-after",
            "then2",
            "timeout0",
        ]


@BOTH
async def test_structured_clone_text_codecs_and_url(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        got = await cs.evaluate(
            """
            var src = {d: new Date(0), m: new Map([[1, 'a']]), s: new Set([2]), n: [1, {x: 2}]};
            src.self = src;
            var c = structuredClone(src);
            var err; try { structuredClone({f: function () {}}); } catch (e) { err = e.name; }
            var bytes = new TextEncoder().encode('h\u00e9\u20ac');
            var url = new URL('../b/c?x=1&y=%20#frag', 'https://example.com/a/z/index.html');
            url.searchParams.append('q', 'a b');
            [
              c !== src, c.self === c, c.d instanceof Date, c.d.getTime(), c.m.get(1),
              c.s.has(2), c.n[1].x, err,
              Array.from(bytes), new TextDecoder().decode(bytes),
              url.href, url.pathname, url.hostname, url.searchParams.get('y'), url.hash,
              JSON.stringify({a: 1}), self === globalThis, window === globalThis
            ]
            """
        )
        assert got == [
            True,
            True,
            True,
            0,
            "a",
            True,
            2,
            "DataCloneError",
            [104, 195, 169, 226, 130, 172],
            "hé€",
            # appending re-serializes the whole query form-encoded (URL Standard)
            "https://example.com/a/b/c?x=1&y=+&q=a+b#frag",
            "/a/b/c",
            "example.com",
            " ",
            "#frag",
            '{"a":1}',
            True,
            True,
        ]


async def test_service_worker_global_has_no_document() -> None:
    browser, ext, tab, cs = await _setup("chrome")
    async with browser:
        got = await ext.background.evaluate(
            "[typeof document, typeof window, typeof self, typeof setTimeout]"
        )
        assert got == ["undefined", "undefined", "object", "function"]


# -- DOM, clicks, run_at ---------------------------------------------------------------------


@BOTH
async def test_document_body_location(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        got = await cs.evaluate(
            "[location.href, location.hostname, document.URL, typeof document.body,"
            " document.body.tagName, document.readyState]"
        )
        assert got == [PAGE, "example.com", PAGE, "object", "BODY", "complete"]
        made = await cs.evaluate(
            "var d = document.createElement('div'); d.id = 'x'; d.textContent = 'hi';"
            " document.body.appendChild(d); document.querySelector('#x').textContent"
        )
        assert made == "hi"


@BOTH
async def test_click_reaches_page_world_and_content_script(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        await tab.page.evaluate(
            "self.pageClicks = []; document.addEventListener('click',"
            " e => pageClicks.push(e.type + ':' + e.target.tagName + ':' + e.isTrusted)); 1"
        )
        assert await tab.click("body") is True
        assert await cs.evaluate("self.clicks") == ["cs:BODY"]  # cs_idle.js's listener
        assert await tab.page.evaluate("self.pageClicks") == ["click:BODY:true"]
        # the worlds are isolated: the page does not see the content script's globals
        assert await tab.page.evaluate("typeof self.clicks") == "undefined"
        assert await tab.click("#does-not-exist") is False
        assert await cs.evaluate("self.clicks") == ["cs:BODY"]


@BOTH
async def test_click_on_extension_page_element(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        page = await ext.open_page("page.html")
        await page.evaluate(
            "self.hits = 0; document.getElementById('go').addEventListener('click',"
            " () => { hits += 1; }); 1"
        )
        page_tab = page.tab
        assert page_tab is not None
        assert await page_tab.click("#go") is True
        assert await page.evaluate("self.hits") == 1


@BOTH
async def test_run_at_order_with_several_files(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        # manifest lists idle, end (two files), start; they run start, end1, end2, idle
        order = await cs.evaluate("self.order")
        assert [o.split(":")[0] for o in order if o not in ("DOMContentLoaded", "load")] == [
            "start",
            "end1",
            "end2",
            "idle",
        ]
        assert order[0] == "start:loading"
        # document_start listeners see both events; load comes after document_idle
        idle = next(i for i, o in enumerate(order) if o.startswith("idle:"))
        assert order.index("DOMContentLoaded") < idle < order.index("load")
        assert order[-1] == "load"


@BOTH
async def test_document_end_sees_interactive(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        order = await cs.evaluate("self.order")
        assert "end1:interactive" in order and "end2:interactive" in order


@BOTH
async def test_extension_page_scripts_and_load_events(profile: str) -> None:
    browser, ext, tab, cs = await _setup(profile)
    async with browser:
        # an extension page: <script src> tags in order (a module among them), then
        # DOMContentLoaded and load
        page = await ext.open_page("page.html")
        got = await page.evaluate("[self.loaded, document.readyState, document.title]")
        assert got == [
            ["a", "b:object", "m:42", "c", "DOMContentLoaded", "load"],
            "complete",
            "Shims page",
        ]
