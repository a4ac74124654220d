"""Output of a run: text (one line per finding, then a summary grouped by target), GitHub annotations and
JSON (``{"checked": N, "broken": [...], "warnings": [...]}``).
"""

from __future__ import annotations

import json
from collections import defaultdict

from .findings import Finding, Report


def _label(f: Finding) -> str:
    if f.severity == "warning":
        return f"warning ({f.kind})"
    return "wrong-language link" if f.kind == "language" else f"broken {f.kind}"


def _message(f: Finding, label: bool = True) -> str:
    page = f" (page {f.page})" if f.page else ""
    return f"{_label(f) + ' ' if label else ''}{f.url}{page} - {f.reason}"


def format_text(report: Report) -> str:
    lines = [f"{f.source}:{f.line}: {_message(f)}" for f in report.findings]
    broken, warnings = report.broken, report.warnings
    lines.append("")
    lines.append(
        f"{len(broken)} broken, {len(warnings)} warning{'s' if len(warnings) != 1 else ''}; "
        f"{report.checked} links checked in {report.pages} pages"
    )
    for title, items in (("Broken, by target:", broken), ("Warnings, by target:", warnings)):
        if not items:
            continue
        lines.append(title)
        groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in items:
            groups[(f.target or f.url, f.kind)].append(f)
        for (target, kind), group in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            where = ", ".join(dict.fromkeys(f"{g.source}:{g.line}" for g in group))
            lines.append(f"  {target} [{kind}] {len(group)} link{'s' if len(group) != 1 else ''}: {where}")
    return "\n".join(lines)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(report: Report) -> str:
    out = []
    for f in report.findings:
        level = "error" if f.severity == "error" else "warning"
        props = f"file={_gh_escape(f.source, True)},line={f.line},title={_gh_escape(_label(f), True)}"
        out.append(f"::{level} {props}::{_gh_escape(_message(f, label=False))}")
    out.append(f"{len(report.broken)} broken, {len(report.warnings)} warnings; {report.checked} links checked")
    return "\n".join(out)


def format_json(report: Report) -> str:
    data = {
        "checked": report.checked,
        "broken": [f.as_json() for f in report.broken],
        "warnings": [f.as_json() for f in report.warnings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
