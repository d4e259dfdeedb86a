"""How the Python API (:mod:`orbitkeep.api`, :mod:`orbitkeep.api_station`) takes its
arguments: epochs in any of the accepted forms, percentages, the record of what the user
gave (shown in reports) and the progress bar."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import ParameterError
from .state import is_real

PathLike = str | Path
Epoch = str | float | int | dt.datetime
# Unix seconds of 0001-01-01T00:00Z and 9999-12-31T23:59:59Z, the range of a datetime
_FIRST_S = -62135596800.0
_LAST_S = 253402300799.0


def epoch_s(value: Epoch | None, flag: str) -> float | None:
    """Unix seconds from an ISO string, a datetime (naive = UTC) or a number."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.timestamp()
    if is_real(value):
        if not math.isfinite(value):
            raise ParameterError(f"not a finite epoch: {value}", flag=flag)
        if not _FIRST_S <= value <= _LAST_S:
            raise ParameterError(
                f"Unix seconds {value:g} are outside the years 1 to 9999", flag=flag
            )
        return float(value)
    if isinstance(value, str):
        from .timescale import parse_utc

        return parse_utc(value, flag=flag)
    raise ParameterError(
        f"expected an ISO 8601 string, a datetime or Unix seconds, got {value!r}", flag=flag
    )


def percent(value: Any, flag: str) -> float:
    """``value`` (%) as a fraction; :class:`ParameterError` naming ``flag`` if it is not
    a real number."""
    if not is_real(value):
        raise ParameterError(f"must be a number, got {value}", flag=flag)
    return float(value) / 100.0


def given_args(scope: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The named arguments as the user gave them (paths as strings; tle_path kept even
    when None, which means the bundled ISS history)."""
    out = {n: scope[n] for n in names if scope.get(n) is not None or n == "tle_path"}
    return {k: str(v) if isinstance(v, Path) else v for k, v in out.items()}


def progress(enabled: bool) -> Any:
    """A progress bar on stderr when ``enabled`` (a context manager yielding the callback)."""
    from .report.progress import progress_bar

    return progress_bar(enabled=enabled)


__all__ = ["Epoch", "PathLike", "epoch_s", "given_args", "percent", "progress"]
