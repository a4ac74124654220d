"""The command line: ``build_parser`` (options and their checks), ``run`` (one whole check, in order: site
scan, internal, external, source mapping) and ``main(argv)`` with exit codes 0/1/2.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .cache import Cache, parse_duration
from .data_urls import load_data_urls
from .external import check_external
from .fetch import USER_AGENT, ExternalOptions
from .findings import EXIT_BROKEN, EXIT_ERROR, EXIT_OK, Report, UsageError
from .internal import check_internal
from .mapping import SourceMapper
from .project import load_project
from .report import format_github, format_json, format_text
from .site import Site, detect_site_url, scan_site


def _remap(text: str) -> tuple[re.Pattern[str], str]:
    if " " in text.strip():
        pattern, replacement = text.strip().split(None, 1)
    else:
        match = re.search(r"(?<![?<!])=", text)
        if not match:
            raise argparse.ArgumentTypeError(f"--remap wants REGEX=REPLACEMENT, got {text!r}")
        pattern, replacement = text[: match.start()], text[match.end() :]
    try:
        return re.compile(pattern), replacement
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"bad --remap regex {pattern!r}: {exc}") from exc


def _regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"bad regex {text!r}: {exc}") from exc


def _positive(kind: type) -> Any:
    def convert(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value

    return convert


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Check the links of the built site (internal, anchors, languages; --external too).",
        epilog="Exit codes: 0 nothing broken, 1 something broken, 2 usage or I/O error.",
    )
    parser.add_argument("site_dir", nargs="?", default="site", metavar="SITE_DIR", help="built site (default: site)")
    parser.add_argument("--external", action="store_true", help="check external http(s) links too")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text", help="output format")
    parser.add_argument("--config", help="mkdocs.yml to read (default: next to SITE_DIR, else ./mkdocs.yml)")
    parser.add_argument("--site-url", help="the site_url the site was built for (default: from sitemap.xml)")
    parser.add_argument("--base-path", help="the site's base path, e.g. /guide/ (default: from the build)")
    parser.add_argument("--exclude", action="extend", nargs="+", type=_regex, default=[], metavar="REGEX")
    parser.add_argument("--jobs", type=_positive(int), default=min(2, os.cpu_count() or 1), help="parser processes")
    ext = parser.add_argument_group("external links")
    ext.add_argument("--cache", type=Path, help="JSON cache of successful external checks")
    ext.add_argument("--cache-ttl", type=parse_duration, default=7 * 86400.0, help="cache max age (default 7d)")
    ext.add_argument("--timeout", type=_positive(float), default=15.0, help="per-request timeout, s (default 15)")
    ext.add_argument("--deadline", type=_positive(float), default=600.0, help="overall time limit, s (default 600)")
    ext.add_argument("--max-concurrency", type=_positive(int), default=16, help="requests at once (default 16)")
    ext.add_argument("--per-host", type=_positive(int), default=2, help="requests at once per host (default 2)")
    ext.add_argument("--host-interval", type=float, default=0.2, help="min. s between requests to a host (0.2)")
    ext.add_argument("--retries", type=int, default=3, help="retries on 429/502/503/504 (default 3)")
    ext.add_argument("--backoff", type=float, default=1.0, help="first backoff, s, doubled each retry (default 1)")
    ext.add_argument("--retry-after-cap", type=float, default=60.0, help="longest wait honoured, s (default 60)")
    ext.add_argument(
        "--remap",
        action="append",
        type=_remap,
        default=[],
        metavar="REGEX=REPLACEMENT",
        help="rewrite URLs before requesting them (like lychee's --remap), e.g. for loopback tests",
    )
    ext.add_argument("--user-agent", default=USER_AGENT, help=argparse.SUPPRESS)
    ext.add_argument("--no-progress", action="store_true", help="no progress bar (it is shown on a TTY only)")
    return parser


def run(args: argparse.Namespace) -> Report:
    site_dir = Path(args.site_dir)
    if not site_dir.is_dir():
        raise UsageError(f"site directory not found: {site_dir}")
    project = load_project(args.config, site_dir)
    files, dirs, pages = scan_site(site_dir)
    if not pages:
        raise UsageError(f"no HTML pages in {site_dir}")
    site_url = args.site_url or detect_site_url(site_dir, files, dirs)
    origin = None
    base_path = "/"
    if site_url:
        parts = urlsplit(site_url)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
        base_path = parts.path or "/"
    if args.base_path:
        base_path = args.base_path
    base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    site = Site(site_dir, files, dirs, pages, base_path, origin)
    exclude = tuple(args.exclude)
    report = check_internal(site, project, exclude, args.jobs)
    data_urls = load_data_urls(project)
    if args.external:
        occurrences: list[tuple[str | None, int | None, str, str, int]] = [
            (page, idx, url, "", 1) for page, idx, url in report.external_links
        ]
        shown = {url for _, _, url, _, _ in occurrences}
        seen_data: set[str] = set()
        for item in data_urls:
            if not item.checked_field or item.url in shown or item.url in seen_data:
                continue
            seen_data.add(item.url)
            if item.url.lower().startswith(("http://", "https://")):
                occurrences.append((None, None, item.url, item.source, item.line))
        options = ExternalOptions(
            timeout=args.timeout,
            max_concurrency=args.max_concurrency,
            per_host=args.per_host,
            host_interval=max(0.0, args.host_interval),
            retries=max(0, args.retries),
            backoff=max(0.0, args.backoff),
            retry_after_cap=max(0.0, args.retry_after_cap),
            deadline=args.deadline,
            remaps=args.remap,
            user_agent=args.user_agent,
            progress=sys.stderr.isatty() and not args.no_progress,
        )
        cache = Cache(args.cache, args.cache_ttl)
        check_external(report, occurrences, options, cache, exclude)
        cache.save()
    SourceMapper(site, project, data_urls).assign(report.findings)
    order = {"error": 0, "warning": 1}
    report.findings.sort(key=lambda f: (order[f.severity], f.source, f.line, f.page or "", f.url))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        report = run(args)
    except UsageError as exc:
        print(f"check_links: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"check_links: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    formatter = {"text": format_text, "json": format_json, "github": format_github}[args.format]
    try:
        print(formatter(report))
        sys.stdout.flush()
    except BrokenPipeError:  # `check_links.py | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter from complaining at exit
    return EXIT_BROKEN if report.broken else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
