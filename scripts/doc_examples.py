"""The command-line examples of README.md and docs/guide.md, run and compared with what
the documents show (``--check``, the default) or rewritten from the runs (``--write``).

An example is a fenced ``console`` block whose first line starts with ``$ orbitkeep``:
its ``$`` lines are commands (a trailing ``\\`` continues one), the lines after each are
the output shown to the reader. Output is compared line by line, trailing blanks
ignored; in what the document shows

- a line ``...`` stands for any number of lines (an abridged table or JSON document),
- ``...`` inside a line for any text (a path or a file time that depends on the machine).

A quoted figure is a paragraph of a generated document (docs/validation.md, written by
scripts/validate.py) shown as a Markdown quote after a marker line
``<!-- quote: PATH "START" -->``: the quote (``> `` lines) must equal the paragraph of
PATH whose first line starts with START, so the numbers a reader meets in the guide are
the generated ones, never typed by hand.

``--write`` replaces the shown output of the examples without ``...`` and leaves the
abridged ones alone (``--check`` still compares them), and rewrites stale quotes. The commands run in-process
(:func:`orbitkeep.cli.main`), stdout only, with ``COLUMNS`` at :data:`COLUMNS`. README
examples run in the repository root; the guide's in a temporary directory holding the
files it names (``iss.tle``, ``starlink.tle``, ``catalogue.tle``), with
``ORBITKEEP_DATA_DIR`` there (shown as ``~/.local/share/orbitkeep``) and
``ORBITKEEP_CELESTRAK_URL`` pointing at a local server with recorded files, so nothing
touches the internet or the user's data. tests/docs/test_guide.py uses this module.

    python scripts/doc_examples.py            # exit 1 and a diff where a document is stale
    python scripts/doc_examples.py --write    # rewrite the unabridged outputs
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import http.server
import io
import os
import re
import shlex
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "guide.md"
OBSERVED = ROOT / "tests" / "data" / "observed"
GUIDE_FILES = {
    "iss.tle": [OBSERVED / "25544_iss.tle"],
    "starlink.tle": [OBSERVED / "44238_starlink24.tle"],
    "catalogue.tle": sorted(OBSERVED.glob("442*_starlink*.tle")),
}
#: Terminal width of the runs (rich wraps tables and long lines to it).
COLUMNS = 100
#: How the guide shows the user data directory.
SHOWN_DATA_DIR = "~/.local/share/orbitkeep"
FENCE = re.compile(r"^```(\w+)\s*$")
SKIP = re.compile(r"^<!--\s*skip-until:\s*(.+?)\s*-->\s*$")
ELLIPSIS = "..."


@dataclass(frozen=True)
class Command:
    """One ``$ orbitkeep`` command of an example and the output the document shows."""

    lines: tuple[str, ...]  # the command as written (with its continuation lines)
    args: tuple[str, ...]  # the arguments after ``orbitkeep``
    shown: tuple[str, ...]  # the output lines shown after it


@dataclass(frozen=True)
class Block:
    """A fenced block: ``lang``, its 1-based opening line, its text and skip marker."""

    lang: str
    line: int
    text: str
    skip_until: str | None

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.lang}"

    @property
    def is_example(self) -> bool:
        return self.lang == "console" and self.text.startswith("$ orbitkeep")


def blocks(text: str) -> list[Block]:
    """The ``console`` examples and ``python`` blocks of a Markdown text."""
    out: list[Block] = []
    lines = text.splitlines()
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
        block = Block(lang, start + 1, "\n".join(lines[start + 1 : j]), marker and marker.group(1))
        if lang == "python" or block.is_example:
            out.append(block)
        i = j + 1
    return out


def parse_commands(text: str) -> list[Command]:
    """The commands of an example block, each with the output lines shown after it."""
    out: list[Command] = []
    raw = text.splitlines()
    i = 0
    while i < len(raw):
        if not raw[i].startswith("$ orbitkeep"):
            raise ValueError(f"output before the first command: {raw[i]!r}")
        cmd_lines = [raw[i]]
        while cmd_lines[-1].rstrip().endswith("\\"):
            i += 1
            if i >= len(raw):
                raise ValueError("unterminated continuation line")
            cmd_lines.append(raw[i])
        i += 1
        shown: list[str] = []
        while i < len(raw) and not raw[i].startswith("$ orbitkeep"):
            shown.append(raw[i])
            i += 1
        joined = " ".join(ln.rstrip().rstrip("\\").strip() for ln in cmd_lines)
        args = shlex.split(joined[2:])[1:]  # drop "$ " and the program name
        out.append(Command(tuple(cmd_lines), tuple(args), tuple(shown)))
    return out


QUOTE = re.compile(r'^<!--\s*quote:\s*(\S+)\s+"(.+?)"\s*-->\s*$')


@dataclass(frozen=True)
class Quote:
    """A quoted paragraph: its marker's 1-based line, the source and the lines shown."""

    line: int
    source: str  # relative to the repository root
    start: str  # the text the source paragraph's first line starts with
    shown: tuple[str, ...]  # the quote's lines, without "> "

    @property
    def id(self) -> str:
        return f"L{self.line}-quote"

    def expected(self) -> tuple[str, ...]:
        """The source's paragraph: from the first line starting with :attr:`start` to the
        line before the next blank one. ``ValueError`` if no line starts so."""
        lines = (ROOT / self.source).read_text(encoding="utf-8").splitlines()
        for i, ln in enumerate(lines):
            if ln.startswith(self.start):
                j = i
                while j < len(lines) and lines[j].strip():
                    j += 1
                return tuple(lines[i:j])
        raise ValueError(f"{self.source}: no line starts with {self.start!r}")


def quotes(text: str) -> list[Quote]:
    """The quoted paragraphs of a Markdown text (see the module docstring)."""
    out: list[Quote] = []
    lines = text.splitlines()
    for i, ln in enumerate(lines):
        m = QUOTE.match(ln.strip())
        if not m:
            continue
        j = i + 1
        shown: list[str] = []
        while j < len(lines) and lines[j].startswith(">"):
            shown.append(lines[j][2:] if lines[j].startswith("> ") else lines[j][1:])
            j += 1
        out.append(Quote(i + 1, m.group(1), m.group(2), tuple(shown)))
    return out


def rewrite_quotes(doc: Path) -> int:
    """Replace the stale quotes of ``doc`` with their sources' paragraphs; the number
    replaced. Written atomically."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    changed = 0
    for q in reversed(quotes("\n".join(lines))):  # from the end: line numbers hold
        want = q.expected()
        if want != q.shown:
            lines[q.line : q.line + len(q.shown)] = [f"> {ln}" for ln in want]
            changed += 1
    if changed:
        tmp = doc.with_name(f".{doc.name}.tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(tmp, doc)
    return changed


def commands(text: str) -> list[list[str]]:
    """The argument lists of an example block's commands."""
    return [list(c.args) for c in parse_commands(text)]


def _line_matches(shown: str, actual: str) -> bool:
    shown, actual = shown.rstrip(), actual.rstrip()
    if ELLIPSIS not in shown:
        return shown == actual
    pattern = ".*".join(re.escape(p) for p in shown.split(ELLIPSIS))
    return re.fullmatch(pattern, actual) is not None


def output_matches(shown: list[str] | tuple[str, ...], actual: list[str]) -> bool:
    """True when ``actual`` is what ``shown`` shows (``...`` lines and ``...`` in lines as
    wildcards, trailing blanks ignored)."""
    shown = list(shown)
    while shown and not shown[-1].strip():
        shown.pop()
    actual = list(actual)
    while actual and not actual[-1].strip():
        actual.pop()

    def match(i: int, j: int) -> bool:
        if i == len(shown):
            return j == len(actual)
        if shown[i].strip() == ELLIPSIS:
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and _line_matches(shown[i], actual[j]) and match(i + 1, j + 1)

    return match(0, 0)


def is_abridged(shown: tuple[str, ...]) -> bool:
    """True when the shown output uses ``...`` (``--write`` leaves it alone)."""
    return any(ELLIPSIS in s for s in shown)


def run_command(
    args: list[str] | tuple[str, ...], substitute: dict[str, str]
) -> tuple[int, list[str], str]:
    """Run ``orbitkeep ARGS`` in-process: (exit status, stdout lines, stderr), with the
    ``substitute`` replacements applied to stdout."""
    from orbitkeep.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    text = out.getvalue()
    for old, new in substitute.items():
        text = text.replace(old, new)
    return code, [ln.rstrip() for ln in text.splitlines()], err.getvalue()


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


@contextlib.contextmanager
def guide_workdir(base: Path) -> Iterator[dict[str, str]]:
    """Work in a fresh directory under ``base`` holding the guide's files, with the user
    data directory there and CelesTrak served locally; yields the stdout substitutions
    (the data directory as the guide shows it)."""
    from orbitkeep.environment.spaceweather import bundled_space_weather_files

    d = Path(tempfile.mkdtemp(prefix="guide-", dir=base))
    for name, srcs in GUIDE_FILES.items():
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
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with (
            contextlib.chdir(d),
            mock.patch.dict(
                os.environ, {"ORBITKEEP_DATA_DIR": str(d / "data"), "ORBITKEEP_CELESTRAK_URL": url}
            ),
        ):
            yield {str(d / "data"): SHOWN_DATA_DIR}
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextlib.contextmanager
def readme_workdir() -> Iterator[dict[str, str]]:
    """README examples run in the repository root."""
    with contextlib.chdir(ROOT):
        yield {}


def available(marker: str) -> bool:
    """True when ``orbitkeep COMMAND --help`` works (and mentions ``--FLAG`` if given)."""
    cmd, *flags = marker.split()
    code, out, _ = run_command([cmd, "--help"], {})
    return code == 0 and all(f in "\n".join(out) for f in flags)


@dataclass
class Outcome:
    """What one example command gave: the document's line, status and both outputs."""

    doc: Path
    block_line: int
    command: Command
    code: int
    actual: list[str]
    stderr: str

    @property
    def matches(self) -> bool:
        return self.code == 0 and output_matches(self.command.shown, self.actual)


def run_document(
    doc: Path, workdir: Callable[[], contextlib.AbstractContextManager[dict[str, str]]]
) -> list[Outcome]:
    """Run every example of ``doc`` (skipping those whose skip-until command is missing)."""
    outcomes: list[Outcome] = []
    with workdir() as substitute, mock.patch.dict(os.environ, {"COLUMNS": str(COLUMNS)}):
        for block in blocks(doc.read_text(encoding="utf-8")):
            if not block.is_example or (block.skip_until and not available(block.skip_until)):
                continue
            for c in parse_commands(block.text):
                code, actual, err = run_command(c.args, substitute)
                outcomes.append(Outcome(doc, block.line, c, code, actual, err))
    return outcomes


def rewrite(doc: Path, outcomes: list[Outcome]) -> int:
    """Replace the unabridged shown outputs of ``doc`` with the runs'; the number replaced.
    Written atomically."""
    text = doc.read_text(encoding="utf-8")
    changed = 0
    for o in outcomes:
        if o.code != 0 or o.matches or is_abridged(o.command.shown):
            continue
        old = "\n".join((*o.command.lines, *o.command.shown))
        new = "\n".join((*o.command.lines, *o.actual))
        if text.count(old) != 1:
            raise SystemExit(f"{doc}:{o.block_line}: example not found once; edit it by hand")
        text = text.replace(old, new)
        changed += 1
    if changed:
        tmp = doc.with_name(f".{doc.name}.tmp")
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        os.replace(tmp, doc)
    return changed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--write", action="store_true", help="rewrite the unabridged outputs")
    args = p.parse_args(argv)
    stale = 0
    with tempfile.TemporaryDirectory() as tmp:
        docs = [(README, readme_workdir), (GUIDE, lambda: guide_workdir(Path(tmp)))]
        for doc, workdir in docs:
            outcomes = run_document(doc, workdir)
            rel = doc.relative_to(ROOT)
            for o in outcomes:
                where = f"{rel}:{o.block_line}: orbitkeep {shlex.join(o.command.args)}"
                if o.code != 0:
                    print(f"{where}: exit status {o.code}: {o.stderr.strip()}")
                    stale += 1
                elif not o.matches:
                    stale += 1
                    print(
                        f"{where}: output differs"
                        + (" (abridged)" if is_abridged(o.command.shown) else "")
                    )
                    diff = difflib.unified_diff(
                        list(o.command.shown), o.actual, "shown", "run", lineterm=""
                    )
                    print("\n".join(diff))
            for q in quotes(doc.read_text(encoding="utf-8")):
                if q.expected() != q.shown:
                    stale += 1
                    print(f"{rel}:{q.line}: the quote of {q.source} differs from it")
            if args.write:
                n = rewrite(doc, outcomes)
                print(f"{rel}: {n} outputs rewritten, {rewrite_quotes(doc)} quotes")
    if stale and not args.write:
        print(f"{stale} examples differ from their runs; `python scripts/doc_examples.py --write`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
