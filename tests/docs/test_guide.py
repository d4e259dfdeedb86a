"""Every example in README.md and docs/guide.md runs and prints what the document shows,
so the documents cannot rot (scripts/doc_examples.py runs and rewrites them).

- A fenced ``console`` block whose first line starts with ``$ orbitkeep`` is run command
  by command through :func:`orbitkeep.cli.main` (a trailing ``\\`` continues a command);
  each must exit with status 0 and print the lines shown after it (``...`` alone on a
  line stands for any lines, inside a line for any text; trailing blanks ignored).
- A fenced ``python`` block of the guide is executed with :func:`exec`; blocks share one
  namespace, in order, like a reader's session.
- ``<!-- skip-until: COMMAND [--FLAG] -->`` on the lines before a fence skips the block
  while ``orbitkeep COMMAND --help`` fails (or does not mention ``--FLAG``).

The guide's examples run in a temporary directory holding the files it names, with
``ORBITKEEP_DATA_DIR`` there too and ``ORBITKEEP_CELESTRAK_URL`` pointing at a local
server with recorded files: nothing touches the internet or the user's data. The
README's run in the repository root.
"""

from __future__ import annotations

import contextlib
import difflib
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))
import doc_examples as dx  # noqa: E402  (scripts/ is not a package)

COMMANDS = ("iss", "decay", "reentry", "lifetime", "batch", "spaceweather", "update")
GUIDE_BLOCKS = dx.blocks(dx.GUIDE.read_text(encoding="utf-8"))
README_BLOCKS = [b for b in dx.blocks(dx.README.read_text(encoding="utf-8")) if b.is_example]


@pytest.fixture(scope="module")
def guide_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with dx.guide_workdir(tmp_path_factory.mktemp("guide")) as substitute:
        yield substitute


@contextlib.contextmanager
def _columns() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COLUMNS", str(dx.COLUMNS))
        yield


def _check_example(doc: Path, block: Any, substitute: dict[str, str]) -> None:
    with _columns():
        for c in dx.parse_commands(block.text):
            code, actual, err = dx.run_command(c.args, substitute)
            where = f"{doc.name} line {block.line}: orbitkeep {shlex.join(c.args)}"
            assert code == 0, f"{where} -> {code}: {err}"
            diff = "\n".join(
                difflib.unified_diff(list(c.shown), actual, "shown", "run", lineterm="")
            )
            assert dx.output_matches(c.shown, actual), (
                f"{where}: output differs from the document "
                f"(python scripts/doc_examples.py --write):\n{diff}"
            )


NAMESPACE: dict[str, Any] = {"__name__": "guide"}


@pytest.mark.parametrize("block", GUIDE_BLOCKS, ids=lambda b: b.id)
def test_guide_example(block: Any, guide_dir: dict[str, str]) -> None:
    if block.skip_until and not dx.available(block.skip_until):
        pytest.skip(f"waiting for `orbitkeep {block.skip_until}`")
    if block.lang == "python":
        exec(compile(block.text, f"{dx.GUIDE}:{block.line}", "exec"), NAMESPACE)
        return
    _check_example(dx.GUIDE, block, guide_dir)


@pytest.mark.parametrize("block", README_BLOCKS, ids=lambda b: b.id)
def test_readme_example(block: Any) -> None:
    with dx.readme_workdir() as substitute:
        _check_example(dx.README, block, substitute)


def test_every_command_and_the_api_have_an_example() -> None:
    shown = {args[0] for b in GUIDE_BLOCKS if b.is_example for args in dx.commands(b.text)}
    assert set(COMMANDS) <= shown, set(COMMANDS) - shown
    assert any("import orbitkeep as ok" in b.text for b in GUIDE_BLOCKS if b.lang == "python")
    readme = {args[0] for b in README_BLOCKS for args in dx.commands(b.text)}
    assert {"iss", "reentry"} <= readme, readme


def test_parser() -> None:
    text = "$ orbitkeep decay a.tle \\\n    --days 3\noutput line\n$ orbitkeep spaceweather\n"
    cmds = dx.parse_commands(text)
    assert [list(c.args) for c in cmds] == [["decay", "a.tle", "--days", "3"], ["spaceweather"]]
    assert cmds[0].shown == ("output line",) and cmds[1].shown == ()
    assert dx.available("spaceweather")
    assert not dx.available("no-such-command")
    assert not dx.available("spaceweather --no-such-flag")


def test_output_matching() -> None:
    m = dx.output_matches
    assert m(["a", "b  "], ["a", "b", ""])
    assert not m(["a", "b"], ["a", "c"])
    assert not m(["a"], ["a", "b"])
    assert m(["a", "...", "d"], ["a", "b", "c", "d"])
    assert m(["a", "...", "d"], ["a", "d"])
    assert not m(["a", "...", "d"], ["a", "b"])
    assert m(["source: .../SW-All.csv"], ["source: /x/y/SW-All.csv"])
    assert not m(["source: .../SW-All.csv"], ["source: /x/y/SW-All.txt"])
    assert m(["x (1.0)"], ["x (1.0)"])  # regular-expression characters are literal
    assert not m(["x (1.0)"], ["x (100)"])


QUOTES = [
    (doc, q) for doc in (dx.README, dx.GUIDE) for q in dx.quotes(doc.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(
    "doc,quote", QUOTES, ids=lambda x: getattr(x, "id", getattr(x, "name", ""))
)
def test_quoted_figures_are_the_generated_ones(doc: Path, quote: Any) -> None:
    """A figure the guide quotes from docs/validation.md is that file's paragraph, to the
    letter: the numbers stay the ones scripts/validate.py wrote."""
    assert quote.shown, f"{doc.name} line {quote.line}: an empty quote"
    assert quote.shown == quote.expected(), (
        f"{doc.name} line {quote.line}: the quote differs from {quote.source} "
        "(python scripts/doc_examples.py --write)"
    )


def test_the_guide_quotes_the_reentry_hindcasts_summary() -> None:
    assert any(
        q.source == "docs/validation.md" and q.start.startswith("**Median |p50 error|")
        for doc, q in QUOTES
        if doc == dx.GUIDE
    )


def test_quote_parsing_and_rewriting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "src.md").write_text("# t\n\nFigure: 1.5 %\nsecond line\n\nother\n")
    doc = tmp_path / "doc.md"
    doc.write_text('intro\n<!-- quote: src.md "Figure:" -->\n> Figure: 1.4 %\n\nafter\n')
    monkeypatch.setattr(dx, "ROOT", tmp_path)
    (q,) = dx.quotes(doc.read_text())
    assert (q.line, q.source, q.start, q.shown) == (2, "src.md", "Figure:", ("Figure: 1.4 %",))
    assert q.expected() == ("Figure: 1.5 %", "second line")
    assert dx.rewrite_quotes(doc) == 1
    assert doc.read_text() == (
        'intro\n<!-- quote: src.md "Figure:" -->\n> Figure: 1.5 %\n> second line\n\nafter\n'
    )
    assert dx.rewrite_quotes(doc) == 0
    with pytest.raises(ValueError, match="no line starts with"):
        dx.Quote(1, "src.md", "Missing", ()).expected()
