"""Progress bars: on stderr for long runs on a terminal; silent with --json or no terminal."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from orbitkeep.cli import main
from orbitkeep.report.progress import progress_bar

ISS_2022 = Path(__file__).resolve().parents[1] / "data" / "observed" / "25544_iss.tle"


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_draws_on_a_terminal_stderr_and_never_on_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    with progress_bar(enabled=True, label="propagating", delay_s=0.0) as bar:
        for k in range(5):
            bar(k / 4)
    assert "propagating" in err.getvalue()
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("enabled", [True, False])
def test_silent_without_a_terminal_or_when_disabled(
    monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    err = FakeTTY() if not enabled else io.StringIO()  # disabled on a TTY; enabled on a pipe
    monkeypatch.setattr(sys, "stderr", err)
    with progress_bar(enabled=enabled, delay_s=0.0) as bar:
        bar(0.5)
        bar(1.0)
    assert err.getvalue() == ""


def test_short_runs_stay_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    with progress_bar(enabled=True, delay_s=60.0) as bar:
        bar(1.0)
    assert err.getvalue() == ""


@pytest.mark.parametrize("as_json", [True, False])
def test_decay_command_uses_the_bar_only_without_json(
    monkeypatch: pytest.MonkeyPatch, as_json: bool
) -> None:
    """The command passes a progress callback to the propagator; with --json it is silent
    even on a terminal."""
    import orbitkeep.report.progress as progress

    calls: list[bool] = []
    real = progress.progress_bar

    def spy(*, enabled: bool = True, **kw: object):  # type: ignore[no-untyped-def]
        calls.append(enabled)
        return real(enabled=enabled, delay_s=0.0)

    monkeypatch.setattr(progress, "progress_bar", spy)
    err, out = FakeTTY(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    args = ["decay", str(ISS_2022), "--days", "15", "--ballistic-coefficient", "0.009"]
    assert main(args + (["--json"] if as_json else [])) == 0
    assert calls == [not as_json]
    if as_json:
        assert err.getvalue() == ""
        assert out.getvalue().lstrip().startswith("{")
    else:
        assert "propagating" in err.getvalue()
        assert "propagating" not in out.getvalue()
