"""Argument validation for the messaging APIs, with each profile's exact texts.

Used by the Python API (snake_case keyword names mapped back to the browser's camelCase
property names by the one naming rule) and by the JS shims (which pass the browser's own
names). Rules from [C150 validation] and [F153 f.]; texts from :mod:`.profiles`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import ExtensionAPIError, ExtensionTypeError
from .extid import is_valid_chrome_id
from .profiles import CHROME_WEBPAGE_NEEDS_ID, Profile
from .profiles import FIREFOX_EXTID_INVALID as P_FIREFOX_EXTID_INVALID
from .profiles import FIREFOX_MESSAGE_MISSING as P_FIREFOX_MESSAGE_MISSING
from .profiles import FIREFOX_OPTIONS_INVALID as P_FIREFOX_OPTIONS_INVALID
from .profiles import FIREFOX_TOO_MANY_ARGS as P_FIREFOX_TOO_MANY

_SNAKE_PART = re.compile(r"_([a-z0-9])")


def camel(name: str) -> str:
    """snake_case → camelCase (inverse of the naming rule)."""
    return _SNAKE_PART.sub(lambda mt: mt.group(1).upper(), name)


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


ABSENT: Any = _Absent()


def _fail(profile: Profile, text: str) -> ExtensionAPIError:
    # Chrome throws TypeError; Firefox a plain Error [F153 f.]. The Python API always raises
    # a TypeError subclass (ExtensionTypeError) and keeps the JS name for the shims.
    return ExtensionTypeError(text, js_name="TypeError" if profile.is_chrome else "Error")


def _is_int(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return True
    return isinstance(v, float) and v.is_integer()


@dataclass(frozen=True)
class ConnectArgs:
    ext_id: str | None
    name: str
    include_tls_channel_id: bool


@dataclass(frozen=True)
class TabsConnectArgs:
    tab_id: int
    name: str
    frame_id: int | None
    document_id: str | None


def _check_info(
    profile: Profile, api: str, info: dict[str, Any], spec: dict[str, str]
) -> dict[str, Any]:
    """Check a ``connectInfo`` object against ``{jsName: type}``."""
    return _check_info_param(profile, api, "connectInfo", info, spec)


def connect_args(
    profile: Profile, args: tuple[Any, ...], *, from_web_page: bool = False
) -> ConnectArgs:
    """``runtime.connect(optional string extensionId, optional object connectInfo)``.

    ``args`` are the positional values as JS passed them (``ABSENT`` for undefined,
    ``None`` for null; trailing absent values may be omitted).
    """
    api = "runtime.connect"
    vals = list(args)
    while vals and vals[-1] is ABSENT:
        vals.pop()
    if len(vals) > 2:
        raise _fail(profile, profile.no_matching_signature(api))
    ext_id: Any = None
    info: Any = None
    if len(vals) == 2:
        ext_id, info = vals
        if not (ext_id is None or ext_id is ABSENT or isinstance(ext_id, str)):
            raise _fail(profile, profile.no_matching_signature(api))
        if not (info is None or info is ABSENT or isinstance(info, dict)):
            raise _fail(profile, profile.no_matching_signature(api))
    elif len(vals) == 1:
        v = vals[0]
        if isinstance(v, dict):
            info = v
        elif v is None or v is ABSENT or isinstance(v, str):
            ext_id = v
        else:
            raise _fail(profile, profile.no_matching_signature(api))
    if ext_id is ABSENT:
        ext_id = None
    spec = {"name": "string", "includeTlsChannelId": "boolean"}
    checked = _check_info(profile, api, info or {}, spec)
    if from_web_page and ext_id is None:
        raise _fail(
            profile,
            profile.invocation_error(api, CHROME_WEBPAGE_NEEDS_ID.format(api="runtime.connect")),
        )
    if ext_id is not None and profile.is_chrome and not is_valid_chrome_id(ext_id):
        raise _fail(profile, profile.invalid_extension_id(api, ext_id))
    return ConnectArgs(ext_id, checked.get("name", ""), bool(checked.get("includeTlsChannelId")))


def tabs_connect_args(profile: Profile, args: tuple[Any, ...]) -> TabsConnectArgs:
    """``tabs.connect(integer tabId, optional object connectInfo)``."""
    api = "tabs.connect"
    vals = list(args)
    while vals and vals[-1] is ABSENT:
        vals.pop()
    if not vals or len(vals) > 2 or not _is_int(vals[0]):
        raise _fail(profile, profile.no_matching_signature(api))
    info = vals[1] if len(vals) == 2 else None
    if not (info is None or info is ABSENT or isinstance(info, dict)):
        raise _fail(profile, profile.no_matching_signature(api))
    spec = {"name": "string", "frameId": "integer", "documentId": "string"}
    checked = _check_info(profile, api, info or {}, spec)
    return TabsConnectArgs(
        int(vals[0]), checked.get("name", ""), checked.get("frameId"), checked.get("documentId")
    )


def python_info(kwargs: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """Python keyword arguments → a JS options object (naming rule); defaults left out."""
    info: dict[str, Any] = {}
    for k, v in kwargs.items():
        if k in defaults and v is defaults[k]:
            continue
        info[camel(k)] = v
    return info


def with_info(obj: Any, info: dict[str, Any]) -> Any:
    """A positional options argument with the keyword options (``python_info``) merged in:
    ``obj`` as it is when there are none, or when it is no object (the validator then names
    it)."""
    if not info or not (obj is ABSENT or isinstance(obj, dict)):
        return obj
    return {**(obj if isinstance(obj, dict) else {}), **info}


@dataclass(frozen=True)
class SendArgs:
    """A normalised ``runtime.sendMessage`` / ``tabs.sendMessage`` call."""

    message_index: int
    ext_id: str | None = None
    tab_id: int | None = None
    frame_id: int | None = None
    document_id: str | None = None


class RejectedCall(ExtensionAPIError):
    """Firefox reports these argument problems as a rejected promise, not a throw [F153 f.]."""


def _is_object(v: Any) -> bool:
    return isinstance(v, dict)


def send_message_args(
    profile: Profile, args: tuple[Any, ...], *, from_web_page: bool = False
) -> SendArgs:
    """``runtime.sendMessage(optional string extensionId, any message, optional object
    options)`` after the trailing callback was taken off.

    Normalisation [C150 validation][F153 b., misc]: one argument is the message; two are
    ``(extensionId, message)`` unless the first is not a string and the second is an
    object (then ``(message, options)``); three are ``(extensionId, message, options)``.
    """
    api = "runtime.sendMessage"
    vals = list(args)
    n = len(vals)
    if profile.is_firefox:
        return _firefox_send_message_args(vals)
    if n == 0:
        if profile.is_firefox:
            raise RejectedCall(P_FIREFOX_MESSAGE_MISSING)
        raise _fail(profile, profile.no_matching_signature(api))
    if n > 3:
        if profile.is_firefox:
            raise RejectedCall(P_FIREFOX_OPTIONS_INVALID)
        raise _fail(profile, profile.no_matching_signature(api))
    ext_id: Any = None
    options: Any = None
    if n == 1:
        index = 0
    elif n == 2:
        first, second = vals
        if not (first is None or first is ABSENT or isinstance(first, str)) and (
            _is_object(second) or second is None or second is ABSENT
        ):
            index, options = 0, second
        else:
            ext_id, index = first, 1
    else:
        ext_id, index, options = vals[0], 1, vals[2]
    if ext_id is ABSENT:
        ext_id = None
    if ext_id is not None and not isinstance(ext_id, str):
        raise _fail(profile, profile.no_matching_signature(api))
    if not (options is None or options is ABSENT or _is_object(options)):
        if profile.is_firefox:
            raise RejectedCall(P_FIREFOX_OPTIONS_INVALID)
        raise _fail(profile, profile.no_matching_signature(api))
    if isinstance(options, dict) and profile.is_chrome:
        _check_info_param(profile, api, "options", options, {"includeTlsChannelId": "boolean"})
    if from_web_page and ext_id is None:
        raise _fail(
            profile,
            profile.invocation_error(
                api, CHROME_WEBPAGE_NEEDS_ID.format(api="runtime.sendMessage")
            ),
        )
    if ext_id is not None and profile.is_chrome and not is_valid_chrome_id(ext_id):
        raise _fail(profile, profile.invalid_extension_id(api, ext_id))
    return SendArgs(index, ext_id=ext_id)


def tabs_send_message_args(profile: Profile, args: tuple[Any, ...]) -> SendArgs:
    """``tabs.sendMessage(integer tabId, any message, optional object options)``."""
    api = "tabs.sendMessage"
    vals = list(args)
    if len(vals) < 2 or len(vals) > 3 or not _is_int(vals[0]):
        raise _fail(profile, profile.no_matching_signature(api))
    options = vals[2] if len(vals) == 3 else None
    if not (options is None or options is ABSENT or _is_object(options)):
        raise _fail(profile, profile.no_matching_signature(api))
    checked = _check_info_param(
        profile, api, "options", options or {}, {"frameId": "integer", "documentId": "string"}
    )
    return SendArgs(
        1,
        tab_id=int(vals[0]),
        frame_id=checked.get("frameId"),
        document_id=checked.get("documentId"),
    )


def _check_info_param(
    profile: Profile, api: str, param: str, info: dict[str, Any], spec: dict[str, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, kind in spec.items():
        if key not in info or info[key] is None or info[key] is ABSENT:
            continue
        v = info[key]
        ok = (
            isinstance(v, str)
            if kind == "string"
            else isinstance(v, bool)
            if kind == "boolean"
            else _is_int(v)
        )
        if not ok:
            raise _fail(profile, profile.property_type(api, param, key, kind, v))
        out[key] = int(v) if kind == "integer" else v
    for key in info:
        if key not in spec:
            raise _fail(profile, profile.unexpected_property(api, param, key))
    return out


def _firefox_send_message_args(vals: list[Any]) -> SendArgs:
    """Firefox's own normalisation; every problem is a rejection, never a throw
    [F153 f.; conformance sm_args, Firefox 153]: two arguments are ``(message, options)``
    when the second looks like options (null, or an object with no property but
    ``includeTlsChannelId``: ``('m', {})`` delivers 'm'), else ``(extensionId, message)``
    (``('m', {foo: 1})`` is sent to extension 'm'); four are
    ``(extensionId, message, options, <not a function>)``; five or more are too many. The
    options are checked before the id; an options object with any property is refused."""
    n = len(vals)
    if n == 0:
        raise RejectedCall(P_FIREFOX_MESSAGE_MISSING)
    if n >= 5:
        raise RejectedCall(P_FIREFOX_TOO_MANY)
    ext_id: Any = None
    options: Any = None
    if n == 1:
        index = 0
    elif n == 2:
        second = vals[1]
        if (
            second is None
            or second is ABSENT
            or (_is_object(second) and set(second) <= {"includeTlsChannelId"})
        ):
            index, options = 0, second
        else:
            ext_id, index = vals[0], 1
    else:
        ext_id, index, options = vals[0], 1, vals[2]
    if not (
        options is None
        or options is ABSENT
        or (_is_object(options) and "includeTlsChannelId" not in options)
    ):
        raise RejectedCall(P_FIREFOX_OPTIONS_INVALID)
    if ext_id is ABSENT:
        ext_id = None
    if ext_id is not None and not isinstance(ext_id, str):
        raise RejectedCall(P_FIREFOX_EXTID_INVALID)
    return SendArgs(index, ext_id=ext_id)


#: tabs.query's queryInfo: property -> type ("boolean", "integer", "string", "url", or the
#: values of an enumeration), per family (Chromium tabs.json; Firefox tabs.json)
_QUERY_COMMON: dict[str, Any] = {
    "active": "boolean",
    "pinned": "boolean",
    "audible": "boolean",
    "muted": "boolean",
    "highlighted": "boolean",
    "discarded": "boolean",
    "autoDiscardable": "boolean",
    "currentWindow": "boolean",
    "lastFocusedWindow": "boolean",
    "status": ("unloaded", "loading", "complete"),
    "title": "string",
    "url": "url",
    "windowId": "integer",
    "windowType": ("normal", "popup", "panel", "app", "devtools"),
    "index": "integer",
}
QUERY_INFO: dict[str, dict[str, Any]] = {
    "chrome": {
        **_QUERY_COMMON,
        "frozen": "boolean",
        "groupId": "integer",
        "splitViewId": "integer",
    },
    "firefox": {
        **_QUERY_COMMON,
        "hidden": "boolean",
        "attention": "boolean",
        "cookieStoreId": "string",
        "openerTabId": "integer",
        "isArticle": "boolean",
        "isInReaderMode": "boolean",
        "camera": "boolean",
        "microphone": "boolean",
        "screen": "boolean",
    },
}


def tabs_query_args(profile: Profile, args: tuple[Any, ...]) -> dict[str, Any]:
    """``tabs.query(object queryInfo, optional function callback)`` (the callback already
    taken off): the checked ``queryInfo``, ``url`` as a list of patterns."""
    api = "tabs.query"
    param = "queryInfo"
    vals = list(args)
    while vals and vals[-1] is ABSENT:
        vals.pop()
    if len(vals) != 1 or not isinstance(vals[0], dict):
        raise _fail(profile, profile.no_matching_signature(api))
    info: dict[str, Any] = vals[0]
    spec = QUERY_INFO["chrome" if profile.is_chrome else "firefox"]
    for key in info:
        if key not in spec:
            raise _fail(profile, profile.unexpected_property(api, param, key))
    out: dict[str, Any] = {}
    for key, kind in spec.items():
        v = info.get(key, ABSENT)
        if v is None or v is ABSENT:
            continue
        if isinstance(kind, tuple):
            if not isinstance(v, str):
                raise _fail(profile, profile.property_type(api, param, key, "string", v))
            if v not in kind:
                raise _fail(profile, profile.property_enum(api, param, key, kind, v))
            out[key] = v
        elif kind == "url":
            if isinstance(v, str):
                out[key] = [v]
            elif isinstance(v, list) and all(isinstance(x, str) for x in v):
                out[key] = list(v)
            else:
                raise _fail(profile, profile.property_type(api, param, key, "array", v))
        else:
            out.update(_check_info_param(profile, api, param, {key: v}, {key: kind}))
    return out
