"""The full averaged-vs-Cowell grid of issue 3 (CI runs a subset).

    .venv/bin/python benchmarks/accuracy.py [--atmosphere exponential|msis2.1] [--write]

Circular 300-600 km, e = 0.01 and 0.05 with perigees 250-400 km, inclinations 0, 51.6
and 98 degrees, two ballistic coefficients each (48 orbits); lifetimes by Cowell and by
the averaged propagator with the identical environment; wall times of both.
Targets: lifetime error within 2 % (median) and 5 % (worst).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import machine_lines, md_table, write_section  # noqa: E402

from orbitkeep.environment.atmosphere import make_atmosphere  # noqa: E402
from orbitkeep.environment.spaceweather import load_space_weather  # noqa: E402
from orbitkeep.validation import compare_lifetime, lifetime_grid  # noqa: E402

T0 = 1647000000.0  # 2022-03-11


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--atmosphere", default="exponential", choices=["exponential", "msis2.1"])
    ap.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = ap.parse_args()
    sw = load_space_weather() if args.atmosphere != "exponential" else None
    atm = make_atmosphere(args.atmosphere, sw)
    rows, errs = [], []
    t_all = time.perf_counter()
    for c in lifetime_grid():
        t0 = time.perf_counter()
        cow, avg = compare_lifetime(c, atm, T0)
        wall = time.perf_counter() - t0
        err = None if (cow is None or avg is None) else (avg - cow) / cow
        if err is not None:
            errs.append(abs(err))
        rows.append(
            [
                f"{c.perigee_km:.0f}",
                f"{c.ecc:g}",
                f"{c.incl_deg:g}",
                f"{c.b_m2_kg:g}",
                "-" if cow is None else f"{cow:.3f}",
                "-" if avg is None else f"{avg:.3f}",
                "-" if err is None else f"{100 * err:+.2f}",
                f"{wall:.1f}",
            ]
        )
        print(*rows[-1], flush=True)
    med, worst = float(np.median(errs)), float(np.max(errs))
    body = "\n".join(
        [
            f"### Averaged vs Cowell lifetimes, full grid ({atm.name})",
            "",
            *machine_lines(["numpy", "scipy", "pymsis"], args.atmosphere),
            "",
            f"**Median |error| {100 * med:.2f} %, worst {100 * worst:.2f} %** over {len(errs)} "
            f"orbits (targets 2 % and 5 %); total {time.perf_counter() - t_all:.0f} s.",
            "",
            md_table(
                [
                    "perigee km",
                    "e",
                    "i deg",
                    "B m²/kg",
                    "Cowell d",
                    "averaged d",
                    "error %",
                    "wall s (both)",
                ],
                rows,
            ),
        ]
    )
    print(body)
    if args.write:
        key = "accuracy-" + args.atmosphere.replace(".", "")
        write_section(f"<!-- {key}:begin -->", f"<!-- {key}:end -->", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
