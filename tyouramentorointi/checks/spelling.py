"""Spell-check the prose of docs/<lang>/**/*.md with each language's own checker.

Usage: python -m tyouramentorointi check spelling [--format text|github|json] [--lang fi|sv|en ...] [--list-unknown]

- Finnish: Voikko (Debian `voikko-fi`, `libvoikko1`, `python3-libvoikko`);
- Swedish: Hunspell with the Finland-Swedish dictionary (Debian `hunspell`, `hunspell-sv`);
- English: codespell (PyPI), which finds common misspellings.
Project word lists: `data/spelling/<lang>.txt`, one word or glob pattern (`aktori*`) a line, `#` comments.
Text that is not prose is skipped: front matter keys, code, addresses, link targets, HTML tags, attribute
lists (`{#id}`), worksheet field syntax (`%field type id |`).

Exit codes: 0 no unknown words, 1 unknown words printed as FILE:LINE: word, 2 a checker is missing
(install it with `make setup-test`) or a usage error.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tyouramentorointi.core import frontmatter, loading
from tyouramentorointi.core.content import DOCS, ROOT, Finding, languages, pages, report
from tyouramentorointi.core.findings import FORMATS
from tyouramentorointi.core.markdown import code_lines

SKIP_PAGES = {"glossary.md"}
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
STRIP_RES = [
    # parts marked as another language, e.g. *pull request*{lang=en}, are that language's, not this one's
    re.compile(r"([*_]{1,2})[^*_]+\1\{[^}]*\blang=[^}]*\}"),
    re.compile(r"\[[^\]]*\]\{[^}]*\blang=[^}]*\}"),
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+|mailto:\S+|www\.\S+"),
    re.compile(r"<[^>]+>"),  # HTML tags
    re.compile(r"\{[^}]*\}"),  # attribute lists
    # worksheet field syntax: %field type id, %log id, %table id and the indented %field, %column, %option lines
    re.compile(r"^\s*%(?:field|log|table|column|option)\b[^|]*"),
    re.compile(r"^\s*(!!!|\?\?\?\+?)\s*[\w-]+"),  # admonition type (its title is checked)
    re.compile(r"\b[\w.-]+\.(md|html|pdf|json|yml|yaml|fi|com|org)\b"),  # file and host names
    re.compile(r"^\s*%[\w-]+\s*$"),  # placeholders such as %worksheet-index
    re.compile(r":[a-z0-9_+-]+:"),  # emoji shortcodes
]


def prose_lines(path: Path) -> Iterator[tuple[int, str]]:
    text = loading.read_text(path)  # not UTF-8: one line (core/loading.py), printed by the command line
    try:
        front_matter_end = frontmatter.parse(text).length
    except frontmatter.FrontMatterError:
        front_matter_end = 0  # reported by the content check
    lines = text.removeprefix("\ufeff").splitlines()
    for number, (raw, in_code) in enumerate(code_lines(lines), start=1):
        if number <= front_matter_end:
            # in front matter only the reader-facing values are prose
            match = re.match(r"^(title|description):\s*(.*)$", raw)
            if match:
                yield number, match.group(2)
            continue
        if in_code:
            continue
        line = raw
        for pattern in STRIP_RES:
            line = pattern.sub(" ", line)
        yield number, line


def load_wordlist(lang: str) -> tuple[set[str], list[str]]:
    path = ROOT / "data" / "spelling" / f"{lang}.txt"
    exact: set[str] = set()
    patterns: list[str] = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if not word:
                continue
            if any(c in word for c in "*?["):
                patterns.append(word.lower())
            else:
                exact.add(word.lower())
    return exact, patterns


def allowed(word: str, exact: set[str], patterns: list[str]) -> bool:
    low = word.lower()
    return low in exact or any(fnmatch.fnmatchcase(low, p) for p in patterns)


class Checker:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        if lang == "fi":
            sys.path.insert(0, "/usr/lib/python3/dist-packages")  # Debian's python3-libvoikko (ctypes)
            try:
                import libvoikko  # type: ignore[import-not-found]

                self.voikko = libvoikko.Voikko("fi")
            except (ImportError, OSError) as exc:
                raise SystemExit(f"Voikko is missing ({exc}): run `make setup-test`") from exc
        elif lang == "sv" and not shutil.which("hunspell"):
            raise SystemExit("hunspell is missing: run `make setup-test`")

    def unknown(self, words: set[str]) -> set[str]:
        if self.lang == "fi":
            return {w for w in words if not self.voikko.spell(w)}
        if self.lang == "sv":
            proc = subprocess.run(
                ["hunspell", "-d", "sv_FI", "-l"],
                input="\n".join(sorted(words)),
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                raise SystemExit(f"hunspell failed: {proc.stderr.strip()}")
            return set(proc.stdout.split())
        raise AssertionError(self.lang)


def check_codespell(files: list[Path], exact: set[str]) -> list[Finding]:
    codespell = Path(sys.executable).parent / "codespell"
    if not codespell.exists() and not shutil.which("codespell"):
        raise SystemExit("codespell is missing: run `make setup-test`")
    wordlist = ROOT / "data" / "spelling" / "en.txt"
    # Not the en-GB_to_en-US dictionary: this site writes British English (data/terms.yml checks that).
    cmd = [str(codespell if codespell.exists() else "codespell"), "--builtin", "clear,rare"]
    if wordlist.exists():
        cmd += ["--ignore-words", str(wordlist)]
    proc = subprocess.run(cmd + [str(f) for f in files], capture_output=True, text=True, check=False)
    findings = []
    for line in proc.stdout.splitlines():
        match = re.match(r"^(.*?):(\d+): (.*)$", line)
        if match:
            findings.append(Finding(Path(match.group(1)), int(match.group(2)), f"spelling: {match.group(3)}"))
    return findings


def check(langs: list[str], docs: Path = DOCS) -> list[Finding]:
    findings: list[Finding] = []
    for lang in langs:
        # The glossary is multilingual by design: every entry names the term in the other languages.
        files = [p for rel, p in pages(lang, docs).items() if rel not in SKIP_PAGES]
        exact, patterns = load_wordlist(lang)
        if lang == "en":
            findings += check_codespell(files, exact)
            continue
        checker = Checker(lang)
        where: dict[str, tuple[Path, int]] = {}
        occurrences: list[tuple[str, Path, int]] = []
        for path in files:
            for number, line in prose_lines(path):
                for match in WORD_RE.finditer(line):
                    for word in re.split(r"[-'’]", match.group(0)):
                        if len(word) < 2 or allowed(word, exact, patterns):
                            continue
                        occurrences.append((word, path, number))
                        where.setdefault(word, (path, number))
        bad = checker.unknown({w for w, _, _ in occurrences})
        for word, path, number in occurrences:
            if word in bad:
                findings.append(
                    Finding(path, number, f"spelling ({lang}): '{word}' (fix it or add it to data/spelling/{lang}.txt)")
                )
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--lang", action="append", help="only these languages (default: all of mkdocs.yml)")
    parser.add_argument("--docs", type=Path, default=DOCS, help="docs folder (default: docs/)")
    parser.add_argument("--list-unknown", action="store_true", help="print each unknown word once, for word lists")
    args = parser.parse_args(argv)
    langs = args.lang or languages()
    try:
        findings = check(langs, args.docs)
    except SystemExit as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.list_unknown:
        for word in sorted({f.message.split("'")[1] for f in findings if "'" in f.message}):
            print(word)
        return 1 if findings else 0
    return report(findings, args.format)


if __name__ == "__main__":
    sys.exit(main())
