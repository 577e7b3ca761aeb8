"""The public host library ``webext_runtime.native``."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from webext_runtime import native

SRC = Path(__file__).resolve().parents[1] / "src"


def standalone_env(tmp_path: Path) -> dict[str, str]:
    """PYTHONPATH with a package holding only native.py: proves the module is standalone
    (stdlib only) and starts hosts fast (the real package imports the whole runtime)."""
    pkg = tmp_path / "standalone" / "webext_runtime"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "native.py").write_text((SRC / "webext_runtime" / "native.py").read_text("utf-8"))
    return {**os.environ, "PYTHONPATH": str(pkg.parent)}


def frame(payload: bytes) -> bytes:
    return struct.pack("=I", len(payload)) + payload


def test_encode_is_native_order_compact_utf8() -> None:
    assert native.encode_message({"i": 1}) == frame(b'{"i":1}')
    data = native.encode_message({"i": 2, "s": "héllo ☃ 😀"})
    assert data[4:] == '{"i":2,"s":"héllo ☃ 😀"}'.encode()
    assert struct.unpack("=I", data[:4]) == (29,)
    assert int.from_bytes(data[:4], sys.byteorder) == 29


def test_encode_refuses_what_browsers_refuse() -> None:
    with pytest.raises(ValueError, match="1048576"):
        native.encode_message("x" * (1024 * 1024))  # 1048578 JSON bytes
    native.encode_message("x" * (1024 * 1024 - 2))  # exactly 1 MiB is fine
    assert len(native.encode_message("x" * 2_000_000, max_bytes=None)) == 2_000_006
    with pytest.raises(ValueError):
        native.encode_message(float("nan"))
    with pytest.raises(ValueError):
        native.encode_message(object())


def test_decode_frames_returns_messages_and_rest() -> None:
    buf = native.encode_message([1]) + frame(b"") + native.encode_message("two")
    msgs, rest = native.decode_frames(buf + b"\x05\x00")
    assert msgs == [[1], None, "two"]
    assert rest == b"\x05\x00"
    msgs, rest = native.decode_frames(frame(b'"abc"')[:-1])
    assert msgs == [] and rest == frame(b'"abc"')[:-1]
    with pytest.raises(ValueError):
        native.decode_frames(frame(b"{not json"))


def test_read_message_eof_null_and_truncation() -> None:
    stream = io.BytesIO(native.encode_message(None) + native.encode_message({"a": [1]}))
    assert native.read_message(stream, eof=native.EOF) is None
    assert native.read_message(stream) == {"a": [1]}
    assert native.read_message(stream) is None
    assert native.read_message(stream, eof=native.EOF) is native.EOF
    with pytest.raises(EOFError):
        native.read_message(io.BytesIO(b"\x01\x00"))
    with pytest.raises(EOFError):
        native.read_message(io.BytesIO(frame(b'"abc"')[:-2]))
    assert native.read_message(io.BytesIO(frame(b""))) is None  # Firefox's undefined
    assert repr(native.EOF) == "EOF"


def test_round_trip_through_a_pipe_with_short_reads() -> None:
    r, w = os.pipe()
    values: list[Any] = [{"k": "v" * 100_000}, [1, 2.5, True, None], "☃", 0]
    with open(r, "rb", buffering=0) as rf, open(w, "wb") as wf:

        def writer() -> None:
            for v in values:
                native.write_message(v, wf)
            wf.close()

        t = threading.Thread(target=writer)
        t.start()
        got = []
        while (m := native.read_message(rf, eof=native.EOF)) is not native.EOF:
            got.append(m)
        t.join()
    assert got == values


def test_run_replies_skips_none_and_stops_at_eof() -> None:
    inp = io.BytesIO(b"".join(native.encode_message(m) for m in [1, "skip", None, {"x": 2}]))
    out = io.BytesIO()
    seen: list[Any] = []

    def handler(m: Any) -> Any:
        seen.append(m)
        return None if m == "skip" else {"echo": m}

    native.run(handler, inp, out)
    assert seen == [1, "skip", None, {"x": 2}]
    msgs, rest = native.decode_frames(out.getvalue())
    assert msgs == [{"echo": 1}, {"echo": None}, {"echo": {"x": 2}}]
    assert rest == b""


def test_subprocess_host_reads_two_messages_and_answers(tmp_path: Path) -> None:
    script = tmp_path / "host.py"
    script.write_text(
        "import sys\n"
        "from webext_runtime.native import read_message, write_message\n"
        "a = read_message()\n"
        "b = read_message()\n"
        "write_message({'sum': a['n'] + b['n'], 'argv': sys.argv[1:]})\n"
        "assert read_message() is None\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run(
        [sys.executable, str(script), "chrome-extension://abc/"],
        input=native.encode_message({"n": 2}) + native.encode_message({"n": 40}),
        capture_output=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    msgs, rest = native.decode_frames(proc.stdout)
    assert msgs == [{"sum": 42, "argv": ["chrome-extension://abc/"]}]
    assert rest == b""


def test_run_survives_a_closed_stdout(tmp_path: Path) -> None:
    """Chrome closes its end of stdout on disconnect: run() must end quietly."""
    script = tmp_path / "host.py"
    script.write_text(
        "from webext_runtime.native import run\nrun(lambda m: 'x' * 200_000)\n",
        encoding="utf-8",
    )
    env = standalone_env(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    proc.stdout.close()  # reader gone before the host writes
    proc.stdin.write(native.encode_message("go"))
    proc.stdin.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=30) == 0
    assert b"Traceback" not in err and b"Exception ignored" not in err, err.decode()


def test_docstring_example_host_is_valid(tmp_path: Path) -> None:
    doc = native.__doc__ or ""
    start = doc.index("    #!/usr/bin/env python3")
    end = doc.index("    run(handle)\n", start) + len("    run(handle)\n")
    code = textwrap.dedent(doc[start:end])
    script = tmp_path / "echo_host.py"
    script.write_text(code, encoding="utf-8")
    env = standalone_env(tmp_path)
    proc = subprocess.run(
        [sys.executable, str(script), "chrome-extension://id/"],
        input=native.encode_message({"hi": 1}) + native.encode_message("bye"),
        capture_output=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    msgs, _ = native.decode_frames(proc.stdout)
    assert msgs == [{"echo": {"hi": 1}, "argv": ["chrome-extension://id/"]}]
    assert json.loads(json.dumps(msgs)) == msgs
