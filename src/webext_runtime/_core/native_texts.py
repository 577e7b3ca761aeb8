"""Native messaging: browser-visible texts and pure host-manifest logic (sans-IO).

Texts here are not yet in :mod:`profiles`; the lead merges them there later. Sources:

* [C150n] real Chromium 150, ``shared/observations/native-messaging.md`` (measured 2026-11-26).
* [F153n] real Firefox 153 ESR, same file.
* Chromium source: ``chrome/browser/extensions/api/messaging/native_messaging_host_manifest.cc``
  (``IsValidName``, ``Parse``), ``native_process_launcher.cc`` (lookup order, relative path,
  argv), ``native_message_process_host.cc`` (1 MiB limit, ``base::EnsureProcessTerminated``:
  SIGKILL 2 s after close on POSIX).
* Firefox source: ``toolkit/components/extensions/NativeManifests.sys.mjs`` (lookup,
  ``parseManifest``), ``NativeMessaging.sys.mjs`` (argv, stderr, ``GRACEFUL_SHUTDOWN_TIME``),
  ``schemas/native_manifest.json`` (name pattern, ``allowed_extensions``).

Nothing here reads files, the environment or the clock: callers pass file contents and an
``exists`` predicate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from .errors import ManifestError
from .profiles import FIREFOX_PARAM_TYPE, FIREFOX_UNEXPECTED_ERROR

Family = Literal["chrome", "firefox"]

# --- Texts ----------------------------------------------------------------------------------

#: [C150n §0, §3, Extras] unknown host, unreadable/invalid manifest, name mismatch, relative
#: or missing ``path``.
CHROME_NATIVE_NOT_FOUND: Final = "Specified native messaging host not found."
#: [C150n §4] extension origin not in ``allowed_origins``.
CHROME_NATIVE_FORBIDDEN: Final = "Access to the specified native messaging host is forbidden."
#: [C150n §9] name fails ``IsValidName`` (reported asynchronously, never thrown).
CHROME_NATIVE_INVALID_NAME: Final = "Invalid native messaging host name specified."
#: [C150n §6] host exited or crashed (any exit code), port or sendNativeMessage.
CHROME_NATIVE_EXITED: Final = "Native host has exited."
#: [C150n §7] host sent a message over 1 MiB.
CHROME_NATIVE_IO_ERROR: Final = "Error when communicating with the native messaging host."
#: [C150n §7] invalid JSON as the reply to ``sendNativeMessage`` (on a port it is dropped).
CHROME_NATIVE_INVALID_JSON: Final = "The sender sent an invalid JSON message; message ignored."
#: [C150n §7] what Chromium writes to its own stderr (after its ``[pid:tid:time:ERROR:...]``
#: prefix) when a host message is over the limit.
CHROME_NATIVE_TOO_BIG_LOG: Final = (
    "Native Messaging host tried sending a message that is {size} bytes long."
)

#: [F153n §3, §4, Extras] unknown, not allowed, name mismatch, relative path, bad manifest.
FIREFOX_NO_SUCH_APP: Final = "No such native application {name}"
#: [F153n §9] thrown synchronously; ``detail`` of :data:`profiles.FIREFOX_PARAM_TYPE`.
#: Schemas.sys.mjs prints the value with ``JSON.stringify``.
FIREFOX_NATIVE_NAME_DETAIL: Final = "String {quoted} must match /^\\w+(\\.\\w+)*$/"
#: [F153n §7] host message over 1 MiB.
FIREFOX_NATIVE_TOO_BIG: Final = (
    "Native application tried to send a message of {size} bytes, "
    "which exceeds the limit of 1048576 bytes."
)
#: [F153n §3, §6, §7, §10] already in profiles; re-exported for this module's users.
FIREFOX_NATIVE_UNEXPECTED: Final = FIREFOX_UNEXPECTED_ERROR
#: [F153n §1] NativeMessaging.sys.mjs: ``"stderr output from native app " + app + ": " + line``
#: to the Browser Console (source, not observed).
FIREFOX_NATIVE_STDERR: Final = "stderr output from native app {name}: {line}"
#: [F153n §4] Browser Console only (source, not observed).
FIREFOX_NATIVE_NOT_ALLOWED_LOG: Final = (
    "This extension does not have permission to use native manifest {path}"
)

#: [C150n §7][F153n §7] largest host → browser message both accept (exactly 1 MiB passes).
NATIVE_MAX_HOST_MESSAGE_BYTES: Final = 1024 * 1024

#: Chromium ``base::EnsureProcessTerminated`` (POSIX): SIGKILL 2 s after the host is closed, no
#: SIGTERM [C150n §8: killed ~1.97 s after stdin EOF].
CHROME_KILL_AFTER_S: Final = 2.0
#: Firefox ``GRACEFUL_SHUTDOWN_TIME = 3000`` then ``proc.kill(3000)`` [F153n §8: SIGTERM +3.0 s,
#: SIGKILL ~3 s later].
FIREFOX_TERM_AFTER_S: Final = 3.0
FIREFOX_KILL_AFTER_TERM_S: Final = 3.0


def firefox_bad_name_text(name: str, api: str = "runtime.connectNative") -> str:
    """The synchronous Firefox error for a host name failing ``/^\\w+(\\.\\w+)*$/`` [F153n §9].

    ``api`` is ``runtime.connectNative`` or ``runtime.sendNativeMessage``.
    """
    quoted = json.dumps(name, ensure_ascii=False)
    detail = FIREFOX_NATIVE_NAME_DETAIL.format(quoted=quoted)
    return FIREFOX_PARAM_TYPE.format(param="application", detail=detail, api=api)


def firefox_stderr_line(name: str, line: str) -> str:
    """The Browser Console line Firefox logs for one line of host stderr."""
    return FIREFOX_NATIVE_STDERR.format(name=name, line=line)


# --- Outcomes → texts ----------------------------------------------------------------------

Outcome = Literal[
    "invalid_name",  # name fails the family's rule
    "not_found",  # no (valid, matching) manifest
    "forbidden",  # manifest found, extension not allowed
    "missing_executable",  # manifest fine, its ``path`` does not exist / cannot be spawned
    "exited",  # host process ended (stdout EOF)
    "invalid_json",  # host sent a frame that is not JSON
    "empty_frame",  # host sent a zero-length frame
    "too_big",  # host sent a length prefix over 1 MiB
]


@dataclass(frozen=True)
class NativeError:
    """How one browser reports an outcome.

    ``text`` None means no error text (Firefox's clean disconnect: ``port.error`` null);
    ``ends`` False means the event is ignored and the port stays open; ``throws`` True means
    the text is thrown synchronously from the API call (Firefox bad names).
    """

    text: str | None
    ends: bool = True
    throws: bool = False


def native_error(
    outcome: Outcome,
    family: Family,
    *,
    name: str = "",
    one_shot: bool = False,
    size: int = 0,
) -> NativeError:
    """The text and effect of ``outcome`` on a port (``one_shot`` False) or on
    ``sendNativeMessage`` (``one_shot`` True: the rejection / ``lastError`` text).

    Measured [C150n][F153n] except where marked inferred.
    """
    chrome = family == "chrome"
    if outcome == "invalid_name":
        if chrome:
            return NativeError(CHROME_NATIVE_INVALID_NAME)
        api = "runtime.sendNativeMessage" if one_shot else "runtime.connectNative"
        return NativeError(firefox_bad_name_text(name, api), throws=True)
    if outcome == "not_found":
        return NativeError(
            CHROME_NATIVE_NOT_FOUND if chrome else FIREFOX_NO_SUCH_APP.format(name=name)
        )
    if outcome == "forbidden":
        return NativeError(
            CHROME_NATIVE_FORBIDDEN if chrome else FIREFOX_NO_SUCH_APP.format(name=name)
        )
    if outcome == "missing_executable":
        return NativeError(CHROME_NATIVE_NOT_FOUND if chrome else FIREFOX_NATIVE_UNEXPECTED)
    if outcome == "exited":
        if chrome:
            return NativeError(CHROME_NATIVE_EXITED)
        return NativeError(FIREFOX_NATIVE_UNEXPECTED if one_shot else None)
    if outcome == "invalid_json":
        if chrome:
            return NativeError(CHROME_NATIVE_INVALID_JSON) if one_shot else NativeError(None, False)
        return NativeError(FIREFOX_NATIVE_UNEXPECTED)
    if outcome == "empty_frame":
        if chrome:
            # Port: measured (ignored). One-shot: inferred — Chromium hands the empty string to
            # the JSON parser like any other payload, so it fails like invalid JSON.
            return NativeError(CHROME_NATIVE_INVALID_JSON) if one_shot else NativeError(None, False)
        return NativeError(FIREFOX_NATIVE_UNEXPECTED)  # one-shot: inferred
    if outcome == "too_big":
        # Port measured in both; one-shot inferred to be the same text.
        if chrome:
            return NativeError(CHROME_NATIVE_IO_ERROR)
        return NativeError(FIREFOX_NATIVE_TOO_BIG.format(size=size))
    raise ValueError(f"unknown native outcome {outcome!r}")


# --- Host names -----------------------------------------------------------------------------

#: Chromium ``IsValidName``: only ``[a-z0-9._]``, no leading/trailing/double dot.
_CHROME_NAME = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*\Z")
#: Firefox ``/^\w+(\.\w+)*$/`` — JS ``\w`` is ASCII only.
_FIREFOX_NAME = re.compile(r"\w+(?:\.\w+)*\Z", re.ASCII)
#: Firefox ``extensionTypes.ExtensionID`` (GUID or ``something@domain``), case-insensitive.
_FIREFOX_EXT_ID = re.compile(
    r"(?:\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}"
    r"|[a-z0-9-._]*@[a-z0-9-._]+)\Z",
    re.IGNORECASE,
)


def valid_host_name(name: str, family: Family) -> bool:
    """Whether ``name`` is an acceptable native host name for ``family``.

    Chrome: lower-case ``[a-z0-9_]`` words joined by single dots (``Com.Test`` is invalid).
    Firefox: ``^\\w+(\\.\\w+)*$`` with ASCII ``\\w`` (upper case allowed).
    """
    pattern = _CHROME_NAME if family == "chrome" else _FIREFOX_NAME
    return isinstance(name, str) and pattern.match(name) is not None


# --- Host manifests -------------------------------------------------------------------------


@dataclass(frozen=True)
class HostManifest:
    """A parsed native messaging host manifest (``file`` is where it was read from)."""

    name: str
    description: str
    path: str
    type: str
    file: str
    allowed_origins: tuple[str, ...] = ()
    allowed_extensions: tuple[str, ...] = ()

    @property
    def path_is_absolute(self) -> bool:
        return Path(self.path).is_absolute()


def _reject_constant(token: str) -> Any:
    raise ValueError(f"invalid JSON token {token}")


def _chrome_origin_pattern(pattern: str) -> str | None:
    """Problem with one ``allowed_origins`` entry (URLPattern, SCHEME_EXTENSION), or None."""
    prefix = "chrome-extension://"
    if not pattern.startswith(prefix):
        return f'Failed to parse pattern "{pattern}": Invalid scheme.'
    rest = pattern[len(prefix) :]
    host, sep, _path = rest.partition("/")
    if not sep:
        return f'Failed to parse pattern "{pattern}": Missing path separator.'
    if host == "" or host == "*" or host.startswith("*."):
        return f'Pattern "{pattern}" is not allowed.'
    if "*" in host:
        return f'Failed to parse pattern "{pattern}": Invalid host wildcard.'
    return None


def _origin_matches(pattern: str, origin: str) -> bool:
    """URLPattern match of an extension origin ``chrome-extension://ID/`` (``*`` in the path
    matches anything; the host must be exact)."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, origin) is not None


def parse_host_manifest(text: str, path: Path | str, family: Family) -> HostManifest:
    """Parse and validate a host manifest's ``text`` read from ``path``.

    Raises :class:`ManifestError` (a ``ValueError``) the way each browser refuses the file;
    both browsers then report the host as not found. Checks: JSON object; ``name`` valid for
    the family; ``description`` a string (Chrome: non-empty); ``type`` ``"stdio"``; ``path`` a
    non-empty string; Chrome ``allowed_origins`` a list of ``chrome-extension://ID/`` patterns
    (no wildcard hosts); Firefox ``allowed_extensions`` a non-empty list of add-on ids.
    A relative ``path`` is *not* rejected here: Chromium checks it only after the allow list
    (see :func:`resolve_host`).
    """
    file = str(path)
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        raise ManifestError(file, "", f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ManifestError(file, "", "Invalid manifest file.")
    chrome = family == "chrome"

    name = data.get("name")
    if not isinstance(name, str) or not valid_host_name(name, family):
        raise ManifestError(file, "name", "Invalid value for name.")
    description = data.get("description")
    if not isinstance(description, str) or (chrome and not description):
        raise ManifestError(file, "description", "Invalid value for description.")
    host_type = data.get("type")
    if host_type != "stdio":
        raise ManifestError(file, "type", "Invalid value for type.")
    host_path = data.get("path")
    if not isinstance(host_path, str) or not host_path:
        raise ManifestError(file, "path", "Invalid value for path.")

    if chrome:
        origins = data.get("allowed_origins")
        if not isinstance(origins, list):
            raise ManifestError(
                file,
                "allowed_origins",
                "Invalid value for allowed_origins. Expected a list of strings.",
            )
        for entry in origins:
            if not isinstance(entry, str):
                raise ManifestError(
                    file, "allowed_origins", "allowed_origins must be list of strings."
                )
            problem = _chrome_origin_pattern(entry)
            if problem:
                raise ManifestError(file, "allowed_origins", problem)
        return HostManifest(
            name, description, host_path, host_type, file, allowed_origins=tuple(origins)
        )

    exts = data.get("allowed_extensions")
    if not isinstance(exts, list) or not exts:
        raise ManifestError(
            file, "allowed_extensions", "Expected a non-empty array of extension ids."
        )
    for entry in exts:
        if not isinstance(entry, str) or not _FIREFOX_EXT_ID.match(entry):
            raise ManifestError(file, "allowed_extensions", f"Invalid extension id {entry!r}.")
    return HostManifest(
        name, description, host_path, host_type, file, allowed_extensions=tuple(exts)
    )


def chrome_origin(ext_id: str) -> str:
    """The origin Chrome passes and matches: ``chrome-extension://ID/``."""
    return f"chrome-extension://{ext_id}/"


def host_allows(manifest: HostManifest, ext_id: str, family: Family) -> bool:
    """Whether the manifest's allow list admits the extension."""
    if family == "chrome":
        origin = chrome_origin(ext_id)
        return any(_origin_matches(p, origin) for p in manifest.allowed_origins)
    return ext_id in manifest.allowed_extensions


def host_argv(
    manifest: HostManifest, manifest_path: Path | str, ext_id: str, family: Family
) -> list[str]:
    """The host's argv [C150n §1][F153n §1]: Chrome ``[path, "chrome-extension://ID/"]``;
    Firefox ``[path, <manifest file path>, <add-on id>]``."""
    if family == "chrome":
        return [manifest.path, chrome_origin(ext_id)]
    return [manifest.path, str(manifest_path), ext_id]


def host_cwd(manifest: HostManifest) -> str:
    """Both browsers start the host in the directory of its executable [C150n §1][F153n §1]."""
    return str(Path(manifest.path).parent)


def find_host_manifest(
    name: str,
    dirs: Sequence[Path],
    registered: Mapping[str, Path],
    exists: Callable[[Path], bool] = Path.is_file,
) -> Path | None:
    """The first existing ``<dir>/<name>.json``; a manifest registered for ``name`` (Windows
    registry style, or registered through the Python API) is tried first."""
    candidates = _candidates(name, dirs, registered)
    return next((p for p in candidates if exists(p)), None)


def _candidates(name: str, dirs: Sequence[Path], registered: Mapping[str, Path]) -> list[Path]:
    out: list[Path] = []
    if name in registered:
        out.append(Path(registered[name]))
    out += [Path(d) / f"{name}.json" for d in dirs]
    return out


@dataclass(frozen=True)
class HostResolution:
    """Result of :func:`resolve_host`: ``outcome`` ``"ok"`` with argv/cwd, or an
    :data:`Outcome` to pass to :func:`native_error`. ``log`` is a browser-log-only detail."""

    outcome: Literal["ok", "invalid_name", "not_found", "forbidden", "missing_executable"]
    manifest: HostManifest | None = None
    manifest_path: Path | None = None
    argv: tuple[str, ...] = ()
    cwd: str | None = None
    log: str | None = None


def resolve_host(
    name: str,
    ext_id: str,
    family: Family,
    dirs: Sequence[Path],
    registered: Mapping[str, Path],
    *,
    read_text: Callable[[Path], str | None],
    exists: Callable[[Path], bool] = Path.is_file,
) -> HostResolution:
    """Everything a browser checks before spawning a host, in its order.

    Chrome (``native_process_launcher.cc``): name rule → first existing manifest file →
    parse → manifest name == requested → allow list (``forbidden``) → absolute path →
    executable exists. Any failure but the allow list is ``not_found``.
    Firefox (``NativeManifests.sys.mjs``): name rule → each candidate in turn; one that is
    unreadable, invalid, of another name, relative or not allowing the add-on is skipped →
    none left is ``not_found``; a chosen manifest whose executable is missing fails at spawn
    (``missing_executable``, ``An unexpected error occurred``).
    ``read_text`` returns a file's text or None when unreadable.
    """
    if not valid_host_name(name, family):
        return HostResolution("invalid_name")
    if family == "chrome":
        found = find_host_manifest(name, dirs, registered, exists)
        if found is None:
            return HostResolution("not_found")
        try:
            text = read_text(found)
            if text is None:
                return HostResolution("not_found", manifest_path=found)
            manifest = parse_host_manifest(text, found, family)
        except ManifestError as exc:
            return HostResolution("not_found", manifest_path=found, log=str(exc))
        if manifest.name != name:
            return HostResolution("not_found", manifest, found, log="Invalid name in manifest.")
        if not host_allows(manifest, ext_id, family):
            return HostResolution("forbidden", manifest, found)
        if not manifest.path_is_absolute:
            return HostResolution("not_found", manifest, found, log="path must be absolute")
        if not exists(Path(manifest.path)):
            return HostResolution("missing_executable", manifest, found)
        argv = tuple(host_argv(manifest, found, ext_id, family))
        return HostResolution("ok", manifest, found, argv, host_cwd(manifest))

    logs: list[str] = []
    for candidate in _candidates(name, dirs, registered):
        if not exists(candidate):
            continue
        text = read_text(candidate)
        if text is None:
            continue
        try:
            manifest = parse_host_manifest(text, candidate, family)
        except ManifestError as exc:
            logs.append(str(exc))
            continue
        if manifest.name != name or not manifest.path_is_absolute:
            logs.append(f"Native manifest {candidate} does not match or has a relative path")
            continue
        if not host_allows(manifest, ext_id, family):
            logs.append(FIREFOX_NATIVE_NOT_ALLOWED_LOG.format(path=candidate))
            continue
        if not exists(Path(manifest.path)):
            return HostResolution("missing_executable", manifest, candidate)
        argv = tuple(host_argv(manifest, candidate, ext_id, family))
        return HostResolution("ok", manifest, candidate, argv, host_cwd(manifest))
    return HostResolution("not_found", log="; ".join(logs) or None)
