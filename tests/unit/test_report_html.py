"""The HTML report: answer first, self-contained, every source named, user text escaped."""

from __future__ import annotations

import re
import types
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from orbitkeep.report import html as rhtml
from orbitkeep.report.outputs import write_outputs

ROOT = Path(__file__).resolve().parents[2]
ISS_2022 = ROOT / "tests" / "data" / "observed" / "25544_iss.tle"
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def decay_result() -> Any:
    from orbitkeep.decay import DecaySpec, Environment, run_decay
    from orbitkeep.state import DragProperties

    spec = DecaySpec(tle_path=ISS_2022, days=20, drag=DragProperties(0.009))
    return run_decay(spec, Environment.build())


def fake_scenario() -> Any:
    """A stand-in with the documented ScenarioResult fields (a real one runs in tests/e2e)."""
    return types.SimpleNamespace(
        scenario="partner-exit:roscosmos", start_utc="2026-05-30T12:25:10Z", years=1.0,
        annual=[{"year": 1, "from_utc": "2026-05-30T12:25:10Z", "dv_m_s": 12.5,
                 "propellant_kg": 1840.0, "burns": 2, "by_vehicle": {"cygnus": 12.5}}],
        shortfall_dv_m_s_per_year=0.0, reentry_utc=None,
        events=[{"utc": "2026-05-30T12:25:10Z", "kind": "partner_exit", "partner": "roscosmos"}],
        assumptions=["station.docked.progress_ms: 2 [assumed] (typical ROS complement)"],
        station={"epoch_utc": "2026-05-30T12:25:10Z", "mean_alt_km": 418.7,
                 "source": "iss_25544.tle (last set 2026-05-30T12:25:10Z)"},
        details={"band_km": [410.0, 420.0], "atmosphere": "NRLMSIS 2.1 (daily Ap)",
                 "space_weather": {"source": "SW-All.csv", "policy": "cycle"}},
    )  # fmt: skip


def fake_reentry(name: str = "SAT") -> Any:
    r = 1.8e9 + np.linspace(-5e6, 5e6, 40)
    return types.SimpleNamespace(
        norad_id=99999, name=name, prediction_epoch_s=1.7e9, tle_epoch_s=1.7e9 - 3600,
        reentry_s=r, quantiles_s={"p05": 1.796e9, "p50": 1.8e9, "p95": 1.804e9},
        b_m2_kg=0.01, b_sigma_m2_kg=0.001, samples=40, seed=7, horizon_s=7.9e8,
        interface_alt_m=120e3, forecast={"method": f"persistence {name}"},
        space_weather={"source": f"/data/{name}/SW-All.csv", "policy": "persist"},
        nominal_reentry_s=1.8e9,
    )  # fmt: skip


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def parse(page: str) -> Tags:
    p = Tags()
    p.feed(page)
    return p


def test_user_text_is_escaped() -> None:
    page = rhtml.render_report(fake_reentry(EVIL), inputs={"tle_file": EVIL, "note": EVIL})
    t = parse(page)
    assert "script" not in t.tags and "img" not in t.tags
    assert not [a for a, _ in t.attrs if a.startswith("on")]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_answer_first_then_inputs_assumptions_sources(decay_result: Any) -> None:
    page = rhtml.render_report(decay_result, inputs={"tle_file": str(ISS_2022), "days": 20.0})
    order = [page.index(s) for s in ('class="answer"', "<h2>Figures", "<h2>Inputs",
                                     "<h2>Assumptions", "<h2>Data sources")]  # fmt: skip
    assert order == sorted(order)
    answer = page[order[0] : order[1]]
    assert "NORAD 25544" in answer and "still in orbit" in answer
    sources = page[order[4] :]
    assert str(ISS_2022) in sources
    assert "2022-03-03" in sources  # the epoch of the set used
    assert "SW-All" in sources and "sections used" in sources and "observed: 21 days" in sources


def test_page_is_self_contained(decay_result: Any) -> None:
    page = rhtml.render_report(decay_result)
    t = parse(page)
    assert "svg" in t.tags
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert tag not in t.tags
    assert not re.search(r"\b(src|srcset)\s*=", page)
    assert not re.search(r"url\((?!#)", page) and "@import" not in page  # url(#id) is in-page
    assert ("http-equiv", "Content-Security-Policy") in t.attrs
    assert ("content", rhtml.CSP) in t.attrs and rhtml.CSP.startswith("default-src 'none'")
    hrefs = [v for a, v in t.attrs if a in ("href", "xlink:href")]
    assert all(v and (v.startswith("#") or v.startswith("https://") or v.startswith("http://"))
               for v in hrefs)  # fmt: skip


def test_unknown_tle_source_is_said_so(decay_result: Any) -> None:
    assert "not recorded" in rhtml.render_report(decay_result)
    page = rhtml.render_report(decay_result, inputs={"tle_path": None})
    assert "bundled ISS history" in page


def test_scenario_report_lists_station_facts_with_sources() -> None:
    page = rhtml.render_report(fake_scenario())
    facts = page[page.index("Station facts") :]
    assert "base_mass_kg" in facts and "419455" in facts
    assert '<a href="http://www.nasa.gov/mission_pages/station/main/onthestation/' in facts
    assert "[assumed]" in page  # the scenario's assumption list
    assert "Δv per year by vehicle" in page
    answer = page[page.index('class="answer"') : page.index("<h2>Figures")]
    assert "m/s of reboost Δv" in answer


def test_station_facts_cover_every_sourced_number() -> None:
    facts = rhtml.station_facts()
    assert len(facts) > 30
    assert all(b in ("sourced", "derived", "assumed") for _, _, b, _, _ in facts)
    keys = {k for k, *_ in facts}
    assert "operations.band_low_km" in keys


def test_linkify_only_links_http_urls() -> None:
    out = rhtml.linkify('see https://a.example/x?y=1&z=2. and javascript:alert(1) "q"')
    assert '<a href="https://a.example/x?y=1&amp;z=2"' in out
    assert "javascript:alert(1)" in out and 'href="javascript' not in out
    assert "&quot;q&quot;" in out


def test_options_are_shown_as_given(decay_result: Any) -> None:
    page = rhtml.render_report(
        decay_result, inputs={"epoch": 1622505600.0, "days": 20.0, "report": "r.html"}
    )
    opts = page[page.index("<h3>Options") : page.index("<h2>Assumptions")]
    assert "2021-06-01T00:00:00Z" in opts and "--days" in opts and "r.html" not in opts


def test_write_outputs_report(decay_result: Any, tmp_path: Path) -> None:
    write_outputs(decay_result, report=tmp_path / "r.html", inputs={"tle_file": "a<b>.tle"})
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "a&lt;b&gt;.tle" in page
