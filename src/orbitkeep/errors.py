"""One exception class per kind of bad input, all under :class:`OrbitkeepError`.

Each carries the file and line where there is one, so the CLI can print one line that
names them and exit with status 2.
"""

from __future__ import annotations

from pathlib import Path


class OrbitkeepError(Exception):
    """Base class of every error orbitkeep raises on purpose (bad input, bad data)."""

    def __init__(
        self, message: str, *, path: str | Path | None = None, line: int | None = None
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The error as one line: ``file:line: message`` (file and line when known)."""
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class InputFileError(OrbitkeepError):
    """A file that cannot be read at all: missing, a directory, empty, binary."""


class TLEFormatError(OrbitkeepError):
    """A two-line element set that breaks the format: columns, checksum, fields."""


class OMMFormatError(OrbitkeepError):
    """A CCSDS OMM document (KVN, XML or JSON) that cannot be read or is unsafe."""


class SpaceWeatherError(OrbitkeepError):
    """A space-weather file that cannot be parsed."""


class SpaceWeatherCoverageError(OrbitkeepError):
    """An epoch outside the space-weather data, with the 'error' extrapolation policy."""


class ParameterError(OrbitkeepError):
    """A non-physical or inconsistent parameter (negative mass, NaN days, ...)."""

    def __init__(self, message: str, *, flag: str | None = None) -> None:
        self.flag = flag
        super().__init__(f"{flag}: {message}" if flag else message)


class HistoryError(OrbitkeepError, ValueError):
    """Element sets that do not make one object's history (none, or several objects).
    Also a ValueError, which :func:`orbitkeep.io.tle.history` raised before."""


class PropagationError(OrbitkeepError):
    """A propagation that cannot proceed (e.g. an orbit below the surface)."""


class EstimationError(OrbitkeepError):
    """The history does not support an estimate (too short, no quiet arc, no decay)."""
