"""Progress bars (rich) on stderr for long runs; silent when not a terminal or with --json."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class ProgressFn(Protocol):
    def __call__(self, fraction: float) -> None: ...


@contextmanager
def progress_bar(
    *, enabled: bool = True, label: str = "propagating", delay_s: float = 2.0
) -> Iterator[ProgressFn]:
    """Yield a callback taking the fraction done (0..1).

    The bar appears only on a terminal (stderr is a TTY), only when ``enabled``, and only
    after ``delay_s`` seconds, so short runs stay quiet.
    """
    if not enabled or not sys.stderr.isatty():
        yield lambda fraction: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    start = time.monotonic()
    prog = Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        transient=True,
        console=Console(stderr=True),  # never on stdout: that is for the answer
    )
    task = prog.add_task(label, total=1.0)
    started = False

    def update(fraction: float) -> None:
        nonlocal started
        if not started and time.monotonic() - start > delay_s:
            prog.start()
            started = True
        prog.update(task, completed=min(max(fraction, 0.0), 1.0))

    try:
        yield update
    finally:
        if started:
            prog.stop()
