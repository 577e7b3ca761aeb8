"""pytest plugin (entry point ``pytest11``): the ``browser`` fixture and ``--webext-profile``.

* ``browser``: a fresh :class:`~webext_runtime.Browser` per test, closed afterwards.
* ``--webext-profile chrome,firefox`` runs each test that uses ``browser`` once per profile
  (default ``chrome``); ``@pytest.mark.webext(profile="firefox")`` pins one test.
* An uncaught extension error left at the end of a test fails it, unless the test is marked
  ``@pytest.mark.webext(allow_errors=True)``.

The fixture is synchronous so it works with pytest-asyncio, anyio or plain sync tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ._api.browser import Browser
from ._core.profiles import get_profile


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("webext-runtime")
    group.addoption(
        "--webext-profile",
        action="store",
        default="chrome",
        help="comma-separated browser profiles for the `browser` fixture "
        "(chrome, firefox, edge, opera, firefox-android); each test runs once per profile",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "webext(profile=None, allow_errors=False): webext-runtime options for the `browser` "
        "fixture: pin the profile; allow uncaught extension errors",
    )


def _profiles(config: pytest.Config) -> list[str]:
    raw = str(config.getoption("--webext-profile") or "chrome")
    names = [p.strip() for p in raw.split(",") if p.strip()]
    for n in names:
        get_profile(n)  # a clear error listing the valid names
    return names or ["chrome"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "browser" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("webext")
    pinned = marker.kwargs.get("profile") if marker is not None else None
    profiles = [pinned] if pinned else _profiles(metafunc.config)
    metafunc.parametrize("webext_profile", profiles, indirect=True, ids=profiles)


@pytest.fixture
def webext_profile(request: pytest.FixtureRequest) -> str:
    """The profile name the `browser` fixture uses for this test."""
    return str(getattr(request, "param", "chrome"))


@pytest.fixture
def browser(request: pytest.FixtureRequest, webext_profile: str) -> Iterator[Browser]:
    """A fresh Browser for the test, closed afterwards."""
    marker = request.node.get_closest_marker("webext")
    allow_errors = bool(marker.kwargs.get("allow_errors")) if marker is not None else False
    b = Browser(profile=webext_profile)
    yield b
    b.close_sync()
    errors: list[Any] = list(getattr(b, "script_errors", []))
    if errors and not allow_errors:
        lines = "\n".join(str(e) for e in errors)
        pytest.fail(
            f"uncaught extension error(s) left at the end of the test "
            f"(mark it @pytest.mark.webext(allow_errors=True) if expected):\n{lines}",
            pytrace=False,
        )
