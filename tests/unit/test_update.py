"""``orbitkeep update``: downloads validated before they replace anything, offline use.

A local ``http.server`` on 127.0.0.1 serves recorded files in CelesTrak's URL layout;
nothing here touches the internet.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from orbitkeep.cli import cli, main
from orbitkeep.cli_update import update as update_command
from orbitkeep.io import update as upd
from orbitkeep.io.tle import read_tles

ROOT = Path(__file__).resolve().parents[2]
SW_CUT = ROOT / "tests" / "data" / "spaceweather" / "SW-cut.csv"
ISS_TLE = ROOT / "src" / "orbitkeep" / "data" / "iss_25544.tle"
GP_PATH = "/NORAD/elements/gp.php?CATNR={}&FORMAT=TLE"

if "update" not in cli.commands:  # until cli.py registers it
    cli.add_command(update_command)


def last_sets(n: int) -> str:
    """The last ``n`` ISS sets of the bundled history, as CelesTrak serves them."""
    lines = ISS_TLE.read_text().splitlines()
    return "\n".join(lines[-3 * n :]) + "\n"


class Server:
    """Serves ``routes`` (path with query -> (status, bytes)); counts requests."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.hits: list[str] = []
        routes, hits = self.routes, self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                status, body = routes.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Server]:
    s = Server()
    s.routes["/SpaceData/SW-All.csv"] = (200, SW_CUT.read_bytes())
    s.routes[GP_PATH.format(25544)] = (200, last_sets(1).encode())
    monkeypatch.setenv("ORBITKEEP_CELESTRAK_URL", s.url)
    monkeypatch.setenv("ORBITKEEP_DATA_DIR", str(tmp_path / "data"))
    yield s
    s.close()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A base URL where nothing listens (connection refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("ORBITKEEP_CELESTRAK_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("ORBITKEEP_DATA_DIR", str(tmp_path / "data"))


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def no_temp_files(d: Path) -> bool:
    return not [p for p in d.rglob("*") if p.name.startswith(".") and p.suffix == ".part"]


def test_data_dir_and_base_url_follow_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ORBITKEEP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ORBITKEEP_CELESTRAK_URL", "http://example.invalid/")
    assert upd.data_dir() == tmp_path
    assert upd.space_weather_url() == "http://example.invalid/SpaceData/SW-All.csv"
    assert upd.gp_url(25544).endswith("/NORAD/elements/gp.php?CATNR=25544&FORMAT=TLE")
    assert upd.updated_space_weather_path() is None
    assert upd.updated_tle_path(25544) is None
    monkeypatch.delenv("ORBITKEEP_CELESTRAK_URL")
    assert upd.base_url() == "https://celestrak.org"


@pytest.mark.parametrize("url", ["not a url", "http://[::1", "http://host:port", "ftp://host"])
def test_a_base_url_that_is_not_one_is_exit_2_naming_the_variable(
    url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'not a url' and 'http://[::1' were internal errors (ValueError from urllib)."""
    monkeypatch.setenv("ORBITKEEP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ORBITKEEP_CELESTRAK_URL", url)
    assert main(["update", "--space-weather"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ORBITKEEP_CELESTRAK_URL" in err and repr(url) in err


def test_update_downloads_validates_and_is_used(
    server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(["update"], capsys)
    assert code == 0, err
    assert "space weather: updated" in out and "TLE 25544: updated" in out
    sw = upd.updated_space_weather_path()
    assert sw is not None and sw.read_bytes() == SW_CUT.read_bytes()
    tle = upd.updated_tle_path(25544)
    assert tle is not None
    # the new set is merged into the bundled history, so the B fit keeps its arcs
    assert len(read_tles(tle)) == len(read_tles(ISS_TLE))
    assert sorted(server.hits) == sorted(["/SpaceData/SW-All.csv", GP_PATH.format(25544)])
    src = json.loads((tmp_path / "data" / "sources.json").read_text())
    assert src["SW-All.csv"]["url"].endswith("/SpaceData/SW-All.csv")
    assert no_temp_files(tmp_path / "data")
    # a second run changes nothing
    code, out, _ = run(["update", "--space-weather", "--tle", "25544"], capsys)
    assert code == 0
    assert out.count("already up to date") == 2


def test_a_newer_set_is_appended(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    # first: the second-to-last set only is "current"; then the last one appears
    lines = last_sets(2).splitlines()
    server.routes[GP_PATH.format(25544)] = (200, ("\n".join(lines[:3]) + "\n").encode())
    assert main(["update", "--tle", "25544"]) == 0
    server.routes[GP_PATH.format(25544)] = (200, ("\n".join(lines[3:]) + "\n").encode())
    code, out, _ = run(["update", "--tle", "25544"], capsys)
    assert code == 0 and "updated" in out
    tles = read_tles(upd.updated_tle_path(25544))  # type: ignore[arg-type]
    assert tles[-1].line1 == lines[4]


def test_another_object_starts_its_own_history(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "tests" / "data" / "tle" / "44238_starlink24_head.tle").read_text()
    server.routes[GP_PATH.format(44238)] = (200, text.encode())
    code, _out, err = run(["update", "--tle", "44238"], capsys)
    assert code == 0, err
    p = upd.updated_tle_path(44238)
    assert p is not None and {t.norad_id for t in read_tles(p)} == {44238}


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"No GP data found\n", "invalid TLE data"),
        (b"<html>maintenance</html>\n", "invalid TLE data"),
        (None, "wrong object"),
    ],
)
def test_invalid_tle_download_never_replaces_good_data(
    server: Server, capsys: pytest.CaptureFixture[str], body: bytes | None, needle: str
) -> None:
    assert main(["update", "--tle", "25544"]) == 0
    capsys.readouterr()
    good = upd.updated_tle_path(25544).read_bytes()  # type: ignore[union-attr]
    if body is None:  # a valid set, of another object
        body = (ROOT / "tests" / "data" / "tle" / "44238_starlink24_head.tle").read_bytes()
        needle = "expected NORAD 25544"
    server.routes[GP_PATH.format(25544)] = (200, body)
    code, _out, err = run(["update", "--tle", "25544"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and needle in err and "keeping the downloaded file" in err
    assert upd.updated_tle_path(25544).read_bytes() == good  # type: ignore[union-attr]
    assert no_temp_files(upd.data_dir())


def test_invalid_space_weather_is_refused(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes["/SpaceData/SW-All.csv"] = (200, b"DATE,BSRN\n2026-01-01,oops\n")
    code, _, err = run(["update", "--space-weather"], capsys)
    assert code == 2
    assert "invalid space-weather data" in err and "keeping the bundled file" in err
    assert upd.updated_space_weather_path() is None
    assert no_temp_files(upd.data_dir())


def test_http_error_keeps_old_data(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["update", "--space-weather"]) == 0
    server.routes["/SpaceData/SW-All.csv"] = (503, b"busy")
    code, _, err = run(["update", "--space-weather"], capsys)
    assert code == 2 and "HTTP 503" in err and "keeping the downloaded file" in err
    assert upd.updated_space_weather_path().read_bytes() == SW_CUT.read_bytes()  # type: ignore[union-attr]


def test_offline_with_usable_data_is_one_line_and_exit_0(
    offline: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["update"], capsys)
    assert code == 0
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("orbitkeep: offline")
    # says which data stays in use: the bundled files here
    assert "space weather from the bundled file" in err
    assert "TLE 25544 from the bundled file" in err


def test_offline_keeps_downloaded_data(
    server: Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["update"]) == 0
    capsys.readouterr()
    server.close()
    code, _, err = run(["update"], capsys)
    assert code == 0
    assert "space weather from the downloaded file" in err
    assert "TLE 25544 from the downloaded file" in err
    assert upd.updated_space_weather_path() is not None


def test_offline_without_any_data_fails(offline: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["update", "--tle", "12345"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "no TLE 12345 data here at all" in err


def test_json_output(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["update", "--json", "--space-weather"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["results"][0]["status"] == "updated"
    assert doc["results"][0]["detail"].startswith("observed until 2026-02-24")


def test_bad_norad_id_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["update", "--tle", "-5"], capsys)
    assert code == 2 and "--tle" in err


def test_merge_keeps_one_set_per_epoch() -> None:
    tles = read_tles(ISS_TLE)
    merged = upd.merge_tles(tles[:10], tles[5:12])
    assert [t.epoch_s for t in merged] == [t.epoch_s for t in tles[:12]]


def test_offline_with_a_corrupt_download_names_it_and_fails(
    offline: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # the commands take a downloaded file over the bundled one, so a corrupt download
    # is not "still using the bundled file" (element sets) nor "no data here at all"
    # (space weather): both fail on it, and the update says so, naming the file
    upd.data_dir().mkdir(parents=True, exist_ok=True)
    sw_file = upd.data_dir() / upd.SPACE_WEATHER_FILE
    sw_file.write_text("not a space-weather file\n")
    tle = upd.tle_file(25544)
    tle.parent.mkdir(parents=True, exist_ok=True)
    tle.write_text("1 25544U garbage\n")
    code, _, err = run(["update"], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert f"space weather: the downloaded file {sw_file}, which does not read" in err
    assert f"TLE 25544: the downloaded file {tle}, which does not read" in err
    assert "no space weather data here at all" not in err
    assert "from the bundled file" not in err
    # and the commands do fail on them (exit 2, naming the file)
    code, _, err = run(["iss"], capsys)
    assert code == 2 and str(sw_file) in err, err
    sw_file.unlink()
    code, _, err = run(["iss"], capsys)
    assert code == 2 and str(tle) in err, err
