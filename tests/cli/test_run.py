"""`webext-runtime run`: steps in order, console lines with labels, trace, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webext_runtime._cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "ports-demo"


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
def test_run_demo(profile: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    trace = tmp_path / "trace.json"
    rc = main(
        [
            "run",
            str(DEMO),
            "--profile",
            profile,
            "--open",
            "https://example.com/",
            "--click",
            "body",
            "--click-action",
            "--trace",
            str(trace),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "background: background got: {n: 2, clicked: true}" in out
    assert "--- message trace ---" in out
    records = json.loads(trace.read_text())
    kinds = [r["kind"] for r in records]
    assert kinds.count("connect") == 2 and "action_clicked" in kinds


def test_quiet_prints_console_only(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["run", str(DEMO), "--open", "https://example.com/", "--quiet"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "--- message trace ---" not in out and "browser:" not in out
    assert (
        out.splitlines()[0] == 'background: onConnect "demo-cs" from https://example.com/ (tab 1)'
    )


def test_bad_manifest_exits_nonzero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "manifest.json").write_text('{"manifest_version": 3, "name": "x"}')
    rc = main(["run", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "manifest.json" in err and "version" in err


def test_uncaught_extension_error_exits_nonzero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "manifest_version": 3,
                "name": "boom",
                "version": "1",
                "background": {"service_worker": "bg.js"},
            }
        )
    )
    (tmp_path / "bg.js").write_text("function f() { throw new Error('boom'); }\nf();\n")
    rc = main(["run", str(tmp_path), "--quiet"])
    captured = capsys.readouterr()
    assert rc == 1
    assert "background: Uncaught Error: boom" in captured.out
    assert "bg.js" in captured.err


def test_steps_keep_command_line_order(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "--click-action" in capsys.readouterr().out
    rc = main(["run", str(DEMO), "--click", "body"])
    assert rc == 2
    assert "--click needs a tab" in capsys.readouterr().err
