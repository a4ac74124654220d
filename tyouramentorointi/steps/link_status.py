#!/usr/bin/env python3
"""Check the addresses of the organisation entries and record the result in data/link-status.json.

Usage::

    python -m tyouramentorointi link-status [--output data/link-status.json] [--today YYYY-MM-DD] [--timeout S]

What: every ``url`` of data/organisations/*.yaml (the card links, all language versions) is fetched with
the external checker of tyouramentorointi/checks/links/fetch.py (HEAD, then GET; redirects, retries and per-host
limits as there). The result is written as::

    {
      "version": 1,
      "checked": "2026-12-06",
      "urls": {
        "https://example.org/mentoring/": {"result": "ok", "day": "2026-12-06"},
        "https://example.org/old-page/": {"result": "failed", "day": "2026-12-06"}
      }
    }

``result`` is ``ok`` (the address answered) or ``failed`` (the server answered with an HTTP error such
as 404 or 410). An address the checker could not verify (no connection, which may be our own network;
rate limits, bot walls, the deadline) is left out, and so is one whose entry is gone. When no address
answers at all, nothing is written (exit 2): the network is probably down. The file is committed; the
build (hooks/organisations.py) reads it, and a card whose address ``failed`` says so with the day. No
file, or no line for an address: the card says nothing about the link. tyouramentorointi/checks/data.py checks
the file's form.

Why a separate step: the site's link check (``make check-links-external``) checks every link of the
built pages and fails on a broken one; this step records the result for the readers, for the entries
only, and never fails on a broken address (exit 0; 2 on usage or I/O errors).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def entry_urls(entries: list[dict[str, Any]]) -> list[str]:
    urls: list[str] = []
    for entry in entries:
        url = entry["url"]
        urls += [url] if isinstance(url, str) else list(url.values())
    return list(dict.fromkeys(urls))


def document(results: dict[str, str], day: dt.date) -> dict[str, Any]:
    """results: {url: "ok" | "failed"} -> the link-status document."""
    iso = day.isoformat()
    return {
        "version": 1,
        "checked": iso,
        "urls": {url: {"result": results[url], "day": iso} for url in sorted(results)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[2], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=ROOT / "data" / "link-status.json")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per request (default 15)")
    args = parser.parse_args(argv)
    from tyouramentorointi.checks import data as validate_data
    from tyouramentorointi.checks.links.fetch import ExternalChecker, ExternalOptions, run_coroutine

    result = validate_data.validate_data(ROOT, labels=False)
    if not result.entries:
        print("link_status: no valid entries (run tyouramentorointi/checks/data.py)", file=sys.stderr)
        return 2
    urls = entry_urls(result.entries)
    options = ExternalOptions(timeout=args.timeout)
    checked = run_coroutine(ExternalChecker(options).check_all({u: False for u in urls}))
    results = {}
    for url in urls:
        found = checked[url]
        if found.state == "ok":
            results[url] = "ok"
        elif found.state == "broken" and found.status is not None and found.status >= 400:
            results[url] = "failed"
        print(f"{results.get(url, 'unknown'):8} {url} {found.reason}".rstrip())
    if not results:
        print("link_status: no address answered; is the network down? Nothing written.", file=sys.stderr)
        return 2
    try:
        args.output.write_text(json.dumps(document(results, args.today), indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"link_status: cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    print(f"{args.output}: {len(results)} of {len(urls)} addresses recorded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
