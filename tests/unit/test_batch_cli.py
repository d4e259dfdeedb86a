"""`orbitkeep batch`: every object gets a row, failures are statuses, --resume keeps rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from orbitkeep.cli import main
from orbitkeep.io.tle import checksum

OBS = Path(__file__).resolve().parents[1] / "data" / "observed"


def _catalog(tmp_path: Path) -> Path:
    lines: list[str] = []
    for f in ("44238_starlink24.tle", "32789_delfic3.tle"):
        lines += (OBS / f).read_text().splitlines()[-3:]
    # an object whose only set has B* = 0: no drag information at all
    iss = (OBS / "25544_iss.tle").read_text().splitlines()[-3:]
    l1 = iss[1][:53] + " 00000-0" + iss[1][61:68]
    l1 += str(checksum(l1))
    lines += [iss[0], l1, iss[2]]
    p = tmp_path / "cat.tle"
    p.write_text("\n".join(lines) + "\n")
    return p


def test_batch_rows_statuses_and_resume(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cat = _catalog(tmp_path)
    out = tmp_path / "lifetimes.csv"
    assert main(["batch", str(cat), "--years", "1", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["objects"] == 3
    status = {r["norad_id"]: r["status"] for r in doc["rows"]}
    assert status[44238] == "reentered" and status[32789] == "reentered"
    assert status[25544].startswith("failed: no drag information")
    # STARLINK-24's last set is hours before its catalogued decay (2022-10-24)
    row = next(r for r in doc["rows"] if r["norad_id"] == 44238)
    assert row["reentry_utc"].startswith("2022-10-2")
    with out.open() as fh:
        written = list(csv.DictReader(fh))
    assert len(written) == 3
    # resume: rows already there are kept as they are, nothing is recomputed
    keep = written[:1]
    with out.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(written[0]))
        w.writeheader()
        w.writerows([{**keep[0], "status": "kept-from-before"}])
    assert main(["batch", str(cat), "--years", "1", "--out", str(out), "--resume", "--json"]) == 0
    doc2 = json.loads(capsys.readouterr().out)
    assert doc2["objects"] == 3
    assert sum(r["status"] == "kept-from-before" for r in doc2["rows"]) == 1


def test_batch_bad_out_suffix_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cat = _catalog(tmp_path)
    code = main(["batch", str(cat), "--out", str(tmp_path / "x.txt")])
    assert code == 2
    assert "--out" in capsys.readouterr().err
