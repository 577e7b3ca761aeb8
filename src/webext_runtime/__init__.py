"""webext-runtime: a headless WebExtensions runtime for Python.

Run and test extension messaging — ``runtime.connect``, ``runtime.Port``,
``runtime.onConnect`` / ``onConnectExternal``, ``tabs.connect``, ``sendMessage``,
``connectNative`` — exactly as Chromium and Firefox behave, on a virtual clock. See
``Browser``.

Names are imported lazily so that ``webext_runtime.native`` (used by native messaging
hosts, which start once per message) loads without the runtime.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "Browser": "._api.browser",
    "Extension": "._api.browser",
    "Tab": "._api.browser",
    "Context": "._api.context",
    "NamespaceUnavailableError": "._api.context",
    "RuntimeNamespace": "._api.context",
    "TabsNamespace": "._api.context",
    "ExtensionAPIError": "._core.errors",
    "ExtensionScriptError": "._core.errors",
    "ExtensionTypeError": "._core.errors",
    "ManifestError": "._core.errors",
    "MessagingError": "._core.errors",
    "SerializationError": "._core.errors",
    "SettleTimeoutError": "._core.errors",
    "UsageError": "._core.errors",
    "WebExtRuntimeError": "._core.errors",
    "PROFILE_NAMES": "._core.profiles",
    "Profile": "._core.profiles",
    "get_profile": "._core.profiles",
    "MessageSender": "._core.sender",
    "TabInfo": "._core.sender",
    "UNDEFINED": "._core.serialize",
    "ConsoleMessage": "._driver.driver",
    "Event": "._driver.events",
    "JSError": "._bridge.engine",
    "LastError": "._driver.pyhost",
    "Port": "._driver.pyhost",
}

__all__ = [
    "PROFILE_NAMES",
    "UNDEFINED",
    "Browser",
    "ConsoleMessage",
    "Context",
    "Event",
    "Extension",
    "ExtensionAPIError",
    "ExtensionScriptError",
    "ExtensionTypeError",
    "JSError",
    "LastError",
    "ManifestError",
    "MessageSender",
    "MessagingError",
    "NamespaceUnavailableError",
    "Port",
    "Profile",
    "RuntimeNamespace",
    "SerializationError",
    "SettleTimeoutError",
    "Tab",
    "TabInfo",
    "TabsNamespace",
    "UsageError",
    "WebExtRuntimeError",
    "__version__",
    "get_profile",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'webext_runtime' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from ._api.browser import Browser, Extension, Tab
    from ._api.context import (
        Context,
        NamespaceUnavailableError,
        RuntimeNamespace,
        TabsNamespace,
    )
    from ._bridge.engine import JSError
    from ._core.errors import (
        ExtensionAPIError,
        ExtensionScriptError,
        ExtensionTypeError,
        ManifestError,
        MessagingError,
        SerializationError,
        SettleTimeoutError,
        UsageError,
        WebExtRuntimeError,
    )
    from ._core.profiles import PROFILE_NAMES, Profile, get_profile
    from ._core.sender import MessageSender, TabInfo
    from ._core.serialize import UNDEFINED
    from ._driver.driver import ConsoleMessage
    from ._driver.events import Event
    from ._driver.pyhost import LastError, Port
