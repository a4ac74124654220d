"""Content-Security-Policy and the other security headers, computed from a built site (no MkDocs needed).

``apply(site, site_url, prefixes, meta=True)`` does it for any engine's output; the build runs it at the end
(tyouramentorointi/build/csp.py ``on_post_build``, after every language is built), and the command line runs it
over a built folder: ``python -m tyouramentorointi csp SITE``. It:

- reads every built page and collects the sha256 of each inline ``<script>``. Only Material's own inline
  scripts are allowed (``THEME_SCRIPTS``; they change with the page depth and with Material releases, so
  they are hashed, never copied); any other inline script, an inline event handler (``onclick=``), a
  ``javascript:`` URL or a script from another server is refused (``BlockedError``), because the policy
  would block it: site code belongs in docs/assets/javascripts/.
- writes ``<meta http-equiv="Content-Security-Policy">`` (and ``<meta name="referrer">``) into every page,
  first thing after ``<meta charset>``: hosts that cannot send headers (GitHub Pages) still get the policy.
  A page that already has them (an earlier run) gets them replaced, so running it twice changes nothing.
- writes the same policy as a header, with what a ``<meta>`` cannot carry (``frame-ancestors``) and the
  other security headers, plus the per-language 404 pages, for the common servers:
  ``_headers`` and ``_redirects`` (Netlify, Cloudflare Pages: read from the site root), ``.htaccess``
  (Apache with ``AllowOverride``), and ``server-config/nginx.conf`` and ``server-config/apache.conf``
  (to include in the server's configuration; README.txt next to them says how).

Policy (measured with search, the palette toggle and the language switcher; tests/test_csp.py):
scripts, styles, fonts, images, the search index and the search worker come from the site itself.
``img-src data:`` is for Material's icons (CSS masks as data: URLs). Styles need no 'unsafe-inline': the
built pages have no style attributes or <style> elements, and Material sets styles through the CSSOM,
which CSP does not restrict.

``mkdocs serve`` injects an inline live-reload script into every page: the ``<meta>`` is left out there
(``meta=False``, ``--no-meta``).

Exit codes of the command: 0 written, 1 the policy would block something (listed), 2 not a built site.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import re
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from tyouramentorointi.checks import output
from tyouramentorointi.checks.links.site import detect_site_url, scan_site
from tyouramentorointi.checks.output import THEME_SCRIPTS
from tyouramentorointi.core import cache, languages
from tyouramentorointi.core.content import ROOT

# Material's inline scripts: checks/output.py THEME_SCRIPTS (the output check allows exactly these).
# <script type="..."> that browsers do not run (data blocks such as Material's #__config).
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*\s[^>]*>", re.S)
_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)
_SCRIPT_URL = re.compile(r"""\s(?:href|src|action|formaction|data)\s*=\s*["']?\s*(?:javascript|vbscript):""", re.I)
_SCHEME_WORD = re.compile(r"(?:javascript|vbscript):", re.I)  # how _SCRIPT_URL ends
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
_EXISTING = re.compile(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>|\s*<meta name="referrer"[^>]*>')
_EXISTING_MARK = re.compile(r'<meta (?:http-equiv="Content-Security-Policy"|name="referrer")')

# Other sites are not told which page of this site a reader came from (privacy).
REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)


def _attributes(raw: str) -> dict[str, str]:
    return {m.group(1).lower(): (m.group(2) or "").strip("\"'") for m in _ATTR.finditer(raw)}


def _is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url.strip(), re.I))


def sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def scan_page(text: str, where: str) -> tuple[set[str], list[str]]:
    """The hashes of a page's inline scripts, and what the policy would block (problems)."""
    hashes, problems = _scan(text, where)
    return set(hashes), list(problems)


def _maybe_script_url(markup: str) -> bool:
    """False when _SCRIPT_URL cannot match anywhere in ``markup``. Its pattern ends in ``javascript:`` or
    ``vbscript:``, and searching those words (case-insensitive) over a whole page is as slow as the pattern;
    a page has few colons, so each colon is looked at instead."""
    at = markup.find(":")
    while at != -1:
        if (at >= 10 and _SCHEME_WORD.match(markup, at - 10)) or (at >= 8 and _SCHEME_WORD.match(markup, at - 8)):
            return True
        at = markup.find(":", at + 1)
    return False


@lru_cache(maxsize=2048)  # a pure function: serve's rebuilds write mostly the same pages again
def _scan(text: str, where: str) -> tuple[frozenset[str], tuple[str, ...]]:
    hashes: set[str] = set()
    problems: list[str] = []
    pieces: list[str] = []  # the page without its scripts (as _SCRIPT.sub("", text), without a second pass)
    end = 0
    for match in _SCRIPT.finditer(text):
        pieces.append(text[end : match.start()])
        end = match.end()
        attrs, body = _attributes(match.group(1)), match.group(2)
        if "src" in attrs:
            if _is_external(attrs["src"]):
                problems.append(f"{where}: script from another server: {attrs['src']}")
            continue
        if attrs.get("type", "").lower() not in _JS_TYPES:
            continue  # a data block, never run
        if not any(pattern.match(body.lstrip()) for pattern in THEME_SCRIPTS.values()):
            problems.append(f"{where}: inline <script> that is not Material's: {body.strip()[:80]!r}")
            continue
        hashes.add(sha256(body))
    pieces.append(text[end:])
    markup = "".join(pieces)
    # Looking at each tag costs twice as much as looking once over the page: only a page where either pattern
    # matches somewhere is looked at tag by tag (a match inside a tag is a match in the page).
    if not (_HANDLER.search(markup) or _maybe_script_url(markup)):
        return frozenset(hashes), tuple(problems)
    for tag in _TAG.finditer(markup):
        if _HANDLER.search(tag.group(0)):
            problems.append(f"{where}: inline event handler in {tag.group(0)[:80]!r}")
        if _SCRIPT_URL.search(tag.group(0)):
            problems.append(f"{where}: javascript: URL in {tag.group(0)[:80]!r}")
    return frozenset(hashes), tuple(problems)


def table_key() -> str:
    """The key of _scan's results in the user's cache (core/cache.py StoredTable): a digest of this module's
    code, the theme's scripts it allows (checks/output.py) and Python's version (its regular expressions)."""
    parts: list[str | bytes] = ["csp 1", Path(__file__).read_bytes(), Path(output.__file__).read_bytes(), sys.version]
    return cache.fingerprint(parts)


def _text(data: bytes) -> str:
    """A page's bytes as ``read_text(encoding="utf-8")`` reads them (universal newlines)."""
    text = data.decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _stored_scan(data: bytes, where: str, table: cache.StoredTable) -> tuple[set[str], list[str]]:
    """scan_page of a page's text, kept between builds in ``table`` under a digest of the page's bytes and its
    name: most pages of a build are the same as in the last one."""
    entry = hashlib.blake2b(where.encode("utf-8") + b"\0" + data, digest_size=16).hexdigest()
    stored = table.get(entry)
    if isinstance(stored, list) and len(stored) == 2:
        return set(stored[0]), list(stored[1])
    hashes, problems = scan_page(_text(data), where)
    table.put(entry, [sorted(hashes), problems])
    return hashes, problems


def policy(hashes: set[str], header: bool) -> str:
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(sorted(hashes)),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if header:  # ignored in a <meta>: only a header can say who may frame the site
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def security_headers(hashes: set[str]) -> list[tuple[str, str]]:
    return [
        ("Content-Security-Policy", policy(hashes, header=True)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", REFERRER_POLICY),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]


# --------------------------------------------------------------------------- server configuration


def base_path(site_url: str | None) -> str:
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def ordered_prefixes(prefixes: list[str]) -> list[str]:
    """Language path prefixes, the most specific first: ["sv/", "en/", ""]."""
    return sorted(prefixes, key=lambda p: (p == "", p))


GENERATED = "Generated by hooks/csp.py at every build; edit the hook, not this file."


def netlify_headers(base: str, headers: list[tuple[str, str]]) -> str:
    lines = [f"# {GENERATED}", f"{base}*"]
    lines += [f"  {name}: {value}" for name, value in headers]
    lines.append("  Strict-Transport-Security: max-age=31536000")
    return "\n".join(lines) + "\n"


def netlify_redirects(base: str, prefixes: list[str]) -> str:
    lines = [f"# {GENERATED}", "# An unknown address gets the 404 page of its language (status 404)."]
    lines += [f"{base}{prefix}*  {base}{prefix}404.html  404" for prefix in prefixes]
    return "\n".join(lines) + "\n"


def nginx_conf(base: str, prefixes: list[str], headers: list[tuple[str, str]]) -> str:
    lines = [
        f"# {GENERATED}",
        "# Include inside the server { } block that serves the site:  include /path/to/site/server-config/nginx.conf;",
        "# (add_header in a location { } block replaces these: repeat them there if you add one).",
    ]
    lines += [f'add_header {name} "{value}" always;' for name, value in headers]
    lines.append('# add_header Strict-Transport-Security "max-age=31536000" always;   # once HTTPS works')
    lines.append("# The 404 page of each language (the site's base path is " + base + ").")
    lines.append(f"error_page 404 {base}404.html;")
    for prefix in prefixes:
        if prefix:
            lines.append(f"location {base}{prefix} {{ error_page 404 {base}{prefix}404.html; }}")
    return "\n".join(lines) + "\n"


def apache_conf(base: str, prefixes: list[str], headers: list[tuple[str, str]], htaccess: bool) -> str:
    lines = [f"# {GENERATED}"]
    if htaccess:
        lines.append("# Apache reads this file itself where the site's directory has AllowOverride FileInfo.")
    else:
        lines.append("# Include it in the <VirtualHost> (or <Directory>) of the site:  Include /path/to/apache.conf")
    lines.append("<IfModule mod_headers.c>")
    lines += [f'  Header always set {name} "{value}"' for name, value in headers]
    lines.append('  # Header always set Strict-Transport-Security "max-age=31536000"   # once HTTPS works')
    lines.append("</IfModule>")
    lines.append("# The 404 page of each language.")
    default = [p for p in prefixes if p == ""]
    for prefix in prefixes:
        if prefix:
            lines.append(f'<If "%{{REQUEST_URI}} =~ m#^{re.escape(base + prefix)}#">')
            lines.append(f"  ErrorDocument 404 {base}{prefix}404.html")
            lines.append("</If>")
    if default:
        lines.append(f"ErrorDocument 404 {base}404.html")
    return "\n".join(lines) + "\n"


README = """Web server configuration for this site, generated at build time by hooks/csp.py.

The same Content-Security-Policy is in every page as <meta http-equiv>, so the site is protected even
where no headers can be sent (GitHub Pages). A header adds what a <meta> cannot: frame-ancestors, and the
other security headers (X-Content-Type-Options, Referrer-Policy, Permissions-Policy, ...). The files also
send an unknown address to the 404 page of its language (/sv/... to /sv/404.html).

- Netlify, Cloudflare Pages: _headers and _redirects at the site root are read automatically.
- Apache: .htaccess at the site root is read where AllowOverride permits; or Include apache.conf.
- nginx: include nginx.conf inside the server { } block (see the first lines of the file).

The script hashes in the policy change when Material changes: deploy these files with the pages they
were built with.
"""


class BlockedError(Exception):
    """What the policy would block, one problem a line, with what to do."""


def apply(site: Path, site_url: str | None, prefixes: list[str], meta: bool = True) -> tuple[int, int]:
    """Hash the inline scripts of every page of ``site``, write the policy (``meta``) and the server files.

    ``prefixes`` are the language path prefixes ("" for the default language, "sv/", ...). Returns the number
    of hashes and of pages; raises BlockedError when a page holds what the policy would block.
    """
    pages = sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)
    texts: dict[Path, str] = {}
    hashes: set[str] = set()
    problems: list[str] = []
    table = cache.StoredTable("csp", table_key())
    for path in pages:
        data = path.read_bytes()
        found, blocked = _stored_scan(data, path.relative_to(site).as_posix(), table)
        if meta:
            texts[path] = _text(data)
        hashes |= found
        problems += blocked
    table.save()
    if problems:
        raise BlockedError(
            "the Content-Security-Policy would block this (site code goes in docs/assets/javascripts/ as a file "
            "listed in extra_javascript; a new inline script of Material goes in THEME_SCRIPTS of "
            "tyouramentorointi/checks/output.py):\n" + "\n".join("  " + problem for problem in problems)
        )

    if meta:
        content = html.escape(policy(hashes, header=False), quote=False)
        tags = (
            f'\n    <meta http-equiv="Content-Security-Policy" content="{content}">'
            f'\n    <meta name="referrer" content="{REFERRER_POLICY}">'
        )
        for path, text in texts.items():
            if _EXISTING_MARK.search(text):  # a page written by an earlier run (the pattern is slow: \s*)
                text = _EXISTING.sub("", text)
            match = _CHARSET.search(text)
            at = match.end() if match else text.index("<head>") + len("<head>")
            path.write_text(text[:at] + tags + text[at:], encoding="utf-8")

    base, ordered, headers = base_path(site_url), ordered_prefixes(prefixes), security_headers(hashes)
    (site / "_headers").write_text(netlify_headers(base, headers), encoding="utf-8")
    (site / "_redirects").write_text(netlify_redirects(base, ordered), encoding="utf-8")
    (site / ".htaccess").write_text(apache_conf(base, ordered, headers, htaccess=True), encoding="utf-8")
    server = site / "server-config"
    server.mkdir(exist_ok=True)
    (server / "nginx.conf").write_text(nginx_conf(base, ordered, headers), encoding="utf-8")
    (server / "apache.conf").write_text(apache_conf(base, ordered, headers, htaccess=False), encoding="utf-8")
    (server / "README.txt").write_text(README, encoding="utf-8")
    return len(hashes), len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, help="the built site (site/)")
    parser.add_argument("--site-url", help="the site_url it was built for (default: read from its sitemap)")
    parser.add_argument(
        "--project", type=Path, default=ROOT, help="the folder of mkdocs.yml with the language list (default: here)"
    )
    parser.add_argument("--no-meta", action="store_true", help="no <meta> in the pages (a live-reload server)")
    args = parser.parse_args(argv)
    site: Path = args.site_dir
    if not (site / "index.html").is_file():
        print(f"error: {site} is no built site (no index.html): run make build", file=sys.stderr)
        return 2
    site_url = args.site_url
    if site_url is None:
        files, dirs, _pages = scan_site(site)
        site_url = detect_site_url(site, files, dirs)
    prefixes = [lang.prefix for lang in languages.languages(args.project)]
    try:
        count, pages = apply(site, site_url, prefixes, meta=not args.no_meta)
    except BlockedError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Content-Security-Policy: {count} inline script hash(es) over {pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
