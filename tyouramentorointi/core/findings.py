"""Findings of a check and their output, the same for every check of the command line.

Formats: ``text`` (``file:line: message``, one per line), ``github`` (workflow annotations) and ``json``
(``{"findings": [{"file", "line", "message"}], "count": N}``). Exit codes: 0 nothing found, 1 findings, 2 the
check could not run (bad usage, missing input).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

OK, FOUND, ERROR = 0, 1, 2
FORMATS = ("text", "github", "json")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    message: str

    def rel(self, root: Path | None = None) -> str:
        """The file as a contributor sees it: relative to the project when it is inside it."""
        if root is not None:
            try:
                return self.path.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                pass
        return self.path.as_posix()

    def text(self, root: Path | None = None) -> str:
        return f"{self.rel(root)}:{self.line}: {self.message}"

    def github(self, root: Path | None = None) -> str:
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.rel(root)},line={self.line}::{message}"


def report(findings: list[Finding], fmt: str, root: Path | None = None) -> int:
    """Print findings in a format; returns the exit code (0 none, 1 some)."""
    if fmt == "json":
        items = [{"file": f.rel(root), "line": f.line, "message": f.message} for f in findings]
        print(json.dumps({"findings": items, "count": len(items)}, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding.github(root) if fmt == "github" else finding.text(root))
    return FOUND if findings else OK
