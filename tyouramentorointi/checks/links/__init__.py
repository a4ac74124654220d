"""The site's own link checker: every link of the built site, reported against the file an editor changes.

Usage::

    python -m tyouramentorointi check links [SITE_DIR] [--external] [--format text|json|github] [--cache FILE]
                                  [--timeout SECONDS] [--max-concurrency N] [--exclude REGEX ...]

SITE_DIR defaults to ``site/``. Design rules: DEVELOPMENT.md#link-checking.

Internal checks (always, from the built files, no server):

- page/asset: every href/src/srcset/poster/data (a, area, link, script, img, source, video, audio, iframe,
  embed, object, track, meta refresh) resolves to a file: ``dir/`` is ``dir/index.html``, paths are
  percent-decoded (UTF-8), query strings ignored, ``../`` resolved, names compared case-sensitively.
  Root-relative links and absolute links to the site's own ``site_url`` resolve against its base path
  (read from the built sitemap.xml, or ``--site-url``/``--base-path``). Stylesheets of our own (not
  Material's hashed ``*.min.css``) are read for ``url(...)`` references too.
- anchor: every ``#fragment`` exists as an ``id`` or ``<a name>`` in the target page, case-sensitively,
  raw or percent-decoded; ``#`` and ``#top`` are valid; ``#:~:text=`` text fragments are not anchors.
- language: a page in language L (its ``<html lang>``) must not link to another language's version of a
  page when L's own version exists (links carrying ``hreflang``, such as the language switcher and the
  fallback notice, and ``<link>`` elements are exempt); an ``hreflang`` link must lead to a page in that
  language. The languages come from mkdocs.yml (``plugins`` -> ``i18n`` -> ``languages``).
- ``mailto:``/``tel:`` links are syntax-checked.

External checks (``--external``): every http(s) link of the pages and every ``url`` of
data/organisations/*.yaml, with httpx: HEAD, then GET on any non-2xx answer; redirects followed by hand
(at most 10, loops detected; 301/308 give a warning with the new address); ``#fragment`` checked on the
first MB of the HTML; per-host concurrency and interval, a global cap, timeouts and an overall deadline;
bounded retries with backoff and jitter on 429/502/503/504 honouring Retry-After; HTTP 999 and Cloudflare
challenges are "could not verify" warnings; successes are cached (``--cache``, ``--cache-ttl``).

Each finding names the Markdown file and line to change (``docs/sv/faq.md:12``; a fallback page maps to
the Finnish original), the data file for the organisation directory's addresses, or mkdocs.yml /
overrides/... for links in the theme chrome (reason says "theme").

Exit codes:
    0  nothing broken (warnings may have been printed)
    1  at least one broken link
    2  usage or I/O error (missing site directory, unreadable file, bad option)

The modules, in the order of a run (``cli.run``):

- ``findings``: Finding, Report, the exit codes, UsageError
- ``project``: mkdocs.yml (docs_dir, the language list) read without MkDocs
- ``site``: the site scan (files, folders, pages; a path to its file; the site_url of the build)
- ``extract``: link extraction (every URL of a page, in link-index order; srcset, meta refresh)
- ``urls``: fragments, path normalisation, anchor matching, mailto:/tel: syntax
- ``internal``: pages, assets and anchors, page by page, then across pages
- ``language``: the language rule
- ``stylesheets``: url(...) references of our own stylesheets
- ``data_urls``: the addresses of data/organisations/*.yaml with file and line
- ``fetch``, ``external``, ``cache``: the external check over HTTP, its findings, its cache
- ``mapping``: source mapping (a built page's link back to the Markdown file:line)
- ``report``: text, github and json output
- ``cli``: build_parser, run, main(argv)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cli import build_parser, main, run
    from .fetch import ExternalChecker, ExternalOptions, ExternalResult, parse_retry_after, run_coroutine
    from .findings import EXIT_BROKEN, EXIT_ERROR, EXIT_OK, Finding, Report, UsageError
    from .report import format_github, format_json, format_text

# The checker's public face (``from tyouramentorointi.checks import links``); everything else is imported from
# its module. Each name is imported when it is first used: the build imports a few modules of this package
# (the output check's source mapping, site and project readers), and importing this file must not bring in the
# command line, the HTTP client and the process pool (asyncio, multiprocessing) with them.
_FROM = {
    "build_parser": "cli",
    "main": "cli",
    "run": "cli",
    "ExternalChecker": "fetch",
    "ExternalOptions": "fetch",
    "ExternalResult": "fetch",
    "parse_retry_after": "fetch",
    "run_coroutine": "fetch",
    "EXIT_BROKEN": "findings",
    "EXIT_ERROR": "findings",
    "EXIT_OK": "findings",
    "Finding": "findings",
    "Report": "findings",
    "UsageError": "findings",
    "format_github": "report",
    "format_json": "report",
    "format_text": "report",
}


def __getattr__(name: str) -> Any:
    module = _FROM.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "EXIT_BROKEN",
    "EXIT_ERROR",
    "EXIT_OK",
    "ExternalChecker",
    "ExternalOptions",
    "ExternalResult",
    "Finding",
    "Report",
    "UsageError",
    "build_parser",
    "format_github",
    "format_json",
    "format_text",
    "main",
    "parse_retry_after",
    "run",
    "run_coroutine",
]
