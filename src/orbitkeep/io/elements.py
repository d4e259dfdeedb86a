"""Element sets from a file in any format orbitkeep reads, told apart by its content.

CelesTrak and Space-Track serve the same general-perturbations element sets as two-line
element sets and as CCSDS OMM (XML, JSON, CSV, KVN); CelesTrak recommends OMM since
catalogue numbers outgrow the TLE's five digits. A saved file often has no telling
extension (``gp.php?CATNR=25544&FORMAT=JSON``), so the format is read from the text:

- OMM XML: the first character (after blanks) is ``<``;
- OMM JSON (CelesTrak GP JSON): ``[`` or ``{``;
- OMM KVN: the first line that is not blank starts with ``CCSDS_OMM_VERS`` (the
  keyword a message opens with), another keyword of the OMM's header or metadata, or
  ``COMMENT``; a CelesTrak CSV, whose header line starts with ``OBJECT_NAME,``, is told
  apart from KVN by :func:`~orbitkeep.io.omm.read_omm` (commas and no ``=``);
- anything else: two-line element sets (an optional name line before each).

Either way the result is :class:`~orbitkeep.io.tle.TLE` records, sorted by epoch, with
the readers' own errors (file and line, record or element) for malformed content.
"""

from __future__ import annotations

import re
from pathlib import Path

from .omm import read_omm
from .tle import TLE, read_tles

#: How much of the file is looked at to tell the format (bytes).
SNIFF_BYTES = 4096
#: The keywords a KVN OMM may start with: the version line, comments, the header's and
#: the metadata's keywords (CCSDS 502.0-B-3).
_KVN_FIRST = re.compile(
    r"(CCSDS_OMM_VERS|COMMENT|CLASSIFICATION|CREATION_DATE|ORIGINATOR|MESSAGE_ID|"
    r"OBJECT_NAME|OBJECT_ID|CENTER_NAME|REF_FRAME|TIME_SYSTEM|MEAN_ELEMENT_THEORY)\b"
)


def element_format(path: str | Path) -> str:
    """``"omm"`` or ``"tle"``: how :func:`read_elements` will read ``path``, from the
    start of its text (see the module docstring). A file that cannot be read or
    decoded counts as ``"tle"``, whose reader then says what is wrong with it."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return "tle"
    text = head.decode("utf-8-sig", errors="ignore").lstrip()
    if text[:1] in ("<", "[", "{"):
        return "omm"
    first = text.split("\n", 1)[0].strip()
    return "omm" if first and _KVN_FIRST.match(first) else "tle"


def read_elements(path: str | Path, *, norad_id: int | None = None) -> list[TLE]:
    """Every element set of a TLE or OMM file (optionally only one object), sorted by
    epoch: :func:`~orbitkeep.io.omm.read_omm` or :func:`~orbitkeep.io.tle.read_tles`,
    chosen by :func:`element_format`. Raises their errors (``InputFileError``,
    ``TLEFormatError``, ``OMMFormatError``), each naming the file."""
    if element_format(path) == "omm":
        return read_omm(path, norad_id=norad_id)
    return read_tles(path, norad_id=norad_id)
