"""Reentry Monte Carlo speed: a 1000-sample prediction against a one-sample run.

    .venv/bin/python benchmarks/reentry.py [--write]

Predicts STARLINK-24's reentry as of 2022-10-10 (two weeks before it came down) from
the repo's test data, with NRLMSIS 2.1: one sample, then 1000 samples serially and on
the local process pool (the default executor), through the daily density table (the
default from 200 samples on) and with NRLMSIS at every node (``density="exact"``).
Then 90 days out (2022-07-26, the longest lead of docs/validation.md): the default,
whose last samples (fewer than 200 left at a slice edge) fly on NRLMSIS itself,
against the table kept to the end (``density="table"``). Then a year out (2021-10-24),
where the daily density tables dominate: the cost per year of remaining lifetime, what
a multi-year lifetime check costs; and GeneSat-1 as of 2007-01-15, 2.5 years out at the
median. Both of these with the tables past the first year thinned to one day in four
(the default, ``density_table.THIN_DAYS``) and, as the baseline, every day's.
Target (issue 4): 1000 samples < 10 s.

    .venv/bin/python benchmarks/reentry.py --lifetime-check [--write]

A 25-year lifetime check of a 3U CubeSat at 600 km at the space-weather file's present
(its own section), with every day's table and thinned.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
from _common import fmt_ratio, fmt_s, machine_lines, md_table, write_section  # noqa: E402

from orbitkeep.environment import density_table  # noqa: E402
from orbitkeep.environment.spaceweather import load_space_weather  # noqa: E402
from orbitkeep.io.tle import history, read_tles  # noqa: E402
from orbitkeep.reentry import predict_reentry  # noqa: E402
from orbitkeep.timescale import parse_utc  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    ap.add_argument(
        "--lifetime-check",
        action="store_true",
        help="only the 25-year lifetime check of a 3U CubeSat at 600 km (about 10 minutes)",
    )
    args = ap.parse_args()
    if args.lifetime_check:
        return lifetime_check(args.write)
    sw = load_space_weather()
    obs = ROOT / "tests" / "data" / "observed"
    h = history(read_tles(obs / "44238_starlink24.tle"))
    genesat = history(read_tles(obs / "29655_genesat1.tle"))
    two_weeks = parse_utc("2022-10-10T12:00")
    ninety_days = parse_utc("2022-07-26T12:00")
    a_year = parse_utc("2021-10-24T12:00")
    years = parse_utc("2007-01-15T00:00")  # GeneSat-1, 3.6 years before it came down
    rows = []
    base = None
    thin_days = density_table.THIN_DAYS
    long_runs: dict[str, list[tuple[float, Any]]] = {"a year out": [], "GeneSat-1": []}
    for label, hist, before, n, ex, dens in (
        ("1 sample", h, two_weeks, 1, "serial", "auto"),
        ("1000 samples, serial, table", h, two_weeks, 1000, "serial", "auto"),
        ("1000 samples, process pool, table (default)", h, two_weeks, 1000, "process", "auto"),
        ("1000 samples, process pool, exact NRLMSIS", h, two_weeks, 1000, "process", "exact"),
        ("90 days out: 1000, pool, default", h, ninety_days, 1000, "process", "auto"),
        ("90 days out: 1000, pool, table to the end", h, ninety_days, 1000, "process", "table"),
        ("a year out: 1000, pool, default, every day's table", h, a_year, 1000, "process", "daily"),
        ("a year out: 1000, pool, default", h, a_year, 1000, "process", "auto"),
        ("GeneSat-1 from 2007-01-15: 1000, pool, default, every day's table", genesat, years,
         1000, "process", "daily"),
        ("GeneSat-1 from 2007-01-15: 1000, pool, default", genesat, years, 1000, "process",
         "auto"),
    ):  # fmt: skip
        # "daily": the default run with the tables past the first year left daily
        density_table.THIN_DAYS = 1 if dens == "daily" else thin_days
        dens = "auto" if dens == "daily" else dens
        t0 = time.perf_counter()
        r = predict_reentry(hist, sw, before_s=before, samples=n, seed=1, executor=ex, density=dens)
        wall = time.perf_counter() - t0
        base = wall if base is None else base
        rows.append([label, fmt_s(wall), fmt_ratio(wall / base), f"{wall / n * 1e3:.1f} ms"])
        p50 = r.quantiles_s["p50"]
        for key, runs in long_runs.items():
            if not label.startswith(key):
                continue
            runs.append((wall, r))
            if p50 is not None:
                life_y = (p50 - before) / (365.25 * 86400.0)
                per_year = f"{wall / life_y:.0f} s per year of the median remaining lifetime"
                rows[-1][0] += f" (p50 {life_y:.2f} years out: {per_year})"
        print(label, f"{wall:.2f} s", r.to_json()["reentry_utc"], flush=True)
    thin_lines = []
    for key, ((w_daily, r_daily), (w_thin, r_thin)) in long_runs.items():
        life = (r_thin.reentry_s - r_thin.tle_epoch_s) / (
            r_daily.reentry_s - r_daily.tle_epoch_s
        ) - 1.0
        thin_lines.append(
            f"- {key}: {w_daily / w_thin:.2f}x faster; the samples' lifetimes move by "
            f"{100 * np.nanmedian(np.abs(life)):.2f} % (median), "
            f"{100 * np.nanmax(np.abs(life)):.2f} % (worst), "
            f"{100 * np.nanmean(life):+.2f} % (mean)."
        )
    body = "\n".join(
        [
            "### Reentry Monte Carlo (`benchmarks/reentry.py`)",
            "",
            *machine_lines(["numpy", "pymsis"], "default"),
            "",
            md_table(["run", "wall", "ratio to 1 sample", "per sample"], rows),
            "",
            "Target: 1000 samples in under 10 s on this 2-core machine (the default run, "
            "two weeks out). Ratios are to the one-sample run, two weeks out.",
            "",
            f"Tables past the first year thinned to one day in {thin_days} "
            "(`density_table.THIN_DAYS`, the default) against every day's, in the same run:",
            "",
            *thin_lines,
        ]
    )
    print(body)
    if args.write:
        write_section("<!-- reentry:begin -->", "<!-- reentry:end -->", body)
    return 0


def lifetime_check(write: bool) -> int:
    """A 25-year lifetime check at the space-weather file's present (its own predictions
    ahead): a 3U CubeSat at 600 km (B = Cd A / m = 2.2 x 0.03 m^2 / 4 kg = 0.0165 m^2/kg,
    53 deg) from a synthetic history, 1000 samples on the process pool, with every day's
    table and thinned (the default)."""
    from orbitkeep.constants import DAY_S
    from orbitkeep.environment.atmosphere import make_atmosphere
    from orbitkeep.synthetic import flown_history

    sw = load_space_weather()
    end = sw.observed_until_s - 0.5 * DAY_S  # at the file's present: its predictions ahead
    h = flown_history(
        make_atmosphere("msis2.1", sw.with_policy("cycle")),
        start_s=end - 50 * DAY_S,
        end_s=end,
        alt_km=600.0,
        b_m2_kg=0.0165,
        incl_rad=float(np.radians(53.0)),
        name="SYNTHETIC 3U",
    )
    thin_days = density_table.THIN_DAYS
    rows, runs = [], []
    for label, k in (
        ("every day's table", 1),
        (f"default (one table in {thin_days} days past the first year)", thin_days),
    ):
        density_table.THIN_DAYS = k
        t0 = time.perf_counter()
        r = predict_reentry(h, sw, samples=1000, seed=1, executor="process")
        wall = time.perf_counter() - t0
        runs.append((wall, r))
        q = {
            key: (v - r.prediction_epoch_s) / (365.25 * DAY_S) if v is not None else None
            for key, v in r.quantiles_s.items()
        }
        rules = ", ".join(
            f"{x['years']:g} years: {100 * x['probability']:.1f} %"
            + (" (compliant)" if x["compliant"] else "")
            for x in r.to_json()["lifetime_rules"]
        )
        spans = " / ".join(
            "beyond the horizon" if q[x] is None else f"{q[x]:.2f}" for x in ("p05", "p50", "p95")
        )
        rows.append([label, fmt_s(wall), f"{runs[0][0] / wall:.2f}x", spans, rules])
        print(label, f"{wall:.1f} s", r.to_json()["reentry_utc"], rules, flush=True)
    life = (runs[1][1].reentry_s - end) / (runs[0][1].reentry_s - end) - 1.0
    body = "\n".join(
        [
            "### A 25-year lifetime check (`benchmarks/reentry.py --lifetime-check`)",
            "",
            *machine_lines(["numpy", "pymsis"], "lifetime-check"),
            "",
            "A 3U CubeSat at 600 km (B = 0.0165 m^2/kg, 53 deg; a synthetic history of 50 days "
            "flown by the model), predicted at the space-weather file's present with its own "
            "predictions ahead, 1000 samples on the process pool, the 25-year horizon:",
            "",
            md_table(["run", "wall", "speed-up over every day's table", "p05 / p50 / p95, years", "reentered within"], rows),
            "",
            f"The samples' lifetimes move by {100 * np.nanmedian(np.abs(life)):.2f} % (median), "
            f"{100 * np.nanmax(np.abs(life)):.2f} % (worst), {100 * np.nanmean(life):+.2f} % (mean) "
            f"with the thinned tables (the {int(np.isfinite(life).sum())} samples that come down "
            "within the horizon; the file's monthly predictions ahead are smooth, so few days' "
            "wiggles are sampled).",
        ]
    )  # fmt: skip
    print(body)
    if write:
        write_section("<!-- reentry-lifetime:begin -->", "<!-- reentry-lifetime:end -->", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
