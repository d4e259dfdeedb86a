"""Every example in docs/guide.md runs, so the guide cannot rot.

- A fenced ``console`` block whose first line starts with ``$ orbitkeep`` is run command
  by command through :func:`orbitkeep.cli.main` (a trailing ``\\`` continues a command;
  lines not starting with ``$`` are the output shown to the reader, not checked); each
  must exit with status 0.
- A fenced ``python`` block is executed with :func:`exec`; blocks share one namespace,
  in order, like a reader's session.
- ``<!-- skip-until: COMMAND [--FLAG] -->`` on the lines before a fence skips the block
  while ``orbitkeep COMMAND --help`` fails (or does not mention ``--FLAG``): examples of
  commands still being written are in the guide, and run as soon as the command exists.

The examples run in a temporary directory holding the files the guide names (``iss.tle``,
``starlink.tle``, ``catalogue.tle``), with ``ORBITKEEP_DATA_DIR`` there too and
``ORBITKEEP_CELESTRAK_URL`` pointing at a local server with recorded files: nothing
touches the internet or the user's data.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import re
import shlex
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import pytest

from orbitkeep.cli import main

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide.md"
OBSERVED = ROOT / "tests" / "data" / "observed"
FILES = {
    "iss.tle": [OBSERVED / "25544_iss.tle"],
    "starlink.tle": [OBSERVED / "44238_starlink24.tle"],
    "catalogue.tle": sorted(OBSERVED.glob("442*_starlink*.tle")),
}
FENCE = re.compile(r"^```(\w+)\s*$")
SKIP = re.compile(r"^<!--\s*skip-until:\s*(.+?)\s*-->\s*$")
COMMANDS = ("iss", "decay", "reentry", "batch", "spaceweather", "update")


@dataclass(frozen=True)
class Block:
    lang: str
    line: int  # 1-based line of the opening fence
    text: str
    skip_until: str | None

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.lang}"


def blocks(path: Path = GUIDE) -> list[Block]:
    """The console and python blocks of the guide, with their skip-until markers."""
    out: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        lang, start = m.group(1), i
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        k = start - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        marker = SKIP.match(lines[k].strip()) if k >= 0 else None
        body = "\n".join(lines[start + 1 : j])
        if lang == "python" or (lang == "console" and body.startswith("$ orbitkeep")):
            out.append(Block(lang, start + 1, body, marker.group(1) if marker else None))
        i = j + 1
    return out


def commands(text: str) -> list[list[str]]:
    """The ``$ orbitkeep ...`` commands of a console block, as argument lists."""
    out: list[list[str]] = []
    current: str | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if current is not None:
            current += " " + line.rstrip("\\").strip()
            if not line.endswith("\\"):
                out.append(shlex.split(current))
                current = None
            continue
        if line.startswith("$ orbitkeep"):
            cmd = line[2:]
            if cmd.endswith("\\"):
                current = cmd.rstrip("\\").strip()
            else:
                out.append(shlex.split(cmd))
    assert current is None, "unterminated continuation line"
    return [c[1:] for c in out]  # drop the program name


@cache
def available(marker: str) -> bool:
    """True when ``orbitkeep COMMAND --help`` works (and mentions ``--FLAG`` if given)."""
    cmd, *flags = marker.split()
    buf, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
        code = main([cmd, "--help"])
    return code == 0 and all(f in buf.getvalue() for f in flags)


class Recorded(http.server.BaseHTTPRequestHandler):
    """CelesTrak's two URLs, answered with recorded (bundled) files."""

    routes: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.routes.get(self.path)
        self.send_response(200 if body is not None else 404)
        body = body if body is not None else b"not found"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from orbitkeep.environment.spaceweather import bundled_space_weather_files

    d = tmp_path_factory.mktemp("guide")
    for name, srcs in FILES.items():
        (d / name).write_text("".join(p.read_text() for p in srcs))
    sw = next(p for p in bundled_space_weather_files() if p.suffix == ".csv")
    iss = (ROOT / "src" / "orbitkeep" / "data" / "iss_25544.tle").read_text().splitlines()
    Recorded.routes = {
        "/SpaceData/SW-All.csv": sw.read_bytes(),
        "/NORAD/elements/gp.php?CATNR=25544&FORMAT=TLE": ("\n".join(iss[-3:]) + "\n").encode(),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(d)
        mp.setenv("ORBITKEEP_DATA_DIR", str(d / "data"))
        mp.setenv("ORBITKEEP_CELESTRAK_URL", f"http://127.0.0.1:{httpd.server_address[1]}")
        yield d
    httpd.shutdown()
    httpd.server_close()


NAMESPACE: dict[str, Any] = {"__name__": "guide"}


@pytest.mark.parametrize("block", blocks(), ids=lambda b: b.id)
def test_example_runs(block: Block, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if block.skip_until and not available(block.skip_until):
        pytest.skip(f"waiting for `orbitkeep {block.skip_until}`")
    if block.lang == "python":
        exec(compile(block.text, f"{GUIDE}:{block.line}", "exec"), NAMESPACE)
        return
    for args in commands(block.text):
        code = main(args)
        _, err = capsys.readouterr()
        assert code == 0, f"guide line {block.line}: orbitkeep {shlex.join(args)} -> {code}: {err}"


def test_every_command_and_the_api_have_an_example() -> None:
    bs = blocks()
    shown = {args[0] for b in bs if b.lang == "console" for args in commands(b.text)}
    assert set(COMMANDS) <= shown, set(COMMANDS) - shown
    assert any("import orbitkeep as ok" in b.text for b in bs if b.lang == "python")


def test_parser() -> None:
    text = "$ orbitkeep decay a.tle \\\n    --days 3\noutput line\n$ orbitkeep spaceweather\n"
    assert commands(text) == [["decay", "a.tle", "--days", "3"], ["spaceweather"]]
    assert available("spaceweather")
    assert not available("no-such-command")
    assert not available("spaceweather --no-such-flag")
