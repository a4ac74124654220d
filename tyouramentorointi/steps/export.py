"""The open data export of the organisations: ``organisations.json`` and its schema at a built site's root.

``write(site, entries, schema_text)`` is the step for any engine; the build runs it once every language is
built (tyouramentorointi/build/organisations.py ``on_post_build``, with the entries it validated), and the
command line runs it over a built folder: ``python -m tyouramentorointi export SITE`` (the entries of
data/organisations/, or ``$ORGANISATIONS_DIR``, validated by checks/data.py first).

``organisations.json`` has ``version`` 2, all entries, a ``schema`` pointer (relative to the export's URL),
the ``generated`` date (``$SOURCE_DATE_EPOCH``'s day for a reproducible build) and the licence;
``organisations.schema.json`` is data/organisations.schema.json as it is.

Exit codes of the command: 0 written, 1 the data has problems (listed), 2 not a built site.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from tyouramentorointi.checks import data as validate_data

# Version of the entry format in /organisations.json (see get-involved/organisations.md "For developers").
EXPORT_VERSION = 2


def build_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's date for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def export_document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON export: every item of ``organisations`` follows ``schema`` (relative to the export's URL)."""
    return {
        "version": EXPORT_VERSION,
        "schema": "organisations.schema.json",
        "generated": build_date().isoformat(),
        "licence": "CC BY 4.0",
        "count": len(entries),
        "organisations": entries,
    }


def write(site: Path, entries: list[dict[str, Any]], schema_text: str) -> None:
    """Write organisations.json (validated ``entries``) and organisations.schema.json into ``site``."""
    export = export_document(entries)
    (site / "organisations.json").write_text(json.dumps(export, ensure_ascii=False, indent=2) + "\n", "utf-8")
    (site / "organisations.schema.json").write_text(schema_text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, help="the built site (site/)")
    parser.add_argument("--root", type=Path, default=validate_data.ROOT, help="project folder (default: here)")
    args = parser.parse_args(argv)
    site: Path = args.site_dir
    if not (site / "index.html").is_file():
        print(f"error: {site} is no built site (no index.html): run make build", file=sys.stderr)
        return 2
    result = validate_data.validate_data(args.root)
    if result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        where = validate_data.DATA_DIR.as_posix()
        print(f"{where}: {len(result.problems)} problem(s); nothing written", file=sys.stderr)
        return 1
    write(site, result.entries, (args.root / validate_data.SCHEMA_FILE).read_text(encoding="utf-8"))
    print(f"{site / 'organisations.json'}: {len(result.entries)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
