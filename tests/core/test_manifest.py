"""manifest.json reading and validation under the chrome and firefox profiles."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webext_runtime._core.errors import ManifestError
from webext_runtime._core.manifest import (
    MV2_CHROME_WARNING,
    Background,
    ContentScript,
    ExternallyConnectable,
    extension_may_connect,
    page_may_connect,
    parse_manifest,
    parse_manifest_text,
)
from webext_runtime._core.match import MatchPattern

BOTH = ["chrome", "firefox"]
ID_B = "edlcdkhiimhhioopgmcpglnmaakoaldg"
ID_C = "nmgglfbpkbankalglglhphboidfbkcce"


def base(mv: int = 3, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"manifest_version": mv, "name": "Test", "version": "1.0"}
    data.update(extra)
    return data


def error_of(data: Any, profile: str = "chrome") -> ManifestError:
    with pytest.raises(ManifestError) as info:
        parse_manifest(data, "ext/manifest.json", profile=profile)
    assert info.value.file == "ext/manifest.json"
    assert "ext/manifest.json" in str(info.value)
    return info.value


# -- reading the text -----------------------------------------------------------------------


def test_plain_json() -> None:
    assert parse_manifest_text('{"name": "x", "n": [1, 2]}', "m.json") == {
        "name": "x",
        "n": [1, 2],
    }


@pytest.mark.parametrize("profile", BOTH)
def test_line_comments_outside_strings(profile: str) -> None:
    text = """{
      // a comment
      "name": "This \\" is // not a comment", // trailing comment
      "url": "https://example.com/not/a/comment"
    }"""
    assert parse_manifest_text(text, "m.json", profile=profile) == {
        "name": 'This " is // not a comment',
        "url": "https://example.com/not/a/comment",
    }


def test_block_comments_chrome_only() -> None:
    text = '{ /* one\n two */ "a": "/* kept */", "b": 1 /* c */ }'
    assert parse_manifest_text(text, "m.json") == {"a": "/* kept */", "b": 1}
    with pytest.raises(ManifestError, match="invalid JSON at line 1 column 3"):
        parse_manifest_text(text, "m.json", profile="firefox")


def test_unterminated_block_comment() -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest_text('{"a": 1}\n  /* open', "m.json")
    assert info.value.key == ""
    assert "line 2 column 3" in info.value.problem
    assert "unterminated comment" in info.value.problem


def test_chrome_extensions_to_json() -> None:
    assert parse_manifest_text('{"a": "\\x41\\x62"}', "m.json") == {"a": "Ab"}
    assert parse_manifest_text('{"a": "two\nlines"}', "m.json") == {"a": "two\nlines"}
    with pytest.raises(ManifestError):
        parse_manifest_text('{"a": "two\nlines"}', "m.json", profile="firefox")


@pytest.mark.parametrize("profile", BOTH)
@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{"a": 1,}', 1, 9),  # no trailing commas in either browser
        ('{\n  "a": 1,\n  "b": [1, 2,]\n}', 3, 14),
        ('{"a": }', 1, 7),
        ("{'a': 1}", 1, 2),
        ('{"a": 1', 1, 8),
        ("", 1, 1),
    ],
)
def test_invalid_json_location(profile: str, text: str, line: int, column: int) -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest_text(text, "dir/manifest.json", profile=profile)
    err = info.value
    assert err.file == "dir/manifest.json"
    assert err.key == ""
    assert err.problem.startswith(f"invalid JSON at line {line} column {column}: ")


def test_comment_keeps_positions() -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest_text('{ /* xx */ "a" 1 }', "m.json")
    assert "line 1 column 16" in info.value.problem


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": Infinity}'])
def test_non_json_constants(text: str) -> None:
    with pytest.raises(ManifestError, match="not valid JSON"):
        parse_manifest_text(text, "m.json")


@pytest.mark.parametrize("text", ["[]", '"x"', "3", "null"])
def test_top_level_not_object(text: str) -> None:
    with pytest.raises(ManifestError, match="must be a JSON object"):
        parse_manifest_text(text, "m.json")


def test_bom_is_skipped() -> None:
    assert parse_manifest_text('\ufeff{"a": 1}', "m.json") == {"a": 1}


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids),
            max_leaves=8,
        ),
        max_size=5,
    ),
    st.sampled_from(BOTH),
)
def test_round_trips_plain_json(data: dict[str, Any], profile: str) -> None:
    assert parse_manifest_text(json.dumps(data), "m.json", profile=profile) == data
    assert parse_manifest_text(json.dumps(data, indent=2), "m.json", profile=profile) == data


# -- required keys --------------------------------------------------------------------------


@pytest.mark.parametrize("profile", BOTH)
@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"name": "x", "version": "1"}, "manifest_version"),
        (base(mv=1), "manifest_version"),
        (base(mv=4), "manifest_version"),
        (base(mv="3"), "manifest_version"),
        (base(mv=3.0), "manifest_version"),
        (base(mv=True), "manifest_version"),
        ({"manifest_version": 3, "version": "1"}, "name"),
        (base(name=3), "name"),
        (base(name=None), "name"),
        ({"manifest_version": 3, "name": "x"}, "version"),
        (base(version=1), "version"),
    ],
)
def test_required_keys(profile: str, data: dict[str, Any], key: str) -> None:
    assert error_of(data, profile).key == key


@pytest.mark.parametrize("profile", BOTH)
@pytest.mark.parametrize("data", [[], "manifest", None, 3])
def test_not_an_object(profile: str, data: Any) -> None:
    err = error_of(data, profile)
    assert err.key == ""
    assert "JSON object" in err.problem


@pytest.mark.parametrize(
    "version", ["1", "1.0", "0.0.1", "1.2.3.4", "65535.0", "4294967295", "1.002.3"]
)
def test_chrome_valid_versions(version: str) -> None:
    assert parse_manifest(base(version=version)).version == version


@pytest.mark.parametrize(
    "version",
    ["", "1.", ".1", "1.2.3.4.5", "01", "00.1", "1.a", "-1.0", "+1", "1 .0", "v1", "4294967296"],
)
def test_chrome_invalid_versions(version: str) -> None:
    err = error_of(base(version=version))
    assert err.key == "version"
    assert "1-4 dot-separated integers" in err.problem


def test_chrome_version_leading_zero_warns() -> None:
    parsed = parse_manifest(base(version="1.002.3"))
    assert "The extension version is parsed as '1.2.3'." in parsed.warnings


@pytest.mark.parametrize("version", ["1.0a1", "01", "", "1.2.3.4.5"])
def test_firefox_accepts_odd_versions_with_warning(version: str) -> None:
    parsed = parse_manifest(base(version=version), profile="firefox")
    assert parsed.version == version
    assert any("version must be a version string" in w for w in parsed.warnings)


def test_firefox_plain_version_has_no_warning() -> None:
    assert parse_manifest(base(version="1.2.30"), profile="firefox").warnings == ()


# -- manifest version 2 and unknown keys ------------------------------------------------------


def test_mv2_chrome_warning_exact_text() -> None:
    parsed = parse_manifest(base(mv=2))
    assert parsed.manifest_version == 2
    assert parsed.warnings == (MV2_CHROME_WARNING,)
    assert MV2_CHROME_WARNING == (
        "Manifest version 2 is deprecated: current Chrome (150) refuses it with "
        '"Cannot install extension because it uses an unsupported manifest version."; '
        "webext-runtime still runs it under the chrome profile."
    )


def test_mv2_firefox_no_warning() -> None:
    assert parse_manifest(base(mv=2), profile="firefox").warnings == ()


def test_unknown_keys_warn() -> None:
    chrome = parse_manifest(base(frobnicate=1, browser_specific_settings={}))
    assert "Unrecognized manifest key 'frobnicate'." in chrome.warnings
    assert "Unrecognized manifest key 'browser_specific_settings'." in chrome.warnings
    firefox = parse_manifest(base(frobnicate=1, key="abc"), profile="firefox")
    assert any("frobnicate" in w and "unexpected property" in w for w in firefox.warnings)
    assert any("Warning processing key" in w for w in firefox.warnings)


def test_minimal_manifest() -> None:
    parsed = parse_manifest(base(), "m.json")
    assert (parsed.name, parsed.version, parsed.file) == ("Test", "1.0", "m.json")
    assert parsed.background is None
    assert parsed.content_scripts == ()
    assert parsed.action_key is None and parsed.popup is None
    assert parsed.permissions == frozenset() and parsed.host_permissions == ()
    assert parsed.externally_connectable is None
    assert parsed.warnings == ()
    assert parsed.script_files() == []
    assert parsed.raw == base()


def test_unknown_profile() -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        parse_manifest(base(), profile="opera")
    with pytest.raises(ValueError, match="unknown profile"):
        parse_manifest_text("{}", "m.json", profile="opera")


# -- background ------------------------------------------------------------------------------


def bg(mv: int, profile: str, **background: Any) -> tuple[Background | None, tuple[str, ...]]:
    parsed = parse_manifest(base(mv=mv, background=background), profile=profile)
    return parsed.background, parsed.warnings


def test_chrome_mv3_service_worker() -> None:
    b, warnings = bg(3, "chrome", service_worker="sw.js", type="module")
    assert b is not None
    assert (b.kind, b.service_worker, b.module, b.is_event_page) == (
        "service_worker",
        "sw.js",
        True,
        False,
    )
    assert not b.is_persistent
    assert warnings == ()


def test_chrome_mv3_ignores_scripts_with_warning() -> None:
    b, warnings = bg(3, "chrome", service_worker="sw.js", scripts=["bg.js"])
    assert b is not None and b.kind == "service_worker" and b.scripts == ()
    assert warnings == ("'background.scripts' requires manifest version of 2 or lower.",)


@pytest.mark.parametrize(
    ("background", "warning"),
    [
        ({"scripts": ["bg.js"]}, "'background.scripts' requires manifest version of 2 or lower."),
        ({"page": "bg.html"}, "'background.page' requires manifest version of 2 or lower."),
    ],
)
def test_chrome_mv3_page_or_scripts_only_means_no_background(
    background: dict[str, Any], warning: str
) -> None:
    b, warnings = bg(3, "chrome", **background)
    assert b is None
    assert warning in warnings


def test_chrome_mv3_persistent_warns() -> None:
    b, warnings = bg(3, "chrome", service_worker="sw.js", persistent=False)
    assert b is not None and b.persistent is None
    assert "'background.persistent' requires manifest version of 2 or lower." in warnings


@pytest.mark.parametrize(
    ("background", "persistent", "event_page"),
    [
        ({"scripts": ["a.js", "b.js"]}, None, False),
        ({"scripts": ["a.js"], "persistent": True}, True, False),
        ({"scripts": ["a.js"], "persistent": False}, False, True),
        ({"page": "bg.html", "persistent": False}, False, True),
    ],
)
@pytest.mark.parametrize("profile", BOTH)
def test_mv2_background_pages(
    profile: str, background: dict[str, Any], persistent: bool | None, event_page: bool
) -> None:
    b, _ = bg(2, profile, **background)
    assert b is not None
    assert b.persistent is persistent
    assert b.is_event_page is event_page
    assert b.is_persistent is (not event_page)
    assert b.kind == ("page" if "page" in background else "scripts")


def test_firefox_mv3_scripts_are_event_pages() -> None:
    b, warnings = bg(3, "firefox", scripts=["bg.js"], service_worker="sw.js")
    assert b is not None
    assert (b.kind, b.scripts, b.service_worker, b.is_event_page) == (
        "scripts",
        ("bg.js",),
        None,
        True,
    )
    assert warnings == ()


def test_firefox_mv3_persistent_warns() -> None:
    b, warnings = bg(3, "firefox", scripts=["bg.js"], persistent=True)
    assert b is not None and b.is_event_page
    assert 'Property "persistent" is unsupported in Manifest Version 3' in warnings


def test_firefox_page_wins_over_scripts() -> None:
    b, warnings = bg(2, "firefox", page="bg.html", scripts=["x.js"])
    assert b is not None and b.kind == "page" and b.scripts == ()
    assert any("Firefox uses" in w for w in warnings)


def test_chrome_mv2_service_worker_allowed() -> None:
    # _manifest_features.json puts no manifest-version limit on background.service_worker.
    b, _ = bg(2, "chrome", service_worker="sw.js")
    assert b is not None and b.kind == "service_worker"


def test_empty_background_warns() -> None:
    b, warnings = bg(3, "chrome", type="module")
    assert b is None
    assert any("no background context" in w for w in warnings)


@pytest.mark.parametrize(
    ("mv", "profile", "background", "key", "needle"),
    [
        (3, "chrome", "bg.js", "background", "an object"),
        (3, "chrome", {"service_worker": 3}, "background.service_worker", "a string"),
        (2, "chrome", {"scripts": "bg.js"}, "background.scripts", "an array"),
        (2, "chrome", {"scripts": ["a.js", 1]}, "background.scripts[1]", "a string"),
        (2, "chrome", {"page": ["bg.html"]}, "background.page", "a string"),
        (
            2,
            "chrome",
            {"scripts": ["a.js"], "persistent": "no"},
            "background.persistent",
            "boolean",
        ),
        (3, "chrome", {"service_worker": "sw.js", "type": "esm"}, "background.type", "module"),
        (3, "chrome", {"service_worker": "sw.js", "type": 1}, "background.type", "a string"),
        (2, "chrome", {"page": "bg.html", "scripts": ["a.js"]}, "background", "Only one of"),
        (
            2,
            "chrome",
            {"service_worker": "sw.js", "scripts": ["a.js"]},
            "background",
            "Only one of",
        ),
        (
            2,
            "chrome",
            {"service_worker": "sw.js", "persistent": True},
            "background.persistent",
            "background.page or background.scripts",
        ),
        (
            2,
            "firefox",
            {"persistent": False},
            "background.persistent",
            "background.page or background.scripts",
        ),
        (
            3,
            "firefox",
            {"service_worker": "sw.js"},
            "background.service_worker",
            "currently disabled. Add background.scripts.",
        ),
    ],
)
def test_background_errors(mv: int, profile: str, background: Any, key: str, needle: str) -> None:
    err = error_of(base(mv=mv, background=background), profile)
    assert err.key == key
    assert needle in err.problem


# -- content scripts --------------------------------------------------------------------------


def cs_manifest(profile: str = "chrome", **entry: Any) -> ContentScript:
    entry.setdefault("matches", ["https://*.example.com/*"])
    entry.setdefault("js", ["cs.js"])
    parsed = parse_manifest(base(content_scripts=[entry]), profile=profile)
    assert len(parsed.content_scripts) == 1
    return parsed.content_scripts[0]


@pytest.mark.parametrize("profile", BOTH)
def test_content_script_defaults(profile: str) -> None:
    cs = cs_manifest(profile)
    assert cs.matches == (MatchPattern.parse("https://*.example.com/*", profile=profile),)
    assert cs.js == ("cs.js",) and cs.css == ()
    assert cs.exclude_matches == () and cs.include_globs == () and cs.exclude_globs == ()
    assert (cs.all_frames, cs.run_at, cs.match_about_blank, cs.world) == (
        False,
        "document_idle",
        False,
        "ISOLATED",
    )


def test_content_script_fields() -> None:
    cs = cs_manifest(
        matches=["<all_urls>"],
        exclude_matches=["https://admin.example.com/*"],
        include_globs=["*news*"],
        exclude_globs=["*private*"],
        css=["a.css"],
        all_frames=True,
        run_at="document_start",
        match_about_blank=True,
        world="MAIN",
    )
    assert (cs.all_frames, cs.run_at, cs.match_about_blank, cs.world) == (
        True,
        "document_start",
        True,
        "MAIN",
    )
    assert cs.applies_to("https://www.example.com/news", top_frame=True)
    assert cs.applies_to("https://www.example.com/news", top_frame=False)
    assert not cs.applies_to("https://www.example.com/sports", top_frame=True)
    assert not cs.applies_to("https://admin.example.com/news", top_frame=True)
    assert not cs.applies_to("https://www.example.com/news/private", top_frame=True)


def test_applies_to_honours_all_frames() -> None:
    cs = cs_manifest()
    assert cs.applies_to("https://www.example.com/", top_frame=True)
    assert not cs.applies_to("https://www.example.com/", top_frame=False)
    assert not cs.applies_to("https://other.org/", top_frame=True)


def test_applies_to_about_blank() -> None:
    plain = cs_manifest(all_frames=True)
    blank = cs_manifest(all_frames=True, match_about_blank=True)
    parent = "https://www.example.com/"
    assert not plain.applies_to("about:blank", top_frame=False, parent_url=parent)
    assert blank.applies_to("about:blank", top_frame=False, parent_url=parent)
    assert not blank.applies_to("about:blank", top_frame=False, parent_url="https://x.org/")
    assert not blank.applies_to("about:blank", top_frame=False)


def test_chrome_content_script_schemes() -> None:
    cs = cs_manifest(matches=["<all_urls>"])
    assert cs.applies_to("file:///tmp/a.html", top_frame=True)
    assert not cs.applies_to("ws://example.com/", top_frame=True)


def test_firefox_content_script_may_have_no_files() -> None:
    parsed = parse_manifest(base(content_scripts=[{"matches": ["<all_urls>"]}]), profile="firefox")
    assert parsed.content_scripts[0].js == ()


@pytest.mark.parametrize(
    ("content_scripts", "key", "needle", "profile"),
    [
        ({"matches": ["<all_urls>"]}, "content_scripts", "an array", "chrome"),
        (["x"], "content_scripts[0]", "an object", "chrome"),
        ([{"js": ["a.js"]}], "content_scripts[0].matches", "required", "chrome"),
        ([{"matches": [], "js": ["a.js"]}], "content_scripts[0].matches", "at least one", "chrome"),
        (
            [{"matches": [], "js": ["a.js"]}],
            "content_scripts[0].matches",
            "at least one",
            "firefox",
        ),
        (
            [{"matches": "<all_urls>", "js": ["a.js"]}],
            "content_scripts[0].matches",
            "an array",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>", 3], "js": ["a.js"]}],
            "content_scripts[0].matches[1]",
            "a string",
            "chrome",
        ),
        (
            [{"matches": ["https://a.com/*", "nope"], "js": ["a.js"]}],
            "content_scripts[0].matches[1]",
            "Missing scheme separator",
            "chrome",
        ),
        (
            [{"matches": ["https://a.com"], "js": ["a.js"]}],
            "content_scripts[0].matches[0]",
            "Empty path",
            "chrome",
        ),
        (
            [{"matches": ["https://a.com"], "js": ["a.js"]}],
            "content_scripts[0].matches[0]",
            "Invalid match pattern",
            "firefox",
        ),
        (
            [{"matches": ["ws://a.com/*"], "js": ["a.js"]}],
            "content_scripts[0].matches[0]",
            "Invalid scheme",
            "chrome",
        ),
        (
            [{"matches": ["data:text/*"], "js": ["a.js"]}],
            "content_scripts[0].matches[0]",
            "Invalid match pattern",
            "firefox",
        ),
        (
            [{"matches": ["<all_urls>"], "exclude_matches": ["bad"], "js": ["a.js"]}],
            "content_scripts[0].exclude_matches[0]",
            "Invalid match pattern",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>"], "js": "a.js"}],
            "content_scripts[0].js",
            "an array",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>"], "js": [1]}],
            "content_scripts[0].js[0]",
            "a string",
            "firefox",
        ),
        (
            [{"matches": ["<all_urls>"], "css": [None]}],
            "content_scripts[0].css[0]",
            "a string",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>"]}],
            "content_scripts[0]",
            "At least one js or css file",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>"], "js": ["a.js"], "run_at": "document_ready"}],
            "content_scripts[0].run_at",
            "document_start",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>"], "js": ["a.js"], "run_at": 1}],
            "content_scripts[0].run_at",
            "a string",
            "firefox",
        ),
        (
            [{"matches": ["<all_urls>"], "js": ["a.js"], "all_frames": "yes"}],
            "content_scripts[0].all_frames",
            "boolean",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>"], "js": ["a.js"], "match_about_blank": 1}],
            "content_scripts[0].match_about_blank",
            "boolean",
            "firefox",
        ),
        (
            [{"matches": ["<all_urls>"], "js": ["a.js"], "world": "main"}],
            "content_scripts[0].world",
            "ISOLATED",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>"], "js": ["a.js"], "include_globs": "*"}],
            "content_scripts[0].include_globs",
            "an array",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>"], "js": ["a.js"], "exclude_globs": [1]}],
            "content_scripts[0].exclude_globs[0]",
            "a string",
            "chrome",
        ),
        (
            [{"matches": ["<all_urls>"], "js": ["a.js"]}, {"matches": ["x"], "js": ["b.js"]}],
            "content_scripts[1].matches[0]",
            "Invalid match pattern",
            "chrome",
        ),
    ],
)
def test_content_script_errors(content_scripts: Any, key: str, needle: str, profile: str) -> None:
    err = error_of(base(content_scripts=content_scripts), profile)
    assert err.key == key
    assert needle in err.problem


# -- action, options ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mv", "profile", "keys", "expected", "warning"),
    [
        (3, "chrome", ["action"], "action", None),
        (
            3,
            "chrome",
            ["browser_action"],
            None,
            "'browser_action' requires manifest version of 2 or lower.",
        ),
        (
            3,
            "chrome",
            ["page_action"],
            None,
            "'page_action' requires manifest version of 2 or lower.",
        ),
        (
            3,
            "chrome",
            ["action", "browser_action"],
            "action",
            "'browser_action' requires manifest version of 2 or lower.",
        ),
        (2, "chrome", ["browser_action"], "browser_action", None),
        (2, "chrome", ["page_action"], "page_action", None),
        (2, "chrome", ["action"], None, "'action' requires manifest version of at least 3."),
        (3, "firefox", ["action"], "action", None),
        (
            3,
            "firefox",
            ["browser_action"],
            None,
            'Property "browser_action" is unsupported in Manifest Version 3',
        ),
        (3, "firefox", ["page_action"], "page_action", None),
        (2, "firefox", ["action"], None, 'Property "action" is unsupported in Manifest Version 2'),
        (2, "firefox", ["browser_action", "page_action"], "browser_action", None),
    ],
)
def test_action_keys(
    mv: int, profile: str, keys: list[str], expected: str | None, warning: str | None
) -> None:
    data = base(mv=mv, **{k: {"default_popup": f"{k}.html"} for k in keys})
    parsed = parse_manifest(data, profile=profile)
    assert parsed.action_key == expected
    assert parsed.popup == (f"{expected}.html" if expected else None)
    if warning is not None:
        assert warning in parsed.warnings


def test_action_without_popup() -> None:
    parsed = parse_manifest(base(action={"default_title": "x"}))
    assert parsed.action_key == "action" and parsed.popup is None


@pytest.mark.parametrize(
    ("data", "key", "needle"),
    [
        (base(action="popup.html"), "action", "an object"),
        (base(action={"default_popup": 3}), "action.default_popup", "a string"),
        (base(mv=2, browser_action={}, page_action={}), "page_action", "Only one of"),
        (base(options_page=["o.html"]), "options_page", "a string"),
        (base(options_ui="o.html"), "options_ui", "an object"),
        (base(options_ui={}), "options_ui.page", "required"),
        (base(options_ui={"page": False}), "options_ui.page", "a string"),
    ],
)
def test_action_and_options_errors(data: dict[str, Any], key: str, needle: str) -> None:
    err = error_of(data)
    assert err.key == key
    assert needle in err.problem


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"options_page": "opts.html"}, "opts.html"),
        ({"options_ui": {"page": "ui.html"}}, "ui.html"),
        ({"options_page": "opts.html", "options_ui": {"page": "ui.html"}}, "ui.html"),
    ],
)
@pytest.mark.parametrize("profile", BOTH)
def test_options_page(profile: str, extra: dict[str, Any], expected: str) -> None:
    assert parse_manifest(base(**extra), profile=profile).options_page == expected


# -- permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", BOTH)
def test_mv3_permissions(profile: str) -> None:
    parsed = parse_manifest(
        base(permissions=["tabs", "storage"], host_permissions=["*://example.com/*", "<all_urls>"]),
        profile=profile,
    )
    assert parsed.permissions == frozenset({"tabs", "storage"})
    assert parsed.host_permissions == ("*://example.com/*", "<all_urls>")


@pytest.mark.parametrize("profile", BOTH)
def test_mv2_hosts_in_permissions(profile: str) -> None:
    parsed = parse_manifest(
        base(mv=2, permissions=["tabs", "https://*.example.com/*", "<all_urls>"]),
        profile=profile,
    )
    assert parsed.permissions == frozenset({"tabs"})
    assert parsed.host_permissions == ("https://*.example.com/*", "<all_urls>")


def test_mv3_pattern_in_permissions_warns() -> None:
    parsed = parse_manifest(base(permissions=["https://example.com/*"]))
    assert parsed.host_permissions == ()
    assert any("host_permissions" in w for w in parsed.warnings)


def test_mv2_host_permissions_key_warns() -> None:
    parsed = parse_manifest(base(mv=2, host_permissions=["https://a.com/*"]))
    assert parsed.host_permissions == ()
    assert "'host_permissions' requires manifest version of at least 3." in parsed.warnings


def test_malformed_host_permission_warns() -> None:
    parsed = parse_manifest(base(host_permissions=["https://a.com"]))
    assert parsed.host_permissions == ()
    assert any(
        "Permission 'https://a.com' is unknown or URL pattern is malformed." in w
        for w in parsed.warnings
    )


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (base(permissions="tabs"), "permissions"),
        (base(permissions=["tabs", 3]), "permissions[1]"),
        (base(host_permissions="<all_urls>"), "host_permissions"),
        (base(host_permissions=[None]), "host_permissions[0]"),
    ],
)
@pytest.mark.parametrize("profile", BOTH)
def test_permission_type_errors(profile: str, data: dict[str, Any], key: str) -> None:
    assert error_of(data, profile).key == key


# -- externally_connectable ----------------------------------------------------------------------


def ec_of(value: Any) -> tuple[ExternallyConnectable | None, tuple[str, ...]]:
    parsed = parse_manifest(base(externally_connectable=value))
    return parsed.externally_connectable, parsed.warnings


def test_ec_absent_semantics() -> None:
    # SEMANTICS.md §1: absent = every extension may connect, no web page.
    assert extension_may_connect(None, ID_B)
    assert not page_may_connect(None, "http://127.0.0.1/")


def test_ec_ids_only() -> None:
    ec, _ = ec_of({"ids": [ID_B]})
    assert ec is not None and ec.ids == (ID_B,)
    assert extension_may_connect(ec, ID_B)
    assert not extension_may_connect(ec, ID_C)
    assert not page_may_connect(ec, "http://127.0.0.1/")


def test_ec_matches_only_refuses_extensions() -> None:
    ec, _ = ec_of({"matches": ["http://127.0.0.1/*"]})
    assert ec is not None and ec.ids is None
    assert not extension_may_connect(ec, ID_B)
    assert page_may_connect(ec, "http://127.0.0.1:8000/page.html")
    assert not page_may_connect(ec, "http://localhost:8000/page.html")


def test_ec_star_ids_and_matches() -> None:
    ec, _ = ec_of({"matches": ["http://localhost/*"], "ids": ["*"]})
    assert ec is not None
    assert extension_may_connect(ec, ID_B) and extension_may_connect(ec, ID_C)
    assert ec.allows_url("http://localhost:1234/x")
    assert not ec.allows_url("http://127.0.0.1/x")


def test_ec_accepts_tls_channel_id() -> None:
    ec, _ = ec_of({"ids": ["*"], "accepts_tls_channel_id": True})
    assert ec is not None and ec.accepts_tls_channel_id
    ec2, _ = ec_of({"ids": ["*"]})
    assert ec2 is not None and not ec2.accepts_tls_channel_id


@pytest.mark.parametrize(
    ("pattern", "warning"),
    [
        ("<all_urls>", 'Wildcard domain patterns such as "<all_urls>" are not allowed'),
        ("http://*/*", 'Wildcard domain patterns such as "http://*/*" are not allowed'),
        ("*://*/*", 'Wildcard domain patterns such as "*://*/*" are not allowed'),
        ("https://*.com/*", '"com" is an effective top level domain'),
        ("https://*.co.uk/*", '"co.uk" is an effective top level domain'),
    ],
)
def test_ec_broad_patterns_dropped_with_warning(pattern: str, warning: str) -> None:
    ec, warnings = ec_of({"matches": [pattern, "https://example.com/*"]})
    assert ec is not None
    assert [str(p) for p in ec.matches] == ["https://example.com/*"]
    assert any(warning in w for w in warnings)
    assert not ec.allows_url("https://other.com/")


def test_ec_subdomain_of_real_domain_allowed() -> None:
    ec, warnings = ec_of({"matches": ["https://*.example.com/*"]})
    assert ec is not None and len(ec.matches) == 1 and warnings == ()
    assert ec.allows_url("https://a.example.com/")


def test_ec_empty_warns() -> None:
    ec, warnings = ec_of({})
    assert ec is not None
    assert not extension_may_connect(ec, ID_B)
    assert any("specifies neither 'matches' nor 'ids'" in w for w in warnings)


def test_ec_ignored_by_firefox() -> None:
    parsed = parse_manifest(base(externally_connectable={"ids": []}), profile="firefox")
    assert parsed.externally_connectable is None
    assert any("externally_connectable" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("value", "key", "needle"),
    [
        (["x"], "externally_connectable", "an object"),
        ({"ids": ID_B}, "externally_connectable.ids", "an array"),
        ({"ids": [ID_B, 7]}, "externally_connectable.ids[1]", "a string"),
        ({"ids": ["not-an-id"]}, "externally_connectable.ids[0]", "Invalid ID 'not-an-id'"),
        ({"ids": [ID_B, "q" * 32]}, "externally_connectable.ids[1]", "Invalid ID"),
        ({"matches": "http://a/*"}, "externally_connectable.matches", "an array"),
        (
            {"matches": ["www.yahoo.com"]},
            "externally_connectable.matches[0]",
            "Invalid match pattern 'www.yahoo.com'",
        ),
        (
            {"matches": ["http://a.com/*", "http://a.com"]},
            "externally_connectable.matches[1]",
            "Invalid match pattern",
        ),
        (
            {"ids": ["*"], "accepts_tls_channel_id": "yes"},
            "externally_connectable.accepts_tls_channel_id",
            "boolean",
        ),
    ],
)
def test_ec_errors(value: Any, key: str, needle: str) -> None:
    err = error_of(base(externally_connectable=value))
    assert err.key == key
    assert needle in err.problem


def test_externally_connectable_direct() -> None:
    ec = ExternallyConnectable(ids=None, matches=(MatchPattern.parse("https://a.com/*"),))
    assert ec.allows_url("https://a.com/x") and not ec.allows_extension(ID_B)


# -- key and gecko id -----------------------------------------------------------------

KEY_A = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqRkLQmuEc2mfbLsW0vYjZmLrUaMIcer9jK1jgwnnZtKS4Wyx"
    "KDCnSFdzXNkLyohJXR93dkVuXbGqnSkr6G63S79SBaFT6DTJEVODX2j6DcEuukrYly+8ivd9oaUFdYv9qyCLJsb9UvV8"
    "J9ynAlHmkpj5vNaH8sjZWmSL+GbFNbjkT+KRdGZFUsNMqAnXEf28wQkd79l6zWOneguNpmWH0KbVObvWNABAX2Flwxj"
    "HdjVUyq43BgYBtGI2oapIDHh3cBN7hiBkWzmXHX/ZgizjJliLNra28jiBue3+Gyrrc9XJ4GBsBpPinqfS6uQaWUgUvEN"
    "mFx1zWl6pAhnWYu1LpwIDAQAB"
)


def test_key() -> None:
    assert parse_manifest(base(key=KEY_A)).key == KEY_A
    assert error_of(base(key=5)).key == "key"
    err = error_of(base(key="not base64!"))
    assert err.key == "key" and "Invalid value for 'key'" in err.problem


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (base(browser_specific_settings={"gecko": {"id": "a@b.c"}}), "a@b.c"),
        (
            base(mv=2, applications={"gecko": {"id": "{12345678-1234-1234-1234-123456789abc}"}}),
            "{12345678-1234-1234-1234-123456789abc}",
        ),
        (base(browser_specific_settings={"gecko": {}}), None),
        (base(browser_specific_settings={"gecko_android": {}}), None),
    ],
)
def test_gecko_id(data: dict[str, Any], expected: str | None) -> None:
    assert parse_manifest(data, profile="firefox").gecko_id == expected


def test_gecko_id_not_validated_under_chrome() -> None:
    parsed = parse_manifest(base(browser_specific_settings={"gecko": {"id": "not valid"}}))
    assert parsed.gecko_id == "not valid"


def test_firefox_mv3_applications_key_ignored() -> None:
    parsed = parse_manifest(base(applications={"gecko": {"id": "a@b"}}), profile="firefox")
    assert parsed.gecko_id is None
    assert 'Property "applications" is unsupported in Manifest Version 3' in parsed.warnings


@pytest.mark.parametrize(
    ("data", "key", "needle"),
    [
        (
            base(browser_specific_settings={"gecko": {"id": "no-at-sign"}}),
            "browser_specific_settings.gecko.id",
            "not a valid add-on id",
        ),
        (
            base(browser_specific_settings={"gecko": {"id": 12}}),
            "browser_specific_settings.gecko.id",
            "a string",
        ),
        (
            base(browser_specific_settings={"gecko": "a@b"}),
            "browser_specific_settings.gecko",
            "an object",
        ),
        (base(browser_specific_settings=[]), "browser_specific_settings", "an object"),
        (
            base(mv=2, applications={"gecko": {"id": "x y@z"}}),
            "applications.gecko.id",
            "not a valid add-on id",
        ),
    ],
)
def test_gecko_id_errors(data: dict[str, Any], key: str, needle: str) -> None:
    err = error_of(data, "firefox")
    assert err.key == key
    assert needle in err.problem


# -- script_files and the whole picture ------------------------------------------------


def test_script_files() -> None:
    parsed = parse_manifest(
        base(
            mv=2,
            background={"scripts": ["lib.js", "/bg.js"]},
            content_scripts=[
                {"matches": ["<all_urls>"], "js": ["lib.js", "cs.js"], "css": ["cs.css"]},
                {"matches": ["https://a.com/*"], "js": ["a.js"]},
            ],
            browser_action={"default_popup": "popup.html"},
            options_ui={"page": "options.html"},
        )
    )
    assert parsed.script_files() == [
        "lib.js",
        "bg.js",
        "cs.js",
        "a.js",
        "popup.html",
        "options.html",
    ]


@pytest.mark.parametrize(
    ("background", "files"),
    [
        ({"service_worker": "sw.js"}, ["sw.js"]),
        ({"page": "bg.html"}, ["bg.html"]),
    ],
)
def test_script_files_background_kinds(background: dict[str, Any], files: list[str]) -> None:
    mv = 3 if "service_worker" in background else 2
    assert parse_manifest(base(mv=mv, background=background)).script_files() == files


def test_parse_manifest_does_not_mutate_input() -> None:
    data = base(
        background={"service_worker": "sw.js", "scripts": ["bg.js"]},
        content_scripts=[{"matches": ["<all_urls>"], "js": ["cs.js"]}],
    )
    before = copy.deepcopy(data)
    parsed = parse_manifest(data)
    assert data == before
    assert parsed.raw == before


def test_parsed_dataclasses_are_frozen() -> None:
    parsed = parse_manifest(base())
    with pytest.raises(AttributeError):
        parsed.name = "other"  # type: ignore[misc]


def test_text_to_parsed_round_trip() -> None:
    text = """{
      // Chrome tolerates comments in manifest.json
      "manifest_version": 3,
      "name": "Round trip",
      "version": "2.0.1",
      /* block */
      "background": {"service_worker": "sw.js"},
      "content_scripts": [{"matches": ["http://127.0.0.1/*"], "js": ["cs.js"], "all_frames": true}],
      "externally_connectable": {"ids": ["*"]}
    }"""
    parsed = parse_manifest(parse_manifest_text(text, "x/manifest.json"), "x/manifest.json")
    assert parsed.background is not None and parsed.background.kind == "service_worker"
    assert parsed.content_scripts[0].applies_to("http://127.0.0.1:8000/", top_frame=False)
    assert extension_may_connect(parsed.externally_connectable, ID_C)
    assert parsed.warnings == ()
