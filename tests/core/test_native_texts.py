"""Pure native-messaging logic: names, host manifests, argv, lookup, error texts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from webext_runtime._core import native_texts as N
from webext_runtime._core.errors import ManifestError

CID = "blmaacggkbhfccjblinpdilaombnfjhf"
FID = "native@test"
HOSTS = Path("/opt/hosts")
MPATH = Path("/home/u/.mozilla/native-messaging-hosts/com.test.echo.json")


def manifest(family: str, **over: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "name": "com.test.echo",
        "description": "Echo host",
        "path": str(HOSTS / "echo.py"),
        "type": "stdio",
    }
    if family == "chrome":
        raw["allowed_origins"] = [f"chrome-extension://{CID}/"]
    else:
        raw["allowed_extensions"] = [FID]
    raw.update(over)
    return {k: v for k, v in raw.items() if v is not ...}


def parse(family: str, **over: Any) -> N.HostManifest:
    return N.parse_host_manifest(json.dumps(manifest(family, **over)), MPATH, family)  # type: ignore[arg-type]


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "chrome", "firefox"),
    [
        ("com.test.echo", True, True),
        ("com_test.x1", True, True),
        ("a", True, True),
        ("Com.Test.Echo", False, True),  # [C150n §9] Chrome: lower case only
        ("Bad Name!", False, False),
        ("com..test", False, False),
        (".com.test", False, False),
        ("com.test.", False, False),
        ("", False, False),
        ("com-test", False, False),
        ("a/b", False, False),
        ("../x", False, False),
        ("café", False, False),  # JS \w is ASCII
        ("a\n", False, False),
    ],
)
def test_valid_host_name(name: str, chrome: bool, firefox: bool) -> None:
    assert N.valid_host_name(name, "chrome") is chrome
    assert N.valid_host_name(name, "firefox") is firefox


def test_firefox_bad_name_text_is_exact() -> None:
    assert N.firefox_bad_name_text("Bad Name!") == (
        'Type error for parameter application (String "Bad Name!" must match '
        "/^\\w+(\\.\\w+)*$/) for runtime.connectNative."
    )
    assert N.firefox_bad_name_text("", "runtime.sendNativeMessage").endswith(
        'String "" must match /^\\w+(\\.\\w+)*$/) for runtime.sendNativeMessage.'
    )
    assert 'String "a\\"b"' in N.firefox_bad_name_text('a"b')  # JSON.stringify quoting


def test_texts_are_exact() -> None:
    assert N.CHROME_NATIVE_NOT_FOUND == "Specified native messaging host not found."
    assert N.CHROME_NATIVE_FORBIDDEN == (
        "Access to the specified native messaging host is forbidden."
    )
    assert N.CHROME_NATIVE_INVALID_NAME == "Invalid native messaging host name specified."
    assert N.CHROME_NATIVE_EXITED == "Native host has exited."
    assert N.CHROME_NATIVE_IO_ERROR == "Error when communicating with the native messaging host."
    assert N.CHROME_NATIVE_INVALID_JSON == (
        "The sender sent an invalid JSON message; message ignored."
    )
    assert N.FIREFOX_NO_SUCH_APP.format(name="com.test.nope") == (
        "No such native application com.test.nope"
    )
    assert N.FIREFOX_NATIVE_TOO_BIG.format(size=1048577) == (
        "Native application tried to send a message of 1048577 bytes, "
        "which exceeds the limit of 1048576 bytes."
    )
    assert N.FIREFOX_NATIVE_UNEXPECTED == "An unexpected error occurred"
    assert N.firefox_stderr_line("com.test.echo", "hi") == (
        "stderr output from native app com.test.echo: hi"
    )


# --- error mapping ----------------------------------------------------------------------------


NOAPP = "No such native application h"
UNEXP = N.FIREFOX_NATIVE_UNEXPECTED


@pytest.mark.parametrize(
    ("outcome", "one_shot", "chrome", "firefox"),
    [
        ("not_found", False, (N.CHROME_NATIVE_NOT_FOUND, True), (NOAPP, True)),
        ("forbidden", True, (N.CHROME_NATIVE_FORBIDDEN, True), (NOAPP, True)),
        ("missing_executable", False, (N.CHROME_NATIVE_NOT_FOUND, True), (UNEXP, True)),
        ("exited", False, (N.CHROME_NATIVE_EXITED, True), (None, True)),
        ("exited", True, (N.CHROME_NATIVE_EXITED, True), (UNEXP, True)),
        ("invalid_json", False, (None, False), (UNEXP, True)),
        ("invalid_json", True, (N.CHROME_NATIVE_INVALID_JSON, True), (UNEXP, True)),
        ("empty_frame", False, (None, False), (UNEXP, True)),
        ("too_big", False, (N.CHROME_NATIVE_IO_ERROR, True), (N.FIREFOX_NATIVE_TOO_BIG, True)),
    ],
)
def test_native_error_mapping(outcome: Any, one_shot: bool, chrome: Any, firefox: Any) -> None:
    c = N.native_error(outcome, "chrome", name="h", one_shot=one_shot, size=7)
    f = N.native_error(outcome, "firefox", name="h", one_shot=one_shot, size=7)
    assert (c.text, c.ends, c.throws) == (*chrome, False)
    ftext = firefox[0].format(size=7) if firefox[0] is not None else None
    assert (f.text, f.ends, f.throws) == (ftext, firefox[1], False)


def test_invalid_name_errors() -> None:
    c = N.native_error("invalid_name", "chrome", name="Bad Name!")
    assert (c.text, c.throws) == (N.CHROME_NATIVE_INVALID_NAME, False)
    f = N.native_error("invalid_name", "firefox", name="Bad Name!", one_shot=True)
    assert f.throws and f.text == N.firefox_bad_name_text("Bad Name!", "runtime.sendNativeMessage")
    with pytest.raises(ValueError):
        N.native_error("bogus", "chrome")  # type: ignore[arg-type]


# --- manifests --------------------------------------------------------------------------------


@pytest.mark.parametrize("family", ["chrome", "firefox"])
def test_parse_valid_manifest(family: Any) -> None:
    m = parse(family)
    assert m.name == "com.test.echo" and m.type == "stdio"
    assert m.path == "/opt/hosts/echo.py" and m.path_is_absolute
    assert m.file == str(MPATH)
    if family == "chrome":
        assert m.allowed_origins == (f"chrome-extension://{CID}/",)
    else:
        assert m.allowed_extensions == (FID,)


@pytest.mark.parametrize(
    ("family", "over", "key"),
    [
        ("chrome", {"name": "Com.Test"}, "name"),
        ("chrome", {"name": ...}, "name"),
        ("firefox", {"name": "bad name"}, "name"),
        ("chrome", {"description": ""}, "description"),
        ("chrome", {"description": ...}, "description"),
        ("firefox", {"description": 3}, "description"),
        ("chrome", {"type": "pkcs11"}, "type"),
        ("firefox", {"type": ...}, "type"),
        ("chrome", {"path": ""}, "path"),
        ("firefox", {"path": 1}, "path"),
        ("chrome", {"allowed_origins": ...}, "allowed_origins"),
        ("chrome", {"allowed_origins": "chrome-extension://x/"}, "allowed_origins"),
        ("chrome", {"allowed_origins": [1]}, "allowed_origins"),
        ("chrome", {"allowed_origins": ["chrome-extension://*/"]}, "allowed_origins"),
        ("chrome", {"allowed_origins": ["<all_urls>"]}, "allowed_origins"),
        ("chrome", {"allowed_origins": ["https://example.com/"]}, "allowed_origins"),
        ("chrome", {"allowed_origins": ["chrome-extension://abc"]}, "allowed_origins"),
        ("firefox", {"allowed_extensions": ...}, "allowed_extensions"),
        ("firefox", {"allowed_extensions": []}, "allowed_extensions"),
        ("firefox", {"allowed_extensions": ["not an id"]}, "allowed_extensions"),
    ],
)
def test_parse_rejects(family: Any, over: dict[str, Any], key: str) -> None:
    with pytest.raises(ManifestError) as exc:
        parse(family, **over)
    assert exc.value.key == key
    assert exc.value.file == str(MPATH)


@pytest.mark.parametrize("text", ["{not json", "[]", '"x"', '{"name": NaN}'])
def test_parse_rejects_bad_json(text: str) -> None:
    with pytest.raises(ValueError):
        N.parse_host_manifest(text, MPATH, "chrome")


def test_parse_keeps_relative_path_and_ignores_other_family_keys() -> None:
    m = parse("chrome", path="echo.py", allowed_extensions=["x@y"])
    assert m.path == "echo.py" and not m.path_is_absolute
    assert m.allowed_extensions == ()
    m = parse("firefox", allowed_extensions=["{12345678-1234-1234-1234-123456789abc}", "A@B.c"])
    assert len(m.allowed_extensions) == 2


def test_host_allows() -> None:
    c = parse("chrome", allowed_origins=[f"chrome-extension://{CID}/", "chrome-extension://b/*"])
    assert N.host_allows(c, CID, "chrome")
    assert N.host_allows(c, "b", "chrome")
    assert not N.host_allows(c, "other", "chrome")
    assert not N.host_allows(parse("chrome", allowed_origins=[]), CID, "chrome")
    f = parse("firefox")
    assert N.host_allows(f, FID, "firefox")
    assert not N.host_allows(f, "other@test", "firefox")


def test_host_argv_and_cwd() -> None:
    c = parse("chrome")
    assert N.host_argv(c, MPATH, CID, "chrome") == [
        "/opt/hosts/echo.py",
        f"chrome-extension://{CID}/",
    ]
    f = parse("firefox")
    assert N.host_argv(f, MPATH, FID, "firefox") == ["/opt/hosts/echo.py", str(MPATH), FID]
    assert N.host_cwd(c) == "/opt/hosts"


# --- lookup -----------------------------------------------------------------------------------

UDD = Path("/udd/NativeMessagingHosts")
SYS = Path("/etc/chromium/native-messaging-hosts")


def test_find_host_manifest_order() -> None:
    files = {UDD / "a.json", SYS / "a.json", SYS / "b.json", Path("/reg/a.json")}
    exists = files.__contains__
    assert N.find_host_manifest("a", [UDD, SYS], {}, exists) == UDD / "a.json"
    assert N.find_host_manifest("b", [UDD, SYS], {}, exists) == SYS / "b.json"
    assert N.find_host_manifest("a", [UDD], {"a": Path("/reg/a.json")}, exists) == Path(
        "/reg/a.json"
    )
    assert N.find_host_manifest("a", [UDD], {"a": Path("/reg/gone.json")}, exists) == (
        UDD / "a.json"
    )
    assert N.find_host_manifest("c", [UDD, SYS], {}, exists) is None


def test_find_host_manifest_default_exists(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{}")
    (tmp_path / "d.json").mkdir()
    assert N.find_host_manifest("x", [tmp_path], {}) == tmp_path / "x.json"
    assert N.find_host_manifest("d", [tmp_path], {}) is None


class FS:
    def __init__(self, files: dict[Path, str]) -> None:
        self.files = files

    def exists(self, p: Path) -> bool:
        return p in self.files

    def read(self, p: Path) -> str | None:
        return self.files.get(p)


def resolve(family: Any, fs: FS, name: str = "com.test.echo", ext: str | None = None) -> Any:
    ext = ext or (CID if family == "chrome" else FID)
    return N.resolve_host(name, ext, family, [UDD, SYS], {}, read_text=fs.read, exists=fs.exists)


EXE = HOSTS / "echo.py"


def fs_with(family: str, where: Path = UDD, **over: Any) -> FS:
    return FS({where / "com.test.echo.json": json.dumps(manifest(family, **over)), EXE: ""})


@pytest.mark.parametrize("family", ["chrome", "firefox"])
def test_resolve_ok(family: Any) -> None:
    r = resolve(family, fs_with(family))
    assert r.outcome == "ok"
    assert r.manifest_path == UDD / "com.test.echo.json"
    assert r.cwd == str(HOSTS)
    if family == "chrome":
        assert r.argv == (str(EXE), f"chrome-extension://{CID}/")
    else:
        assert r.argv == (str(EXE), str(UDD / "com.test.echo.json"), FID)


@pytest.mark.parametrize(
    ("case", "chrome", "firefox"),
    [
        ("bad_name", "invalid_name", "invalid_name"),
        ("upper", "invalid_name", "not_found"),
        ("none", "not_found", "not_found"),
        ("not_allowed", "forbidden", "not_found"),
        ("name_mismatch", "not_found", "not_found"),
        ("relative", "not_found", "not_found"),
        ("relative_not_allowed", "forbidden", "not_found"),  # Chromium checks origins first
        ("missing_exe", "missing_executable", "missing_executable"),
        ("bad_json", "not_found", "not_found"),
        ("unreadable", "not_found", "not_found"),
    ],
)
def test_resolve_failures(case: str, chrome: str, firefox: str) -> None:
    for family, expected in (("chrome", chrome), ("firefox", firefox)):
        name = "com.test.echo"
        ext = None
        fs = fs_with(family)
        if case == "bad_name":
            name = "Bad Name!"
        elif case == "upper":
            name = "Com.Test.Echo"
        elif case == "none":
            name = "com.test.nope"
        elif case == "not_allowed":
            ext = "other@test" if family == "firefox" else "other"
        elif case == "name_mismatch":
            fs = fs_with(family, name="com.test.other")
        elif case == "relative":
            fs = fs_with(family, path="echo.py")
        elif case == "relative_not_allowed":
            fs = fs_with(family, path="echo.py")
            ext = "other@test" if family == "firefox" else "other"
        elif case == "missing_exe":
            del fs.files[EXE]
        elif case == "bad_json":
            fs.files[UDD / "com.test.echo.json"] = "{"
        elif case == "unreadable":
            fs.files = {UDD / "com.test.echo.json": None, EXE: ""}  # type: ignore[dict-item]
        r = resolve(family, fs, name, ext)
        assert r.outcome == expected, (family, case)
        assert r.argv == ()


def test_resolve_fallback_differs_by_family() -> None:
    """Firefox skips an invalid manifest and tries the next directory; Chrome takes the first
    existing file."""
    for family, expected in (("chrome", "not_found"), ("firefox", "ok")):
        good = manifest(family)
        fs = FS(
            {
                UDD / "com.test.echo.json": "{broken",
                SYS / "com.test.echo.json": json.dumps(good),
                EXE: "",
            }
        )
        r = resolve(family, fs)
        assert r.outcome == expected, family
    r = resolve("firefox", fs_with("firefox", where=SYS), ext="x@y")
    assert r.outcome == "not_found"
    assert r.log and "does not have permission" in r.log
