"""manifest.json: reading, validation and the parsed form, per browser profile.

Where the rules come from (read, not copied):

* Chromium ``base/json/json_file_value_serializer.h`` / ``json_reader.h``:
  manifests are read with ``JSON_PARSE_CHROMIUM_EXTENSIONS`` — ``//`` and
  ``/* */`` comments, raw newlines inside strings and ``\\xNN`` escapes are
  accepted; trailing commas are not. Firefox (``test_ext_json_parser.js``)
  strips ``//`` comments only.
* Chromium ``extensions/common/api/_manifest_features.json`` and
  ``simple_feature.cc``: a key used with the wrong manifest version
  (``action`` in MV2; ``browser_action``/``page_action``, ``background.scripts``,
  ``background.page``, ``background.persistent`` in MV3; ``host_permissions`` in
  MV2) is an install *warning* and the key is ignored.
* Chromium ``manifest_handlers/background_info.cc``: page, scripts and
  service_worker exclude each other; ``persistent`` needs a page or scripts;
  ``type`` is ``classic`` or ``module``.
* Chromium ``extension.cc`` / ``base/version.cc``: ``version`` is 1-4
  dot-separated unsigned 32-bit integers, the first without leading zeros.
* Chromium ``manifest_handlers/externally_connectable.cc``: a bad pattern or
  id is an error; ``<all_urls>``, wildcard hosts and effective-TLD wildcards are
  dropped with a warning; neither ``ids`` nor ``matches`` is a warning.
* Firefox ``toolkit/components/extensions/schemas/manifest.json`` and
  ``Schemas.sys.mjs``: ``manifest_version`` 2 or 3, ``version`` any string
  (odd shapes only warn), keys of the wrong manifest version are warnings
  (``Property "x" is unsupported in Manifest Version N``), MV3 background
  ``scripts`` are event pages, ``background.service_worker`` alone is refused,
  ``browser_specific_settings.gecko.id`` must be a valid add-on id.
* SEMANTICS.md §1 (externally_connectable semantics) and §6 (MV2 in Chrome).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

from webext_runtime._core.errors import ManifestError
from webext_runtime._core.extid import (
    chrome_id_from_key,
    is_valid_chrome_id,
    is_valid_gecko_id,
)
from webext_runtime._core.match import (
    ALL_URLS,
    CHROME_CONTENT_SCRIPT_SCHEMES,
    MatchPattern,
    content_script_matches,
)

__all__ = [
    "MV2_CHROME_WARNING",
    "Background",
    "ContentScript",
    "ExternallyConnectable",
    "ParsedManifest",
    "extension_may_connect",
    "page_may_connect",
    "parse_manifest",
    "parse_manifest_text",
]

MV2_CHROME_WARNING = (
    "Manifest version 2 is deprecated: current Chrome (150) refuses it with "
    '"Cannot install extension because it uses an unsupported manifest version."; '
    "webext-runtime still runs it under the chrome profile."
)

RUN_AT_VALUES = ("document_start", "document_end", "document_idle")
WORLD_VALUES = ("ISOLATED", "MAIN")
_PROFILES = ("chrome", "firefox")

# Top-level keys each browser knows (others draw an "unrecognized key" warning).
_COMMON_KEYS = frozenset(
    {
        "manifest_version",
        "name",
        "version",
        "description",
        "short_name",
        "author",
        "homepage_url",
        "icons",
        "default_locale",
        "background",
        "content_scripts",
        "action",
        "browser_action",
        "page_action",
        "options_page",
        "options_ui",
        "permissions",
        "optional_permissions",
        "host_permissions",
        "optional_host_permissions",
        "web_accessible_resources",
        "content_security_policy",
        "commands",
        "devtools_page",
        "incognito",
        "minimum_chrome_version",
        "omnibox",
        "chrome_url_overrides",
        "chrome_settings_overrides",
        "declarative_net_request",
        "sandbox",
        "storage",
    }
)
_CHROME_KEYS = _COMMON_KEYS | {
    "key",
    "externally_connectable",
    "update_url",
    "version_name",
    "offline_enabled",
    "side_panel",
    "oauth2",
    "export",
    "import",
    "requirements",
    "event_rules",
    "file_browser_handlers",
    "file_system_provider_capabilities",
    "input_components",
    "tts_engine",
    "nacl_modules",
    "current_locale",
    "differential_fingerprint",
    "cross_origin_embedder_policy",
    "cross_origin_opener_policy",
    "trial_tokens",
    "replacement_web_app",
    "background_page",
    "app",
    "author",
    "automation",
    "content_capabilities",
    "short_name",
}
_FIREFOX_KEYS = _COMMON_KEYS | {
    "browser_specific_settings",
    "applications",
    "sidebar_action",
    "theme",
    "theme_experiment",
    "user_scripts",
    "protocol_handlers",
    "dictionaries",
    "developer",
    "experiment_apis",
    "l10n_resources",
    "telemetry",
    "hidden",
    "granted_host_permissions",
    "install_origins",
    "minimum_opera_version",
    "langpack_id",
    "languages",
    "sources",
}


def _check_profile(profile: str) -> None:
    if profile not in _PROFILES:
        raise ValueError(f"unknown profile {profile!r}: expected 'chrome' or 'firefox'")


# --------------------------------------------------------------------------------------
# Reading the text


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _prepare_text(text: str, file: str, profile: str) -> str:
    """Blank out comments (keeping line/column positions); convert \\xNN (chrome)."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    block_comments = profile == "chrome"
    while i < n:
        ch = text[i]
        if in_string:
            if ch == "\\" and i + 1 < n:
                nxt = text[i + 1]
                if (
                    nxt == "x"
                    and profile == "chrome"
                    and re.fullmatch(r"[0-9a-fA-F]{2}", text[i + 2 : i + 4])
                ):
                    out.append("\\u00" + text[i + 2 : i + 4])
                    i += 4
                    continue
                out.append(text[i : i + 2])
                i += 2
                continue
            if ch == '"':
                in_string = False
            out.append(ch)
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append(ch)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif block_comments and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                line = text.count("\n", 0, i) + 1
                col = i - (text.rfind("\n", 0, i) + 1) + 1
                raise ManifestError(
                    file, "", f"invalid JSON at line {line} column {col}: unterminated comment"
                )
            out.append("".join(c if c == "\n" else " " for c in text[i : end + 2]))
            i = end + 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def parse_manifest_text(text: str, file: str, *, profile: str = "chrome") -> dict[str, Any]:
    """Parse manifest.json text the way the profile's browser reads it.

    Chrome accepts ``//`` and ``/* */`` comments outside strings, raw line breaks
    inside strings and ``\\xNN`` escapes, but no trailing commas; Firefox accepts
    ``//`` comments. Raises :class:`ManifestError` (key ``""``) for invalid JSON
    or a top level that is not an object.
    """
    _check_profile(profile)
    if text.startswith("\ufeff"):
        text = text[1:]
    prepared = _prepare_text(text, file, profile)
    try:
        data = json.loads(prepared, strict=profile == "firefox", parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ManifestError(
            file, "", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError as exc:  # from _reject_constant
        raise ManifestError(file, "", f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ManifestError(file, "", f"the manifest must be a JSON object, not {_json_type(data)}")
    return data


# --------------------------------------------------------------------------------------
# Parsed form


@dataclass(frozen=True)
class Background:
    """The background declaration that the profile's browser would use."""

    scripts: tuple[str, ...] = ()
    page: str | None = None
    service_worker: str | None = None
    module: bool = False
    persistent: bool | None = None
    manifest_version: int = 3
    profile: str = "chrome"

    @property
    def kind(self) -> str:
        """``"service_worker"``, ``"page"`` or ``"scripts"``."""
        if self.service_worker is not None:
            return "service_worker"
        if self.page is not None:
            return "page"
        return "scripts"

    @property
    def is_event_page(self) -> bool:
        """A non-persistent background page (MV2 ``persistent: false``; Firefox MV3)."""
        if self.kind == "service_worker":
            return False
        if self.manifest_version >= 3:
            return self.profile == "firefox"
        return self.persistent is False

    @property
    def is_persistent(self) -> bool:
        """A background page that never idles (MV2 without ``persistent: false``)."""
        return self.kind != "service_worker" and not self.is_event_page


@dataclass(frozen=True)
class ContentScript:
    """One ``content_scripts`` entry."""

    matches: tuple[MatchPattern, ...]
    exclude_matches: tuple[MatchPattern, ...] = ()
    include_globs: tuple[str, ...] = ()
    exclude_globs: tuple[str, ...] = ()
    js: tuple[str, ...] = ()
    css: tuple[str, ...] = ()
    all_frames: bool = False
    run_at: str = "document_idle"
    match_about_blank: bool = False
    world: str = "ISOLATED"
    profile: str = "chrome"

    def applies_to(self, url: str, *, top_frame: bool, parent_url: str | None = None) -> bool:
        """True if this script is injected into a frame showing *url*.

        Sub-frames need ``all_frames``. ``about:blank``/``about:srcdoc`` frames are
        judged by *parent_url* when ``match_about_blank`` is set.
        """
        if not top_frame and not self.all_frames:
            return False
        if url in ("about:blank", "about:srcdoc"):
            if not self.match_about_blank or parent_url is None:
                return False
            url = parent_url
        return content_script_matches(
            url,
            matches=self.matches,
            exclude_matches=self.exclude_matches,
            include_globs=self.include_globs,
            exclude_globs=self.exclude_globs,
            profile=self.profile,
        )


@dataclass(frozen=True)
class ExternallyConnectable:
    """Chrome's ``externally_connectable``: who may message this extension."""

    ids: tuple[str, ...] | None
    matches: tuple[MatchPattern, ...] = ()
    accepts_tls_channel_id: bool = False

    def allows_extension(self, ext_id: str) -> bool:
        """Only extensions listed in ``ids`` (``"*"`` = all); none without ``ids``."""
        if self.ids is None:
            return False
        return "*" in self.ids or ext_id in self.ids

    def allows_url(self, url: str) -> bool:
        """Web pages whose URL one of ``matches`` matches."""
        return any(p.matches(url) for p in self.matches)


def extension_may_connect(ec: ExternallyConnectable | None, ext_id: str) -> bool:
    """Chrome: without ``externally_connectable`` every extension may connect."""
    return True if ec is None else ec.allows_extension(ext_id)


def page_may_connect(ec: ExternallyConnectable | None, url: str) -> bool:
    """Chrome: without ``externally_connectable`` no web page may connect."""
    return False if ec is None else ec.allows_url(url)


@dataclass(frozen=True)
class ParsedManifest:
    """A validated manifest, as the profile's browser understands it."""

    raw: dict[str, Any]
    file: str
    manifest_version: int
    name: str
    version: str
    profile: str = "chrome"
    background: Background | None = None
    content_scripts: tuple[ContentScript, ...] = ()
    action_key: str | None = None
    popup: str | None = None
    options_page: str | None = None
    permissions: frozenset[str] = frozenset()
    host_permissions: tuple[str, ...] = ()
    externally_connectable: ExternallyConnectable | None = None
    key: str | None = None
    gecko_id: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def script_files(self) -> list[str]:
        """Every JS/HTML file the manifest refers to (leading ``/`` removed), once."""
        files: list[str] = []
        bg = self.background
        if bg is not None:
            files.extend(bg.scripts)
            if bg.page is not None:
                files.append(bg.page)
            if bg.service_worker is not None:
                files.append(bg.service_worker)
        for cs in self.content_scripts:
            files.extend(cs.js)
        if self.popup is not None:
            files.append(self.popup)
        if self.options_page is not None:
            files.append(self.options_page)
        seen: dict[str, None] = {}
        for f in files:
            seen.setdefault(f.lstrip("/"), None)
        return list(seen)


# --------------------------------------------------------------------------------------
# Validation


class _Ctx:
    def __init__(self, file: str, profile: str, mv: int) -> None:
        self.file = file
        self.profile = profile
        self.mv = mv
        self.warnings: list[str] = []

    @property
    def chrome(self) -> bool:
        return self.profile == "chrome"

    def fail(self, key: str, problem: str) -> NoReturn:
        raise ManifestError(self.file, key, problem)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def wrong_version(
        self, key: str, *, max_mv: int | None = None, min_mv: int | None = None
    ) -> None:
        """The browser's warning for a key that belongs to another manifest version."""
        if self.chrome:
            if max_mv is not None:
                self.warn(f"'{key}' requires manifest version of {max_mv} or lower.")
            else:
                self.warn(f"'{key}' requires manifest version of at least {min_mv}.")
        else:
            prop = key.rsplit(".", 1)[-1]
            self.warn(f'Property "{prop}" is unsupported in Manifest Version {self.mv}')

    # typed getters ------------------------------------------------------------------
    def typed(self, value: object, key: str, kind: type, what: str) -> Any:
        if kind is bool:
            ok = isinstance(value, bool)
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, kind)
        if not ok:
            self.fail(key, f"must be {what}, not {_json_type(value)}")
        return value

    def string(self, value: object, key: str) -> str:
        result: str = self.typed(value, key, str, "a string")
        return result

    def boolean(self, value: object, key: str) -> bool:
        result: bool = self.typed(value, key, bool, "a boolean (true or false)")
        return result

    def obj(self, value: object, key: str) -> dict[str, Any]:
        result: dict[str, Any] = self.typed(value, key, dict, "an object")
        return result

    def str_list(self, value: object, key: str) -> tuple[str, ...]:
        items: list[Any] = self.typed(value, key, list, "an array of strings")
        return tuple(self.string(item, f"{key}[{i}]") for i, item in enumerate(items))

    def patterns(
        self,
        value: object,
        key: str,
        *,
        content_script: bool,
        non_empty: bool = False,
    ) -> tuple[MatchPattern, ...]:
        strings = self.str_list(value, key)
        if non_empty and not strings:
            self.fail(key, "must list at least one match pattern")
        return tuple(
            self.pattern(s, f"{key}[{i}]", content_script=content_script)
            for i, s in enumerate(strings)
        )

    def pattern(self, text: str, key: str, *, content_script: bool) -> MatchPattern:
        try:
            return _parse_pattern(text, self.profile, content_script=content_script)
        except ValueError as exc:
            self.fail(key, str(exc))


_FIREFOX_MANIFEST_PATTERN = re.compile(
    r"(?:https?|wss?|file|ftp|\*)://(?:\*|\*\.[^*/]+|[^*/]+)/.*|file:///.*", re.DOTALL
)


def _parse_pattern(text: str, profile: str, *, content_script: bool) -> MatchPattern:
    if profile == "firefox":
        if text != ALL_URLS and not _FIREFOX_MANIFEST_PATTERN.fullmatch(text):
            raise ValueError(f"Invalid match pattern {text!r}: not a valid manifest match pattern")
        return MatchPattern.parse(text, profile="firefox")
    schemes = CHROME_CONTENT_SCRIPT_SCHEMES if content_script else None
    return MatchPattern.parse(text, profile="chrome", valid_schemes=schemes)


def _looks_like_pattern(text: str) -> bool:
    return text == ALL_URLS or ":/" in text or text.startswith("data:")


_CHROME_VERSION_PART = re.compile(r"[0-9]+")


def _check_version(ctx: _Ctx, value: object) -> str:
    if not isinstance(value, str):
        if ctx.chrome:
            ctx.fail(
                "version",
                "Required value 'version' is missing or invalid. It must be between 1-4 "
                "dot-separated integers each between 0 and 65536.",
            )
        ctx.fail("version", f"must be a string, not {_json_type(value)}")
    parts = value.split(".")
    if ctx.chrome:
        ok = 1 <= len(parts) <= 4 and all(
            _CHROME_VERSION_PART.fullmatch(p) and int(p) <= 0xFFFFFFFF for p in parts
        )
        if ok and str(int(parts[0])) != parts[0]:
            ok = False  # no leading zeros in the first component (base::Version)
        if not ok:
            ctx.fail(
                "version",
                f"{value!r} is not a valid version: it must be 1-4 dot-separated integers "
                "(Chrome: \"Required value 'version' is missing or invalid. It must be "
                'between 1-4 dot-separated integers each between 0 and 65536.")',
            )
        canonical = ".".join(str(int(p)) for p in parts)
        if canonical != value:
            ctx.warn(f"The extension version is parsed as '{canonical}'.")
    elif len(parts) > 4 or not all(re.fullmatch(r"0|[1-9][0-9]{0,8}", p) for p in parts):
        ctx.warn(
            "version must be a version string consisting of at most 4 integers of at most "
            "9 digits without leading zeros, and separated with dots"
        )
    return value


def _parse_background(ctx: _Ctx, raw: object) -> Background | None:
    bg = ctx.obj(raw, "background")
    scripts: tuple[str, ...] = ()
    page: str | None = None
    worker: str | None = None
    persistent: bool | None = None
    if "scripts" in bg:
        scripts = ctx.str_list(bg["scripts"], "background.scripts")
    if "page" in bg:
        page = ctx.string(bg["page"], "background.page")
    if "service_worker" in bg:
        worker = ctx.string(bg["service_worker"], "background.service_worker")
    if "persistent" in bg:
        persistent = ctx.boolean(bg["persistent"], "background.persistent")
    module = False
    if "type" in bg:
        kind = ctx.string(bg["type"], "background.type")
        if kind not in ("classic", "module"):
            ctx.fail("background.type", f'must be "classic" or "module", not {kind!r}')
        module = kind == "module"

    if ctx.mv >= 3:
        # Chrome ignores MV2-only keys with a warning; Firefox only drops persistent.
        if persistent is not None:
            ctx.wrong_version("background.persistent", max_mv=2)
            persistent = None
        if ctx.chrome:
            if "scripts" in bg:
                ctx.wrong_version("background.scripts", max_mv=2)
                scripts = ()
            if page is not None:
                ctx.wrong_version("background.page", max_mv=2)
                page = None
    if not ctx.chrome and worker is not None:
        if not scripts and page is None:
            ctx.fail(
                "background.service_worker",
                "background.service_worker is currently disabled. Add background.scripts.",
            )
        worker = None  # Firefox runs the scripts/page and ignores the worker
    if not ctx.chrome and scripts and page is not None:
        ctx.warn('background: both "page" and "scripts" are set; Firefox uses "page".')
        scripts = ()

    present = [
        k for k, v in (("page", page), ("scripts", scripts), ("service_worker", worker)) if v
    ]
    if len(present) > 1:
        ctx.fail(
            "background",
            "Only one of 'background.page', 'background.scripts', and "
            "'background.service_worker' can be specified.",
        )
    if persistent is not None and page is None and not scripts:
        ctx.fail(
            "background.persistent",
            "Must specify one of background.page or background.scripts to use "
            "background.persistent.",
        )
    if not present:
        if bg:
            ctx.warn(
                "background: none of page, scripts or service_worker is usable; "
                "the extension has no background context."
            )
        return None
    return Background(
        scripts=scripts,
        page=page,
        service_worker=worker,
        module=module,
        persistent=persistent,
        manifest_version=ctx.mv,
        profile=ctx.profile,
    )


def _parse_content_scripts(ctx: _Ctx, raw: object) -> tuple[ContentScript, ...]:
    items: list[Any] = ctx.typed(raw, "content_scripts", list, "an array of objects")
    result: list[ContentScript] = []
    for i, item in enumerate(items):
        key = f"content_scripts[{i}]"
        cs = ctx.obj(item, key)
        if "matches" not in cs:
            ctx.fail(f"{key}.matches", "is required and must list at least one match pattern")
        matches = ctx.patterns(cs["matches"], f"{key}.matches", content_script=True, non_empty=True)
        exclude = ctx.patterns(
            cs.get("exclude_matches", []), f"{key}.exclude_matches", content_script=True
        )
        include_globs = ctx.str_list(cs.get("include_globs", []), f"{key}.include_globs")
        exclude_globs = ctx.str_list(cs.get("exclude_globs", []), f"{key}.exclude_globs")
        js = ctx.str_list(cs.get("js", []), f"{key}.js")
        css = ctx.str_list(cs.get("css", []), f"{key}.css")
        if ctx.chrome and not js and not css:
            ctx.fail(key, f"At least one js or css file is required for '{key}'.")
        all_frames = ctx.boolean(cs.get("all_frames", False), f"{key}.all_frames")
        about_blank = ctx.boolean(cs.get("match_about_blank", False), f"{key}.match_about_blank")
        run_at = ctx.string(cs.get("run_at", "document_idle"), f"{key}.run_at")
        if run_at not in RUN_AT_VALUES:
            ctx.fail(f"{key}.run_at", f"must be one of {', '.join(RUN_AT_VALUES)}, not {run_at!r}")
        world = ctx.string(cs.get("world", "ISOLATED"), f"{key}.world")
        if world not in WORLD_VALUES:
            ctx.fail(f"{key}.world", f'must be "ISOLATED" or "MAIN", not {world!r}')
        result.append(
            ContentScript(
                matches=matches,
                exclude_matches=exclude,
                include_globs=include_globs,
                exclude_globs=exclude_globs,
                js=js,
                css=css,
                all_frames=all_frames,
                run_at=run_at,
                match_about_blank=about_blank,
                world=world,
                profile=ctx.profile,
            )
        )
    return tuple(result)


_ACTION_KEYS = ("action", "browser_action", "page_action")


def _parse_action(ctx: _Ctx, data: dict[str, Any]) -> tuple[str | None, str | None]:
    usable: list[str] = []
    for key in _ACTION_KEYS:
        if key not in data:
            continue
        if key == "action" and ctx.mv < 3:
            ctx.wrong_version(key, min_mv=3)
            continue
        if ctx.mv >= 3 and (key == "browser_action" or (key == "page_action" and ctx.chrome)):
            ctx.wrong_version(key, max_mv=2)
            continue
        usable.append(key)
    if ctx.chrome and "browser_action" in usable and "page_action" in usable:
        ctx.fail(
            "page_action",
            "Only one of 'browser_action', 'page_action', and 'app' can be specified.",
        )
    if not usable:
        return None, None
    chosen = usable[0]
    action = ctx.obj(data[chosen], chosen)
    popup = None
    if "default_popup" in action:
        popup = ctx.string(action["default_popup"], f"{chosen}.default_popup") or None
    return chosen, popup


def _parse_options(ctx: _Ctx, data: dict[str, Any]) -> str | None:
    page = None
    if "options_ui" in data:
        ui = ctx.obj(data["options_ui"], "options_ui")
        if "page" not in ui:
            ctx.fail("options_ui.page", "is required and must be a string")
        page = ctx.string(ui["page"], "options_ui.page")
    if "options_page" in data:
        legacy = ctx.string(data["options_page"], "options_page")
        page = page if page is not None else legacy
    return page


def _parse_permissions(ctx: _Ctx, data: dict[str, Any]) -> tuple[frozenset[str], tuple[str, ...]]:
    perms: set[str] = set()
    hosts: list[str] = []

    def add_host(text: str, key: str) -> None:
        try:
            _parse_pattern(text, ctx.profile, content_script=False)
        except ValueError:
            ctx.warn(f"Permission '{text}' is unknown or URL pattern is malformed. ({key})")
            return
        if text not in hosts:
            hosts.append(text)

    if "permissions" in data:
        for i, item in enumerate(ctx.str_list(data["permissions"], "permissions")):
            if _looks_like_pattern(item):
                if ctx.mv >= 3:
                    ctx.warn(
                        f"Permission '{item}' is unknown or URL pattern is malformed. "
                        "(in manifest version 3 host patterns go in 'host_permissions')"
                    )
                else:
                    add_host(item, f"permissions[{i}]")
            else:
                perms.add(item)
    if "host_permissions" in data:
        listed = ctx.str_list(data["host_permissions"], "host_permissions")
        if ctx.mv < 3:
            ctx.wrong_version("host_permissions", min_mv=3)
        else:
            for i, item in enumerate(listed):
                add_host(item, f"host_permissions[{i}]")
    return frozenset(perms), tuple(hosts)


def _matches_effective_tld(pattern: MatchPattern) -> bool:
    """Approximation of URLPattern::MatchesEffectiveTld without a suffix list:
    a subdomain wildcard over a single label (``*.com``) or a two-letter
    second level over a country code (``*.co.uk``)."""
    if not pattern.match_subdomains or not pattern.host:
        return False
    labels = pattern.host.split(".")
    if len(labels) == 1:
        return True
    return (
        len(labels) == 2
        and len(labels[1]) == 2
        and labels[0] in {"co", "com", "org", "net", "ac", "gov", "edu"}
    )


def _parse_externally_connectable(ctx: _Ctx, raw: object) -> ExternallyConnectable | None:
    key = "externally_connectable"
    if not ctx.chrome:
        return None  # Firefox: warned once with the other unknown top-level keys
    ec = ctx.obj(raw, key)
    ids: tuple[str, ...] | None = None
    if "ids" in ec:
        ids = ctx.str_list(ec["ids"], f"{key}.ids")
        for i, ext_id in enumerate(ids):
            if ext_id != "*" and not is_valid_chrome_id(ext_id):
                ctx.fail(f"{key}.ids[{i}]", f"Invalid ID '{ext_id}'")
    patterns: list[MatchPattern] = []
    if "matches" in ec:
        for i, text in enumerate(ctx.str_list(ec["matches"], f"{key}.matches")):
            try:
                pattern = MatchPattern.parse(text, profile="chrome")
            except ValueError:
                ctx.fail(f"{key}.matches[{i}]", f"Invalid match pattern '{text}'")
            if pattern.all_urls or not pattern.host:
                ctx.warn(f'Wildcard domain patterns such as "{text}" are not allowed')
                continue
            if _matches_effective_tld(pattern):
                ctx.warn(
                    f'"{pattern.host}" is an effective top level domain for which wildcard '
                    f'subdomains such as "{text}" are not allowed'
                )
                continue
            patterns.append(pattern)
    if "ids" not in ec and "matches" not in ec:
        ctx.warn(
            "'externally_connectable' specifies neither 'matches' nor 'ids'; nothing will "
            "be able to connect"
        )
    tls = False
    if "accepts_tls_channel_id" in ec:
        tls = ctx.boolean(ec["accepts_tls_channel_id"], f"{key}.accepts_tls_channel_id")
    return ExternallyConnectable(ids=ids, matches=tuple(patterns), accepts_tls_channel_id=tls)


def _parse_gecko_id(ctx: _Ctx, data: dict[str, Any]) -> str | None:
    for top in ("browser_specific_settings", "applications"):
        if top not in data:
            continue
        if top == "applications" and ctx.mv >= 3 and not ctx.chrome:
            ctx.wrong_version(top, max_mv=2)
            continue
        settings = data[top]
        if not ctx.chrome:
            settings = ctx.obj(settings, top)
        if not isinstance(settings, dict) or "gecko" not in settings:
            continue
        gecko = settings["gecko"]
        if not ctx.chrome:
            gecko = ctx.obj(gecko, f"{top}.gecko")
        if not isinstance(gecko, dict) or "id" not in gecko:
            continue
        gid = gecko["id"]
        if ctx.chrome:
            return gid if isinstance(gid, str) else None
        gid = ctx.string(gid, f"{top}.gecko.id")
        if not is_valid_gecko_id(gid):
            ctx.fail(
                f"{top}.gecko.id",
                f'{gid!r} is not a valid add-on id: use "{{GUID}}" or "name@domain" '
                "(letters, digits, '-', '.', '_')",
            )
        return gid
    return None


def parse_manifest(
    data: Any, file: str = "manifest.json", *, profile: str = "chrome"
) -> ParsedManifest:
    """Validate a manifest (already JSON-decoded) under *profile*.

    Raises :class:`ManifestError` naming the file, the dotted key path and the
    problem; recoverable oddities become ``warnings``.
    """
    _check_profile(profile)
    if not isinstance(data, dict):
        raise ManifestError(file, "", f"the manifest must be a JSON object, not {_json_type(data)}")

    if "manifest_version" not in data:
        raise ManifestError(
            file,
            "manifest_version",
            "is missing: it must be the integer 2 or 3 (Chrome: \"Missing 'manifest_version' "
            'key. Its value must be an integer either 2 or 3.")',
        )
    mv = data["manifest_version"]
    if isinstance(mv, bool) or not isinstance(mv, int) or mv not in (2, 3):
        raise ManifestError(
            file,
            "manifest_version",
            f"must be the integer 2 or 3, not {json.dumps(mv)}",
        )
    ctx = _Ctx(file, profile, mv)
    if mv == 2 and ctx.chrome:
        ctx.warn(MV2_CHROME_WARNING)

    if "name" not in data or not isinstance(data["name"], str):
        found = "missing" if "name" not in data else f"a {_json_type(data['name'])}"
        ctx.fail("name", f"is required and must be a string (found {found})")
    name: str = data["name"]
    if "version" not in data:
        ctx.fail("version", 'is required: a string such as "1.0"')
    version = _check_version(ctx, data["version"])

    known = _CHROME_KEYS if ctx.chrome else _FIREFOX_KEYS
    for top_key in data:
        if top_key not in known:
            if ctx.chrome:
                ctx.warn(f"Unrecognized manifest key '{top_key}'.")
            else:
                ctx.warn(
                    f"Reading manifest: Warning processing {top_key}: An unexpected property "
                    "was found in the WebExtension manifest."
                )

    background = _parse_background(ctx, data["background"]) if "background" in data else None
    content_scripts = (
        _parse_content_scripts(ctx, data["content_scripts"]) if "content_scripts" in data else ()
    )
    action_key, popup = _parse_action(ctx, data)
    options_page = _parse_options(ctx, data)
    permissions, host_permissions = _parse_permissions(ctx, data)
    ec = (
        _parse_externally_connectable(ctx, data["externally_connectable"])
        if "externally_connectable" in data
        else None
    )
    key: str | None = None
    if "key" in data:
        key = ctx.string(data["key"], "key")
        if ctx.chrome:
            try:
                chrome_id_from_key(key)
            except ValueError as exc:
                ctx.fail("key", f"Invalid value for 'key': {exc}")
    gecko_id = _parse_gecko_id(ctx, data)

    return ParsedManifest(
        raw=data,
        file=file,
        manifest_version=mv,
        name=name,
        version=version,
        profile=profile,
        background=background,
        content_scripts=content_scripts,
        action_key=action_key,
        popup=popup,
        options_page=options_page,
        permissions=permissions,
        host_permissions=host_permissions,
        externally_connectable=ec,
        key=key,
        gecko_id=gecko_id,
        warnings=tuple(ctx.warnings),
    )
