"""CCSDS Orbit Mean-elements Messages (OMM, CCSDS 502.0-B-3) read as two-line element sets.

Three encodings are read, told apart by their first character: XML (``<``, the CCSDS
NDM/XML schema CelesTrak serves: ``<omm><body><segment><metadata>``/``<data>
<meanElements>``/``<tleParameters>``), JSON (``[`` or ``{``, CelesTrak GP JSON: a list of
flat objects keyed like ``OBJECT_NAME``, ``EPOCH``, ``MEAN_MOTION``, ...), CSV (CelesTrak
GP ``FORMAT=CSV``: a header line of the same keywords, comma-separated, then one record a
line; told from KVN by a first line with commas and no ``=``) and KVN (``KEY = value``
lines, ``COMMENT`` lines, one message per ``CCSDS_OMM_VERS``).

Each record becomes real TLE lines (columns and checksums as in the NORAD format, the
exponent fields in assumed-decimal notation) parsed by :func:`orbitkeep.io.tle.parse_lines`,
so the rest of orbitkeep sees one type, :class:`~orbitkeep.io.tle.TLE`. Numbers are handled
as decimals, never binary floats, so a record that came from a TLE gives the same TLE back.

Units (as in the OMM for SGP4 mean elements): EPOCH UTC; MEAN_MOTION rev/day (Kozai);
INCLINATION, RA_OF_ASC_NODE, ARG_OF_PERICENTER, MEAN_ANOMALY deg; ECCENTRICITY 1;
BSTAR 1/Earth radii; MEAN_MOTION_DOT rev/day^2 and MEAN_MOTION_DDOT rev/day^3 (the TLE's
values, i.e. already divided by 2 and by 6).

XML goes through ``defusedxml`` only: a DTD, entity declarations or external references
(XXE, billion laughs) are refused as :class:`OMMFormatError` ("unsafe XML: ...").
"""

from __future__ import annotations

import json
import re
from calendar import isleap
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as DefusedET
from sgp4.alpha5 import to_alpha5

from ..errors import InputFileError, OMMFormatError, TLEFormatError
from .tle import TLE, checksum, parse_lines

#: Fields without which no TLE can be built (CCSDS mean elements and SGP4 TLE parameters).
MANDATORY = (
    *("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE"),
    *("ARG_OF_PERICENTER", "MEAN_ANOMALY", "NORAD_CAT_ID", "BSTAR", "MEAN_MOTION_DOT"),
)
_OPTIONAL = (
    *("OBJECT_NAME", "OBJECT_ID", "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE"),
    *("ELEMENT_SET_NO", "REV_AT_EPOCH", "MEAN_MOTION_DDOT"),
)
_KEYS = frozenset(MANDATORY + _OPTIONAL)
_TEXT_KEYS = frozenset({"OBJECT_NAME", "OBJECT_ID", "EPOCH", "CLASSIFICATION_TYPE"})
_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,6})?", re.ASCII)
_EPOCH_RE = re.compile(
    r"(\d{4})-(?:(\d\d)-(\d\d)|(\d{3}))T(\d\d):(\d\d):(\d\d(?:\.\d{0,30})?)Z?", re.ASCII
)
_OBJECT_ID_RE = re.compile(r"\d\d(\d\d)-(\d{3})([A-Z]{1,3})", re.ASCII)
_KVN_KEY_RE = re.compile(r"[A-Z][A-Z0-9_]*", re.ASCII)
_UNITS_RE = re.compile(r"\s*\[[^\[\]]*\]$")  # a KVN value's trailing "[units]"
_EOL_RE = re.compile(r"\r\n|\r|\n")
_ZERO_EXP = " 00000-0"

# Where each field of a record is: key -> (where in words, line or None); "" -> the record.
Where = dict[str, tuple[str, int | None]]


class _FieldError(OMMFormatError):
    """A bad or missing field; ``key`` lets the reader say where it is in the file."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(f"{key}: {message}")


def _text(rec: Mapping[str, object], key: str) -> str | None:
    value = rec.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _FieldError(key, f"must be a number or text, not {type(value).__name__}")
    text = str(value).strip()
    return text or None


def _dec(rec: Mapping[str, object], key: str, default: Decimal | None = None) -> Decimal:
    text = _text(rec, key)
    if text is None:
        if default is None:
            raise _FieldError(key, "mandatory field is missing")
        return default
    if not _NUMBER_RE.fullmatch(text):
        raise _FieldError(key, f"not a number: {text[:40]!r}")
    return Decimal(text)


def _bounded(key: str, d: Decimal, lo: float, hi: float, hi_open: bool = False) -> Decimal:
    if d < Decimal(lo) or d > Decimal(hi) or (hi_open and d == Decimal(hi)):
        raise _FieldError(key, f"{d} outside [{lo:g}, {hi:g}{')' if hi_open else ']'}")
    return d


def _int(rec: Mapping[str, object], key: str, lo: int, hi: int, default: int | None = None) -> int:
    d = _bounded(key, _dec(rec, key, None if default is None else Decimal(default)), lo, hi)
    if d != d.to_integral_value():
        raise _FieldError(key, f"not an integer: {d}")
    return int(d)


def _fixed(d: Decimal, places: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def _angle(rec: Mapping[str, object], key: str) -> str:
    """An angle, deg, wrapped into [0, 360) and written as TLE columns ``%8.4f``."""
    d = _bounded(key, _dec(rec, key), -1e6, 1e6) % 360  # Decimal: sign of the dividend
    d = _fixed(d + 360 if d < 0 else d, 4)
    d = d - 360 if d >= 360 else d
    return f"{d.copy_abs():8.4f}"  # never '-0.0000'


def _exp_field(rec: Mapping[str, object], key: str, default: Decimal | None = None) -> str:
    """TLE assumed-decimal exponent field: -0.00036841 -> '-36841-3' (0.36841e-3)."""
    d = _dec(rec, key, default)
    mag = abs(d)
    if mag.is_zero():
        return _ZERO_EXP
    if mag.adjusted() >= 9:
        raise _FieldError(key, f"{d} too large for a TLE exponent field")
    e = max(mag.adjusted() + 1, -9)  # mag = 0.ddddd * 10**e
    m = _fixed(mag.scaleb(5 - e), 0)
    if m >= 100000:
        e += 1
        m = _fixed(mag.scaleb(5 - e), 0)
    if m.is_zero():
        return _ZERO_EXP
    if e > 9:
        raise _FieldError(key, f"{d} too large for a TLE exponent field")
    return f"{'-' if d < 0 else ' '}{int(m):05d}{'-' if e < 0 else '+'}{abs(e)}"


def _epoch_field(rec: Mapping[str, object]) -> str:
    """EPOCH (ISO 8601 UTC, calendar or day-of-year form) as TLE ``YYDDD.DDDDDDDD``."""
    text = _text(rec, "EPOCH")
    if text is None:
        raise _FieldError("EPOCH", "mandatory field is missing")
    m = _EPOCH_RE.fullmatch(text)
    if m is None:
        raise _FieldError("EPOCH", f"not an ISO 8601 UTC time: {text[:40]!r}")
    year = int(m[1])
    if not 1957 <= year <= 2056:
        raise _FieldError("EPOCH", f"year {year} outside the TLE range 1957-2056")
    n_days = 366 if isleap(year) else 365
    try:
        doy = int(m[4]) if m[4] else date(year, int(m[2]), int(m[3])).timetuple().tm_yday
    except ValueError:
        doy = 0
    hour, minute, sec = int(m[5]), int(m[6]), Decimal(m[7])
    if not 1 <= doy <= n_days or hour > 23 or minute > 59 or sec >= 61:
        raise _FieldError("EPOCH", f"not a valid date and time: {text[:40]!r}")
    day = _fixed(doy + (hour * 3600 + minute * 60 + sec) / Decimal(86400), 8)
    if day >= n_days + 1:  # rounds up into the next year
        if year == 2056:
            # 2057 would read as 1957: the last 0.43 ms of 2056 take the field's last
            # value, 0.43-0.86 ms early (one step of the 8-decimal day, 0.864 ms, at most)
            day = Decimal(n_days + 1) - Decimal("1e-8")
        else:
            year, day = year + 1, day - n_days
    return f"{year % 100:02d}{day:012.8f}"


def omm_to_tle_lines(record: Mapping[str, object]) -> tuple[str, str]:
    """TLE line 1 and line 2 (69 columns, checksums) from one OMM record's fields.

    ``record`` maps CCSDS keywords (``EPOCH``, ``MEAN_MOTION``, ..., see :data:`MANDATORY`)
    to numbers or text. Angles outside [0, 360) are wrapped; the revolution number is
    taken modulo 100000, as TLEs do. An ``OBJECT_ID`` that is not ``YYYY-NNNP`` leaves the
    designator blank. Raises :class:`OMMFormatError` naming the bad or missing keyword.
    Decimal arithmetic runs in its own context, whatever the caller's decimal settings.
    """
    with localcontext(Context(prec=60)):
        return _tle_lines(record)


def _tle_lines(record: Mapping[str, object]) -> tuple[str, str]:
    # above 99,999 the TLE's 5 columns take the Alpha-5 form (see io.tle), to 339,999
    norad = to_alpha5(_int(record, "NORAD_CAT_ID", 1, 339_999))
    cls = _text(record, "CLASSIFICATION_TYPE") or "U"
    if cls not in ("U", "C", "S"):
        raise _FieldError("CLASSIFICATION_TYPE", f"must be U, C or S, not {cls[:10]!r}")
    ident = _OBJECT_ID_RE.fullmatch(_text(record, "OBJECT_ID") or "")
    intl = f"{ident[1]}{ident[2]}{ident[3]}" if ident else ""
    n = _fixed(_bounded("MEAN_MOTION", _dec(record, "MEAN_MOTION"), 0, 100, True), 8)
    if n.is_zero() or n >= 100:
        raise _FieldError("MEAN_MOTION", f"{n} rev/day: must be positive and below 100")
    ndot_d = _bounded("MEAN_MOTION_DOT", _dec(record, "MEAN_MOTION_DOT"), -1, 1)
    ndot = _fixed(abs(ndot_d), 8)
    if ndot >= 1:
        raise _FieldError("MEAN_MOTION_DOT", "must be below 1 rev/day^2 in magnitude")
    ndot_field = f"{'-' if ndot_d < 0 and not ndot.is_zero() else ' '}.{int(ndot.scaleb(8)):08d}"
    ecc = _fixed(_bounded("ECCENTRICITY", _dec(record, "ECCENTRICITY"), 0, 1, True).scaleb(7), 0)
    if ecc >= 10_000_000:
        raise _FieldError("ECCENTRICITY", "rounds to 1 in 7 digits")
    incl = _fixed(_bounded("INCLINATION", _dec(record, "INCLINATION"), 0, 180), 4).copy_abs()
    line1 = (
        f"1 {norad}{cls} {intl:<8} {_epoch_field(record)} "
        f"{ndot_field} "
        f"{_exp_field(record, 'MEAN_MOTION_DDOT', Decimal(0))} {_exp_field(record, 'BSTAR')} "
        f"{_int(record, 'EPHEMERIS_TYPE', 0, 9, 0)} "
        f"{_int(record, 'ELEMENT_SET_NO', 0, 9999, 999):4d}"
    )
    line2 = (
        f"2 {norad} {incl:8.4f} {_angle(record, 'RA_OF_ASC_NODE')} {int(ecc):07d} "
        f"{_angle(record, 'ARG_OF_PERICENTER')} {_angle(record, 'MEAN_ANOMALY')} {n:11.8f}"
        f"{_int(record, 'REV_AT_EPOCH', 0, 10**12, 0) % 100000:5d}"
    )
    return line1 + str(checksum(line1)), line2 + str(checksum(line2))


def _record_to_tle(rec: Mapping[str, object], where: Where, path: Path) -> TLE:
    def fail(key: str, message: str) -> OMMFormatError:
        at, line = where.get(key, where[""])
        return OMMFormatError(f"{at}: {message}" if at else message, path=path, line=line)

    try:
        l1, l2 = omm_to_tle_lines(rec)
        tle = parse_lines(l1, l2, " ".join((_text(rec, "OBJECT_NAME") or "").split()) or None)
    except _FieldError as exc:
        raise fail(exc.key, exc.message) from None
    except (TLEFormatError, ArithmeticError) as exc:  # ArithmeticError: decimal.InvalidOperation
        raise fail("", str(exc)) from None
    return replace(tle, path=str(path), line_no=where[""][1])


def _kvn(text: str, path: Path) -> list[tuple[dict[str, object], Where]]:
    out: list[tuple[dict[str, object], Where]] = []
    rec: dict[str, object] = {}
    where: Where = {}
    for no, raw in enumerate(_EOL_RE.split(text), start=1):
        line = raw.strip()
        if not line or line.startswith("COMMENT"):
            continue
        key, sep, value = (s.strip() for s in line.partition("="))
        if not sep or not _KVN_KEY_RE.fullmatch(key):
            raise OMMFormatError(f"not a KVN 'KEY = value' line: {line[:40]!r}", path=path, line=no)
        if key == "CCSDS_OMM_VERS" or not where:  # a new message
            rec, where = {}, {"": ("", no)}
            out.append((rec, where))
        if key in where:
            raise OMMFormatError(f"{key} given twice in one message", path=path, line=no)
        rec[key] = value if key in _TEXT_KEYS else _UNITS_RE.sub("", value)
        where[key] = ("", no)
    return out


def _is_csv(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    return "," in first and "=" not in first


def _csv(text: str, path: Path) -> list[tuple[dict[str, object], Where]]:
    import csv

    out: list[tuple[dict[str, object], Where]] = []
    header: list[str] | None = None
    for no, raw in enumerate(_EOL_RE.split(text), start=1):
        if not raw.strip():
            continue
        cells = [c.strip() for c in next(csv.reader([raw]))]
        if header is None:
            bad = [c for c in cells if not _KVN_KEY_RE.fullmatch(c)]
            if bad:
                raise OMMFormatError(
                    f"CSV header: {bad[0][:40]!r} is not an OMM keyword", path=path, line=no
                )
            header = cells
            continue
        if len(cells) != len(header):
            raise OMMFormatError(
                f"CSV record has {len(cells)} fields, the header {len(header)}",
                path=path,
                line=no,
            )
        rec: dict[str, object] = {k: v for k, v in zip(header, cells, strict=True) if v}
        out.append((rec, {"": ("", no), **{k: ("", no) for k in rec}}))
    return out


def _json(text: str, path: Path) -> list[tuple[dict[str, object], Where]]:
    def no_constants(name: str) -> object:
        raise ValueError(f"{name} is not a number")

    try:
        doc = json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=no_constants)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise OMMFormatError(f"not valid JSON: {str(exc)[:200]}", path=path) from None
    out: list[tuple[dict[str, object], Where]] = []
    for i, item in enumerate(doc if isinstance(doc, list) else [doc]):
        if not isinstance(item, dict):
            raise OMMFormatError(f"record[{i}] is not a JSON object", path=path)
        out.append((item, {"": (f"record[{i}]", None)}))
    return out


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _xml(text: str, path: Path) -> list[tuple[dict[str, object], Where]]:
    body = text.lstrip()  # an XML declaration must come first
    skipped = len(_EOL_RE.findall(text[: len(text) - len(body)]))
    try:
        root = DefusedET.fromstring(body, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise OMMFormatError(f"unsafe XML: {type(exc).__name__}: {exc}", path=path) from None
    except DefusedET.ParseError as exc:
        line = exc.position[0] + skipped
        raise OMMFormatError(f"not well-formed XML: {exc}", path=path, line=line) from None
    omms = [e for e in root.iter() if _local(e.tag) == "omm"]
    if not omms:
        raise OMMFormatError(f"no <omm> element in XML (root <{_local(root.tag)}>)", path=path)
    out: list[tuple[dict[str, object], Where]] = []
    for k, omm in enumerate(omms, start=1):
        rec: dict[str, object] = {}
        where: Where = {"": (f"omm[{k}]", None)}
        stack = [(omm, f"omm[{k}]")]
        while stack:  # depth first, in document order; the first of a repeated key wins
            el, at = stack.pop()
            kids = list(el)
            key = _local(el.tag)
            if not kids and key in _KEYS and key not in rec:
                rec[key], where[key] = el.text or "", (f"<{at}>", None)
            stack.extend((c, f"{at}/{_local(c.tag)}") for c in reversed(kids))
        out.append((rec, where))
    return out


def read_omm(path: str | Path, *, norad_id: int | None = None) -> list[TLE]:
    """Read every OMM record of a KVN, XML, JSON or CSV file as :class:`TLE`, sorted by
    epoch.

    Raises :class:`InputFileError` for missing, empty or binary files and
    :class:`OMMFormatError` for malformed or unsafe content, naming the file and the KVN
    line, the JSON record index (``record[i]``, from 0) or the XML element.
    """
    p = Path(path)
    try:
        if not p.exists():
            raise InputFileError("no such file", path=p)
        if p.is_dir():
            raise InputFileError("is a directory, not an OMM file", path=p)
        data = p.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror}", path=p) from None
    if b"\x00" in data:
        raise InputFileError("binary data (NUL bytes), not an OMM file", path=p)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError("not UTF-8 text (binary file?)", path=p) from None
    head = text.lstrip()[:1]
    if not head:
        raise InputFileError("empty file", path=p)
    parse = _xml if head == "<" else _json if head in "[{" else _csv if _is_csv(text) else _kvn
    tles = [_record_to_tle(rec, where, p) for rec, where in parse(text, p)]
    if not tles:
        raise OMMFormatError("no OMM record in file", path=p)
    out = [t for t in tles if norad_id is None or t.norad_id == norad_id]
    if not out:
        raise InputFileError(f"no OMM record for NORAD {norad_id} in file", path=p)
    out.sort(key=lambda t: t.epoch_s)
    return out
