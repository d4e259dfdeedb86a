"""Property tests: the space-weather parser fails only with orbitkeep errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orbitkeep.environment.spaceweather import SpaceWeather, load_space_weather
from orbitkeep.errors import OrbitkeepError

DATA = Path(__file__).resolve().parents[1] / "data" / "spaceweather"
FIXTURES = {p.name: p.read_text() for p in sorted(DATA.glob("SW-*"))}


@pytest.fixture(scope="module")
def p(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sw") / "sw"


def _load(p: Path, content: bytes) -> SpaceWeather | None:
    """Parse ``content``; None when it raised an orbitkeep error (anything else fails)."""
    p.write_bytes(content)
    try:
        sw = load_space_weather(p, policy="hold")
    except OrbitkeepError:
        return None
    # whatever parses must serve finite, non-negative drivers over its whole span
    t = np.linspace(sw.first_s, sw.data_until_s + 86400.0, 50)
    d = sw.msis_drivers(t)
    assert np.isfinite(d.f107_sfu).all() and (d.f107_sfu > 0).all()
    assert np.isfinite(d.f107a_sfu).all() and (d.f107a_sfu > 0).all()
    assert np.isfinite(d.ap).all() and (d.ap >= 0).all()
    assert set(d.section.tolist()) <= {0, 1, 2, 3}
    return sw


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_text(p: Path, text: str) -> None:
    _load(p, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_arbitrary_bytes(p: Path, data: bytes) -> None:
    _load(p, data)


_HEADS = st.sampled_from(
    ["DATE,", "BEGIN OBSERVED\n", "DATATYPE CssiSpaceWeather\n", "BEGIN MONTHLY_PREDICTED\n"]
)


@settings(max_examples=200, deadline=None)
@given(_HEADS, st.text(alphabet=st.sampled_from(list("0123456789 .,-\n\rOBSPRDMINT"))))
def test_format_heads_with_noise(p: Path, head: str, body: str) -> None:
    _load(p, (head + body).encode())


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(sorted(FIXTURES)),
    st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.integers(0, 200),
            st.sampled_from(["delete", "insert", "replace", "dup"]),
            st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_mutated_real_files(p: Path, name: str, edits: list[tuple[int, int, str, str]]) -> None:
    lines = FIXTURES[name].splitlines()
    for line_no, col, op, text in edits:
        i = line_no % len(lines)
        s = lines[i]
        if op == "delete":
            del lines[i]
        elif op == "dup":
            lines.insert(i, s)
        elif op == "insert":
            lines[i] = s[:col] + text + s[col:]
        else:
            lines[i] = s[:col] + text + s[col + len(text) :]
        if not lines:
            lines = [""]
    _load(p, "\n".join(lines).encode("utf-8", "surrogatepass"))


def test_unmutated_fixtures_parse(p: Path) -> None:
    for name, text in FIXTURES.items():
        if name.endswith((".txt", ".csv")):
            assert _load(p, text.encode()) is not None, name
