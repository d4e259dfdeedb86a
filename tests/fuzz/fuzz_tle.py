"""Coverage-guided fuzzing of the TLE reader with atheris (libFuzzer).

Any exception other than an :class:`~orbitkeep.errors.OrbitkeepError` subclass is a crash,
and so is a set that parses but does not survive ``format_tle`` -> ``iter_tles``.
Run: ``python tests/fuzz/fuzz_tle.py -max_total_time=600`` (see tests/fuzz/README.md).
Not collected by pytest (no ``test_`` prefix); needs ``pip install atheris``.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["orbitkeep"]):
    from orbitkeep.errors import OrbitkeepError, TLEFormatError
    from orbitkeep.io.tle import format_tle, iter_tles, parse_lines, read_tles

ISS_L1 = "1 25544U 98067A   21001.22196045  .00001488  00000-0  34854-4 0  9992"
ISS_L2 = "2 25544  51.6464  88.5894 0001153 173.6665  39.5832 15.49246091262713"
SL_L1 = "1 44238U 19029D   20001.86241269 +.00001144 +00000-0 +82562-4 0  9990"
SL_L2 = "2 44238 052.9982 249.9401 0001958 083.0655 277.0558 15.12201195032126"
SEEDS = [
    f"ISS (ZARYA)\n{ISS_L1}\n{ISS_L2}\n",
    f"{ISS_L1}\r\n{ISS_L2}\r\n\r\n{SL_L1}\r\n{SL_L2}\r\n",
    f"0 STARLINK-24\n{SL_L1}\n{SL_L2}\nМКС\n{ISS_L1}\n{ISS_L2}\n",
]

_WORK = Path(tempfile.mkdtemp(prefix="fuzz_tle_"))
_INPUT = _WORK / "input.tle"


def _raw_file(data: bytes) -> None:
    """The fuzz bytes as a file, through read_tles (open, decode, split, parse)."""
    _INPUT.write_bytes(data)
    with contextlib.suppress(OrbitkeepError):
        read_tles(_INPUT)


def _edited_set(fdp: atheris.FuzzedDataProvider) -> None:
    """A valid set with a few characters replaced, through parse_lines and iter_tles."""
    lines = [ISS_L1, ISS_L2] if fdp.ConsumeBool() else [SL_L1, SL_L2]
    for _ in range(fdp.ConsumeIntInRange(1, 4)):
        which = fdp.ConsumeIntInRange(0, 1)
        col = fdp.ConsumeIntInRange(0, 69)
        text = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 3))
        line = lines[which]
        lines[which] = line[:col] + text + line[col + 1 :]
    name = fdp.ConsumeUnicodeNoSurrogates(12) if fdp.ConsumeBool() else None
    try:
        t = parse_lines(lines[0], lines[1], name)
    except TLEFormatError:
        t = None
    if t is not None:
        text = format_tle(t)
        # A file ends lines only at CR, LF and CRLF; parse_lines does not look at the
        # free-text columns, so a set holding one of those (or a NUL) cannot round-trip.
        if text.count("\n") == (3 if t.name else 2) and "\r" not in text and "\x00" not in text:
            again = list(iter_tles(io.StringIO(text, newline="")))
            if [(a.line1, a.line2) for a in again] != [(t.line1, t.line2)]:
                raise AssertionError(f"set does not round-trip: {t!r} -> {again!r}")
    try:
        tles = list(iter_tles([*([name] if name is not None else []), *lines], path="x"))
    except OrbitkeepError:
        return
    for x in tles:
        if not (len(x.line1) == len(x.line2) == 69 and x.mean_motion_rev_day > 0):
            raise AssertionError(f"accepted a broken set: {x!r}")


def fuzz_one_input(data: bytes) -> None:
    """libFuzzer entry point: the first byte picks the raw-file or the edited-set mode."""
    if data[:1] and data[0] & 1:
        _edited_set(atheris.FuzzedDataProvider(data[1:]))
    else:
        _raw_file(data[1:])


def main() -> None:
    """Seed the corpus folder (a temporary one unless one is named and empty), then fuzz."""
    argv = list(sys.argv)
    folders = [a for a in argv[1:] if not a.startswith("-")]
    if not folders:
        folders = [str(_WORK / "corpus")]
        argv.append(folders[0])
    corpus = Path(folders[0])
    if not corpus.is_file() and not (corpus.is_dir() and any(corpus.iterdir())):
        corpus.mkdir(parents=True, exist_ok=True)
        for i, seed in enumerate(SEEDS):
            (corpus / f"seed{i}").write_bytes(b"\x00" + seed.encode())
            (corpus / f"edit{i}").write_bytes(bytes([1, i]) + os.urandom(16))
    atheris.Setup(argv, fuzz_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
