"""WebExtensions match patterns and content-script globs, per browser profile.

Rules were read from the browsers' sources (nothing copied):

* Chromium ``extensions/common/url_pattern.cc`` (``URLPattern::Parse`` and
  ``MatchesURL``): valid schemes are http, https, file, ftp, chrome,
  chrome-extension, filesystem, ws, wss, data, uuid-in-package; ``*`` means
  http or https only; a pattern scheme must use ``://`` exactly when the scheme
  is a standard one (``data:`` uses ``:``); the host of a ``file`` pattern is
  ignored (``file://*`` is read as ``file:///*``); ``*.`` alone is an empty
  host; no other ``*`` may appear in a host; hosts are canonicalised
  (lower-case, IDNA); an explicit port is only allowed for schemes that have a
  default port (so ``*://h:8080/`` is refused while ``*://h:*/`` is fine) and
  is compared with the URL's effective port; subdomain matching never applies
  to IP addresses; a trailing dot on either host is ignored; the path is
  matched against path + query with ``*`` as the only wildcard, and a pattern
  path ``X/*`` also matches the path ``X``. ``<all_urls>`` matches every URL
  whose scheme is valid where the pattern is used.
* Chromium ``extensions/common/user_script.cc``: content-script patterns may
  only use http, https, file, ftp, uuid-in-package (chrome: needs a switch).
* Chromium ``extensions/common/user_script.cc`` (``MatchesGlobs``): globs are
  matched against the whole URL spec with ``*`` and ``?``.
* Firefox ``toolkit/components/extensions/MatchPattern.cpp``
  (``MatchPatternCore``, ``MatchGlobCore``): permitted schemes are http, https,
  ws, wss, file, ftp, data (plus moz-extension); ``*`` means http, https, ws
  and wss; hosts are compared as strings (no port handling: a pattern host
  with a port never equals a URL host); an empty host is only allowed for
  ``file``; path globs use ``*`` only and ``/*`` is a wildcard; include/exclude
  globs also accept ``?`` and are matched against the URL without its
  fragment.
* Firefox ``toolkit/components/extensions/schemas/manifest.json``
  (``MatchPatternRestricted``): in a manifest a pattern must look like
  ``(https?|wss?|file|ftp|*)://(*|*.host|host)/path`` or ``file:///path`` or be
  ``<all_urls>``.

Differences from the browsers, on purpose: pattern hosts are compared
case-insensitively in the firefox profile too; URLs are parsed with
:func:`urllib.parse.urlsplit`, not a full WHATWG/GURL parser.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

__all__ = [
    "ALL_URLS",
    "CHROME_CONTENT_SCRIPT_SCHEMES",
    "CHROME_SCHEMES",
    "FIREFOX_SCHEMES",
    "MatchPattern",
    "content_script_matches",
    "glob_matches",
]

ALL_URLS = "<all_urls>"

#: Schemes a Chromium URLPattern accepts (``kValidSchemes``).
CHROME_SCHEMES: frozenset[str] = frozenset(
    {
        "http",
        "https",
        "file",
        "ftp",
        "chrome",
        "chrome-extension",
        "filesystem",
        "ws",
        "wss",
        "data",
        "uuid-in-package",
    }
)
#: Schemes allowed in Chromium content-script patterns (``kValidUserScriptSchemes``
#: without ``chrome``, which needs ``--extensions-on-chrome-urls``).
CHROME_CONTENT_SCRIPT_SCHEMES: frozenset[str] = frozenset(
    {"http", "https", "file", "ftp", "uuid-in-package"}
)
#: Schemes a Firefox MatchPattern accepts with restrictSchemes (``PermittedSchemes``
#: plus ``moz-extension``).
FIREFOX_SCHEMES: frozenset[str] = frozenset(
    {"http", "https", "ws", "wss", "file", "ftp", "data", "moz-extension"}
)
_FIREFOX_ALL_URLS_SCHEMES = frozenset({"http", "https", "ws", "wss", "file", "ftp", "data"})
_CHROME_WILDCARD_SCHEMES = frozenset({"http", "https"})
_FIREFOX_WILDCARD_SCHEMES = frozenset({"http", "https", "ws", "wss"})

# GURL "standard" schemes (written scheme://host/...) among the valid ones.
_CHROME_STANDARD = frozenset(
    {"http", "https", "file", "ftp", "chrome", "chrome-extension", "filesystem", "ws", "wss"}
)
# Firefox HostLocatorSchemes among the permitted ones.
_FIREFOX_HOST_LOCATOR = frozenset({"http", "https", "ws", "wss", "file", "ftp", "moz-extension"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}

# Code points that cannot appear in a host (WHATWG "forbidden host code point").
_FORBIDDEN_HOST_CHARS = frozenset(" \t\n\r#%/:<>?@[\\]^|\x00")

_PROFILES = ("chrome", "firefox")


def _check_profile(profile: str) -> str:
    if profile not in _PROFILES:
        raise ValueError(f"unknown profile {profile!r}: expected 'chrome' or 'firefox'")
    return profile


def _canonical_host(host: str) -> str | None:
    """Lower-case and IDNA-encode a host; None if it cannot be a host."""
    if host.startswith("[") and host.endswith("]"):
        try:
            return "[" + ipaddress.IPv6Address(host[1:-1]).compressed + "]"
        except ValueError:
            return None
    if any(c in _FORBIDDEN_HOST_CHARS for c in host):
        return None
    lowered = host.lower()
    if lowered.isascii():
        return lowered
    try:
        return lowered.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _is_ip(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        return True
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


def _star_glob(pattern: str, text: str, *, question: bool) -> bool:
    """Glob match over the whole text: ``*`` any run, ``?`` one char if *question*."""
    parts: list[str] = []
    for ch in pattern:
        if ch == "*":
            if not parts or parts[-1] != ".*":
                parts.append(".*")
        elif ch == "?" and question:
            parts.append(".")
        else:
            parts.append(re.escape(ch))
    return re.fullmatch("".join(parts), text, flags=re.DOTALL) is not None


@dataclass(frozen=True)
class _URL:
    scheme: str
    host: str
    port: int | None  # effective port, None when the scheme has none
    path: str  # path + "?query" (no fragment)
    spec: str  # canonical-ish URL with fragment
    spec_no_fragment: str


def _parse_url(url: str) -> _URL | None:
    try:
        parts: SplitResult = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if not scheme:
        return None
    hierarchical = url[len(parts.scheme) + 1 :].startswith("//")
    host = ""
    port: int | None = None
    if hierarchical:
        raw_host = parts.netloc.rpartition("@")[2]
        if raw_host.startswith("["):
            end = raw_host.find("]")
            if end < 0:
                return None
            host_part, port_part = raw_host[: end + 1], raw_host[end + 1 :]
            if port_part and not port_part.startswith(":"):
                return None
            port_part = port_part[1:]
        else:
            host_part, _, port_part = raw_host.partition(":")
        canon = _canonical_host(host_part) if host_part else ""
        if canon is None:
            return None
        host = canon
        if port_part:
            if not port_part.isdigit() or int(port_part) > 65535:
                return None
            port = int(port_part)
        else:
            port = _DEFAULT_PORTS.get(scheme)
        if scheme in _DEFAULT_PORTS and not host:
            return None
    path = parts.path
    if hierarchical and not path:
        path = "/"
    if parts.query or url.split("#", 1)[0].endswith("?"):
        path = f"{path}?{parts.query}"
    if hierarchical:
        netloc = host
        if port is not None and port != _DEFAULT_PORTS.get(scheme):
            netloc = f"{host}:{port}"
        base = f"{scheme}://{netloc}{path}"
    else:
        base = f"{scheme}:{path}"
    spec = base + (f"#{parts.fragment}" if "#" in url else "")
    return _URL(scheme, host, port, path, spec, base)


@dataclass(frozen=True)
class MatchPattern:
    """A parsed match pattern. Build it with :meth:`parse`."""

    pattern: str
    profile: str
    schemes: frozenset[str]
    host: str  # canonical host without "*." ("" = any host, or none for file/data)
    match_subdomains: bool
    port: str  # "*" or a decimal port (chrome only)
    path: str | None  # None for <all_urls>
    all_urls: bool
    host_locator: bool  # written scheme://host/path (False for data:...)

    def __str__(self) -> str:
        return self.pattern

    @classmethod
    def parse(
        cls,
        pattern: str,
        *,
        profile: str = "chrome",
        valid_schemes: Iterable[str] | None = None,
    ) -> MatchPattern:
        """Parse *pattern* under *profile* ("chrome" or "firefox").

        *valid_schemes* narrows the accepted schemes (e.g.
        :data:`CHROME_CONTENT_SCRIPT_SCHEMES` for content scripts).
        Raises :class:`ValueError` naming the pattern and the problem.
        """
        _check_profile(profile)
        if not isinstance(pattern, str):
            raise ValueError(f"match pattern must be a string, got {type(pattern).__name__}")
        base = CHROME_SCHEMES if profile == "chrome" else FIREFOX_SCHEMES
        allowed = base if valid_schemes is None else base & frozenset(valid_schemes)
        if profile == "chrome":
            return cls._parse_chrome(pattern, allowed)
        return cls._parse_firefox(pattern, allowed)

    # -- Chromium -----------------------------------------------------------------
    @classmethod
    def _parse_chrome(cls, pattern: str, allowed: frozenset[str]) -> MatchPattern:
        def bad(problem: str) -> ValueError:
            return ValueError(f"Invalid match pattern {pattern!r}: {problem}")

        if pattern == ALL_URLS:
            return cls(pattern, "chrome", allowed, "", True, "*", None, True, True)
        sep = pattern.find("://")
        standard_sep = sep >= 0
        if not standard_sep:
            sep = pattern.find(":")
        if sep < 0:
            raise bad("Missing scheme separator.")
        scheme = pattern[:sep]
        if scheme == "*":
            schemes = allowed & _CHROME_WILDCARD_SCHEMES
            standard = True
        elif scheme in allowed:
            schemes = frozenset({scheme})
            standard = scheme in _CHROME_STANDARD
        else:
            raise bad("Invalid scheme.")
        if standard != standard_sep:
            raise bad("Wrong scheme type.")
        rest_at = sep + (3 if standard else 1)
        if rest_at >= len(pattern):
            raise bad("Host can not be empty.")
        if not standard:
            return cls(pattern, "chrome", schemes, "", False, "*", pattern[rest_at:], False, False)
        if scheme == "file":
            # file://* is read as file:///*; the host of a file pattern is ignored.
            slash = pattern.find("/", rest_at)
            path = pattern[rest_at - 1 :] if slash < 0 else pattern[slash:]
            return cls(pattern, "chrome", schemes, "", False, "*", path, False, True)
        slash = pattern.find("/", rest_at)
        if slash == rest_at:
            raise bad("Host can not be empty.")
        if slash < 0:
            raise bad("Empty path.")
        host_and_port = pattern[rest_at:slash]
        port = "*"
        if host_and_port.startswith("["):
            end = host_and_port.find("]")
            if end < 0:
                raise bad("Invalid host.")
            if end == 1:
                raise bad("Host can not be empty.")
            host = host_and_port[: end + 1]
            tail = host_and_port[end + 1 :]
            if tail:
                if not tail.startswith(":"):
                    raise bad("Invalid host.")
                port = tail[1:]
        else:
            host, colon, port_text = host_and_port.partition(":")
            if colon:
                port = port_text
        if port != "*":
            if (
                scheme not in _DEFAULT_PORTS
                or not port.isdigit()
                or not port.isascii()
                or int(port) > 65535
            ):
                raise bad("Invalid port.")
            port = str(int(port))
        if not host:
            raise bad("Host can not be empty.")
        subdomains = False
        if host == "*":
            subdomains, host = True, ""
        elif host.startswith("*."):
            if len(host) == 2:
                raise bad("Host can not be empty.")
            subdomains, host = True, host[2:]
        if "*" in host:
            raise bad("Invalid host wildcard.")
        if host:
            canon = _canonical_host(host)
            if not canon:
                raise bad("Invalid host.")
            host = canon
        return cls(pattern, "chrome", schemes, host, subdomains, port, pattern[slash:], False, True)

    # -- Firefox ------------------------------------------------------------------
    @classmethod
    def _parse_firefox(cls, pattern: str, allowed: frozenset[str]) -> MatchPattern:
        def bad(problem: str) -> ValueError:
            return ValueError(f"Invalid match pattern {pattern!r}: {problem}")

        if pattern == ALL_URLS:
            schemes = allowed & _FIREFOX_ALL_URLS_SCHEMES
            return cls(pattern, "firefox", schemes, "", True, "*", None, True, True)
        colon = pattern.find(":")
        if colon <= 0:
            raise bad("missing scheme")
        scheme = pattern[:colon]
        if scheme == "*":
            schemes = allowed & _FIREFOX_WILDCARD_SCHEMES
            locator = True
        elif scheme in allowed:
            schemes = frozenset({scheme})
            locator = scheme in _FIREFOX_HOST_LOCATOR
        else:
            raise bad(f"scheme {scheme!r} is not allowed")
        rest = pattern[colon + 1 :]
        if not locator:
            if not rest:
                raise bad("empty path")
            return cls(pattern, "firefox", schemes, "", False, "*", rest, False, False)
        if not rest.startswith("//"):
            raise bad("'//' must follow the scheme")
        rest = rest[2:]
        slash = rest.find("/")
        host = rest if slash < 0 else rest[:slash]
        path = "" if slash < 0 else rest[slash:]
        if not host and scheme != "file":
            raise bad("host can not be empty")
        subdomains = False
        if host == "*":
            subdomains, host = True, ""
        elif host.startswith("*."):
            subdomains, host = True, host[2:]
        elif len(host) > 1 and host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if "*" in host:
            raise bad("'*' may only be the whole host or its first label ('*.')")
        if not path:
            raise bad("empty path")
        return cls(pattern, "firefox", schemes, host.lower(), subdomains, "*", path, False, True)

    # -- matching -----------------------------------------------------------------
    def matches(self, url: str) -> bool:
        """True if *url* is matched by this pattern (invalid URLs never match)."""
        parsed = _parse_url(url)
        if parsed is None or parsed.scheme not in self.schemes:
            return False
        if self.all_urls:
            return True
        if self.profile == "chrome":
            return self._matches_chrome(parsed)
        return self._matches_firefox(parsed)

    def _matches_chrome(self, url: _URL) -> bool:
        assert self.path is not None
        if self.host_locator and url.scheme != "file" and not self._chrome_host(url.host):
            return False
        if self.port != "*" and str(url.port if url.port is not None else -1) != self.port:
            return False
        if self.path == url.path + "/*":
            return True
        return _star_glob(self.path, url.path, question=False)

    def _chrome_host(self, test: str) -> bool:
        test = test[:-1] if test.endswith(".") else test
        mine = self.host[:-1] if self.host.endswith(".") else self.host
        if test == mine:
            return True
        if not self.match_subdomains:
            return False
        if not mine:
            return True
        if _is_ip(test):
            return False
        return len(test) > len(mine) + 1 and test.endswith("." + mine)

    def _matches_firefox(self, url: _URL) -> bool:
        assert self.path is not None
        if self.host_locator:
            host = url.host
            if host.startswith("[") and host.endswith("]"):
                host = host[1:-1]
            wildcard = self.match_subdomains and not self.host
            subdomain = self.match_subdomains and host.endswith("." + self.host)
            if not wildcard and host != self.host and not subdomain:
                return False
            if self.path == "/*":
                return True
        return _star_glob(self.path, url.path, question=False)


def _as_pattern(p: MatchPattern | str, profile: str) -> MatchPattern:
    return p if isinstance(p, MatchPattern) else MatchPattern.parse(p, profile=profile)


def glob_matches(glob: str, url: str, *, profile: str = "chrome") -> bool:
    """Match an ``include_globs``/``exclude_globs`` entry against the whole URL.

    ``*`` matches any run of characters, ``?`` exactly one; the comparison is
    case-sensitive. Chrome matches against the full URL spec, Firefox against
    the URL without its fragment.
    """
    _check_profile(profile)
    parsed = _parse_url(url)
    if parsed is None:
        text = url
    else:
        text = parsed.spec if profile == "chrome" else parsed.spec_no_fragment
    return _star_glob(glob, text, question=True)


def content_script_matches(
    url: str,
    *,
    matches: Sequence[MatchPattern | str],
    exclude_matches: Sequence[MatchPattern | str] = (),
    include_globs: Sequence[str] = (),
    exclude_globs: Sequence[str] = (),
    profile: str = "chrome",
) -> bool:
    """The browsers' rule for whether a content script applies to *url*.

    Matched by some ``matches`` entry, by no ``exclude_matches`` entry, by some
    ``include_globs`` entry when there are any, and by no ``exclude_globs``
    entry (Chromium ``UserScript::MatchesURL``; Firefox
    ``WebExtensionContentScript::Matches``).
    """
    if not any(_as_pattern(p, profile).matches(url) for p in matches):
        return False
    if any(_as_pattern(p, profile).matches(url) for p in exclude_matches):
        return False
    if include_globs and not any(glob_matches(g, url, profile=profile) for g in include_globs):
        return False
    return not any(glob_matches(g, url, profile=profile) for g in exclude_globs)
