"""`orbitkeep batch` end to end on a synthetic catalogue of 10,000 element sets.

    .venv/bin/python benchmarks/catalog.py [--n 10000] [--exact-n 1000] [--write]

Writes propagation.py's synthetic population (same seed) as a TLE file with
B* = B / 12.741621 (so that the catalogue's B* conversion gives back each object's B),
then times ``orbitkeep.catalog.run_catalog`` over one year on the default process
pool: reading and checking the file, B from B*, the density table (``--density auto``
picks it from 1,000 objects on), the chunked jobs and the result rows. For comparison
the first ``--exact-n`` objects run with exact NRLMSIS at every node, and the
same objects' lifetimes are compared between the two runs. Then those objects over
``--years`` (default 6) with the table thinned past the first year (the default)
against every day's table.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
from _common import fmt_ratio, fmt_s, machine_lines, md_table, write_section  # noqa: E402
from propagation import EPOCH_S, population  # noqa: E402
from sgp4.api import WGS72, Satrec  # noqa: E402
from sgp4.exporter import export_tle  # noqa: E402

from orbitkeep.catalog import BSTAR_TO_B, run_catalog  # noqa: E402
from orbitkeep.decay import Environment  # noqa: E402
from orbitkeep.environment import density_table  # noqa: E402

MU_WGS72_KM3_S2 = 398600.8  # SGP4's WGS-72 constant, to write the mean motion


def write_catalogue(n: int, path: Path) -> None:
    """The first ``n`` synthetic objects as a 3-line TLE file."""
    el, b = population(n)
    epoch_1950 = EPOCH_S / 86400.0 + 2440587.5 - 2433281.5
    lines = []
    for k in range(n):
        sat = Satrec()
        no = math.sqrt(MU_WGS72_KM3_S2 / (el.sma_m[k] / 1e3) ** 3) * 60.0
        sat.sgp4init(
            WGS72,
            "i",
            10000 + k,
            epoch_1950,
            b[k] / BSTAR_TO_B,
            0.0,
            0.0,
            el.ecc[k],
            el.argp_rad[k],
            el.incl_rad[k],
            el.mean_anomaly_rad[k],
            no,
            el.raan_rad[k],
        )
        l1, l2 = export_tle(sat)
        lines += [f"SYN-{k}", l1, l2]
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--exact-n", type=int, default=1000)
    ap.add_argument("--years", type=float, default=6.0, help="horizon of the thinning rows")
    ap.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = ap.parse_args()
    header = machine_lines(["numpy", "scipy", "pymsis", "sgp4"], "default")
    print("\n".join(header), flush=True)
    env = Environment.build(policy="cycle")
    rows, lives, walls = [], {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, n, density in (
            ("daily table (auto)", args.n, "auto"),
            ("daily table", args.exact_n, "table"),
            ("exact NRLMSIS", args.exact_n, "exact"),
        ):
            cat = Path(tmp) / f"cat{n}.tle"
            if not cat.exists():
                write_catalogue(n, cat)
            t0 = time.perf_counter()
            res = run_catalog(cat, env, horizon_years=1.0, density=density)
            wall = time.perf_counter() - t0
            down = sum(r["status"] == "reentered" for r in res.rows)
            bad = sum(r["status"].startswith("failed") for r in res.rows)
            lives[label] = {r["norad_id"]: r["lifetime_days"] for r in res.rows}
            walls[label] = wall
            rows.append([label, f"{n:,}", fmt_s(wall), f"{wall / n * 1e3:.1f} ms", down, bad])
            print(label, n, f"{wall:.1f} s", res.atmosphere, flush=True)
        # years ahead: the table thinned past the first year (the default) against every
        # day's, on the --exact-n objects
        cat = Path(tmp) / f"cat{args.exact_n}.tle"
        years_rows, years_lives, years_walls = [], {}, {}
        thin_days = density_table.THIN_DAYS
        for label, k in (("every day's table", 1), (f"one table in {thin_days} days", thin_days)):
            density_table.THIN_DAYS = k
            t0 = time.perf_counter()
            res = run_catalog(cat, env, horizon_years=args.years, density="table")
            wall = time.perf_counter() - t0
            down = sum(r["status"] == "reentered" for r in res.rows)
            years_lives[label] = {r["norad_id"]: r["lifetime_days"] for r in res.rows}
            years_walls[label] = wall
            years_rows.append([label, fmt_s(wall), down])
            print(label, f"{args.years:g} years", f"{wall:.1f} s", flush=True)
        density_table.THIN_DAYS = thin_days
    base_l, thin_l = (years_lives[r[0]] for r in years_rows)
    moved = np.array([thin_l[k] / v - 1 for k, v in base_l.items() if v and thin_l.get(k)])
    speed = years_walls[years_rows[0][0]] / years_walls[years_rows[1][0]]
    ratio = walls["exact NRLMSIS"] / walls["daily table"]
    pairs = [
        (lives["exact NRLMSIS"][k], v)
        for k, v in lives["daily table"].items()
        if v is not None and lives["exact NRLMSIS"].get(k) is not None
    ]
    diffs = sorted(abs(t / x - 1) for x, t in pairs)
    med = diffs[len(diffs) // 2] if diffs else math.nan
    body = "\n".join(
        [
            "### `orbitkeep batch` end to end (`benchmarks/catalog.py`)",
            "",
            *header,
            "",
            "Synthetic catalogue (propagation.py's population as TLEs, B from B*), one-year "
            "horizon, `run_catalog` on the default process pool (2 workers); wall includes "
            "reading the file, the density table and writing no file.",
            "",
            md_table(["density", "objects", "wall", "per object", "reentered", "failed"], rows),
            "",
            f"Exact / table on the same {args.exact_n:,} objects: {fmt_ratio(ratio)}; their "
            f"lifetimes differ by {100 * med:.3f} % (median) and "
            f"{100 * (diffs[-1] if diffs else math.nan):.3f} % (worst) over {len(diffs)} "
            "reentries.",
            "",
            f"The same {args.exact_n:,} objects over {args.years:g} years, the table thinned "
            "past the first year after the latest element set (the default, "
            "`density_table.THIN_DAYS`) against every day's:",
            "",
            md_table(["table", "wall", "reentered"], years_rows),
            "",
            f"Thinned: {speed:.2f}x faster; lifetimes move by "
            f"{100 * np.median(np.abs(moved)):.3f} % (median), "
            f"{100 * np.max(np.abs(moved)):.3f} % (worst), {100 * np.mean(moved):+.3f} % (mean) "
            f"over {moved.size} reentries.",
        ]
    )
    print(body)
    if args.write:
        write_section("<!-- catalog:begin -->", "<!-- catalog:end -->", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
