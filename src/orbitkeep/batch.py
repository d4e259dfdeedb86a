"""Run many independent jobs: serially, on a local process pool, or on a Dask cluster.

``run_one(spec)`` is a pure top-level function of a picklable spec (no hidden state,
every random draw already in the spec), so the same specs give the same results on any
executor. The Dask path is used when a scheduler address is given (``--scheduler`` or
the ``ORBITKEEP_SCHEDULER`` environment variable); ``distributed`` is imported only then.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .constants import DAY_S
from .environment.atmosphere import Atmosphere
from .environment.density_grid import coarse_tables
from .environment.density_table import TabulatedAtmosphere
from .errors import ParameterError
from .propagators.averaged import AveragedResult, AveragedSettings, propagate_averaged
from .state import MeanElements

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class PropagationJob:
    """A chunk of objects (or Monte Carlo samples) to propagate together."""

    elements: MeanElements
    b_m2_kg: F64
    density_scale: F64
    until_s: F64
    atmosphere: Atmosphere
    interface_alt_m: float
    settings: AveragedSettings
    index: int = 0  # position of the chunk, to put results back in order


@dataclass(frozen=True)
class JobResult:
    """Reentry epochs (NaN: not reentered), statuses and the index of the chunk."""

    index: int
    reentry_s: F64
    status: list[str]
    final_sma_m: F64
    final: MeanElements | None = None  # mean elements where each object stopped


def run_one(job: PropagationJob) -> JobResult:
    """Propagate one chunk; failures of single objects are statuses, not exceptions."""
    res: AveragedResult = propagate_averaged(
        job.elements,
        job.b_m2_kg,
        job.atmosphere,
        job.until_s,
        settings=job.settings,
        density_scale=job.density_scale,
        interface_alt_m=job.interface_alt_m,
    )
    final = np.array([tr.sma_m[-1] for tr in res.trajectories])
    return JobResult(job.index, res.reentry_s, list(res.status), final, res.final)


def scheduler_address(explicit: str | None) -> str | None:
    """The Dask scheduler to use: the explicit one, else ``ORBITKEEP_SCHEDULER``."""
    return explicit or os.environ.get("ORBITKEEP_SCHEDULER") or None


def one_blas_thread() -> None:
    """Start of a pool worker (``ProcessPoolExecutor(initializer=...)``): one BLAS thread
    in it. The pool already puts a process on every core; OpenBLAS's own threads (one
    per core in each worker, spinning while they wait) would compete with the other
    workers: 1000 objects of ``orbitkeep batch`` on the daily table took 34.4 and
    37.3 s with them, 29.6 and 28.1 s without (runs interleaved, this 2-core machine)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def run_many(
    jobs: Sequence[Any],
    fn: Callable[[Any], Any] = run_one,
    *,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    on_done: Callable[[Any], None] | None = None,
) -> list[Any]:
    """Run ``fn`` over ``jobs`` and return the results in job order.

    ``executor``: "serial", "process" (a local pool of ``workers`` processes, default
    the CPU count) or "dask" (``scheduler`` is the address of a distributed scheduler,
    or a ``distributed.Client``). ``on_done`` is called with each result as it arrives.
    """
    if workers is not None and not (
        isinstance(workers, int | np.integer) and not isinstance(workers, bool) and workers >= 1
    ):
        raise ParameterError(f"must be a positive integer, got {workers!r}", flag="--workers")
    if not jobs:
        return []
    addr = scheduler_address(scheduler) if isinstance(scheduler, str | None) else scheduler
    if addr is not None:
        executor = "dask"
    if executor == "serial" or (executor == "process" and len(jobs) == 1):
        out = []
        for j in jobs:
            r = fn(j)
            if on_done:
                on_done(r)
            out.append(r)
        return out
    if executor == "dask":
        return _run_dask(jobs, fn, addr, on_done)
    if executor != "process":
        raise ValueError(f"unknown executor {executor!r}")
    n = workers or os.cpu_count() or 1
    results: list[Any] = [None] * len(jobs)
    with ProcessPoolExecutor(max_workers=min(n, len(jobs)), initializer=one_blas_thread) as pool:
        futs = {pool.submit(fn, j): k for k, j in enumerate(jobs)}
        for fut in as_completed(futs):
            r = fut.result()
            results[futs[fut]] = r
            if on_done:
                on_done(r)
    return results


def _run_dask(
    jobs: Sequence[Any], fn: Callable[[Any], Any], addr: Any, on_done: Callable[[Any], None] | None
) -> list[Any]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    own = not hasattr(addr, "submit")
    if own:
        try:
            client = Client(addr)
        except (OSError, TimeoutError, ValueError) as exc:  # unreachable or malformed
            raise ParameterError(
                f"cannot use the Dask scheduler {addr!r}: {exc}",
                flag="--scheduler (or ORBITKEEP_SCHEDULER)",
            ) from None
    else:
        client = addr
    try:
        futs = client.map(fn, list(jobs), pure=False)
        index = {f.key: k for k, f in enumerate(futs)}
        results: list[Any] = [None] * len(jobs)
        for fut in dask_completed(futs):
            r = fut.result()
            results[index[fut.key]] = r
            if on_done:
                on_done(r)
        return results
    finally:
        if own:
            client.close()


def chunks(n: int, size: int) -> Iterable[slice]:
    """Consecutive slices of at most ``size`` covering range(n)."""
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def _table_chunk(job: tuple[Any, NDArray[np.int64], int]) -> tuple[NDArray[np.int64], F64]:
    base, days, n_alt = job
    return days, coarse_tables(base, days, n_alt)


def prepare_density_table(
    atmosphere: TabulatedAtmosphere,
    start_s: ArrayLike,
    end_s: ArrayLike,
    *,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    days_per_job: int = 16,
) -> int:
    """Compute the NRLMSIS tables of every UT day in the spans [start_s, end_s] (one
    span per object, or scalars) not held yet, split over the executor's workers (see
    :func:`run_many`); returns how many days were computed.

    Days past the end of the space-weather data under policy ``error`` are left out:
    the model raises its coverage error when (and only if) a propagation gets there.
    """
    sw = atmosphere.base.space_weather
    lo = np.maximum(np.atleast_1d(np.asarray(start_s, dtype=float)), sw.first_s)
    hi = np.atleast_1d(np.asarray(end_s, dtype=float))
    if sw.policy == "error":
        hi = np.minimum(hi, sw.data_until_s - 1.0)
    lo, hi = np.broadcast_arrays(lo, hi)
    ok = hi >= lo
    if not ok.any():
        return 0
    d0 = np.floor(lo[ok] / DAY_S).astype(np.int64)
    d1 = np.floor(hi[ok] / DAY_S).astype(np.int64)
    base_day = int(d0.min())
    mark = np.zeros(int(d1.max()) - base_day + 2, dtype=np.int64)
    np.add.at(mark, d0 - base_day, 1)  # the union of the spans, by a difference array
    np.add.at(mark, d1 - base_day + 1, -1)
    # the days whose tables serve those (themselves, or their blocks' in a thinned table)
    days = np.unique(atmosphere.table_days(np.flatnonzero(np.cumsum(mark)[:-1] > 0) + base_day))
    if sw.policy == "error":  # a block's middle day can lie past the data's end
        days = days[days <= math.floor((sw.data_until_s - 1.0) / DAY_S)]
    held = set(atmosphere.days)
    days = np.array([d for d in days.tolist() if d not in held], dtype=np.int64)
    if days.size == 0:
        return 0
    jobs = [
        (atmosphere.base, days[k : k + days_per_job], atmosphere.n_alt)
        for k in range(0, days.size, days_per_job)
    ]
    done = run_many(jobs, _table_chunk, executor=executor, workers=workers, scheduler=scheduler)
    for d, tab in done:
        atmosphere.add_coarse(d, tab)
    return int(days.size)


@dataclass
class _JobState:
    """Where the objects of one job stand between slices."""

    el: MeanElements
    live: NDArray[np.bool_]
    reentry: F64
    status: list[str]
    sma: F64

    @classmethod
    def start(cls, el: MeanElements) -> _JobState:
        n = len(el)
        return cls(
            el, np.ones(n, dtype=bool), np.full(n, np.nan), ["ok"] * n, np.array(el.sma_m, float)
        )


def run_in_slices(
    jobs: Sequence[PropagationJob],
    atmosphere: TabulatedAtmosphere,
    cuts: Iterable[float],
    *,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    collect: Callable[[JobResult], None] | None = None,
    on_progress: Callable[[float], None] | None = None,
    exact_below: int = 0,
) -> list[JobResult]:
    """Run ``jobs`` (all with ``atmosphere``, a density table) slice by slice, the
    slices ending at the increasing epochs ``cuts`` (Unix s UTC; the last slice ends
    at each object's ``until_s``). Before each slice the NRLMSIS tables of its days are
    computed over the executor's workers (:func:`prepare_density_table`), for the
    objects still in orbit only: a run whose objects come down early does not pay for
    the tables of the whole horizon. Returns the results in job order; each also goes
    to ``collect`` once all its objects are done. ``on_progress`` gets the fraction of
    the time span covered or of the objects done, whichever is larger.

    ``exact_below``: when, at a slice edge, fewer than this many objects are still in
    orbit, they fly the rest of the way in one last slice on ``atmosphere.base`` (the
    model itself, no table): a day of tables costs as much as ~100 object-days of the
    exact model, and the tables would have to run to the longest-lived object.

    Restarting at a slice edge restarts the step-size sequence there (a different but
    equally valid step sequence), so the answer depends on the cuts, never on the
    executor or the number of workers.
    """
    from dataclasses import replace

    if not jobs:
        return []
    t_first = min(float(np.min(j.elements.epoch_s)) for j in jobs)
    t_last = max(float(np.max(j.until_s)) for j in jobs)
    n_total = sum(len(j.elements) for j in jobs)
    state = {j.index: _JobState.start(j.elements) for j in jobs}
    open_jobs = {j.index: j for j in jobs}
    done: dict[int, JobResult] = {}
    edges = iter(cuts)
    while open_jobs:
        n_live = sum(int(state[i].live.sum()) for i in open_jobs)
        exact = n_live < exact_below
        cut = math.inf if exact else next(edges, math.inf)
        subs, picks = [], {}
        for idx, job in open_jobs.items():
            st = state[idx]
            pick = np.flatnonzero(st.live & (np.asarray(st.el.epoch_s) < cut))
            if pick.size == 0:
                continue
            picks[idx] = pick
            subs.append(
                replace(
                    job,
                    elements=st.el.select(pick),
                    b_m2_kg=job.b_m2_kg[pick],
                    density_scale=job.density_scale[pick],
                    until_s=np.minimum(job.until_s[pick], cut),
                    atmosphere=atmosphere.base if exact else job.atmosphere,
                )
            )
        if subs and not exact:
            prepare_density_table(
                atmosphere,
                np.concatenate([s_.elements.epoch_s for s_ in subs]),
                np.concatenate([s_.until_s for s_ in subs]),
                executor=executor,
                workers=workers,
                scheduler=scheduler,
            )
        if subs:
            for res in run_many(subs, executor=executor, workers=workers, scheduler=scheduler):
                st, pick, job = state[res.index], picks[res.index], open_jobs[res.index]
                assert res.final is not None
                st.sma[pick] = res.final_sma_m
                st.reentry[pick] = res.reentry_s
                for jj, p_ in enumerate(pick.tolist()):
                    st.status[p_] = res.status[jj]
                more = np.array([s_ == "ok" for s_ in res.status], dtype=bool) & (
                    job.until_s[pick] > cut
                )
                st.live[pick] = more
                st.el = st.el.updated(pick, res.final)
        for idx in [i for i in open_jobs if not state[i].live.any()]:
            st = state[idx]
            done[idx] = JobResult(idx, st.reentry, st.status, st.sma)
            if collect:
                collect(done[idx])
            del open_jobs[idx]
        if on_progress:
            n_live = sum(int(state[i].live.sum()) for i in open_jobs)
            span = min(1.0, (cut - t_first) / max(t_last - t_first, 1.0))
            on_progress(1.0 if not open_jobs else max(span, 1.0 - n_live / max(n_total, 1)))
    return [done[j.index] for j in jobs]
