"""Coverage-guided fuzzing of the OMM reader (KVN, XML, JSON) with atheris (libFuzzer).

Any exception other than an :class:`~orbitkeep.errors.OrbitkeepError` subclass is a crash.
In the structured mode a record of fuzzed field values must also (a) give TLE lines that
``parse_lines`` accepts whenever ``omm_to_tle_lines`` accepts it, and (b) give the same
result written as JSON, KVN and XML.
Run: ``python tests/fuzz/fuzz_omm.py -max_total_time=600`` (see tests/fuzz/README.md).
Not collected by pytest (no ``test_`` prefix); needs ``pip install atheris``.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import atheris

with atheris.instrument_imports(include=["orbitkeep"]):
    from orbitkeep.errors import OMMFormatError, OrbitkeepError
    from orbitkeep.io.omm import omm_to_tle_lines, read_omm
    from orbitkeep.io.tle import parse_lines

BASE: dict[str, object] = {
    "OBJECT_NAME": "ISS (ZARYA)",
    "OBJECT_ID": "1998-067A",
    "EPOCH": "2024-09-15T00:58:12.885024",
    "MEAN_MOTION": 15.49088255,
    "ECCENTRICITY": 0.0007613,
    "INCLINATION": 51.6359,
    "RA_OF_ASC_NODE": 230.2949,
    "ARG_OF_PERICENTER": 354.9391,
    "MEAN_ANOMALY": 85.5828,
    "EPHEMERIS_TYPE": 0,
    "CLASSIFICATION_TYPE": "U",
    "NORAD_CAT_ID": 25544,
    "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 47248,
    "BSTAR": -0.00036841,
    "MEAN_MOTION_DOT": -0.00020782,
    "MEAN_MOTION_DDOT": 0,
}


def kvn(rec: dict[str, object]) -> str:
    return "CCSDS_OMM_VERS = 2.0\n" + "".join(f"{k} = {v}\n" for k, v in rec.items())


def xml(rec: dict[str, object]) -> str:
    leaves = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in rec.items())
    return f"<ndm><omm><body><segment><data>{leaves}</data></segment></body></omm></ndm>"


SEEDS = [json.dumps([BASE]), kvn(BASE), '<?xml version="1.0" encoding="UTF-8"?>\n' + xml(BASE)]

_WORK = Path(tempfile.mkdtemp(prefix="fuzz_omm_"))
_INPUT = _WORK / "input.omm"
_NUMERIC = "0123456789+-.eE "


def _read(data: bytes | str) -> list[tuple[str, str]] | None:
    """(line1, line2) of every record, or None for an OMM error; anything else escapes."""
    if isinstance(data, str):
        _INPUT.write_text(data, encoding="utf-8")
    else:
        _INPUT.write_bytes(data)
    try:
        return [(t.line1, t.line2) for t in read_omm(_INPUT)]
    except OrbitkeepError:
        return None


def _value(fdp: atheris.FuzzedDataProvider, base: object) -> object:
    kind = fdp.ConsumeIntInRange(0, 6)
    if kind == 0:
        return None
    if kind == 1:
        return base
    if kind == 2:
        return fdp.ConsumeIntInRange(-(2**40), 2**40)
    if kind == 3:
        return fdp.ConsumeRegularFloat() if fdp.ConsumeBool() else fdp.ConsumeFloat()
    if kind == 4:
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 24))
    raw = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 16))
    numeric = "".join(_NUMERIC[b % len(_NUMERIC)] for b in raw)
    if kind == 5:
        return numeric
    text = str(base)
    col = fdp.ConsumeIntInRange(0, len(text))
    return text[:col] + numeric[:2] + text[col + 1 :]


def _structured(fdp: atheris.FuzzedDataProvider) -> None:
    rec: dict[str, object] = {}
    for key, base in BASE.items():
        value = _value(fdp, base)
        if value is not None:
            rec[key] = value
    try:
        lines = omm_to_tle_lines(rec)
    except OMMFormatError:
        lines = None
    if lines is not None:
        parse_lines(*lines)  # a TLEFormatError here is a conversion bug: let it crash
    # Compare the three encodings only where each can carry the values unchanged: JSON has
    # no NaN or infinity, XML no control characters, KVN strips a trailing "[units]".
    comparable = all(
        isinstance(v, int)
        or (isinstance(v, float) and math.isfinite(v))
        or (isinstance(v, str) and v.isprintable() and "[" not in v)
        for v in rec.values()
    )
    if not comparable:
        _read(json.dumps([rec]))
        return
    results = [_read(json.dumps([rec])), _read(kvn(rec)), _read(xml(rec))]
    expected = None if lines is None else [lines]
    if any(r != expected for r in results):
        raise AssertionError(f"JSON/KVN/XML disagree for {rec!r}: {results!r} vs {expected!r}")


def fuzz_one_input(data: bytes) -> None:
    """libFuzzer entry point: the first byte picks the raw-file or the structured mode."""
    if data[:1] and data[0] & 1:
        _structured(atheris.FuzzedDataProvider(data[1:]))
    else:
        _read(data[1:])


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
            (corpus / f"rec{i}").write_bytes(bytes([1]) + bytes([1] * 17) + os.urandom(32))
    atheris.Setup(argv, fuzz_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
