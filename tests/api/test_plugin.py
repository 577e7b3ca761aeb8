"""The pytest plugin (entry point pytest11): `browser` fixture, --webext-profile, the
`webext` marker and leftover extension errors."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INI = """
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
"""


@pytest.fixture
def tester(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INI)
    return pytester


def test_browser_fixture_is_fresh_and_closed_afterwards(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        from webext_runtime import Browser

        SEEN = []

        def test_one(browser):
            assert isinstance(browser, Browser)
            assert not browser.closed
            assert browser.profile.name == "chrome"
            SEEN.append(browser)

        def test_two(browser):
            (first,) = SEEN
            assert first is not browser
            assert first.closed
            assert not browser.closed
            assert browser.extensions == []
        """
    )
    result = tester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_fixture_browser_usable_in_async_test(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        import pytest

        @pytest.mark.asyncio
        async def test_flow(browser):
            ext = await browser.install(manifest={
                "manifest_version": 3, "name": "p", "version": "1",
                "background": {"service_worker": "bg.js"},
                "content_scripts": [{"matches": ["https://example.com/*"], "js": ["c.js"]}],
            })
            got = []
            ext.background.runtime.on_connect.add_listener(got.append)
            tab = await browser.open_tab("https://example.com/")
            port = tab.content_script(ext).runtime.connect(name="n")
            port.post_message(1)
            await browser.settle()
            assert got[0].messages == [1]
        """
    )
    result = tester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_profile_option_runs_each_profile(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        def test_profile(browser, webext_profile):
            assert browser.profile.name == webext_profile
            print("PROFILE=" + browser.profile.family)

        def test_without_browser():
            pass
        """
    )
    result = tester.runpytest(
        "-p", "no:cacheprovider", "-v", "-s", "--webext-profile", "chrome,firefox"
    )
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*::test_profile?chrome?*", "*::test_profile?firefox?*"])
    assert result.stdout.str().count("PROFILE=chrome") == 1
    assert result.stdout.str().count("PROFILE=firefox") == 1


def test_default_profile_option_is_chrome_once(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        def test_profile(browser):
            assert browser.profile.family == "chrome"
        """
    )
    result = tester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_marker_pins_profile(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        import pytest

        @pytest.mark.webext(profile="firefox")
        def test_pinned(browser):
            assert browser.profile.family == "firefox"

        def test_free(browser):
            pass
        """
    )
    result = tester.runpytest("-p", "no:cacheprovider", "--webext-profile", "chrome,firefox")
    result.assert_outcomes(passed=3)  # pinned once + free twice


def test_unknown_profile_option_is_a_clear_error(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        def test_profile(browser):
            pass
        """
    )
    result = tester.runpytest("-p", "no:cacheprovider", "--webext-profile", "chrome,safari")
    assert result.ret != 0
    out = result.stdout.str() + result.stderr.str()
    assert "safari" in out
    assert "firefox-android" in out  # the valid names are listed


def test_leftover_script_error_fails_the_test(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        import pytest
        from webext_runtime import ExtensionScriptError

        def test_leaves_error(browser):
            browser.script_errors.append(ExtensionScriptError("background", "boom-left-over"))

        @pytest.mark.webext(allow_errors=True)
        def test_allowed(browser):
            browser.script_errors.append(ExtensionScriptError("background", "boom-allowed"))

        def test_clean(browser):
            pass
        """
    )
    result = tester.runpytest("-p", "no:cacheprovider")
    # the call passes; the fixture's teardown reports the leftover error
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*ERROR*test_leaves_error*"])
    assert result.ret != 0
    out = result.stdout.str()
    assert "boom-left-over" in out
    assert "boom-allowed" not in out
    assert "allow_errors=True" in out


def test_marker_is_registered(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        import pytest

        @pytest.mark.webext(profile="chrome")
        def test_x():
            pass
        """
    )
    result = tester.runpytest("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=1)
