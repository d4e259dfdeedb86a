"""Downloads of current data from CelesTrak: the only network code in orbitkeep.

``orbitkeep update`` fetches the space-weather file (``SpaceData/SW-All.csv``) and GP
element sets (``NORAD/elements/gp.php?CATNR=<id>&FORMAT=TLE``) into the user data
directory (platformdirs ``user_data_dir("orbitkeep")``; ``ORBITKEEP_DATA_DIR`` overrides
it). The base URL is ``https://celestrak.org`` unless ``ORBITKEEP_CELESTRAK_URL`` says
otherwise (tests serve recorded files from a local server).

Nothing is replaced until the new data has been read by the real readers: the download
goes to a temporary file in the same directory, is validated, and only then renamed over
the old file (``os.replace``, atomic on POSIX and Windows). A failed or invalid download
leaves the old file as it was. Element sets are merged into the object's history file
(``tle/<NORAD>.tle``; for the ISS seeded with the bundled history), so the ballistic
coefficient fit keeps the history it needs.

This module sits in the ``io`` layer and must not import the space-weather reader
(``environment``, a higher layer): the caller passes it in as ``validate``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OrbitkeepError, ParameterError
from .tle import TLE, format_tle, read_tles

DEFAULT_BASE_URL = "https://celestrak.org"
SPACE_WEATHER_URL_PATH = "/SpaceData/SW-All.csv"
GP_URL_PATH = "/NORAD/elements/gp.php?CATNR={norad}&FORMAT=TLE"
SPACE_WEATHER_FILE = "SW-All.csv"
SOURCES_FILE = "sources.json"
#: The ISS history shipped with orbitkeep: the seed of the updated ISS history.
BUNDLED_TLES = {25544: Path(__file__).resolve().parent.parent / "data" / "iss_25544.tle"}
MAX_BYTES = 64 * 1024 * 1024  # SW-All.csv is ~3 MB; refuse anything absurd
TIMEOUT_S = 30.0

#: Outcome statuses: the file was replaced / the content did not change / the server
#: could not be reached / the download or its validation failed.
UPDATED, UNCHANGED, OFFLINE, FAILED = "updated", "unchanged", "offline", "failed"


class UpdateError(OrbitkeepError):
    """A download that failed or gave invalid data (the old data is kept)."""


class OfflineError(UpdateError):
    """The server could not be reached (no network, DNS failure, timeout, refused)."""


@dataclass(frozen=True)
class Outcome:
    """What one update did. ``path``: the file in use afterwards (None when there is none);
    ``detail``: a short human description (what the data covers, or why it failed)."""

    what: str
    status: str
    path: Path | None
    url: str
    detail: str

    @property
    def ok(self) -> bool:
        """True when the data in ``path`` is current (updated or unchanged)."""
        return self.status in (UPDATED, UNCHANGED)

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "what": self.what,
            "status": self.status,
            "path": None if self.path is None else str(self.path),
            "url": self.url,
            "detail": self.detail,
        }


def data_dir() -> Path:
    """Where downloaded data lives: ``$ORBITKEEP_DATA_DIR`` or the platform's user data dir."""
    env = os.environ.get("ORBITKEEP_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("orbitkeep"))


def base_url() -> str:
    """CelesTrak's base URL (``$ORBITKEEP_CELESTRAK_URL`` overrides it), no trailing slash.
    :class:`ParameterError` naming the variable when it is not an http(s) URL with a host
    ('not a url' and 'http://[::1' were internal errors from urllib)."""
    url = (os.environ.get("ORBITKEEP_CELESTRAK_URL") or DEFAULT_BASE_URL).rstrip("/")
    try:
        parts = urllib.parse.urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 (a port that is not a number raises ValueError)
    except ValueError:
        ok = False
    if not ok:
        raise ParameterError(
            f"not an http(s) URL with a host: {url!r}", flag="ORBITKEEP_CELESTRAK_URL"
        )
    return url


def space_weather_url() -> str:
    """The URL of CelesTrak's SW-All.csv."""
    return base_url() + SPACE_WEATHER_URL_PATH


def gp_url(norad_id: int) -> str:
    """The URL of the current GP element set of ``norad_id`` in TLE format."""
    return base_url() + GP_URL_PATH.format(norad=int(norad_id))


def tle_file(norad_id: int) -> Path:
    """Where the downloaded history of ``norad_id`` is kept (may not exist)."""
    return data_dir() / "tle" / f"{int(norad_id)}.tle"


def updated_space_weather_path() -> Path | None:
    """The downloaded SW-All.csv, or None when there is none (loaders then use bundled data)."""
    p = data_dir() / SPACE_WEATHER_FILE
    return p if p.is_file() else None


def updated_tle_path(norad_id: int) -> Path | None:
    """The downloaded (and merged) history of ``norad_id``, or None when there is none."""
    p = tle_file(norad_id)
    return p if p.is_file() else None


def _user_agent() -> str:
    try:
        from importlib.metadata import version

        v = version("orbitkeep")
    except Exception:  # not installed (running from a source tree)
        v = "dev"
    return f"orbitkeep/{v} (+https://github.com/orbitkeep)"


def fetch(url: str, *, timeout_s: float = TIMEOUT_S) -> bytes:
    """GET ``url``. :class:`OfflineError` when the server cannot be reached,
    :class:`UpdateError` for an HTTP error or an oversized answer."""
    req = urllib.request.Request(url, headers={"User-Agent": _user_agent()})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            data: bytes = resp.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise UpdateError(f"download failed: HTTP {exc.code} {exc.reason} from {url}") from None
    except urllib.error.URLError as exc:
        raise OfflineError(f"cannot reach {url}: {exc.reason}") from None
    except (TimeoutError, ConnectionError) as exc:
        raise OfflineError(f"cannot reach {url}: {exc}") from None
    except OSError as exc:
        raise OfflineError(f"cannot reach {url}: {exc}") from None
    if len(data) > MAX_BYTES:
        raise UpdateError(f"download failed: more than {MAX_BYTES} bytes from {url}")
    if not data.strip():
        raise UpdateError(f"download failed: empty answer from {url}")
    return data


@contextlib.contextmanager
def _temp_beside(target: Path) -> Any:
    """A temporary file in ``target``'s directory, removed unless renamed away."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _record_source(target: Path, url: str, data: bytes, detail: str) -> None:
    """Note in sources.json where ``target`` came from and when (best effort)."""
    path = data_dir() / SOURCES_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        if not isinstance(doc, dict):
            doc = {}
    except (OSError, ValueError):
        doc = {}
    doc[str(target.relative_to(data_dir()))] = {
        "url": url,
        "downloaded_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sha256": hashlib.sha256(data).hexdigest(),
        "detail": detail,
    }
    with contextlib.suppress(OSError), _temp_beside(path) as tmp:
        tmp.write_text(json.dumps(doc, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)


def sources() -> dict[str, Any]:
    """What sources.json says about the downloaded files (empty when nothing was downloaded)."""
    path = data_dir() / SOURCES_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _failed(what: str, url: str, target: Path, exc: OrbitkeepError | OSError) -> Outcome:
    status = OFFLINE if isinstance(exc, OfflineError) else FAILED
    keep = target if target.is_file() else None
    if isinstance(exc, OSError):
        msg = f"cannot write {target.parent}: {exc.strerror or exc}"
    else:
        msg = exc.one_line()
    return Outcome(what, status, keep, url, msg)


def update_space_weather(
    validate: Callable[[Path], str],
    *,
    fetcher: Callable[[str], bytes] = fetch,
) -> Outcome:
    """Download SW-All.csv and replace the local copy if ``validate`` accepts it.

    ``validate(path)`` must parse the file with the real reader and return a short
    description (e.g. "observed until 2026-11-24"), raising :class:`OrbitkeepError` when
    the file is not valid. Never raises for network or data problems: the outcome says.
    """
    url = space_weather_url()
    target = data_dir() / SPACE_WEATHER_FILE
    what = "space weather"
    try:
        data = fetcher(url)
        if target.is_file() and target.read_bytes() == data:
            return Outcome(what, UNCHANGED, target, url, validate(target))
        with _temp_beside(target) as tmp:
            tmp.write_bytes(data)
            try:
                detail = validate(tmp)
            except OrbitkeepError as exc:
                raise UpdateError(f"invalid space-weather data from {url}: {exc.message}") from None
            os.replace(tmp, target)
    except (OrbitkeepError, OSError) as exc:
        return _failed(what, url, target, exc)
    _record_source(target, url, data, detail)
    return Outcome(what, UPDATED, target, url, detail)


def _validate_tles(path: Path, norad_id: int, url: str) -> list[TLE]:
    try:
        tles = read_tles(path)
    except OrbitkeepError as exc:
        # the file is a temporary one: report the URL, not its name
        where = f"line {exc.line}: " if exc.line else ""
        raise UpdateError(f"invalid TLE data from {url}: {where}{exc.message}") from None
    ids = sorted({t.norad_id for t in tles})
    if ids != [int(norad_id)]:
        raise UpdateError(f"invalid TLE data from {url}: expected NORAD {norad_id}, got {ids[:5]}")
    return tles


def merge_tles(old: list[TLE], new: list[TLE]) -> list[TLE]:
    """Union of two lists of sets of one object, one per epoch (the newer list wins),
    sorted by epoch."""
    by_epoch = {round(t.epoch_s, 3): t for t in old}
    by_epoch.update({round(t.epoch_s, 3): t for t in new})
    return [by_epoch[k] for k in sorted(by_epoch)]


def update_tle(norad_id: int, *, fetcher: Callable[[str], bytes] = fetch) -> Outcome:
    """Download the current element set of ``norad_id`` and merge it into its history.

    The history file is ``tle/<NORAD>.tle`` in the data directory, seeded with the bundled
    history when there is one (the ISS). The merged file is read back before it replaces
    the old one. Never raises for network or data problems: the outcome says.
    """
    norad_id = int(norad_id)
    url = gp_url(norad_id)
    target = tle_file(norad_id)
    what = f"TLE {norad_id}"
    try:
        data = fetcher(url)
        with _temp_beside(target) as tmp:
            tmp.write_bytes(data)
            new = _validate_tles(tmp, norad_id, url)
            seed = target if target.is_file() else BUNDLED_TLES.get(norad_id)
            old = read_tles(seed, norad_id=norad_id) if seed is not None else []
            merged = merge_tles(old, new)
            text = "".join(format_tle(t) for t in merged)
            tmp.write_text(text, encoding="utf-8")
            _validate_tles(tmp, norad_id, url)
            latest = max(new, key=lambda t: t.epoch_s)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(latest.epoch_s))
            added = len(merged) - len(old)
            detail = f"latest epoch {stamp}, {len(merged)} sets ({added} new)"
            if target.is_file() and added == 0:
                return Outcome(what, UNCHANGED, target, url, detail)
            os.replace(tmp, target)
    except (OrbitkeepError, OSError) as exc:
        return _failed(what, url, target, exc)
    _record_source(target, url, data, detail)
    return Outcome(what, UPDATED, target, url, detail)


__all__ = [
    "DEFAULT_BASE_URL",
    "FAILED",
    "OFFLINE",
    "UNCHANGED",
    "UPDATED",
    "OfflineError",
    "Outcome",
    "UpdateError",
    "base_url",
    "data_dir",
    "fetch",
    "gp_url",
    "merge_tles",
    "sources",
    "space_weather_url",
    "tle_file",
    "update_space_weather",
    "update_tle",
    "updated_space_weather_path",
    "updated_tle_path",
]
