"""Content-Security-Policy and the other security headers, computed from the built site.

After every language is built (static-i18n builds the others inside the default language's post_build;
this runs in that outer post_build, at priority -120, after translations.py and search.py), it:

- reads every built page and collects the sha256 of each inline ``<script>``. Only Material's own inline
  scripts are allowed (``THEME_SCRIPTS``; they change with the page depth and with Material releases, so
  they are hashed, never copied); any other inline script, an inline event handler (``onclick=``), a
  ``javascript:`` URL or a script from another server fails the build, because the policy would block it:
  site code belongs in docs/assets/javascripts/.
- writes ``<meta http-equiv="Content-Security-Policy">`` (and ``<meta name="referrer">``) into every page,
  first thing after ``<meta charset>``: hosts that cannot send headers (GitHub Pages) still get the policy.
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

``mkdocs serve`` injects an inline live-reload script into every page: the ``<meta>`` is left out there.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from tyouramentorointi.build import translations
from tyouramentorointi.checks import output
from tyouramentorointi.checks.output import THEME_SCRIPTS

log = logging.getLogger("mkdocs.hooks.csp")

# Material's inline scripts: checks/output.py THEME_SCRIPTS (the output check allows exactly these).
# <script type="..."> that browsers do not run (data blocks such as Material's #__config).
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*\s[^>]*>", re.S)
_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)
_SCRIPT_URL = re.compile(r"""\s(?:href|src|action|formaction|data)\s*=\s*["']?\s*(?:javascript|vbscript):""", re.I)
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


@lru_cache(maxsize=2048)  # a pure function: serve's rebuilds write mostly the same pages again
def _scan(text: str, where: str) -> tuple[frozenset[str], tuple[str, ...]]:
    hashes: set[str] = set()
    problems: list[str] = []
    for match in _SCRIPT.finditer(text):
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
    markup = _SCRIPT.sub("", text)
    for tag in _TAG.finditer(markup):
        if _HANDLER.search(tag.group(0)):
            problems.append(f"{where}: inline event handler in {tag.group(0)[:80]!r}")
        if _SCRIPT_URL.search(tag.group(0)):
            problems.append(f"{where}: javascript: URL in {tag.group(0)[:80]!r}")
    return frozenset(hashes), tuple(problems)


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


def _base_path(config: MkDocsConfig) -> str:
    path = urlsplit(config.site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def _prefixes(config: MkDocsConfig) -> list[str]:
    """Language path prefixes, the most specific first: ["sv/", "en/", ""]."""
    return sorted((lang.prefix for lang in translations.site_languages(config)), key=lambda p: (p == "", p))


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


# --------------------------------------------------------------------------- events

_command = {"name": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _command["name"] = command


@event_priority(-120)  # after static-i18n (-100), translations.py (-110) and search.py: the final pages
def on_post_build(config: MkDocsConfig) -> None:
    if getattr(translations.i18n_plugin(config), "building", False):
        return  # an inner language build: the outer one sees every language
    # First the output check, which names the Markdown line; the policy only adds its own <meta> below.
    check_output(config)
    site = Path(config.site_dir)
    pages = sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)
    texts: dict[Path, str] = {}
    hashes: set[str] = set()
    problems: list[str] = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        found, blocked = scan_page(text, path.relative_to(site).as_posix())
        texts[path] = text
        hashes |= found
        problems += blocked
    if problems:
        raise PluginError(
            "the Content-Security-Policy would block this (site code goes in docs/assets/javascripts/ as a file "
            "listed in extra_javascript; a new inline script of Material goes in THEME_SCRIPTS of "
            "tyouramentorointi/checks/output.py):\n" + "\n".join("  " + problem for problem in problems)
        )

    if _command["name"] != "serve":
        content = html.escape(policy(hashes, header=False), quote=False)
        meta = (
            f'\n    <meta http-equiv="Content-Security-Policy" content="{content}">'
            f'\n    <meta name="referrer" content="{REFERRER_POLICY}">'
        )
        for path, text in texts.items():
            if _EXISTING_MARK.search(text):  # a page written by an earlier run (the pattern is slow: \s*)
                text = _EXISTING.sub("", text)
            match = _CHARSET.search(text)
            at = match.end() if match else text.index("<head>") + len("<head>")
            path.write_text(text[:at] + meta + text[at:], encoding="utf-8")

    base, prefixes, headers = _base_path(config), _prefixes(config), security_headers(hashes)
    (site / "_headers").write_text(netlify_headers(base, headers), encoding="utf-8")
    (site / "_redirects").write_text(netlify_redirects(base, prefixes), encoding="utf-8")
    (site / ".htaccess").write_text(apache_conf(base, prefixes, headers, htaccess=True), encoding="utf-8")
    server = site / "server-config"
    server.mkdir(exist_ok=True)
    (server / "nginx.conf").write_text(nginx_conf(base, prefixes, headers), encoding="utf-8")
    (server / "apache.conf").write_text(apache_conf(base, prefixes, headers, htaccess=False), encoding="utf-8")
    (server / "README.txt").write_text(README, encoding="utf-8")
    log.info(f"Content-Security-Policy: {len(hashes)} inline script hash(es) over {len(pages)} pages")


def check_output(config: MkDocsConfig) -> None:
    """The output check (checks/output.py) on the built site: every other hook has written its pages."""
    root = Path(config.config_file_path or ".").resolve().parent
    scripts = [str(getattr(item, "path", item)) for item in config.extra_javascript]
    found = output.unique(output.check_site(Path(config.site_dir), root, config.site_url, scripts))
    if found:
        shown = [finding.text(root) for finding in found]
        more = f"\n  ... and {len(shown) - 40} more" if len(shown) > 40 else ""
        raise PluginError(
            f"the published pages hold what this site does not publish ({len(shown)} problem(s); "
            "python -m tyouramentorointi check output SITE_DIR lists them):\n"
            + "\n".join("  " + line for line in shown[:40])
            + more
        )
