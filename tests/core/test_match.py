"""Match patterns and globs (rules from Chromium url_pattern.cc, Firefox MatchPattern.cpp)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webext_runtime._core.match import (
    CHROME_CONTENT_SCRIPT_SCHEMES,
    MatchPattern,
    content_script_matches,
    glob_matches,
)

BOTH = ["chrome", "firefox"]


def matches(pattern: str, url: str, profile: str = "chrome") -> bool:
    return MatchPattern.parse(pattern, profile=profile).matches(url)


# -- parsing errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("example.com/*", "Missing scheme separator."),
        ("gopher://example.com/*", "Invalid scheme."),
        ("HTTP://example.com/*", "Invalid scheme."),
        ("http:example.com/*", "Wrong scheme type."),
        ("data://text/*", "Wrong scheme type."),
        ("http://", "Host can not be empty."),
        ("http:///path", "Host can not be empty."),
        ("http://*./*", "Host can not be empty."),
        ("http://example.com", "Empty path."),
        ("http://ex*ample.com/*", "Invalid host wildcard."),
        ("http://*foo/*", "Invalid host wildcard."),
        ("http://foo.*.com/*", "Invalid host wildcard."),
        ("http://example.com:abc/*", "Invalid port."),
        ("http://example.com:70000/*", "Invalid port."),
        ("*://example.com:8080/*", "Invalid port."),
        ("file://host:80/*", None),  # host of a file pattern is ignored entirely
        ("http://[::1/*", "Invalid host."),
        ("http://[]/*", "Host can not be empty."),
        ("http://[::1]x/*", "Invalid host."),
        ("http://exa mple.com/*", "Invalid host."),
    ],
)
def test_chrome_parse_errors(pattern: str, problem: str | None) -> None:
    if problem is None:
        MatchPattern.parse(pattern)
        return
    with pytest.raises(ValueError) as info:
        MatchPattern.parse(pattern)
    assert problem in str(info.value)
    assert repr(pattern) in str(info.value)


@pytest.mark.parametrize(
    "pattern",
    [
        "example.com/*",
        "gopher://example.com/*",
        "chrome://settings/*",
        "http://",
        "http:///x",
        "http://example.com",
        "http://foo.*.com/*",
        "http//example.com/*",
    ],
)
def test_firefox_parse_errors(pattern: str) -> None:
    with pytest.raises(ValueError, match="Invalid match pattern"):
        MatchPattern.parse(pattern, profile="firefox")


@pytest.mark.parametrize("profile", BOTH)
@pytest.mark.parametrize("bad", [None, 3, ["http://a/*"]])
def test_non_string_pattern(profile: str, bad: object) -> None:
    with pytest.raises(ValueError, match="must be a string"):
        MatchPattern.parse(bad, profile=profile)  # type: ignore[arg-type]


def test_unknown_profile() -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        MatchPattern.parse("<all_urls>", profile="safari")
    with pytest.raises(ValueError, match="unknown profile"):
        glob_matches("*", "http://a/", profile="safari")


@pytest.mark.parametrize(
    "pattern",
    [
        "<all_urls>",
        "*://*/*",
        "https://*.example.com/path*",
        "http://127.0.0.1/*",
        "http://example.com:8080/*",
        "http://example.com:*/*",
        "*://example.com:*/*",
        "file:///*",
        "file://*",
        "ftp://ftp.example.org/*",
        "ws://example.com/*",
        "wss://example.com/*",
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop/*",
        "data:text/html*",
        "http://[::1]:8000/*",
    ],
)
def test_chrome_valid_patterns(pattern: str) -> None:
    parsed = MatchPattern.parse(pattern)
    assert str(parsed) == pattern
    assert parsed.profile == "chrome"


# -- scheme rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "chrome", "firefox"),
    [
        ("http://example.com/", True, True),
        ("https://example.com/", True, True),
        ("ws://example.com/", False, True),  # Firefox's "*" also means ws/wss
        ("wss://example.com/", False, True),
        ("ftp://example.com/", False, False),
        ("file:///etc/hosts", False, False),
    ],
)
def test_wildcard_scheme(url: str, chrome: bool, firefox: bool) -> None:
    assert matches("*://*/*", url) is chrome
    assert matches("*://*/*", url, "firefox") is firefox


@pytest.mark.parametrize(
    ("url", "chrome", "firefox"),
    [
        ("http://a.com/", True, True),
        ("https://a.com/x?y#z", True, True),
        ("file:///tmp/x", True, True),
        ("ftp://a.com/", True, True),
        ("ws://a.com/", True, True),
        ("data:text/plain,hi", True, True),
        ("chrome-extension://abcdefghijklmnopabcdefghijklmnop/x.html", True, False),
        ("moz-extension://1234/x.html", False, False),
        ("about:blank", False, False),
        ("javascript:alert(1)", False, False),
        ("not a url", False, False),
    ],
)
def test_all_urls(url: str, chrome: bool, firefox: bool) -> None:
    assert matches("<all_urls>", url) is chrome
    assert matches("<all_urls>", url, "firefox") is firefox


def test_all_urls_restricted_to_content_script_schemes() -> None:
    pattern = MatchPattern.parse("<all_urls>", valid_schemes=CHROME_CONTENT_SCRIPT_SCHEMES)
    assert pattern.matches("https://a.com/")
    assert pattern.matches("file:///x")
    assert not pattern.matches("ws://a.com/")
    assert not pattern.matches("chrome-extension://abcdefghijklmnopabcdefghijklmnop/")
    with pytest.raises(ValueError, match="Invalid scheme"):
        MatchPattern.parse("ws://a.com/*", valid_schemes=CHROME_CONTENT_SCRIPT_SCHEMES)


@pytest.mark.parametrize("profile", BOTH)
def test_scheme_must_match_exactly(profile: str) -> None:
    assert matches("https://example.com/*", "https://example.com/", profile)
    assert not matches("https://example.com/*", "http://example.com/", profile)
    assert matches("http://example.com/*", "HTTP://EXAMPLE.COM/", profile)


# -- hosts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", BOTH)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/", True),
        ("https://www.example.com/", True),
        ("https://a.b.example.com/x", True),
        ("https://EXAMPLE.com/", True),
        ("https://notexample.com/", False),
        ("https://example.com.evil.org/", False),
        ("https://example.org/", False),
    ],
)
def test_subdomain_wildcard(profile: str, url: str, expected: bool) -> None:
    assert matches("https://*.example.com/*", url, profile) is expected


@pytest.mark.parametrize("profile", BOTH)
def test_exact_host(profile: str) -> None:
    assert matches("https://example.com/*", "https://example.com/a", profile)
    assert not matches("https://example.com/*", "https://www.example.com/a", profile)
    assert matches("https://Example.COM/*", "https://example.com/a", profile)


def test_chrome_idn_and_trailing_dot() -> None:
    assert matches("https://bücher.de/*", "https://xn--bcher-kva.de/")
    assert matches("https://example.com/*", "https://example.com./")
    # Firefox compares host strings: the trailing dot makes a different host.
    assert not matches("https://example.com/*", "https://example.com./", "firefox")


def test_chrome_no_subdomain_matching_for_ip_addresses() -> None:
    assert matches("http://*.0.0.1/*", "http://127.0.0.1/") is False
    assert matches("http://127.0.0.1/*", "http://127.0.0.1/")
    assert matches("http://*/*", "http://127.0.0.1/")


def test_ipv6_hosts() -> None:
    for profile in BOTH:
        assert matches("http://[::1]/*", "http://[::1]:8080/x", profile)
        assert not matches("http://[::1]/*", "http://[::2]/x", profile)


# -- ports ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "url", "expected"),
    [
        ("http://localhost/*", "http://localhost:8000/", True),  # no port = any port
        ("http://localhost:8000/*", "http://localhost:8000/", True),
        ("http://localhost:8000/*", "http://localhost:8001/", False),
        ("http://localhost:8000/*", "http://localhost/", False),
        ("http://localhost:80/*", "http://localhost/", True),  # effective port
        ("https://localhost:443/*", "https://localhost/", True),
        ("http://localhost:*/*", "http://localhost:1234/", True),
        ("*://localhost:*/*", "https://localhost:1234/", True),
    ],
)
def test_chrome_ports(pattern: str, url: str, expected: bool) -> None:
    assert matches(pattern, url) is expected


def test_firefox_port_in_pattern_never_matches() -> None:
    # Firefox keeps the port as part of the host string; URL hosts carry no port.
    assert not matches("http://localhost:8000/*", "http://localhost:8000/", "firefox")
    assert matches("http://localhost/*", "http://localhost:8000/", "firefox")


# -- paths ----------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", BOTH)
@pytest.mark.parametrize(
    ("pattern", "url", "expected"),
    [
        ("https://a.com/*", "https://a.com", True),
        ("https://a.com/foo*", "https://a.com/foobar", True),
        ("https://a.com/foo*", "https://a.com/fo", False),
        ("https://a.com/*/bar", "https://a.com/x/y/bar", True),
        ("https://a.com/*/bar", "https://a.com/x/y/baz", False),
        ("https://a.com/foo", "https://a.com/foo", True),
        ("https://a.com/foo", "https://a.com/foo/", False),
        ("https://a.com/foo", "https://a.com/foo?x=1", False),
        ("https://a.com/foo?x=*", "https://a.com/foo?x=1", True),
        ("https://a.com/foo?x=1", "https://a.com/foo?x=1", True),
        ("https://a.com/f?o", "https://a.com/fxo", False),  # "?" is literal in paths
        ("https://a.com/*", "https://a.com/x#frag", True),
        ("https://a.com/x", "https://a.com/x#frag", True),  # fragments are ignored
        ("https://a.com/a.b", "https://a.com/aXb", False),  # "." is literal
    ],
)
def test_paths(profile: str, pattern: str, url: str, expected: bool) -> None:
    assert matches(pattern, url, profile) is expected


def test_chrome_dir_star_matches_dir_itself() -> None:
    assert matches("https://a.com/dir/*", "https://a.com/dir")
    assert not matches("https://a.com/dir/*", "https://a.com/dir", "firefox")


# -- file and data ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", BOTH)
def test_file_patterns(profile: str) -> None:
    assert matches("file:///home/*", "file:///home/me/a.html", profile)
    assert not matches("file:///home/*", "file:///etc/passwd", profile)
    assert not matches("file:///home/*", "http://x/home/a", profile)


def test_chrome_file_host_is_ignored() -> None:
    assert matches("file://localhost/tmp/*", "file:///tmp/a")
    assert matches("file://*", "file:///anything")
    assert matches("file:///tmp/*", "file://server/tmp/a")


def test_data_patterns() -> None:
    assert matches("data:text/html*", "data:text/html,hello")
    assert not matches("data:text/html*", "data:image/png;base64,AAAA")
    assert matches("data:*", "data:image/png;base64,AAAA", "firefox")


# -- globs and the content-script rule --------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "url", "expected"),
    [
        ("*", "https://a.com/", True),
        ("https://*.a.com/*", "https://x.a.com/p", True),
        ("https://*.a.com/*", "https://a.com/p", False),  # globs are not match patterns
        ("*foo*", "https://a.com/xfooy", True),
        ("https://a.com/?", "https://a.com/x", True),
        ("https://a.com/?", "https://a.com/xy", False),
        ("https://a.com/", "https://a.com", True),  # URL is canonicalised first
        ("*FOO*", "https://a.com/foo", False),  # case-sensitive
        ("https://a.com/[ab]", "https://a.com/a", False),  # no character classes
        ("*#top", "https://a.com/x#top", True),
    ],
)
def test_glob_matches_chrome(glob: str, url: str, expected: bool) -> None:
    assert glob_matches(glob, url) is expected


def test_glob_fragment_profiles() -> None:
    assert glob_matches("*#top", "https://a.com/x#top")
    assert not glob_matches("*#top", "https://a.com/x#top", profile="firefox")
    assert glob_matches("https://a.com/x", "https://a.com/x#top", profile="firefox")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.com/news/1", True),
        ("https://www.example.com/other", False),  # no include glob matches
        ("https://www.example.com/news/private", False),  # exclude glob
        ("https://admin.example.com/news/1", False),  # exclude match
        ("https://other.org/news/1", False),  # no match
    ],
)
def test_content_script_combination(url: str, expected: bool) -> None:
    assert (
        content_script_matches(
            url,
            matches=["https://*.example.com/*"],
            exclude_matches=[MatchPattern.parse("https://admin.example.com/*")],
            include_globs=["*/news/*"],
            exclude_globs=["*private*"],
        )
        is expected
    )


def test_content_script_without_globs() -> None:
    assert content_script_matches("https://a.com/", matches=["<all_urls>"])
    assert not content_script_matches("https://a.com/", matches=[])


# -- properties ------------------------------------------------------------------------------

# Labels start with a letter so that no generated host is an IP address (Chrome never
# does subdomain matching on IP addresses; see test_chrome_no_subdomain_matching_for_ip...).
_label = st.builds(
    str.__add__,
    st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", max_size=11),
)
_host = st.lists(_label, min_size=1, max_size=4).map(".".join)
_path = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/-_.~%=&", max_size=30)


@given(
    scheme=st.sampled_from(["http", "https", "ws", "wss", "ftp"]),
    host=_host,
    path=_path,
    query=st.none() | _path,
    profile=st.sampled_from(BOTH),
)
def test_scheme_host_star_matches_urls_built_from_it(
    scheme: str, host: str, path: str, query: str | None, profile: str
) -> None:
    pattern = MatchPattern.parse(f"{scheme}://{host}/*", profile=profile)
    url = f"{scheme}://{host}/{path}" + ("" if query is None else f"?{query}")
    assert pattern.matches(url)
    assert not pattern.matches(f"{scheme}://x{host}/{path}")


@given(sub=_host, host=_host, path=_path, profile=st.sampled_from(BOTH))
def test_subdomain_pattern_matches_every_subdomain(
    sub: str, host: str, path: str, profile: str
) -> None:
    pattern = MatchPattern.parse(f"https://*.{host}/*", profile=profile)
    assert pattern.matches(f"https://{sub}.{host}/{path}")
    assert pattern.matches(f"https://{host}/{path}")


@given(literal=_path)
def test_glob_without_wildcards_is_equality(literal: str) -> None:
    url = f"https://a.com/{literal}"
    glob = url.replace("*", "").replace("?", "")
    if glob == url:
        assert glob_matches(glob, url)
        assert not glob_matches(glob + "x", url)
