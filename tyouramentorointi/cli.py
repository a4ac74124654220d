"""The one command line for every chore: ``python -m tyouramentorointi <command> [<subcommand>] [options]``.

Also installed as the console script ``tyouramentorointi``. Each command is the ``main(argv)`` of one module;
``--help`` works on each. Exit codes are the same everywhere: 0 nothing found, 1 findings, 2 the command could
not run (bad usage, missing input).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

from tyouramentorointi.core.loading import LoadError

# (group, name) -> (module, one line of help). The group None is a command without a subcommand.
COMMANDS: dict[tuple[str | None, str], tuple[str, str]] = {
    ("check", "links"): ("tyouramentorointi.checks.links", "links and anchors of a built site (--external: internet)"),
    ("check", "content"): ("tyouramentorointi.checks.content", "the editing conventions of docs/ (CONTRIBUTING)"),
    ("check", "spelling"): ("tyouramentorointi.checks.spelling", "spelling of docs/ in each language"),
    ("check", "urls"): ("tyouramentorointi.checks.urls", "published addresses against data/urls.txt (--write)"),
    ("check", "data"): ("tyouramentorointi.checks.data", "data/ against its JSON Schemas"),
    ("check", "safe"): ("tyouramentorointi.checks.safe", "raw HTML and scripts in docs/ (the build's first check)"),
    ("check", "output"): ("tyouramentorointi.checks.output", "every published page against the HTML allowlist"),
    ("check", "assets"): ("tyouramentorointi.checks.assets", "files of docs/ besides pages: types, SVGs, scripts"),
    (None, "translations"): ("tyouramentorointi.steps.translation_status", "per page and language: up to date?"),
    (None, "pdf"): ("tyouramentorointi.steps.pdf", "worksheet PDFs from a built site"),
    (None, "csp"): ("tyouramentorointi.steps.csp", "Content-Security-Policy and server files into a built site"),
    (None, "export"): ("tyouramentorointi.steps.export", "organisations.json and its schema into a built site"),
    (None, "dist"): ("tyouramentorointi.steps.dist", "zip of a built site for self-hosting"),
    (None, "link-status"): ("tyouramentorointi.steps.link_status", "the directory's addresses on the internet"),
    ("bench", "tests"): ("tyouramentorointi.bench.tests", "wall time of the test suite (two revisions)"),
    ("bench", "links"): ("tyouramentorointi.bench.linkcheck", "the link checker against lychee and others"),
    ("bench", "search"): ("tyouramentorointi.bench.search", "search per language in Chromium"),
    ("bench", "build"): ("tyouramentorointi.bench.build", "build CPU over the bare stack; a serve rebuild"),
    ("bench", "lighthouse"): ("tyouramentorointi.bench.lighthouse", "Lighthouse scores of the README's pages"),
}
PROG = "python -m tyouramentorointi"


def usage(group: str | None = None) -> str:
    lines = [f"usage: {PROG} <command> [<subcommand>] [options]   (each takes --help)", ""]
    lines.append(f"{group} commands:" if group else "commands:")
    for (g, name), (_, text) in COMMANDS.items():
        if group is None or g == group:
            lines.append(f"  {(g + ' ' if g else '') + name:<22}{text}")
    lines += ["", "Exit codes: 0 nothing found, 1 findings, 2 the command could not run."]
    return "\n".join(lines)


def resolve(argv: list[str]) -> tuple[str, str, list[str]] | None:
    """(prog, module, remaining argv) for a command line, or None when it names no command."""
    if argv and (None, argv[0]) in COMMANDS:
        return f"{PROG} {argv[0]}", COMMANDS[(None, argv[0])][0], argv[1:]
    if len(argv) >= 2 and (argv[0], argv[1]) in COMMANDS:
        return f"{PROG} {argv[0]} {argv[1]}", COMMANDS[(argv[0], argv[1])][0], argv[2:]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    found = resolve(argv)
    if found is None:
        groups = {g for g, _ in COMMANDS if g}
        group = argv[0] if argv and argv[0] in groups else None
        wants_help = not argv or argv[-1] in ("-h", "--help")
        print(usage(group), file=sys.stdout if wants_help else sys.stderr)
        if not wants_help:
            print(f"\n{PROG}: unknown command: {' '.join(argv)}", file=sys.stderr)
        return 0 if wants_help else 2
    prog, module_name, rest = found
    sys.argv[0] = prog  # argparse of the module prints this in its usage line
    entry: Callable[[list[str]], int] = importlib.import_module(module_name).main
    try:
        return int(entry(rest) or 0)
    except LoadError as exc:  # a file an editor controls cannot be used: its one line, never a traceback
        print(exc, file=sys.stderr)
        return 1
