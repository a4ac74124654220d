"""Stable URLs: compare the built site with the committed list of published addresses (data/urls.txt).

Usage: python -m tyouramentorointi check urls [SITE_DIR] [--write]

Organisations link to our pages, so an address that was published must keep working. data/urls.txt lists
every published page address (relative to the site root, e.g. `sv/process/start/`).
- An address in the list that the build no longer has (neither as a page nor as a redirect page from
  data/redirects.yml) is an error: add a redirect, don't break links.
- A page the build has that is not in the list is an error too, so the list stays complete: run
  `python -m tyouramentorointi check urls --write` (or `make urls`) after adding a page, and commit the list.

Exit codes: 0 the list matches, 1 addresses removed or not yet listed, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
URLS = ROOT / "data" / "urls.txt"
HEADER = "# Every published page address, relative to the site root. Generated: python -m tyouramentorointi check urls --write\n"


def built_urls(site: Path) -> set[str]:
    out = set()
    for page in site.rglob("index.html"):
        rel = page.parent.relative_to(site).as_posix()
        if rel.split("/")[0] in {"assets", "search", "pdf"}:
            continue
        out.add("" if rel == "." else rel + "/")
    return out


def listed() -> set[str]:
    if not URLS.exists():
        return set()
    lines = URLS.read_text(encoding="utf-8").splitlines()
    return {line.strip() if line.strip() != "/" else "" for line in lines if line.strip() and not line.startswith("#")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--write", action="store_true", help="rewrite data/urls.txt from the build")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").exists():
        print(f"error: {args.site_dir} is not a built site (run `make build`)", file=sys.stderr)
        return 2
    have = built_urls(args.site_dir)
    if args.write:
        URLS.write_text(HEADER + "".join(f"{u or '/'}\n" for u in sorted(have | listed())), encoding="utf-8")
        print(f"data/urls.txt: {len(have | listed())} addresses")
        return 0
    want = listed()
    status = 0
    for url in sorted(want - have):
        print(f"data/urls.txt: published address '/{url}' is gone: add a redirect to data/redirects.yml")
        status = 1
    for url in sorted(have - want):
        print(f"data/urls.txt: new address '/{url}' is not listed: run `python -m tyouramentorointi check urls --write`")
        status = 1
    if status == 0:
        print(f"{len(want)} published addresses, all present")
    return status


if __name__ == "__main__":
    sys.exit(main())
