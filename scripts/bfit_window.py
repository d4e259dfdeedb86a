"""How long a window the ballistic-coefficient fit should use, scored on data the reentry
hindcasts' B fits do not use: the reentered objects' early life.

From origins every ``STEP_DAYS`` along each naturally decaying object's history (from 50
days after its first usable set to 135 days before its catalogued decay, so that no
predicted day reaches the at most 45 days of element sets that the B fits of the
hindcasts' earliest, 90-day, epoch are fitted on), B is fitted on the sets before the
origin with each window policy, and the mean semi-major axis is propagated 30, 60 and
90 days with the observed space weather (so the score measures B and the density model
alone). The error is the log ratio of the predicted to the observed drop of mean a (the
observed end value: the median over the sets within 0.75 days of it, each taken
relative to the predicted path).

The policies: the adaptive window (back until the decay has lowered the mean a by 100 TLE
noise levels, 5-30 days: ``orbitkeep.estimation.adaptive_window_days``), fixed windows of
10, 20, 30, 45, 60 and 90 days (the longest ones: does a long look back help the
predictions 60-90 days out, as it would if B's wander averaged out?), and the
combination the package uses: the geometric mean of the adaptive, 20-day and 45-day fits
(``orbitkeep.drag_fit.fit_with_spread``, with its guard against drag-free weeks; the
errors of fits over different windows are partly independent, so their mean errs less
than each). Each is paired with the adaptive window, origin by origin.

    .venv/bin/python scripts/bfit_window.py     # print the section alone
"""

from __future__ import annotations

import csv
import functools
import sys
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
OBS = HERE.parent / "tests" / "data" / "observed"

#: Days between origins.
STEP_DAYS = 15.0
#: Leads scored, days.
LEADS_DAYS = (30, 60, 90)
#: Window policies: None is the package's adaptive window, a number a fixed window (days).
POLICIES: dict[str, float | str | None] = {
    "adaptive": None,
    "10 d": 10.0,
    "20 d": 20.0,
    "30 d": 30.0,
    "45 d": 45.0,
    "60 d": 60.0,
    "90 d": 90.0,
    "combination (used)": "combination",
}
#: Origins' predictions end this many days before the catalogued decay: the hindcasts'
#: earliest epoch (90 days) plus the longest window their B fits use (45 days).
CLEAR_DAYS = 135.0
#: The Starlinks were still raising their orbits early in 2020 (SOURCES.md: no
#: mean-motion jump after mid-2020); their early life starts here.
FIRST_QUIET = {"44238": "2020-08-01", "44249": "2020-08-01", "44287": "2020-08-01"}
_SW: Any = None


@functools.cache
def _history(nid: str) -> Any:
    """The observed history of NORAD ``nid`` (read once per process)."""
    from orbitkeep.io.tle import history, read_tles
    from orbitkeep.validation import REENTERED_HISTORIES

    return history(read_tles(OBS / REENTERED_HISTORIES[nid]))


def origins() -> list[tuple[str, str, float]]:
    """(NORAD id, name, origin epoch in Unix s) of every scored prediction."""
    from orbitkeep.constants import DAY_S
    from orbitkeep.timescale import parse_utc
    from orbitkeep.validation import DECAY_STRETCH_HISTORIES, REENTERED_HISTORIES

    out = []
    with (OBS / "reentries.csv").open() as fh:
        for row in csv.DictReader(fh):
            nid = row["norad_id"]
            if REENTERED_HISTORIES[nid] not in DECAY_STRETCH_HISTORIES:  # GOCE: powered
                continue
            truth = parse_utc(row["reentry_utc"]) + 0.5 * DAY_S
            h = _history(nid)
            first = float(h.epoch_s[0])
            if nid in FIRST_QUIET:
                first = max(first, parse_utc(FIRST_QUIET[nid]))
            t = first + 50 * DAY_S
            while t + max(LEADS_DAYS) * DAY_S <= truth - CLEAR_DAYS * DAY_S:
                out.append((nid, row["name"], t))
                t += STEP_DAYS * DAY_S
    return out


def score(case: tuple[str, str, float]) -> tuple[str, dict[str, list[float | None]]]:
    """The log errors of each policy at each lead for one origin (None: no fit / no sets)."""
    from orbitkeep.constants import DAY_S
    from orbitkeep.drag_fit import fit_with_spread
    from orbitkeep.environment.atmosphere import make_atmosphere
    from orbitkeep.environment.spaceweather import load_space_weather
    from orbitkeep.estimation import (
        BallisticFit,
        EstimationError,
        fit_ballistic_coefficient,
        mean_elements_at,
    )
    from orbitkeep.propagators.averaged import AveragedSettings, propagate_averaged

    global _SW
    if _SW is None:
        _SW = load_space_weather()
    nid, name, t0 = case
    h = _history(nid)
    hh = h.select(h.epoch_s < t0)
    el = mean_elements_at(hh, len(hh) - 1)
    ts = float(hh.epoch_s[-1])
    atm = make_atmosphere("msis2.1", _SW)
    fits: dict[str, Any] = {}
    for label, w in POLICIES.items():
        try:
            if w is None:
                fits[label] = fit_ballistic_coefficient(hh, atm)
            elif isinstance(w, float):
                fits[label] = fit_ballistic_coefficient(
                    hh, atm, window_days=w, min_days=5.0, max_window_days=max(30.0, w)
                )
        except EstimationError:
            fits[label] = None
    nominal, _ = fit_with_spread(hh, atm, ts, executor="serial")  # what the package uses
    fits["combination (used)"] = nominal if isinstance(nominal, BallisticFit) else None
    res: dict[str, list[float | None]] = {}
    for label, fit in fits.items():
        if fit is None:
            res[label] = [None] * len(LEADS_DAYS)
            continue
        end = ts + (max(LEADS_DAYS) + 1) * DAY_S
        tr = propagate_averaged(el, fit.b_m2_kg, atm, end, settings=AveragedSettings())
        path = tr.trajectories[0]
        errs: list[float | None] = []
        for lead in LEADS_DAYS:
            t1 = ts + lead * DAY_S
            near = np.abs(h.epoch_s - t1) < 0.75 * DAY_S
            if near.sum() < 2:
                errs.append(None)
                continue
            a1_pred = float(np.interp(t1, path.t_s, path.sma_m))
            resid = h.sma_m[near] - np.interp(h.epoch_s[near], path.t_s, path.sma_m)
            observed = el.sma_m[0] - (a1_pred + float(np.median(resid)))
            predicted = el.sma_m[0] - a1_pred
            errs.append(float(np.log(predicted / observed)) if observed > 0 else None)
        res[label] = errs
    return name, res


def section_lines() -> list[str]:
    """Markdown lines of the section (every origin scored on a local process pool)."""
    from scipy.stats import binomtest

    from orbitkeep.batch import run_many

    cases = origins()
    results = run_many(cases, score, executor="process")
    names = sorted({n for n, _ in results})
    lines = [
        "### Choosing the B-fit window (the reentered objects' early life)",
        "",
        "How long a window the ballistic-coefficient fit should look back over, scored on",
        "data the reentry hindcasts' B fits do not use: predictions from every "
        f"{STEP_DAYS:g} days of each naturally",
        f"decaying object's history, up to {CLEAR_DAYS:g} days before its catalogued decay, of the",
        "drop of mean a over the next "
        + ", ".join(f"{d:g}" for d in LEADS_DAYS[:-1])
        + f" and {LEADS_DAYS[-1]:g} days, with the observed space weather",
        "(B and the density model alone; `scripts/bfit_window.py`). Median |log error| of",
        "the predicted drop, %:",
        "",
        "| lead d | object | origins | " + " | ".join(POLICIES) + " |",
        "|---|---|---|" + "---|" * len(POLICIES),
    ]
    med: dict[tuple[int, str, str], float] = {}
    for li, lead in enumerate(LEADS_DAYS):
        for who in [*names, "all"]:
            cells, n = [], 0
            for label in POLICIES:
                e = np.array(
                    [
                        r[label][li]
                        for nm, r in results
                        if (who == "all" or nm == who) and r[label][li] is not None
                    ],
                    dtype=float,
                )
                n = max(n, e.size)
                med[(lead, who, label)] = float(np.median(np.abs(e))) if e.size else np.nan
                cells.append(f"{100 * med[(lead, who, label)]:.1f}" if e.size else "-")
            row = f"**{who}**" if who == "all" else who
            lines.append(f"| {lead} | {row} | {n} | " + " | ".join(cells) + " |")
    used = next(iter(POLICIES))
    lines += [
        "",
        "The same predictions paired, origin by origin: how often each fixed window gives a",
        "smaller |error| than the adaptive one, with the two-sided sign test's p-value",
        "(the chance of a split at least this uneven if neither were better):",
        "",
        "| lead d | window | origins | better than adaptive | sign-test p |",
        "|---|---|---|---|---|",
    ]
    better, worse = [], []
    n_tests = len(LEADS_DAYS) * (len(POLICIES) - 1)
    for li, lead in enumerate(LEADS_DAYS):
        for label in POLICIES:
            if label == used:
                continue
            pairs = [
                (abs(r[used][li]), abs(r[label][li]))  # type: ignore[arg-type]
                for _, r in results
                if r[used][li] is not None and r[label][li] is not None
            ]
            a = np.array([x for x, y in pairs if x != y])
            b = np.array([y for x, y in pairs if x != y])
            wins = int(np.sum(b < a))
            pval = float(binomtest(wins, a.size).pvalue) if a.size else float("nan")
            if pval < 0.05:
                (better if wins > a.size / 2 else worse).append(f"{label} at {lead} d")
            lines.append(
                f"| {lead} | {label} | {a.size} | {100 * wins / max(a.size, 1):.0f} % | "
                f"{pval:.2f} |"
            )
    lines += [
        "",
        "Better than the adaptive window at p < 0.05: "
        + (", ".join(better) or "none")
        + "; worse: "
        + (", ".join(worse) or "none")
        + f". Of {n_tests} comparisons, {len(better) + len(worse)} fall below 0.05; with"
        f" none of the windows different, at least one would {100 * (1 - 0.95**n_tests):.0f} %"
        " of the time. The package uses the combination (`orbitkeep.drag_fit`).",
        "",
    ]
    return lines


def main() -> int:
    """Print the section."""
    print("\n".join(section_lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
