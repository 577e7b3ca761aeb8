"""Every browser-visible string and every Chrome/Firefox difference, with its source.

Nothing else in the package spells a browser message or branches on the browser
name: it asks the active :class:`Profile`.

Sources (cited per constant below):

* [C150] real Chromium 150.0.7871.100, ``shared/observations/chromium-150.md`` and
  ``chromium-150-external.md`` / ``chromium-150-lifecycle.md`` (measured 2026-11-26).
* [F153] real Firefox 153.7.0esr, ``shared/observations/firefox-153.md`` and
  ``firefox-153-lifecycle.md`` (measured 2026-11-26).
* Chromium source: ``extensions/common/extension_messages`` /
  ``extensions/renderer/api/messaging/messaging_util.cc`` (``kReceivingEndDoesntExistError``),
  ``extensions/renderer/api/messaging/gin_port.cc`` (disconnected-port text),
  ``extensions/renderer/bindings/api_signature.cc`` / ``argument_spec.cc`` (invocation texts).
* Firefox source: ``toolkit/components/extensions/ExtensionChild.sys.mjs`` (``Port``),
  ``Schemas.sys.mjs`` (argument texts), ``ExtensionCommon.sys.mjs``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from .errors import UsageError

# --- Shared texts ---------------------------------------------------------------------------

#: [C150 no_receiver][F153 a.] identical in both browsers; Chromium
#: ``messaging_util.cc`` kReceivingEndDoesntExistError.
NO_RECEIVER: Final = "Could not establish connection. Receiving end does not exist."

#: [C150 bfcache] Chromium ``message_service.cc``.
BFCACHE_CLOSED: Final = (
    "The page keeping the extension port is moved into back/forward cache, "
    "so the message channel is closed."
)

#: [C150 seed_mv2] what Chromium 150 says when asked to load MV2.
MV2_REFUSED: Final = "Cannot install extension because it uses an unsupported manifest version."

# --- Chrome ---------------------------------------------------------------------------------

CHROME_PORT_DISCONNECTED: Final = (
    "Attempting to use a disconnected port object"  # [C150 no_receiver]
)
CHROME_COULD_NOT_SERIALIZE: Final = "Could not serialize message."  # [C150 validation]
CHROME_MESSAGE_TOO_BIG: Final = (
    "Message exceeded maximum allowed size of 64MiB."  # [C150 validation]
)
#: Chromium ``messaging_util.cc`` kMaxMessageLength = 64 MiB; a message whose serialized
#: size exceeds it is refused [C150 validation: 60 MiB passes, 70 MiB throws].
CHROME_MAX_MESSAGE_BYTES: Final = 64 * 1024 * 1024
CHROME_INSUFFICIENT_ARGS: Final = "Insufficient number of arguments."  # [C150 validation]
CHROME_UNCHECKED_LAST_ERROR: Final = "Unchecked runtime.lastError: {message}"  # [C150 no_receiver]
CHROME_NO_RESPONSE: Final = "The message port closed before a response was received."  # [C150]
CHROME_ASYNC_RESPONSE_LOST: Final = (
    "A listener indicated an asynchronous response by returning true, but the message "
    "channel closed before a response was received"
)  # [C150 async_close]
CHROME_NON_ERROR_REJECTION: Final = (
    "A runtime.onMessage listener's promise rejected without an Error"  # [C150 reply_matrix]
)
CHROME_CONTEXT_INVALIDATED: Final = "Extension context invalidated."  # [C150 lifecycle]

#: Chromium ``api_signature.cc``: "Error in invocation of <signature>: <detail>" [C150 validation]
CHROME_INVOCATION: Final = "Error in invocation of {signature}: {detail}"
CHROME_NO_MATCHING_SIGNATURE: Final = "No matching signature."
CHROME_INVALID_EXTENSION_ID: Final = "Invalid extension id: '{id}'"  # no final period [C150]
CHROME_UNEXPECTED_PROPERTY: Final = "Error at parameter '{param}': Unexpected property: '{prop}'."
CHROME_PROPERTY_TYPE: Final = (
    "Error at parameter '{param}': Error at property '{prop}': "
    "Invalid type: expected {expected}, found {found}."
)
#: [conformance tabs_query, Chromium 156]: the choices sorted ("complete, loading, unloaded")
CHROME_PROPERTY_ENUM: Final = (
    "Error at parameter '{param}': Error at property '{prop}': Value must be one of {values}."
)
#: tabs.query's url filter, as the promise's rejection / lastError [conformance tabs_query]
CHROME_INVALID_URL_PATTERN: Final = "Invalid url pattern '{pattern}'"
CHROME_WEBPAGE_NEEDS_ID: Final = (
    "chrome.{api}() called from a webpage must specify an Extension ID (string) "
    "for its first argument."
)  # [C150 external Q3]
CHROME_SIGNATURES: Final = {
    "runtime.connect": "runtime.connect(optional string extensionId, optional object connectInfo)",
    "tabs.connect": "tabs.connect(integer tabId, optional object connectInfo)",
    "runtime.sendMessage": (
        "runtime.sendMessage(optional string extensionId, any message, "
        "optional object options, optional function callback)"
    ),
    "tabs.sendMessage": (
        "tabs.sendMessage(integer tabId, any message, optional object options, "
        "optional function callback)"
    ),
    # [conformance tabs_query, Chromium 156]
    "tabs.query": "tabs.query(object queryInfo, optional function callback)",
    # Chromium extensions/common/api/runtime.json (connectNative, sendNativeMessage)
    "runtime.connectNative": "runtime.connectNative(string application)",
    "runtime.sendNativeMessage": (
        "runtime.sendNativeMessage(string application, object message, optional function callback)"
    ),
}

# --- Firefox --------------------------------------------------------------------------------

FIREFOX_PORT_DISCONNECTED: Final = "Attempt to postMessage on disconnected port"  # [F153 a.]
FIREFOX_INCORRECT_ARGS: Final = "Incorrect argument types for {api}."  # [F153 f.] Schemas.sys.mjs
FIREFOX_PARAM_TYPE: Final = "Type error for parameter {param} ({detail}) for {api}."  # [F153 f.]
FIREFOX_EXPECTED: Final = "Error processing {prop}: Expected {expected} instead of {value}"
FIREFOX_UNEXPECTED_PROPERTY: Final = 'Unexpected property "{prop}"'
#: [conformance tabs_query, Firefox 153]
FIREFOX_ENUM: Final = "Error processing {prop}: Invalid enumeration value {value}"
FIREFOX_INVALID_URL_PATTERN: Final = "Invalid url pattern: {pattern}"
FIREFOX_FUNCTION_NOT_CLONABLE: Final = "Function object could not be cloned."  # [F153 e.]
FIREFOX_UNSUPPORTED_TYPE: Final = "unsupported type for structured data"  # [F153 e.]
FIREFOX_UNEXPECTED_ERROR: Final = "An unexpected error occurred"  # [F153]
FIREFOX_MESSAGE_MISSING: Final = "runtime.sendMessage's message argument is missing"  # [F153 f.]
FIREFOX_OPTIONS_INVALID: Final = "runtime.sendMessage's options argument is invalid"  # [F153 f.]
#: [conformance sm_args, Firefox 153]
FIREFOX_EXTID_INVALID: Final = "runtime.sendMessage's extensionId argument is invalid"
FIREFOX_TOO_MANY_ARGS: Final = "runtime.sendMessage received too many arguments"
#: Firefox ``ExtensionCommon.sys.mjs`` ``withLastError``: "Unchecked lastError value: ${error}"
#: where the error stringifies as "Error: <message>" (also in Firefox's own mochitests)
FIREFOX_UNCHECKED_LAST_ERROR: Final = "Unchecked lastError value: Error: {message}"
FIREFOX_RESPONSE_OUT_OF_SCOPE: Final = "Promised response from onMessage listener went out of scope"


@dataclass(frozen=True)
class Profile:
    """One browser's behaviour. ``family`` is ``"chrome"`` or ``"firefox"``."""

    name: str
    family: str
    #: text of the error thrown by postMessage on a disconnected port
    port_disconnected: str
    #: Chrome reports port errors through runtime.lastError during onDisconnect;
    #: Firefox through ``port.error`` (lastError stays null) [C150][F153 a.]
    error_in_last_error: bool
    #: Chrome: a receiver's explicit disconnect closes the channel for the opener only; a
    #: receiver going away only leaves. Firefox: any receiver leaving ends the port for all.
    #: [C150 fanout, fanout_close][F153 c.]
    fanout_one_port: bool
    #: Port own-keys order as JS sees it.
    port_keys: tuple[str, ...]
    #: extension URL scheme
    ext_scheme: str
    #: back/forward cache available (Chrome default on; Firefox also has bfcache but
    #: does not report a special text).
    bfcache_text: str | None
    #: sendMessage: the responder went away after promising an asynchronous answer
    async_response_lost: str
    #: console text when a callback's lastError was never read
    unchecked_last_error: str
    #: a service worker / event page stops this many seconds after its last event or port
    #: message in either direction [C150 lifecycle §1: 30001–30009 ms]; Firefox's
    #: extensions.background.idle.timeout default [F153 lifecycle]. What keeps a Firefox
    #: event page alive, from Firefox's source: runtime.onMessage, runtime.onConnect and
    #: Port.onMessage dispatched to it reset the idle timer and cancel a pending suspend
    #: (toolkit/components/extensions/test/xpcshell/test_ext_eventpage_messaging.js, each
    #: case written so that no other API call is involved); the timer starts when the page
    #: has loaded; extension API calls it makes reset it too [F153 lifecycle]; an open port
    #: alone does not. The runtime applies: every event dispatched to the background and
    #: every port message, connect or sendMessage it makes.
    idle_timeout: float = 30.0
    #: virtual delay between starting a stopped worker and dispatching the waking event. 0:
    #: the event is a timer queued behind the worker's script, so its top-level code and the
    #: tasks it queued with zero delay run first, and a listener added after >= 50 ms misses
    #: it [C150 lifecycle §2; F153 lifecycle "waking is as in Chrome"]
    wake_dispatch_delay: float = 0.0
    #: Chrome, an onMessage listener that throws (or whose promise rejects with an Error).
    #: Chromium 150 (True): the sender gets "Uncaught <Name>: <message>" and a synchronous
    #: throw answers at once [C150 reply_matrix throws, promise_reject]. Chromium 156
    #: (False): the bare message; every listener runs first, each throw is logged "Error in
    #: event handler: ...", and the first one answers unless a reply already went
    #: [conformance sm_reply_promises, sm_async_listener, sm_first_reply_wins, Chromium 156].
    #: Firefox never prefixes [F153 b.].
    chromium150_listener_errors: bool = False

    @property
    def is_chrome(self) -> bool:
        return self.family == "chrome"

    @property
    def is_firefox(self) -> bool:
        return self.family == "firefox"

    # -- argument validation texts -------------------------------------------------------

    def invocation_error(self, api: str, detail: str) -> str:
        """Chrome's prefixed text, e.g. for ``No matching signature.``"""
        return CHROME_INVOCATION.format(signature=CHROME_SIGNATURES[api], detail=detail)

    def no_matching_signature(self, api: str) -> str:
        if self.is_chrome:
            return self.invocation_error(api, CHROME_NO_MATCHING_SIGNATURE)
        return FIREFOX_INCORRECT_ARGS.format(api=api)

    def unexpected_property(self, api: str, param: str, prop: str) -> str:
        if self.is_chrome:
            return self.invocation_error(
                api, CHROME_UNEXPECTED_PROPERTY.format(param=param, prop=prop)
            )
        return FIREFOX_PARAM_TYPE.format(
            param=param, api=api, detail=FIREFOX_UNEXPECTED_PROPERTY.format(prop=prop)
        )

    def property_type(self, api: str, param: str, prop: str, expected: str, value: Any) -> str:
        if self.is_chrome:
            return self.invocation_error(
                api,
                CHROME_PROPERTY_TYPE.format(
                    param=param, prop=prop, expected=expected, found=chrome_type_name(value)
                ),
            )
        detail = FIREFOX_EXPECTED.format(
            prop=prop, expected=expected, value=firefox_value_repr(value)
        )
        return FIREFOX_PARAM_TYPE.format(param=param, api=api, detail=detail)

    def property_enum(
        self, api: str, param: str, prop: str, values: tuple[str, ...], value: Any
    ) -> str:
        if self.is_chrome:
            return self.invocation_error(
                api,
                CHROME_PROPERTY_ENUM.format(
                    param=param, prop=prop, values=", ".join(sorted(values))
                ),
            )
        detail = FIREFOX_ENUM.format(prop=prop, value=firefox_value_repr(value))
        return FIREFOX_PARAM_TYPE.format(param=param, api=api, detail=detail)

    def invalid_url_pattern(self, pattern: str) -> str:
        if self.is_chrome:
            return CHROME_INVALID_URL_PATTERN.format(pattern=pattern)
        return FIREFOX_INVALID_URL_PATTERN.format(pattern=pattern)

    def invalid_extension_id(self, api: str, ext_id: str) -> str:
        return self.invocation_error(api, CHROME_INVALID_EXTENSION_ID.format(id=ext_id))


def chrome_type_name(value: Any) -> str:
    """The type word Chromium's argument_spec.cc prints after ``found``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if callable(value):
        return "function"
    if type(value).__name__ == "JSSymbolMarker":
        return "other"  # [conformance port_name_edges, Chromium 156]
    return "object"


def firefox_value_repr(value: Any) -> str:
    """How Firefox's Schemas.sys.mjs shows a rejected value: ``JSON.stringify(value)``
    (``Type.normalizeBase``: "Expected ${type} instead of ${JSON.stringify(value)}")."""

    def norm(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            return None
        if isinstance(v, (list, tuple)):
            return [norm(x) for x in v]
        if isinstance(v, dict):
            return {str(k): norm(x) for k, x in v.items()}
        if callable(v):
            return None
        return v

    if type(value).__name__ == "JSSymbolMarker":
        return "undefined"  # JSON.stringify(Symbol()) [conformance port_name_edges]

    try:
        return json.dumps(norm(value), separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return "{}"


#: Chromium as of the goldens (156, Debian's package); every [C150] fact still holds there
#: except the onMessage listener-error text (CHROME_150 below keeps 150's)
CHROME: Final = Profile(
    name="chrome",
    family="chrome",
    port_disconnected=CHROME_PORT_DISCONNECTED,
    error_in_last_error=True,
    fanout_one_port=False,
    # [C150 shapes] own properties in order
    port_keys=("sender", "onMessage", "onDisconnect", "name", "disconnect", "postMessage"),
    ext_scheme="chrome-extension",
    bfcache_text=BFCACHE_CLOSED,
    async_response_lost=CHROME_ASYNC_RESPONSE_LOST,
    unchecked_last_error=CHROME_UNCHECKED_LAST_ERROR,
)

#: Chromium 150 as recorded in shared/observations/chromium-150.md: differs from 156 only
#: in how an onMessage listener's error reaches the sender (see chromium150_listener_errors)
CHROME_150: Final = Profile(
    **{
        **CHROME.__dict__,
        "name": "chrome-150",
        "chromium150_listener_errors": True,
    }
)

FIREFOX: Final = Profile(
    name="firefox",
    family="firefox",
    port_disconnected=FIREFOX_PORT_DISCONNECTED,
    error_in_last_error=False,
    fanout_one_port=True,
    # [F153 a.] own properties in order
    port_keys=("name", "sender", "error", "onMessage", "onDisconnect", "postMessage", "disconnect"),
    ext_scheme="moz-extension",
    bfcache_text=None,
    async_response_lost=FIREFOX_RESPONSE_OUT_OF_SCOPE,
    unchecked_last_error=FIREFOX_UNCHECKED_LAST_ERROR,
)

#: Edge and Opera are Chromium; Firefox for Android shares Firefox's extension code
#: (SEMANTICS.md §7).
_ALIASES: Final = {
    "chrome": CHROME,
    "chromium": CHROME,
    "chrome-150": CHROME_150,
    "edge": CHROME,
    "opera": CHROME,
    "firefox": FIREFOX,
    "firefox-android": FIREFOX,
}

PROFILE_NAMES: Final = tuple(_ALIASES)


def get_profile(name: str | Profile) -> Profile:
    """Resolve a profile name or alias; unknown names list the valid ones."""
    if isinstance(name, Profile):
        return name
    if not isinstance(name, str):
        raise UsageError(f"profile must be a string, not {type(name).__name__}")
    key = name.strip().lower()
    if key in _ALIASES:
        base = _ALIASES[key]
        if key == base.name:
            return base
        return Profile(**{**base.__dict__, "name": key})
    raise UsageError(
        f"unknown profile {name!r}; valid profiles: " + ", ".join(repr(n) for n in PROFILE_NAMES)
    )
