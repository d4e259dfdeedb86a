"""CelesTrak space weather (SW-All.txt and SW-All.csv) served to NRLMSIS.

INTERFACE CONTRACT (implemented by the space-weather work; other modules rely on it):

    SECTION_OBSERVED = 0; SECTION_DAILY_PREDICTED = 1; SECTION_MONTHLY_PREDICTED = 2;
    SECTION_EXTRAPOLATED = 3; SECTION_NAMES = ("observed", "daily_predicted",
    "monthly_predicted", "extrapolated")

    @dataclass(frozen=True) class MsisDrivers:
        f107_sfu: NDArray  # (n,) observed F10.7 of the previous day
        f107a_sfu: NDArray  # (n,) 81-day centred mean of observed F10.7
        ap: NDArray  # (n, 7) NRLMSIS ap array: daily Ap, then 3-hourly history
        section: NDArray  # (n,) int8 SECTION_* of the data each value came from

    class SpaceWeather:
        source: str  # file path
        def msis_drivers(self, t_s: ArrayLike) -> MsisDrivers
        observed_until_s, daily_predicted_until_s, data_until_s: float
        policy: str  # "error" | "hold" | "cycle"
        def truncated(self, as_of_s: float) -> SpaceWeather
        def sections_used(self, section: NDArray) -> dict[str, int]

    def load_space_weather(path: str | Path | None = None, *, policy: str = "error")
        -> SpaceWeather   # None = the newest bundled file
"""
