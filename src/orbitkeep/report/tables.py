"""Readable terminal output: tables and one-line summaries (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from ..timescale import iso_utc

if TYPE_CHECKING:
    from ..decay import DecayResult


def _decay_table(result: DecayResult, step_days: float) -> Table:
    table = Table(title=None, show_edge=False)
    for col in ("date (UTC)", "mean alt km", "perigee km", "apogee km"):
        table.add_column(col, justify="right")
    for s in result.samples(step_days * 86400.0):
        table.add_row(
            s["t"][:10],
            f"{s['mean_alt_km']:.1f}",
            f"{s['perigee_km']:.1f}",
            f"{s['apogee_km']:.1f}",
        )
    return table


def _summary(result: DecayResult) -> str:
    b = result.drag.ballistic_coefficient_m2_kg
    head = (
        f"NORAD {result.norad_id} {result.name or ''}".strip()
        + f" from {iso_utc(result.start_s)}, B = {b:.5f} m^2/kg ({result.b_source['method']})"
    )
    if result.reentry_s is not None:
        days = (result.reentry_s - result.start_s) / 86400.0
        tail = f"reenters ({result.interface_alt_m / 1e3:.0f} km) on {iso_utc(result.reentry_s)}, {days:.0f} days after the start"
    else:
        end = result.samples()[-1]
        tail = f"still in orbit on {end['t']} at {end['mean_alt_km']:.1f} km mean altitude"
    return f"{head}: {tail}."


def decay_summary(result: DecayResult) -> str:
    """The one-line answer of a free-decay run, plain text (no markup)."""
    return _summary(result)


def print_decay(result: DecayResult, console: Console | None = None) -> None:
    """A table of the mean orbit, about weekly, and the one-line summary."""
    con = console or Console()
    span_days = (result.end_s - result.start_s) / 86400.0
    step = 1.0 if span_days <= 20 else 7.0 if span_days <= 200 else 30.0
    con.print(_decay_table(result, step))
    con.print(_summary(result))
    for note in result.notes:
        con.print(f"Note: {note}.")
