"""The cache of external checks (``--cache``): successes only, keyed by URL without fragment, each with the
time it was checked, dropped after ``--cache-ttl``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from .fetch import ExternalResult
from .findings import UsageError


def parse_duration(text: str) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 3600, 90m, 12h, 7d)")
    factor = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[match.group(2)]
    return float(match.group(1)) * factor


class Cache:
    """Successes only, keyed by URL without fragment, each with the time it was checked."""

    VERSION = 1

    def __init__(self, path: Path | None, ttl: float) -> None:
        self.path = path
        self.ttl = ttl
        self.entries: dict[str, dict[str, Any]] = {}
        if path is None or not path.exists():
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot read cache {path}: {exc}") from exc
        except ValueError:
            print(f"check_links: warning: cache {path} is not valid JSON; starting afresh", file=sys.stderr)
            return
        if isinstance(data, dict) and data.get("version") == self.VERSION and isinstance(data.get("entries"), dict):
            self.entries = data["entries"]

    def get(self, url: str, need_anchors: bool) -> ExternalResult | None:
        entry = self.entries.get(url)
        if not isinstance(entry, dict) or time.time() - float(entry.get("checked", 0)) > self.ttl:
            return None
        anchors = entry.get("anchors")
        if need_anchors and anchors is None and entry.get("html", True):
            return None
        return ExternalResult(
            "ok",
            entry.get("status"),
            "",
            frozenset(anchors) if anchors is not None else None,
            bool(entry.get("truncated")),
            entry.get("moved_to"),
            entry.get("moved_status"),
            from_cache=True,
        )

    def put(self, url: str, result: ExternalResult, read_body: bool) -> None:
        if result.state != "ok" or result.from_cache:
            return
        self.entries[url] = {
            "checked": time.time(),
            "status": result.status,
            "moved_to": result.moved_to,
            "moved_status": result.moved_status,
            "anchors": sorted(result.anchors) if result.anchors is not None else None,
            "truncated": result.truncated,
            "html": result.anchors is not None or not read_body,
        }

    def save(self) -> None:
        if self.path is None:
            return
        now = time.time()
        fresh = {k: v for k, v in self.entries.items() if now - float(v.get("checked", 0)) <= self.ttl}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps({"version": self.VERSION, "entries": fresh}, indent=1, sort_keys=True) + "\n")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise UsageError(f"cannot write cache {self.path}: {exc}") from exc
