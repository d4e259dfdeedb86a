"""Given the B an object came down with, NRLMSIS 2.1, the observed space weather and the
averaged propagator reproduce its observed reentry (docs/validation.md, the error
budget): the hindcasts' errors then come from B's wander, not from the density model's
shape along the descent or from the propagator."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import error_budget  # noqa: E402
import long_leads  # noqa: E402

DESCENT = error_budget.VARIANTS[2]


@pytest.fixture(scope="module")
def budget() -> list[dict[str, float | None]]:
    return [error_budget.score(c, (DESCENT,)) for c in long_leads.cases(error_budget.LEADS_DAYS)]


def test_every_hindcast_of_the_budget_is_scored(budget: list[dict[str, float | None]]) -> None:
    assert len(budget) == 20  # 5 naturally decaying objects x 4 leads (GOCE left out)
    assert all(r[DESCENT] is not None and r["b_ratio"] is not None for r in budget)


def test_with_the_descents_b_each_reentry_is_within_the_issues_10_percent(
    budget: list[dict[str, float | None]],
) -> None:
    errs = np.array([abs(r[DESCENT]) for r in budget])  # type: ignore[arg-type]
    # the accuracy issue 4 asks of the predictions, met by the model once B is right
    assert errs.max() <= 0.10, errs
    assert float(np.median(errs)) < float(
        np.median([abs(np.log(r["b_ratio"])) for r in budget])  # type: ignore[arg-type]
    )
