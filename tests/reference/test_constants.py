"""The gravity constants against the EGM-96 coefficient file itself."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from orbitkeep.constants import J_ZONAL, MU_EARTH_M3_S2, R_GRAVITY_M


def test_zonal_harmonics_are_egm96() -> None:
    spec = importlib.util.find_spec("satkit_data")
    assert spec is not None and spec.origin is not None
    gfc = Path(spec.origin).parent / "data" / "EGM96.gfc"
    header: dict[str, float] = {}
    cbar: dict[int, float] = {}
    for line in gfc.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("earth_gravity_constant", "radius"):
            header[parts[0]] = float(parts[1].replace("D", "E"))
        if len(parts) >= 4 and parts[0] == "gfc" and parts[2] == "0" and 2 <= int(parts[1]) <= 6:
            cbar[int(parts[1])] = float(parts[3].replace("D", "E"))
    assert header["earth_gravity_constant"] == pytest.approx(MU_EARTH_M3_S2, rel=1e-12)
    assert header["radius"] == pytest.approx(R_GRAVITY_M, rel=1e-12)
    for n in range(2, 7):
        assert J_ZONAL[n] == pytest.approx(-math.sqrt(2 * n + 1) * cbar[n], rel=1e-10)
