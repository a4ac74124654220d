"""Print the translation status of every page: up to date, behind (with revisions) or missing.

Usage: python -m tyouramentorointi translations [--format text|markdown|json] [--fail-on behind|missing]

The Finnish original of each page carries `revision: N` in its front matter; a translation carries
`source_revision: M`, the revision it translates. M < N means the translation is behind. The same table
is published on the site (About → Translation status), built by hooks/translations.py.

Exit codes: 0 printed (and nothing matched --fail-on), 1 a page matched --fail-on, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tyouramentorointi.core import loading
from tyouramentorointi.core.content import FrontMatterError, languages, pages, split_front_matter


def revision(path: Path, key: str) -> int | None:
    try:
        meta, _, _ = split_front_matter(loading.read_text(path))
    except FrontMatterError:
        return None
    value = (meta or {}).get(key)
    return value if isinstance(value, int) else None


def status() -> list[dict[str, object]]:
    langs = languages()
    original = pages(langs[0])
    rows: list[dict[str, object]] = []
    for rel, path in original.items():
        current = revision(path, "revision")
        for lang in langs[1:]:
            other = pages(lang).get(rel)
            follows = revision(other, "source_revision") if other else None
            if other is None:
                state = "missing"
            elif follows is not None and current is not None and follows < current:
                state = "behind"
            else:
                state = "up-to-date"
            rows.append({"page": rel, "lang": lang, "state": state, "follows": follows, "current": current})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    parser.add_argument("--fail-on", choices=["behind", "missing"], action="append", default=[])
    args = parser.parse_args(argv)
    rows = status()
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    elif args.format == "markdown":
        print("| page | language | state | follows | current |\n|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['page']} | {r['lang']} | {r['state']} | {r['follows'] or ''} | {r['current'] or ''} |")
    else:
        width = max((len(str(r["page"])) for r in rows), default=4)
        for r in rows:
            detail = (
                f" (follows revision {r['follows']}, the original is at {r['current']})"
                if r["state"] == "behind"
                else ""
            )
            print(f"{r['page']:<{width}}  {r['lang']}  {r['state']}{detail}")
        counts = {s: sum(1 for r in rows if r["state"] == s) for s in ("up-to-date", "behind", "missing")}
        print(f"\n{counts['up-to-date']} up to date, {counts['behind']} behind, {counts['missing']} missing")
    return 1 if any(r["state"] in args.fail_on for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
