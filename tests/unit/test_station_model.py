"""The ISS description (station/iss.toml): loaded, sourced, and refused when malformed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orbitkeep.errors import OrbitkeepError
from orbitkeep.station.model import ISS_TOML, StationConfigError, StationModel, load_station

FACTS = Path(__file__).parents[2].parent / "shared" / "reference" / "iss-and-lifetime-facts.md"


@pytest.fixture(scope="module")
def iss() -> StationModel:
    return load_station()


def test_loads_partners_modules_vehicles(iss: StationModel) -> None:
    assert {p.id for p in iss.partners} == {"roscosmos", "nasa", "esa", "jaxa", "csa"}
    assert {m.owner for m in iss.modules} == {"roscosmos", "nasa", "esa", "jaxa", "csa"}
    zarya = next(m for m in iss.modules if m.name == "Zarya")
    assert (zarya.owner, zarya.operator) == ("nasa", "roscosmos")  # facts A.8
    ids = {v.id for v in iss.vehicles}
    assert {
        "progress_ms",
        "zvezda",
        "cygnus",
        "dragon_cargo",
        "dragon_boost_kit",
        "usdv",
        "atv",
    } <= ids
    for v in iss.vehicles:
        if v.can_reboost:
            assert v.isp_s is not None and v.flights_per_year is not None


def test_published_numbers(iss: StationModel) -> None:
    # facts A.6 / section 0 / A.1 / A.9
    assert iss.vehicle("progress_ms").isp_s.f == 302
    assert iss.vehicle("progress_ms").thrust_n.f == 2950
    assert iss.vehicle("dragon_boost_kit").reboost_dv_per_flight_m_s.f == 9.0
    assert iss.vehicle("dragon_boost_kit").available_from.value == "2025-09-03"
    assert iss.vehicle("cygnus").available_from.value == "2022-06-25"
    assert iss.vehicle("usdv").usable_propellant_kg.f == 16000
    assert iss.base_mass_kg.f == 419455
    assert 410 <= iss.op("band_low_km") < iss.op("band_high_km") <= 421


def test_every_number_is_sourced_or_explained(iss: StationModel) -> None:
    items = [iss.base_mass_kg, iss.mass_sigma_kg, *iss.operations.values(), *iss.deorbit.values()]
    for v in iss.vehicles:
        items += [
            getattr(v, f)
            for f in (
                "flights_per_year",
                "mass_kg",
                "thrust_n",
                "isp_s",
                "reboost_dv_per_flight_m_s",
                "usable_propellant_kg",
            )
        ]
    for q in filter(None, items):
        assert q.basis in ("sourced", "derived", "assumed")
        if q.basis != "assumed":
            assert q.source.startswith("http")
        else:
            assert len(q.note) > 20
    assert any("target_perigee_km" in a and "[assumed]" in a for a in iss.assumptions())


@pytest.mark.skipif(not FACTS.is_file(), reason="reference note not present")
def test_sources_come_from_the_facts_file(iss: StationModel) -> None:
    text = FACTS.read_text(encoding="utf-8")
    urls = set(re.findall(r"https?://[^\s;\"]+", ISS_TOML.read_text(encoding="utf-8")))
    missing = [u for u in urls if u.rstrip(").,") not in text]
    assert not missing, missing


def test_sole_providers_and_mass(iss: StationModel) -> None:
    # facts A.7/A.8: the US segment has no thrusters; Russia unloads the US gyrodynes
    assert set(iss.sole_capabilities("roscosmos")) >= {
        "attitude_control_thrusters",
        "cmg_desaturation",
    }
    full = iss.mass_kg()
    without = iss.mass_kg(frozenset({"nasa", "esa", "jaxa", "csa"}))
    assert full == pytest.approx(419455 + 2 * 7250 + 7150 + 12500)
    assert without == pytest.approx(full - 2 * 7250 - 7150)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = ISS_TOML.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "bad.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            'isp_s = { value = 302, basis = "sourced"',
            'isp_s = { value = -302, basis = "sourced"',
            "vehicles.progress_ms.isp_s.value",
        ),
        (
            'base_mass_kg = { value = 419455, basis = "sourced", source = "http://www.nasa.gov',
            'base_mass_kg = 419455\nx = { source = "http://www.nasa.gov',
            "station.base_mass_kg",
        ),
        (
            'reboost_dv_per_flight_m_s = { value = 9.0, basis = "sourced", source = "https://therelaymag',
            'reboost_dv_per_flight_m_s = { value = 9.0, basis = "sourced", source = "therelaymag',
            "vehicles.dragon_boost_kit.reboost_dv_per_flight_m_s.source",
        ),
        ('partner = "esa"', 'partner = "rsa"', "vehicles.atv.partner"),
        (
            'target_perigee_km = { value = 50.0, basis = "assumed", note = "no published',
            'target_perigee_km = { value = 50.0, basis = "guessed", note = "no published',
            "deorbit.target_perigee_km.basis",
        ),
        ('value = "2022-06-25"', 'value = "June 2022"', "vehicles.cygnus.available_from.value"),
        (
            "band_low_km = { value = 410.0",
            "band_low_km = { value = 430.0",
            "operations.band_high_km",
        ),
    ],
)
def test_bad_toml_names_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    p = _broken(tmp_path, old, new)
    with pytest.raises(StationConfigError) as exc:
        load_station(p)
    assert isinstance(exc.value, OrbitkeepError)
    assert str(p) in str(exc.value) and key in str(exc.value)


def test_unparseable_and_missing_files(tmp_path: Path) -> None:
    p = tmp_path / "x.toml"
    p.write_text("schema = 1\n[station\n", encoding="utf-8")
    with pytest.raises(StationConfigError, match="not valid TOML"):
        load_station(p)
    with pytest.raises(StationConfigError, match="cannot read"):
        load_station(tmp_path / "absent.toml")
