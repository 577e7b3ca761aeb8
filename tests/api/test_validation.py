"""Argument validation with each profile's exact text (SEMANTICS.md §9)."""

from __future__ import annotations

from typing import Any

import pytest

from webext_runtime import Browser, Context, ExtensionTypeError, Port, WebExtRuntimeError

from ._helpers import manifest

CONNECT = (
    "Error in invocation of runtime.connect(optional string extensionId, "
    "optional object connectInfo): "
)
TABS = "Error in invocation of tabs.connect(integer tabId, optional object connectInfo): "

#: (call, chrome text, firefox text); None = accepted by that profile
RUNTIME_CASES: list[tuple[str, Any, str | None, str | None]] = [
    (
        "connect(123)",
        lambda rt: rt.connect(123),
        CONNECT + "No matching signature.",
        "Incorrect argument types for runtime.connect.",
    ),
    (
        "connect(name=5)",
        lambda rt: rt.connect(name=5),
        CONNECT + "Error at parameter 'connectInfo': Error at property 'name': "
        "Invalid type: expected string, found integer.",
        "Type error for parameter connectInfo (Error processing name: Expected string instead "
        "of 5) for runtime.connect.",
    ),
    (
        "connect({'name': 5})",
        lambda rt: rt.connect({"name": 5}),
        CONNECT + "Error at parameter 'connectInfo': Error at property 'name': "
        "Invalid type: expected string, found integer.",
        "Type error for parameter connectInfo (Error processing name: Expected string instead "
        "of 5) for runtime.connect.",
    ),
    (
        "connect(foo=1)",
        lambda rt: rt.connect(foo=1),
        CONNECT + "Error at parameter 'connectInfo': Unexpected property: 'foo'.",
        'Type error for parameter connectInfo (Unexpected property "foo") for runtime.connect.',
    ),
    (
        "connect({'foo': 1})",
        lambda rt: rt.connect({"foo": 1}),
        CONNECT + "Error at parameter 'connectInfo': Unexpected property: 'foo'.",
        'Type error for parameter connectInfo (Unexpected property "foo") for runtime.connect.',
    ),
    (
        "connect({'name': 'a'}, 1)",
        lambda rt: rt.connect({"name": "a"}, 1),
        CONNECT + "No matching signature.",
        "Incorrect argument types for runtime.connect.",
    ),
    (
        "connect({}, {})",
        lambda rt: rt.connect({}, {}),
        CONNECT + "No matching signature.",
        "Incorrect argument types for runtime.connect.",
    ),
    (
        "connect('not-an-id')",
        lambda rt: rt.connect("not-an-id"),
        CONNECT + "Invalid extension id: 'not-an-id'",
        None,  # Firefox: not an error, just no receiver [SEMANTICS §1]
    ),
    (
        "connect('not-an-id', name='x')",
        lambda rt: rt.connect("not-an-id", name="x"),
        CONNECT + "Invalid extension id: 'not-an-id'",
        None,
    ),
]

TABS_CASES: list[tuple[str, Any, str, str]] = [
    (
        "tabs.connect('x')",
        lambda tabs: tabs.connect("x"),
        TABS + "No matching signature.",
        "Incorrect argument types for tabs.connect.",
    ),
    (
        "tabs.connect()",
        lambda tabs: tabs.connect(),
        TABS + "No matching signature.",
        "Incorrect argument types for tabs.connect.",
    ),
    (
        "tabs.connect(1.5)",
        lambda tabs: tabs.connect(1.5),
        TABS + "No matching signature.",
        "Incorrect argument types for tabs.connect.",
    ),
    (
        "tabs.connect(1, name=5)",
        lambda tabs: tabs.connect(1, name=5),
        TABS + "Error at parameter 'connectInfo': Error at property 'name': "
        "Invalid type: expected string, found integer.",
        "Type error for parameter connectInfo (Error processing name: Expected string instead "
        "of 5) for tabs.connect.",
    ),
    (
        "tabs.connect(1, foo=1)",
        lambda tabs: tabs.connect(1, foo=1),
        TABS + "Error at parameter 'connectInfo': Unexpected property: 'foo'.",
        'Type error for parameter connectInfo (Unexpected property "foo") for tabs.connect.',
    ),
]


async def _bg(browser: Browser, profile: str) -> Context:
    ext = await browser.install(manifest=manifest(profile))
    assert ext.background is not None
    return ext.background


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
@pytest.mark.parametrize(("label", "call", "chrome", "firefox"), RUNTIME_CASES)
async def test_runtime_connect_validation(
    profile: str, label: str, call: Any, chrome: str | None, firefox: str | None
) -> None:
    expected = chrome if profile == "chrome" else firefox
    async with Browser(profile=profile) as browser:
        bg = await _bg(browser, profile)
        if expected is None:
            port = call(bg.runtime)
            assert isinstance(port, Port)
            await browser.settle()
            assert port.disconnected  # no such extension: no receiver
            return
        with pytest.raises(ExtensionTypeError) as info:
            call(bg.runtime)
        assert str(info.value) == expected
        assert info.value.message == expected
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, WebExtRuntimeError)
        # Chrome throws a TypeError, Firefox a plain Error [SEMANTICS §9]
        assert info.value.js_name == ("TypeError" if profile == "chrome" else "Error")
        await browser.settle()
        assert [r for r in browser.trace if r["kind"] == "connect"] == []


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
@pytest.mark.parametrize(("label", "call", "chrome", "firefox"), TABS_CASES)
async def test_tabs_connect_validation(
    profile: str, label: str, call: Any, chrome: str, firefox: str
) -> None:
    expected = chrome if profile == "chrome" else firefox
    async with Browser(profile=profile) as browser:
        bg = await _bg(browser, profile)
        with pytest.raises(ExtensionTypeError) as info:
            call(bg.tabs)
        assert str(info.value) == expected
        assert isinstance(info.value, TypeError)


async def test_tabs_connect_frame_id_type_chrome() -> None:
    async with Browser(profile="chrome") as browser:
        bg = await _bg(browser, "chrome")
        with pytest.raises(ExtensionTypeError) as info:
            bg.tabs.connect(1, frame_id="a")
        assert str(info.value) == (
            TABS + "Error at parameter 'connectInfo': Error at property 'frameId': "
            "Invalid type: expected integer, found string."
        )


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda bg: bg.tabs.connect(1, frame_id="a"),
            "Type error for parameter connectInfo (Error processing frameId: "
            'Expected integer instead of "a") for tabs.connect.',
        ),
        (
            lambda bg: bg.runtime.connect(include_tls_channel_id="yes"),
            "Type error for parameter connectInfo (Error processing includeTlsChannelId: "
            'Expected boolean instead of "yes") for runtime.connect.',
        ),
    ],
    ids=["frame_id", "include_tls_channel_id"],
)
async def test_string_value_type_error_firefox(call: Any, expected: str) -> None:
    # Firefox Schemas.sys.mjs Type.normalizeBase:
    #   context.error(() => `Expected ${type} instead of ${JSON.stringify(value)}`, ...)
    async with Browser(profile="firefox") as browser:
        bg = await _bg(browser, "firefox")
        with pytest.raises(ExtensionTypeError) as info:
            call(bg)
        assert str(info.value) == expected


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_boolean_name(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        bg = await _bg(browser, profile)
        with pytest.raises(ExtensionTypeError) as info:
            bg.runtime.connect(name=True)
        expected = (
            CONNECT + "Error at parameter 'connectInfo': Error at property 'name': "
            "Invalid type: expected string, found boolean."
            if profile == "chrome"
            else "Type error for parameter connectInfo (Error processing name: "
            "Expected string instead of true) for runtime.connect."
        )
        assert str(info.value) == expected


async def test_include_tls_channel_id_type_chrome() -> None:
    async with Browser(profile="chrome") as browser:
        bg = await _bg(browser, "chrome")
        with pytest.raises(ExtensionTypeError) as info:
            bg.runtime.connect(include_tls_channel_id="yes")
        assert str(info.value) == (
            CONNECT + "Error at parameter 'connectInfo': Error at property "
            "'includeTlsChannelId': Invalid type: expected boolean, found string."
        )


@pytest.mark.parametrize(("value", "shown"), [([1, 2], "[1,2]"), ({"a": 1}, '{"a":1}')])
async def test_connect_name_object_firefox(value: Any, shown: str) -> None:
    async with Browser(profile="firefox") as browser:
        bg = await _bg(browser, "firefox")
        with pytest.raises(ExtensionTypeError) as info:
            bg.runtime.connect(name=value)
        assert str(info.value) == (
            "Type error for parameter connectInfo (Error processing name: "
            f"Expected string instead of {shown}) for runtime.connect."
        )


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_accepted_forms(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile))
        bg = ext.background
        assert bg is not None
        page = await ext.open_page("p.html")
        names: list[str] = []
        page.runtime.on_connect.add_listener(lambda p: names.append(p.name))
        ports = [
            bg.runtime.connect(None, name="a"),  # connect(null, {name})
            bg.runtime.connect(name=None),  # {name: null} -> ""
            bg.runtime.connect(include_tls_channel_id=True),
            bg.runtime.connect({"name": "b"}),  # positional connectInfo like JS
            bg.runtime.connect(None, {"name": "c", "includeTlsChannelId": False}),
            bg.runtime.connect(ext.id, name="own"),  # own id counts as internal
            bg.runtime.connect({"name": None}),
        ]
        assert [p.name for p in ports] == ["a", "", "", "b", "c", "own", ""]
        await browser.settle()
        assert names == ["a", "", "", "b", "c", "own", ""]
        assert not any(p.disconnected for p in ports)


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_tabs_connect_accepted_forms(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(manifest=manifest(profile, matches=["https://example.com/*"]))
        bg = ext.background
        assert bg is not None
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        names: list[str] = []
        cs.runtime.on_connect.add_listener(lambda p: names.append(p.name))
        bg.tabs.connect(tab.id, {"name": "js-style", "frameId": 0})
        bg.tabs.connect(tab.id, name=None, frame_id=None)
        bg.tabs.connect(float(tab.id), name="float-int")  # 1.0 is an integer in JS
        await browser.settle()
        assert names == ["js-style", "", "float-int"]
