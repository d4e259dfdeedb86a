"""End to end: the HTML report opened in headless Chromium renders without console errors.

Uses the system Chromium (Debian's ``chromium`` package, which ``.ci/run`` installs when
it can); set ``ORBITKEEP_CHROMIUM`` to use another binary. Skips only when no Chromium
binary is found. Screenshots are saved under the test's ``tmp_path``.

Console messages are read from Chromium's own log (``--enable-logging=stderr``): the
report has no script, so *any* console message (a JavaScript error, a blocked fetch, a
Content-Security-Policy violation) is an error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from orbitkeep.report.outputs import write_outputs

ROOT = Path(__file__).resolve().parents[2]
ISS_2022 = ROOT / "tests" / "data" / "observed" / "25544_iss.tle"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\)|:\d+)?\]\s*(.*)")
DECAY_BLUE = np.array([0, 114, 178]) / 255.0  # the altitude line (plots.py)


def chromium() -> str | None:
    env = os.environ.get("ORBITKEEP_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


BROWSER = chromium()
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium binary found (apt-get install chromium, or set ORBITKEEP_CHROMIUM)",
)


def open_in_browser(page: Path, shot: Path, profile: Path) -> list[str]:
    """Render ``page`` headless, save a screenshot, return the console messages."""
    assert BROWSER is not None
    cmd = [
        BROWSER,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",  # CI containers run as root
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--window-size=1200,2600",
        "--virtual-time-budget=5000",
        "--enable-logging=stderr",
        "--v=0",
        f"--screenshot={shot}",
        page.resolve().as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    log = proc.stdout + proc.stderr
    assert shot.exists(), f"no screenshot (exit {proc.returncode}):\n{log[-3000:]}"
    return [m.group(1) for line in log.splitlines() if (m := CONSOLE.search(line))]


def pixels(shot: Path) -> np.ndarray:
    import matplotlib.image

    img = np.asarray(matplotlib.image.imread(shot))
    return img[..., :3]


@pytest.fixture(scope="module")
def decay_result() -> Any:
    from orbitkeep.decay import DecaySpec, Environment, run_decay

    return run_decay(DecaySpec(tle_path=ISS_2022, days=20), Environment.build())


@pytest.fixture(scope="module")
def scenario_result() -> Any:
    from orbitkeep.station import partner_exit, run_scenario

    return run_scenario(partner_exit("roscosmos", years=2))


def fake_reentry() -> Any:
    rng = np.random.default_rng(0)
    r = 1.8e9 + rng.normal(0.0, 2e6, 400)
    q = {k: float(np.percentile(r, p)) for k, p in (("p05", 5), ("p50", 50), ("p95", 95))}
    return types.SimpleNamespace(
        norad_id=99999, name="TEST <SAT> & $1", prediction_epoch_s=1.79e9, tle_epoch_s=1.79e9,
        reentry_s=r, quantiles_s=q, b_m2_kg=0.01, b_sigma_m2_kg=0.001, samples=400, seed=0,
        horizon_s=7.9e8, interface_alt_m=120e3, forecast={"method": "persistence"},
        space_weather={"source": "SW-All.csv", "policy": "persist"}, nominal_reentry_s=1.8e9,
    )  # fmt: skip


def test_console_check_catches_errors(tmp_path: Path) -> None:
    """The detector itself: a page with a script error and a blocked fetch is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>x</p>"
        "<script>console.error('boom'); undefinedFunction();</script></body></html>"
    )
    msgs = open_in_browser(bad, tmp_path / "bad.png", tmp_path / "profile")
    assert any("boom" in m for m in msgs)
    assert any("undefinedFunction" in m for m in msgs)


@pytest.mark.parametrize("which", ["decay", "scenario", "reentry"])
def test_report_renders_without_console_errors(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    result = {
        "decay": lambda: request.getfixturevalue("decay_result"),
        "scenario": lambda: request.getfixturevalue("scenario_result"),
        "reentry": fake_reentry,
    }[which]()
    page = tmp_path / f"{which}.html"
    write_outputs(
        result, report=page, inputs={"tle_file": str(ISS_2022) if which == "decay" else None}
    )
    shot = tmp_path / f"{which}.png"
    msgs = open_in_browser(page, shot, tmp_path / "profile")
    assert msgs == [], f"console messages from {page}: {msgs}"
    img = pixels(shot)
    assert img.shape[0] >= 2000 and img.shape[1] >= 1000
    assert img.std() > 0.05, "blank screenshot"
    if which == "decay":  # the inline SVG figure was drawn: its line colour is on screen
        near = np.all(np.abs(img - DECAY_BLUE) < 0.06, axis=-1)
        assert near.sum() > 200
