"""What the checker reports: a :class:`Finding` per link problem, the :class:`Report` of a run, the
exit codes and :class:`UsageError` (exit code 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXIT_OK, EXIT_BROKEN, EXIT_ERROR = 0, 1, 2
KINDS = ("page", "anchor", "asset", "external", "language")


class UsageError(Exception):
    """Bad arguments or unreadable input: exit code 2."""


@dataclass
class Finding:
    kind: str
    url: str
    page: str | None
    reason: str
    severity: str = "error"  # "error" (broken) or "warning"
    status: int | None = None
    source: str = ""
    line: int = 1
    target: str = ""  # what the link points at, for the summary
    index: int | None = None  # position of the link in the page (for the mapping)
    resolved: str | None = None  # site-relative path the link resolves to (internal links)
    fragment: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "page": self.page,
            "url": self.url,
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass
class Report:
    checked: int = 0
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)
    external_links: list[tuple[str, int, str]] = field(default_factory=list)  # page, link index, url

    @property
    def broken(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]
