"""Which space-weather forecast a prediction gets (issue 4): the file's own predictions
at its present or after it, otherwise the file cut at the epoch with 27-day recurrence."""

from __future__ import annotations

from orbitkeep.constants import DAY_S
from orbitkeep.environment.forecast import forecast_space_weather


def test_the_files_present_and_later_use_its_predictions(space_weather) -> None:  # type: ignore[no-untyped-def]
    now = space_weather.observed_until_s
    assert space_weather.data_until_s > now + DAY_S  # the bundled file carries predictions
    for epoch in (now - 1.0 * DAY_S, now, now + 1.0 * DAY_S, now + 30 * DAY_S):
        sw, method = forecast_space_weather(space_weather, epoch)
        assert sw.policy == "cycle" and method.startswith("file predictions")
        assert sw.observed_until_s == now  # nothing cut


def test_a_past_epoch_gets_the_file_cut_there_and_recurrence(space_weather) -> None:  # type: ignore[no-untyped-def]
    epoch = space_weather.observed_until_s - 2.0 * DAY_S
    sw, method = forecast_space_weather(space_weather, epoch)
    assert sw.policy == "recur27" and "27 days" in method
    assert sw.observed_until_s <= epoch
