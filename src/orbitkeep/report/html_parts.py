"""Escaped HTML building blocks of the report page (:mod:`orbitkeep.report.html`):
text, links made only of http(s) URLs, key/value and header tables, lists."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..timescale import iso_utc

_URL = re.compile(r"https?://[^\s;,()<>\"']+")


def esc(x: object) -> str:
    """HTML-escaped text of ``x`` (quotes included)."""
    return html.escape(str(x), quote=True)


def linkify(text: object) -> str:
    """Escaped ``text`` with its http(s) URLs as links (nothing else becomes markup)."""
    s = str(text)
    out, pos = [], 0
    for m in _URL.finditer(s):
        url = m.group(0).rstrip(".")
        out.append(esc(s[pos : m.start()]))
        out.append(f'<a href="{esc(url)}" rel="noreferrer">{esc(url)}</a>')
        pos = m.start() + len(url)
    out.append(esc(s[pos:]))
    return "".join(out)


def fmt_value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float | np.floating):
        f = float(v)
        if not math.isfinite(f):
            return "—"
        return f"{f:.6g}"
    if isinstance(v, Mapping):
        return "; ".join(f"{k}: {fmt_value(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return ", ".join(fmt_value(x) for x in v)
    return str(v)


def table(rows: Iterable[tuple[Any, Any]], head: tuple[str, str] | None = None) -> str:
    """A two-column key/value table, escaped; numbers right-aligned."""
    body = []
    for k, v in rows:
        num = isinstance(v, int | float | np.number) and not isinstance(v, bool)
        cls = ' class="num"' if num else ""
        body.append(f'<tr><th scope="row">{esc(k)}</th><td{cls}>{linkify(fmt_value(v))}</td></tr>')
    h = f"<tr><th>{esc(head[0])}</th><th>{esc(head[1])}</th></tr>" if head else ""
    return f'<table class="kv">{h}{"".join(body)}</table>'


def grid(cols: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A table with a header row, escaped."""
    h = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = []
    for r in rows:
        cells = []
        for v in r:
            num = isinstance(v, int | float | np.number) and not isinstance(v, bool)
            cls = ' class="num"' if num else ""
            cells.append(f"<td{cls}>{linkify(fmt_value(v))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tr>{h}</tr>{''.join(body)}</table>"


def bullet_list(items: Iterable[Any], cls: str = "") -> str:
    li = "".join(f"<li>{linkify(x)}</li>" for x in items)
    return f'<ul class="{esc(cls)}">{li}</ul>' if cls else f"<ul>{li}</ul>"


def iso_or_none(t: Any) -> str | None:
    if t is None:
        return None
    try:
        f = float(t)
    except (TypeError, ValueError):
        return str(t)
    return iso_utc(f) if math.isfinite(f) else None


def flatten(d: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v and len(v) <= 12:
            out += flatten(v, key + ".")
        else:
            out.append((key, v))
    return out
