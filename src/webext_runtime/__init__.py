"""webext-runtime: a headless WebExtensions runtime for Python.

Run and test extension messaging — ``runtime.connect``, ``runtime.Port``,
``runtime.onConnect`` / ``onConnectExternal``, ``tabs.connect`` — exactly as Chromium and
Firefox behave, on a virtual clock. See ``Browser``.
"""

from ._api.browser import Browser, Extension, Tab
from ._api.context import Context, NamespaceUnavailableError, RuntimeNamespace, TabsNamespace
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

__version__ = "0.1.0"

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
