"""Sourced numbers: a value with its basis, source URLs and note, and the strict TOML
reader that refuses anything else (:class:`StationConfigError` naming the file and key).

Every number in ``iss.toml`` is ``{ value, basis, source, note }`` with ``basis`` one of
:data:`BASES`: ``sourced`` and ``derived`` values need a source URL, ``derived`` and
``assumed`` ones a note giving the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OrbitkeepError
from ..timescale import parse_utc

BASES = ("sourced", "derived", "assumed")
#: Keys whose value is an ISO 8601 date string rather than a number.
DATE_KEYS = ("available_from", "available_until", "committed_until")


class StationConfigError(OrbitkeepError):
    """A station description (TOML) that is malformed: the message names the key."""


@dataclass(frozen=True)
class Sourced:
    """One number (or date string) with its basis, source URLs and note."""

    value: float | str
    basis: str
    source: str
    note: str

    @property
    def f(self) -> float:
        """The value as a float (numbers only)."""
        return float(self.value)

    def cite(self) -> str:
        """``value [basis] (note; source)`` for assumption lists."""
        src = f"; {self.source}" if self.source else ""
        return f"{self.value} [{self.basis}] ({self.note}{src})"


class TomlReader:
    """Typed access to the parsed TOML with errors that name the file and key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, msg: str) -> StationConfigError:
        """The error for ``key`` (raise it)."""
        return StationConfigError(f"{key}: {msg}", path=self.path)

    def table(self, d: Any, key: str) -> dict[str, Any]:
        """``d`` when it is a table."""
        if not isinstance(d, dict):
            raise self.fail(key, "expected a table")
        return d

    def text(self, d: dict[str, Any], k: str, key: str, default: str | None = None) -> str:
        """A string entry (non-empty unless a default is given)."""
        v = d.get(k, default)
        if not isinstance(v, str) or (default is None and not v.strip()):
            raise self.fail(f"{key}.{k}", "expected a non-empty string")
        return v

    def sourced(
        self, d: dict[str, Any], k: str, key: str, *, required: bool = True
    ) -> Sourced | None:
        """A ``{ value, basis, source, note }`` entry, checked (None when absent and optional)."""
        full = f"{key}.{k}"
        if k not in d:
            if required:
                raise self.fail(full, "missing")
            return None
        q = d[k]
        if not isinstance(q, dict):
            raise self.fail(full, "expected { value, basis, source, note }, not a bare value")
        unknown = set(q) - {"value", "basis", "source", "note"}
        if unknown:
            raise self.fail(full, f"unknown field(s) {sorted(unknown)}")
        basis = q.get("basis")
        if basis not in BASES:
            raise self.fail(f"{full}.basis", f"must be one of {', '.join(BASES)}, got {basis!r}")
        source = q.get("source", "")
        note = q.get("note", "")
        if not isinstance(source, str) or not isinstance(note, str):
            raise self.fail(full, "source and note must be strings")
        if basis in ("sourced", "derived") and "http" not in source:
            raise self.fail(f"{full}.source", f"a {basis} value needs a source URL")
        if basis in ("derived", "assumed") and not note.strip():
            raise self.fail(f"{full}.note", f"a {basis} value needs a note giving the reason")
        value = q.get("value")
        if k in DATE_KEYS:
            if not isinstance(value, str):
                raise self.fail(f"{full}.value", "expected an ISO 8601 date string")
            try:
                parse_utc(value)
            except OrbitkeepError:
                raise self.fail(f"{full}.value", f"not an ISO 8601 date: {value!r}") from None
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{full}.value", f"expected a number, got {value!r}")
        elif not math.isfinite(value) or value < 0:
            raise self.fail(f"{full}.value", f"must be finite and >= 0, got {value!r}")
        return Sourced(value if isinstance(value, str) else float(value), basis, source, note)

    def req(self, d: dict[str, Any], k: str, key: str) -> Sourced:
        """A required sourced entry."""
        q = self.sourced(d, k, key)
        assert q is not None
        return q
