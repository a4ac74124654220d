"""Package the built site for self-hosting: dist/tyouramentorointi-site.zip.

Usage: python -m tyouramentorointi dist [SITE_DIR] [--out DIR]

The zip holds the built site under `site/`, a HOSTING.md with what a web server must do (serve the
folder, send the per-language 404 pages and the security headers) and the server snippets the build
wrote (nginx, Apache, Netlify `_headers`), when present.

Exit codes: 0 written, 2 SITE_DIR is not a built site.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from tyouramentorointi.core.content import languages

ROOT = Path(__file__).resolve().parents[2]

HOSTING = """# Hosting this copy of Työuramentorointi

1. Copy the `site/` folder to your web server's document root (or a sub-path: build it with
   `SITE_URL=https://example.org/your-path/ make build` first, so canonical and hreflang addresses are right).
2. Send the 404 page of the reader's language: {not_found}.
3. Send the security headers (Content-Security-Policy and others): ready snippets are in `server/`
   (nginx, Apache, Netlify `_headers`) when the build produced them; GitHub Pages cannot send headers, so
   every page also carries the policy in a `<meta http-equiv>` tag.
4. No cookies, no analytics and no third-party requests: keep it that way, or update the privacy statement.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    site: Path = args.site_dir
    if not (site / "index.html").exists():
        print(f"error: {site} is not a built site (run `make build`)", file=sys.stderr)
        return 2
    langs = languages()
    not_found = ", ".join(
        f"/{'' if i == 0 else lang + '/'}404.html for /{'' if i == 0 else lang + '/'}…" for i, lang in enumerate(langs)
    )
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "tyouramentorointi-site.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("HOSTING.md", HOSTING.format(not_found=not_found))
        for path in sorted(site.rglob("*")):
            if path.is_file():
                zf.write(path, "site/" + path.relative_to(site).as_posix())
        server = site / "server-config"
        if server.is_dir():
            for path in sorted(server.rglob("*")):
                if path.is_file():
                    zf.write(path, "server/" + path.relative_to(server).as_posix())
    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {target.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
